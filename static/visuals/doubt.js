/**
 * Why a prediction is not a clear answer, in words: the server decides (app/wire/encode.py `doubt`, the rule's two
 * numbers in `/api/schema` `doubt`) and sends it as data; this module words it.
 *
 * What it is for: `doubtWords(doubt)` turns `{reason: 'tie' | 'low' | 'close', labels, values, threshold}` into
 * the sentence under the letter pad.  Each output is printed exactly as the prediction bars beside it print it
 * (`fmtShort`), so the sentence and the bars read the same number; the threshold as the rule states it (`fmt`).
 * What it leaves out: no DOM, no decision (a null doubt is a clear answer).
 */
import { fmt, fmtShort } from '../lib/visual-kit.js';

export function doubtWords(doubt) {
  if (!doubt) return null;
  const [top, second] = doubt.values.map((v) => fmtShort(v));
  const [first, runnerUp] = doubt.labels;
  if (doubt.reason === 'tie') return `no answer: the outputs tie at ${top}`;
  if (doubt.reason === 'low') return `not sure: no output is above ${fmt(doubt.threshold)} (the highest, ${first}, is ${top})`;
  return `not sure: ${first} ${top} and ${runnerUp} ${second} are close`;
}
