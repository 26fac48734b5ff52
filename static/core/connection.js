/**
 * The socket: connects to the server, reconnects on its own, and turns server events into calls on `handlers`.
 *
 * Snapshots arrive with an acknowledgement callback (the server's flow control keeps at most two in flight).
 * We do not ack on receipt but after the next frame is drawn (`flushAcks`, called by main.js's rAF loop), so a
 * slow page receives fewer snapshots instead of a growing queue. This module knows nothing about the page state.
 *
 * A reload or a brief disconnect keeps the run: the server's `session` event gives this tab a resume token, which
 * every (re)connect sends as `auth.resume`, and the server gives a run parked in the last minutes back. The token
 * sits in sessionStorage only while the page is gone (taken out on load, put back on `pagehide`), so a reload finds
 * it but a duplicated tab, which copies sessionStorage, starts a run of its own; so does another address opened in
 * the same tab.
 */
import { io } from '/static/vendor/socket.io/socket.io.esm.min.js';

const SERVER_EVENTS = ['network', 'dataset', 'snapshot', 'trace', 'status', 'error', 'runs', 'link'];
const RESUME_KEY = 'playground-resume';

function storage(fn) {
  try { return fn(window.sessionStorage); } catch { return null; } // storage can be disabled: no resume then
}

/**
 * handlers: { connect(), disconnect(reason), reconnecting(attempt), session({resume, resumed}), event(name, payload) }
 * options (classroom mode): { io: extra io() options (auth), events: more server event names, onConnectError(err) }
 * returns { send(event, payload, ack?), flushAcks(), socket }
 */
export function connect(handlers, options = {}) {
  // Kept with the address it was left at: a reload (the same address) gets the run back, while opening another
  // link in this tab (another preset or setting) starts that setup instead of resuming the old run.
  let resume = storage((s) => {
    const kept = s.getItem(RESUME_KEY);
    s.removeItem(RESUME_KEY);
    try { const { token, search } = JSON.parse(kept); return search === location.search ? token : null; }
    catch { return null; }
  });
  window.addEventListener('pagehide', () => {
    if (resume) storage((s) => s.setItem(RESUME_KEY, JSON.stringify({ token: resume, search: location.search })));
  });
  window.addEventListener('pageshow', () => storage((s) => s.removeItem(RESUME_KEY)));
  const { auth: roleAuth, ...ioOptions } = options.io || {};
  const auth = (cb) => {
    const mine = resume ? { resume } : {};
    if (typeof roleAuth === 'function') roleAuth((a) => cb({ ...mine, ...a }));
    else cb({ ...mine, ...roleAuth });
  };
  const socket = io({
    transports: ['websocket', 'polling'],
    reconnection: true,
    reconnectionDelay: 400,
    reconnectionDelayMax: 2500,
    timeout: 8000,
    auth,
    ...ioOptions,
  });
  socket.on('session', (p) => {
    resume = p && p.resume;
    if (handlers.session) handlers.session(p);
  });
  let pendingAcks = [];

  socket.on('connect', () => handlers.connect());
  socket.on('disconnect', (reason) => handlers.disconnect(reason));
  socket.on('connect_error', (err) => {
    handlers.reconnecting(null);
    if (options.onConnectError) options.onConnectError(err);
  });
  socket.io.on('reconnect_attempt', (n) => handlers.reconnecting(n));

  for (const name of [...SERVER_EVENTS, ...(options.events || [])]) {
    socket.on(name, (payload, ack) => {
      handlers.event(name, payload);
      if (typeof ack === 'function') pendingAcks.push(ack);
    });
  }

  function send(event, payload = {}, ack) {
    if (typeof ack === 'function') {
      socket.timeout(10000).emit(event, payload, (err, reply) => {
        ack(err ? { ok: false, error: { event, field: null, message: 'no answer from the server' } } : reply);
      });
    } else {
      socket.emit(event, payload);
    }
  }

  function flushAcks() {
    if (!pendingAcks.length) return;
    const acks = pendingAcks;
    pendingAcks = [];
    for (const ack of acks) ack({ ok: true });
  }

  return { send, flushAcks, socket };
}
