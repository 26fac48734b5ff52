/**
 * The page's one helper library: how a number is printed, the colour scales, and small DOM helpers.
 *
 * What it is for: `fmt` (the one number format every view uses: the diagram, its tooltip, the equations, the
 * tables, the charts), `diverging`/`divergingCss` (the orange ↔ white ↔ blue scale of negative ↔ zero ↔ positive)
 * and `HUES` (the Okabe–Ito hues), with every colour read from the CSS variables in static/css/base.css, never
 * written here; a tiny element builder and a width watcher. The canvas helpers (HiDPI setup, fonts, ticks, the
 * line-chart painter) are in canvas-kit.js.
 * What it leaves out: any state, any socket, any DOM outside the element it is handed.
 */

const MINUS = '\u2212';  // a true minus sign: "−0.5", not the hyphen of "-0.5"

/** Significant digits of every number a learner reads (fewer only in fmtShort's labels and for derived statistics). */
export const DIGITS = 4;

function plain(x, digits) {
  const ax = Math.abs(x);
  let s;
  if (ax < 1e-3 || ax >= 1e5) {
    const [m, e] = x.toExponential(digits - 1).split('e');
    s = `${m.includes('.') ? m.replace(/\.?0+$/, '') : m}e${Number(e)}`;
  } else {
    s = x.toFixed(Math.min(20, Math.max(0, digits - 1 - Math.floor(Math.log10(ax)))));
    if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s.replace(/-/g, MINUS);
}

/**
 * The one way the page prints a number:
 * - `digits` significant digits (4), trailing zeros dropped: 0.5, 0.1235, 12.35, 1, 1234, 12346;
 * - a true minus sign, also in the exponent; no plus sign (see fmtSigned); 0 and −0 both print "0";
 * - below 0.001 or from 100 000 up, the exponent form NumPy prints: 1.2e−5, −3.5e6;
 * - never "1" for a number that is not ±1: a saturated sigmoid's 0.99996 keeps the digits that show 1 − a;
 * - no number (null, undefined, NaN) prints "—"; ±Infinity prints "∞" / "−∞".
 */
export function fmt(x, digits = DIGITS) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (x === Infinity || x === -Infinity) return x > 0 ? '∞' : `${MINUS}∞`;
  if (x === 0) return '0';
  let s = plain(x, digits);
  for (let d = digits + 1; (s === '1' || s === `${MINUS}1`) && Math.abs(x) !== 1 && d <= 15; d++) s = plain(x, d);
  return s;
}

/** fmt with a plus sign on positive numbers, for a change or a δ shown on its own: +0.25, −0.1, 0. */
export const fmtSigned = (x, digits = DIGITS) => (x > 0 ? `+${fmt(x, digits)}` : fmt(x, digits));

/**
 * A label that must fit inside a neuron or beside a bar: the same rule at 2 significant digits (0.53, −1.2, 12,
 * 1.2e5), except that a number that only rounds to ±1 prints "≈1" / "≈−1" (not the long 0.99996) and one below 0.01
 * in size prints "≈0" (not 0.0017): the full value is one hover away.
 */
export function fmtShort(x) {
  const s = fmt(x, 2);
  if (!Number.isFinite(x) || x === 0) return s;
  if (Math.abs(x) < 0.01) return '≈0';
  if (s.length > 4 && Math.abs(x) !== 1 && /^\u2212?1$/.test(plain(x, 2))) return x < 0 ? `≈${MINUS}1` : '≈1';
  return s;
}

/** A count: a whole number with thin-space thousands separators, e.g. 60 000. */
export function fmtInt(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009').replace(/^-/, MINUS);
}

export const clamp = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);

/* ---- colours: every one from a CSS variable of static/css/base.css ---------------------------------------- */

const HUE_VARS = {
  blue: '--hue-blue', orange: '--hue-orange', vermillion: '--hue-vermillion', green: '--hue-green',
  purple: '--hue-purple', sky: '--hue-sky', grey: '--hue-grey', neg: '--neg', pos: '--pos',
};
const STEPS = 256;  // per half of the diverging scale: finer than a canvas pixel can show
let colours = null;

/** "#rgb", "#rrggbb" or "rgb(r, g, b)" → [r, g, b]. */
function parseColour(name, text) {
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
  if (m) {
    const h = m[1].length === 3 ? m[1].replace(/./g, '$&$&') : m[1];
    return [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16));
  }
  m = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(s);
  if (m) return m.slice(1, 4).map(Number);
  throw new Error(`static/css/base.css: ${name} must be a colour as #rrggbb or rgb(r, g, b), not "${text}"`);
}

/** The colour tables, built once from the page's CSS variables (the first time a colour is asked for). */
function palette() {
  if (colours) return colours;
  const cs = getComputedStyle(document.documentElement);
  const read = (name) => {
    const v = cs.getPropertyValue(name).trim();
    if (!v) throw new Error(`static/css/base.css: the CSS variable ${name} is not set`);
    return v;
  };
  const [neg, mid, pos] = ['--neg', '--mid', '--pos'].map((n) => parseColour(n, read(n)));
  const side = (end) => Array.from({ length: STEPS + 1 }, (_, k) => Object.freeze(
    mid.map((c, i) => Math.round(c + (end[i] - c) * (k / STEPS)))));
  const none = Object.freeze(parseColour('--no-value', read('--no-value')));
  const rgbs = { neg: side(neg), pos: side(pos), none };
  const css = { neg: rgbs.neg.map((c) => rgb(c)), pos: rgbs.pos.map((c) => rgb(c)), none: rgb(none) };
  const hues = Object.fromEntries(Object.entries(HUE_VARS).map(([k, n]) => [k, read(n)]));
  colours = { rgbs, css, hues };
  return colours;
}

/** Okabe–Ito hues, distinguishable with every common colour-vision deficiency: HUES.blue, HUES.neg, … */
export const HUES = Object.freeze(Object.defineProperties({}, Object.fromEntries(Object.keys(HUE_VARS).map(
  (k) => [k, { get: () => palette().hues[k], enumerable: true }]))));

function scaleIndex(t) {
  return Math.round(clamp(Math.abs(t), 0, 1) * STEPS);
}

/** [r, g, b] of t in −1 … 1 (clamped): --neg below zero, --mid at zero, --pos above; --no-value for no number. */
export function diverging(t) {
  const { rgbs } = palette();
  if (t === null || t === undefined || !Number.isFinite(t)) return rgbs.none;
  return t < 0 ? rgbs.neg[scaleIndex(t)] : rgbs.pos[scaleIndex(t)];
}

/** The same colour as diverging(t), as a CSS string for SVG and canvas fills. */
export function divergingCss(t) {
  const { css } = palette();
  if (t === null || t === undefined || !Number.isFinite(t)) return css.none;
  return t < 0 ? css.neg[scaleIndex(t)] : css.pos[scaleIndex(t)];
}

export const rgb = (c, alpha = 1) => (alpha === 1 ? `rgb(${c[0]},${c[1]},${c[2]})` : `rgba(${c[0]},${c[1]},${c[2]},${alpha})`);

/** Element builder: el('div', {class: 'x', dataset: {k: 'v'}}, child, 'text'). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/**
 * Content-box widths of `nodes`, kept current by one ResizeObserver: reading clientWidth in a frame after other
 * modules wrote to the DOM would force a synchronous layout.  `onChange()` runs after any width changed.
 */
export function watchWidths(nodes, onChange) {
  const widths = new Map(nodes.map((n) => [n, 0]));
  const ro = new ResizeObserver((entries) => {
    let changed = false;
    for (const e of entries) {
      const w = Math.round(e.contentRect.width);
      if (widths.get(e.target) !== w) { widths.set(e.target, w); changed = true; }
    }
    if (changed) onChange();
  });
  nodes.forEach((n) => ro.observe(n));
  return widths;
}
