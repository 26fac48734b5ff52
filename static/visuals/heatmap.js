/**
 * The decision-boundary heatmap for 2-input datasets, with the training points on top.
 *
 * What it is for: painting `snapshot.boundary` (the first output unit on an n×n grid over `extent`, rows from ymin
 * upward) in the orange ↔ blue diverging palette, the 0.5 contour as a line, and `dataset.X`/`dataset.Y` as dots
 * (orange: class 0, blue: class 1), each ringed dark when the network currently gets it wrong; the held-out
 * `network.test` points as hollow rings in their class colour (a switch hides them); the points a learner added
 * (the last `dataset.added` rows) as diamonds.
 * A regression (the server's `dataset.task === 'regression'`) is a fitted surface instead: the output and the
 * targets on one value scale, −R … R around 0 (`valueScale`, plane-view.js: orange below 0, blue above), with a
 * colour bar giving the numbers, the a = 0 contour, and the mean |y − a| in the caption.
 * A click on the plane adds a point there (`add_point`: the class the toggle picks, or for regression the value
 * under the slider); the server answers with the grown `dataset` and the run goes on.
 * While the pointer is on a neuron's picture in the diagram (state `neuronMap`, static/visuals/neuron-maps.js) it paints that
 * neuron's own map (`boundary.neurons`) instead, on the neuron discs' −1 … 1 scale; "discretise" paints the
 * boundary in the two class colours only (output above or below 0.5).
 * What it leaves out: it never evaluates the network; without a boundary it shows the points alone.  It hides its
 * root for datasets whose kind is not '2d'.
 *
 * API: createHeatmap(root, ctx) -> { update(state) }.
 * Test hooks: [data-testid="heatmap"] (data-n = grid size, data-points = dots drawn, data-test = hollow test
 * points drawn, data-added = diamonds drawn, data-epoch, data-view = "boundary", "surface", "discrete" or
 * "neuron l-i", data-scale = R of a regression's value scale, else empty); [data-testid="value-scale"] the
 * colour bar (its three numbers);
 * [data-testid="show-test"] the switch; [data-testid="discretise"] the class-colours-only switch;
 * [data-testid="add-class-0|1"] the class toggle, [data-testid="add-value"] the regression slider,
 * [data-testid="point-status"] the answer to a click.
 */
import { paintMap } from './neuron-maps.js';
import { addedText, planeParts, planeView, valueScale } from './plane-view.js';
import { HUES, diverging, el, fmt, rgb } from '../lib/visual-kit.js';
import { fitCanvas, inkOf } from '../lib/canvas-kit.js';
import { boundaryScore, cellClasses, sampleClass } from '../core/wire.js';

/** A point's colour side: its class as the server counts it (`dataset.classes`); a regression target has no class,
 * so its side of 0.5 picks the colour. */
const sideOf = (d, i) => (d.classes ? d.classes[i] : (d.Y[i]?.[0] ?? 0) > 0.5 ? 1 : 0);

/** Segments of the level-0.5 contour over the grid (marching squares, cell corners in grid units). */
function contour(values, n, level) {
  const segs = [];
  const lerp = (a, b) => (level - a) / (b - a);
  for (let r = 0; r < n - 1; r++) {
    for (let c = 0; c < n - 1; c++) {
      const v = [values[r][c], values[r][c + 1], values[r + 1][c + 1], values[r + 1][c]];
      const pts = [];
      const corners = [[c, r], [c + 1, r], [c + 1, r + 1], [c, r + 1]];
      for (let e = 0; e < 4; e++) {
        const a = v[e];
        const b = v[(e + 1) % 4];
        if ((a < level) !== (b < level)) {
          const t = lerp(a, b);
          const [x0, y0] = corners[e];
          const [x1, y1] = corners[(e + 1) % 4];
          pts.push([x0 + t * (x1 - x0), y0 + t * (y1 - y0)]);
        }
      }
      if (pts.length === 2) segs.push(pts);
      else if (pts.length === 4) segs.push([pts[0], pts[1]], [pts[2], pts[3]]);
    }
  }
  return segs;
}

const lighten = (f) => (c) => c.map((ch) => ch + (255 - ch) * f);  // toward white, so the dots stand out

export function createHeatmap(root, ctx) {
  const { canvas, box, caption, addStatus } = planeParts(root, 'heatmap', 'decision boundary with training points');
  const showTest = el('input', { type: 'checkbox', checked: true, 'data-testid': 'show-test' });
  const testSwitch = el('label', { class: 'vis-switch', hidden: true }, showTest, 'test points (hollow)');
  showTest.addEventListener('change', () => view.redraw());
  // Adding points: the class toggle (classification) or the value slider (regression), from the schema's limits.
  const [vLo, vHi] = ctx.schema?.limits?.point_value || [-2, 2];
  let addClass = 1;
  const classButtons = [0, 1].map((k) => el('button', { type: 'button', class: 'vis-btn vis-small vis-addclass',
    'data-testid': `add-class-${k}`, 'aria-pressed': String(k === addClass),
    onclick: () => { addClass = k; classButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === k))); } },
  el('i', { style: `background:${k ? HUES.pos : HUES.neg}` }), `class ${k}`));
  const valueInput = el('input', { type: 'range', min: vLo, max: vHi, step: 0.05, value: 1, 'data-testid': 'add-value',
    'aria-label': 'value of an added point' });
  const valueOut = el('output', {}, fmt(1, 3));
  const valueSwatch = el('i', { class: 'vis-swatch' });
  const showValue = () => {
    const v = Number(valueInput.value);
    valueOut.textContent = fmt(v, 3);
    valueSwatch.style.background = rgb(diverging(v / scale));
  };
  valueInput.addEventListener('input', showValue);
  const classGroup = el('span', { class: 'vis-addgroup', role: 'group', 'aria-label': 'class of an added point' },
    ...classButtons);
  const valueGroup = el('label', { class: 'vis-addgroup', hidden: true }, 'value', valueInput, valueSwatch, valueOut);
  const addRow = el('div', { class: 'vis-addrow' }, el('span', {}, 'Click the plane to add a point:'), classGroup,
    valueGroup);
  let extentNow = null;
  let last = null;
  let scale = 1;  // a regression's value scale, −scale … scale
  canvas.addEventListener('click', (ev) => {
    const ds = last?.network?.dataset;
    if (!ds || !extentNow) return;
    const r = canvas.getBoundingClientRect();
    const [x0, x1, y0, y1] = extentNow;
    const at = (v, lo, hi) => Math.min(hi, Math.max(lo, Math.round(v * 100) / 100)); // two decimals, on the plane
    const x = [at(x0 + ((ev.clientX - r.left) / r.width) * (x1 - x0), x0, x1),
      at(y1 - ((ev.clientY - r.top) / r.height) * (y1 - y0), y0, y1)];
    const regression = ds.task === 'regression';
    const payload = regression ? { x, value: Number(valueInput.value) } : { x, label: addClass };
    const what = regression ? `value ${fmt(payload.value, 3)}` : `class ${addClass}`;
    ctx.send('add_point', payload, (ack) => {
      addStatus.classList.toggle('vis-error', !(ack && ack.ok));
      addStatus.textContent = addedText(ack, `(x₁ ${fmt(x[0], 3)}, x₂ ${fmt(x[1], 3)})`, what);
    });
  });
  const discrete = el('input', { type: 'checkbox', 'data-testid': 'discretise' });
  const discreteSwitch = el('label', { class: 'vis-switch', title: 'paint each point of the plane in its '
    + 'class colour only (output above or below 0.5)' }, discrete, 'discretise');
  discrete.addEventListener('change', () => view.redraw());
  const rampEnds = [el('span', {}, '0'), el('span', {}, '0.5'), el('span', {}, '1')];
  const ramp = el('div', { class: 'vis-ramp', 'data-testid': 'value-scale', 'aria-hidden': 'true' }, ...rampEnds);
  const title = el('h3', {}, 'Decision boundary');
  const classKeys = el('span', { class: 'vis-legend' },
    el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.neg}` }), 'class 0'),
    el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.pos}` }), 'class 1'));
  const valueKeys = el('span', { class: 'vis-legend', hidden: true },
    el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.neg}` }), 'below 0'),
    el('span', { class: 'vis-key' }, el('i', { style: `background:${HUES.pos}` }), 'above 0'));
  root.replaceChildren(el('div', { class: 'vis-head' }, title, classKeys, valueKeys, discreteSwitch, testSwitch),
    box, ramp, caption, addRow, addStatus);
  const off = document.createElement('canvas');

  /** What the picture is, from the server's state: the hovered neuron's map, the classes only, or the output. */
  function look(state) {
    const ds = state.network.dataset;
    const boundary = state.snapshot?.boundary || null;
    const hover = state.neuronMap;
    const neuron = hover ? boundary?.neurons?.values[hover.layer - 1]?.[hover.index] : null;
    const regression = ds.task === 'regression';
    return { ds, boundary, hover, neuron, regression, discretise: !regression && discrete.checked && !neuron };
  }

  const view = planeView(root, box, '2d', (state, width) => {
    const { boundary, neuron, discretise } = look(state);
    return [boundary, state.snapshot?.outputs, state.network, width, inkOf(root).px, showTest.checked, neuron,
      discretise];
  }, draw);

  function draw(state, width) {
    const { ds, boundary, hover, neuron, regression, discretise } = look(state);
    const snap = state.snapshot;
    const ink = inkOf(root);
    const size = Math.max(160, Math.min(width || 360, 560));
    scale = regression ? valueScale(state.network) : 1;
    const valueColour = (v) => diverging(v / scale);
    discreteSwitch.hidden = regression;
    classGroup.hidden = regression;
    valueGroup.hidden = !regression;
    classKeys.hidden = regression;
    valueKeys.hidden = !regression;
    title.textContent = regression ? 'Fitted surface' : 'Decision boundary';
    box.setAttribute('aria-label', regression ? 'the fitted surface with the data points'
      : 'decision boundary with training points');
    showValue();
    const g = fitCanvas(canvas, size, size);
    canvas.style.width = `${size}px`;
    const extent = boundary?.extent || ds.extent || [-1.5, 1.5, -1.5, 1.5];
    const [x0, x1, y0, y1] = extent;
    extentNow = extent;
    const sx = (x) => ((x - x0) / (x1 - x0)) * size;
    const sy = (y) => size - ((y - y0) / (y1 - y0)) * size;
    g.clearRect(0, 0, size, size);
    if (neuron) {
      paintMap(off, neuron, boundary.neurons.n, (a) => lighten(0.3)(diverging(a)));
      g.imageSmoothingEnabled = true;
      const cw = size / (boundary.neurons.n - 1);
      g.drawImage(off, -cw / 2, -cw / 2, size + cw, size + cw);
      box.dataset.n = String(boundary.neurons.n);
    } else if (boundary) {
      const n = boundary.n;
      // The server says what the grid means (boundary.meaning) and, for classes, which class each cell is.
      const cells = regression ? null : cellClasses(boundary);
      const vals = regression ? boundary.values.map((row) => row.map((v) => (Number.isFinite(v) ? v : 0)))
        : discretise && cells ? cells.map((row) => row.map((k) => (k === 1 ? 1 : k === 0 ? 0 : 0.5)))
          : boundary.values.map((row) => row.map((v) => boundaryScore(boundary, v)));
      const threshold = boundary.meaning?.threshold;
      // The line: a = 0 on a value scale; between two classes, the deciding unit's threshold, or (no one unit
      // decides) the line between the cells' classes.
      const line = cells && threshold == null && !discretise ? cells.map((row) => row.map((k) => (k === 1 ? 1 : 0)))
        : vals;
      const level = regression ? 0 : threshold == null || discretise ? 0.5 : boundaryScore(boundary, threshold);
      // A surface is lightened less than a boundary: its dots are outlined, and its shades are the numbers.
      paintMap(off, vals, n, (v) => (regression ? lighten(0.22)(valueColour(v)) : lighten(0.38)(diverging((v - 0.5) * 2))));
      g.imageSmoothingEnabled = true;
      g.imageSmoothingQuality = 'high';
      // Grid values sit on cell centres of an n×n sampling of the extent's corners: stretch half a cell out.
      const cw = size / (n - 1);
      g.drawImage(off, -cw / 2, -cw / 2, size + cw, size + cw);
      g.strokeStyle = regression ? 'rgba(29,35,48,0.45)' : 'rgba(29,35,48,0.8)';
      g.lineWidth = regression ? 1.2 : Math.max(1.5, ink.px * 0.14);
      g.setLineDash(regression ? [5, 4] : []);
      g.beginPath();
      for (const [[ax, ay], [bx, by]] of contour(line, n, level)) {
        g.moveTo(ax * cw, size - ay * cw);
        g.lineTo(bx * cw, size - by * cw);
      }
      g.stroke();
      g.setLineDash([]);
      box.dataset.n = String(n);
    } else {
      g.fillStyle = '#f4f5f7';
      g.fillRect(0, 0, size, size);
      box.dataset.n = '0';
    }
    const samples = snap?.samples;
    // The samples the server counts as wrong (a tie too); a regression has no wrong side, only an error.
    const wrong = new Set();
    (samples || []).forEach((idx, row) => { if (sampleClass(snap, row)?.correct === false) wrong.add(idx); });
    const colourOf = (d, i) => (regression ? rgb(valueColour(d.Y[i][0])) : sideOf(d, i) ? HUES.pos : HUES.neg);
    const rad = Math.max(3.5, size / 70);
    const pts = ds.points || ds.X; // `points`: the coordinates, when the inputs are features of them
    const firstAdded = pts.length - (ds.added || 0); // the learner's clicked points come last: drawn as diamonds
    pts.forEach((x, i) => {
      g.beginPath();
      if (i >= firstAdded) {
        const [cx, cy, d] = [sx(x[0]), sy(x[1]), rad * 1.45];
        g.moveTo(cx, cy - d); g.lineTo(cx + d, cy); g.lineTo(cx, cy + d); g.lineTo(cx - d, cy); g.closePath();
      } else {
        g.arc(sx(x[0]), sy(x[1]), rad, 0, 2 * Math.PI);
      }
      g.fillStyle = colourOf(ds, i);
      g.fill();
      g.lineWidth = wrong.has(i) ? 2.5 : 1.2;
      g.strokeStyle = wrong.has(i) || regression ? '#1d2330' : '#fff';  // a value near 0 is near white: outline it
      g.stroke();
    });
    const test = state.network.test;
    testSwitch.hidden = !test;
    const tests = test && showTest.checked ? test.points || test.X : [];
    tests.forEach((x, i) => {
      if (regression) {  // a thin dark ring around the value's colour: visible at any value, even near 0
        g.beginPath();
        g.arc(sx(x[0]), sy(x[1]), rad + 1.6, 0, 2 * Math.PI);
        g.lineWidth = 1;
        g.strokeStyle = '#1d2330';
        g.stroke();
      }
      g.beginPath();
      g.arc(sx(x[0]), sy(x[1]), rad, 0, 2 * Math.PI);
      g.lineWidth = 2.2;
      g.strokeStyle = colourOf(test, i);
      g.stroke();
    });
    box.dataset.test = String(tests.length);
    g.fillStyle = 'rgba(29,35,48,0.75)';
    g.font = `italic ${Math.round(ink.px * 0.85)}px ${ink.family}`;
    g.textBaseline = 'bottom';
    g.textAlign = 'right';
    g.fillText('x₁ →', size - 6, size - 4);
    g.save();
    g.translate(4, 6);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'right';
    g.textBaseline = 'top';
    g.fillText('x₂ →', 0, 0);
    g.restore();
    box.dataset.points = String(ds.X.length);
    box.dataset.added = String(ds.added || 0);
    box.dataset.epoch = snap ? String(snap.epoch) : '';
    box.dataset.scale = regression && !neuron ? String(scale) : '';
    const ends = neuron ? ['−1', '0', '1'] : regression ? [fmt(-scale, 3), '0', fmt(scale, 3)] : ['0', '0.5', '1'];
    ends.forEach((t, k) => { rampEnds[k].textContent = t; });
    // The bar is painted with the surface's own shades; a boundary's (and a neuron's) come from the style sheet.
    ramp.style.background = regression && !neuron ? `linear-gradient(90deg, ${[-1, 0, 1].map((t) =>
      rgb(lighten(0.22)(diverging(t)).map(Math.round))).join(', ')}) top / 100% .55em no-repeat` : '';
    box.dataset.view = neuron ? `neuron ${hover.layer}-${hover.index}` : discretise ? 'discrete'
      : regression ? 'surface' : 'boundary';
    const epoch = boundary ? boundary.epoch ?? snap.epoch : null;
    const L = state.network.sizes.length - 1;
    const name = hover && (hover.layer === L ? `output neuron ${hover.index + 1}` : `neuron ${hover.index + 1} of hidden `
      + `layer ${hover.layer}`);
    const added = ds.added ? ' Diamonds: the points you added.' : '';
    caption.textContent = neuron
      ? `Colour: ${name}'s own output over the plane at epoch ${epoch} (orange below 0, blue `
        + 'above, as its disc in the diagram). Move the pointer off its picture (or tap it again) to see the whole '
        + 'network again.'
      : !boundary ? 'The boundary appears with the first snapshot.'
        : regression ? surfaceCaption(snap, epoch, test) + added
          : discretise
            ? `Colour: the class the network gives each point of the plane at epoch ${epoch} `
              + '(output above or below 0.5). Dark rings mark the points it gets wrong.'
            : `Colour: the network's output over the plane at epoch ${epoch} (line: output 0.5). `
              + `${Number.isFinite(snap?.accuracy) ? `${fmt(snap.accuracy * 100, 3)}% of the points` : 'Points'} on `
              + `the right side; dark rings mark the ones it gets wrong.${added}`;
  }

  /** A regression's caption: what the colours are, and the error measure, the server's numbers. */
  function surfaceCaption(snap, epoch, test) {
    const testErr = test && Number.isFinite(snap?.test_error) ? `, ${fmt(snap.test_error)} on the test points` : '';
    return `Colour: the network's output a over the plane at epoch ${epoch}, on the bar's scale (line: a = 0). `
      + `Dots: the targets y in the same colours${test ? ', rings: the test points' : ''}. Mean |y − a|: `
      + `${fmt(snap?.error)} on the training points${testErr}.`;
  }

  return {
    update(state) {
      view.update(state);
      last = state;
    },
  };
}
