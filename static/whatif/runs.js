/**
 * The runs of a "what if" session, as the charts draw them: one colour per run, and the curves of the runs that
 * are not live (the live run's curve is the snapshot's own). Pure functions of the page state: no DOM.
 *
 * `state.runs` is the server's `runs` message ({live, limit, runs: [{id, name, label, parent, from_epoch, curve,
 * …}]}), or null when the session has no branches. A branch's curve holds its parent's past too: a run that is
 * not live is drawn from the epoch it left its parent on, so the shared past is drawn once.
 */
import { HUES } from '../lib/visual-kit.js';

const BRANCH_HUES = [HUES.orange, HUES.sky, HUES.purple, HUES.grey, HUES.vermillion];

/** The colour of run `id`: the original is the chart's usual loss blue. */
export const runColor = (id) => (id ? BRANCH_HUES[(id - 1) % BRANCH_HUES.length] : HUES.blue);

export const hasBranches = (state) => !!(state?.runs && state.runs.runs.length > 1);

/** The live run's entry, or null. */
export const liveRun = (state) => (hasBranches(state)
  ? state.runs.runs.find((r) => r.id === state.runs.live) || null : null);

/** The first epoch of `run`'s own: where it left its parent (its past is the parent's, drawn as the parent's), or 0
 * for the original and for a branch whose parent was removed. */
export function ownFrom(state, run) {
  const parentShown = run.parent !== null && state.runs.runs.some((r) => r.id === run.parent);
  return parentShown ? run.from_epoch : 0;
}

/** `curve`'s epochs and `key` values from epoch `from` on. */
export function curveFrom(curve, key, from) {
  const xs = [];
  const ys = [];
  curve.epochs.forEach((e, i) => { if (e >= from) { xs.push(e); ys.push(curve[key][i]); } });
  return { xs, ys };
}

/** [{run, xs, ys}] of `key` ('loss', 'accuracy', …) for every run that is not live, from where each left. */
export function otherCurves(state, key) {
  if (!hasBranches(state)) return [];
  return state.runs.runs.filter((r) => r.id !== state.runs.live && Array.isArray(r.curve?.[key]))
    .map((r) => ({ run: r, ...curveFrom(r.curve, key, ownFrom(state, r)) }));
}

/** Line-chart series for the other runs' `key` curves, in each run's colour. */
export const otherSeries = (state, key, extra = {}) => otherCurves(state, key)
  .map(({ run, xs, ys }) => ({ name: run.name, color: runColor(run.id), xs, ys, run: run.id, ...extra }));

/** The value of each other run's `key` curve at the epoch nearest `epoch`: [{run, epoch, value}]. */
export function othersAt(state, key, epoch) {
  return otherCurves(state, key).filter((c) => c.xs.length && epoch >= c.xs[0]).map(({ run, xs, ys }) => {
    let i = 0;
    while (i < xs.length - 1 && xs[i + 1] <= epoch) i++;
    if (i < xs.length - 1 && epoch - xs[i] > xs[i + 1] - epoch) i++;
    return { run, epoch: xs[i], value: ys[i] };
  });
}
