/**
 * The page's one owner: the socket, the state object and the requestAnimationFrame loop.
 *
 * Server events become patches of `state` (bumping `state.version`); each frame, every mounted module whose last
 * drawn version is older gets `update(state)` (heavy views at most 5 times a second while training, see frame()),
 * and only then are the snapshot acks sent (flow control). Modules talk back
 * through ctx = { send, select, setState } (the shell's own modules also get configure/actions), and reach the
 * page's declared extension points there: ctx.policy (what this tab may send or run: ctx.send, ctx.configure and
 * every ctx.actions entry ask it) and ctx.drawings (where the letters pad's drawings go); a mode of the page (the
 * classroom) plugs into them with ctx.plug (extension-points.js). The URL holds the configuration. What each
 * visual looks like is left to its module.
 */
import { connect } from './core/connection.js';
import { createPlayer, SPEEDS } from './core/player.js';
import { parseQuery, parseRuns, pickConfig, runsLink, useSchema, writeUrl, VIEW_FIELDS } from './core/url-state.js';
import { field, loadSchema, schema as embeddedSchema } from './core/schema.js';
import { drawErrors } from './core/errors.js';
import { mountAll } from './core/mount.js';
import { bindKeys } from './core/keys.js';
import { createClassroom } from './classroom/classroom.js';
import { createExtensionPoints, createStoredDrawings } from './core/extension-points.js';
import { createUndoToast } from './core/undo-toast.js';
import { createHelp } from './core/help.js';
import { carry, forget } from './core/wire.js';
import { fmtInt } from './lib/visual-kit.js';

// The configuration's fields, presets and limits (GET /api/schema), embedded in the page by the server.
const schema = embeddedSchema() || await loadSchema();
useSchema(schema);
const DEFAULT_PRESET = field('preset')?.default;
const { config: urlConfig, view } = parseQuery(location.search);
let linkRuns = parseRuns(location.search);  // a link's "what if" runs and edits, opened after its configure (open_runs)
let linkPending = !!linkRuns;  // until open_runs answers, the URL keeps the link (not the runs configure announced)
let runsSeen = 0;  // `runs` messages so far: a new run's own (its drawings) may come before its configure's ack
const room = createClassroom(location);  // classroom mode: the teacher's link, a student's join page, or neither

const state = {
  version: 1, connected: false, reconnecting: false,
  network: null, snapshot: null, live: true, trace: null, phase: null, phaseLayer: null, status: null,
  selection: null, sample: 0, layout: view.layout, projector: view.projector, errors: {},
  config: { preset: DEFAULT_PRESET, ...urlConfig },
  // added by the shell
  speed: SPEEDS.find((s) => String(s) === String(view.speed)) ?? VIEW_FIELDS.find((f) => f.name === 'speed').fallback,
  playing: false, maxEpoch: 0, show: 'a', links: 'weights', phaseScale: 1, notice: null,
  savedRun: null,  // the saved run on view (static/whatif/saved-runs.js), in the URL as `run`
  runs: null,  // "what if" runs and edits (server `runs`, static/whatif/branches.js); null without either
  labCheck: null,  // in a class: the mistake lab's last verdict, as the teacher's check sent it to the room
};

function setState(patch) {
  Object.assign(state, patch);
  state.version += 1;
  if ('projector' in patch) document.documentElement.classList.toggle('projector', !!state.projector);
  if ('projector' in patch || 'layout' in patch || 'speed' in patch || 'savedRun' in patch) syncUrl();
}
const getState = () => state;

/** The URL: the config, the view and, with "what if" branches or edits, the runs (on the original's config). */
function syncUrl() {
  const link = (linkPending ? null : runsLink(state.runs, state.maxEpoch)) || linkRuns;
  const original = link && state.runs?.runs[0]?.config;
  writeUrl(original ? fromPreset(original) : state.config,
    { projector: state.projector, layout: state.layout, speed: state.speed, run: state.savedRun }, link);
}

/** `cfg` as the URL keeps it: the preset plus every field where it differs from the preset's own. */
function fromPreset(cfg) {
  const base = (schema.presets.find((p) => p.name === cfg.preset) || {}).config || {};
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const config = { preset: cfg.preset };
  for (const [k, v] of Object.entries(pickConfig(cfg))) if (k !== 'preset' && !same(v, base[k])) config[k] = v;
  return config;
}

/**
 * A link's runs, right after its configure: the server trains them again in the background, saying where it is
 * (`link` messages, onLink), while the page stays live (a pause cancels it); refused, the page says why.
 */
function openLinkRuns(reply) {
  const link = linkRuns;
  if (!link || !reply || reply.ok === false) return;
  setState({ notice: 'Training the runs of this link again…' });
  send('open_runs', link, (r) => {
    if (!r || r.ok === false) linkClosed();
  });
}

/** The link's runs will not open (refused or cancelled): the link stays in the URL, not the runs configure sent. */
function linkClosed() {
  linkPending = false;
  if (state.runs) setState({ runs: null });
}

function onLink(p) {
  if (p.state === 'rebuilding') {
    setState({ notice: `Rebuilding the link's runs: run ${p.run} of ${p.runs}, epoch ${fmtInt(p.epoch)} of `
      + `${fmtInt(p.epochs)} (play, step or a new setting stops it)` });
  } else if (p.state === 'opened') {
    linkPending = false;
    linkRuns = null;
    setState({ notice: null, linkOpened: (state.linkOpened || 0) + 1 });  // its drawings may have joined the list
    syncUrl();
  } else if (p.state === 'cancelled') {
    linkClosed();
    setState({ notice: 'The runs of this link were not opened: stopped before they were trained again. '
      + 'The network is as the link starts it, at epoch 0.' });
  }
}

let conn = null;
let lastGoodConfig = null;
const SELECTION_KEY = 'playground-selection';
let keptSelection;  // a returning tab's selection, put back when its run's network arrives
// Each of these may replace a run; the server keeps a long one, its ack says so (`undo`), and the page offers it
// back, whoever sent the event (the reset button or key, a setting, a preset, the mistake lab, a lesson).
const RESTARTS = new Set(['configure', 'reset', 'load_model']);
const send = (event, payload = {}, ack) => {
  if (!conn) return;
  const seen = runsSeen;
  const offer = RESTARTS.has(event) ? (reply) => {
    if (reply && reply.ok !== false && state.runs && runsSeen === seen) {  // a new run: no edits yet
      setState({ runs: null });
      syncUrl();
    }
    undoToast.offer(reply, event);
    if (ack) ack(reply);
  } : ack;
  conn.send(event, payload, offer);  // a rejection also arrives as an `error` event, handled in onEvent
};

function onError(err) {
  if (err.event === 'branch') return;
  if (err.event === 'open_runs') {  // the original stays as configured; the link stays in the URL
    linkClosed();
    const what = linkRuns && !linkRuns.branches.length ? 'edits' : 'what-if runs';  // a link with edits only
    setState({ notice: `The ${what} of this link could not be opened: ${err.message}` });
    return;
  }  // the "What if…" form shows its own refusals, next to its own fields
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
  setState({ notice: `Stepped from the newest epoch, ${fmtInt(state.maxEpoch)}: training always `
    + 'goes on from the newest weights; the timeline only replays the past (What if… trains a branch from it).' });
  const shown = state.notice;
  setTimeout(() => { if (state.notice === shown) setState({ notice: null }); }, 8000);
}

function configure(patch) {
  const config = pickConfig({ ...state.config, ...patch });
  for (const k of Object.keys(patch)) clearError(k);
  state.config = config;
  linkRuns = null;
  player.stopAll();
  send('configure', config);
  syncUrl();
}

const points = createExtensionPoints(createStoredDrawings({ send, getState }));
const { policy } = points;

const actions = Object.fromEntries(Object.entries({
  toggle: () => player.toggle(),
  play: () => player.play(),
  pause: () => player.pause(),
  stepEpoch: () => { sayStepFromLive(); player.stepEpoch(); },
  stepSample: () => { sayStepFromLive(); player.stepSample(); },
  reset: () => { player.stopAll(); clearError('seed'); send('reset', {}); },
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
}).map(([name, fn]) => [name, policy.guard(name, fn)]));

const presets = () => Promise.resolve(schema.presets.length ? schema.presets : [{ name: state.config.preset }]);

const ctx = {
  send: (event, payload, ack) => (policy.allows(event) ? send(event, payload, ack) : policy.refuse(event)),
  setState, getState, schema,
  select: (selection) => setState({ selection }),
  configure: policy.guard('configure', configure), actions, clearError, presets,
  policy, drawings: points.drawings, plug: points.plug,
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
      snapshot: null, maxEpoch: 0, config, errors, live: true, runs: null });
    forget();
    keptSelection = undefined;
    syncUrl();
  } else if (name === 'dataset') {  // the training set changed under the running network: the run goes on
    const net = { ...state.network, dataset: p.dataset, config: p.config };
    adoptServerConfig(net);
    setState({ network: net });
  } else if (name === 'snapshot') {
    if (!performance.getEntriesByName('first-snapshot').length) performance.mark('first-snapshot');
    carry(p); // the optional parts (curve, boundary) come a few times a second: a frame without one keeps the last
    const replay = !!p.replay;
    const maxEpoch = replay ? Math.max(state.maxEpoch, p.epoch) : p.epoch;
    setState({ snapshot: p, live: !replay || p.epoch >= state.maxEpoch, maxEpoch });
  } else if (name === 'trace') {
    player.onTrace(p);
  } else if (name === 'status') {
    player.onStatus(p);
    setState({ status: p, maxEpoch: Math.max(state.maxEpoch, state.live ? p.epoch || 0 : 0) });
    if (state.runs) syncUrl();  // the live run's epoch, in the link
    document.body.classList.toggle('training', p.state === 'training');
  } else if (name === 'runs') {  // after `network`: the original and its branches, with their curves
    runsSeen += 1;
    setState({ runs: p });
    syncUrl();
  } else if (name === 'link') {
    onLink(p);
  } else if (name === 'error') {
    onError(p);
  } else if (name === 'lesson' || name === 'lesson_answers') {  // a class's lesson (static/core/lessons.js)
    setState({ [name === 'lesson' ? 'classLesson' : 'classAnswers']: p });
  }
}

const modules = [];
const timings = {};  // per-module update cost, read by bench/bench_page.py
const SLOW_MS = 200;  // while training at speed, each heavy view redraws 5 times a second (bench/bench_page.py)
const AWAY_MS = 1000;  // … and once a second while it is scrolled out of sight (it catches up as it comes back)

// Which heavy views are on screen: scrolled out of sight, they need not redraw five times a second.
const sight = typeof IntersectionObserver === 'undefined' ? null : new IntersectionObserver((entries) => {
  for (const e of entries) e.target.awayFromView = !e.isIntersecting;
});
const away = (m) => !!(m.root && m.root.awayFromView);

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
 * charts, letters, lab, equations, …) redraw at most 5 times a second each (once a second while scrolled out of
 * sight), one of them per frame, so the diagram keeps 60 frames/s; at rest and during step-sample animations every
 * module follows every change.
 */
function frame() {
  const now = performance.now();
  const rush = state.playing && !state.phase;
  let slowDue = null;
  for (const m of modules) {
    if (m.drawn === state.version) continue;
    if (m.lane !== 'slow' || !rush) updateModule(m, performance.now());
    else if (now - (m.at || 0) >= (away(m) ? AWAY_MS : SLOW_MS) && (!slowDue || m.at < slowDue.at)) slowDue = m;
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
        send('configure', pickConfig(state.config), openLinkRuns);  // a class's room says what it needs
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
  visuals(firstDraw).then((list) => {
    modules.push(...list);
    if (sight) for (const m of list) if (m.root) sight.observe(m.root);
    setState({});
  });
}

// For tests and the console: the state the page draws, exactly as the server sent it.
window.playground = { state, actions, send, timings };
start();
