/**
 * Classroom mode in the page: which role this tab has, the socket's auth, the join form, and the rules of a
 * student's page (follow the teacher's network, scrub the timeline locally, send drawings to the teacher).
 *
 * The teacher opens the link `backprop-playground --classroom` prints (`/#teacher=TOKEN`): the token moves into
 * sessionStorage and out of the address bar (a projected address bar must not show it). Students open
 * `/join?code=…`, or `/join` and type the code. A tab opened without either on a classroom server is refused at
 * connect and shows the join form. On a server without a class this module stays inactive and changes nothing.
 *
 * main.js calls: createClassroom(location) → room; connect(handlers, room.connectOptions()); room.active on
 * connect (the teacher's page configures only an empty room, students never do); room.onEvent(name, payload)
 * before its own handling (false = consumed); room.mount(ctx, conn) → a module. Once the tab is in a class it
 * plugs into the page's extension points (ctx.plug, extension-points.js): a policy (a student may send only the
 * events the server lists in `classroom`.may_send and run no transport, setting or preset; the timeline replays this page's frames instead) and a
 * drawings service (the letters pad's drawings go to the teacher's queue, `submit_example`; the teacher's verdict
 * comes back as news). It never replaces the page's functions nor touches another module's DOM.
 * What it leaves out: the class's panels (classroom-panel.js), the drawing pad (letters.js) and the network itself
 * (the other modules, which receive the same events as always).
 */
import { createClassPanel } from './classroom-panel.js';
import { carry } from '../core/wire.js';

const TOKEN_KEY = 'bp-teacher-token';
const CODE_KEY = 'bp-class-code';
const NAME_KEY = 'bp-class-name';
const STUDENT_ACTIONS = new Set(['help', 'closeHelp', 'toggleProjector']); // and `seek`, which replays locally
const EVENTS = ['classroom', 'submissions', 'submission', 'lesson', 'lesson_answers', 'lab_check'];
const KEEP = 400; // frames a student keeps for scrubbing (decimated: every other one dropped when full)
const TEACHER_ONLY = 'The teacher drives the network: draw a letter, ask the network, or drag the timeline to look back.';

function readRole(loc) {
  const hash = new URLSearchParams(loc.hash.slice(1));
  if (hash.has('teacher')) {
    sessionStorage.setItem(TOKEN_KEY, hash.get('teacher'));
    hash.delete('teacher');
    const rest = hash.toString();
    history.replaceState(null, '', `${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
  }
  if (loc.pathname === '/join') { // a tab that joined before reconnects at once; a new one asks for a name first
    const offered = new URLSearchParams(loc.search).get('code') || '';
    const joined = sessionStorage.getItem(CODE_KEY) || '';
    const code = joined && (!offered || offered === joined) ? joined : '';
    return { role: 'student', code, offered: offered || joined, name: sessionStorage.getItem(NAME_KEY) || '' };
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { role: 'teacher', token } : { role: null };
}

export function createClassroom(loc = location) {
  const who = readRole(loc);
  let ctx = null;
  let conn = null;
  let panel = null;
  let info = {};
  let studentEvents = new Set(); // until the server says (`classroom`.may_send), a student sends nothing
  let buffer = []; // a student's live frames, oldest first
  let scrubbing = false;

  const room = {
    get active() { return who.role !== null; },
    get role() { return who.role; },
    connectOptions() {
      return {
        io: {
          auth: (cb) => cb(who.role === 'teacher' ? { token: who.token }
            : who.role === 'student' ? { code: who.code, ...(who.name ? { name: who.name } : {}) } : {}),
          autoConnect: !(who.role === 'student' && !who.code), // a new student connects once the form is sent
        },
        events: EVENTS,
        onConnectError: refused,
      };
    },
    onEvent,
    mount,
  };

  let joinMessage = null; // the join form is due (with this message) once the panel exists

  function refused(err) {
    const message = (err && err.message) || '';
    if (!message.startsWith('classroom:')) return; // the server is down or restarting: the banner says so
    if (who.role === 'teacher') {
      sessionStorage.removeItem(TOKEN_KEY);
      Object.assign(who, { role: 'student', code: '', name: '' });
      joinMessage = 'This teacher link does not fit this server (wrong token). Students join with the class code.';
    } else {
      const typed = who.role === 'student' && who.code;
      who.role = 'student';
      joinMessage = typed ? message.replace(/^classroom:\s*/, '') : '';
    }
    activate();
    if (panel) { panel.showJoin(joinMessage); joinMessage = null; }
  }

  function join(code, name) {
    Object.assign(who, { role: 'student', code: code.trim(), name: name.trim() });
    sessionStorage.setItem(CODE_KEY, who.code);
    if (who.name) sessionStorage.setItem(NAME_KEY, who.name); else sessionStorage.removeItem(NAME_KEY);
    if (location.pathname !== '/join') history.replaceState(null, '', '/join');
    conn.socket.connect();
  }

  // -- events --------------------------------------------------------------------------------------------
  function onEvent(name, p) {
    if (name === 'classroom') {
      info = { ...info, ...p };
      if (p.may_send) studentEvents = new Set(p.may_send); // the server's list of what a student may send
      if (p.role) { who.role = p.role; activate(); panel?.hideJoin(); }
      if (who.role === 'teacher' && p.role && p.configured === false) ctx.configure({}); // an empty room: set it up
      panel?.setInfo(info);
      return false;
    }
    if (name === 'submissions') { panel?.setQueue(p); return false; }
    if (name === 'submission') { panel?.setMine(p); verdict(p); return false; }
    if (name === 'lab_check') { ctx.setState({ labCheck: p }); return false; } // the lab's verdict the teacher asked for
    if (who.role !== 'student') return true;
    if (name === 'error' && p && p.event === 'submit_example') { panel?.say('error', p.message); return false; }
    if (name === 'network') { buffer = []; scrubbing = false; return true; }
    if (name === 'snapshot') {
      if (!p.replay) record(p);
      if (!scrubbing) return true;
      carry(p); // remembered for the frames shown later (the same rule as main.js)
      const s = ctx.getState();
      ctx.setState({ maxEpoch: Math.max(s.maxEpoch, p.replay ? 0 : p.epoch) });
      return false; // the student is looking back: the newest frame waits in the buffer
    }
    return true;
  }

  function record(p) {
    const last = buffer[buffer.length - 1];
    if (last && p.epoch <= last.epoch) {
      if (p.epoch === last.epoch) buffer[buffer.length - 1] = p;
      else buffer = [p]; // a new run (reset, or the teacher accepted a drawing)
      return;
    }
    buffer.push(p);
    if (buffer.length > KEEP) buffer = buffer.filter((_, i) => i % 2 === 0 || i === buffer.length - 1);
  }

  /** A student's timeline: replay a frame this page received; the newest epoch returns to live. */
  function seekLocal(epoch) {
    if (!buffer.length) return;
    const newest = buffer[buffer.length - 1];
    if (epoch >= newest.epoch) {
      scrubbing = false;
      ctx.setState({ snapshot: newest, live: true, maxEpoch: Math.max(ctx.getState().maxEpoch, newest.epoch) });
      return;
    }
    let best = buffer[0];
    for (const f of buffer) { if (f.epoch <= epoch) best = f; else break; }
    scrubbing = true;
    ctx.setState({ snapshot: carry({ ...best, replay: true }, { only: ['curve'], remember: false }), live: false }); // its own boundary
  }

  // -- the policy: what a student may do ------------------------------------------------------------------
  const student = () => who.role === 'student';
  const policy = {
    allows: (name) => !student() || studentEvents.has(name) || STUDENT_ACTIONS.has(name),
    instead: (name) => (student() && name === 'seek' ? seekLocal : null),
    refuse: () => panel?.say('note', TEACHER_ONLY),
    lesson: () => ({ teacher: 'lead', student: 'follow' })[who.role] || null,
  };

  // -- the drawings service: the pad's drawings join the teacher's queue -------------------------------------
  let tell = () => {};
  const drawings = {
    get words() {
      return { button: student() ? 'Send to the teacher as' : 'Send to the queue as',
        pending: (label) => `sending your ${label} to the teacher…` };
    },
    list: null, // the class keeps accepted drawings on the server; the teacher's queue shows them
    remove: null,
    submit: (label, input) => new Promise((resolve) => {
      panel.say('pending', `sending your ${label} to the teacher…`);
      ctx.send('submit_example', { input, label }, (ack) => {
        const answer = ack && ack.ok ? { state: 'ok', text: `sent as ${label}: waiting for the teacher` }
          : { state: 'error', text: ack?.error?.message || 'not sent' };
        if (ack && ack.ok) panel.addMine({ id: ack.id, label, input, state: 'pending' });
        panel.say(answer.state, answer.text);
        resolve(answer);
      });
    }),
    news: (fn) => { tell = fn; },
  };

  /** The teacher's verdict on a drawing of this tab, in words: the class bar and the pad's status line say it. */
  function verdict(p) {
    const words = { accepted: `The teacher accepted your ${p.label}: it is in the training set now — watch the network learn it.`,
      rejected: `The teacher did not take your ${p.label}.`, refused: `Your ${p.label} was not queued: ${p.message || ''}` };
    if (!words[p.state]) return;
    const news = { state: p.state === 'accepted' ? 'ok' : 'error', text: words[p.state] };
    panel?.say(news.state, news.text);
    tell(news);
  }

  let activated = false;
  function activate() {
    document.documentElement.classList.toggle('class-teacher', who.role === 'teacher');
    document.documentElement.classList.toggle('class-student', who.role === 'student');
    if (activated || !ctx || who.role === null) return;
    activated = true;
    if (!document.querySelector('link[href="/static/css/classroom.css"]')) {
      document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/static/css/classroom.css' }));
    }
    panel = createClassPanel(document.getElementById('controls-root'), {
      role: () => who.role, token: () => who.token, code: () => who.code || who.offered || '', name: () => who.name,
      join, send: (e, p, a) => ctx.send(e, p, a),
    });
    ctx.plug({ policy, drawings });
  }

  function mount(context, connection) {
    ctx = context;
    conn = connection;
    if (who.role === 'student' && !who.code && joinMessage === null) joinMessage = '';
    activate();
    if (panel && joinMessage !== null) { panel.showJoin(joinMessage); joinMessage = null; }
    return {
      name: 'classroom',
      update(state) { if (panel) panel.update(state, info); },
    };
  }

  return room;
}
