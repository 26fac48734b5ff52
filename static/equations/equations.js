/**
 * The equations panel: BP1–BP4 and the update for the selected neuron or weight, typeset with KaTeX and filled
 * with the live numbers of the current snapshot (or, in step-sample mode, the trace).
 *
 * What it is for: one card per equation (forward, BP1 or BP2, BP3, BP4, update), each with the symbolic rule, the
 * same rule with numbers, and one or two sentences in plain words.  A layout switch shows the row
 * (A W) and column (W x) forms; a small grid of ∂C/∂Wˡ shows they hold the same numbers, transposed (click a cell
 * to select that weight).  KaTeX is imported lazily and re-typesets only the lines whose TeX changed, at most
 * ~10 times a second, from a cache of its HTML by TeX string when that line was typeset before.  Without a selection it explains the first output neuron.
 * What it leaves out: the maths lives in equations-model.js (numbers) and equations-tex.js (TeX); this module only
 * owns the DOM under its root.
 *
 * API: createEquations(root, ctx) -> { update(state) }; uses ctx.setState({layout}) / ctx.setState({sample}) and
 * ctx.select({kind: 'weight', …}).
 * Test hooks: root [data-testid="equations"] (data-target, data-mode, data-sample, data-layout, data-rendered =
 * render count, data-render-ms = the last render's duration);
 * every number is a [data-eq][data-value] element, data-eq in {w, grad_w, delta, a_prev, z, a, sigma_prime, eta,
 * w_new, b, grad_b, b_new, y, grad_a, …}; cards [data-card="forward"|"bp1"|"bp2"|"bp3"|"bp4"|"update"]
 * (data-active when the step-sample phase is at that card); [data-testid="layout-toggle"]; [data-testid="grad-grid"];
 * in the update card, [data-testid="set-weight"] the "set this weight (bias) to …" editor: its input
 * [data-testid="set-weight-input"] sends `set_weight`, and [data-testid="set-weight-status"] shows the answer
 * (the server's error, naming the field and the range, when it refuses).
 *
 * Projector mode shows one card at a time: [data-testid="eq-tabs"] lists the cards (buttons [data-tab="<card>"],
 * aria-selected on the shown one, data-active during the matching step-sample phase). Beside the data panel one
 * card is shown from the start (root data-beside = the card; the card carries data-shown): the learner's, or until
 * they pick one the card of what the network is doing (the step-sample phase's, else BP1 — defaultCard). A tab
 * opens its card large (root data-open = the card) and the panel takes the data panel's place (css/panels.css), so
 * the card, its numbers and its words fit a 1280×720 screen; [data-tab=""] ("◂ data") gives the place back and
 * the card stays beside the data. During step sample the shown card follows the phase. Outside projector mode the
 * list is hidden and every card is shown, one under the other.
 */
import { equationValues } from './equations-model.js';
import { equationCards, targetLabel } from './equations-tex.js';
import { diverging, el, fmt, fmtInt, rgb } from '../lib/visual-kit.js';

const KATEX_URL = new URL('../vendor/katex/katex.mjs', import.meta.url).href;
const KATEX_CSS = new URL('../vendor/katex/katex.min.css', import.meta.url).href;
const MIN_INTERVAL_MS = 100;
const PHASE_CARDS = { forward: ['forward'], loss: ['bp1'], backward: ['bp1', 'bp2', 'bp3', 'bp4'], update: ['update'] };
const MAX_GRID_CELLS = 640;

let katexPromise = null;
const KATEX_OPTIONS = { throwOnError: false, strict: false, output: 'html', displayMode: false,
  trust: (c) => c.command === '\\htmlData' || c.command === '\\htmlClass' };
/* KaTeX's HTML by TeX string (the last TYPESET_CACHE lines, shared by every card): a line seen before — the symbolic
   rules, a sample or an epoch looked at again, a layout switched back, a paused network — costs no typesetting. */
const TYPESET_CACHE = 400;
const typesetCache = new Map();
function loadKatex() {
  katexPromise ??= import(KATEX_URL).then((m) => m.default || m).catch(() => null);
  return katexPromise;
}

/** Without KaTeX: the TeX source, with each \htmlData number turned into a real span. */
/** The card shown beside the data until the learner opens one: the step-sample phase's card, else the output
    error (BP1, or BP2 for a hidden neuron), else the first. */
export function defaultCard(cards, active) {
  const usable = cards.filter((k) => !k.idle);
  const pick = (ids) => usable.find((k) => ids.includes(k.id))?.id;
  return pick([...active]) ?? pick(['bp1']) ?? pick(['bp2']) ?? usable[0]?.id ?? cards[0]?.id ?? null;
}

function plainRender(tex, node) {
  node.replaceChildren();
  const re = /\\htmlData\{eq=([\w]+), value=([^,}]*)(?:, index=(\d+))?\}\{((?:[^{}]|\{[^{}]*\})*)\}/g;
  let last = 0;
  for (const m of tex.matchAll(re)) {
    node.append(tex.slice(last, m.index));
    const text = m[4].replace(/\\mathrm\{e\}\{(-?\d+)\}/, 'e$1').replace(/-/g, '\u2212');  // as fmt prints it
    const span = el('span', { dataset: { eq: m[1], value: m[2] } }, text);
    if (m[3]) span.dataset.index = m[3];
    node.append(span);
    last = m.index + m[0].length;
  }
  node.append(tex.slice(last));
}

export function createEquations(root, ctx) {
  root.classList.add('vis-equations');
  root.setAttribute('data-testid', 'equations');
  const title = el('h3', { class: 'vis-eq-title' });
  const meta = el('span', { class: 'vis-eq-meta' });
  const prev = el('button', { type: 'button', class: 'vis-btn vis-small', 'aria-label': 'previous sample', 'data-testid': 'eq-prev-sample' }, '◀');
  const next = el('button', { type: 'button', class: 'vis-btn vis-small', 'aria-label': 'next sample', 'data-testid': 'eq-next-sample' }, '▶');
  const layoutBtn = el('button', { type: 'button', class: 'vis-btn vis-layout', 'data-testid': 'layout-toggle',
    'aria-pressed': 'false' }, 'Row layout: Z = A W + b');
  const body = el('div', { class: 'vis-eq-cards' });
  const gridBox = el('figure', { class: 'vis-grad', 'data-testid': 'grad-grid' });
  const tabs = el('div', { class: 'vis-eq-tabs', role: 'tablist', 'aria-label': 'Equation cards', 'data-testid': 'eq-tabs' });
  root.replaceChildren(
    el('div', { class: 'vis-head vis-eq-head' }, title, el('span', { class: 'vis-eq-sample' }, prev, meta, next), layoutBtn),
    tabs, body, gridBox);
  root.append(el('link', { rel: 'stylesheet', href: KATEX_CSS }));

  // Editing a weight or bias by hand (as in TensorFlow Playground): the server's `set_weight`, then its snapshot.
  const setWhat = el('span', {});
  const setInput = el('input', { type: 'text', inputmode: 'decimal', class: 'vis-setw-input', size: 9,
    'data-testid': 'set-weight-input' });
  const setStatus = el('p', { class: 'vis-note', 'data-testid': 'set-weight-status', 'aria-live': 'polite' });
  const setForm = el('form', { class: 'vis-setw', 'data-testid': 'set-weight' },
    el('label', {}, setWhat, ' ', setInput), ' ',
    el('button', { type: 'submit', class: 'vis-btn vis-small', 'data-testid': 'set-weight-button' }, 'Set'), setStatus);
  let setTarget = null; // {payload (without value), name}
  setForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!setTarget) return;
    const text = setInput.value.trim();
    const number = text === '' ? NaN : Number(text);
    const target = setTarget;
    // Not a number: the text itself goes, so the server's refusal quotes what was typed.
    ctx.send('set_weight', { ...target.payload, value: Number.isFinite(number) ? number : text }, (ack) => {
      const ok = !!(ack && ack.ok);
      setStatus.classList.toggle('vis-error', !ok);
      setStatus.textContent = ok
        ? `${target.name} set to ${fmt(number)} at epoch ${fmtInt(ack.epoch)}; every view now shows `
          + 'what the network does with it, and training goes on from it.'
        : ack?.error?.message || 'the value was not set';
    });
  });

  /** The editor in the update card for a selected weight, or a neuron's bias; hidden otherwise. */
  function placeEditor(v) {
    const t = v.target;
    const card = cardNodes.get('update');
    const weight = t.kind === 'weight';
    if (!card || !v.update || t.l < 1 || (!weight && !v.bias)) { setForm.remove(); setTarget = null; return; }
    const key = weight ? `w:${t.l - 1}:${t.i}:${t.j}` : `b:${t.l - 1}:${t.j}`;
    if (setTarget?.key !== key) {
      const name = weight ? `w${t.l} from ${t.i + 1} to ${t.j + 1}` : `b${t.l} of neuron ${t.j + 1}`;
      setTarget = { key, name, payload: weight ? { layer: t.l - 1, row: t.i, col: t.j } : { layer: t.l - 1, bias: t.j } };
      setWhat.textContent = `Set this ${weight ? 'weight' : 'bias'} to`;
      setInput.setAttribute('aria-label', `set ${name} to`);
      setInput.value = '';
      setStatus.textContent = '';
    }
    setInput.placeholder = fmt(weight ? v.update.w : v.update.b);
    if (setForm.parentNode !== card.node) card.node.append(setForm);
  }

  let state = null;
  let inputs = [];
  let katex = null;
  let lastRender = 0;
  let timer = null;
  let renders = 0;
  let shownPhase = null;
  let shownTarget = null;
  let open = null;  // projector mode: the card the learner opened (large, or beside the data after "◂ data"), or null
  let large = false;  // projector mode: the open card has taken the data panel's place
  let tabsKey = '';
  const cardNodes = new Map(); // id -> {node, lines: {sym, num, extra}, tex: {…}}
  let gridKey = [];

  loadKatex().then((k) => { katex = k; cardNodes.forEach((c) => { c.tex = {}; }); render(); });

  layoutBtn.addEventListener('click', () => ctx.setState({ layout: state?.layout === 'column' ? 'row' : 'column' }));
  const stepSample = (dir) => {
    const rows = state?.snapshot?.samples || [];
    if (!rows.length) return;
    const k = Math.max(0, rows.indexOf(state.sample ?? rows[0]));
    ctx.setState({ sample: rows[(k + dir + rows.length) % rows.length] });
  };
  tabs.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-tab]');
    if (!b) return;
    if (b.dataset.tab) open = b.dataset.tab;  // "◂ data" keeps the learner's card open, beside the data
    large = !!b.dataset.tab;
    render();
  });
  prev.addEventListener('click', () => stepSample(-1));
  next.addEventListener('click', () => stepSample(1));

  function typeset(node, tex) {
    if (!tex) { node.replaceChildren(); return; }
    if (katex) {
      let html = typesetCache.get(tex);
      if (html === undefined) {
        try {
          html = katex.renderToString(tex, KATEX_OPTIONS);
        } catch { html = null; /* the plain rendering below */ }
        if (typesetCache.size >= TYPESET_CACHE) typesetCache.delete(typesetCache.keys().next().value);
      } else typesetCache.delete(tex);  // refreshed: the oldest line goes first
      typesetCache.set(tex, html);
      if (html !== null) { node.innerHTML = html; return; }
    }
    plainRender(tex, node);
  }

  function cardNode(card) {
    let c = cardNodes.get(card.id);
    if (!c) {
      const lines = { symLoss: el('div', { class: 'vis-tex vis-given' }), sym: el('div', { class: 'vis-tex vis-sym' }),
        sym2: el('div', { class: 'vis-tex vis-sym' }), num: el('div', { class: 'vis-tex vis-num' }), extra: el('div', { class: 'vis-tex vis-num' }) };
      const tag = el('span', { class: 'vis-tag' });
      const head = el('h4', {}, tag, el('span', {}));
      const note = el('p', { class: 'vis-note', hidden: true });
      const warn = el('p', { class: 'vis-warn', role: 'status', hidden: true });
      const node = el('section', { class: 'vis-card', dataset: { card: card.id } }, head, lines.symLoss, lines.sym,
        lines.sym2, lines.extra, lines.num, note, warn);
      c = { node, lines, tag, head, note, warn, tex: {}, html: {} };
      cardNodes.set(card.id, c);
    }
    return c;
  }

  function setHtml(c, key, node, html) {
    if (c.html[key] === html) return;
    c.html[key] = html;
    node.innerHTML = html || '';
    node.hidden = !html;
  }

  function drawGrid(v) {
    const t = v.target;
    const g = (v.mode === 'trace' ? state.trace : state.snapshot)?.gradients?.weights?.[t.l - 1];  // same names in both
    const key = [g, v.layout, t.kind, t.i, t.j, t.l];
    if (gridKey.length && key.every((x, k) => x === gridKey[k])) return;
    gridKey = key;
    if (!g || t.l === 0 || g.length * g[0].length > MAX_GRID_CELLS) { gridBox.replaceChildren(); gridBox.hidden = true; return; }
    gridBox.hidden = false;
    const col = v.layout === 'column';
    const [nIn, nOut] = [g.length, g[0].length];
    const [rows, cols] = col ? [nOut, nIn] : [nIn, nOut];
    const max = Math.max(1e-12, ...g.flat().map((x) => Math.abs(x ?? 0)));
    const cells = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [i, j] = col ? [c, r] : [r, c];
        const x = g[i][j];
        const sel = t.kind === 'weight' && i === t.i && j === t.j;
        const into = t.kind === 'neuron' && j === t.j; // the weights into the selected neuron
        cells.push(el('button', { type: 'button', class: `vis-gcell${sel ? ' vis-sel' : ''}${into ? ' vis-into' : ''}`,
          title: `∂C/∂w from ${i + 1} to ${j + 1} = ${fmt(x)}`, style: `background:${rgb(diverging(-(x ?? 0) / max))}`,
          dataset: { from: String(i), to: String(j) },
          onclick: () => ctx.select({ kind: 'weight', layer: t.l - 1, from: i, to: j }) }));
      }
    }
    const cell = Math.max(0.55, Math.min(1.5, 14 / rows, 24 / cols));
    const grid = el('div', { class: 'vis-gmat', style: `--cols:${cols};--cell:${cell.toFixed(2)}em` }, cells);
    gridBox.replaceChildren(
      el('figcaption', {}, el('b', {}, `∂C/∂W${t.l}`), ` as stored in ${col ? 'column' : 'row'} layout: `,
        `${rows} × ${cols} (${col ? 'rows = neurons of layer ' + t.l : 'rows = inputs from layer ' + (t.l - 1)}). `,
        el('span', { class: 'vis-muted' }, 'Colour: the step −η ∂C/∂w — blue raises the weight, orange lowers it. Click a cell to select that weight.')),
      grid);
  }

  /** Projector mode's card list: one button per card (the shown one pressed), and "◂ data" while one is large.
      A card is always shown: the learner's, or else the one for what the network is doing. */
  function drawTabs(cards, active) {
    if (open && !cards.some((k) => k.id === open)) open = cards[0]?.id ?? null;  // a neuron has no BP4 card
    const shown = open ?? defaultCard(cards, active);
    const key = `${cards.map((k) => `${k.id}:${k.tag}:${k.title}`).join('|')}`;
    if (key !== tabsKey) {
      tabsKey = key;
      tabs.replaceChildren(el('span', { class: 'vis-eq-tabs-say' }, 'Open a card:'),
        el('button', { type: 'button', class: 'vis-btn vis-eq-back', dataset: { tab: '' } }, '◂ data'),
        ...cards.map((k) => el('button', { type: 'button', role: 'tab', class: 'vis-btn vis-eq-tab', dataset: { tab: k.id },
          title: `${k.tag}: ${k.title}`, 'aria-label': `${k.tag}: ${k.title}` }, k.tag)));
    }
    const big = large && !!open;
    tabs.firstChild.hidden = big;
    for (const b of tabs.querySelectorAll('[data-tab]')) {
      if (!b.dataset.tab) { b.hidden = !big; continue; }
      b.setAttribute('aria-selected', String(b.dataset.tab === shown));
      b.toggleAttribute('data-active', active.has(b.dataset.tab));
    }
    for (const [id, c] of cardNodes) c.node.toggleAttribute('data-shown', id === shown);
    if (big) root.dataset.open = open; else delete root.dataset.open;
    if (!big && shown) root.dataset.beside = shown; else delete root.dataset.beside;
  }

  function render() {
    timer = null;
    if (!state) return;
    lastRender = performance.now();
    const v = equationValues(state);
    if (v.empty) {
      title.textContent = v.empty;
      body.replaceChildren();
      cardNodes.clear();
      tabs.replaceChildren();
      tabsKey = '';
      delete root.dataset.open;
      delete root.dataset.beside;
      gridBox.hidden = true;
      gridKey = [];
      return;
    }
    const { title: t, cards } = equationCards(v);
    title.textContent = t;
    const label = targetLabel(v);
    meta.textContent = v.mode === 'trace'
      ? `step: sample ${v.sample + 1}${label ? ` (target ${label})` : ''} · epoch ${v.epoch}`
      : `sample ${v.sample + 1} of ${v.n}${label ? ` (target ${label})` : ''} · epoch ${v.epoch}`;
    prev.hidden = next.hidden = v.mode === 'trace' || v.rows.length < 2;
    const col = v.layout === 'column';
    layoutBtn.textContent = col ? 'Column layout: z = W x + b' : 'Row layout: Z = A W + b';
    layoutBtn.setAttribute('aria-pressed', String(col));
    root.dataset.target = v.target.kind === 'weight' ? `w:${v.target.l - 1}:${v.target.i}:${v.target.j}` : `n:${v.target.l}:${v.target.j}`;
    root.dataset.mode = v.mode;
    root.dataset.sample = String(v.sample);
    root.dataset.layout = v.layout;
    const active = new Set(v.mode === 'trace' ? PHASE_CARDS[state.phase] || [] : []);
    const nodes = cards.map((card) => {
      const c = cardNode(card);
      c.tag.textContent = card.tag;
      c.head.lastChild.textContent = card.title;
      for (const key of ['symLoss', 'sym', 'sym2', 'num', 'extra']) {
        const tex = card[key] || '';
        if (c.tex[key] !== tex) { c.tex[key] = tex; typeset(c.lines[key], tex); c.lines[key].hidden = !tex; }
      }
      setHtml(c, 'note', c.note, card.note);
      setHtml(c, 'warn', c.warn, card.warn);
      c.node.toggleAttribute('data-active', active.has(card.id) && !card.idle);
      return c.node;
    });
    if (nodes.length !== body.children.length || nodes.some((n, k) => body.children[k] !== n)) body.replaceChildren(...nodes);
    if (state.phase !== shownPhase && open && active.size) open = cards.find((k) => active.has(k.id) && !k.idle)?.id ?? open;
    drawTabs(cards, active);
    for (const [id, c] of cardNodes) if (!cards.some((k) => k.id === id)) { cardNodes.delete(id); c.node.remove(); }
    drawGrid(v);
    placeEditor(v);
    if (state.phase !== shownPhase) { // keep the card of the current step-sample phase on screen
      shownPhase = state.phase;
      const first = nodes.find((n) => n.hasAttribute('data-active'));
      const box = first && first.closest('.panel-body');  // scroll the panel if it scrolls; never the page
      if (box && box.scrollHeight > box.clientHeight + 1) {
        box.scrollTo({ top: first.offsetTop - box.offsetTop - 8, behavior: 'smooth' });
      }
    }
    if (root.dataset.target !== shownTarget) { // a pick (a weight chip under the card): the card back into view
      shownTarget = root.dataset.target;
      const box = root.dataset.beside && root.closest('.panel-body');
      const above = box ? tabs.getBoundingClientRect().top - box.getBoundingClientRect().top : 0;
      if (above < 0) box.scrollTo({ top: box.scrollTop + above - 8, behavior: 'smooth' });  // the panel; never the page
    }
    renders += 1;
    root.dataset.rendered = String(renders);
    root.dataset.renderMs = (performance.now() - lastRender).toFixed(1);
  }

  return {
    update(next_) {
      const key = [next_.network, next_.snapshot, next_.trace, next_.phase, next_.selection, next_.sample, next_.layout];
      state = next_;
      if (inputs.length && key.every((x, k) => x === inputs[k])) return;
      inputs = key;
      const wait = MIN_INTERVAL_MS - (performance.now() - lastRender);
      if (wait <= 0 && timer === null) render();
      else if (timer === null) timer = setTimeout(render, Math.max(0, wait));
    },
  };
}
