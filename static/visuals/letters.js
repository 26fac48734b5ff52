/**
 * Letters: the training images with the network's output bars, and a drawing pad with live prediction.
 *
 * What it is for: for datasets of kind 'images' (the letters) it draws every training image (`dataset.X`, row-major in
 * `image_shape` = [rows, cols]) with one bar per output from `snapshot.outputs`, marked correct or wrong (and since
 * which epoch it has been right).  The pad is a rows×cols grid: click toggles a cell, drag paints with the value the
 * first cell took, erase mode paints blank, clear empties it.  Every change asks the server for a prediction
 * (`predict`, one request in flight at a time, the newest drawing wins) and the drawing can be handed, with a label,
 * to the page's drawings service (`ctx.drawings.submit(label, pixels)`, see extension-points.js); a blank pad is
 * refused before anything is sent.  On a solo page the service stores it and the run goes on with it; in a class it
 * goes to the teacher's queue.  The pad's button words and its status line say what the service answered (and its
 * later news).  "Your drawings" lists the service's kept drawings of this dataset (`ctx.drawings.list`) with
 * thumbnails and a delete button each (`ctx.drawings.remove`); a service that keeps none (a class) has no list.
 * What it leaves out: it never runs the network itself; for other dataset kinds it hides its root.
 *
 * API: createLetters(root, ctx) -> { update(state) }.
 * Test hooks: [data-testid="draw-grid"] with rows×cols [data-cell="k"] (row-major, data-on="1"|"0");
 * [data-testid="prediction"] (the predicted label as text, "?" for a tie; data-value = its output; data-doubt = the
 * server's reason, in words (./doubt.js), when the answer is not a clear one); [data-testid="pad-bars"]; [data-testid="doubt-rule"] (when
 * an answer is marked not sure, in the schema's words);
 * [data-testid="draw-erase"], [data-testid="draw-clear"], [data-testid="add-example"] buttons (data-label);
 * [data-testid="add-status"] (data-state ok|error|pending); [data-testid="training-images"] with figures
 * [data-sample] (data-correct "true"|"false", data-predicted); [data-testid="my-drawings"] (data-count) with items
 * [data-drawing] (= the stored id, data-label) each holding a [data-testid="delete-drawing"] button.
 */
import { el, fmt, fmtInt, fmtShort } from '../lib/visual-kit.js';
import { sampleClass } from '../core/wire.js';
import { schema } from '../core/schema.js';
import { doubtWords } from './doubt.js';


function bars(labels, target) {
  const rows = labels.map((label, k) => {
    const fill = el('span', { class: 'vis-bar-fill' });
    const value = el('span', { class: 'vis-bar-value' }, '');
    const row = el('div', { class: `vis-bar${k === target ? ' vis-target' : ''}`, dataset: { label } },
      el('span', { class: 'vis-bar-label' }, label), el('span', { class: 'vis-bar-track' }, fill), value);
    return { row, fill, value };
  });
  return {
    node: el('div', { class: 'vis-bars' }, rows.map((r) => r.row)),
    /** `top`: the class the server says these outputs are (-1: none, a tie). */
    set(outputs, top = -1) {
      rows.forEach((r, k) => {
        const v = outputs ? outputs[k] : null;
        const f = Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
        const t = fmtShort(v);
        r.fill.style.transform = `scaleX(${f.toFixed(4)})`;
        if (r.value.textContent !== t) r.value.textContent = t;
        if (r.row.classList.contains('vis-top') !== (k === top)) r.row.classList.toggle('vis-top', k === top);
      });
    },
  };
}

function image(pixels, cols) {
  return el('div', { class: 'vis-img', style: `--cols:${cols}` },
    pixels.map((p) => el('i', { style: `--ink:${Math.max(0, Math.min(1, p))}` })));
}

export function createLetters(root, ctx) {
  root.classList.add('vis-letters');
  const gallery = el('div', { class: 'vis-gallery', 'data-testid': 'training-images' });
  const grid = el('div', { class: 'vis-pad', 'data-testid': 'draw-grid', role: 'grid',
    'aria-label': 'drawing pad: click or drag to paint' });
  const eraseBtn = el('button', { type: 'button', class: 'vis-btn', 'data-testid': 'draw-erase',
    'aria-pressed': 'false' }, 'Erase');
  const clearBtn = el('button', { type: 'button', class: 'vis-btn', 'data-testid': 'draw-clear' }, 'Clear');
  const prediction = el('span', { class: 'vis-pred-label', 'data-testid': 'prediction' }, '—');
  const predNote = el('span', { class: 'vis-pred-note' }, 'draw on the grid');
  const padBars = el('div', { 'data-testid': 'pad-bars' });
  // When an answer is marked not sure: the server's rule (app/wire/encode.py doubt_rule, in the schema), in its words.
  const doubtRule = el('p', { class: 'vis-small vis-muted vis-doubt-rule', 'data-testid': 'doubt-rule' },
    schema()?.doubt?.words || '');
  prediction.title = schema()?.doubt?.words || '';
  const addRow = el('div', { class: 'vis-add' });
  const addWords = el('span', {}, ctx.drawings.words.button);
  const addStatus = el('span', { class: 'vis-status', 'data-testid': 'add-status', role: 'status' });
  const drawingsCount = el('span', { class: 'vis-muted' });
  const drawingsList = el('ul', { class: 'vis-drawings-list', 'data-testid': 'my-drawings' });
  const drawingsBox = el('details', { class: 'vis-drawings', open: '' },
    el('summary', {}, 'Your drawings ', drawingsCount), drawingsList);
  root.replaceChildren(
    el('section', { class: 'vis-train' }, el('h3', {}, 'Training images'), gallery),
    el('section', { class: 'vis-draw' }, el('h3', {}, 'Draw a letter'),
      el('div', { class: 'vis-draw-body' },
        el('div', {}, grid, el('div', { class: 'vis-tools' }, eraseBtn, clearBtn)),
        el('div', { class: 'vis-pred' }, el('div', { class: 'vis-pred-head' }, 'Prediction ', prediction, predNote),
          padBars, addRow, addStatus)), doubtRule, drawingsBox));

  let shape = [0, 0];
  let pixels = [];
  let cells = [];
  let erase = false;
  let network = null;
  let padBarsView = null;
  let samples = [];
  let labels = [];
  let lastOutputs = null;
  let inFlight = false;
  let dirty = false;
  let lastEpoch = null;
  let lastPredictAt = 0;
  let timer = null;
  let drawingsFor = null; // the dataset whose stored drawings the list shows
  let linkOpened; // a link opened: the drawings it carries joined the stored ones

  function buildPad(rows, cols) {
    shape = [rows, cols];
    pixels = new Array(rows * cols).fill(0);
    grid.style.setProperty('--cols', cols);
    cells = pixels.map((_, k) => el('button', { type: 'button', class: 'vis-cell', role: 'gridcell',
      'aria-label': `row ${Math.floor(k / cols) + 1}, column ${(k % cols) + 1}`, 'aria-pressed': 'false',
      dataset: { cell: String(k), on: '0' } }));
    grid.replaceChildren(...cells);
  }

  function setCell(k, v) {
    if (k < 0 || k >= pixels.length || pixels[k] === v) return false;
    pixels[k] = v;
    cells[k].dataset.on = String(v);
    cells[k].setAttribute('aria-pressed', String(v === 1));
    return true;
  }

  function cellAt(e) {
    const r = grid.getBoundingClientRect();
    const [rows, cols] = shape;
    const c = Math.floor(((e.clientX - r.left) / r.width) * cols);
    const row = Math.floor(((e.clientY - r.top) / r.height) * rows);
    return c >= 0 && c < cols && row >= 0 && row < rows ? row * cols + c : -1;
  }

  let paintValue = null;
  grid.addEventListener('pointerdown', (e) => {
    const k = Number(e.target.closest('[data-cell]')?.dataset.cell ?? cellAt(e));
    if (!(k >= 0)) return;
    e.preventDefault();
    paintValue = erase ? 0 : 1 - pixels[k];
    try { grid.setPointerCapture(e.pointerId); } catch { /* synthetic events have no capturable pointer */ }
    if (setCell(k, paintValue)) changed();
  });
  grid.addEventListener('pointermove', (e) => {
    if (paintValue === null) return;
    if (setCell(cellAt(e), paintValue)) changed();
  });
  const stop = () => { paintValue = null; };
  grid.addEventListener('pointerup', stop);
  grid.addEventListener('pointercancel', stop);
  grid.addEventListener('lostpointercapture', stop);
  grid.addEventListener('click', (e) => { // keyboard activation only: pointers were handled on pointerdown
    const cell = e.target.closest('[data-cell]');
    if (cell && e.detail === 0 && setCell(Number(cell.dataset.cell), erase ? 0 : 1 - pixels[cell.dataset.cell])) {
      changed();
    }
  });
  eraseBtn.addEventListener('click', () => {
    erase = !erase;
    eraseBtn.setAttribute('aria-pressed', String(erase));
    root.classList.toggle('vis-erasing', erase);
  });
  clearBtn.addEventListener('click', () => {
    if (pixels.some((p) => p)) {
      pixels.forEach((_, k) => setCell(k, 0));
      changed();
    }
  });

  function changed() {
    dirty = true;
    predict();
  }

  function showPrediction(outputs, label, doubt = null) {
    const empty = !pixels.some((p) => p);
    prediction.style.cssText = '';
    predNote.style.cssText = '';
    delete prediction.dataset.doubt;
    if (!outputs || empty) {
      prediction.textContent = '—';
      delete prediction.dataset.value;
      predNote.textContent = empty ? 'draw on the grid' : '';
      padBarsView?.set(null);
      return;
    }
    // The server's answer: its label (none for a tie) and, when the answer is not a clear one, why (`doubt`).
    const k = label == null ? -1 : labels.indexOf(label);
    const value = k >= 0 ? outputs[k] : Math.max(...outputs);
    prediction.textContent = label ?? '?';
    prediction.dataset.value = String(value);
    const why = doubtWords(doubt);  // the server's reason, worded with the bars' numbers
    predNote.textContent = why || `output ${fmt(value)}`;
    if (why) { // an unsure answer is not shouted: smaller, lighter, and the reason in words beside it
      prediction.dataset.doubt = why;
      prediction.style.cssText = 'font-weight:400;opacity:.55;font-size:1.8em';
      predNote.style.cssText = 'color:var(--vis-warn);font-weight:600';
    }
    padBarsView?.set(outputs, label == null ? -1 : labels.indexOf(label));
  }

  function predict() {
    if (inFlight || !network) return;
    if (!pixels.some((p) => p)) { dirty = false; showPrediction(null); return; }
    inFlight = true;
    dirty = false;
    lastPredictAt = performance.now();
    const sent = network;
    ctx.send('predict', { input: pixels.slice() }, (ack) => {
      inFlight = false;
      if (sent !== network) { predict(); return; }
      if (dirty) { predict(); return; } // the drawing changed meanwhile: show the answer for the newest one
      if (ack && ack.ok) {
        showPrediction(ack.outputs, ack.label, ack.doubt ?? null);
        predNote.classList.remove('vis-error');
      } else {
        prediction.textContent = '—';
        predNote.textContent = ack?.error?.message || 'prediction failed';
        predNote.classList.add('vis-error');
      }
    });
  }

  function predictSoon() { // after a new snapshot: at most ~4 requests a second, the last one always sent
    if (timer !== null) return;
    timer = setTimeout(() => { timer = null; dirty = true; predict(); },
      Math.max(0, 250 - (performance.now() - lastPredictAt)));
  }

  function say(state, text) {
    addStatus.dataset.state = state;
    addStatus.textContent = text;
  }

  ctx.drawings.onNews((news) => say(news.state, news.text)); // later news of a sent drawing (a teacher's verdict)

  async function addExample(label) {
    if (!pixels.some((p) => p)) {
      say('error', 'The pad is blank: paint the letter first, then add it.');
      return;
    }
    say('pending', ctx.drawings.words.pending(label));
    const answer = await ctx.drawings.submit(label, pixels.slice());
    say(answer.state, answer.text);
    if (ctx.drawings.list) loadDrawings(true);
  }

  async function deleteDrawing(id, label) {
    say('pending', `deleting drawing #${id}…`);
    const answer = await ctx.drawings.remove(id, label);
    say(answer.state, answer.text);
    loadDrawings(true);
  }

  const SHOWN = 48; // newest drawings listed; the store keeps more

  async function loadDrawings(force = false) {
    const name = network?.dataset?.name;
    drawingsBox.hidden = !name || !ctx.drawings.list;
    if (drawingsBox.hidden || (!force && drawingsFor === name)) return;
    drawingsFor = name;
    try {
      const examples = await ctx.drawings.list(name);
      if (drawingsFor !== name) return;
      const cols = shape[1];
      const newest = examples.slice(-SHOWN).reverse();
      drawingsList.dataset.count = String(examples.length);
      drawingsCount.textContent = examples.length > SHOWN ? `(${examples.length}, newest ${SHOWN} shown)`
        : `(${examples.length})`;
      drawingsList.replaceChildren(...(newest.length ? newest.map((e) => el('li', {
        class: 'vis-drawing', dataset: { drawing: String(e.id), label: e.label } },
      image(e.input, cols), el('b', {}, e.label),
      el('button', { type: 'button', class: 'vis-btn vis-del', 'data-testid': 'delete-drawing',
        title: `delete drawing #${e.id}`, 'aria-label': `delete drawing #${e.id} (${e.label})`,
        onclick: () => deleteDrawing(e.id, e.label) }, '×')))
        : [el('li', { class: 'vis-muted' }, 'none yet: draw a letter and add it to the training set')]));
    } catch (err) {
      drawingsFor = null;
      drawingsCount.textContent = `(not loaded: ${err.message})`;
    }
  }

  function build(net) {
    const ds = net.dataset;
    labels = ds.labels || [];
    const [rows, cols] = ds.image_shape || [1, ds.X[0].length];
    if (rows !== shape[0] || cols !== shape[1]) buildPad(rows, cols);
    samples = ds.X.map((x, i) => {
      const target = ds.classes?.[i] ?? -1;  // the server's class of this image
      const view = bars(labels, target);
      const mark = el('span', { class: 'vis-mark' });
      const fig = el('figure', { class: 'vis-sample', dataset: { sample: String(i), label: labels[target] ?? '' } },
        image(x, cols), el('figcaption', {}, el('b', {}, labels[target] ?? '?'), mark), view.node);
      return { fig, view, mark, target, since: null };
    });
    gallery.replaceChildren(...samples.map((s) => s.fig));
    padBarsView = bars(labels, -1);
    padBars.replaceChildren(padBarsView.node);
    addRow.replaceChildren(addWords, ...labels.map((l) => el('button', {
      type: 'button', class: 'vis-btn', 'data-testid': 'add-example', dataset: { label: l },
      onclick: () => addExample(l) }, l)));
    lastOutputs = null;
    showPrediction(null);
    loadDrawings();
  }

  function drawOutputs(snap) {
    if (!snap?.outputs || snap.outputs === lastOutputs) return;
    lastOutputs = snap.outputs;
    const rows = snap.samples || snap.outputs.map((_, i) => i);
    rows.forEach((idx, r) => {
      const s = samples[idx];
      const out = snap.outputs[r];
      if (!s || !out) return;
      const c = sampleClass(snap, r);  // the server's verdict: a tie for the top is no answer, so not a right one
      if (!c) return;
      const p = c.predicted;
      const tie = c.tie;
      const ok = c.correct;
      s.view.set(out, tie ? -1 : p);
      if (!ok) s.since = null;
      else if (s.since === null || snap.epoch < s.since) s.since = snap.epoch;
      const mark = ok ? `✓ since ${s.since}` : tie ? '✗ no answer (tie)' : `✗ says ${labels[p] ?? p}`;
      if (s.mark.textContent === mark) return;
      s.fig.dataset.correct = String(ok);
      s.fig.dataset.predicted = tie ? '' : labels[p] ?? String(p);
      s.mark.textContent = mark;
      s.mark.title = ok ? `correct since epoch ${s.since}`
        : tie ? `the outputs tie at ${fmt(out[p])}: the network gives no answer` : `the network answers ${labels[p] ?? p}`;
    });
  }

  return {
    update(state) {
      const net = state.network;
      const active = net?.dataset?.kind === 'images';
      root.hidden = !active;
      if (!active) return;
      if (net !== network) {
        network = net;
        build(net);
        if (pixels.some((p) => p)) predict();
      }
      drawOutputs(state.snapshot);
      if (state.linkOpened !== linkOpened) {
        linkOpened = state.linkOpened;
        loadDrawings(true);
      }
      const words = ctx.drawings.words.button; // the service may change (a tab that turns out to be in a class)
      if (addWords.textContent !== words) addWords.textContent = words;
      if (!ctx.drawings.list) drawingsBox.hidden = true;
      const epoch = state.snapshot?.epoch ?? null;
      if (epoch !== lastEpoch) { // the network changed under the drawing: refresh its prediction, ~4×/s at most
        lastEpoch = epoch;
        if (pixels.some((p) => p)) predictSoon();
      }
    },
  };
}
