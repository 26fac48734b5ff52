/**
 * The diagram's per-neuron pictures: by each hidden and output neuron, a small canvas of that neuron's own
 * output over the plane, for 2-D datasets. The values are the server's (`snapshot.boundary.neurons`: one n×n grid
 * per neuron, rows from ymin upward); the colour is the neuron disc's own (a < 0 orange, a > 0 blue, on the same
 * −1 … 1 scale), so a thumbnail is the disc's colour at every point of the plane.
 *
 * Hovering a picture sets the page state's `neuronMap` ({ layer, index }) and the heatmap panel shows that map
 * large behind the data until the pointer leaves; on a touch screen a tap shows it and a second tap hides it.
 * While the diagram shows δ beside the discs (`deltaLabelsShown`: δ view, or step sample's backward and update
 * phases) the pictures move aside so both show: a hidden neuron's under its δ label (smaller if the column is
 * crowded; hidden only where the δ labels alone fill the column, e.g. 16 neurons a layer), an output's under
 * the loss read-out (the last hidden layer's δ labels may reach under the output; hidden if they reach there too).
 * It never evaluates the network.
 *
 * API: createNeuronMaps(root, ctx) -> { place(geo, network), update(state) }.
 * Test hooks: [data-testid="neuron-map"] with data-neuron = "layer-index" and data-epoch (the map's weights).
 */
import { diverging } from '../lib/visual-kit.js';
import { lossSpot } from '../network/network-layout.js';

/** Whether the diagram writes each neuron's δ beside its disc (network.js draws them when this says so): while it
 * does, the pictures make way, as the δ labels sit where they are (right of the disc, above its centre) and are
 * the step's focus. */
export function deltaLabelsShown(state) {
  return state.phase === 'backward' || state.phase === 'update' || state.show === 'delta';
}

const MIN_ASIDE = 8;  // px: a picture smaller than this under a δ label shows nothing; it hides instead

export function createNeuronMaps(root, ctx) {
  const wrap = document.createElement('div');
  wrap.className = 'neuron-maps';
  root.appendChild(wrap);
  let pics = [];       // [{ canvas, layer, index, boxes: { plain, delta } }]
  let drawn = null;    // the neuron maps last painted
  let aside = null;    // whether the pictures stand in their δ-label places

  /** One canvas per hidden and output neuron: hidden ones right of their disc, output ones under it, each as large
   * as its room allows (its neighbours' spacing, the gap to the next column's discs and bias squares), 14 px at
   * the least. With δ labels shown a hidden one sits between its δ label and the next neuron's (`fs`: the
   * labels' font size in px; a text's box spans about 0.93 em above its baseline and 0.24 em below). */
  function place(geo, net, fs = 12 * geo.scale) {
    wrap.replaceChildren();
    pics = [];
    drawn = null;
    aside = null;
    if (ctx.getState().neuronMap) ctx.setState({ neuronMap: null });
    if (net.dataset?.kind !== '2d') return;
    const L = net.sizes.length - 1;
    geo.nodes.forEach((col, l) => col.forEach((n, i) => {
      if (l === 0) return;
      const gap = col.length > 1 ? col[1].y - col[0].y : Infinity;  // between neighbours' centres
      const next = geo.nodes[l + 1]?.[0];
      const room = l === L ? gap - 2 * n.r - 6 * geo.scale - 4  // under the disc, above the next output's
        : Math.min(gap - 4, (next.x - next.r - 10 * geo.scale) - (n.x + n.r + 3 * geo.scale) - 4);
      const s = Math.round(Math.max(14, Math.min(room, 2.2 * n.r, 34 * geo.scale)));
      const left = l === L ? n.x - s / 2 : n.x + n.r + 3 * geo.scale;
      const top = l === L ? n.y + n.r + 6 * geo.scale : n.y - n.r * 0.1;
      const plain = { left, top, s };
      let delta;
      if (l < L) {
        const below = n.y - 0.55 * n.r + 0.24 * fs + 1;  // just under this neuron's δ label (network.js puts it)
        const sd = Math.floor(Math.min(s, gap - 1.17 * fs - 3));  // and above the next one's
        delta = sd >= MIN_ASIDE ? { left, top: below, s: sd } : null;  // no room between the labels: it hides
      } else {  // the last hidden layer's δ labels may reach under the output: it goes under the loss instead,
        // unless they reach even there (a δ label is at most 10 characters of a monospace font, 0.6 em each)
        const spot = lossSpot(col[col.length - 1], geo.scale);
        const prev = geo.nodes[l - 1][0];
        const at = { left: spot.x + i * (s + 4), top: spot.below, s };
        delta = prev.x + prev.r + 4 + 6 * fs <= at.left ? at : null;
      }
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
