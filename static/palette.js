/**
 * Colours and number formats shared by the shell's modules.
 *
 * The diverging palette is orange (negative) ↔ white ↔ blue (positive), readable with the common forms of colour
 * blindness. Colours are looked up in a small table so redraws at 60 frames/s do not build strings. Numbers use a
 * true minus sign and a fixed number of significant digits. No DOM here.
 */

export const NEG = [230, 97, 1];
export const POS = [8, 119, 189];
const MID = [247, 247, 247];
const STEPS = 64;

function mix(a, b, t) {
  return `rgb(${Math.round(a[0] + (b[0] - a[0]) * t)},${Math.round(a[1] + (b[1] - a[1]) * t)},${
    Math.round(a[2] + (b[2] - a[2]) * t)})`;
}

const NEG_LUT = Array.from({ length: STEPS + 1 }, (_, k) => mix(MID, NEG, k / STEPS));
const POS_LUT = Array.from({ length: STEPS + 1 }, (_, k) => mix(MID, POS, k / STEPS));

export const clamp = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);

/** Colour of t in [−1, 1] (clamped): orange below zero, blue above, near-white at zero. */
export function diverging(t) {
  if (t === null || t === undefined || Number.isNaN(t)) return '#d0d4dc';
  const k = Math.round(clamp(Math.abs(t), 0, 1) * STEPS);
  return t < 0 ? NEG_LUT[k] : POS_LUT[k];
}

/** Solid colour of a sign (for strokes, labels). */
export const signColor = (x) => (x < 0 ? 'var(--neg)' : 'var(--pos)');

/** `0.1234` → "0.123", `-2e-5` → "−2.00e−5", null → "—". */
export function fmt(x, sig = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  let s;
  if (ax >= 1e5 || ax < 1e-3) {
    s = x.toExponential(sig - 1).replace('e+', 'e').replace(/e-/, 'e−');
  } else {
    const digits = clamp(sig - 1 - Math.floor(Math.log10(ax)), 0, 6);
    s = x.toFixed(digits);
  }
  return s.replace(/^-/, '−');
}

/** Signed format with an explicit plus, for deltas and gradients. */
export const fmtSigned = (x, sig = 3) => (x > 0 ? `+${fmt(x, sig)}` : fmt(x, sig));

/** Integer with thin-space thousands separators, e.g. 60 000. */
export function fmtInt(n) {
  if (n === null || n === undefined) return '—';
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** At most ~5 characters, for numbers drawn inside a neuron: 0.53, −1.20, 12.3, 1.2e4. */
export function fmtShort(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const ax = Math.abs(x);
  const s = ax < 10 ? x.toFixed(2) : ax < 100 ? x.toFixed(1) : ax < 1e4 ? x.toFixed(0) : x.toExponential(0).replace('e+', 'e');
  return s.replace(/^-/, '−').replace(/^−0\.00$/, '0.00');
}
