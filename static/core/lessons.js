/**
 * Lessons: a guided walk through the playground, one step at a time (the lessons are data: GET /api/lessons).
 *
 * What it is for: a "Start here" entry lists the lessons; a lesson's step sets the playground up through the page's
 * own ctx (configure with the step's config, select a neuron or weight, set the speed and the layout), dims every
 * part of the page but the ones to look at, says what happens, asks the learner to predict before revealing, runs
 * training or one animated sample, and explains what was seen. The last step shows the NumPy lines in the layout
 * the learner has chosen. Back, next (skipping a question is allowed) and leave (× keeps the playground as it is).
 * `/?lesson=ID&step=N` opens a lesson; progress is kept in localStorage.
 * What it leaves out: it computes nothing and keeps no copy of the configuration; the server's `network` message
 * says whether a step's setup has arrived.
 *
 * API: createLessons(root, ctx) -> { update(state) }.
 * Test hooks: [data-testid="lessons-start"] (the Start here button), [data-testid="lesson-list"] with
 * [data-testid="lesson-open"][data-lesson]; [data-testid="lesson"] (data-lesson, data-step = k, data-ready = "true"
 * once the server reports the step's config and its first snapshot, and the selection is made); [data-testid="lesson-step"] ("step k of n");
 * [data-testid="lesson-choice"] (data-right, data-picked); [data-testid="lesson-explain"]; [data-testid="lesson-run"];
 * [data-testid="lesson-code"] (data-layout); [data-testid="lesson-back"], [data-testid="lesson-next"],
 * [data-testid="lesson-leave"]; [data-testid="lesson-done"] once the last step is finished.
 */

const STORE = 'backprop-playground.lessons';
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
/** Plain text with `code` spans. */
const rich = (s) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function loadProgress() {
  try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch { return {}; }
}
function saveProgress(p) {
  try { localStorage.setItem(STORE, JSON.stringify(p)); } catch { /* private mode: progress is not kept */ }
}

/** True when the server's network was built from exactly this config (every field the step declares). */
export function configMatches(network, config) {
  const have = network && network.config;
  return !!have && Object.keys(config).every((k) => same(have[k], config[k]));
}

export function createLessons(root, ctx) {
  root.classList.add('lessons');
  const params = new URLSearchParams(location.search);
  const wanted = { id: params.get('lesson'), step: Number(params.get('step')) || 1 };
  let lessons = null;
  let lesson = null;
  let k = 0;            // the step shown, 0-based
  let picked = null;    // the choice picked at this step
  let ran = false;      // this step's run has been started
  let ready = false;    // the server reports the step's config and the selection is made
  let focused = false;  // every part in the step's focus was found on the page
  let sent = false;     // this step's config has been sent to the server
  let retry = null;     // the timer that looks again for parts in focus that were missing
  let tries = 0;
  let done = false;
  let listOpen = false;
  let state = null;
  let progress = loadProgress();
  // This tab's part in a lesson, from the page's policy (extension-points.js): 'lead' (a classroom teacher: the
  // steps shown here go to the class, whose answers come back), 'follow' (a student: this page follows the
  // teacher's `state.classLesson`, answers go to the teacher) or null (a lesson of one's own).
  const part = () => ctx.policy.lesson();
  let followed = null;  // the last `lesson` message a student's page followed

  fetch('/api/lessons').then((r) => (r.ok ? r.json() : [])).then((list) => {
    lessons = Array.isArray(list) ? list : [];
    const asked = lessons.find((l) => l.id === wanted.id);
    if (asked) open(asked, wanted.step - 1); else render();
  }).catch(() => { lessons = []; render(); });

  function open(l, step = 0) {
    lesson = l;
    listOpen = false;
    done = false;
    enter(Math.max(0, Math.min(step, l.steps.length - 1)));
  }

  /** Shows step `n` and sets the playground up for it. */
  function enter(n) {
    k = n;
    picked = null;
    ran = false;
    ready = false;
    focused = false;
    tries = 0;
    const step = lesson.steps[k];
    progress = { ...progress, [lesson.id]: { ...(progress[lesson.id] || {}), step: k + 1 } };
    saveProgress(progress);
    if (step.layout && state && state.layout !== step.layout) ctx.setState({ layout: step.layout });
    if (step.speed !== undefined && ctx.policy.allows('setSpeed') && (!state || state.speed !== step.speed)) {
      ctx.actions.setSpeed(step.speed);
    }
    sent = false;
    render();
    settle();
  }

  /** Once the server reports the step's network: select, focus, and say so (data-ready). */
  function settle() {
    if (!lesson || done || ready || !state || !state.network) return;  // no network yet: the page's first is coming
    const step = lesson.steps[k];
    if (!configMatches(state.network, step.config)) {
      if (!sent && ctx.policy.allows('configure')) { sent = true; ctx.configure(step.config); }  // else wait for the teacher
      return;
    }
    if (!state.snapshot) return;  // the new network's first snapshot follows it
    ready = true;
    if (step.select && !same(state.selection, step.select)) ctx.select(step.select);
    focus(step.focus);
    render();
  }

  /**
   * Dims the page but the panels holding the parts to look at; rings the parts themselves. Returns whether every
   * part was found (a visual module may not be mounted yet: update() tries again).
   */
  function focus(names) {
    for (const e of document.querySelectorAll('.lesson-lit, .lesson-spot')) e.classList.remove('lesson-lit', 'lesson-spot');
    const html = document.documentElement;
    html.classList.toggle('lesson-focus', !!(lesson && !done && names && names.length));
    if (!lesson || done || !names) return true;
    let first = null;
    let found = 0;
    const card = lesson.steps[k].card;
    const cardEl = card ? document.querySelector(`[data-testid="equations"] [data-card="${card}"]`) : null;
    if (cardEl) {  // one card of the equations panel: ringed and scrolled to inside the panel
      cardEl.classList.add('lesson-spot');
      if (html.classList.contains('projector') && !cardEl.hasAttribute('data-shown')) {  // one card at a time there
        document.querySelector(`[data-testid="eq-tabs"] [data-tab="${card}"]`)?.click();
      }
      const box = cardEl.closest('.panel-body');
      if (box) box.scrollTop += cardEl.getBoundingClientRect().top - box.getBoundingClientRect().top - 6;
    }
    for (const name of names) {
      const els = [...document.querySelectorAll(`[data-testid="${name}"]`)];
      if (els.length) found += 1;
      for (const e of els) {
        if (!e.getClientRects().length) continue;
        e.classList.add('lesson-spot');
        const block = e.closest('.panel, .bar');
        if (block) block.classList.add('lesson-lit');
        first ||= e;
      }
    }
    if (first && !focused) reveal();
    focused = found === names.length && (!card || !!cardEl);
    clearTimeout(retry);  // a part still missing (a card typeset later, say): look again shortly
    if (!focused && tries++ < 60) retry = setTimeout(() => { if (lesson && !done && ready) focus(lesson.steps[k].focus); }, 250);
    dock();
    return focused;
  }

  /** Scrolls so the parts in focus are on screen: their top edge below the header if they cannot all fit. */
  function reveal() {
    const rects = [...document.querySelectorAll('.lesson-spot')].map((e) => e.getBoundingClientRect());
    if (!rects.length) return;
    const header = document.getElementById('controls-root');
    const headerBottom = header && getComputedStyle(header).position !== 'static' ? header.getBoundingClientRect().bottom : 0;
    const top = Math.min(...rects.map((r) => r.top));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    if (top >= headerBottom && bottom <= innerHeight) return;
    const fits = bottom - top <= innerHeight - headerBottom - 16;
    window.scrollBy({ top: fits && top >= headerBottom ? bottom - innerHeight + 8 : top - headerBottom - 8 });
  }

  /** The card sits bottom-left; it moves right when it would cover a part in focus. */
  function dock() {
    const card = root.querySelector('.lesson-card');
    if (!card) return;
    root.classList.remove('dock-right');
    const r = card.getBoundingClientRect();
    const hit = [...document.querySelectorAll('.lesson-spot')].some((e) => {
      const b = e.getBoundingClientRect();
      return b.left < r.right && b.right > r.left && b.top < r.bottom && b.bottom > r.top;
    });
    root.classList.toggle('dock-right', hit);
  }

  function run(action) {
    if (!action || ran) return;
    ran = true;
    setTimeout(reveal, 800);  // what the run shows (a verdict, a table) may have grown below the fold
    if (action.action === 'step-sample') ctx.actions.stepSample();
    else if (action.action === 'gradcheck') document.querySelector('[data-testid="lab-gradcheck"]')?.click();
    else if (action.action === 'step-epoch') ctx.actions.stepEpoch();
    else {
      const s = ctx.getState();
      const epoch = s.snapshot ? s.snapshot.epoch : 0;
      ctx.actions.pause();
      ctx.send('start', { speed: typeof s.speed === 'number' ? s.speed : 'max', until: epoch + action.epochs });
    }
  }

  function pick(index) {
    if (part() === 'follow') {  // the answer goes to the teacher; the teacher reveals
      if (revealedByTeacher()) return;
      picked = index;
      ctx.send('lesson_answer', { lesson: lesson.id, step: k + 1, choice: index });
      render();
      return;
    }
    if (picked !== null) return;
    picked = index;
    run(lesson.steps[k].run);
    render();
  }

  /** The teacher shows the class the right answer (after seeing the class's answers), then runs the step. */
  function revealAnswer() {
    const ask = lesson.steps[k].ask;
    picked = ask.choices.findIndex((c) => c.right);
    run(lesson.steps[k].run);
    render();
  }

  /** The teacher's page tells the class which step it shows, and when the answer is out (or the step has run). */
  let announced = 'null';
  function announce() {
    if (part() !== 'lead' || !state || !state.connected) return;
    const shown = !!lesson && !done;
    const msg = shown ? { lesson: lesson.id, step: k + 1, revealed: lesson.steps[k].ask ? picked !== null : ran }
      : { lesson: null };
    const key = JSON.stringify(msg);
    if (key === announced || (!shown && announced === 'null')) { announced = key; return; }
    announced = key;
    ctx.send('lesson_step', msg);
  }

  const revealedByTeacher = () => !!(state && state.classLesson && state.classLesson.revealed
    && state.classLesson.lesson === lesson?.id && state.classLesson.step === k + 1);

  /** The class's answers to this step: the teacher's live counts, or everyone's once revealed. */
  function classCounts() {
    const source = part() === 'lead' ? state?.classAnswers : revealedByTeacher() ? state.classLesson : null;
    return source && source.lesson === lesson.id && source.step === k + 1 ? source.counts || null : null;
  }

  /** A student's page follows the lesson step the teacher shows. */
  function follow(msg) {
    followed = msg;
    if (!msg || !lessons) return;
    if (msg.lesson === null) { if (lesson) leave(); return; }
    const l = lessons.find((x) => x.id === msg.lesson);
    if (!l) return;
    if (lesson !== l || k !== msg.step - 1 || done) { lesson = l; done = false; listOpen = false; enter(msg.step - 1); }
    else render();
  }

  function next() {
    if (k + 1 < lesson.steps.length) { enter(k + 1); return; }
    done = true;
    progress = { ...progress, [lesson.id]: { step: lesson.steps.length, done: true } };
    saveProgress(progress);
    focus(null);
    render();
  }

  function leave() {
    lesson = null;
    done = false;
    focus(null);
    render();
  }

  function listHtml() {
    const items = (lessons || []).map((l, i) => {
      const p = progress[l.id] || {};
      const mark = p.done ? '<span class="lesson-mark done" title="finished">✓</span>'
        : p.step ? `<span class="lesson-mark">step ${p.step} of ${l.steps.length}</span>` : '';
      return `<li><button type="button" class="lesson-open" data-testid="lesson-open" data-lesson="${esc(l.id)}">
        <span class="lesson-num">${i + 1}</span><span class="lesson-name"><b>${rich(l.title)}</b>
        <span>${rich(l.summary)}</span></span>${mark}</button></li>`;
    }).join('');
    return `<div class="lesson-card lesson-list" data-testid="lesson-list">
      <div class="lesson-head"><b>Lessons</b><button type="button" class="lesson-x" data-act="close-list" aria-label="Close">×</button></div>
      <p class="lesson-intro">Short guided walks: each sets the playground up, asks what you expect, then shows it.</p>
      <ol>${items}</ol></div>`;
  }

  function stepHtml() {
    const step = lesson.steps[k];
    const n = lesson.steps.length;
    const ask = step.ask;
    const who = part();
    const shown = who === 'follow' ? revealedByTeacher() : picked !== null;  // the answer is out
    const revealed = ask ? shown : ran || (who === 'follow' && revealedByTeacher());
    const counts = ask && who ? classCounts() : null;
    const total = counts ? counts.reduce((a, b) => a + b, 0) : 0;
    const locked = !ready || shown || who === 'lead';
    const verdict = picked === null ? `<b>The answer: ${rich(ask?.choices.find((c) => c.right)?.text)}.</b>`
      : `<b>${ask?.choices[picked].right ? 'Yes.' : 'Not quite.'}</b>`;
    const choices = ask ? `<div class="lesson-ask" data-revealed="${shown}"><p class="lesson-q">${rich(ask.question)}</p>${ask.choices.map((c, i) =>
      `<button type="button" class="lesson-choice" data-testid="lesson-choice" data-index="${i}" data-right="${c.right}"
        ${picked === i && who !== 'lead' ? 'data-picked="true"' : ''} ${counts ? `data-count="${counts[i] || 0}"` : ''}
        ${locked ? 'disabled' : ''}>${rich(c.text)}${counts ? `<span class="lesson-votes" data-testid="lesson-votes"><i style="width:${
          total ? (100 * (counts[i] || 0)) / total : 0}%"></i><b>${counts[i] || 0}</b></span>` : ''}</button>`).join('')}
      ${who === 'lead' && !shown ? `<p class="lesson-class">${total} of ${state?.classAnswers?.students ?? '?'} students answered.
        <button type="button" class="lesson-run" data-testid="lesson-reveal" data-act="reveal" ${ready ? '' : 'disabled'}>Reveal the answer</button></p>` : ''}
      ${who === 'follow' && !shown ? `<p class="lesson-class">${picked === null ? 'Pick your answer: the teacher reveals it.'
        : 'Sent to the teacher. You can change it until the teacher reveals the answer.'}</p>` : ''}
      ${shown ? `<p class="lesson-explain" data-testid="lesson-explain" data-correct="${picked === null ? 'none' : ask.choices[picked].right}">
        ${who === 'lead' ? '' : verdict} ${rich(ask.explain)}</p>` : ''}</div>` : '';
    const runLabel = step.run && { train: `▶ Train ${step.run.epochs} epochs`, 'step-sample': '▶ Step one sample',
      'step-epoch': '▶ Step one epoch', gradcheck: '▶ Run the gradient check' }[step.run.action];
    const runBtn = step.run && !ask && who !== 'follow' ? `<button type="button" class="lesson-run" data-testid="lesson-run"
      ${ran || !ready ? 'disabled' : ''}>${runLabel}</button>` : '';
    const after = step.after && revealed ? `<p class="lesson-after">${rich(step.after)}</p>` : '';
    const layout = state && state.layout === 'column' ? 'column' : 'row';
    const code = step.code ? `<figure class="lesson-code"><figcaption>In NumPy (${layout} layout${
      layout === 'row' ? ': samples are rows, <code>X @ W</code>' : ': samples are columns, <code>W @ x</code>'})</figcaption>
      <pre data-testid="lesson-code" data-layout="${layout}">${esc(step.code[layout])}</pre></figure>` : '';
    return `<div class="lesson-card${step.code ? ' has-code' : ''}" data-testid="lesson" data-lesson="${esc(lesson.id)}" data-step="${k + 1}"
        data-ready="${ready}">
      <div class="lesson-head"><span class="lesson-title">${rich(lesson.title)}</span>
        <span class="lesson-count" data-testid="lesson-step">step ${k + 1} of ${n}</span>
        <button type="button" class="lesson-x" data-testid="lesson-leave" data-act="leave"
          title="Leave the lesson; the playground stays as it is" aria-label="Leave the lesson">×</button></div>
      <div class="lesson-bar"><i style="width:${((k + 1) / n) * 100}%"></i></div>
      <div class="lesson-body"><h3>${rich(step.title)}</h3><p>${rich(step.text)}</p>${choices}${runBtn}${after}${code}</div>
      ${who === 'follow' ? '<div class="lesson-nav"><span class="lesson-follow">following the teacher</span></div>' : `<div class="lesson-nav">
        <button type="button" class="pill ghost" data-testid="lesson-back" data-act="back" ${k === 0 ? 'disabled' : ''}>← back</button>
        <button type="button" class="pill" data-testid="lesson-next" data-act="next">${
          k + 1 === n ? 'finish' : ask && picked === null ? 'skip →' : 'next →'}</button>
      </div>`}</div>`;
  }

  function doneHtml() {
    const i = lessons.indexOf(lesson);
    const following = lessons[i + 1];
    return `<div class="lesson-card" data-testid="lesson-done" data-lesson="${esc(lesson.id)}">
      <div class="lesson-head"><span class="lesson-title">${rich(lesson.title)}</span>
        <button type="button" class="lesson-x" data-act="leave" aria-label="Close">×</button></div>
      <div class="lesson-body"><h3>✓ Lesson finished</h3><p>The playground stays as the last step left it: keep playing with it.</p></div>
      <div class="lesson-nav"><button type="button" class="pill ghost" data-act="list">all lessons</button>
        ${following ? `<button type="button" class="pill" data-act="open" data-lesson="${esc(following.id)}">next: ${esc(following.title)}</button>` : ''}
      </div></div>`;
  }

  let drawn = '';
  function render() {
    let html;
    if (lesson) html = done ? doneHtml() : stepHtml();
    else if (listOpen && lessons) html = listHtml();
    else html = `<button type="button" class="lessons-start pill" data-testid="lessons-start"
      title="Guided lessons: from the forward pass to a network that will not learn">Start here · lessons</button>`;
    if (html === drawn) return;
    drawn = html;
    root.innerHTML = html;
    dock();
  }

  root.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b || b.disabled) return;
    setTimeout(announce, 0);
    const act = b.dataset.act;
    if (b.dataset.testid === 'lessons-start' || act === 'list') { lesson = null; listOpen = true; focus(null); render(); }
    else if (act === 'close-list') { listOpen = false; render(); }
    else if (b.classList.contains('lesson-open') || act === 'open') {
      const l = lessons.find((x) => x.id === b.dataset.lesson);
      const p = progress[l.id];
      open(l, p && !p.done && p.step ? p.step - 1 : 0);  // a lesson left half-way opens where it was left
    }
    else if (b.dataset.testid === 'lesson-choice') pick(Number(b.dataset.index));
    else if (b.dataset.testid === 'lesson-run') { run(lesson.steps[k].run); render(); }
    else if (act === 'back' && k > 0) enter(k - 1);
    else if (act === 'next') next();
    else if (act === 'leave') leave();
    else if (act === 'reveal') revealAnswer();
  });

  return {
    update(s) {
      const layoutChanged = state && state.layout !== s.layout;
      state = s;
      if (part() === 'follow' && s.classLesson !== followed) follow(s.classLesson);
      else if (part() === 'lead' && lesson && !done) render();  // the class's answers come in
      announce();
      if (lesson && !done && !ready) settle();
      else if (lesson && !done && !focused) focus(lesson.steps[k].focus);
      if (lesson && !done && (layoutChanged || ready)) render();
    },
  };
}
