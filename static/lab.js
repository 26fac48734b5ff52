/**
 * The mistake lab: train one of the seed questions' mistakes beside the correct rule and ask gradcheck about it.
 *
 * What it is for: a row of variants (names from engine/variants.py; titles and explanations from GET /api/presets,
 * `network.compare` or the gradcheck ack, whichever arrives); picking one sends `configure` with
 * {...state.config, variant, compare: true} (the correct rule alone: compare false).  It draws the correct rule's
 * loss (`snapshot.curve`) and the variant's (`snapshot.companion.curve`) side by side on one shared scale, shows
 * gradcheck's verdict per layer (`gradcheck` ack) and the variant's one-sentence explanation.
 * What it leaves out: it computes nothing; a rejected configure is shown inline as the server worded it.
 *
 * API: createLab(root, ctx) -> { update(state) }.
 * Test hooks: root [data-testid="lab"] (data-chosen = the variant shown); buttons [data-testid="lab-variant"][data-variant]
 * (aria-pressed); [data-testid="lab-explanation"]; [data-testid="lab-verdict"] (data-ok "true"|"false", per-layer
 * rows [data-layer]); [data-testid="lab-gradcheck"] (button); [data-testid="lab-status"] (data-state);
 * [data-testid="lab-chart-correct"] and [data-testid="lab-chart-variant"] (data-points, data-loss).
 */
import { HUES, drawLineChart, el, fmt, inkOf, watchWidths } from './visual-kit.js';

// The engine's variant names (engine/variants.py) with short labels for the buttons.
const VARIANTS = [
  ['correct', 'correct rule'], ['flipped-sign', 'flipped sign'], ['sigma-prime-of-activation', 'σ′(σ(z))'],
  ['output-sigma-prime-dropped', 'output σ′ dropped'], ['bias-not-summed', 'bias not summed'],
  ['one-over-epoch', 'η / epoch'], ['all-positive-init', 'all-positive init'],
];
// What a variant needs to be meaningful (the engine refuses bias-not-summed without a full batch of biases).
const NEEDS = { 'bias-not-summed': { bias: true, batch: 'full' } };

/** Text with `code` spans, as the engine writes its explanations. */
const withCode = (text) => String(text || '').split('`').map((part, k) => (k % 2 ? el('code', {}, part) : part));

export function createLab(root, ctx) {
  root.classList.add('vis-lab');
  root.setAttribute('data-testid', 'lab');
  const info = new Map(); // name -> {title, explanation, seed}
  const buttons = VARIANTS.map(([name, label]) => el('button', { type: 'button', class: 'vis-chip',
    'data-testid': 'lab-variant', 'aria-pressed': 'false', dataset: { variant: name },
    onclick: () => choose(name) }, label));
  const explanation = el('p', { class: 'vis-lab-explain', 'data-testid': 'lab-explanation' });
  const status = el('p', { class: 'vis-status', 'data-testid': 'lab-status', role: 'status' });
  const verdict = el('div', { class: 'vis-verdict', 'data-testid': 'lab-verdict', 'aria-live': 'polite' });
  const checkBtn = el('button', { type: 'button', class: 'vis-btn', 'data-testid': 'lab-gradcheck' }, 'Run gradcheck');
  const panes = ['correct', 'variant'].map((which) => {
    const canvas = el('canvas', { class: 'vis-canvas', 'aria-hidden': 'true' });
    const title = el('figcaption', {}, which === 'correct' ? 'correct rule' : 'variant');
    const figures = el('div', { class: 'vis-lab-figures' });
    const box = el('figure', { class: `vis-lab-pane vis-lab-${which}`, 'data-testid': `lab-chart-${which}` },
      title, canvas, figures);
    return { which, canvas, title, figures, box };
  });
  root.replaceChildren(
    el('div', { class: 'vis-lab-variants', role: 'group', 'aria-label': 'learning rule' }, buttons),
    status, explanation,
    el('div', { class: 'vis-lab-charts' }, panes.map((p) => p.box)),
    el('div', { class: 'vis-lab-check' }, checkBtn, verdict));

  let state = null;
  let chosen = null;
  let lastCheck = null;
  let drawnKey = [];
  let compCurve = null;
  let shownNetwork = null;

  fetch('/api/presets').then((r) => (r.ok ? r.json() : {})).then((j) => {
    for (const v of j.variants || []) info.set(v.name, v);
    if (state) show();
  }).catch(() => {});
  const chartsBox = panes[0].box.parentNode;
  const widths = watchWidths([chartsBox], () => { drawnKey = []; if (state) draw(); });

  function current(s) {
    return s?.network?.compare?.name || s?.network?.config?.variant || s?.network?.variant?.name || 'correct';
  }

  function choose(name) {
    if (!state) return;
    chosen = name;
    lastCheck = null;
    const payload = { ...state.config, ...(NEEDS[name] || {}), variant: name, compare: name !== 'correct' };
    status.dataset.state = 'pending';
    status.textContent = name === 'correct' ? 'Training the correct rule…' : 'Training both rules side by side…';
    show();
    ctx.send('configure', payload, (ack) => {
      if (ack && ack.ok === false) {
        status.dataset.state = 'error';
        status.textContent = ack.error?.message || 'the server refused this variant';
        chosen = null;
        show();
        return;
      }
      status.dataset.state = 'ok';
      status.textContent = name === 'correct' ? '' : 'Press play: both rules train in lock-step from the same start.';
      if (ctx.setState) ctx.setState({ config: { ...state.config, ...(NEEDS[name] || {}), variant: name, compare: name !== 'correct' } });
      gradcheck();
    });
  }

  function gradcheck() {
    verdict.dataset.ok = '';
    verdict.replaceChildren(el('p', { class: 'vis-muted' }, 'checking against central differences…'));
    ctx.send('gradcheck', {}, (ack) => {
      if (!ack || ack.ok === false || ack.error) {
        verdict.dataset.ok = '';
        verdict.replaceChildren(el('p', { class: 'vis-error' }, ack?.error?.message || 'gradcheck failed'));
        return;
      }
      lastCheck = ack;
      if (ack.variant?.name) info.set(ack.variant.name, { ...info.get(ack.variant.name), ...ack.variant });
      showVerdict();
      show();
    });
  }
  checkBtn.addEventListener('click', gradcheck);

  function showVerdict() {
    const c = lastCheck;
    if (!c) { verdict.replaceChildren(); delete verdict.dataset.ok; return; }
    // The server answers {ok: true (the event), passed (the verdict)}; older answers carried the verdict in ok.
    const layers = c.layers || [];
    const passed = c.passed ?? (layers.length ? layers.every((l) => l.ok) : !!c.ok);
    verdict.dataset.ok = String(!!passed);
    verdict.replaceChildren(
      el('p', { class: 'vis-verdict-head' }, el('span', { class: 'vis-badge' }, passed ? '✓ true gradient' : '✗ not the gradient'),
        ` ${c.variant?.title || ''}`),
      el('table', {}, el('tr', {}, el('th', {}, 'layer'), el('th', {}, 'weights'), el('th', {}, 'biases'), el('th', {}, '')),
        ...layers.map((l) => el('tr', { dataset: { layer: String(l.layer), ok: String(!!l.ok) } },
          el('td', {}, `W${l.layer}`), el('td', {}, fmt(l.weights, 2)), el('td', {}, l.biases === null ? '—' : fmt(l.biases, 2)),
          el('td', {}, l.ok ? '✓' : '✗')))),
      el('p', { class: 'vis-verdict-text' }, ...withCode(verdictText(c))),
      el('p', { class: 'vis-muted' }, `relative error of backprop's step against central differences; `
        + `passes below ${fmt(c.threshold ?? 1e-5, 1)}`));
  }

  /** The engine's verdict without the explanation it repeats (the explanation is shown above the charts). */
  function verdictText(c) {
    const ex = c.variant?.explanation;
    return ex && c.verdict?.includes(ex) ? c.verdict.replace(ex, '').trim() : c.verdict || '';
  }

  function show() {
    const name = chosen || current(state);
    root.dataset.chosen = name;
    buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.variant === name)));
    const v = info.get(name) || (state?.network?.compare?.name === name ? state.network.compare : null)
      || (state?.network?.variant?.name === name ? state.network.variant : null);
    for (const b of buttons) {
      const i = info.get(b.dataset.variant);
      if (i?.title) b.title = i.title + (i.seed ? ` (seed ${i.seed})` : '');
    }
    explanation.replaceChildren(...(v ? [el('b', {}, v.title || name), ` ${v.seed ? `(seed ${v.seed}) ` : ''}`,
      ...withCode(v.explanation)] : [name]));
    panes[1].title.textContent = name === 'correct' ? 'variant: pick a mistake above' : `variant: ${v?.title || name}`;
  }

  function paneFigures(p, run) {
    if (!run) { p.figures.textContent = ''; return; }
    const div = run.diverged ? ` · diverged at epoch ${run.diverged.epoch}` : '';
    const text = `epoch ${run.epoch} · loss ${fmt(run.loss)} · accuracy ${Number.isFinite(run.accuracy)
      ? `${Math.round(run.accuracy * 100)}%` : '—'}${div}`;
    if (p.figures.textContent !== text) p.figures.textContent = text;
    p.box.dataset.loss = run.loss === null || run.loss === undefined ? '' : String(run.loss);
  }

  function draw() {
    const snap = state?.snapshot;
    const comp = snap?.companion || null;
    const a = snap?.curve || null;
    if (comp?.curve) compCurve = comp.curve; // like the main curve, it comes at most ~4 times a second
    const b = comp ? compCurve : null;
    const ink = inkOf(root);
    const w = Math.max(160, ((widths.get(chartsBox) || 640) - ink.px * 1.2) / 2);
    paneFigures(panes[0], snap);
    paneFigures(panes[1], comp);
    const key = [a, b, w, ink.px];
    if (drawnKey.length && key.every((x, k) => x === drawnKey[k])) return;
    drawnKey = key;
    const curves = [a, b];
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of curves) for (const y of c?.loss || []) if (y > 0 && Number.isFinite(y)) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    const log = Number.isFinite(lo) && hi / lo > 50;
    panes.forEach((p, k) => {
      const c = curves[k];
      drawLineChart(p.canvas, ink, { width: w, height: Math.max(120, Math.min(220, w * 0.45)), log,
        yRange: Number.isFinite(lo) ? (log ? [lo, hi] : [0, hi]) : undefined,
        series: [
          // The variant's pane shows the correct rule faintly behind it, for a direct comparison.
          ...(k === 1 && a && b ? [{ name: 'correct', color: '#a9b0bd', dash: [5, 4], xs: a.epochs, ys: a.loss }] : []),
          { name: k === 0 ? 'loss' : 'variant', color: k === 0 ? HUES.blue : HUES.purple, xs: c?.epochs || [], ys: c?.loss || [] },
        ] });
      p.box.dataset.points = String(c?.epochs?.length || 0);
    });
  }

  return {
    update(next) {
      const networkChanged = next.network !== shownNetwork;  // `next` is the page's one state object, changed in place
      shownNetwork = next.network;
      state = next;
      if (networkChanged) {
        compCurve = null;
        if (chosen && current(next) === chosen) chosen = null;
        if (lastCheck && lastCheck.variant?.name !== current(next)) { lastCheck = null; showVerdict(); }
        show();
      }
      draw();
    },
  };
}
