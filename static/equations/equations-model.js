/**
 * The numbers behind the equations panel: which neuron or weight, which sample, and every value BP1–BP4 use.
 *
 * What it is for: `equationValues(state)` reads the `network` message and either the `snapshot` (all samples,
 * gradients of the reduced cost) or, in step-sample mode, the `trace` (one sample's share), and returns a plain
 * object of numbers and names for equations.js to typeset.  It derives only what the server does not send and
 * the maths makes obvious: σ′ from a (or z) by the schema's rule, the products and sums it displays.  ∂C/∂a
 * (`cost_derivative`) and the regulariser's term (`gradients.penalty`) are the engine's: no loss or
 * regularisation name decides a number here.  The update is the
 * server's `snapshot.next` (the step the trainer really takes, in every batch mode, with momentum and η/epoch).
 * What it leaves out: no DOM and no TeX.
 */

import { activation, sigmaPrime } from '../core/schema.js';

const get = (m, ...ix) => ix.reduce((v, i) => (v === null || v === undefined ? undefined : v[i]), m);
const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** σ′(z) as the engine evaluates it, from the activation's rule in the schema (engine/activations.py `der_rule`). */
export { sigmaPrime };

/** The neuron or weight to explain: the selection, or the first output neuron. */
export function target(network, selection) {
  const L = network.sizes.length - 1;
  const sel = selection || { kind: 'neuron', layer: L, index: 0 };
  if (sel.kind === 'weight') {
    const l = sel.layer + 1;
    if (!(l >= 1 && l <= L && sel.from < network.sizes[l - 1] && sel.to < network.sizes[l])) return null;
    return { kind: 'weight', l, i: sel.from, j: sel.to, L };
  }
  if (!(sel.layer >= 0 && sel.layer <= L && sel.index >= 0 && sel.index < network.sizes[sel.layer])) return null;
  return { kind: 'neuron', l: sel.layer, j: sel.index, i: null, L };
}

/** One sample's vectors and the per-sample rows used by the Σₙ terms, from a trace or a snapshot. */
function source(state) {
  const net = state.network;
  const tr = state.trace;
  if (tr && state.phase) {
    return { mode: 'trace', n: tr.batch_size, index: tr.index, rows: [tr.index], row: 0,
      x: (l) => tr.activations[l], z: (l) => tr.zs[l - 1], d: (l) => tr.deltas[l - 1], y: tr.y,
      dC_da: tr.cost_derivative, penalty: tr.gradients.penalty, aRows: (l) => [tr.activations[l]], dRows: (l) => [tr.deltas[l - 1]],
      W: tr.weights_before, B: tr.biases_before, eta: tr.eta, gradW: tr.gradients.weights, gradB: tr.gradients.biases,
      applied: tr.applied, W_after: tr.weights_after, B_after: tr.biases_after,
      position: tr.position, epoch: tr.epoch };
  }
  const s = state.snapshot;
  if (!s || !s.activations) return null;
  const rows = s.samples || s.activations[0].map((_, i) => i);
  let row = rows.indexOf(state.sample ?? rows[0]);
  if (row < 0) row = 0;
  return { mode: 'snapshot', n: net.dataset?.n_samples ?? rows.length, index: rows[row], rows, row, next: s.next,
    replay: !!s.replay,
    x: (l) => s.activations[l][row], z: (l) => s.zs[l - 1][row], d: (l) => s.deltas[l - 1][row],
    y: get(net, 'dataset', 'Y', rows[row]), dC_da: get(s, 'cost_derivative', row),
    penalty: get(s, 'gradients', 'penalty'), aRows: (l) => s.activations[l], dRows: (l) => s.deltas[l - 1],
    W: s.weights, B: s.biases, eta: s.eta, gradW: get(s, 'gradients', 'weights'),
    gradB: get(s, 'gradients', 'biases'), epoch: s.epoch };
}

const close = (a, b) => a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * δ of output neuron j the textbook way, with the pieces the panel shows; `cancels` for BCE+σ and CE+softmax.
 * ∂C/∂a is the server's (`cost_derivative`, each sample's own cost before the 1/n).
 */
function outputDelta(net, src, j) {
  const act = net.output_activation || net.activation;
  const a = src.x(src.L)[j];
  const z = src.z(src.L)[j];
  const y = num(get(src.y, j));
  const scale = net.reduction === 'mean' ? 1 / src.n : 1;
  const out = { rule: 'bp1', act, loss: net.loss, a, z, y, scale, n: src.n };
  const g = (src.dC_da || []).map(num);
  if (y === null) return out;
  const elementwise = activation(act)?.hidden !== false;  // the schema's word: softmax mixes the outputs
  out.grad_a = g[j] ?? null;
  if (net.cancels) {  // the server's (engine/losses.py `cancels`): δᴸ = a − y exactly
    out.cancels = true;
    out.sigma_prime = elementwise ? sigmaPrime(act, z, a) : null;
    out.formula = (a - y) * scale;
  } else if (!elementwise) {
    const av = src.x(src.L);
    out.softmax = true;
    out.dot = g.length === av.length && g.every((gk) => gk !== null) ? g.reduce((t, gk, k) => t + gk * av[k], 0) : null;
    out.formula = out.dot === null || out.grad_a === null ? null : a * (out.grad_a - out.dot) * scale;
  } else {
    out.sigma_prime = sigmaPrime(act, z, a);
    out.formula = out.sigma_prime === null || out.grad_a === null ? null : out.grad_a * out.sigma_prime * scale;
  }
  return out;
}

/** δ of hidden neuron j in layer l by BP2: the terms δˡ⁺¹ₖ wˡ⁺¹ⱼₖ, their sum and σ′(zˡⱼ). */
function hiddenDelta(net, src, l, j) {
  const act = net.activation;
  const a = src.x(l)[j];
  const z = src.z(l)[j];
  const next = src.d(l + 1);
  const terms = next.map((dk, k) => ({ k, delta: dk, w: src.W[l][j][k] }));
  const sum = terms.reduce((t, x) => t + x.delta * x.w, 0);
  const sp = sigmaPrime(act, z, a);
  return { rule: 'bp2', act, a, z, terms, sum, sigma_prime: sp, formula: sp === null ? null : sum * sp };
}

/** Everything the panel shows, or {empty: reason}. */
export function equationValues(state) {
  const net = state.network;
  if (!net || !net.sizes) return { empty: 'Waiting for the network…' };
  const t = target(net, state.selection);
  if (!t) return { empty: 'The selection is not part of this network.' };
  const src = source(state);
  if (!src) return { empty: 'Waiting for the first snapshot…' };
  src.L = t.L;
  const v = { target: t, mode: src.mode, sample: src.index, row: src.row, rows: src.rows, n: src.n,
    epoch: src.epoch, eta: num(src.eta), sizes: net.sizes, loss: net.loss, reduction: net.reduction,
    activation: net.activation, output_activation: net.output_activation || net.activation, bias: !!net.bias,
    variant: get(net, 'variant', 'name') || 'correct', variantTitle: get(net, 'variant', 'title'),
    sampleWord: get(net, 'dataset', 'sample_word'), labels: get(net, 'dataset', 'labels') || [],
    y: src.y, applied: src.applied, batch: get(net, 'config', 'batch') ?? 'full', position: src.position, layout: state.layout === 'column' ? 'column' : 'row' };
  const { l, i, j } = t;
  if (l === 0) {
    v.input = { a: src.x(0)[j] };
    return v;
  }
  const aPrev = src.x(l - 1);
  const bias = v.bias ? num(get(src.B, l - 1, j)) : null;
  v.forward = { a_prev: aPrev, w: src.W[l - 1].map((row) => row[j]), b: bias, z: src.z(l)[j], a: src.x(l)[j] };
  v.delta = l === t.L ? outputDelta(net, src, j) : hiddenDelta(net, src, l, j);
  v.delta.value = src.d(l)[j];
  v.delta.mismatch = num(v.delta.formula) !== null && num(v.delta.value) !== null && !close(v.delta.formula, v.delta.value);
  const dRows = src.dRows(l);
  const gb = get(src.gradB, l - 1, j);
  if (v.bias) {
    v.bp3 = { terms: dRows.map((d) => d[j]), value: num(gb), b: bias, perSample: Array.isArray(gb) };
    v.bp3.sum = v.bp3.terms.reduce((s, x) => s + x, 0);
  }
  if (t.kind === 'weight') {
    const aRows = src.aRows(l - 1);
    const terms = aRows.map((a, r) => ({ a: a[i], d: dRows[r][j] }));
    const value = num(get(src.gradW, l - 1, i, j));
    v.bp4 = { terms, value, sum: terms.reduce((s, x) => s + x.a * x.d, 0), complete: aRows.length === src.n };
    const w = src.W[l - 1][i][j];
    // L1/L2 regularisation: the engine's ∂C/∂w also holds the regulariser's term (`gradients.penalty`), once per
    // batch (so not in one sample's share of a trace).  `kind` only picks the TeX.
    const penalty = num(get(src.penalty, l - 1, i, j));
    if (src.mode === 'snapshot' && penalty !== null) {
      v.bp4.penalty = { kind: get(net, 'config', 'regularization'), rate: num(get(net, 'config', 'reg_rate')), w,
        value: penalty };
    }
    v.update = { w, grad: value, eta: v.eta, momentum: num(get(net, 'config', 'momentum')) || 0 };
    if (src.mode === 'snapshot') Object.assign(v.update, nextStep(src, net, 'weights', (p) => get(p, l - 1, i, j)));
    else if (src.applied) {
      v.update.w_new = num(get(src.W_after, l - 1, i, j));
      v.update.batch_grad = v.eta && !v.update.momentum ? (w - v.update.w_new) / v.eta : null;
    }
  } else if (v.bias && v.bp3.value !== null && num(bias) !== null) {
    v.update = { b: bias, grad: v.bp3.value, eta: v.eta, momentum: num(get(net, 'config', 'momentum')) || 0 };
    if (src.mode === 'snapshot') Object.assign(v.update, nextStep(src, net, 'biases', (p) => get(p, l - 1, j)));
    else if (src.applied) {
      v.update.b_new = num(get(src.B_after, l - 1, j));
      v.update.batch_grad = v.eta && !v.update.momentum ? (bias - v.update.b_new) / v.eta : null;
    }
  }
  return v;
}

/**
 * The step the trainer really takes next, as the server worked it out (`snapshot.next`): the value it reaches,
 * each step's change, the velocity with momentum.  `key` is 'weights' or 'biases'; `at(arrays)` picks this
 * parameter out of per-layer arrays.  Nothing is recomputed here: every number is the engine's.
 */
function nextStep(src, net, key, at) {
  const nx = src.next;
  if (!nx) return { known: false, replay: src.replay };
  const labels = get(net, 'dataset', 'labels') || [];
  const Y = get(net, 'dataset', 'Y') || [];
  const name = (k) => {
    const y = Y[k];
    return y && y.length > 1 && labels.length === y.length ? labels[y.indexOf(Math.max(...y))] : `sample ${k + 1}`;
  };
  const series = key === 'weights' ? nx.step_weights : nx.step_biases;
  return {
    known: true,
    [key === 'weights' ? 'w_new' : 'b_new']: num(at(nx[key])),
    steps: nx.steps,
    batch_size: nx.batch_size,
    eta_t: num(nx.eta),
    eta_base: num(get(net, 'config', 'lr')),
    inverse: nx.schedule === 'inverse',
    momentum: num(nx.momentum) || 0,
    order: (nx.order || []).map(name),
    finite: nx.finite !== false,
    velocity: nx.velocity ? num(at(nx.velocity[key])) : null,
    velocity_new: nx.velocity_after ? num(at(nx.velocity_after[key])) : null,
    changes: Array.isArray(series) && series.length === nx.steps ? series.map((x) => num(at(x))) : null,
  };
}
