/**
 * The mistake lab: train a common backprop mistake beside the correct rule and ask gradcheck about it.
 *
 * What it is for: a row of variants (names, labels, titles, explanations and needs from GET /api/schema, updated by
 * `network.compare` or the gradcheck ack); picking one sends `configure` with
 * {...state.config, variant, compare: true} (the correct rule alone: compare false).  It draws the correct rule's
 * loss (`snapshot.curve`) and the variant's (`snapshot.companion.curve`) side by side on one shared scale, shows
 * gradcheck's verdict per layer (`gradcheck` ack) and the variant's one-sentence explanation.
 * What it leaves out: it computes nothing; a rejected configure is shown inline as the server worded it.
 *
 * API: createLab(root, ctx) -> { update(state) }.
 * Test hooks: root [data-testid="lab"] (data-chosen = the variant shown); buttons [data-testid="lab-variant"][data-variant]
 * (aria-pressed); [data-testid="lab-explanation"]; [data-testid="lab-verdict"] (data-ok "true"|"false", per-layer
 * rows [data-layer]); [data-testid="lab-gradcheck"] (button); [data-testid="lab-status"] (data-state);
 * [data-testid="lab-chart-correct"] and [data-testid="lab-chart-variant"] (data-points, data-loss);
 * [data-testid="lab-step"] (data-cosine, data-angle, data-size-ratio: the engine's `companion.step`);
 * [data-testid="lab-lesson"]; [data-testid="lab-needs"] (what the variant changed on the main network, given back
 * when the learner picks another rule).
 * In a class, state.labCheck (the room's `lab_check`) is the verdict the teacher's check gave: a student's lab shows
 * it (a student may not run the check, nor pick a rule: classroom.css).
 */
import { HUES, el, fmt, watchWidths } from '../lib/visual-kit.js';
import { drawLineChart, inkOf } from '../lib/canvas-kit.js';
import { loadSchema } from '../core/schema.js';

/** Text with `code` spans, as the engine writes its explanations. */
const withCode = (text) => String(text || '').split('`').map((part, k) => (k % 2 ? el('code', {}, part) : part));

export function createLab(root, ctx) {
  root.classList.add('vis-lab');
  root.setAttribute('data-testid', 'lab');
  const info = new Map(); // name -> {title, label, explanation, seed, needs}: the schema's rules (engine/variants.py)
  let buttons = [];
  const row = el('div', { class: 'vis-lab-variants', role: 'group', 'aria-label': 'learning rule' });
  const needs = (name) => info.get(name)?.needs || {};  // e.g. bias-not-summed needs a full batch of biases
  const explanation = el('p', { class: 'vis-lab-explain', 'data-testid': 'lab-explanation' });
  const needsNote = el('p', { class: 'vis-muted', 'data-testid': 'lab-needs', hidden: true });
  const stepBox = el('p', { class: 'vis-lab-step', 'data-testid': 'lab-step', hidden: true });
  const lesson = el('p', { class: 'vis-muted', 'data-testid': 'lab-lesson', hidden: true },
    'A lower training loss does not make a rule correct. A step that points less than 90° away from the true '
    + 'gradient still goes downhill, and a longer one can get lower sooner on a small training set — but only the '
    + 'true gradient descends this cost, and a rule that happens to get lower here is not one to trust on the next '
    + 'network or data set.');
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
    row,
    status, explanation, needsNote,
    el('div', { class: 'vis-lab-charts' }, panes.map((p) => p.box)), stepBox, lesson,
    el('div', { class: 'vis-lab-check' }, checkBtn, verdict));

  let state = null;
  let chosen = null;
  let lastCheck = null;
  let drawnKey = [];
  let shownNetwork = null;
  let seenCheck = null;  // the class's verdict last taken from state.labCheck (classroom `lab_check`)

  loadSchema().then((schema) => {
    for (const v of schema.variants) info.set(v.name, v);
    buttons = schema.variants.map((v) => el('button', { type: 'button', class: 'vis-chip',
      'data-testid': 'lab-variant', 'aria-pressed': 'false', dataset: { variant: v.name },
      onclick: () => choose(v.name) }, v.label));
    row.replaceChildren(...buttons);
    if (state) show();
  });
  const chartsBox = panes[0].box.parentNode;
  const widths = watchWidths([chartsBox], () => { drawnKey = []; if (state) draw(); });

  function current(s) {
    return s?.network?.compare?.name || s?.network?.config?.variant || s?.network?.variant?.name || 'correct';
  }

  // Settings the current variant needed and changed (its needs), with the values they had before: given back when
  // the learner leaves that variant.  {variant, before: {key: value or undefined (the preset's own)}}
  let borrowed = null;
  const NEED_WORDS = { bias: (v) => (v ? 'biases on' : 'biases off'),
    batch: (v) => (v === 'full' ? 'the batch set to the whole training set'
      : v === 'sample' ? 'one sample at a time' : `batches of ${v}`) };
  const needWords = (needs) => Object.entries(needs).map(([k, v]) => (NEED_WORDS[k] ? NEED_WORDS[k](v) : `${k} = ${v}`));

  function choose(name) {
    if (!state) return;
    chosen = name;
    lastCheck = null;
    const base = { ...state.config };
    for (const [k, v] of Object.entries(borrowed?.before || {})) { // give back what the last variant borrowed
      if (v === undefined) delete base[k]; else base[k] = v;
    }
    const wanted = needs(name);
    const before = {};
    for (const [k, v] of Object.entries(wanted)) if (JSON.stringify(base[k]) !== JSON.stringify(v)) before[k] = base[k];
    const payload = { ...base, ...wanted, variant: name, compare: name !== 'correct' };
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
      const gaveBack = borrowed && Object.keys(borrowed.before).length ? borrowed : null;
      borrowed = Object.keys(before).length ? { variant: name, before } : null;
      status.dataset.state = 'ok';
      status.textContent = name === 'correct' ? '' : 'Press play: both rules train in lock-step from the same start.';
      if (gaveBack && !borrowed) {
        status.textContent += `${status.textContent ? ' ' : ''}Settings given back: ${needWords(
          Object.fromEntries(Object.entries(gaveBack.before).map(([k, v]) => [k, v ?? NEEDS_DEFAULT(k)])))
          .join(', ')}.`;
      }
      if (ctx.setState) ctx.setState({ config: payload });
      showNeeds();
      gradcheck();
    });
  }
  // Words for a setting given back to the preset's own value (the page's config omits a preset's defaults).
  const NEEDS_DEFAULT = (k) => state?.network?.config?.[k];

  function showNeeds() {
    const b = borrowed && borrowed.variant === (chosen || current(state)) ? borrowed : null;
    needsNote.hidden = !b;
    needsNote.textContent = b ? `For this mistake the lab changed the main network too: ${needWords(
      Object.fromEntries(Object.keys(b.before).map((k) => [k, needs(b.variant)[k]]))).join(', ')}. `
      + 'They go back when you pick another rule.' : '';
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
      if (i?.title) b.title = i.title;
    }
    explanation.replaceChildren(...(v ? [el('b', {}, v.title || name), ' ', ...withCode(v.explanation)] : [name]));
    lesson.hidden = name === 'correct';
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

  /** The engine's comparison of the variant's step with the true gradient's (`companion.step`), in words. */
  function showStep(comp) {
    const st = comp?.step;
    stepBox.hidden = !st;
    if (!st) return;
    const { cosine: c, angle: a, size_ratio: r } = st;
    const key = `${c}|${r}|${st.parts}`;
    if (stepBox.dataset.key === key) return;
    stepBox.dataset.key = key;
    stepBox.dataset.cosine = String(c);
    stepBox.dataset.angle = String(a);
    stepBox.dataset.sizeRatio = String(r);
    const size = r === null ? '' : Math.abs(r - 1) < 1e-9 ? 'the same length as' : `${fmt(r, 3)}× as long as`;
    let text;
    if (st.parts.includes('per sample')) {
      text = `Right now its step on the weights points ${c !== null && c > 1 - 1e-9 ? 'exactly along the true descent '
        + 'direction −∇C' : `${fmt(a, 3)}° away from the true descent direction −∇C`}; the mistake is in the biases: `
        + 'each training sample gets a bias step of its own, so there is no single bias left to compare.';
    } else if (c === null) text = 'Its step cannot be compared with the true gradient here (one of them is zero or not finite).';
    else if (c > 1 - 1e-9) {
      text = `Right now its step points exactly along the true descent direction −∇C and is ${size} the true step`
        + (Math.abs(r - 1) < 1e-9 ? ': the gradient is right.' : ': the direction is right, the size is not.');
    } else if (c < -1 + 1e-9) text = `Right now its step points straight uphill: 180° from −∇C, ${size} the true step.`;
    else {
      text = `Right now its step points ${fmt(a, 3)}° away from the true descent direction −∇C (cosine ${fmt(c, 3)}) `
        + `and is ${size} the true step. ${a < 90 ? 'Under 90° it still goes downhill, so its loss can fall.'
          : 'Over 90° it climbs the cost.'}`;
    }
    stepBox.textContent = text;
  }

  function draw() {
    const snap = state?.snapshot;
    const comp = snap?.companion || null;
    showStep(comp);
    const a = snap?.curve || null;
    const b = comp?.curve || null; // carried over by main.js like the main curve (wire.js: companion is nested)
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
        if (chosen && current(next) === chosen) chosen = null;
        if (borrowed && !chosen && current(next) !== borrowed.variant) borrowed = null; // left by other means
        showNeeds();
        if (lastCheck && lastCheck.variant?.name !== current(next)) { lastCheck = null; showVerdict(); }
        show();
      }
      if (next.labCheck && next.labCheck !== seenCheck) {  // a class: the verdict the teacher's check gave
        seenCheck = next.labCheck;
        if (next.labCheck.variant?.name === current(next)) { lastCheck = next.labCheck; showVerdict(); }
      }
      draw();
    },
  };
}
