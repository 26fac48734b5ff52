/**
 * What the two data views of a point set share (the 2-D heatmap, static/visuals/heatmap.js, and the 1-D fitted curve,
 * static/visuals/fit1d.js): when to redraw, the value scale of a regression, and the answer to a click that adds a point.
 *
 * - `planeView(root, box, kind, inputs, paint)`: hides `root` unless the server's dataset is of `kind`; calls
 *   `paint(state, width)` when `inputs(state, width)` (an array compared item by item) changed, or the box's
 *   width did. Returns { update(state), redraw() }.
 * - `valueScale(network)`: the half-width R of a regression's colour scale, −R … R around 0, from the server's
 *   targets (training and test, added points included), rounded up to a half.
 * - `planeParts(root, testid, label)`: the elements both start with: the canvas in its box (the test hook), the
 *   caption, and the line that answers a click ([data-testid="point-status"]).
 * - `addedText(ack, where, what)`: the sentence under the view after an `add_point` answer.
 * Nothing here evaluates the network or decides the task: `dataset.task` and `dataset.kind` are the server's.
 */
import { el, fmtInt, watchWidths } from '../lib/visual-kit.js';

export function planeView(root, box, kind, inputs, paint) {
  let key = null;
  let last = null;
  const widths = watchWidths([box], () => { key = null; if (last) draw(last); });
  function draw(state) {
    const active = state.network?.dataset?.kind === kind;
    root.hidden = !active;
    if (!active) return;
    const width = widths.get(box);
    const now = inputs(state, width);
    if (key && now.every((x, i) => x === key[i])) return;
    key = now;
    paint(state, width);
  }
  return {
    update(state) {
      draw(state);
      last = state;
    },
    redraw() {
      key = null;
      if (last) draw(last);
    },
  };
}

export function valueScale(network) {
  let m = 0;
  for (const Y of [network?.dataset?.Y, network?.test?.Y]) {
    for (const row of Y || []) if (Number.isFinite(row[0])) m = Math.max(m, Math.abs(row[0]));
  }
  return Math.max(0.5, Math.ceil(m * 2 - 1e-9) / 2);
}

export function addedText(ack, where, what) {
  return ack && ack.ok
    ? `Added ${where} as ${what}: ${ack.samples} training points (${ack.added} added by you); the run goes on `
      + `from epoch ${fmtInt(ack.epoch)}.`
    : ack?.error?.message || 'the point was not added';
}

export function planeParts(root, testid, label) {
  root.classList.add('vis-heatmap');
  const canvas = el('canvas', { class: 'vis-canvas', 'aria-hidden': 'true' });
  canvas.style.cursor = 'crosshair';  // a click adds a point
  return {
    canvas,
    box: el('div', { class: 'vis-heatbox', 'data-testid': testid, role: 'img', 'aria-label': label }, canvas),
    caption: el('p', { class: 'vis-caption' }),
    addStatus: el('p', { class: 'vis-note', 'data-testid': 'point-status', 'aria-live': 'polite' }),
  };
}
