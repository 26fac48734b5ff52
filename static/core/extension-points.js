/**
 * The page's declared extension points. main.js puts them on `ctx`, so every module reaches them the same way,
 * and a mode of the page (the classroom) plugs into them instead of replacing the page's functions or DOM.
 *
 * - `ctx.policy` — what this tab may send or run. `allows(name)` for an event (`start`, `predict`, …) or an
 *   action (`play`, `seek`, …); `instead(name)` → a function that runs in the action's place (a student's
 *   timeline replays frames on the page), or null; `refuse(name)` tells the person why not. Open by default: a
 *   solo tab may do everything. main.js checks it in `ctx.send`, `ctx.configure` and every `ctx.actions` entry
 *   (the keys too); its own bookkeeping sends are not a person's request and are not checked. `lesson()` → this
 *   tab's part in a lesson: 'lead' (its steps go to a class), 'follow' (it follows a leader's steps) or null (solo).
 * - `ctx.drawings` — where a drawing from the letters pad goes. `submit(label, pixels)` → a promise of
 *   `{ state: 'ok' | 'error', text }` (the words the pad's status line shows); `words` = { button, pending(label) };
 *   `list(dataset)` and `remove(id)` when the service keeps drawings the page may list (a solo page's store), else
 *   null; `onNews(fn)`: later news of a sent drawing (a teacher's verdict), as `fn({ state, text })`.
 *
 * API: createExtensionPoints(drawings) → { policy, drawings, plug({ policy?, drawings? }) }. `plug` swaps what is
 * behind a point; the objects on `ctx` stay the same, so a module may keep them.
 * What it leaves out: what a policy or a service decides (the classroom's are in classroom.js, the solo
 * drawings service below).
 */
import { fmtInt } from '../lib/visual-kit.js';

export const OPEN_POLICY = Object.freeze({ allows: () => true, instead: () => null, refuse: () => {}, lesson: () => null });

export function createExtensionPoints(drawings) {
  let rules = OPEN_POLICY;
  let service = drawings;
  const listeners = new Set();
  const policy = {
    allows: (name) => rules.allows(name),
    instead: (name) => (rules.instead ? rules.instead(name) : null),
    refuse: (name) => rules.refuse(name),
    lesson: () => (rules.lesson ? rules.lesson() : null),
    /** `fn` guarded by the policy under `name`: run, run something else instead, or refused. */
    guard: (name, fn) => (...args) => {
      const alt = policy.instead(name);
      if (alt) return alt(...args);
      return policy.allows(name) ? fn(...args) : policy.refuse(name);
    },
  };
  const points = {
    policy,
    drawings: {
      get words() { return service.words; },
      get list() { return service.list || null; },
      get remove() { return service.remove || null; },
      submit: (label, pixels) => service.submit(label, pixels),
      onNews(fn) { listeners.add(fn); return () => listeners.delete(fn); },
    },
    plug(parts) {
      if (parts.policy) rules = parts.policy;
      if (parts.drawings) {
        service = parts.drawings;
        if (service.news) service.news((n) => listeners.forEach((fn) => fn(n)));
      }
    },
  };
  return points;
}

async function api(method, url, body) {
  const res = await fetch(url, { method, headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const reply = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(reply.error?.message || `HTTP ${res.status}`);
  return reply;
}

/**
 * A solo page's drawings: stored with POST /api/examples, listed and deleted there, and trained on from here on
 * (`use_examples`: the run goes on from its weights and epoch; the server answers with the new set's size).
 * io = { send(event, payload, ack), getState() }.
 */
export function createStoredDrawings(io) {
  const trainOnStored = () => new Promise((resolve) => {
    io.send('use_examples', {}, (ack) => {
      const epoch = fmtInt(ack?.epoch);
      resolve(ack && ack.ok ? { ok: true, how: `training set now ${ack.samples} images; training goes on from epoch ${epoch}` }
        : { ok: false, why: ack?.error?.message || 'no answer' });
    });
  });
  return {
    words: { button: 'Add to training set as', pending: (label) => `adding as ${label}…` },
    async submit(label, pixels) {
      let body;
      try {
        body = await api('POST', '/api/examples', { dataset: io.getState().network.dataset.name, label, input: pixels });
      } catch (err) {
        return { state: 'error', text: `not stored: ${err.message}` };
      }
      const trained = await trainOnStored();
      return trained.ok ? { state: 'ok', text: `Added as ${label} (drawing #${body.id}) — ${trained.how}` }
        : { state: 'error', text: `stored, but not in training: ${trained.why}` };
    },
    list: async (dataset) => (await api('GET', `/api/examples?dataset=${encodeURIComponent(dataset)}`)).examples,
    async remove(id, label) {
      try {
        await api('DELETE', `/api/examples/${id}`);
      } catch (err) {
        return { state: 'error', text: `not deleted: ${err.message}` };
      }
      const done = `Deleted drawing #${id} (${label})`;
      if (!io.getState().network?.config?.examples) return { state: 'ok', text: done };
      const trained = await trainOnStored();
      return trained.ok ? { state: 'ok', text: `${done} — ${trained.how}` }
        : { state: 'error', text: `stored, but not in training: ${trained.why}` };
    },
  };
}
