/**
 * The header: preset picker, transport (reset, play/pause, step epoch, step sample, new seed), epoch counter,
 * status, speed, and the settings bar: one control per field of the schema (GET /api/schema, static/core/schema.js),
 * labelled and explained by the schema, each with data-testid="field-<name>". Server errors appear under the
 * control that caused them (matched by `error.field`).
 *
 * It turns clicks into ctx.actions calls and mirrors the page state back into the controls; it never keeps a
 * copy of the configuration of its own and leaves the socket to main.js.
 */
import { fmtInt } from '../lib/visual-kit.js';
import { SPEEDS, speedLabel } from './player.js';
import { batchChoices, dataset as datasetInfo, optionText } from './schema.js';
import { readNumber } from './url-state.js';

// Fields with a control elsewhere (the preset picker above, the layer buttons over the diagram, the mistake lab,
// the drawing pad), and the fields kept in the "more…" card. Every other field of the schema gets a control in the
// settings bar, in the schema's order: a new field appears there without any change here.
const ELSEWHERE = new Set(['preset', 'layers', 'variant', 'compare', 'examples']);
const MORE = new Set(['schedule', 'reduction', 'momentum', 'shuffle', 'noise', 'n_points', 'data_seed', 'test_fraction',
  'features', 'regularization', 'reg_rate']);

const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const opts = (list) => list.map(([v, t]) => `<option value="${esc(v)}">${esc(t)}</option>`).join('');
const field = (name, label, control, help = '') => `<label class="field" data-field="${name}"${help ? ` title="${esc(help)}"` : ''}><span class="field-label">${label}</span>
  ${control}<span class="field-error" data-error-for="${name}" role="alert" hidden></span></label>`;

/** The control for one schema field: a select for choices, a text box for numbers, a checkbox for booleans. */
function controlFor(f, schema) {
  const attrs = `data-ref="${f.name}" data-testid="field-${f.name}"`;
  if (f.name === 'dataset') {
    return `<select ${attrs}>${opts(schema.datasets.map((d) => [d.name, d.name]))}</select>`;  // its size: "sample 1/n"
  }
  if (f.type === 'choice') {
    const none = f.nullable ? [['', f.none_label]] : [];
    return `<select ${attrs}>${opts([...none, ...f.choices.map((c) => [c, optionText(f, c)])])}</select>`;
  }
  if (f.type === 'batch') return `<select ${attrs}>${opts(batchChoices(f, f.max))}</select>`;
  if (f.type === 'boolean') return `<input type="checkbox" ${attrs}>`;
  if (f.type === 'features') {
    return `<span class="features" ${attrs}>${f.choices.map((c) => `<label class="feature"><input type="checkbox"
      value="${esc(c)}">${esc(c)}</label>`).join('')}</span>`;
  }
  const mode = f.type === 'integer' ? 'numeric' : 'decimal';
  const box = `<input type="text" inputmode="${mode}" spellcheck="false" autocomplete="off" ${attrs}
    aria-label="${esc(f.label)} (${f.min} to ${f.max})">`;
  if (f.name !== 'seed') return box;
  return `<span class="seed">${box}<button type="button" class="mini" data-act="new-seed" title="New random seed"
    aria-label="New seed">${ICON.dice}</button></span>`;
}

/** What a control's value means for its field: numbers read with readNumber (so "0,5" is 0.5), null for 'same'. */
function valueOf(f, t) {
  if (f.type === 'features') return [...t.closest('[data-ref]').querySelectorAll('input:checked')].map((i) => i.value);
  if (t.type === 'checkbox') return t.checked;
  if (f.type === 'number' || f.type === 'integer') return readNumber(t.value);
  if (f.type === 'batch' && /^\d+$/.test(t.value)) return Number(t.value);
  if (f.nullable && t.value === '') return null;
  return t.value;
}

const ICON = {
  play: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z"/></svg>',
  pause: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 5h4v14H7zM13 5h4v14h-4z"/></svg>',
  reset: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V1L7 6l5 5V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z"/></svg>',
  step: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5v14l9-7zM16 5h2.5v14H16z"/></svg>',
  dice: '<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="4" y="4" width="16" height="16" rx="3" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="9" cy="9" r="1.6"/><circle cx="15" cy="15" r="1.6"/><circle cx="15" cy="9" r="1.6"/><circle cx="9" cy="15" r="1.6"/></svg>',
};

export function createControls(root, ctx) {
  const schema = ctx.schema;
  const settings = schema.fields.filter((f) => !ELSEWHERE.has(f.name));
  const bar = settings.filter((f) => !MORE.has(f.name));
  const more = settings.filter((f) => MORE.has(f.name));
  const byName = Object.fromEntries(settings.map((f) => [f.name, f]));
  root.innerHTML = `
  <div class="bar bar-main">
    <div class="brand"><span class="logo" aria-hidden="true"></span><span>Backprop<br>Playground</span></div>
    <div class="preset-box">
      ${field('preset', 'Preset', '<select data-testid="field-preset" data-ref="preset"></select>')}
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
    ${bar.map((f) => field(f.name, f.label, controlFor(f, schema), f.help)).join('')}
    <div class="more-box">
      <button type="button" class="pill ghost" data-act="more" aria-expanded="false" title="${esc(more.map((f) => f.label).join(', '))}">more…</button>
      <div class="more-card" data-ref="more" hidden>
        ${more.map((f) => field(f.name, f.label, controlFor(f, schema), f.help)).join('')}
      </div>
    </div>
  </div>
  <div class="bar bar-timeline" data-ref="timeline-root"></div>`;

  const $ = (r) => root.querySelector(`[data-ref="${r}"]`);
  // The stage below sizes itself to what the header leaves of the screen.
  new ResizeObserver(() => document.documentElement.style.setProperty('--header-h', `${root.offsetHeight}px`))
    .observe(root);
  let presetsLoaded = false;
  let shownDesc = '';

  ctx.presets().then((list) => {
    $('preset').innerHTML = list.map((p) => `<option value="${p.name}" data-long="${p.title ? `${p.name} — ${p.title}` : p.name}">${p.name}</option>`).join('');
    $('preset').title = 'Preset: press ? beside it for what it shows';
    // Closed, the picker is as wide as the longest name in its own font (in em, so projector mode's larger type
    // scales it): no preset's name is ever cut.
    const pen = document.createElement('canvas').getContext('2d');
    const cs = getComputedStyle($('preset'));
    pen.font = `${cs.fontWeight} 100px ${cs.fontFamily}`;
    const em = Math.max(...list.map((p) => pen.measureText(p.name).width)) / 100;
    $('preset').style.setProperty('--preset-name-em', em.toFixed(3));
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
  for (const f of settings) {
    $(f.name).addEventListener('change', (e) => {
      const v = valueOf(f, e.target);
      ctx.clearError(f.name);
      if (f.name === 'lr') ctx.actions.setLr(v); else ctx.configure({ [f.name]: v });  // lr changes while training
    });
  }

  let batchFor = null;
  /** The batch menu offers only sizes below the dataset's number of samples (and the value in force). */
  function syncBatch(state) {
    const n = state.network?.dataset?.n_samples ?? datasetInfo(state.config.dataset)?.n_samples;
    if (!n || n === batchFor || !byName.batch) return;
    batchFor = n;
    const c = $('batch');
    const keep = c.value;
    c.innerHTML = opts(batchChoices(byName.batch, n));
    c.value = keep;
  }

  function setValue(name, v) {
    const c = $(name);
    if (!c || document.activeElement === c) return;
    if (Array.isArray(v)) for (const box of c.querySelectorAll('input')) box.checked = v.includes(box.value);
    else if (c.type === 'checkbox') c.checked = !!v;
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
      syncBatch(state);
      for (const f of settings) if (f.name in cfg) setValue(f.name, f.nullable ? cfg[f.name] ?? '' : cfg[f.name]);
      if (state.network) {
        setValue('bias', state.network.bias);
        const p = state.network.preset || {};
        const d = `<b>${esc(p.title || p.name || '')}</b><p>${esc(p.description || '').replace(/`([^`]+)`/g, '<code>$1</code>')}</p>${
          p.origin ? `<p class="muted origin" data-testid="origin">${esc(p.origin)}</p>` : ''}`;
        if (d !== shownDesc) { shownDesc = d; $('desc').innerHTML = d; }
      }
      const epoch = state.phase && state.trace ? state.trace.epoch  // the animated sample's epoch, until it ends
        : state.snapshot ? state.snapshot.epoch : state.status ? state.status.epoch : 0;
      const ep = $('epoch');
      if (ep.dataset.value !== String(epoch)) { ep.textContent = fmtInt(epoch); ep.dataset.value = String(epoch); }
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
      if (status.dataset.state !== st) status.dataset.state = st;
      const play = root.querySelector('[data-act="toggle"]');
      const playing = state.playing;
      if (play.dataset.state !== (playing ? 'playing' : 'paused')) {
        play.dataset.state = playing ? 'playing' : 'paused';
        play.innerHTML = playing ? ICON.pause : ICON.play;
        play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
      }
      const k = SPEEDS.indexOf(state.speed);
      if (document.activeElement !== $('speed')) $('speed').value = String(k < 0 ? SPEEDS.length - 1 : k);
      const said = speedLabel(state.speed);
      if ($('speedlabel').textContent !== said) $('speedlabel').textContent = said;
      const conn = $('conn');
      const up = state.connected ? 'up' : state.reconnecting ? 'retry' : 'down';
      if (conn.dataset.state !== up) {
        conn.dataset.state = up;
        conn.title = state.connected ? 'connected' : 'connection lost — reconnecting';
      }
      root.querySelector('[data-act="projector"]').classList.toggle('on', !!state.projector);
    },
  };
}
