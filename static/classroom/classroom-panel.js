/**
 * The classroom's panels: the teacher's class bar (QR code, join address and code, students present, the queue
 * of drawings with the network's live guess, accept ✓ / reject ✕), the teacher's full-screen join screen, the
 * student's bar (who and where they are, their sent drawings and what became of them) and the student's join form.
 *
 * API: createClassPanel(header, io) with io = { role(), token(), code(), name(), join(code, name), send(e, p, ack) }
 * → { setInfo, setQueue, setMine, addMine, say, showJoin, hideJoin, update(state, info) }.
 * Test hooks: [data-testid] class-bar, class-qr, class-code, class-students, class-queue, submission (data-id,
 * data-label, data-guess), accept, reject, clear-accepted, join-screen, join-screen-close, my-submissions,
 * my-submission (data-state), class-say, join-overlay, join-code, join-name, join-submit, join-error.
 * What it leaves out: sockets and roles (classroom.js), the network and the drawing pad (the other modules): it
 * writes only into its own bars, screens and forms.
 */
import { el, fmt } from '../lib/visual-kit.js';

const STATE_WORDS = { pending: 'waiting', accepted: 'accepted', rejected: 'not taken', refused: 'not sent' };
const STATE_MARKS = { pending: '…', accepted: '✓', rejected: '✕', refused: '!' };

function thumb(input, cols) {
  return el('span', { class: 'class-thumb', style: `--cols:${cols}`, 'aria-hidden': 'true' },
    input.map((v) => el('i', { class: v > 0.5 ? 'on' : '' })));
}

const shortUrl = (url) => (url || '').replace(/^https?:\/\//, '').replace(/\/join(\?.*)?$/, '/join');

export function createClassPanel(header, io) {
  let bar = null;
  let built = null; // the role the bar was built for
  let info = {};
  let cols = 6;
  let details = null; // GET /api/classroom (teacher)
  const cards = new Map();
  const mine = [];
  let screen = null;
  let screenShown = false;
  let overlay = null;
  const $ = (sel) => bar && bar.querySelector(sel);

  // -- the teacher ---------------------------------------------------------------------------------------
  function buildTeacher() {
    bar = el('div', { class: 'bar bar-class', 'data-testid': 'class-bar', 'data-role': 'teacher' },
      el('button', { type: 'button', class: 'class-qr', 'data-testid': 'class-qr', title: 'Show the join screen',
        'aria-label': 'Show the join screen', onclick: () => showScreen(true) }),
      el('div', { class: 'class-field' }, el('span', { class: 'field-label' }, 'Students join at'),
        el('b', { class: 'class-url num', 'data-ref': 'url' }, '…')),
      el('div', { class: 'class-field' }, el('span', { class: 'field-label' }, 'Code'),
        el('b', { class: 'class-code num', 'data-testid': 'class-code' }, '…')),
      el('div', { class: 'class-field class-count' }, el('span', { class: 'field-label' }, 'In class'),
        el('b', { 'data-testid': 'class-students', class: 'num' }, '0')),
      el('div', { class: 'class-queue-box' },
        el('div', { class: 'class-queue-head' },
          el('span', { class: 'field-label' }, 'Drawings to review ', el('b', { 'data-ref': 'npending' }, '0')),
          el('span', { class: 'field-label' }, 'accepted into training ', el('b', { 'data-ref': 'naccepted' }, '0')),
          el('button', { type: 'button', class: 'pill ghost mini-pill', 'data-testid': 'clear-accepted',
            title: 'Forget every accepted drawing: back to the dataset\'s own training set',
            disabled: true, onclick: () => {
              if (window.confirm('Forget every accepted drawing? The training set goes back to the dataset\'s own images.')) {
                io.send('clear_examples', {});
              }
            } }, 'clear')),
        el('div', { class: 'class-queue', 'data-testid': 'class-queue' },
          el('p', { class: 'class-empty' }, 'Students\u2019 drawings appear here: check the label, then ✓ to train on it.'))));
    fetch('/api/classroom', { headers: { 'X-Teacher-Token': io.token() || '' } }) // a header: kept out of access logs
      .then((r) => (r.ok ? r.json() : null)).then((d) => { if (d) { details = d; drawDetails(); } }).catch(() => {});
  }

  function drawDetails() {
    if (!details || built !== 'teacher') return;
    $('.class-qr').innerHTML = details.qr_svg;
    $('.class-qr').title = `Show the join screen: students join at ${shortUrl(details.join_page)}`;
    $('[data-ref="url"]').textContent = shortUrl(details.join_page);
    $('[data-testid="class-code"]').textContent = details.code_display;
    if (screen) fillScreen();
    if (!screenShown && !info.students) showScreen(true); // the lesson starts: students need the code first
  }

  function fillScreen() {
    screen.querySelector('.class-screen-qr').innerHTML = details ? details.qr_svg : '';
    screen.querySelector('.big-url').textContent = details ? shortUrl(details.join_page) : '';
    screen.querySelector('.big-code').textContent = details ? details.code_display : '';
    screen.querySelector('.joined b').textContent = String(info.students || 0);
  }

  function showScreen(show) {
    screenShown = screenShown || show;
    if (!screen) {
      screen = el('div', { class: 'class-screen', 'data-testid': 'join-screen', role: 'dialog', 'aria-label': 'Join the class' },
        el('div', { class: 'class-screen-card' },
          el('div', { class: 'class-screen-qr' }),
          el('div', { class: 'class-screen-text' },
            el('p', { class: 'field-label' }, 'Join the class: scan the code, or open'),
            el('p', { class: 'big-url num' }), el('p', { class: 'field-label' }, 'and type'),
            el('p', { class: 'big-code num' }),
            el('p', { class: 'joined' }, el('b', {}, '0'), ' joined so far'),
            el('button', { type: 'button', class: 'class-start', 'data-testid': 'join-screen-close',
              onclick: () => showScreen(false) }, 'Start the lesson'))));
      document.body.append(screen);
    }
    fillScreen();
    screen.hidden = !show;
  }

  function card(sub) {
    const node = el('article', { class: 'class-sub', 'data-testid': 'submission', title: `${sub.name}: ${sub.label}`,
      dataset: { id: sub.id, label: sub.label } },
      thumb(sub.input, cols),
      el('div', { class: 'class-sub-meta' },
        el('span', { class: 'class-sub-label', title: 'the label the student gave' }, sub.label),
        el('span', { class: 'class-sub-guess', title: 'what the network answers now' }),
        el('span', { class: 'class-sub-name' }, sub.name)),
      el('div', { class: 'class-sub-acts' },
        el('button', { type: 'button', class: 'ok', 'data-testid': 'accept', title: `Accept: train on this ${sub.label}`,
          'aria-label': `Accept ${sub.name}'s ${sub.label}`, onclick: () => decide('accept_example', sub.id, node) }, '✓'),
        el('button', { type: 'button', class: 'no', 'data-testid': 'reject', title: 'Reject this drawing',
          'aria-label': `Reject ${sub.name}'s ${sub.label}`, onclick: () => decide('reject_example', sub.id, node) }, '✕')));
    return node;
  }

  function decide(event, id, node) {
    node.classList.add('busy');
    io.send(event, { id }, (ack) => { if (!ack || !ack.ok) node.classList.remove('busy'); });
  }

  function setGuess(node, sub) {
    const g = sub.guess;
    const top = g && g.outputs ? Math.max(...g.outputs) : null;
    const text = g && g.label ? `net says ${g.label} ${fmt(top)}` : 'net: —';
    const span = node.querySelector('.class-sub-guess');
    if (span.textContent !== text) span.textContent = text;
    node.dataset.guess = g && g.label ? g.label : '';
    node.classList.toggle('agrees', !!g && g.label === sub.label);
  }

  function setQueue(q) {
    if (built !== 'teacher') return;
    const list = q.pending || [];
    const box = $('.class-queue');
    const seen = new Set();
    for (const sub of list) {
      seen.add(sub.id);
      let node = cards.get(sub.id);
      if (!node) { node = card(sub); cards.set(sub.id, node); box.append(node); }  // the oldest first: nothing moves
      setGuess(node, sub);
    }
    for (const [id, node] of cards) if (!seen.has(id)) { node.remove(); cards.delete(id); }
    box.classList.toggle('has-items', cards.size > 0);
    $('[data-ref="npending"]').textContent = String(list.length);
    $('[data-ref="naccepted"]').textContent = String(q.accepted ?? 0);
    $('[data-testid="clear-accepted"]').disabled = !q.accepted;
  }

  // -- the student ---------------------------------------------------------------------------------------
  function buildStudent() {
    bar = el('div', { class: 'bar bar-class', 'data-testid': 'class-bar', 'data-role': 'student' },
      el('span', { class: 'class-live', 'data-ref': 'live' }, el('i'), el('span', {}, 'following the teacher')),
      el('span', { class: 'class-net', 'data-ref': 'net' }),
      el('span', { class: 'class-who' }, 'You: ', el('b', { 'data-ref': 'name' }, '…'), ' · class ',
        el('b', { class: 'num', 'data-ref': 'code' }, '…'), ' · ', el('b', { 'data-testid': 'class-students' }, '0'),
        ' in class'),
      el('span', { class: 'class-say', 'data-testid': 'class-say', role: 'status' },
        'Draw a letter and send it to the teacher. Drag the timeline to look back.'),
      el('div', { class: 'class-mine', 'data-testid': 'my-submissions' }));
  }

  function netName(net) {
    if (!net) return '';
    const p = net.preset || {};
    return `${p.name || net.dataset.name} · ${net.sizes.join('–')}`;
  }

  function drawMine() {
    const box = $('.class-mine');
    if (!box) return;
    box.replaceChildren(...(mine.length ? [el('span', { class: 'field-label' }, 'Your drawings')] : []),
      ...mine.slice(0, 6).map((m) => el('span', {
      class: 'class-mine-item', 'data-testid': 'my-submission', dataset: { state: m.state, id: m.id },
      title: `${m.label}: ${STATE_WORDS[m.state] || m.state}${m.message ? ` — ${m.message}` : ''}` },
    thumb(m.input, cols), el('b', {}, m.label), el('span', { class: 'mark' }, STATE_MARKS[m.state] || '?'))));
  }

  function say(kind, text) {
    const s = $('.class-say');
    if (s) { s.textContent = text; s.dataset.kind = kind; }
  }

  function setMine(p) {
    const m = mine.find((x) => x.id === p.id);
    if (m) Object.assign(m, { state: p.state, message: p.message });
    drawMine();
  }

  // -- the join form -------------------------------------------------------------------------------------
  function showJoin(message) {
    if (!overlay) {
      const code = el('input', { 'data-testid': 'join-code', autocomplete: 'off', autocapitalize: 'characters',
        spellcheck: 'false', maxlength: '9', required: true, placeholder: 'ABC-123', class: 'num' });
      const name = el('input', { 'data-testid': 'join-name', maxlength: '24', autocomplete: 'nickname',
        placeholder: 'how the teacher sees you' });
      overlay = el('div', { class: 'class-screen class-join', 'data-testid': 'join-overlay' },
        el('form', { class: 'class-form', onsubmit: (e) => { e.preventDefault(); io.join(code.value, name.value); } },
          el('h2', {}, 'Join the class'),
          el('p', { class: 'muted' }, 'Type the code on the teacher\u2019s screen. You will watch the class\u2019s network learn, and you can draw letters for it.'),
          el('label', {}, el('span', { class: 'field-label' }, 'Class code'), code),
          el('label', {}, el('span', { class: 'field-label' }, 'Your name (optional)'), name),
          el('button', { type: 'submit', class: 'class-start', 'data-testid': 'join-submit' }, 'Join'),
          el('p', { class: 'class-error', 'data-testid': 'join-error', role: 'alert' })));
      document.body.append(overlay);
      code.value = io.code() || '';
      name.value = io.name() || '';
    }
    overlay.querySelector('.class-error').textContent = message || '';
    overlay.hidden = false;
    overlay.querySelector(overlay.querySelector('[data-testid="join-code"]').value ? '[data-testid="join-name"]'
      : '[data-testid="join-code"]').focus({ preventScroll: true });  // the page stays at its top behind the form
  }

  function ensureBar() {
    const role = io.role();
    if (role === built || !role) return;
    if (bar) bar.remove();
    cards.clear();
    built = role;
    if (role === 'teacher') buildTeacher(); else buildStudent();
    header.append(bar);
    drawMine();
  }

  return {
    setInfo(i) {
      info = { ...info, ...i };
      ensureBar();
      if (!bar) return;
      const students = $('[data-testid="class-students"]');
      if (students) students.textContent = String(info.students ?? 0);
      if (built === 'student') {
        $('[data-ref="name"]').textContent = info.name || '…';
        $('[data-ref="code"]').textContent = info.code ? `${info.code.slice(0, 3)}-${info.code.slice(3)}` : '…';
      } else if (screen) fillScreen();
    },
    setQueue,
    setMine,
    addMine(m) { mine.unshift(m); drawMine(); },
    say,
    showJoin,
    hideJoin() { if (overlay) overlay.hidden = true; },
    update(state) {
      ensureBar();
      const shape = state.network?.dataset?.image_shape;
      if (shape) cols = shape[1];
      if (built === 'student') {
        const live = $('[data-ref="live"]');
        const text = !state.network ? 'waiting for the teacher to set up the network'
          : state.live ? 'following the teacher' : 'looking back — press live to follow again';
        if (live.lastChild.textContent !== text) live.lastChild.textContent = text;
        live.classList.toggle('paused', !state.live);
        const net = netName(state.network);
        if ($('[data-ref="net"]').textContent !== net) $('[data-ref="net"]').textContent = net;
      }
    },
  };
}
