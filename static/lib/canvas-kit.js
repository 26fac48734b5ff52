/**
 * The canvas helpers of the page's helper library (visual-kit.js prints the numbers and owns the colours).
 *
 * What it is for: HiDPI canvas setup (`fitCanvas`), setting a font without a forced layout (`setFont`), the
 * canvas's ink read from CSS (`inkOf`), round axis ticks (`ticks`) and one line-chart painter with its hover
 * (`drawLineChart`: charts.js, lab.js).
 * What it leaves out: any state, any socket, any DOM outside the canvas it is handed.
 */
import { fmt, fmtInt } from './visual-kit.js';

/** Sizes the canvas backing store to its CSS box × devicePixelRatio; returns a 2-D context in CSS pixels. */
export function fitCanvas(canvas, cssWidth, cssHeight) {
  const dpr = Math.max(1, window.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(cssWidth * dpr));
  const h = Math.max(1, Math.round(cssHeight * dpr));
  const g = canvas.getContext('2d');
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    g.fontSet = null;  // a resized canvas starts from the default state (see setFont)
  }
  if (canvas.style.height !== `${cssHeight}px`) canvas.style.height = `${cssHeight}px`;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return g;
}

/**
 * Sets the 2-D context's font unless it already has it: assigning `font` makes Chromium bring the page's style and
 * layout up to date first, which in the middle of a frame's writes is a forced layout (bench/bench_page.py).
 * The same string keeps the same font once the page's web fonts have loaded.
 */
export function setFont(g, font) {
  const key = `${font}|${document.fonts ? document.fonts.status : ''}`;
  if (g.fontSet === key) return;
  g.font = font;
  g.fontSet = key;
}

const inkCache = new WeakMap();

/**
 * The font, text and grid colours the canvas should use, taken from the element's computed style.  Cached per
 * element until the page's classes (projector mode) or the window width change: getComputedStyle every frame
 * would force a style recalculation.
 */
export function inkOf(node) {
  const key = `${document.documentElement.className}|${window.innerWidth}`;
  const hit = inkCache.get(node);
  if (hit && hit.key === key) return hit.ink;
  const ink = readInk(node);
  inkCache.set(node, { key, ink });
  return ink;
}

function readInk(node) {
  const cs = getComputedStyle(node);
  const px = parseFloat(cs.fontSize) || 14;
  return { color: cs.color, px, family: cs.fontFamily, muted: cs.getPropertyValue('--vis-muted').trim(),
    grid: cs.getPropertyValue('--vis-grid').trim(), card: cs.getPropertyValue('--vis-card').trim() };
}

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** Tick values for [lo, hi]: powers of ten on a log axis, round steps on a linear one. */
export function ticks(lo, hi, count, log) {
  if (log) {
    const out = [];
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out.push(10 ** e);
    const every = Math.ceil(out.length / Math.max(2, count));
    return out.filter((_, i) => i % every === 0);
  }
  const step = niceStep(hi - lo, count);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** An axis tick: a count as a count, any other value by fmt at 3 digits (ticks are round numbers). */
const compact = (v) => (Number.isInteger(v) && Math.abs(v) < 1e6 ? fmtInt(v) : fmt(v, 3));

/**
 * Paints line series on a canvas and returns the geometry for hover look-ups.
 * opts: {width, height, series: [{name, xs, ys, color, dash?}], log, yRange?: [lo, hi], yFormat?, hoverX?}
 */
export function drawLineChart(canvas, ink, opts) {
  const { width, height, series, log = false } = opts;
  const shown = fitCanvas(canvas, width, height);
  const g = scratchOf(canvas) || shown;
  const px = ink.px;
  g.clearRect(0, 0, width, height);
  setFont(g, `${Math.round(px * 0.8)}px ${ink.family}`);
  const m = { l: px * 3.6, r: px * 0.8, t: px * 0.6, b: px * 1.9 };
  const iw = Math.max(10, width - m.l - m.r);
  const ih = Math.max(10, height - m.t - m.b);
  let xmax = 1;
  let ylo = Infinity;
  let yhi = -Infinity;
  for (const s of series) {
    if (s.xs.length) xmax = Math.max(xmax, s.xs[s.xs.length - 1]);
    for (const y of s.ys) {
      if (y === null || !Number.isFinite(y) || (log && y <= 0)) continue;
      ylo = Math.min(ylo, y);
      yhi = Math.max(yhi, y);
    }
  }
  if (opts.yRange) [ylo, yhi] = opts.yRange;
  if (!Number.isFinite(ylo)) [ylo, yhi] = log ? [1e-3, 1] : [0, 1];
  if (log) {
    ylo = 10 ** Math.floor(Math.log10(ylo));
    yhi = 10 ** Math.ceil(Math.log10(yhi));
    if (ylo === yhi) yhi = ylo * 10;
  } else {
    if (!opts.yRange) ylo = Math.min(0, ylo);
    if (yhi - ylo < 1e-12) yhi = ylo + 1;
  }
  const X = (x) => m.l + (x / xmax) * iw;
  const Y = log ? (y) => m.t + ih * (1 - (Math.log10(y) - Math.log10(ylo)) / (Math.log10(yhi) - Math.log10(ylo)))
    : (y) => m.t + ih * (1 - (y - ylo) / (yhi - ylo));
  g.strokeStyle = ink.grid;
  g.fillStyle = ink.muted;
  g.lineWidth = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  const yFormat = opts.yFormat || compact;
  for (const t of ticks(ylo, yhi, Math.max(2, Math.floor(ih / (px * 2.2))), log)) {
    const y = Math.round(Y(t)) + 0.5;
    g.beginPath(); g.moveTo(m.l, y); g.lineTo(m.l + iw, y); g.stroke();
    g.fillText(yFormat(t), m.l - px * 0.4, y);
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const t of ticks(0, xmax, Math.max(2, Math.floor(iw / (px * 5))), false)) {
    if (t !== Math.round(t)) continue;
    g.fillText(xmax >= 1e4 ? `${+(t / 1000).toFixed(1)}k` : fmtInt(t), X(t), m.t + ih + px * 0.4);
  }
  g.strokeStyle = ink.muted;
  g.beginPath(); g.moveTo(m.l + 0.5, m.t); g.lineTo(m.l + 0.5, m.t + ih + 0.5); g.lineTo(m.l + iw, m.t + ih + 0.5);
  g.stroke();
  g.save();
  g.beginPath(); g.rect(m.l, m.t - 2, iw + 2, ih + 4); g.clip();
  g.lineJoin = 'round';
  for (const s of series) {
    g.strokeStyle = s.color;
    g.lineWidth = Math.max(2, px * 0.16);
    g.setLineDash(s.dash || []);
    g.beginPath();
    let pen = false;
    for (let i = 0; i < s.xs.length; i++) {
      const y = s.ys[i];
      if (y === null || !Number.isFinite(y) || (log && y <= 0)) { pen = false; continue; }
      const cy = Y(Math.max(ylo, Math.min(yhi, y)));
      if (pen) g.lineTo(X(s.xs[i]), cy); else g.moveTo(X(s.xs[i]), cy);
      pen = true;
    }
    g.stroke();
  }
  g.setLineDash([]);
  g.restore();
  const geom = { m, iw, ih, xmax, X, Y, ylo, yhi, log };
  if (opts.hoverX !== undefined && opts.hoverX !== null) drawHover(g, ink, geom, series, opts.hoverX, yFormat);
  if (g !== shown) {  // one copy of the finished picture onto the page's canvas
    shown.save();
    shown.setTransform(1, 0, 0, 1, 0, 0);
    shown.clearRect(0, 0, canvas.width, canvas.height);
    shown.drawImage(g.canvas, 0, 0);
    shown.restore();
  }
  return geom;
}

const scratches = new WeakMap();

/**
 * An OffscreenCanvas the size of `canvas` (a 2-D context in CSS pixels) to draw a chart on. Text drawn on a
 * canvas in the page makes Chromium bring the page's style and layout up to date first (fillText), which in the
 * middle of a frame's writes is a forced layout; off screen it has no page to update. Null where there is none.
 */
function scratchOf(canvas) {
  if (typeof OffscreenCanvas === 'undefined') return null;
  let off = scratches.get(canvas);
  if (!off) { off = new OffscreenCanvas(canvas.width, canvas.height); scratches.set(canvas, off); }
  const g = off.getContext('2d');
  if (off.width !== canvas.width || off.height !== canvas.height) {
    off.width = canvas.width;
    off.height = canvas.height;
    g.fontSet = null;  // resizing resets the context's state
  }
  const dpr = Math.max(1, window.devicePixelRatio || 1);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return g;
}

function nearestIndex(xs, x) {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid; else hi = mid;
  }
  return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
}

/** The hovered epoch: a rule, a dot per series and a label box with epoch and values. */
function drawHover(g, ink, geom, series, cssX, yFormat) {
  const { m, iw, ih, xmax, X, Y } = geom;
  const xs = series.find((s) => s.xs.length)?.xs;
  if (!xs) return;
  const i = nearestIndex(xs, ((cssX - m.l) / iw) * xmax);
  const x = X(xs[i]);
  g.strokeStyle = ink.muted;
  g.setLineDash([3, 3]);
  g.beginPath(); g.moveTo(x + 0.5, m.t); g.lineTo(x + 0.5, m.t + ih); g.stroke();
  g.setLineDash([]);
  const lines = [`epoch ${fmtInt(xs[i])}`];
  for (const s of series) {
    const j = s.xs === xs ? i : nearestIndex(s.xs, xs[i]);
    const y = s.ys[j];
    if (y === null || !Number.isFinite(y)) continue;
    g.fillStyle = s.color;
    g.beginPath(); g.arc(X(s.xs[j]), Y(Math.max(geom.ylo, Math.min(geom.yhi, y))), ink.px * 0.3, 0, 7); g.fill();
    lines.push(`${s.name} ${yFormat === compact ? fmt(y) : yFormat(y)}`);
  }
  setFont(g, `${Math.round(ink.px * 0.85)}px ${ink.family}`);
  const w = Math.max(...lines.map((t) => g.measureText(t).width)) + ink.px;
  const h = lines.length * ink.px * 1.2 + ink.px * 0.5;
  const bx = x + w + ink.px > m.l + iw ? x - w - ink.px * 0.5 : x + ink.px * 0.5;
  g.fillStyle = ink.card;
  g.strokeStyle = ink.grid;
  g.globalAlpha = 0.93;
  g.fillRect(bx, m.t + 2, w, h);
  g.globalAlpha = 1;
  g.strokeRect(bx + 0.5, m.t + 2.5, w, h);
  g.textAlign = 'left';
  g.textBaseline = 'top';
  lines.forEach((t, k) => {
    g.fillStyle = k === 0 ? ink.color : series.find((s) => t.startsWith(s.name))?.color || ink.color;
    g.fillText(t, bx + ink.px * 0.5, m.t + 2 + ink.px * 0.3 + k * ink.px * 1.2);
  });
}
