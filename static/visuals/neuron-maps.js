/**
 * The diagram's per-neuron pictures: by each hidden and output neuron, a small canvas of that neuron's own
 * output over the plane, for 2-D datasets. The values are the server's (`snapshot.boundary.neurons`: one n×n grid
 * per neuron, rows from ymin upward); the colour is the neuron disc's own (a < 0 orange, a > 0 blue, on the same
 * −1 … 1 scale), so a thumbnail is the disc's colour at every point of the plane.
 *
 * Hovering a picture sets the page state's `neuronMap` ({ layer, index }) and the heatmap panel shows that map
 * large behind the data until the pointer leaves; on a touch screen a tap shows it and a second tap hides it.
 * While the diagram shows δ beside the discs (`deltaLabelsShown`: δ view, or step sample's backward and update
 * phases) the pictures move aside so both show, and never hide: a hidden neuron's goes under its δ label where
 * the column has room between the labels, else left of its disc (by its bias square) where the previous column
 * leaves room (the first hidden layer's inputs write no δ), else right of its δ label in its own row where the
 * gap to the next column has room, else onto its own disc (as TensorFlow Playground draws a neuron as its
 * picture), between the bias square and the δ label; an output's goes under the loss read-out, or onto its disc
 * where the last hidden layer's δ labels reach there. Where a column is too crowded for a readable picture (64
 * neurons a layer) it shows at the size that fits (a few px), and hovering it (a tap on a touch screen) shows it
 * large in the heatmap panel. Clicking a picture selects its neuron, as clicking the disc does.
 * It never evaluates the network.
 *
 * API: createNeuronMaps(root, ctx) -> { place(geo, network), update(state) }.
 * Test hooks: [data-testid="neuron-map"] with data-neuron = "layer-index" and data-epoch (the map's weights).
 */
import { diverging } from '../lib/visual-kit.js';
import { biasReach, biasSize, DELTA_LABEL_CHARS, deltaRoom, lossSpot, MONO_EM } from '../network/network-layout.js';

/** Whether the diagram writes each neuron's δ beside its disc (network.js draws them when this says so): while it
 * does, the pictures make way, as the δ labels sit where they are (right of the disc, above its centre) and are
 * the step's focus. */
export function deltaLabelsShown(state) {
  return state.phase === 'backward' || state.phase === 'update' || state.show === 'delta';
}

const MIN_ASIDE = 8;  // px: a picture smaller than this beside a δ label is too small there; it goes on its disc

export function createNeuronMaps(root, ctx) {
  const wrap = document.createElement('div');
  wrap.className = 'neuron-maps';
  root.appendChild(wrap);
  let pics = [];       // [{ canvas, layer, index, boxes: { plain, delta } }]
  let drawn = null;    // the neuron maps last painted
  let aside = null;    // whether the pictures stand in their δ-label places

  /** One canvas per hidden and output neuron: hidden ones right of their disc, output ones under it, each as large
   * as its room allows (its neighbours' spacing, the gap to the next column's discs and bias squares), 14 px at
   * the least where the neighbours leave that much; in a column too crowded for that, the pictures alternate
   * between two or more sub-columns, so each is as large as the column allows. With δ labels shown see the
   * module's comment (`fs`: the labels' font size in px; a text's box spans about 0.93 em above its baseline and
   * 0.24 em below). */
  function place(geo, net, fs = 12 * geo.scale) {
    wrap.replaceChildren();
    pics = [];
    drawn = null;
    aside = null;
    if (ctx.getState().neuronMap) ctx.setState({ neuronMap: null });
    if (net.dataset?.kind !== '2d') return;
    const L = net.sizes.length - 1;
    const reach = geo.nodes.map(() => -Infinity);  // the right edge of each column's pictures with δ written
    geo.nodes.forEach((col, l) => col.forEach((n, i) => {
      if (l === 0) return;
      const gap = col.length > 1 ? col[1].y - col[0].y : Infinity;  // between neighbours' centres
      const next = geo.nodes[l + 1]?.[0];
      const nextLeft = next ? next.x - next.r - biasReach(next, net.bias) - 4 : Infinity;
      // the δ label's width: the widest label, or its room where network.js condenses it to fit
      const labelWidth = (m, k) => Math.min(DELTA_LABEL_CHARS * MONO_EM * fs, deltaRoom(geo, k, m, net.bias));
      const left = l === L ? n.x - n.r : n.x + n.r + 3 * geo.scale;
      const width = l === L ? Infinity : nextLeft - left;  // room right of the disc, before the next column
      const plain = l === L ? outputPlain(n, gap, geo.scale) : besideDisc(n, i, gap, left, width, geo.scale);
      let delta;
      if (l < L) {
        const below = n.y - 0.55 * n.r + 0.24 * fs + 1;  // just under this neuron's δ label (network.js puts it)
        const sd = Math.floor(Math.min(plain.s, gap - 1.17 * fs - 3, width));  // and above the next one's
        const labelEnd = n.x + n.r + 4 + labelWidth(n, l) + 3;  // right of its δ label, in its own row
        const sr = Math.floor(Math.min(gap - 2, nextLeft - labelEnd, 34 * geo.scale));
        const prev = geo.nodes[l - 1][0];  // left of the disc: from the previous column's discs or δ labels
        const from = Math.max(prev.x + prev.r + 3 + (l > 1 ? 4 + labelWidth(prev, l - 1) : 0),
          reach[l - 1] + 3);  // and its pictures, where they stand right of their δ labels
        const to = n.x - n.r - biasReach(n, net.bias) - 3;  // to its bias square
        const sl = Math.floor(Math.min(gap - 2, to - from, 34 * geo.scale));
        delta = sd >= MIN_ASIDE ? { left, top: below, s: sd }
          : sl >= MIN_ASIDE ? { left: to - sl, top: n.y - sl / 2, s: sl }
            : sr >= MIN_ASIDE ? { left: labelEnd, top: n.y - sr / 2, s: sr } : onDisc(n, gap, net.bias);
      } else {  // the last hidden layer's δ labels may reach under the output: it goes under the loss instead,
        // unless they reach even there (a network without hidden layers has no such labels)
        const spot = lossSpot(col[col.length - 1], geo.scale);
        const prev = geo.nodes[l - 1][0];
        const at = { left: spot.x + i * (plain.s + 4), top: spot.below, s: plain.s };
        const labels = l > 1 ? prev.x + prev.r + 4 + labelWidth(prev, l - 1) : -Infinity;
        delta = Math.max(labels, reach[l - 1]) <= at.left ? at : onDisc(n, gap, net.bias);
      }
      reach[l] = Math.max(reach[l], delta.left + delta.s);
      const canvas = document.createElement('canvas');
      const name = `${l === L ? 'output' : `hidden ${l}`}, neuron ${i + 1}`;
      Object.assign(canvas, { className: 'neuron-map',
        title: `${name}: its output over the plane (hover, or tap on a touch screen: large)` });
      Object.assign(canvas.dataset, { testid: 'neuron-map', neuron: `${l}-${i}` });
      const mine = () => ctx.getState().neuronMap?.layer === l && ctx.getState().neuronMap?.index === i;
      // A mouse shows the map while it is over the picture; a finger has no hover: a tap shows it, a second hides it.
      canvas.addEventListener('pointerenter', (e) => {
        if (e.pointerType !== 'touch') ctx.setState({ neuronMap: { layer: l, index: i } });
      });
      canvas.addEventListener('pointerleave', (e) => { if (e.pointerType !== 'touch') ctx.setState({ neuronMap: null }); });
      canvas.addEventListener('pointerup', (e) => {
        if (e.pointerType === 'touch') ctx.setState({ neuronMap: mine() ? null : { layer: l, index: i } });
      });
      canvas.addEventListener('click', (e) => {  // a mouse's click, as on the disc (a finger's tap toggles the map)
        if (e.pointerType !== 'touch' && ctx.select) ctx.select({ kind: 'neuron', layer: l, index: i });
      });
      wrap.appendChild(canvas);
      pics.push({ canvas, layer: l, index: i, boxes: { plain, delta } });
    }));
  }

  function update(state) {
    const boundary = state.snapshot?.boundary;
    const maps = boundary?.neurons;
    wrap.hidden = !maps;
    const shift = deltaLabelsShown(state);
    if (shift !== aside) {
      aside = shift;
      for (const { canvas, boxes } of pics) {
        const at = shift ? boxes.delta : boxes.plain;
        canvas.hidden = !at;
        if (!at) continue;
        Object.assign(canvas.style, { left: `${at.left.toFixed(1)}px`, top: `${at.top.toFixed(1)}px`,
          width: `${at.s}px`, height: `${at.s}px` });
      }
    }
    if (!maps || maps === drawn) return;
    drawn = maps;
    for (const { canvas, layer, index } of pics) {
      const values = maps.values[layer - 1]?.[index];
      if (!values) continue;
      paintMap(canvas, values, maps.n);
      canvas.dataset.epoch = String(boundary.epoch ?? '');
    }
  }

  return { place, update };
}

/** Beside a hidden neuron's disc, right of it: as large as its room allows (2.2 r, 34 px a scale, the gap to the
 * next column), 14 px at the least; where its neighbours are closer than that, the column's pictures alternate
 * between `k` sub-columns (neuron i in sub-column i mod k), each as large as k neighbours' spacing allows. */
function besideDisc(n, i, gap, left, width, scale) {
  if (gap - 3 >= 14) {
    const s = Math.round(Math.max(14, Math.min(gap - 4, width - 4, 2.2 * n.r, 34 * scale)));
    return { left, top: n.y - n.r * 0.1, s };
  }
  const fit = (k) => Math.floor(Math.min(14, k * gap - 3, (width - 4 - 2 * (k - 1)) / k));
  let k = 1;
  while (fit(k) < 14 && fit(k + 1) > fit(k)) k += 1;
  const s = Math.max(2, fit(k));
  return { left: left + (i % k) * (s + 2), top: n.y - s / 2, s };
}

/** Under an output's disc, above the next output's. */
function outputPlain(n, gap, scale) {
  const room = gap - 2 * n.r - 6 * scale - 4;
  const s = Math.round(Math.max(14, Math.min(room, 2.2 * n.r, 34 * scale)));
  return { left: n.x - s / 2, top: n.y + n.r + 6 * scale, s };
}

/** On a neuron's own disc, where no room beside it is left: from just right of its bias square to just left of its
 * δ label (which starts r + 4 right of the centre), centred on the disc's row, off its neighbours' pictures. */
function onDisc(n, gap, bias) {
  const from = bias ? n.x - n.r + 0.45 * biasSize(n) + 1 : n.x - n.r - 2;
  const to = n.x + n.r + 3;
  const s = Math.max(2, Math.floor(Math.min(gap - 1, to - from)));
  return { left: to - s, top: n.y - s / 2, s };
}

/** Paints an n×n map (rows from ymin upward) into `canvas` at n×n pixels, on the neuron discs' scale. */
export function paintMap(canvas, values, n, shade = (a) => diverging(a)) {
  canvas.width = n;
  canvas.height = n;
  const g = canvas.getContext('2d');
  const img = g.createImageData(n, n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const [R, G, B] = shade(values[r][c]);
      const o = ((n - 1 - r) * n + c) * 4;  // row 0 is ymin: the bottom of the picture
      img.data[o] = R; img.data[o + 1] = G; img.data[o + 2] = B; img.data[o + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
}
