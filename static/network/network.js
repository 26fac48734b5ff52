/**
 * The network diagram (SVG): neurons filled by activation, links coloured by the weight's sign and sized by its
 * magnitude (orange < 0 < blue), biases as small squares, the output read-out against the target, and the four
 * step-sample phases (forward, loss, backward with δ, update) drawn from the page state's `phase`.
 *
 * It owns its root element, builds the SVG once per network shape and per size, and on every `update(state)` only
 * rewrites attributes whose value changed, so it keeps up with 60 snapshots/s. Hover shows a tooltip; click calls
 * ctx.select. It never talks to the server and leaves the phase timing to phases.js.
 */
import { biasSize, deltaRoom, layout, linkPath, lossSpot, MONO_EM, pick, READOUT_LINES } from './network-layout.js';
import { frameValues, maxAbs } from './network-values.js';
import { createNetworkTooltip } from './network-tooltip.js';
import { createNeuronMaps, deltaLabelsShown } from '../visuals/neuron-maps.js';
import { caption, PHASES, sup } from '../core/phases.js';

const STEP_NAMES = { forward: 'Forward', loss: 'Loss', backward: 'Backward', update: 'Update' };
import { clamp, divergingCss as diverging, fmt, fmtShort, fmtSigned } from '../lib/visual-kit.js';

const NS = 'http://www.w3.org/2000/svg';
function el(name, attrs = {}, parent = null) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
/** Sets an attribute only when it changed (the cache lives on the element). */
function set(e, k, v) {
  const c = e.__c || (e.__c = {});
  if (c[k] !== v) { c[k] = v; e.setAttribute(k, v); }
}
function text(e, v) { if (e.__t !== v) { e.__t = v; e.textContent = v; } }

/**
 * The page's root font size (the diagram's type follows it). Read once per window size and page classes
 * (projector mode): getComputedStyle on every frame forced a style and layout pass in the middle of the frame.
 */
let fontKey = '';
let fontSize = '';
function rootFontSize() {
  const key = `${document.documentElement.className}|${window.innerWidth}x${window.innerHeight}`;
  if (key !== fontKey) { fontKey = key; fontSize = getComputedStyle(document.documentElement).fontSize; }
  return fontSize;
}

/** A δ label wider than its room is drawn narrower to fit it (its glyphs condensed, its font size kept): three
 * layers of 16 on a projector leave about 50 px between columns for "δ +0.0047" at 16 px. */
function squeeze(e, on) {
  if (on === Boolean(e.__squeezed)) return;
  e.__squeezed = on;
  if (on) {
    e.setAttribute('textLength', Math.max(1, e.room).toFixed(1));
    e.setAttribute('lengthAdjust', 'spacingAndGlyphs');
  } else {
    e.removeAttribute('textLength');
    e.removeAttribute('lengthAdjust');
  }
}

export function createNetwork(root, ctx) {
  root.classList.add('network');
  const svg = el('svg', { class: 'net', 'data-testid': 'network', 'data-phase': 'idle', role: 'img',
    'aria-label': 'Network diagram' }, root);
  const cap = document.createElement('div');
  cap.className = 'phase-caption';
  cap.dataset.testid = 'phase-caption';
  cap.hidden = true;
  root.appendChild(cap);
  const tooltip = createNetworkTooltip(root);
  const neuronMaps = createNeuronMaps(root, ctx);  // each neuron's own output over the plane (2-D datasets)

  let geo = null;        // layout() of the current shape and box
  let shapeKey = '';     // sizes + kind + box + font scale: rebuild when it changes
  let parts = null;      // { links: [[[path]]], hits, nodes: [[g]], biases, outRows }
  let wScale = 1;        // link width scale: the largest |w| seen since the network was built
  let changeScale = { trace: null, value: 1 };  // largest |Δw| of the trace being animated
  let phaseLog = [];
  let lastTrace = null;
  let last = null;       // the state last drawn (for the tooltip and clicks)
  let box = { w: 0, h: 0 };
  let drawnOnce = false;

  new ResizeObserver(() => { box = { w: root.clientWidth, h: root.clientHeight }; if (last) draw(last, true); })
    .observe(root);

  function build(state) {
    const net = state.network;
    const kind = net.dataset ? net.dataset.kind : 'table';
    // diagram type follows the page's (root 14 px → 12 px labels); a projector's floor is 16 px (css/panels.css)
    const floor = document.documentElement.classList.contains('projector') ? 16 : 0;
    const scale = Math.max(floor / 12, parseFloat(rootFontSize()) / 14 || 1);
    geo = layout(net.sizes, kind, box.w, box.h, scale);
    svg.setAttribute('viewBox', `0 0 ${box.w} ${box.h}`);
    svg.replaceChildren();
    svg.style.setProperty('--fs', `${12 * scale}px`);
    const gLinks = el('g', { class: 'links' }, svg);
    const gHits = el('g', { class: 'hits' }, svg);
    const gNodes = el('g', { class: 'nodes' }, svg);
    const gText = el('g', { class: 'labels' }, svg);
    const links = [];
    const hits = [];
    for (let l = 0; l < net.sizes.length - 1; l++) {
      links.push(geo.nodes[l].map((a, i) => geo.nodes[l + 1].map((b, j) => {
        const d = linkPath(a, b);
        el('path', { d, 'data-hit': `${l}-${i}-${j}` }, gHits);
        return el('path', { d, class: 'link', 'data-weight': `${l}-${i}-${j}` }, gLinks);
      })));
    }
    const nodes = geo.nodes.map((col, l) => col.map((n, i) => {
      const g = el('g', { class: `neuron layer-${l === 0 ? 'in' : l === net.sizes.length - 1 ? 'out' : 'hid'}`,
        'data-neuron': `${l}-${i}`, transform: `translate(${n.x.toFixed(1)},${n.y.toFixed(1)})` }, gNodes);
      const circle = el('circle', { r: n.r.toFixed(1) }, g);
      const valuePx = Math.max(n.r * 0.58, floor);
      const big = n.r >= 13 * geo.scale && 2 * n.r >= 2.5 * valuePx;  // room for "0.75" in the disc
      const value = big ? el('text', { class: 'val', 'font-size': valuePx.toFixed(1), dy: '0.35em' }, g) : null;
      const delta = el('text', { class: 'delta', x: (n.r + 4).toFixed(1), y: (-n.r * 0.55).toFixed(1) }, g);
      delta.room = deltaRoom(geo, l, n, net.bias);
      let bias = null;
      if (l > 0 && net.bias) {
        const s = biasSize(n);
        bias = el('rect', { class: 'bias', x: (-n.r - s * 0.55).toFixed(1), y: (n.r - s * 0.45).toFixed(1),
          width: s.toFixed(1), height: s.toFixed(1), rx: 1.5, 'data-bias': `${l}-${i}` }, g);
      }
      return { g, circle, value, delta, bias };
    }));
    const L = net.sizes.length - 1;
    // column titles and the a^l names under them
    const titles = geo.xs.map((x, l) => {
      const t = el('text', { class: 'col-title', x: x.toFixed(1), y: (geo.m.top - 26 * geo.scale).toFixed(1) }, gText);
      const act = l === 0 ? '' : l === L ? net.output_activation || net.activation : net.activation;
      el('title', {}, t).textContent = `${l === 0 ? 'input' : l === L ? 'output layer' : `hidden layer ${l}`}: ${
        net.sizes[l]} neurons${act ? `, ${act}` : ''}`;
      const name = el('tspan', { x: x.toFixed(1) }, t);
      name.textContent = l === 0 ? 'input' : l === L ? 'output' : `hidden ${l}`;
      const sub = el('tspan', { x: x.toFixed(1), dy: '1.25em', class: 'sub' }, t);
      sub.textContent = `${net.sizes[l]}${act ? ` · ${act}` : ''}`;
      const b = el('text', { class: 'col-foot', x: x.toFixed(1), y: (box.h - geo.m.bottom + 22 * geo.scale).toFixed(1) }, gText);
      b.textContent = `a${sup(l)}`;
      return { t, name, sub, l, act };
    });
    // Many layers: titles that would run into each other shorten ("h3", the size alone; the full title on hover)
    const gap = geo.xs.length > 1 ? geo.xs[1] - geo.xs[0] : Infinity;
    const len = (e) => { try { return e.getComputedTextLength(); } catch { return 0; } };
    const width = (t) => Math.max(len(t.name), len(t.sub));
    if (titles.some((t) => width(t) + 8 > gap)) {
      for (const t of titles) {
        t.name.textContent = t.l === 0 ? 'in' : t.l === L ? 'out' : `h${t.l}`;
        t.sub.textContent = gap > width(t) + 8 + 40 ? `${net.sizes[t.l]}${t.act ? ` ${t.act.slice(0, 4)}` : ''}` : `${net.sizes[t.l]}`;
      }
    }
    // input names (x₁ …) for small inputs; the output read-out: label, bar, value, target
    const labels = (net.dataset && net.dataset.labels) || [];
    if (net.sizes[0] <= 8) {
      geo.nodes[0].forEach((n, i) => {
        const t = el('text', { class: 'in-name', x: (n.x - n.r - 6).toFixed(1), y: n.y.toFixed(1), dy: '0.35em' }, gText);
        const feature = net.dataset?.feature_labels?.[i]; // the input feature (x₁², sin(πx₁) …) when there are some
        t.textContent = feature || `x${String(i + 1).split('').map((c) => '₀₁₂₃₄₅₆₇₈₉'[c]).join('')}`;
      });
    }
    const outRows = geo.nodes[L].map((n, j) => {
      const x0 = n.x + n.r + 10 * geo.scale;
      const g = el('g', { class: 'readout', transform: `translate(${x0.toFixed(1)},${n.y.toFixed(1)})` }, gText);
      const name = el('text', { class: 'out-name', dy: '0.35em' }, g);
      name.textContent = labels.length === net.sizes[L] ? String(labels[j]) : net.sizes[L] === 1 ? 'ŷ' : `y${j + 1}`;
      const bw = 64 * geo.scale;
      el('rect', { class: 'bar-bg', x: 22 * geo.scale, y: -5 * geo.scale, width: bw, height: 10 * geo.scale, rx: 2 }, g);
      const bar = el('rect', { class: 'bar', x: 22 * geo.scale, y: -5 * geo.scale, width: 0, height: 10 * geo.scale, rx: 2 }, g);
      const gap = el('rect', { class: 'gap', y: -5 * geo.scale, height: 10 * geo.scale, width: 0 }, g);
      const target = el('line', { class: 'target', y1: -8 * geo.scale, y2: 8 * geo.scale }, g);
      // one number a line, under the name: a, its target y, and a − y while the step shows the loss
      const val = el('text', { class: 'out-val', y: (READOUT_LINES[0] * geo.scale).toFixed(1) }, g);
      const want = el('text', { class: 'out-val', y: (READOUT_LINES[1] * geo.scale).toFixed(1) }, g);
      const err = el('text', { class: 'out-err', y: (READOUT_LINES[2] * geo.scale).toFixed(1) }, g);
      return { bar, gap, target, val, want, err, x: 22 * geo.scale, w: bw };
    });
    const lastOut = geo.nodes[L][geo.nodes[L].length - 1];
    const spot = lossSpot(lastOut, geo.scale);  // under the last row's a − y
    const lossText = el('text', { class: 'loss-text', x: spot.x.toFixed(1), y: spot.y.toFixed(1) }, gText);
    lossText.label = el('tspan', { class: 'loss-label', x: lossText.getAttribute('x') }, lossText);
    lossText.value = el('tspan', { class: 'loss-value', x: lossText.getAttribute('x'), dy: '1.3em' }, lossText);
    let thumb = null;
    if (net.dataset.image_shape) {
      const [rows, cols] = net.dataset.image_shape;
      const c = Math.min(9 * geo.scale, (geo.m.left - 16) / cols);
      const g = el('g', { class: 'thumb', transform: `translate(6,${(box.h / 2 - (rows * c) / 2).toFixed(1)})` }, gText);
      thumb = [];
      for (let k = 0; k < rows * cols; k++) {
        thumb.push(el('rect', { x: ((k % cols) * c).toFixed(1), y: (Math.floor(k / cols) * c).toFixed(1),
          width: (c - 1).toFixed(1), height: (c - 1).toFixed(1) }, g));
      }
    }
    const deltaText = nodes[1]?.[0]?.delta;  // the δ labels' font size, as the page styles them (projector: larger)
    const deltaPx = deltaText ? parseFloat(getComputedStyle(deltaText).fontSize) : 12 * geo.scale;
    parts = { links, nodes, outRows, lossText, thumb, L, deltaPx };
    neuronMaps.place(geo, net, deltaPx);
    wScale = Math.max(1, maxAbs(state.snapshot ? state.snapshot.weights : []));
  }

  function drawLinks(state, v) {
    const { phase, phaseLayer } = state;
    const showGrad = state.links === 'gradients' && v.grads;
    const gScale = showGrad ? maxAbs(v.grads) || 1 : 1;
    const pulseLayer = phase === 'backward' ? phaseLayer - 1 : -1;
    const pulseScale = pulseLayer >= 0 && v.grads ? maxAbs(v.grads[pulseLayer]) || 1 : 1;
    const sel = state.selection && state.selection.kind === 'weight' ? state.selection : null;
    if (!showGrad) wScale = Math.max(wScale, maxAbs(v.weights));
    const showChange = phase === 'update' && phaseLayer === 0 && v.applied;
    const change = (l, i, j) => v.weights[l][i][j] - v.weightsBefore[l][i][j];
    if (showChange && changeScale.trace !== state.trace) {
      let m = 0;
      v.weights.forEach((W, l) => W.forEach((row, i) => row.forEach((_, j) => { m = Math.max(m, Math.abs(change(l, i, j))); })));
      changeScale = { trace: state.trace, value: m || 1 };
    }
    parts.links.forEach((layer, l) => layer.forEach((row, i) => row.forEach((p, j) => {
      const w = v.weights && v.weights[l] ? v.weights[l][i][j] : 0;
      let x = w;
      let s = wScale;
      let cls = 'link';
      if (showChange) { x = change(l, i, j); s = changeScale.value; cls += ' flash'; }
      else if (pulseLayer === l) { x = v.grads[l][i][j]; s = pulseScale; cls += ' pulse'; }
      else if (showGrad) { x = v.grads[l][i][j]; s = gScale; }
      if (phase === 'forward' && l === phaseLayer - 1) cls += ' flow';
      if (phase === 'forward' && l >= phaseLayer) cls += ' dim';
      if (phase === 'backward' && l < phaseLayer - 1) cls += ' dim';
      if (sel && sel.layer === l && sel.from === i && sel.to === j) cls += ' selected';
      const t = Math.abs(x) / s;
      set(p, 'class', cls);
      set(p, 'stroke', x < 0 ? 'var(--neg)' : 'var(--pos)');
      const width = 0.6 + 6.4 * Math.sqrt(clamp(t, 0, 1));
      set(p, 'stroke-width', (cls.endsWith('selected') ? Math.max(width, 2.5) : width).toFixed(1));
      set(p, 'stroke-opacity', (0.18 + 0.82 * clamp(t, 0, 1)).toFixed(2));
    })));
  }

  function drawNodes(state, v) {
    const { phase, phaseLayer } = state;
    const showDelta = deltaLabelsShown(state);
    const sel = state.selection && state.selection.kind === 'neuron' ? state.selection : null;
    parts.nodes.forEach((col, l) => col.forEach((n, i) => {
      const a = v.acts && v.acts[l] ? v.acts[l][i] : null;
      const z = v.zs[l] ? v.zs[l][i] : null;
      const d = v.deltas[l] ? v.deltas[l][i] : null;
      const hidden = phase === 'forward' && l > phaseLayer;
      let cls = 'neuron';
      if (hidden) cls += ' dim';
      if (phase === 'forward' && l === phaseLayer) cls += ' lit';
      if (phase === 'backward' && l === phaseLayer) cls += ' lit-back';
      if (phase === 'loss' && l === parts.L) cls += ' lit-loss';
      if (sel && sel.layer === l && sel.index === i) cls += ' selected';
      set(n.g, 'class', cls);
      set(n.circle, 'fill', hidden ? '#eef0f4' : diverging(a));
      set(n.g, 'data-value', a === null ? '' : String(a));
      const shown = state.show === 'z' && l > 0 ? z : a;
      if (n.value) {
        text(n.value, hidden ? '?' : fmtShort(shown));
        set(n.value, 'fill', Math.abs(a) > 0.55 ? '#fff' : 'var(--ink)');
      }
      const dOn = showDelta && l > 0 && d !== null && (phase !== 'backward' || l >= phaseLayer);
      const label = dOn ? `δ ${fmtSigned(d, 2)}` : '';
      text(n.delta, label);
      squeeze(n.delta, label.length * MONO_EM * parts.deltaPx > n.delta.room);
      set(n.g, 'data-delta', dOn ? String(d) : '');
      set(n.delta, 'fill', d < 0 ? 'var(--neg)' : 'var(--pos)');
      if (n.bias && v.biases && v.biases[l - 1]) {
        const b = v.biases[l - 1][i];
        set(n.bias, 'fill', diverging(b / Math.max(1, wScale) * 2));
        set(n.bias, 'stroke', b < 0 ? 'var(--neg)' : 'var(--pos)');
      }
    }));
  }

  function drawReadout(state, v) {
    const L = parts.L;
    const out = v.acts && v.acts[L] ? v.acts[L] : [];
    parts.outRows.forEach((r, j) => {
      const a = out[j];
      const y = v.y ? v.y[j] : null;
      const hidden = state.phase === 'forward' && state.phaseLayer < L;
      set(r.bar, 'width', hidden || a === undefined ? '0' : (r.w * clamp(Math.abs(a), 0, 1)).toFixed(1));
      set(r.bar, 'fill', a < 0 ? 'var(--neg)' : 'var(--pos)');
      set(r.target, 'x1', (r.x + r.w * clamp(y || 0, 0, 1)).toFixed(1));
      set(r.target, 'x2', (r.x + r.w * clamp(y || 0, 0, 1)).toFixed(1));
      set(r.target, 'visibility', y === null ? 'hidden' : 'visible');
      const showGap = !hidden && y !== null && a !== undefined && (state.phase === 'loss' || state.phase === 'backward');
      const ga = clamp(Math.abs(a || 0), 0, 1);
      const gy = clamp(y || 0, 0, 1);
      set(r.gap, 'x', (r.x + r.w * Math.min(ga, gy)).toFixed(1));
      set(r.gap, 'width', showGap ? (r.w * Math.abs(ga - gy)).toFixed(1) : '0');
      text(r.val, `a = ${hidden ? '?' : fmt(a)}`);
      text(r.want, y === null ? '' : `y = ${fmt(y)}`);
      text(r.err, showGap ? `a − y = ${fmt(a - y)}` : '');
    });
    const lossOn = state.phase === 'loss' || state.phase === 'backward' || state.phase === 'update';
    const lossShown = v.source !== 'trace' || lossOn;
    text(parts.lossText.label, lossShown ? (v.source === 'trace' ? 'loss, this sample' : 'loss, all samples') : '');
    text(parts.lossText.value, lossShown ? `C = ${fmt(v.loss)}` : '');
    if (parts.thumb && v.acts && v.acts[0]) {
      parts.thumb.forEach((r, k) => set(r, 'fill', diverging(v.acts[0][k])));
    }
  }

  function drawPhase(state) {
    const { phase, phaseLayer, trace } = state;
    if (trace !== lastTrace) { lastTrace = trace; phaseLog = []; }
    if (phase && phaseLog[phaseLog.length - 1] !== phase) phaseLog.push(phase);
    set(svg, 'data-phase', phase || 'idle');
    set(svg, 'data-phase-layer', phaseLayer === null || phaseLayer === undefined ? '' : String(phaseLayer));
    set(svg, 'data-phase-log', phaseLog.join(' '));
    const c = phase ? caption(phase, phaseLayer, state.network.sizes.length, trace) : null;
    const html = c
      ? `<div class="steps">${PHASES.map((p, k) => `<span class="st${p === phase ? ' on' : ''}${PHASES.indexOf(phase) > k ? ' done' : ''}">${
        k + 1} ${STEP_NAMES[p]}</span>`).join('')}</div><div class="rule">${c.text}</div>`
      : '<div class="hint">Press <b>step sample</b><span class="key-hint"> (s)</span> to watch one sample go forward, meet its target, and send δ back.</div>';
    if (cap.__h !== html) { cap.__h = html; cap.innerHTML = html; }
    cap.dataset.phase = phase || 'idle';
    cap.hidden = !c && state.playing;
  }

  function draw(state, force = false) {
    last = state;
    if (!state.network || box.w < 10) return;
    // The column titles name the activations: a new activation with the same sizes rebuilds them too.
    const key = `${state.network.sizes.join('-')}|${state.network.bias}|${state.network.dataset?.kind}|${
      state.network.activation}|${state.network.output_activation}|${box.w}x${box.h}|${
      rootFontSize()}|${state.projector}|${state.network.config?.preset}`;
    if (force || key !== shapeKey || !parts) {
      if (key !== shapeKey) shapeKey = key;
      build(state);
    }
    const v = frameValues(state);
    drawPhase(state);
    neuronMaps.update(state);
    svg.classList.toggle('replay', state.live === false);
    if (!v) return;
    drawLinks(state, v);
    drawNodes(state, v);
    drawReadout(state, v);
    tooltip.refresh(state, v);
    if (!drawnOnce) { drawnOnce = true; performance.mark('network-drawn'); }  // read by bench/bench_page.py
  }

  /** What the pointer is on: a bias square by its element, else the nearest neuron or link (network-layout.js). */
  function target(e) {
    const b = e.target.closest && e.target.closest('[data-bias]');
    if (b) return { kind: 'neuron', key: b.dataset.bias, dataset: { bias: b.dataset.bias } };
    if (!geo) return null;
    const m = svg.getScreenCTM();
    if (!m) return null;
    const at = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());  // the pointer in diagram units
    const p = pick(geo, at.x, at.y, { reach: e.pointerType === 'touch' ? 14 : 9 });
    if (!p) return null;
    return p.kind === 'neuron' ? { ...p, dataset: { neuron: `${p.layer}-${p.index}` } }
      : { ...p, dataset: { hit: `${p.layer}-${p.from}-${p.to}` } };
  }

  svg.addEventListener('pointermove', (e) => {
    const t = target(e);
    svg.style.cursor = t ? 'pointer' : '';
    tooltip.show(e, t, last, last && frameValues(last));
  });
  svg.addEventListener('pointerleave', () => tooltip.hide());
  svg.addEventListener('click', (e) => {
    const t = target(e);
    if (!t) { ctx.select(null); return; }
    if (t.dataset.neuron || t.dataset.bias) {
      const [layer, index] = (t.dataset.neuron || t.dataset.bias).split('-').map(Number);
      ctx.select({ kind: 'neuron', layer, index });
    } else {
      ctx.select({ kind: 'weight', layer: t.layer, from: t.from, to: t.to });
    }
    showEquations();
  });

  /** After a pick, bring the equations into view if they are below (or above) the screen, as on a tablet. */
  function showEquations() {
    const panel = document.querySelector('.panel-maths');
    if (!panel) return;
    const r = panel.getBoundingClientRect();
    const header = document.querySelector('.topbar');
    const top = header ? header.getBoundingClientRect().bottom : 0;
    if (r.top > window.innerHeight - 120 || r.bottom < top + 60) panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  return {
    update: (state) => draw(state),
    /** Column x positions in px relative to the root, for the per-layer controls above the diagram. */
    columns: () => (geo ? geo.xs.slice() : []),
  };
}
