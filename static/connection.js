/**
 * The socket: connects to the server, reconnects on its own, and turns server events into calls on `handlers`.
 *
 * Snapshots arrive with an acknowledgement callback (the server's flow control keeps at most two in flight).
 * We do not ack on receipt but after the next frame is drawn (`flushAcks`, called by main.js's rAF loop), so a
 * slow page receives fewer snapshots instead of a growing queue. This module knows nothing about the page state.
 */
import { io } from '/static/vendor/socket.io/socket.io.esm.min.js';

const SERVER_EVENTS = ['network', 'dataset', 'snapshot', 'trace', 'status', 'error'];

/**
 * handlers: { connect(), disconnect(reason), reconnecting(attempt), event(name, payload) }
 * options (classroom mode): { io: extra io() options (auth), events: more server event names, onConnectError(err) }
 * returns { send(event, payload, ack?), flushAcks(), socket }
 */
export function connect(handlers, options = {}) {
  const socket = io({
    transports: ['websocket', 'polling'],
    reconnection: true,
    reconnectionDelay: 400,
    reconnectionDelayMax: 2500,
    timeout: 8000,
    ...options.io,
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
