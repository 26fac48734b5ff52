/**
 * The header: preset picker, transport (reset, play/pause, step epoch, step sample, new seed), epoch counter,
 * status, speed, and the settings bar (learning rate, activation, output, loss, batch, init, bias). Server
 * errors appear under the control that caused them (matched by `error.field`).
 *
 * It turns clicks into ctx.actions calls and mirrors the page state back into the controls; it never keeps a
 * copy of the configuration of its own and leaves the socket to main.js.
 */
import { fmtInt } from './palette.js';
import { SPEEDS, speedLabel } from './player.js';

const OPTIONS = {
  activation: ['sigmoid', 'tanh', 'relu', 'linear'],
  output_activation: [['', 'same'], 'sigmoid', 'tanh', 'relu', 'linear', 'softmax'],
  loss: [['mse', 'MSE'], ['bce', 'BCE'], ['ce', 'CE']],
  batch: [['full', 'full'], ['sample', '1 (SGD)'], ['2', '2'], ['4', '4'], ['8', '8'], ['16', '16'], ['32', '32']],
  init: ['trask', 'rand', 'randn', 'rand-columns', 'xavier', 'he', 'normal', 'uniform'],
  schedule: [['constant', 'constant η'], ['inverse', 'η / epoch']],
  reduction: [['sum', 'sum (Σ)'], ['mean', 'mean (1/n Σ)']],
};
const opts = (list) => list.map((o) => (Array.isArray(o) ? `<option value="${o[0]}">${o[1]}</option>`
  : `<option value="${o}">${o}</option>`)).join('');
const field = (name, label, control) => `<label class="field" data-field="${name}"><span class="field-label">${label}</span>
  ${control}<span class="field-error" data-error-for="${name}" role="alert" hidden></span></label>`;

const ICON = {
  play: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z"/></svg>',
  pause: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 5h4v14H7zM13 5h4v14h-4z"/></svg>',
  reset: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V1L7 6l5 5V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z"/></svg>',
  step: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5v14l9-7zM16 5h2.5v14H16z"/></svg>',
  dice: '<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="4" y="4" width="16" height="16" rx="3" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="9" cy="9" r="1.6"/><circle cx="15" cy="15" r="1.6"/><circle cx="15" cy="9" r="1.6"/><circle cx="9" cy="15" r="1.6"/></svg>',
};

export function createControls(root, ctx) {
  root.innerHTML = `
  <div class="bar bar-main">
    <div class="brand"><span class="logo" aria-hidden="true"></span><span>Backprop<br>Playground</span></div>
    <div class="preset-box">
      ${field('preset', 'Preset', '<select data-testid="preset" data-ref="preset"></select>')}
      <button type="button" class="mini about" data-act="about" aria-expanded="false" title="What this preset shows">?</button>
      <div class="preset-card" data-ref="desc" hidden></div>
    </div>
    <div class="transport">
      <button type="button" class="round" data-testid="reset" data-act="reset" title="Reset: same seed, same start (r)" aria-label="Reset">${ICON.reset}</button>
      <button type="button" class="round play" data-testid="play" data-act="toggle" data-state="paused" title="Play / pause (space)" aria-label="Play">${ICON.play}</button>
      <button type="button" class="round" data-testid="step" data-act="step" title="Step one epoch (→)" aria-label="Step one epoch">${ICON.step}</button>
      <button type="button" class="pill" data-testid="step-sample" data-act="step-sample" title="Step one sample, animated (s)">step sample</button>
    </div>
    <div class="epoch-box"><span class="field-label">Epoch</span><span class="epoch num" data-testid="epoch" data-ref="epoch">0</span></div>
    <div class="status-box"><span class="status" data-testid="status" data-ref="status">connecting…</span>
      <span class="field-error general" data-error-for="*" role="alert" hidden></span></div>
    <label class="field speed" data-field="speed"><span class="field-label">Speed <b data-ref="speedlabel">max</b></span>
      <input type="range" min="0" max="${SPEEDS.length - 1}" step="1" data-testid="speed" data-ref="speed" aria-label="Speed">
      <span class="field-error" data-error-for="speed" role="alert" hidden></span></label>
    <div class="bar-end">
      <span class="conn" data-ref="conn" title="connection"></span>
      <button type="button" class="pill ghost" data-act="help" data-testid="help-button" title="What the colours, widths and badges mean; the keys (?)">help</button>
      <button type="button" class="pill ghost" data-act="projector" data-testid="projector" title="Projector mode: large type (p)">projector</button>
    </div>
  </div>
  <div class="bar bar-settings">
    ${field('lr', 'Learning rate <i>η</i>', '<input type="number" step="any" min="0" max="100" data-ref="lr" inputmode="decimal">')}
    ${field('activation', 'Activation', `<select data-ref="activation">${opts(OPTIONS.activation)}</select>`)}
    ${field('output_activation', 'Output', `<select data-ref="output_activation">${opts(OPTIONS.output_activation)}</select>`)}
    ${field('loss', '<span title="MSE: squared error; BCE: binary cross-entropy; CE: cross-entropy (softmax)">Loss</span>', `<select data-ref="loss">${opts(OPTIONS.loss)}</select>`)}
    ${field('batch', 'Batch', `<select data-ref="batch">${opts(OPTIONS.batch)}</select>`)}
    ${field('init', 'Init', `<select data-ref="init">${opts(OPTIONS.init)}</select>`)}
    ${field('bias', 'Biases', '<input type="checkbox" data-ref="bias">')}
    ${field('seed', 'Seed', `<span class="seed"><input type="number" min="0" step="1" data-ref="seed">
      <button type="button" class="mini" data-act="new-seed" title="New random seed" aria-label="New seed">${ICON.dice}</button></span>`)}
    <div class="more-box">
      <button type="button" class="pill ghost" data-act="more" aria-expanded="false" title="Schedule, reduction, momentum, shuffle">more…</button>
      <div class="more-card" data-ref="more" hidden>
        ${field('schedule', '<i>η</i> schedule', `<select data-ref="schedule">${opts(OPTIONS.schedule)}</select>`)}
        ${field('reduction', 'Cost over samples', `<select data-ref="reduction">${opts(OPTIONS.reduction)}</select>`)}
        ${field('momentum', 'Momentum', '<input type="number" step="any" min="0" max="0.99" data-ref="momentum">')}
        ${field('shuffle', 'Shuffle samples', '<input type="checkbox" data-ref="shuffle">')}
      </div>
    </div>
  </div>
  <div class="bar bar-timeline" data-ref="timeline-root"></div>`;

  const $ = (r) => root.querySelector(`[data-ref="${r}"]`);
  // The stage below sizes itself to what the header leaves of the screen.
  new ResizeObserver(() => document.documentElement.style.setProperty('--header-h', `${root.offsetHeight}px`))
    .observe(root);
  const settings = ['lr', 'activation', 'output_activation', 'loss', 'batch', 'init', 'bias', 'seed', 'schedule',
    'reduction', 'momentum', 'shuffle'];
  let presetsLoaded = false;

  ctx.presets().then((list) => {
    $('preset').innerHTML = list.map((p) => `<option value="${p.name}" data-long="${p.title ? `${p.name} — ${p.title}` : p.name}">${p.name}</option>`).join('');
    $('preset').title = 'Preset: press ? beside it for what it shows';
    presetsLoaded = true;
    ctx.setState({});
  });

  root.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-act]');
    if (!b) return;
    const a = ctx.actions;
    ({ reset: a.reset, toggle: a.toggle, step: a.stepEpoch, 'step-sample': a.stepSample,
      'new-seed': a.newSeed, projector: a.toggleProjector, help: a.help, about: toggleAbout, more: toggleMore })[b.dataset.act]?.();
  });

  function toggleAbout(force) {
    const card = $('desc');
    card.hidden = typeof force === 'boolean' ? !force : !card.hidden;
    root.querySelector('[data-act="about"]').setAttribute('aria-expanded', String(!card.hidden));
  }
  function toggleMore(force) {
    const card = $('more');
    card.hidden = typeof force === 'boolean' ? !force : !card.hidden;
    root.querySelector('[data-act="more"]').setAttribute('aria-expanded', String(!card.hidden));
  }
  document.addEventListener('click', (e) => {
    if (!e.target.closest('.preset-box')) toggleAbout(false);
    if (!e.target.closest('.more-box')) toggleMore(false);
  });

  $('preset').addEventListener('change', (e) => ctx.actions.choosePreset(e.target.value));
  // Closed, the menu shows the preset's name, which always fits; opened, each option reads "name — title".
  const labels = (long) => { for (const o of $('preset').options) o.textContent = long ? o.dataset.long || o.value : o.value; };
  $('preset').addEventListener('pointerdown', () => labels(true));
  $('preset').addEventListener('keydown', (e) => { if (e.key === ' ' || e.key === 'Enter' || e.altKey) labels(true); });
  for (const ev of ['change', 'blur']) $('preset').addEventListener(ev, () => labels(false));
  $('speed').addEventListener('input', (e) => ctx.actions.setSpeed(SPEEDS[Number(e.target.value)]));
  for (const name of settings) {
    $(name).addEventListener('change', (e) => {
      const t = e.target;
      let v = t.type === 'checkbox' ? t.checked : t.value;
      if (name === 'lr' || name === 'seed' || name === 'momentum') v = t.value.trim() === '' ? t.value : Number(t.value);
      if (name === 'batch' && /^\d+$/.test(v)) v = Number(v);
      if (name === 'output_activation' && v === '') v = null;
      ctx.clearError(name);
      if (name === 'lr') ctx.actions.setLr(v); else ctx.configure({ [name]: v });
    });
  }

  function setValue(name, v) {
    const c = $(name);
    if (!c || document.activeElement === c) return;
    if (c.type === 'checkbox') c.checked = !!v;
    else {
      const s = v === null || v === undefined ? '' : String(v);
      if (c.tagName === 'SELECT' && s !== '' && ![...c.options].some((o) => o.value === s)) {
        c.insertAdjacentHTML('beforeend', `<option value="${s}">${s}</option>`);
      }
      if (c.value !== s) c.value = s;
    }
  }

  return {
    timelineRoot: $('timeline-root'),
    update(state) {
      const cfg = state.network ? { ...state.network.config, ...state.config } : state.config;
      if (presetsLoaded) setValue('preset', cfg.preset || '');
      for (const name of settings) if (name in cfg) setValue(name, cfg[name]);
      if (state.network) {
        setValue('bias', state.network.bias);
        setValue('output_activation', cfg.output_activation ?? '');
        const p = state.network.preset || {};
        const d = `<b>${p.title || p.name || ''}</b>${p.seed_file ? ` <span class="muted">· seed ${p.seed_file}</span>` : ''}<p>${
          (p.description || '').replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c])
            .replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`;
        if ($('desc').__h !== d) { $('desc').__h = d; $('desc').innerHTML = d; }
      }
      const epoch = state.phase && state.trace ? state.trace.epoch  // the animated sample's epoch, until it ends
        : state.snapshot ? state.snapshot.epoch : state.status ? state.status.epoch : 0;
      const ep = $('epoch');
      ep.textContent = fmtInt(epoch);
      ep.dataset.value = String(epoch);
      ep.classList.toggle('replay', !state.live);
      let st = !state.connected ? 'connecting' : state.status ? state.status.state : 'idle';
      if (state.playing && (st === 'paused' || st === 'idle')) st = 'training';  // the page's one-sample loop
      const reason = state.status && state.status.reason ? ` — ${state.status.reason}` : '';
      const words = { idle: 'Ready', training: 'Training', paused: 'Paused', done: 'Done', diverged: 'Diverged',
        connecting: state.reconnecting ? 'Reconnecting…' : 'Connecting…' }[st] || st;
      const status = $('status');
      const hint = st === 'diverged' ? '. Lower η and press reset.' : '';
      const loop = st === 'training' && state.speed === 'sample' ? ', sample by sample' : '';
      const txt = `${words}${loop}${st === 'diverged' || st === 'done' ? reason + hint : ''}${!state.live ? ' · replay' : ''}`;
      if (status.textContent !== txt) { status.textContent = txt; status.title = txt; }
      status.dataset.state = st;
      const play = root.querySelector('[data-act="toggle"]');
      const playing = state.playing;
      if (play.dataset.state !== (playing ? 'playing' : 'paused')) {
        play.dataset.state = playing ? 'playing' : 'paused';
        play.innerHTML = playing ? ICON.pause : ICON.play;
        play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
      }
      const k = SPEEDS.indexOf(state.speed);
      if (document.activeElement !== $('speed')) $('speed').value = String(k < 0 ? SPEEDS.length - 1 : k);
      $('speedlabel').textContent = speedLabel(state.speed);
      const conn = $('conn');
      conn.dataset.state = state.connected ? 'up' : state.reconnecting ? 'retry' : 'down';
      conn.title = state.connected ? 'connected' : 'connection lost — reconnecting';
      root.querySelector('[data-act="projector"]').classList.toggle('on', !!state.projector);
    },
  };
}
