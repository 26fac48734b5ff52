/**
 * Plays one sample's `trace` as four captioned phases: forward (layer by layer), loss, backward (output layer
 * back to the first hidden layer) and update. It only sets `phase` and `phaseLayer` in the page state on a timer;
 * the network diagram (and any other module) draws whatever phase the state names. No DOM here.
 */

export const PHASES = ['forward', 'loss', 'backward', 'update'];

/** Milliseconds per step of each phase at scale 1. */
const DURATION = { forward: 480, loss: 1000, backward: 700, update: 1100 };

/** Captions for each phase: title and the rule it applies (plain text, read aloud well). */
export function caption(phase, layer, nLayers, trace) {
  const L = nLayers - 1;
  switch (phase) {
    case 'forward':
      return layer === 0
        ? { step: 1, title: 'Forward pass', text: 'the input a⁰ is the sample x' }
        : { step: 1, title: 'Forward pass', text: `z${sup(layer)} = a${sup(layer - 1)}W${sup(layer)} + b${sup(layer)},  a${sup(layer)} = σ(z${sup(layer)})` };
    case 'loss':
      return { step: 2, title: 'Loss', text: 'compare the output aᴸ with the target y' };
    case 'backward':
      return layer === L
        ? { step: 3, title: 'Backward pass', text: 'δᴸ = ∇ₐC ⊙ σ′(zᴸ)   (BP1)' }
        : { step: 3, title: 'Backward pass', text: `δ${sup(layer)} = (δ${sup(layer + 1)} W${sup(layer + 1)}ᵀ) ⊙ σ′(z${sup(layer)})   (BP2)` };
    case 'update':
      return trace && trace.applied
        ? { step: 4, title: 'Update', text: layer === 0 ? 'links show the change Δw = −η·∂C/∂w' : 'W ← W − η·∂C/∂W,  b ← b − η·∂C/∂b   (BP3, BP4)' }
        : { step: 4, title: 'Update', text: `gradient added to the batch (${trace ? trace.position + 1 : '?'} of ${trace ? trace.batch_size : '?'}); the weights change after the batch's last sample` };
    default:
      return null;
  }
}

const SUP = { 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
export const sup = (n) => String(n).split('').map((c) => SUP[c] || c).join('');

/**
 * setState(patch) applies a patch to the page state. Returns { play(trace, nLayers, onDone), stop(), playing }.
 * `scale` multiplies every duration (tests and the fast sample loop use < 1).
 */
export function createPhasePlayer(setState) {
  let timer = null;
  let steps = [];
  let done = null;

  function next() {
    const s = steps.shift();
    if (!s) {
      timer = null;
      const cb = done;
      done = null;
      if (cb) cb();
      return;
    }
    setState({ phase: s.phase, phaseLayer: s.layer });
    timer = setTimeout(next, s.ms);
  }

  return {
    get playing() { return timer !== null; },
    play(trace, nLayers, onDone, scale = 1) {
      this.stop();
      const L = nLayers - 1;
      steps = [];
      for (let l = 0; l <= L; l++) steps.push({ phase: 'forward', layer: l, ms: DURATION.forward * scale });
      steps.push({ phase: 'loss', layer: L, ms: DURATION.loss * scale });
      for (let l = L; l >= 1; l--) steps.push({ phase: 'backward', layer: l, ms: DURATION.backward * scale });
      // update, in two beats: the change Δw = −η·∂C/∂w on every link, then the new weights (widths ease over)
      steps.push({ phase: 'update', layer: 0, ms: DURATION.update * 0.6 * scale });
      steps.push({ phase: 'update', layer: 1, ms: DURATION.update * 0.7 * scale });
      done = onDone || null;
      next();
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      steps = [];
      done = null;
    },
  };
}
