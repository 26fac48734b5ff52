/**
 * The page's side of the wire format (app/wire/): the one carry rule for a snapshot's optional parts, and the
 * one adapter from a frame to what the views draw about classes.
 *
 * Optional parts (`curve`, `boundary`; the names come from the schema's `wire`, declared once in
 * app/wire/parts.py) arrive only a few times a second: a frame without one keeps the last one this page received.
 * The mistake lab's `companion` (a `wire.nested` part) has its own optional parts, carried alike.
 *
 * API: carry(frame, { only }) fills the frame's missing optional parts in place from the last ones seen (and
 * remembers those it has, unless `remember` is false: an older frame shown again); `only`: a list of parts to fill
 * (e.g. a replay takes only the curve). forget() at a new
 * network. sampleClass(snap, row) -> { predicted, target, correct, tie } or null (regression) for a sample row of
 * the snapshot, as the server decided it. cellClasses(boundary) -> the n × n classes of the boundary grid or
 * null, and boundaryScore(boundary, v) -> the value shown as "class 1's share" (the server says which unit and
 * which class `values` are).
 */
import { schema } from './schema.js';

let kept = {};

const optional = () => schema()?.wire?.optional || [];
const nested = () => schema()?.wire?.nested || [];

function fill(frame, memory, only, remember) {
  for (const part of optional()) {
    if (frame[part]) { if (remember) memory[part] = frame[part]; } else if (memory[part] && (!only || only.includes(part))) frame[part] = memory[part];
  }
}

export function carry(frame, { only = null, remember = true } = {}) {
  if (!frame) return frame;
  fill(frame, kept, only, remember);
  for (const name of nested()) {
    if (frame[name] && typeof frame[name] === 'object') fill(frame[name], (kept[`.${name}`] ||= {}), only, remember);
  }
  return frame;
}

export function forget() { kept = {}; }

/** The server's verdict for one row of a snapshot's samples: null without classes (regression). */
export function sampleClass(snap, row) {
  const c = snap?.classes;
  if (!c || row < 0 || row >= c.predicted.length) return null;
  const predicted = c.predicted[row];
  return { predicted, target: c.target[row], correct: c.correct[row], tie: predicted === null };
}

/** The boundary grid's classes (rows from ymin upward; -1 where the outputs tie), or null for a value map. */
export const cellClasses = (b) => (b?.meaning?.kind === 'class' && b.classes ? b.classes : null);

/** A boundary value as the score of class 1 in 0..1: the server says which class its `values` are the score of. */
export function boundaryScore(b, v) {
  const p = Math.max(0, Math.min(1, v ?? 0.5));
  return b?.meaning?.kind === 'class' && b.meaning.class === 0 ? 1 - p : p;
}
