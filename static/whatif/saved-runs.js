/**
 * Saved runs: save the live run under a name, see the saved ones, open one to look at it, and continue it.
 *
 * A "Saved runs" button on the timeline bar opens a card: a name box that sends `save_model` (the network and its
 * run's per-epoch history, the test figures too after a split), and the list of saved models (GET /api/models).
 * "Look at it" shows a saved run (GET /api/runs/<id>): its train and test loss and accuracy curves, drawn with the
 * live charts' colours and dashes (static/visuals/chart-series.js `SERIES`, `ACC_SERIES`), its settings in words (each
 * field's label from the schema), and "Continue from it", which sends `load_model` (the saved weights as epoch 0
 * of a new run). The run on view is in the URL as `run=<id>`: `/?run=<id>` opens it. Nothing here is computed:
 * every number is the store's.
 *
 * API: createSavedRuns(timelineRoot, ctx) -> { update(state) }.
 * Test hooks: [data-testid="saved-runs"] (the button), [data-testid="saved-card"], [data-testid="save-name"],
 * [data-testid="save-run"], [data-testid="saved-error"], [data-testid="saved-list"] rows [data-run] with
 * [data-testid="open-run"] buttons; [data-testid="run-view"] (data-run) with [data-testid="run-loss"] and
 * [data-testid="run-accuracy"] canvases (`drawnSeries`: the series drawn), [data-testid="run-config"] and
 * [data-testid="run-continue"].
 */
import { optionText } from '../core/schema.js';
import { ACC_SERIES, SERIES } from '../visuals/chart-series.js';
import { drawLineChart, inkOf } from '../lib/canvas-kit.js';
import { el, fmt, fmtInt } from '../lib/visual-kit.js';

const CONFIG_LEFT_OUT = new Set(['preset']);  // said in the title

/** A config value in words: a choice's label, a list joined, yes/no. */
function shown(f, v) {
  if (v === null || v === undefined) return f.none_label || 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.join(f.type === 'layers' ? '–' : ', ') || 'none';
  return String(optionText(f, v));
}

/** The saved run's settings as [label, value] pairs, in the schema's order. */
export function configWords(schema, config) {
  return schema.fields.filter((f) => f.name in config && !CONFIG_LEFT_OUT.has(f.name))
    .map((f) => [f.label, shown(f, config[f.name])]);
}

/** The line-chart series of a saved run's history: the live charts' own keys, colours and dashes. */
export function runSeries(history, which) {
  return which.filter((s) => Array.isArray(history[s.key]))
    .map((s) => ({ name: s.name, color: s.color, dash: s.dash, xs: history.epochs, ys: history[s.key] }));
}

export function createSavedRuns(timelineRoot, ctx) {
  const button = el('button', { type: 'button', class: 'pill saved-runs', 'data-testid': 'saved-runs',
    'aria-expanded': 'false', title: 'Save this run, or look at a saved one and continue it' }, 'Saved runs');
  timelineRoot.append(button);

  const backdrop = el('div', { class: 'help-backdrop saved-backdrop' });
  backdrop.hidden = true;
  backdrop.innerHTML = `<section class="help saved-card" role="dialog" aria-modal="true" aria-labelledby="saved-title"
      data-testid="saved-card">
    <header><h2 id="saved-title">Saved runs</h2>
      <button type="button" class="pill ghost" data-act="close" aria-label="Close saved runs">close ✕</button></header>
    <form class="saved-save">
      <label class="field"><span class="field-label">Save this run as</span>
        <input type="text" data-testid="save-name" maxlength="64" spellcheck="false" autocomplete="off"
          aria-label="Name (1 to 64 letters, digits, spaces, _ . -)"></label>
      <button type="submit" class="pill wi-go" data-testid="save-run">Save</button>
      <span class="saved-said" role="status"></span>
    </form>
    <p class="wi-error" data-testid="saved-error" role="alert" hidden></p>
    <div class="saved-body"></div>
  </section>`;
  document.body.append(backdrop);
  const card = backdrop.querySelector('.saved-card');
  const form = backdrop.querySelector('form');
  const nameBox = form.querySelector('input');
  const said = form.querySelector('.saved-said');
  const errorBox = backdrop.querySelector('[data-testid="saved-error"]');
  const body = backdrop.querySelector('.saved-body');

  let viewing = null;  // the saved run on view (GET /api/runs/<id>), or null: the list
  let before = null;

  const showError = (message) => { errorBox.textContent = message || ''; errorBox.hidden = !message; };
  const getJson = (url) => fetch(url).then((r) => r.json().then((j) => (r.ok ? j
    : Promise.reject(new Error(j.error?.message || `${url}: ${r.status}`)))));

  function open() {
    if (backdrop.hidden) {
      before = document.activeElement;
      backdrop.hidden = false;
      button.setAttribute('aria-expanded', 'true');
      card.querySelector('[data-act="close"]').focus({ preventScroll: true });
    }
    if (!viewing) showList();
  }

  function close() {
    backdrop.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    viewing = null;
    ctx.setState({ savedRun: null });
    if (before?.focus) before.focus({ preventScroll: true });
  }

  function showList() {
    viewing = null;
    ctx.setState({ savedRun: null });
    body.replaceChildren(el('p', { class: 'wi-help' }, 'Loading the saved runs…'));
    getJson('/api/models').then(({ models }) => {
      if (viewing) return;
      const rows = models.map((m) => el('li', { dataset: { run: String(m.run ?? ''), name: m.name } },
        el('b', {}, m.name),
        el('span', { class: 'run-label' }, ` ${m.preset || m.dataset || ''} · epoch ${fmtInt(m.epoch || 0)}`),
        m.run === null ? el('span', { class: 'run-label' }, ' (imported: no curves)')
          : el('button', { type: 'button', class: 'pill', 'data-testid': 'open-run', dataset: { run: String(m.run) } },
            'Look at it')));
      body.replaceChildren(el('h3', {}, 'Saved'), models.length
        ? el('ul', { class: 'saved-list', 'data-testid': 'saved-list' }, ...rows)
        : el('p', { class: 'wi-help', 'data-testid': 'saved-list' }, 'Nothing saved yet: give this run a name above.'));
    }).catch((e) => showError(e.message));
  }

  /** The view of saved run `id`: its curves, its settings in words, and "Continue from it". */
  function showRun(id) {
    showError(null);
    viewing = { id };
    ctx.setState({ savedRun: id });
    body.replaceChildren(el('p', { class: 'wi-help' }, `Loading run ${id}…`));
    getJson(`/api/runs/${id}`).then((run) => {
      if (viewing?.id !== id) return;
      viewing = run;
      const h = run.history;
      const last = h.epochs.length - 1;
      const withTest = Array.isArray(h.test_loss);
      const lossCanvas = el('canvas', { class: 'vis-canvas', 'data-testid': 'run-loss', role: 'img',
        'aria-label': `loss per epoch of ${run.model}` });
      const accCanvas = el('canvas', { class: 'vis-canvas', 'data-testid': 'run-accuracy', role: 'img',
        'aria-label': `accuracy per epoch of ${run.model}` });
      const legend = (which) => el('span', { class: 'vis-legend' }, ...runSeries(h, which).map((s) => el('span',
        { class: 'vis-key' }, el('i', { style: `background:${s.color}` }), s.name)));
      const figure = (key) => (last >= 0 && Array.isArray(h[key]) ? fmt(h[key][last]) : '—');
      const words = configWords(ctx.schema, run.config);
      body.replaceChildren(el('article', { class: 'run-view', 'data-testid': 'run-view', dataset: { run: String(id) } },
        el('h3', {}, `${run.model} — ${run.config.preset || run.config.dataset}, ${fmtInt(run.epochs)} epochs`),
        el('p', { class: 'run-last' }, `At its last epoch, ${fmtInt(h.epochs[last] ?? 0)}: training loss ${figure('loss')}`
          + `, accuracy ${figure('accuracy')}${withTest ? `; test loss ${figure('test_loss')}, test accuracy `
          + `${figure('test_accuracy')}` : ' (no test split)'}.`),
        el('div', { class: 'wi-actions' },
          el('button', { type: 'button', class: 'pill ghost', 'data-act': 'list' }, '← All saved runs'),
          el('a', { class: 'pill ghost', href: `/api/runs/${id}.csv`, download: `run-${id}.csv` }, 'Download CSV'),
          el('span', { class: 'wi-left' }),
          el('button', { type: 'button', class: 'pill wi-go', 'data-testid': 'run-continue',
            title: 'Load its network as epoch 0 of a new run and train on from there' }, 'Continue from it')),
        el('div', { class: 'run-charts' },
          el('figure', {}, el('figcaption', {}, 'Loss ', legend(SERIES)), lossCanvas),
          el('figure', {}, el('figcaption', {}, 'Accuracy ', legend(ACC_SERIES)), accCanvas)),
        el('h3', {}, 'Its settings'),
        el('dl', { class: 'run-config', 'data-testid': 'run-config' },
          ...words.map(([label, value]) => el('div', {}, el('dt', {}, label), el('dd', {}, value))))));
      draw();
    }).catch((e) => { body.replaceChildren(); showError(e.message); });
  }

  function draw() {
    const run = viewing?.history ? viewing : null;
    if (!run || backdrop.hidden) return;
    const ink = inkOf(card);
    const charts = body.querySelector('.run-charts');
    const width = Math.max(200, (charts.clientWidth - ink.px) / (charts.clientWidth > 560 ? 2 : 1));
    for (const [canvas, which, opts] of [
      [body.querySelector('[data-testid="run-loss"]'), SERIES, {}],
      [body.querySelector('[data-testid="run-accuracy"]'), ACC_SERIES,
        { yRange: [0, 1], yFormat: (v) => `${Math.round(v * 100)}%` }]]) {
      const series = runSeries(run.history, which);
      canvas.drawnSeries = series;
      drawLineChart(canvas, ink, { width, height: Math.max(140, Math.min(260, width * 0.5)), series, ...opts });
    }
  }

  button.addEventListener('click', () => (backdrop.hidden ? open() : close()));
  backdrop.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } });
  backdrop.addEventListener('click', (e) => {
    if (e.target === backdrop || e.target.closest('[data-act="close"]')) { close(); return; }
    if (e.target.closest('[data-act="list"]')) { showError(null); showList(); return; }
    const openRun = e.target.closest('[data-testid="open-run"]');
    if (openRun) { showRun(Number(openRun.dataset.run)); return; }
    if (e.target.closest('[data-testid="run-continue"]') && viewing?.model) {
      const name = viewing.model;
      ctx.send('load_model', { name }, (reply) => {
        if (!reply || reply.ok === false) { showError(reply?.error?.message || 'the server did not answer'); return; }
        close();
        ctx.setState({ notice: `Continuing ${name}: its saved network is epoch 0 of this new run.` });
      });
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    showError(null);
    const name = nameBox.value.trim();
    ctx.send('save_model', { name }, (reply) => {
      if (!reply || reply.ok === false) { showError(reply?.error?.message || 'the server did not answer'); return; }
      said.textContent = `Saved as “${reply.name}”${reply.replaced ? ' (replacing the one of that name)' : ''}.`;
      if (!viewing) showList();
    });
  });
  window.addEventListener('resize', draw);

  const asked = Number(new URLSearchParams(location.search).get('run'));
  if (Number.isInteger(asked) && asked > 0) { open(); showRun(asked); }

  // it reads the store, not the live state; a tab that may not save (a student's) has no button
  return { update() { button.hidden = !ctx.policy.allows('save_model'); } };
}
