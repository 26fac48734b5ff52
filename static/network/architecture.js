/**
 * The network panel's bar and the per-layer controls over the diagram: add or remove hidden layers and neurons
 * (as TensorFlow Playground does above each column), pick which sample's numbers the diagram shows, and choose
 * what neurons and links display (a, z or δ; weights or their gradients).
 *
 * Changing the shape asks the server for a new network through ctx.configure; the view choices are page state
 * set through ctx.setState. Its limits come from the schema (ctx.schema.limits). It draws nothing of the network itself.
 */
import { fmt, fmtInt } from '../lib/visual-kit.js';

export function createArchitecture(head, overlayParent, ctx, network) {
  // The schema's limits (engine/checks.py), the same the server checks.
  const { hidden_layers: MAX_HIDDEN, width: MAX_WIDTH } = ctx.schema.limits;
  head.innerHTML = `
    <div class="arch-layers" data-field="layers">
      <button type="button" class="mini" data-act="layer-" title="Remove the last hidden layer" aria-label="Remove a hidden layer">−</button>
      <span class="arch-count">hidden layers <b class="num" data-ref="nhidden">0</b></span>
      <button type="button" class="mini" data-act="layer+" title="Add a hidden layer" aria-label="Add a hidden layer">+</button>
      <span class="field-error" data-error-for="layers" role="alert" hidden></span>
    </div>
    <div class="arch-sample" title="Whose numbers the diagram shows">
      <button type="button" class="mini" data-act="sample-" aria-label="Previous sample">‹</button>
      <span>sample <b class="num" data-ref="sample">1</b><span class="muted">/<span data-ref="nsamples">1</span></span><b data-ref="samplelabel" class="sample-label"></b></span>
      <button type="button" class="mini" data-act="sample+" aria-label="Next sample">›</button>
    </div>
`;
  const overlay = document.createElement('div');
  overlay.className = 'layer-chips';
  overlayParent.appendChild(overlay);
  const views = document.createElement('div');
  views.className = 'view-toggles';
  head.appendChild(views);
  views.innerHTML = `
    <div class="seg" role="group" aria-label="Neuron values" data-ref="show">
      <button type="button" data-show="a" title="neurons show their activation a">a</button>
      <button type="button" data-show="z" title="neurons show their weighted input z">z</button>
      <button type="button" data-show="delta" title="neurons show their error δ (BP1, BP2)">δ</button>
    </div>
    <div class="seg" role="group" aria-label="Links show" data-ref="links">
      <button type="button" data-links="weights" title="links show the weights W">W</button>
      <button type="button" data-links="gradients" title="links show the gradient ∂C/∂W (BP4)">∂C/∂W</button>
    </div>
`;
  const $ = (q) => head.querySelector(`[data-ref="${q}"]`) || views.querySelector(`[data-ref="${q}"]`);
  let last = null;
  let chipsKey = '';

  const hidden = () => (last && last.network ? last.network.sizes.slice(1, -1) : []);
  function setLayers(layers) { ctx.configure({ layers }); }

  const onClick = (e) => {
    const b = e.target.closest('button');
    if (!b || !last) return;
    const h = hidden();
    const n = last.snapshot && last.snapshot.samples ? last.snapshot.samples.length : 1;
    const act = b.dataset.act;
    if (act === 'layer+' && h.length < MAX_HIDDEN) setLayers([...h, h.length ? h[h.length - 1] : 4]);
    if (act === 'layer-' && h.length > 0) setLayers(h.slice(0, -1));
    if (act === 'sample+' || act === 'sample-') {
      const rows = last.snapshot ? last.snapshot.samples : [0];
      const k = Math.max(0, rows.indexOf(last.sample));
      ctx.setState({ sample: rows[(k + (act === 'sample+' ? 1 : n - 1)) % n] });
    }
    if (b.dataset.show) ctx.setState({ show: b.dataset.show });
    if (b.dataset.links) ctx.setState({ links: b.dataset.links });
  };
  head.addEventListener('click', onClick);
  views.addEventListener('click', onClick);

  overlay.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    const h = hidden();
    const l = Number(b.dataset.layer);
    h[l] = Math.min(MAX_WIDTH, Math.max(1, h[l] + (b.dataset.act === '+' ? 1 : -1)));
    setLayers(h);
  });

  function drawChips(state) {
    const xs = network.columns();
    const key = `${xs.join(',')}|${state.network.sizes.join('-')}`;
    if (key === chipsKey) return;
    chipsKey = key;
    overlay.replaceChildren();
    hidden().forEach((n, l) => {
      const chip = document.createElement('div');
      chip.className = 'layer-chip';
      chip.style.left = `${xs[l + 1]}px`;
      chip.innerHTML = `<button type="button" data-act="-" data-layer="${l}" aria-label="Remove a neuron from hidden layer ${l + 1}"
        ${n <= 1 ? 'disabled' : ''}>−</button><button type="button" data-act="+" data-layer="${l}"
        aria-label="Add a neuron to hidden layer ${l + 1}" ${n >= MAX_WIDTH ? 'disabled' : ''}>+</button>`;
      overlay.appendChild(chip);
    });
  }

  return {
    update(state) {
      last = state;
      if (!state.network) return;
      const h = hidden();
      $('nhidden').textContent = String(h.length);
      const snap = state.snapshot;
      const rows = snap && snap.samples ? snap.samples : [0];
      const k = Math.max(0, rows.indexOf(state.sample));
      $('sample').textContent = fmtInt(k + 1);
      $('nsamples').textContent = fmtInt(state.network.dataset ? state.network.dataset.n_samples : rows.length);
      const ds = state.network.dataset;
      let label = '';
      if (ds && ds.Y && ds.Y[rows[k]]) {
        const y = ds.Y[rows[k]];
        const cls = ds.classes ? ds.classes[rows[k]] : null;  // the server's class of this row (classification only)
        label = ds.labels && cls != null && ds.labels.length > 1 && y.length > 1 ? ds.labels[cls]
          : `y = ${y.map((v) => fmt(v)).join(', ')}`;
      }
      $('samplelabel').textContent = label ? ` ${label}` : '';
      for (const b of $('show').children) b.classList.toggle('on', b.dataset.show === (state.show || 'a'));
      for (const b of $('links').children) b.classList.toggle('on', b.dataset.links === (state.links || 'weights'));
      drawChips(state);
    },
  };
}
