/**
 * Charts: the loss and error curves of the run, accuracy, and a confusion matrix.
 *
 * What it is for: drawing `snapshot.curve` (the whole run, down-sampled by the server) on a HiDPI canvas with a
 * log-scale toggle and a hover read-out (epoch and values), a small accuracy chart, and the confusion matrix of
 * `snapshot.outputs` against `dataset.Y` (rows follow `snapshot.samples`).  The scale is logarithmic by default
 * once the loss spans more than two decades, until the student sets the switch.  The last curve is kept until the next
 * one arrives, since the server sends it at most ~4 times a second.
 * What it leaves out: no training logic, no socket events; it never computes a loss, only draws the server's.
 *
 * API: createCharts(root, ctx) -> { update(state) }.
 * The epochs where the training set changed (`curve.data_changes`: a drawing added or deleted while the run went
 * on) are dashed purple lines labelled "new data". With a test split (`curve.test_loss` not null) the held-out
 * points' loss and accuracy are drawn beside the training ones, dotted, in purple; without one they and their
 * legend key are absent.  A regression (`dataset.task === 'regression'`) has no classes: no accuracy, no confusion.
 * With "what if" branches (`state.runs`, static/whatif/runs.js) the other runs' loss and accuracy curves are drawn on the
 * same axes in their run's colour, the live run's loss in its own, and the read-out gives each run's loss.
 * Test hooks: [data-testid="loss-chart"] (data-points, data-log, data-epoch, data-hover-epoch, data-changes, data-test,
 * data-runs: "id:points" of each other run drawn),
 * [data-testid="accuracy"] (data-value), [data-testid="confusion"] cells [data-true][data-pred] holding counts.
 */
import { HUES, el, fmt, watchWidths } from '../lib/visual-kit.js';
import { ACC_SERIES, SERIES } from './chart-series.js';
import { drawLineChart, inkOf } from '../lib/canvas-kit.js';
import { sampleClass } from '../core/wire.js';
import { curveFrom, liveRun, otherSeries, othersAt, ownFrom, runColor } from '../whatif/runs.js';

const hasTest = (curve) => Array.isArray(curve?.test_loss);


/** True when the positive losses of the curve span more than a factor of 100. */
function spansDecades(curve) {
  let lo = Infinity;
  let hi = 0;
  for (const y of curve?.loss || []) if (y > 0) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
  return hi / lo > 100;
}

export function createCharts(root, ctx) {
  root.classList.add('vis-charts');
  const lossCanvas = el('canvas', { class: 'vis-canvas', 'aria-hidden': 'true' });
  const lossBox = el('div', { class: 'vis-chart', 'data-testid': 'loss-chart', role: 'img',
    'aria-label': 'loss and error per epoch' }, lossCanvas);
  const logToggle = el('input', { type: 'checkbox', class: 'vis-log-toggle' });
  const accCanvas = el('canvas', { class: 'vis-canvas', 'aria-hidden': 'true' });
  const accValue = el('span', { class: 'vis-big', 'data-testid': 'accuracy' }, '—');
  const confusion = el('div', { class: 'vis-confusion', 'data-testid': 'confusion' });
  const readout = el('div', { class: 'vis-readout', 'aria-live': 'polite' });
  // Accuracy and confusion are about classes: a regression (the server's `dataset.task`) has only its error curve.
  const classRow = el('div', { class: 'vis-charts-row' },
    el('figure', { class: 'vis-acc' },
      el('figcaption', {}, 'Accuracy ', accValue), accCanvas),
    el('figure', { class: 'vis-conf' },
      el('figcaption', {}, 'Confusion ', el('small', {}, 'rows: target · columns: predicted')), confusion));
  root.replaceChildren(
    el('div', { class: 'vis-head' },
      el('h3', {}, 'Loss'),
      el('span', { class: 'vis-legend' }, ...SERIES.map((s) => el('span', { class: 'vis-key',
        dataset: { series: s.key } }, el('i', { style: `background:${s.color}` }), s.name))),
      el('label', { class: 'vis-switch' }, logToggle, 'log scale')),
    lossBox, readout, classRow);

  let state = null;
  let curve = null;
  let network = null;
  let hoverX = null;
  let drawn = {};

  let userLog = null; // until the student chooses, the scale is log when the loss spans over two decades
  logToggle.addEventListener('change', () => { userLog = logToggle.checked; drawn = {}; draw(); });
  lossCanvas.addEventListener('pointermove', (e) => {
    hoverX = e.clientX - lossCanvas.getBoundingClientRect().left;
    draw();
  });
  lossCanvas.addEventListener('pointerleave', () => { hoverX = null; draw(); });
  const accBox = accCanvas.parentNode;
  const widths = watchWidths([lossBox, accBox], () => { drawn = {}; draw(); });

  function drawLoss(ink) {
    const log = userLog ?? spansDecades(curve);
    logToggle.checked = log;
    // The epoch marker only matters when replaying a kept epoch; live, the curve ends at the current epoch.
    const epoch = state?.snapshot?.replay ? state.snapshot.epoch : null;
    const key = [curve, log, hoverX, widths.get(lossBox), ink.px, epoch].join('|');
    if (!curve) { lossBox.dataset.points = '0'; }
    if (drawn.loss === key && drawn.curve === curve && drawn.runs === state?.runs) return;
    drawn.loss = key;
    drawn.curve = curve;
    drawn.runs = state?.runs;
    const xs = curve ? curve.epochs : [];
    const withTest = hasTest(curve);
    for (const key of root.querySelectorAll('.vis-key[data-series="test_loss"]')) key.hidden = !withTest;
    const live = liveRun(state);
    const others = otherSeries(state, 'loss');
    const series = [...others, ...SERIES.filter((s) => withTest || !s.test)
      .map((s) => ({ ...s, xs, ys: curve ? curve[s.key] || [] : [] }))
      .map((s) => (live && s.key === 'loss' && curve  // the live run's own part; its past is drawn as its parent's
        ? { ...s, color: runColor(live.id), ...curveFrom(curve, 'loss', ownFrom(state, live)) } : s))];
    for (const k of root.querySelectorAll('.vis-key[data-series="loss"] i')) {
      k.style.background = live ? runColor(live.id) : HUES.blue;
    }
    lossBox.dataset.runs = others.map((s) => `${s.run}:${s.xs.length}`).join(',');
    const w = widths.get(lossBox) || 480;
    const geom = drawLineChart(lossCanvas, ink, { width: w, height: Math.max(140, Math.min(320, w * 0.42)),
      series, log, hoverX });
    if (epoch !== null && xs.length && epoch <= geom.xmax) {
      const g = lossCanvas.getContext('2d');
      g.strokeStyle = HUES.green;
      g.lineWidth = 1.5;
      g.beginPath(); g.moveTo(geom.X(epoch), geom.m.t); g.lineTo(geom.X(epoch), geom.m.t + geom.ih); g.stroke();
    }
    drawDataChanges(lossCanvas.getContext('2d'), geom, ink, xs.length ? curve.data_changes : null);
    lossBox.dataset.points = String(xs.length);
    lossBox.dataset.test = String(withTest);
    const testText = (i) => (withTest ? `, test loss ${fmt(curve.test_loss[i])}` : '');
    lossBox.dataset.log = String(log);
    lossBox.dataset.epoch = epoch === null ? '' : String(epoch);
    const last = xs.length - 1;
    if (hoverX !== null && xs.length) {
      const e = Math.round(((hoverX - geom.m.l) / geom.iw) * geom.xmax);
      let i = 0;
      while (i < last && xs[i + 1] <= e) i++;
      if (i < last && e - xs[i] > xs[i + 1] - e) i++;
      lossBox.dataset.hoverEpoch = String(xs[i]);
      readout.textContent = `epoch ${xs[i]}: loss ${fmt(curve.loss[i])}, error ${fmt(curve.error[i])}${testText(i)}`
        + othersText(xs[i]);
    } else {
      delete lossBox.dataset.hoverEpoch;
      readout.textContent = last >= 0 ? `epoch ${xs[last]}: loss ${fmt(curve.loss[last])}, `
        + `error ${fmt(curve.error[last])}${testText(last)}${othersText(xs[last])}` : 'no epochs yet';
    }
  }

  /** Each other run's loss at the epoch nearest `epoch` (from where it left its parent), for the read-out. */
  function othersText(epoch) {
    return othersAt(state, 'loss', epoch).map((o) => ` · ${o.run.name}: loss ${fmt(o.value)} at ${o.epoch}`).join('');
  }

  /** A dashed line at each epoch where the training set changed (a drawing added or deleted), labelled. */
  function drawDataChanges(g, geom, ink, changes) {
    const shown = (changes || []).filter((e) => e > 0 && e <= geom.xmax + 1);
    lossBox.dataset.changes = shown.join(',');
    if (!shown.length) return;
    g.save();
    g.strokeStyle = HUES.purple;
    g.fillStyle = HUES.purple;
    g.lineWidth = Math.max(1.5, ink.px / 8);
    g.setLineDash([ink.px / 3, ink.px / 4]);
    g.font = `${Math.round(ink.px * 0.8)}px ${ink.family}`;
    g.textBaseline = 'top';
    for (const e of shown) {
      const x = geom.X(Math.min(e, geom.xmax));
      g.beginPath(); g.moveTo(x, geom.m.t); g.lineTo(x, geom.m.t + geom.ih); g.stroke();
      g.textAlign = x > geom.m.l + geom.iw * 0.8 ? 'right' : 'left';
      g.fillText(' new data ', x, geom.m.t + ink.px * 0.2);
    }
    g.restore();
  }

  function drawAccuracy(ink) {
    const acc = state?.snapshot?.accuracy;
    const text = Number.isFinite(acc) ? `${Math.round(acc * 1000) / 10}%` : '—';
    if (accValue.textContent !== text) accValue.textContent = text;
    accValue.dataset.value = Number.isFinite(acc) ? String(acc) : '';
    const key = [curve, widths.get(accBox), ink.px].join('|');
    if (drawn.acc === key && drawn.accCurve === curve && drawn.accRuns === state?.runs) return;
    drawn.acc = key;
    drawn.accCurve = curve;
    drawn.accRuns = state?.runs;
    const live = liveRun(state);
    const xs = curve ? curve.epochs : [];
    drawLineChart(accCanvas, ink, { width: widths.get(accBox) || 240, height: ink.px * 8,
      series: [...otherSeries(state, 'accuracy'),
        live && curve ? { name: 'accuracy', color: runColor(live.id), ...curveFrom(curve, 'accuracy', ownFrom(state, live)) }
          : { ...ACC_SERIES[0], xs, ys: curve?.accuracy || [] },
        ...(hasTest(curve) ? [{ ...ACC_SERIES[1], xs, ys: curve.test_accuracy }] : [])], yRange: [0, 1],
      yFormat: (v) => `${Math.round(v * 100)}%` });
  }

  function drawConfusion() {
    const snap = state?.snapshot;
    const ds = network?.dataset;
    if (!snap || !ds || drawn.confOutputs === snap.outputs) return;
    drawn.confOutputs = snap.outputs;
    const width_ = ds.Y[0]?.length || 1;
    const k = width_ === 1 ? 2 : width_;
    const labels = ds.labels?.length === k ? ds.labels : Array.from({ length: k }, (_, i) => String(i));
    const counts = Array.from({ length: k }, () => new Array(k).fill(0));
    const samples = snap.samples || snap.outputs.map((_, i) => i);
    samples.forEach((_, r) => {  // the server's classes: a tie (no answer) is in no cell
      const c = sampleClass(snap, r);
      if (c && !c.tie) counts[c.target][c.predicted] += 1;
    });
    const countsKey = `${labels.join()}|${counts.flat().join()}|${samples.length}`;
    if (drawn.confCounts === countsKey) return;
    drawn.confCounts = countsKey;
    const max = Math.max(1, ...counts.flat());
    const table = el('table', {},
      el('tr', {}, el('th', {}), ...labels.map((l) => el('th', { scope: 'col' }, l))),
      ...counts.map((row, t) => el('tr', {}, el('th', { scope: 'row' }, labels[t]),
        ...row.map((c, p) => el('td', { dataset: { true: String(t), pred: String(p) },
          class: t === p ? 'vis-hit' : c ? 'vis-miss' : '',
          style: `--f:${(c / max).toFixed(3)}` }, String(c))))));
    const note = samples.length < ds.n_samples ? el('small', {}, `first ${samples.length} of ${ds.n_samples}`) : null;
    confusion.replaceChildren(table, note || '');
  }

  function draw() {
    if (!root.isConnected) return;
    const ink = inkOf(root);
    drawLoss(ink);
    if (classRow.hidden) return;
    drawAccuracy(ink);
    drawConfusion();
  }

  return {
    update(next) {
      state = next;
      if (next.network !== network) {
        network = next.network;
        classRow.hidden = network?.dataset?.task === 'regression';
        curve = null;
        drawn = {};
      }
      const c = next.snapshot?.curve;
      if (c && c !== curve) curve = c;
      draw();
    },
  };
}
