/**
 * What the diagram shows in one frame, read from the page state: during a step-sample animation the `trace`
 * (one sample's pass), otherwise the newest `snapshot` for the chosen sample. Every per-layer array is indexed by
 * layer including the input (zs[0] and deltas[0] are null), which keeps the drawing code free of off-by-ones.
 * No DOM here.
 */

export function sampleRow(snapshot, sample) {
  const rows = snapshot && snapshot.samples;
  if (!rows || !rows.length) return 0;
  const k = rows.indexOf(sample);
  return k < 0 ? 0 : k;
}

const rowOf = (m, r) => (Array.isArray(m) && m.length ? m[Math.min(r, m.length - 1)] : null);

export function frameValues(state) {
  const { snapshot: snap, trace: tr, phase, network } = state;
  if (!network) return null;
  const bias = !!network.bias;
  if (phase && tr) {
    const after = phase === 'update' && tr.applied && tr.weights_after && tr.weights_after.length;
    return {
      source: 'trace',
      sample: tr.index,
      acts: tr.activations,
      zs: [null, ...(tr.zs || [])],
      deltas: [null, ...(tr.deltas || [])],
      weights: after ? tr.weights_after : tr.weights_before,
      weightsBefore: tr.weights_before,
      applied: !!after,
      biases: bias ? (after ? tr.biases_after : tr.biases_before) : null,
      grads: tr.gradients.weights,
      gradsB: bias ? tr.gradients.biases : null,
      y: tr.y,
      loss: tr.loss,
      eta: tr.eta,
    };
  }
  if (!snap) return null;
  const r = sampleRow(snap, state.sample);
  const sample = snap.samples && snap.samples.length ? snap.samples[r] : 0;
  const Y = network.dataset && network.dataset.Y;
  return {
    source: 'snapshot',
    sample,
    acts: (snap.activations || []).map((a) => rowOf(a, r)),
    zs: [null, ...(snap.zs || []).map((z) => rowOf(z, r))],
    deltas: [null, ...(snap.deltas || []).map((d) => rowOf(d, r))],
    weights: snap.weights,
    biases: bias ? snap.biases : null,
    grads: snap.gradients ? snap.gradients.weights : null,
    gradsB: bias && snap.gradients ? snap.gradients.biases : null,
    y: Y && Y[sample] ? Y[sample] : null,
    loss: snap.loss,
    eta: snap.eta,
  };
}

/** Largest |x| in a nested list (ignores nulls). */
export function maxAbs(m) {
  let best = 0;
  const walk = (v) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === 'number' && Math.abs(v) > best) best = Math.abs(v);
  };
  walk(m);
  return best;
}
