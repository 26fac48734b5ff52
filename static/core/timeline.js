/**
 * The timeline scrubber: a range over every epoch of the run, with the loss curve drawn faintly behind it and,
 * as on the loss chart, a purple dashed mark at each epoch where the training set changed (`curve.data_changes`).
 * Dragging sends `seek` (throttled) and the server answers the kept snapshot at or before that epoch; "live"
 * returns to the newest epoch. It reads the page state and calls ctx.actions.seek; nothing else.
 * Test hooks: [data-testid="timeline"] the range; .tl-curve's data-changes = the marked epochs, comma-separated.
 */
import { HUES, fmtInt } from '../lib/visual-kit.js';

export const THUMB = 14;  // px: the range's thumb (css/controls.css); its centre runs from THUMB/2 to width − THUMB/2

export function createTimeline(root, ctx) {
  root.innerHTML = `
    <span class="field-label">Timeline</span>
    <div class="tl-track" data-field="epoch">
      <canvas class="tl-curve" aria-hidden="true"></canvas>
      <input type="range" min="0" max="0" step="1" value="0" data-testid="timeline" aria-label="Replay an epoch">
    </div>
    <span class="tl-label num"></span>
    <button type="button" class="pill ghost tl-live" title="Back to the newest epoch">live</button>
    <span class="field-error" data-error-for="epoch" role="alert" hidden></span>
    <span class="tl-notice" data-testid="step-notice" role="status" hidden></span>`;
  const input = root.querySelector('input');
  const canvas = root.querySelector('canvas');
  const label = root.querySelector('.tl-label');
  const liveBtn = root.querySelector('.tl-live');
  const notice = root.querySelector('.tl-notice');
  let dragging = false;
  let lastSent = 0;
  let timer = null;
  let drawnCurve = null;
  let last = null;

  function seekNow() {
    timer = null;
    lastSent = performance.now();
    ctx.actions.seek(Number(input.value));
  }
  input.addEventListener('pointerdown', () => { dragging = true; });
  window.addEventListener('pointerup', () => { dragging = false; });
  input.addEventListener('input', () => {
    const wait = 90 - (performance.now() - lastSent);
    if (timer) return;
    if (wait <= 0) seekNow(); else timer = setTimeout(seekNow, wait);
  });
  input.addEventListener('change', () => { if (timer) clearTimeout(timer); seekNow(); });
  liveBtn.addEventListener('click', () => { if (last) ctx.actions.seek(last.maxEpoch); });

  const MARK = HUES.purple;  // the loss chart's colour for a change of the training set (charts.js)

  /** The kept curve, plus the live snapshot's point when the curve has not caught up with it yet. */
  function withLive(curve, snap, live) {
    if (!curve || !snap || !live || !Number.isFinite(snap.loss)) return curve;
    const n = curve.epochs.length;
    if (n && curve.epochs[n - 1] >= snap.epoch) return curve;
    return { ...curve, epochs: [...curve.epochs, snap.epoch], loss: [...curve.loss, snap.loss] };
  }

  // The canvas's CSS size, kept by a ResizeObserver: reading clientWidth after the frame's other writes would force
  // a layout in the middle of every frame.
  let size = { w: 0, h: 0 };
  new ResizeObserver(([e]) => {
    size = { w: Math.round(e.contentRect.width), h: Math.round(e.contentRect.height) };
    if (last) { canvas.__k = null; drawCurve(withLive(drawnCurve, last.snapshot, last.live), last.maxEpoch || 0); }
  }).observe(canvas);

  function drawCurve(curve, max) {
    const { w, h } = size;
    if (!w || !h) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);  // resizing reallocates: only on change
    if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    if (!curve || !curve.epochs || curve.epochs.length < 2 || !max) { delete canvas.dataset.changes; return; }
    const ys = curve.loss.map((v) => (v > 0 ? Math.log10(v) : null));
    const ok = ys.filter((v) => v !== null);
    const lo = Math.min(...ok);
    const hi = Math.max(...ok);
    g.beginPath();
    curve.epochs.forEach((e, k) => {
      if (ys[k] === null) return;
      const x = THUMB / 2 + ((w - THUMB) * e) / max;  // under the thumb's centre at that epoch
      const y = 2 + (h - 4) * (hi === lo ? 0.5 : (hi - ys[k]) / (hi - lo));
      if (k === 0 || ys[k - 1] === null) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.strokeStyle = 'rgba(8, 119, 189, .55)';
    g.lineWidth = 1.5;
    g.stroke();
    drawDataChanges(g, curve.data_changes, max, w, h);
  }

  /** The epochs where the training set changed, where the thumb stands at that epoch. */
  function drawDataChanges(g, changes, max, w, h) {
    const shown = (changes || []).filter((e) => e > 0 && e <= max);
    canvas.dataset.changes = shown.join(',');
    if (!shown.length) return;
    g.save();
    g.strokeStyle = MARK;
    g.lineWidth = 2;
    g.setLineDash([3, 2]);
    for (const e of shown) {
      const x = Math.round(THUMB / 2 + ((w - THUMB) * e) / max) + 0.5;
      g.beginPath(); g.moveTo(x, 0); g.lineTo(x, h); g.stroke();
    }
    g.restore();
  }

  return {
    update(state) {
      last = state;
      const max = state.maxEpoch || 0;
      const epoch = state.snapshot ? state.snapshot.epoch : 0;
      if (input.max !== String(max)) input.max = String(max);
      if (!dragging && input.value !== String(epoch)) input.value = String(epoch);
      const txt = state.live ? `epoch ${fmtInt(epoch)} · live` : `epoch ${fmtInt(epoch)} of ${fmtInt(max)} · replay`;
      if (label.textContent !== txt) label.textContent = txt;
      root.classList.toggle('replaying', !state.live);
      if (notice.textContent !== (state.notice || '')) notice.textContent = state.notice || '';
      notice.hidden = !state.notice;
      liveBtn.hidden = state.live;
      const kept = state.snapshot && state.snapshot.curve ? state.snapshot.curve : state.curve;
      const key = `${kept ? kept.epochs.length : 0}|${kept?.data_changes}|${max}|${size.w}x${size.h}|${state.live && state.snapshot ? state.snapshot.epoch : ''}`;
      if (kept !== drawnCurve || key !== canvas.__k) {
        drawnCurve = kept;
        canvas.__k = key;
        drawCurve(withLive(kept, state.snapshot, state.live), max);
      }
    },
  };
}
