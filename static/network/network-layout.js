/**
 * Geometry of the network diagram: where each layer's column, each neuron and each link sits for a given box.
 * Pure functions (no DOM), so the diagram and the per-layer controls above it agree on the columns.
 */

/** Margins around the columns in px at font scale 1: room for input labels and the output read-out. */
export function margins(kind, scale = 1) {
  return {
    left: (kind === 'images' ? 74 : 58) * scale, // room for the input thumbnail
    right: 150 * scale,
    top: 64 * scale,
    bottom: 84 * scale,
  };
}

/** Baselines of the output read-out's lines under each output's name (a, its target y, a − y), px at scale 1: 15
 * apart, as a line's box is 1.17 em of its type (projector: 16 px at scale 4/3). */
export const READOUT_LINES = Object.freeze([20, 35, 50]);

/** Baseline of the loss's label under the last output's read-out, and the top of the room under the loss's value. */
export function lossSpot(lastOut, scale) {
  const y = lastOut.y + (READOUT_LINES[2] + 17) * scale;
  return { x: lastOut.x + lastOut.r + 10 * scale, y, below: y + 22 * scale + 4 };
}

/** A monospace glyph's advance in em (the δ labels' font), a little over DejaVu Sans Mono's 0.602. */
export const MONO_EM = 0.61;
/** The widest δ label network.js writes: "δ −1.3e−4", 9 characters. */
export const DELTA_LABEL_CHARS = 9;

/** The side of a neuron's bias square; network.js draws it at the disc's lower left, from 0.55 of it left of the
 * disc's edge to 0.45 of it right of the edge. */
export function biasSize(n) {
  return Math.max(5, n.r * 0.5);
}

/** How far a neuron's bias square reaches left of its disc's edge (0 without biases). */
export function biasReach(n, bias) {
  return bias ? 0.55 * biasSize(n) : 0;
}

/**
 * The width a hidden neuron's δ label may take: from r + 4 right of its disc (where network.js writes it) to 3 px
 * short of the next column's bias square (or disc), where a neuron picture may sit on its disc
 * (static/visuals/neuron-maps.js). The output's is unbounded: the read-out's side is its own.
 */
export function deltaRoom(geo, l, n, bias) {
  const next = geo.nodes[l + 1]?.[0];
  if (!next) return Infinity;
  return next.x - next.r - biasReach(next, bias) - 3 - (n.x + n.r + 4);
}

/** x of each layer's column. */
export function columnXs(nLayers, width, m) {
  const span = Math.max(40, width - m.left - m.right);
  return Array.from({ length: nLayers }, (_, l) => m.left + (nLayers === 1 ? span / 2 : (span * l) / (nLayers - 1)));
}

/**
 * Full geometry: { xs, nodes: [[{x, y, r}]], fontScale }. Neurons are spaced evenly and centred vertically;
 * radius shrinks with crowding (30 inputs get small dots, 3 outputs big discs).
 */
export function layout(sizes, kind, width, height, scale = 1) {
  const m = margins(kind, scale);
  const xs = columnXs(sizes.length, width, m);
  const avail = Math.max(60, height - m.top - m.bottom);
  const maxSpacing = 86 * scale;
  const gap = Math.max(0, xs.length > 1 ? xs[1] - xs[0] : width);
  const nodes = sizes.map((n, l) => {
    const spacing = Math.min(maxSpacing, avail / n);
    const r = Math.max(3.5, Math.min(spacing * 0.36, 26 * scale, gap * 0.18));
    const top = m.top + (avail - spacing * n) / 2 + spacing / 2;
    return Array.from({ length: n }, (_, i) => ({ x: xs[l], y: top + i * spacing, r }));
  });
  return { xs, nodes, m, scale };
}

/** A gentle S-curve from a neuron's right edge to the next neuron's left edge. */
export function linkPath(a, b) {
  const x1 = a.x + a.r;
  const x2 = b.x - b.r;
  const mx = (x1 + x2) / 2;
  return `M${x1.toFixed(1)},${a.y.toFixed(1)}C${mx.toFixed(1)},${a.y.toFixed(1)} ${mx.toFixed(1)},${b.y.toFixed(1)} ${
    x2.toFixed(1)},${b.y.toFixed(1)}`;
}

/** The point at parameter t of the link path from a to b (the cubic linkPath draws). */
export function linkPoint(a, b, t) {
  const x1 = a.x + a.r;
  const x2 = b.x - b.r;
  const mx = (x1 + x2) / 2;
  const u = 1 - t;
  return {
    x: u * u * u * x1 + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * x2,
    y: u * u * u * a.y + 3 * u * u * t * a.y + 3 * u * t * t * b.y + t * t * t * b.y,
  };
}

/**
 * What a pointer at (x, y) picks: the neuron whose disc (plus `slop` px) holds it, else the link whose curve
 * passes nearest, if within `reach` px. Returns {kind: 'neuron', layer, index} | {kind: 'weight', layer, from,
 * to, distance} | null. Where 150 links cross, the nearest one wins, not the one drawn last.
 */
export function pick(geo, x, y, { slop = 3, reach = 9 } = {}) {
  for (let l = 0; l < geo.nodes.length; l++) {
    for (let i = 0; i < geo.nodes[l].length; i++) {
      const n = geo.nodes[l][i];
      if (Math.hypot(n.x - x, n.y - y) <= n.r + slop) return { kind: 'neuron', layer: l, index: i };
    }
  }
  let best = null;
  const STEPS = 40;
  for (let l = 0; l < geo.nodes.length - 1; l++) {
    const left = geo.nodes[l][0].x + geo.nodes[l][0].r - reach;
    const right = geo.nodes[l + 1][0].x - geo.nodes[l + 1][0].r + reach;
    if (x < left || x > right) continue;
    geo.nodes[l].forEach((a, i) => geo.nodes[l + 1].forEach((b, j) => {
      if (y < Math.min(a.y, b.y) - reach || y > Math.max(a.y, b.y) + reach) return;
      let prev = linkPoint(a, b, 0);
      for (let k = 1; k <= STEPS; k++) {
        const p = linkPoint(a, b, k / STEPS);
        const d = segmentDistance(x, y, prev, p);
        if (d <= reach && (!best || d < best.distance)) best = { kind: 'weight', layer: l, from: i, to: j, distance: d };
        prev = p;
      }
    }));
  }
  return best;
}

function segmentDistance(x, y, p, q) {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((x - p.x) * dx + (y - p.y) * dy) / len)) : 0;
  return Math.hypot(x - (p.x + t * dx), y - (p.y + t * dy));
}
