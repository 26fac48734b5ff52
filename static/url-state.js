/**
 * The URL holds the configuration, so a link reproduces the setup.
 *
 * One declared table (as TensorFlow Playground's state.ts) drives both parsing and serialising. Config fields
 * are the server's `configure` fields (docs/protocol.md); view fields only change how the page looks. Values
 * are parsed by type but not range-checked here: the server validates and names the field, and the page shows
 * that message next to the control. This module leaves out any DOM or socket work.
 */

const parseBool = (s) => (s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : s);
const parseNum = (s) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
const parseInts = (s) => (s === '' ? [] : s.split(',').map(parseNum));
const parseBatch = (s) => (s === 'full' || s === 'sample' ? s : parseNum(s));
const parseNullable = (s) => (s === '' || s === 'same' || s === 'null' ? null : s);

const showBool = (v) => (v ? '1' : '0');
const showList = (v) => (Array.isArray(v) ? v.join(',') : String(v));

/** Config fields in the order they appear in a URL. */
export const CONFIG_FIELDS = [
  { name: 'preset', parse: String, show: String },
  { name: 'dataset', parse: String, show: String },
  { name: 'layers', parse: parseInts, show: showList },
  { name: 'activation', parse: String, show: String },
  { name: 'output_activation', parse: parseNullable, show: (v) => (v === null ? 'same' : String(v)) },
  { name: 'loss', parse: String, show: String },
  { name: 'reduction', parse: String, show: String },
  { name: 'bias', parse: parseBool, show: showBool },
  { name: 'lr', parse: parseNum, show: String },
  { name: 'momentum', parse: parseNum, show: String },
  { name: 'batch', parse: parseBatch, show: String },
  { name: 'shuffle', parse: parseBool, show: showBool },
  { name: 'schedule', parse: String, show: String },
  { name: 'init', parse: String, show: String },
  { name: 'seed', parse: parseNum, show: String },
  { name: 'variant', parse: String, show: String },
  { name: 'compare', parse: parseBool, show: showBool },
  { name: 'examples', parse: parseBool, show: showBool },
  // the 2-D playground's fields (issue 12); ranges live in engine/presets.py
  { name: 'noise', parse: parseNum, show: String },
  { name: 'n_points', parse: parseNum, show: String },
  { name: 'data_seed', parse: parseNum, show: String },
  { name: 'test_fraction', parse: parseNum, show: String },
  { name: 'regularization', parse: String, show: String },
  { name: 'reg_rate', parse: parseNum, show: String },
  { name: 'features', parse: (s) => (s === '' ? [] : s.split(',')), show: showList },
];

/** Page-only fields: they never reach the server. */
export const VIEW_FIELDS = [
  { name: 'projector', parse: parseBool, show: showBool, fallback: false },
  { name: 'layout', parse: (s) => (s === 'column' ? 'column' : 'row'), show: String, fallback: 'row' },
  { name: 'speed', parse: (s) => s, show: String, fallback: 'max' },
];

const CONFIG_NAMES = new Set(CONFIG_FIELDS.map((f) => f.name));

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

/** Writes {config, view} back into a query string; view fields at their defaults are left out. */
export function toQuery(config, view = {}) {
  const params = new URLSearchParams();
  for (const f of CONFIG_FIELDS) {
    if (config[f.name] !== undefined) params.set(f.name, f.show(config[f.name]));
  }
  for (const f of VIEW_FIELDS) {
    if (view[f.name] !== undefined && view[f.name] !== f.fallback) params.set(f.name, f.show(view[f.name]));
  }
  return params.toString().replace(/%2C/g, ',');
}

/** Keeps only config fields (drops anything the server would reject as unknown). */
export function pickConfig(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj || {})) if (CONFIG_NAMES.has(k) && v !== undefined) out[k] = v;
  return out;
}

/** Replaces the address bar's query without adding a history entry. */
export function writeUrl(config, view) {
  const q = toQuery(config, view);
  const url = `${location.pathname}${q ? `?${q}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}
