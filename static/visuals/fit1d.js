/**
 * The fitted curve of a 1-D regression dataset: the data as dots, the network's output a(x) as a line.
 *
 * What it is for: drawing `dataset.points || dataset.X` (x) against `dataset.Y` (the target y) as filled dots, the
 * points a learner added (the last `dataset.added` rows) as diamonds, the held-out `network.test` points as hollow
 * dots, and `snapshot.boundary` (for a 1-D dataset: `values[i]`, the output at n evenly spaced x over
 * `extent[0]`…`extent[1]`) as the fitted curve; the caption gives the server's mean |y − a|.
 * A click on the plot adds the point (x, y) under the pointer (`add_point` `{x: [x], value: y}`, two decimals,
 * within the plot's x range and `limits.point_value`); the server answers with the grown `dataset`, the run goes on.
 * What it leaves out: it never evaluates the network; without a boundary it shows the points alone.  It hides its
 * root for datasets whose kind is not '1d'.
 *
 * API: createFit1d(root, ctx) -> { update(state) }.
 * Test hooks: [data-testid="fit1d"] (data-n = curve points, data-points = dots drawn, data-test = hollow dots,
 * data-added = diamonds drawn, data-epoch, data-plot = "left top width height" of the plotting area, as fractions
 * of the canvas);
 * [data-testid="point-status"] the answer to a click.
 */
import { addedText, planeParts, planeView } from './plane-view.js';
import { HUES, el, fmt } from '../lib/visual-kit.js';
import { fitCanvas, inkOf, ticks } from '../lib/canvas-kit.js';

export function createFit1d(root, ctx) {
  const { canvas, box, caption, addStatus } = planeParts(root, 'fit1d', 'the data and the fitted curve');
  const addRow = el('div', { class: 'vis-addrow' },
    el('span', {}, 'Click the plot to add a point (x, y) there: it joins the training set and the run goes on.'));
  root.replaceChildren(
    el('div', { class: 'vis-head' }, el('h3', {}, 'Fitted curve'),
      el('span', { class: 'vis-legend' },
        el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.blue}` }), 'targets y'),
        el('span', { class: 'vis-key' }, el('i', { style: `border:2px solid ${HUES.purple}` }), 'test points'),
        el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.vermillion}` }), 'output a(x)'))),
    box, caption, addRow, addStatus);
  const [vLo, vHi] = ctx?.schema?.limits?.point_value || [-2, 2];
  let frame = null;  // the plot's scales as last drawn: { x0, x1, y0, y1, m, w, h }
  let last = null;

  canvas.addEventListener('click', (ev) => {
    if (!frame || !last?.network?.dataset) return;
    const r = canvas.getBoundingClientRect();
    const { x0, x1, y0, y1, m, w, h } = frame;
    const px = ((ev.clientX - r.left) / r.width) * w;
    const py = ((ev.clientY - r.top) / r.height) * h;
    const at = (v, lo, hi) => Math.min(hi, Math.max(lo, Math.round(v * 100) / 100)); // two decimals, on the plot
    const x = at(x0 + ((px - m.l) / (w - m.l - m.r)) * (x1 - x0), x0, x1);
    const y = at(y1 - ((py - m.t) / (h - m.t - m.b)) * (y1 - y0), Math.max(y0, vLo), Math.min(y1, vHi));
    ctx.send('add_point', { x: [x], value: y }, (ack) => {
      addStatus.classList.toggle('vis-error', !(ack && ack.ok));
      addStatus.textContent = addedText(ack, `(x ${fmt(x, 3)}, y ${fmt(y, 3)})`, 'a target');
    });
  });

  const fitOf = (state) => (state.snapshot?.boundary?.dims === 1 ? state.snapshot.boundary : null);
  const view = planeView(root, box, '1d', (state, width) => [fitOf(state), state.network, width, inkOf(root).px],
    draw);

  function draw(state, width) {
    const ds = state.network.dataset;
    const snap = state.snapshot;
    const fit = fitOf(state);
    const ink = inkOf(root);
    const w = Math.max(200, Math.min(width || 360, 560));
    const h = Math.round(w * 0.8);
    const g = fitCanvas(canvas, w, h);
    canvas.style.width = `${w}px`;
    const [x0, x1, y0, y1] = fit?.extent || ds.extent || [-1.5, 1.5, -1.5, 1.5];
    const m = { l: ink.px * 2.4, b: ink.px * 2.6, t: 6, r: 6 };
    frame = { x0, x1, y0, y1, m, w, h };
    const sx = (x) => m.l + ((x - x0) / (x1 - x0)) * (w - m.l - m.r);
    const sy = (y) => m.t + (1 - (y - y0) / (y1 - y0)) * (h - m.t - m.b);
    box.dataset.plot = [m.l / w, m.t / h, (w - m.l - m.r) / w, (h - m.t - m.b) / h].map((v) => v.toFixed(5)).join(' ');
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
    g.font = `italic ${Math.round(ink.px * 0.8)}px ${ink.family}`;
    g.textAlign = 'right';
    g.textBaseline = 'bottom';
    g.fillText('x →', w - m.r, h - 2);  // y is named by the legend: the targets y and the output a(x)
    const rad = Math.max(3, w / 110);
    const pts = ds.points || ds.X;
    const firstAdded = pts.length - (ds.added || 0); // the learner's clicked points come last: drawn as diamonds
    const dots = (rows, ys, hollow, from = Infinity) => {
      rows.forEach((p, i) => {
        const [cx, cy] = [sx(p[0]), sy(ys[i][0])];
        g.beginPath();
        if (i >= from) {
          const d = rad * 1.6;
          g.moveTo(cx, cy - d); g.lineTo(cx + d, cy); g.lineTo(cx, cy + d); g.lineTo(cx - d, cy); g.closePath();
        } else {
          g.arc(cx, cy, rad, 0, 2 * Math.PI);
        }
        if (hollow) { g.lineWidth = 2; g.strokeStyle = HUES.purple; g.stroke(); } else {
          g.fillStyle = HUES.blue; g.fill(); g.lineWidth = i >= from ? 1.5 : 1;
          g.strokeStyle = i >= from ? '#1d2330' : '#fff'; g.stroke();
        }
      });
      return rows.length;
    };
    const nTrain = dots(pts, ds.Y, false, firstAdded);
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
    box.dataset.added = String(ds.added || 0);
    box.dataset.epoch = snap ? String(snap.epoch) : '';
    const err = snap?.error;
    const testErr = snap?.test_error;
    caption.textContent = fit
      ? `The line is the network's output a(x) at epoch ${snap.epoch}; the dots are the targets y. Mean |y − a|: `
        + `${fmt(err)} on the training points${Number.isFinite(testErr) ? `, ${fmt(testErr)} on the test points` : ''}.`
        + (ds.added ? ' Diamonds: the points you added.' : '')
      : 'The curve appears with the first snapshot.';
  }

  return {
    update(state) {
      view.update(state);
      last = state;
    },
  };
}
