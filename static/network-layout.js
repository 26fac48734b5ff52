/**
 * Geometry of the network diagram: where each layer's column, each neuron and each link sits for a given box.
 * Pure functions (no DOM), so the diagram and the per-layer controls above it agree on the columns.
 */

/** Margins around the columns in px at font scale 1: room for input labels and the output read-out. */
export function margins(kind, scale = 1) {
  return {
    left: (kind === 'letters' ? 74 : 58) * scale,
    right: 150 * scale,
    top: 64 * scale,
    bottom: 84 * scale,
  };
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
