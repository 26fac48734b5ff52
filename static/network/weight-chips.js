/**
 * The way from a neuron to its weights' equations: above the equation cards, the selected neuron's incoming
 * weights (an input's outgoing ones) as chips, largest |w| first; a chip selects that weight, whose cards include
 * BP4 (∂C/∂w = a·δ) and the UPDATE. For a selected weight, chips lead back to the neurons at its two ends.
 * Reads the page state; changes only the selection.
 */
import { fmt } from '../lib/visual-kit.js';

const SUB = '₀₁₂₃₄₅₆₇₈₉';
const sub = (n) => String(n).split('').map((c) => SUB[c] || c).join('');
const SHOWN = 8;

export function createWeightChips(root, ctx) {
  root.classList.add('eq-chips');
  root.dataset.testid = 'weight-chips';
  let key = '';
  let shownFor = '';  // the selection the chips are for: "all 30…" holds until the selection changes
  let all = false;
  root.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.more) { all = true; key = ''; ctx.setState({}); return; }
    const [layer, a, c] = b.dataset.pick.split('-').map(Number);
    ctx.select(b.dataset.kind === 'neuron' ? { kind: 'neuron', layer, index: a } : { kind: 'weight', layer, from: a, to: c });
  });

  const name = (net, l, i) => {
    const L = net.sizes.length - 1;
    const labels = (net.dataset && net.dataset.labels) || [];
    if (l === 0) return `x${sub(i + 1)}`;
    if (l === L && labels.length === net.sizes[L]) return `output ${labels[i]}`;
    return `${l === L ? 'output' : `hidden${net.sizes.length > 3 ? ` ${l}` : ''}`} ${i + 1}`;
  };

  return {
    update(state) {
      const net = state.network;
      const W = state.snapshot && state.snapshot.weights;
      if (!net || !W) { if (key) { key = ''; root.__html = ''; root.replaceChildren(); } return; }
      const L = net.sizes.length - 1;
      const sel = state.selection || { kind: 'neuron', layer: L, index: 0 };
      const selKey = JSON.stringify(sel);
      if (`${selKey}|${state.snapshot.epoch}|${all}` === key) return;
      if (shownFor !== selKey) { all = false; shownFor = selKey; }
      key = `${selKey}|${state.snapshot.epoch}|${all}`;
      const chip = (kind, pick, label, value, title) => `<button type="button" class="eq-chip" data-kind="${kind}" data-pick="${pick}"${
        value === undefined ? '' : ` data-sign="${value < 0 ? 'neg' : 'pos'}"`} title="${title}">${label}${
        value === undefined ? '' : ` <span class="num">${fmt(value)}</span>`}</button>`;
      let html = '';
      if (sel.kind === 'neuron') {
        const l = sel.layer;
        const j = sel.index;
        const incoming = l > 0;
        const rows = incoming ? W[l - 1].map((row, i) => ({ i, w: row[j] })) : (W[0][j] || []).map((w, i) => ({ i, w }));
        rows.sort((a, b) => Math.abs(b.w) - Math.abs(a.w));
        const shown = all ? rows : rows.slice(0, SHOWN);
        html = `<span class="eq-chips-say">${incoming ? `Weights into ${name(net, l, j)}` : `Weights out of ${name(net, 0, j)}`
        }, largest first — pick one for <b>BP4</b> and its <b>update</b>:</span>${shown.map((r) => (incoming
          ? chip('weight', `${l - 1}-${r.i}-${j}`, `from ${name(net, l - 1, r.i)}`, r.w, `the weight from ${name(net, l - 1, r.i)} to ${name(net, l, j)}`)
          : chip('weight', `0-${j}-${r.i}`, `to ${name(net, 1, r.i)}`, r.w, `the weight from ${name(net, 0, j)} to ${name(net, 1, r.i)}`))).join('')}${
          rows.length > shown.length ? `<button type="button" class="eq-chip more" data-more="1">all ${rows.length}…</button>` : ''}`;
      } else if (sel.kind === 'weight') {
        const { layer: l, from: i, to: j } = sel;
        html = `<span class="eq-chips-say">This weight joins</span>${
          chip('neuron', `${l}-${i}`, name(net, l, i), undefined, 'its input neuron')} → ${
          chip('neuron', `${l + 1}-${j}`, name(net, l + 1, j), undefined, 'the neuron it feeds (BP1/BP2 for its δ)')}`;
      }
      if (html !== root.__html) { root.__html = html; root.innerHTML = html; }  // the same chips: no new nodes
    },
  };
}
