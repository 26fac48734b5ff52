/**
 * The fitted curve of a 1-D regression dataset (`sine`): the data as dots, the network's output a(x) as a line.
 *
 * What it is for: drawing `dataset.points || dataset.X` (x) against `dataset.Y` (y) as filled dots, the held-out
 * `network.test` points as hollow dots, and `snapshot.boundary` (for a 1-D dataset: `values[i]`, the output at n
 * evenly spaced x over `extent[0]`…`extent[1]`) as the fitted curve.
 * What it leaves out: it never evaluates the network; without a boundary it shows the points alone.  It hides its
 * root for datasets whose kind is not '1d'.
 *
 * API: createFit1d(root, ctx) -> { update(state) }.
 * Test hooks: [data-testid="fit1d"] (data-n = curve points, data-points = dots drawn, data-test = hollow dots,
 * data-epoch).
 */
import { HUES, el, fitCanvas, fmt, inkOf, ticks, watchWidths } from './visual-kit.js';

export function createFit1d(root) {
  root.classList.add('vis-heatmap');
  const canvas = el('canvas', { class: 'vis-canvas', 'aria-hidden': 'true' });
  const box = el('div', { class: 'vis-heatbox', 'data-testid': 'fit1d', role: 'img',
    'aria-label': 'the data and the fitted curve' }, canvas);
  const caption = el('p', { class: 'vis-caption' });
  root.replaceChildren(
    el('div', { class: 'vis-head' }, el('h3', {}, 'Fitted curve'),
      el('span', { class: 'vis-legend' },
        el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.blue}` }), 'training points'),
        el('span', { class: 'vis-key' }, el('i', { style: `border:2px solid ${HUES.purple}` }), 'test points'),
        el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.vermillion}` }), 'a(x)'))),
    box, caption);
  let key = null;
  let last = null;
  const widths = watchWidths([box], () => { key = null; if (last) draw(last); });

  function draw(state) {
    const ds = state.network?.dataset;
    const snap = state.snapshot;
    const active = ds?.kind === '1d';
    root.hidden = !active;
    if (!active) return;
    const fit = snap?.boundary?.dims === 1 ? snap.boundary : null;
    const ink = inkOf(root);
    const w = Math.max(200, Math.min(widths.get(box) || 360, 560));
    const h = Math.round(w * 0.8);
    const inputs = [fit, state.network, w, ink.px];
    if (key && inputs.every((x, i) => x === key[i])) return;
    key = inputs;
    const g = fitCanvas(canvas, w, h);
    canvas.style.width = `${w}px`;
    const [x0, x1, y0, y1] = fit?.extent || ds.extent || [-1.5, 1.5, -1.5, 1.5];
    const m = { l: ink.px * 2.4, b: ink.px * 1.6, t: 6, r: 6 };
    const sx = (x) => m.l + ((x - x0) / (x1 - x0)) * (w - m.l - m.r);
    const sy = (y) => m.t + (1 - (y - y0) / (y1 - y0)) * (h - m.t - m.b);
    g.clearRect(0, 0, w, h);
    g.font = `${Math.round(ink.px * 0.75)}px ${ink.family}`;
    g.fillStyle = ink.muted;
    g.strokeStyle = ink.grid;
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const t of ticks(y0, y1, 5, false)) {
      g.beginPath(); g.moveTo(m.l, sy(t)); g.lineTo(w - m.r, sy(t)); g.stroke();
      g.fillText(fmt(t, 3), m.l - 4, sy(t));
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (const t of ticks(x0, x1, 6, false)) g.fillText(fmt(t, 3), sx(t), h - m.b + 3);
    const rad = Math.max(3, w / 110);
    const dots = (rows, ys, hollow) => {
      rows.forEach((p, i) => {
        g.beginPath();
        g.arc(sx(p[0]), sy(ys[i][0]), rad, 0, 2 * Math.PI);
        if (hollow) { g.lineWidth = 2; g.strokeStyle = HUES.purple; g.stroke(); } else {
          g.fillStyle = HUES.blue; g.fill(); g.lineWidth = 1; g.strokeStyle = '#fff'; g.stroke();
        }
      });
      return rows.length;
    };
    const nTrain = dots(ds.points || ds.X, ds.Y, false);
    const test = state.network.test;
    const nTest = test ? dots(test.points || test.X, test.Y, true) : 0;
    if (fit) {
      g.strokeStyle = HUES.vermillion;
      g.lineWidth = Math.max(2, ink.px * 0.18);
      g.beginPath();
      fit.values.forEach((v, i) => {
        const x = x0 + (i / (fit.n - 1)) * (x1 - x0);
        if (v === null) return;
        if (i === 0) g.moveTo(sx(x), sy(v)); else g.lineTo(sx(x), sy(v));
      });
      g.stroke();
    }
    box.dataset.n = fit ? String(fit.n) : '0';
    box.dataset.points = String(nTrain);
    box.dataset.test = String(nTest);
    box.dataset.epoch = snap ? String(snap.epoch) : '';
    const err = snap?.error;
    const testErr = snap?.test_error;
    caption.textContent = fit
      ? `The line is the network's output a(x) at epoch ${snap.epoch}; the dots are the targets y. Mean |y − a|: `
        + `${fmt(err)} on the training points${Number.isFinite(testErr) ? `, ${fmt(testErr)} on the test points` : ''}.`
      : 'The curve appears with the first snapshot.';
  }

  return {
    update(state) {
      draw(state);
      last = state;
    },
  };
}
