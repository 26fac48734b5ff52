/**
 * The training table for table datasets (the XOR-like table of seeds 000/001): each row's inputs, target and the
 * network's current output, marked right or wrong, with the row shown in the diagram highlighted (click a row to
 * show it). Reads the page state; selects a sample through ctx.setState.
 */
import { fmt } from '../lib/visual-kit.js';
import { sampleClass } from '../core/wire.js';

const cell = (v) => (Number.isInteger(v) ? String(v) : fmt(v));

export function createTable(root, ctx) {
  root.innerHTML = '<table class="data-table"><thead></thead><tbody></tbody></table><p class="table-note"></p>';
  const head = root.querySelector('thead');
  const body = root.querySelector('tbody');
  const note = root.querySelector('.table-note');
  let shapeKey = '';
  root.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-sample]');
    if (tr) ctx.setState({ sample: Number(tr.dataset.sample) });
  });
  return {
    update(state) {
      const ds = state.network && state.network.dataset;
      if (!ds || !ds.X) return;
      const nIn = ds.X[0].length;
      const nOut = ds.Y[0].length;
      const key = `${ds.name}|${ds.X.length}|${nIn}|${nOut}`;
      if (key !== shapeKey) {
        shapeKey = key;
        const xs = Array.from({ length: nIn }, (_, i) => `<th>x<sub>${i + 1}</sub></th>`).join('');
        const ys = Array.from({ length: nOut }, (_, j) => `<th>y<sub>${nOut > 1 ? j + 1 : ''}</sub></th><th>a<sup>L</sup></th>`).join('');
        head.innerHTML = `<tr><th>#</th>${xs}${ys}<th></th></tr>`;
        body.innerHTML = ds.X.map((x, n) => `<tr data-sample="${n}"><td>${n + 1}</td>${x.map((v) => `<td class="num">${cell(v)}</td>`).join('')}${
          ds.Y[n].map((y) => `<td class="num">${cell(y)}</td><td class="num out"></td>`).join('')}<td class="mark"></td></tr>`).join('');
        note.textContent = ds.note || '';  // the dataset's own sentence (engine/datasets.py)
      }
      const snap = state.snapshot;
      const outs = snap && snap.outputs;
      [...body.rows].forEach((tr, n) => {
        tr.classList.toggle('current', n === state.sample);
        if (!outs || !outs[n]) return;
        const cells = tr.querySelectorAll('td.out');
        outs[n].forEach((a, j) => { cells[j].textContent = fmt(a); });
        const verdict = sampleClass(snap, n);  // the server's: the class the accuracy counts
        const right = verdict?.correct;
        const mark = tr.querySelector('.mark');
        mark.textContent = verdict ? (right ? '✓' : '✗') : '';  // no classes (regression): no verdict
        mark.className = `mark ${right ? 'ok' : 'bad'}`;
      });
    },
  };
}
