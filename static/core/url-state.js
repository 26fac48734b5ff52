/**
 * The URL holds the configuration, so a link reproduces the setup.
 *
 * One declared table (as TensorFlow Playground's state.ts) drives both parsing and serialising. Config fields
 * are the server's `configure` fields, read from the schema (static/core/schema.js); view fields only change how the
 * page looks. Values are parsed by type but not range-checked here: the server validates and names the field,
 * and the page shows that message next to the control. This module leaves out any DOM or socket work.
 */

const parseBool = (s) => (s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : s);
/**
 * A typed or linked number: "0.5", " 2 ", "1e-3", and the decimal comma "0,5" (as 0.5). Anything else comes back
 * as the text itself, so the server refuses it with a message naming the field, and never reads "0,5" as 5.
 */
export function readNumber(s) {
  const t = String(s).trim().replace(/^([+-]?\d*),(\d+)$/, '$1.$2');
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : s;
}
const parseNum = readNumber;
const parseInts = (s) => (s === '' ? [] : s.split(',').map(parseNum));

const showBool = (v) => (v ? '1' : '0');
const showList = (v) => (Array.isArray(v) ? v.join(',') : String(v));

const BY_TYPE = {
  choice: (f) => (f.nullable ? {
    parse: (s) => (s === '' || s === f.none_label || s === 'null' ? null : s),
    show: (v) => (v === null ? f.none_label || 'null' : String(v)),
  } : { parse: String, show: String }),
  boolean: () => ({ parse: parseBool, show: showBool }),
  number: () => ({ parse: parseNum, show: String }),
  integer: () => ({ parse: parseNum, show: String }),
  batch: (f) => ({ parse: (s) => (f.choices.includes(s) ? s : parseNum(s)), show: String }),
  layers: () => ({ parse: parseInts, show: showList }),
  features: () => ({ parse: (s) => (s === '' ? [] : s.split(',')), show: showList }),
};

/**
 * Config fields in the order they appear in a URL: the schema's fields (GET /api/schema), each parsed and shown
 * by its type. Filled by useSchema(schema) before the first parseQuery.
 */
export const CONFIG_FIELDS = [];
const CONFIG_NAMES = new Set();

export function useSchema(schema) {
  CONFIG_FIELDS.length = 0;
  CONFIG_NAMES.clear();
  for (const f of schema.fields) {
    const how = (BY_TYPE[f.type] || (() => ({ parse: String, show: String })))(f);
    CONFIG_FIELDS.push({ name: f.name, ...how });
    CONFIG_NAMES.add(f.name);
  }
}

/** Page-only fields: they never reach the server. */
export const VIEW_FIELDS = [
  { name: 'projector', parse: parseBool, show: showBool, fallback: false },
  { name: 'layout', parse: (s) => (s === 'column' ? 'column' : 'row'), show: String, fallback: 'row' },
  { name: 'speed', parse: (s) => s, show: String, fallback: 30 },  // epochs/s: learning unfolds over seconds
  { name: 'run', parse: parseNum, show: String, fallback: null },  // the saved run on view (whatif/saved-runs.js)
];

/** Reads `?preset=letters&lr=0.5…` into {config, view}. Unknown keys are ignored. */
export function parseQuery(search) {
  const params = new URLSearchParams(search);
  const config = {};
  for (const f of CONFIG_FIELDS) {
    if (params.has(f.name)) config[f.name] = f.parse(params.get(f.name));
  }
  const view = {};
  for (const f of VIEW_FIELDS) view[f.name] = params.has(f.name) ? f.parse(params.get(f.name)) : f.fallback;
  return { config, view };
}

/**
 * The learner's own edits of a link, one `edit=<run>,<epoch>,<field>:<value>,…` each, in the order they were made
 * (run: 0 the original, i the link's i-th branch): a point clicked on the plane or the curve
 * `edit=0,12,x1:0.5,x2:-0.25,label:1` (regression: `value:` instead of `label:`), a weight typed in
 * `edit=0,30,layer:0,row:1,col:2,value:1.5`, a bias `edit=0,30,layer:1,bias:0,value:-0.5` (typed in after 3
 * samples of the epoch stepped one by one: `edit=0,30,sample:3,layer:…`), the drawings a letters run trains on from
 * then on `edit=0,12,drawings:0.1` (their places in the link's `drawing=` list, below; `drawings:` for none). The
 * fields are the `add_point` and `set_weight` payloads' own (a point's `x` list as x1, x2); the server checks them all.
 */
export const EDIT_FIELDS = ['sample', 'x1', 'x2', 'label', 'layer', 'row', 'col', 'bias', 'value', 'drawings'];

const placesOf = (s) => (s === '' ? [] : s.split('.').map(parseNum));

/**
 * A drawing of a link, `drawing=<label>:<pixels>`, each once, in the order the server's `runs` message lists them:
 * the pad's pixels (0 or 1) one digit each, `A:011010…`; any other value (a drawing posted to /api/examples) as
 * every pixel written in full, `_` between them, `A:0_0.25_1…`. Both keep the number the engine trains on exactly
 * (a number's shortest text reads back as the same number), so the link rebuilds the run bit for bit.
 */
export function showDrawing({ label, input }) {
  const digits = input.every((v) => v === 0 || v === 1);
  return `${label}:${input.map(String).join(digits ? '' : '_')}`;
}

export function parseDrawing(item) {
  const [label, pixels = ''] = item.split(/:(.*)/s);
  const input = pixels.includes('_') || !/^[01]*$/.test(pixels) ? pixels.split('_').map(parseNum)
    : [...pixels].map(Number);
  return { label, input };
}

function parseEdit(item) {
  const [run, epoch, ...fields] = item.split(',');
  const edit = { run: parseNum(run), epoch: parseNum(epoch) };
  const x = [];
  for (const f of fields) {
    const [name, value = ''] = f.split(/:(.*)/s);
    const m = /^x([12])$/.exec(name);
    if (m) x[Number(m[1]) - 1] = parseNum(value);
    else edit[name] = name === 'drawings' ? placesOf(value) : parseNum(value);
  }
  if (x.length) edit.x = x;
  return edit;
}

function showEdit({ run, epoch, x, ...rest }) {
  const fields = (x || []).map((v, i) => `x${i + 1}:${v}`);
  for (const name of EDIT_FIELDS) {
    if (name in rest) fields.push(`${name}:${name === 'drawings' ? rest[name].join('.') : rest[name]}`);
  }
  return [run, epoch, ...fields].join(',');
}

/**
 * The "what if" runs and edits of a link, as the server's `open_runs` takes them: `runs=<the original's epoch>`,
 * then one `branch=<parent>,<from epoch>,<epoch>,<field>:<value>,…` per branch (parent: 0 the original, i the
 * link's i-th branch), `live=<place>` when a branch is live, the edits (`edit=`, above) and the drawings they name
 * (`drawing=`, above). A change's value is read as its config field reads it; the server checks all
 * (`schema.BRANCH_FIELDS`). → {epoch, branches: [{parent, from_epoch, epoch, changes}], live, edits: [{run, epoch,
 * …}], drawings: [{label, input}]} or null when the URL has neither branches nor edits.
 */
export function parseRuns(search) {
  const params = new URLSearchParams(search);
  const items = params.getAll('branch');
  const edits = params.getAll('edit').map(parseEdit);
  if (!items.length && !edits.length) return null;
  const fieldOf = (name) => CONFIG_FIELDS.find((f) => f.name === name);
  const branches = items.map((item) => {
    const [parent, from, epoch, ...changes] = item.split(',');
    return {
      parent: parseNum(parent), from_epoch: parseNum(from), epoch: parseNum(epoch),
      changes: Object.fromEntries(changes.map((c) => {
        const [name, value = ''] = c.split(/:(.*)/s);
        return [name, fieldOf(name) ? fieldOf(name).parse(value) : value];
      })),
    };
  });
  return { epoch: parseNum(params.get('runs') ?? '0'), branches, live: parseNum(params.get('live') ?? '0'), edits,
    drawings: params.getAll('drawing').map(parseDrawing) };
}

/**
 * The link of the server's `runs` message (null without branches or edits): each parent and each edit's run by
 * its place in the list, each run's epoch (the live one's from `liveEpoch`, newer than the message while it trains).
 */
export function runsLink(runs, liveEpoch = 0) {
  const edits = (runs?.runs || []).flatMap((r, i) => (r.edits || []).map((e) => ({ run: i, ...e })));
  if (!runs || (runs.runs.length < 2 && !edits.length)) return null;
  const place = new Map(runs.runs.map((r, i) => [r.id, i]));
  const epochOf = (r) => (r.id === runs.live ? Math.max(r.epoch, liveEpoch) : r.epoch);
  const [original, ...branches] = runs.runs;
  return {
    epoch: epochOf(original),
    branches: branches.map((r) => ({ parent: place.get(r.parent) ?? 0, from_epoch: r.from_epoch, epoch: epochOf(r),
      changes: r.changes })),
    live: place.get(runs.live) ?? 0,
    edits,
    drawings: runs.drawings || [],
  };
}

function writeRuns(params, link) {
  if (!link) return;
  const show = (name, v) => (CONFIG_FIELDS.find((f) => f.name === name)?.show ?? String)(v);
  params.set('runs', String(link.epoch));
  for (const b of link.branches) {
    params.append('branch', [b.parent, b.from_epoch, b.epoch,
      ...Object.entries(b.changes).map(([k, v]) => `${k}:${show(k, v)}`)].join(','));
  }
  if (link.live) params.set('live', String(link.live));
  for (const e of link.edits || []) params.append('edit', showEdit(e));
  for (const d of link.drawings || []) params.append('drawing', showDrawing(d));
}

/** Writes {config, view} (and a link's runs) back into a query string; view fields at their defaults are left out. */
export function toQuery(config, view = {}, link = null) {
  const params = new URLSearchParams();
  for (const f of CONFIG_FIELDS) {
    if (config[f.name] !== undefined) params.set(f.name, f.show(config[f.name]));
  }
  writeRuns(params, link);
  for (const f of VIEW_FIELDS) {
    if (view[f.name] !== undefined && view[f.name] !== f.fallback) params.set(f.name, f.show(view[f.name]));
  }
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/** Keeps only config fields (drops anything the server would reject as unknown). */
export function pickConfig(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) if (CONFIG_NAMES.has(k) && v !== undefined) out[k] = v;
  return out;
}

/** Replaces the address bar's query without adding a history entry. */
export function writeUrl(config, view, link = null) {
  const q = toQuery(config, view, link);
  const url = `${location.pathname}${q ? `?${q}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}
