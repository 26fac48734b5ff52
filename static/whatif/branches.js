/**
 * "What if…": train a branch of the run from the epoch on the timeline with other settings, and the list of runs.
 *
 * The timeline bar gets a "What if…" button; it opens a small form with the fields a branch may change
 * (`schema.branch.fields`, each control built from the schema's own field: label, choices, range), filled with the
 * live run's values. "Train the branch" sends `branch` {epoch, changes} (only the fields changed); the server makes
 * the branch live (network, snapshot, status, runs) and says in the ack which kept epoch it really starts from,
 * which the page repeats when it is not the one asked. Above the learning curves, the list of runs (the original
 * and its branches, each in its colour and with its change in plain words) is the chart's legend: clicking one
 * sends `switch_run`, its × sends `drop_branch`. The timeline marks where the live run's branches left it (and
 * where the live branch left its parent). No number here is computed: all come from the server.
 *
 * API: createBranches(timelineRoot, chartsRoot, ctx) -> { update(state) }.
 * Test hooks: [data-testid="what-if"], [data-testid="what-if-form"] with [data-testid="branch-field-<name>"],
 * [data-testid="branch-start"], [data-testid="branch-error"]; [data-testid="runs"] with [data-run-id] buttons
 * (aria-pressed on the live run) and [data-drop-id] buttons; [data-testid="branch-mark"] (data-epoch).
 */
import { batchChoices, optionText } from '../core/schema.js';
import { readNumber } from '../core/url-state.js';
import { THUMB } from '../core/timeline.js';
import { hasBranches, runColor } from './runs.js';
import { fmtInt } from '../lib/visual-kit.js';

const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The form control of one schema field, with its current value. */
function controlFor(f, value, nSamples) {
  const attrs = `data-name="${f.name}" data-testid="branch-field-${f.name}" id="branch-${f.name}"`;
  let options = null;
  if (f.type === 'choice') options = f.choices.map((c) => [c, optionText(f, c)]);
  if (f.type === 'batch') {
    options = batchChoices(f, nSamples);
    if (!options.some(([v]) => String(v) === String(value))) options.push([String(value), String(value)]);
  }
  if (options) {
    return `<select ${attrs}>${options.map(([v, t]) => `<option value="${esc(v)}"${String(v) === String(value)
      ? ' selected' : ''}>${esc(t)}</option>`).join('')}</select>`;
  }
  return `<input type="text" inputmode="decimal" spellcheck="false" autocomplete="off" ${attrs} value="${esc(value)}"
    aria-label="${esc(f.label)} (${f.min} to ${f.max})">`;
}

function valueOf(f, input) {
  if (f.type === 'number' || f.type === 'integer') return readNumber(input.value);
  if (f.type === 'batch' && /^\d+$/.test(input.value)) return Number(input.value);
  return input.value;
}

export function createBranches(timelineRoot, chartsRoot, ctx) {
  const spec = ctx.schema.branch || { fields: [], limit: 0 };
  const fields = spec.fields.map((name) => ctx.schema.fields.find((f) => f.name === name)).filter(Boolean);

  const box = document.createElement('div');
  box.className = 'what-if-box';
  box.innerHTML = `
    <button type="button" class="pill what-if" data-testid="what-if" aria-expanded="false"
      title="Train a branch from the epoch on the timeline with other settings, beside this run">What if…</button>
    <form class="what-if-form" data-testid="what-if-form" hidden>
      <h3 class="wi-title"></h3>
      <p class="wi-help">A branch starts from this epoch's exact state (weights, momentum, the shuffle order) and
        trains with the settings below. This run stays as it is; the chart draws both curves.</p>
      <div class="wi-fields"></div>
      <p class="wi-error" data-testid="branch-error" role="alert" hidden></p>
      <div class="wi-actions">
        <span class="wi-left"></span>
        <button type="button" class="pill ghost" data-act="cancel">Cancel</button>
        <button type="submit" class="pill wi-go" data-testid="branch-start">Train the branch</button>
      </div>
    </form>`;
  timelineRoot.append(box);
  const button = box.querySelector('.what-if');
  const form = box.querySelector('form');
  const title = form.querySelector('.wi-title');
  const fieldsBox = form.querySelector('.wi-fields');
  const errorBox = form.querySelector('.wi-error');
  const left = form.querySelector('.wi-left');

  const list = document.createElement('div');
  list.className = 'runs-list';
  list.dataset.testid = 'runs';
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', 'Runs: the original and its branches');
  list.hidden = true;
  chartsRoot.parentNode.insertBefore(list, chartsRoot);

  let state = null;
  let formEpoch = null;
  let shownRuns = null;
  let marksKey = '';

  function showError(message, field) {
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
    for (const input of fieldsBox.querySelectorAll('[data-name]')) {
      input.classList.toggle('has-error', !!message && input.dataset.name === field);
    }
  }

  function openForm() {
    const snap = state?.snapshot;
    const net = state?.network;
    if (!snap || !net) return;
    formEpoch = snap.epoch;
    const config = net.config || {};
    const n = net.dataset?.n_samples || 1;
    title.textContent = `What if… from epoch ${fmtInt(formEpoch)}`;
    fieldsBox.innerHTML = fields.map((f) => `<label class="field wi-field" title="${esc(f.help)}">
      <span class="field-label">${esc(f.label)}</span>${controlFor(f, config[f.name], n)}</label>`).join('');
    const count = hasBranches(state) ? state.runs.runs.length - 1 : 0;
    left.textContent = `${count} of ${spec.limit} branches`;
    showError(null);
    form.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    fieldsBox.querySelector('[data-name]')?.focus();
  }

  function closeForm() {
    form.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }

  button.addEventListener('click', () => (form.hidden ? openForm() : closeForm()));
  form.querySelector('[data-act="cancel"]').addEventListener('click', closeForm);
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); closeForm(); } });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const config = state?.network?.config || {};
    const changes = {};
    for (const f of fields) {
      const input = fieldsBox.querySelector(`[data-name="${f.name}"]`);
      const value = valueOf(f, input);
      if (!same(value, config[f.name])) changes[f.name] = value;
    }
    ctx.actions.pause();
    ctx.send('branch', { epoch: formEpoch, changes }, (reply) => {
      if (!reply || reply.ok === false) {
        const err = reply?.error || {};
        showError(err.message || 'the server did not answer', err.field);
        return;
      }
      closeForm();
      if (reply.note) ctx.setState({ notice: `${reply.name}: ${reply.note}.` });
    });
  });

  list.addEventListener('click', (e) => {
    const drop = e.target.closest('[data-drop-id]');
    if (drop) { ctx.send('drop_branch', { id: Number(drop.dataset.dropId) }); return; }
    const run = e.target.closest('[data-run-id]');
    if (run && run.getAttribute('aria-pressed') !== 'true') {
      ctx.actions.pause();
      ctx.send('switch_run', { id: Number(run.dataset.runId) });
    }
  });

  function drawList() {
    if (state.runs === shownRuns) return;
    shownRuns = state.runs;
    list.hidden = !hasBranches(state);
    if (list.hidden) { list.replaceChildren(); return; }
    const { live, runs } = state.runs;
    list.innerHTML = `<span class="field-label">Runs</span>${runs.map((r) => `<span class="run-item">
      <button type="button" class="run" data-run-id="${r.id}" aria-pressed="${r.id === live}"
        title="${r.id === live ? 'The live run: every number on the page is this run\'s' : `Show ${esc(r.name)}: its network, numbers and timeline`}">
        <i class="run-swatch" style="background:${runColor(r.id)}"></i><b>${esc(r.name)}</b>
        <span class="run-label">${esc(r.parent === null ? 'as first set up' : r.label)}</span>${r.diverged
  ? ' <span class="run-diverged">diverged</span>' : ''}</button>${r.parent !== null && r.id !== live
  ? `<button type="button" class="run-drop" data-drop-id="${r.id}" aria-label="Remove ${esc(r.name)}" title="Remove ${esc(r.name)}">×</button>` : ''}</span>`).join('')}`;
  }

  /** Marks on the timeline where the live run's branches left it, and where the live branch left its parent. */
  function drawMarks() {
    const track = timelineRoot.querySelector('.tl-track');
    if (!track) return;
    const max = state.maxEpoch || 0;
    const marks = [];
    if (hasBranches(state) && max) {
      const { live, runs } = state.runs;
      for (const r of runs) {
        if (r.from_epoch === null || r.from_epoch > max) continue;
        if (r.parent === live) marks.push([r.from_epoch, r.id, `${r.name} leaves here: ${r.label}`]);
        else if (r.id === live) marks.push([r.from_epoch, r.id, `this branch left ${runs.find((p) => p.id === r.parent)?.name ?? 'its parent'} here`]);
      }
    }
    const key = `${max}|${marks.map((m) => m.join(':')).join(',')}`;
    if (key === marksKey) return;
    marksKey = key;
    for (const old of track.querySelectorAll('.tl-branch-mark')) old.remove();
    for (const [epoch, id, text] of marks) {
      const mark = document.createElement('span');
      mark.className = 'tl-branch-mark';
      mark.dataset.testid = 'branch-mark';
      mark.dataset.epoch = String(epoch);
      mark.title = text;
      mark.style.left = `calc(${THUMB / 2}px + (100% - ${THUMB}px) * ${epoch / max})`;
      mark.style.background = runColor(id);
      track.append(mark);
    }
  }

  return {
    update(next) {
      state = next;
      button.hidden = !ctx.policy.allows('branch');  // a student's page follows the teacher's run
      button.disabled = !next.snapshot || !fields.length;
      if (!form.hidden && next.snapshot && next.snapshot.epoch !== formEpoch) {
        formEpoch = next.snapshot.epoch;
        title.textContent = `What if… from epoch ${fmtInt(formEpoch)}`;
      }
      drawList();
      drawMarks();
    },
  };
}
