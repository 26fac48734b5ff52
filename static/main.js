/**
 * The page's one owner: the socket, the state object and the requestAnimationFrame loop.
 *
 * Server events become patches of `state` (bumping `state.version`); each frame, every mounted module whose last
 * drawn version is older gets `update(state)` (heavy views at most 5 times a second while training, see frame()),
 * and only then are the snapshot acks sent (flow control). Modules talk back
 * through ctx = { send, select, setState } (the shell's own modules also get configure/actions). The URL holds the
 * configuration. What each visual looks like is left to its module.
 */
import { connect } from './connection.js';
import { createPlayer, SPEEDS } from './player.js';
import { parseQuery, pickConfig, useSchema, writeUrl, VIEW_FIELDS } from './url-state.js';
import { field, loadSchema, schema as embeddedSchema } from './schema.js';
import { drawErrors } from './errors.js';
import { mountAll } from './mount.js';
import { bindKeys } from './keys.js';
import { createClassroom } from './classroom.js';
import { createUndoToast } from './undo-toast.js';
import { createHelp } from './help.js';

// The configuration's fields, presets and limits (GET /api/schema), embedded in the page by the server.
const schema = embeddedSchema() || await loadSchema();
useSchema(schema);
const DEFAULT_PRESET = field('preset')?.default;
const { config: urlConfig, view } = parseQuery(location.search);
const room = createClassroom(location);  // classroom mode: the teacher's link, a student's join page, or neither

const state = {
  version: 1, connected: false, reconnecting: false,
  network: null, snapshot: null, live: true, trace: null, phase: null, phaseLayer: null, status: null,
  selection: null, sample: 0, layout: view.layout, projector: view.projector, errors: {},
  config: { preset: DEFAULT_PRESET, ...urlConfig },
  // added by the shell
  speed: SPEEDS.find((s) => String(s) === String(view.speed)) ?? VIEW_FIELDS.find((f) => f.name === 'speed').fallback,
  playing: false, maxEpoch: 0, curve: null, show: 'a', links: 'weights', phaseScale: 1, notice: null,
  runs: null,  // the "what if" runs (server `runs`, static/branches.js); null without branches
};

function setState(patch) {
  Object.assign(state, patch);
  state.version += 1;
  if ('projector' in patch) document.documentElement.classList.toggle('projector', !!state.projector);
  if ('projector' in patch || 'layout' in patch || 'speed' in patch) syncUrl();
}
const getState = () => state;

function syncUrl() { writeUrl(state.config, { projector: state.projector, layout: state.layout, speed: state.speed }); }

let conn = null;
let lastGoodConfig = null;
const SELECTION_KEY = 'playground-selection';
let keptSelection;  // a returning tab's selection, put back when its run's network arrives
const send = (event, payload = {}, ack) => {
  if (!conn) return;
  conn.send(event, payload, ack);  // a rejection also arrives as an `error` event, handled in onEvent
};

function onError(err) {
  if (err.event === 'branch') return;  // the "What if…" form shows its own refusals, next to its own fields
  const field = err.field || '*';
  setState({ errors: { ...state.errors, [field]: err.message || String(err) } });
  // A bad configuration from the URL on first load: drop the bad field and start from the preset's defaults.
  if (err.event === 'configure' && !state.network) {
    const rest = { ...state.config };
    delete rest[field];
    state.config = field === 'preset' || !rest.preset ? { preset: DEFAULT_PRESET } : rest;
    send('configure', state.config);
  } else if ((err.event === 'configure' || err.event === 'set') && lastGoodConfig) {
    // The session stays as it was on the server; put the controls and the URL back to match it.
    state.config = { ...lastGoodConfig };
    syncUrl();
  }
}
function clearError(field) {
  if (!(field in state.errors)) return;
  const errors = { ...state.errors };
  delete errors[field];
  setState({ errors });
}

const player = createPlayer({ send, setState, getState });
const undoToast = createUndoToast(document.body, { send });
const help = createHelp(document.body);

/**
 * Stepping while the timeline replays an old epoch: training only ever continues from the newest weights (the
 * kept snapshots are a record, not branches), so the step happens at the live epoch, and the page says so.
 */
function sayStepFromLive() {
  if (state.live || !state.network) return;
  setState({ notice: `Stepped from the newest epoch, ${state.maxEpoch.toLocaleString('en')}: training always `
    + 'goes on from the newest weights; the timeline only replays the past (What if… trains a branch from it).' });
  const shown = state.notice;
  setTimeout(() => { if (state.notice === shown) setState({ notice: null }); }, 8000);
}

function configure(patch) {
  const config = pickConfig({ ...state.config, ...patch });
  for (const k of Object.keys(patch)) clearError(k);
  state.config = config;
  player.stopAll();
  send('configure', config);
  syncUrl();
}

const actions = {
  toggle: () => player.toggle(),
  play: () => player.play(),
  pause: () => player.pause(),
  stepEpoch: () => { sayStepFromLive(); player.stepEpoch(); },
  stepSample: () => { sayStepFromLive(); player.stepSample(); },
  reset: () => { player.stopAll(); clearError('seed'); send('reset', {}, (reply) => undoToast.offer(reply)); },
  newSeed: () => configure({ seed: Math.floor(Math.random() * 2 ** 31) }),
  seek: (epoch) => { player.stopAll(); clearError('epoch'); setState({ notice: null }); send('seek', { epoch }); },
  help: () => help.toggle(),
  closeHelp: () => help.close(),
  setSpeed: (v) => { clearError('speed'); player.setSpeed(v); },
  setLr: (lr) => {
    state.config = { ...state.config, lr };
    syncUrl();
    send('set', { lr }, (reply) => { if (reply && reply.ok !== false) lastGoodConfig = { ...lastGoodConfig, lr }; });
  },
  choosePreset: (name) => configure({ preset: name, ...Object.fromEntries(
    Object.keys(state.config).filter((k) => k !== 'preset').map((k) => [k, undefined])) }),
  toggleProjector: () => setState({ projector: !state.projector }),
};

const presets = () => Promise.resolve(schema.presets.length ? schema.presets : [{ name: state.config.preset }]);

const ctx = {
  send, setState, getState, schema,
  select: (selection) => setState({ selection }),
  configure, actions, clearError, presets,
};

/**
 * The URL keeps the preset plus every field where the server's config differs from the preset's own, whoever
 * asked for the change (the controls, or a module such as the mistake lab sending `configure` itself).
 */
function adoptServerConfig(net) {
  const cfg = net.config || {};
  presets().then((list) => {
    const base = (list.find((p) => p.name === cfg.preset) || {}).config;
    if (!base || state.network !== net) return;
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const config = { preset: cfg.preset };
    for (const [k, v] of Object.entries(pickConfig(cfg))) if (k !== 'preset' && !same(v, base[k])) config[k] = v;
    state.config = config;
    lastGoodConfig = config;
    syncUrl();
    setState({});
  });
}

function onEvent(name, p) {
  if (room.onEvent(name, p) === false) return;
  if (name === 'network') {
    player.stopAll();
    const config = pickConfig({ ...state.config, preset: p.config && p.config.preset ? p.config.preset : state.config.preset });
    const errors = { ...state.errors };  // errors stay until their control is used again
    lastGoodConfig = config;
    adoptServerConfig(p);
    setState({ network: p, trace: null, phase: null, phaseLayer: null, selection: keptSelection ?? null, sample: 0,
      snapshot: null, maxEpoch: 0, curve: null, boundary: null, config, errors, live: true, runs: null });
    keptSelection = undefined;
    syncUrl();
  } else if (name === 'dataset') {  // the training set changed under the running network: the run goes on
    const net = { ...state.network, dataset: p.dataset, config: p.config };
    adoptServerConfig(net);
    setState({ network: net });
  } else if (name === 'snapshot') {
    if (!performance.getEntriesByName('first-snapshot').length) performance.mark('first-snapshot');
    if (p.curve) state.curve = p.curve;
    else if (state.curve) p.curve = state.curve;
    // Like the curve, the boundary comes only a few times a second: a frame without one keeps the last one.
    if (p.boundary) state.boundary = p.boundary;
    else if (state.boundary) p.boundary = state.boundary;
    const replay = !!p.replay;
    const maxEpoch = replay ? Math.max(state.maxEpoch, p.epoch) : p.epoch;
    setState({ snapshot: p, live: !replay || p.epoch >= state.maxEpoch, maxEpoch });
  } else if (name === 'trace') {
    player.onTrace(p);
  } else if (name === 'status') {
    player.onStatus(p);
    setState({ status: p, maxEpoch: Math.max(state.maxEpoch, state.live ? p.epoch || 0 : 0) });
    document.body.classList.toggle('training', p.state === 'training');
  } else if (name === 'runs') {  // after `network`: the original and its branches, with their curves
    setState({ runs: p });
  } else if (name === 'error') {
    onError(p);
  } else if (name === 'lesson' || name === 'lesson_answers') {  // a class's lesson (static/lessons.js)
    setState({ [name === 'lesson' ? 'classLesson' : 'classAnswers']: p });
  }
}

const modules = [];
const timings = {};  // per-module update cost, read by bench/bench_page.py
const SLOW_MS = 200;  // while training at speed, each heavy view redraws 5 times a second (bench/bench_page.py)

function updateModule(m, now) {
  m.drawn = state.version;
  m.at = now;
  try { m.update(state); } catch (e) { console.error(`${m.name}: update failed`, e); }
  const t = timings[m.name] || (timings[m.name] = { calls: 0, ms: 0, max: 0 });
  const dt = performance.now() - now;
  t.calls += 1; t.ms += dt; if (dt > t.max) t.max = dt;
}

/**
 * Each frame, modules whose state changed are updated. While training at speed, the heavy views (lane 'slow':
 * charts, letters, lab, equations, …) redraw at most 5 times a second each, one of them per frame, so the
 * diagram keeps 60 frames/s; at rest and during step-sample animations every module follows every change.
 */
function frame() {
  const now = performance.now();
  const rush = state.playing && !state.phase;
  let slowDue = null;
  for (const m of modules) {
    if (m.drawn === state.version) continue;
    if (m.lane !== 'slow' || !rush) updateModule(m, performance.now());
    else if (now - (m.at || 0) >= SLOW_MS && (!slowDue || m.at < slowDue.at)) slowDue = m;
  }
  if (slowDue) updateModule(slowDue, performance.now());
  if (state.version !== errorsDrawn) { errorsDrawn = state.version; drawErrors(state.errors); }
  if (conn) conn.flushAcks();
  requestAnimationFrame(frame);
}
let errorsDrawn = 0;

function start() {
  performance.mark('main-started');
  document.documentElement.classList.toggle('projector', !!state.projector);
  conn = connect({
    connect: () => {
      if (!performance.getEntriesByName('socket-connected').length) performance.mark('socket-connected');
      setState({ connected: true, reconnecting: false });
    },
    session: (p) => {  // a run of ours came back (reload, brief disconnect), or a new session to configure
      if (p.resumed) {
        let stored = null;
        try { stored = JSON.parse(sessionStorage.getItem(SELECTION_KEY)); } catch { /* none kept */ }
        keptSelection = state.selection ?? stored;
      } else if (!room.active) {
        send('configure', pickConfig(state.config));  // a class's room says what it needs
      }
    },
    disconnect: () => { player.stopAll(); setState({ connected: false, reconnecting: true, playing: false }); },
    reconnecting: (n) => setState(n === null ? { reconnecting: true } : { reconnecting: true, reconnectAttempt: n }),
    event: onEvent,
  }, room.connectOptions());
  const { shell, visuals } = mountAll(ctx);
  modules.push(...shell, room.mount(ctx, conn));
  window.addEventListener('resize', () => setState({}));
  window.addEventListener('pagehide', () => {
    try { sessionStorage.setItem(SELECTION_KEY, JSON.stringify(state.selection)); } catch { /* no storage */ }
  });
  bindKeys(actions);
  requestAnimationFrame(frame);
  const firstDraw = new Promise((resolve) => {
    const poll = () => (performance.getEntriesByName('network-drawn').length ? resolve() : setTimeout(poll, 20));
    poll();
    setTimeout(resolve, 600);  // no server yet: mount the rest anyway
  });
  visuals(firstDraw).then((list) => { modules.push(...list); setState({}); });
}

// For tests and the console: the state the page draws, exactly as the server sent it.
window.playground = { state, actions, send, timings };
start();
