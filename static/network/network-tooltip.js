/**
 * The diagram's hover card: names the neuron, weight or bias under the pointer and lists its live numbers
 * (z, a, δ, b for a neuron; w and ∂C/∂w for a weight). It refreshes while training so the numbers stay current.
 * It reads the frame values network.js computed; it never changes the page state.
 */
import { fmt } from '../lib/visual-kit.js';
import { sup } from '../core/phases.js';

const SUB = '₀₁₂₃₄₅₆₇₈₉';
const sub = (n) => String(n).split('').map((c) => SUB[c] || c).join('');

function layerName(l, L) {
  return l === 0 ? 'input' : l === L ? 'output layer' : `hidden layer ${l}`;
}

function row(k, v, cls = '') {
  return `<div class="tt-row ${cls}"><span class="k">${k}</span><span class="v num">${v}</span></div>`;
}

function describe(target, state, v) {
  const L = state.network.sizes.length - 1;
  const labels = (state.network.dataset && state.network.dataset.labels) || [];
  if (target.dataset.neuron || target.dataset.bias) {
    const [l, i] = (target.dataset.neuron || target.dataset.bias).split('-').map(Number);
    const name = l === L && labels[i] !== undefined ? ` (“${labels[i]}”)` : '';
    let html = `<div class="tt-title">neuron ${i + 1} of the ${layerName(l, L)}${name}</div>`;
    if (l > 0 && v.zs[l]) html += row(`z${sup(l)}${sub(i + 1)}`, fmt(v.zs[l][i]));
    if (v.acts && v.acts[l]) html += row(l === 0 ? `x${sub(i + 1)}` : `a${sup(l)}${sub(i + 1)}`, fmt(v.acts[l][i]));
    if (l > 0 && v.deltas[l]) html += row(`δ${sup(l)}${sub(i + 1)}`, fmt(v.deltas[l][i]), 'delta');
    if (l > 0 && v.biases && v.biases[l - 1]) html += row(`b${sup(l)}${sub(i + 1)}`, fmt(v.biases[l - 1][i]));
    if (l > 0 && v.gradsB && v.gradsB[l - 1]) html += row('∂C/∂b', fmt(v.gradsB[l - 1][i]));
    if (l === L && v.y) html += row('target y', fmt(v.y[i]));
    return html + `<div class="tt-foot">sample ${v.sample + 1} · click for its equations</div>`;
  }
  const key = target.dataset.hit || target.dataset.weight;
  const [l, i, j] = key.split('-').map(Number);
  let html = `<div class="tt-title">weight from ${layerName(l, L)} ${l === 0 ? 'x' : 'neuron '}${i + 1} to ${
    layerName(l + 1, L)} neuron ${j + 1}</div>`;
  if (v.weights && v.weights[l]) html += row(`w${sup(l + 1)}${sub(i + 1)}${sub(j + 1)}`, fmt(v.weights[l][i][j]));
  if (v.grads && v.grads[l]) html += row('∂C/∂w', fmt(v.grads[l][i][j]), 'delta');
  if (v.grads && v.grads[l] && v.eta) html += row('−η·∂C/∂w', fmt(-v.eta * v.grads[l][i][j]));
  return html + '<div class="tt-foot">click for its equations</div>';
}

export function createNetworkTooltip(root) {
  const box = document.createElement('div');
  box.className = 'net-tooltip';
  box.hidden = true;
  root.appendChild(box);
  let target = null;
  let pos = { x: 0, y: 0 };

  function render(state, v) {
    if (!target || !state || !v || !state.network) { box.hidden = true; return; }
    const html = describe(target, state, v);
    if (box.__h !== html) { box.__h = html; box.innerHTML = html; }
    box.hidden = false;
    const w = box.offsetWidth;
    const h = box.offsetHeight;
    const x = pos.x + 16 + w > root.clientWidth ? pos.x - w - 12 : pos.x + 16;
    const y = Math.min(Math.max(4, pos.y - h / 2), root.clientHeight - h - 4);
    box.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }

  return {
    /** `t` is what the pointer is on ({dataset: {neuron | hit | bias}}), or null. */
    show(e, t, state, v) {
      const r = root.getBoundingClientRect();
      pos = { x: e.clientX - r.left, y: e.clientY - r.top };
      target = t;
      render(state, v);
    },
    hide() { target = null; box.hidden = true; },
    refresh(state, v) { if (target) render(state, v); },
  };
}
