/**
 * The configuration schema, as the server declares it (GET /api/schema, from engine/config.py and app/schema.py):
 * every field with its label, help, type, default and choices or range, the presets, the datasets (size and
 * kind), the mistake lab's rules with what each needs, the activations' σ′ (TeX and a rule to evaluate), the
 * limits, and when a prediction is marked not sure (`doubt`: its two numbers and the rule in words). The page builds its controls, its URL fields, the architecture limits and the lab from it, so none of
 * those names or numbers is written down in static/.
 *
 * API: loadSchema() -> Promise<schema> (embedded in the page, else one shared request); schema() -> it or null;
 * field(name), dataset(name), activation(name); batchChoices(field, n) -> [[value, text]] valid for n samples;
 * sigmaPrime(name, z, a) -> σ′ as the engine evaluates it, or null.
 */

const EMPTY = { fields: [], presets: [], datasets: [], variants: [], activations: [], limits: {}, wire: { optional: [], nested: [] }, doubt: null };
// The page embeds the schema (templates/index.html, <script type="application/json" id="schema">), so it is there
// before any module runs; elsewhere (the visuals harness) loadSchema() fetches it.
const tag = typeof document === 'undefined' ? null : document.getElementById('schema');
let loaded = tag ? { ...EMPTY, ...JSON.parse(tag.textContent) } : null;
let promise = loaded ? Promise.resolve(loaded) : null;

export function loadSchema() {
  promise ||= fetch('/api/schema').then((r) => (r.ok ? r.json() : EMPTY)).catch(() => EMPTY)
    .then((s) => { loaded = { ...EMPTY, ...s }; return loaded; });
  return promise;
}

export const schema = () => loaded;
export const field = (name) => (loaded ? loaded.fields.find((f) => f.name === name) : undefined);
export const dataset = (name) => (loaded ? loaded.datasets.find((d) => d.name === name) : undefined);
export const activation = (name) => (loaded ? loaded.activations.find((a) => a.name === name) : undefined);

/** The text a menu shows for one choice of a field. */
export const optionText = (f, value) => (f.option_labels && f.option_labels[value]) || value;

/** Batch menu entries valid for a dataset of n samples: the field's words, then 2, 4, 8, … below n. */
export function batchChoices(f, n) {
  const out = (f.choices || []).map((c) => [c, optionText(f, c)]);
  for (let k = 2; k < Math.min(n, f.max + 1); k *= 2) out.push([String(k), String(k)]);
  return out;
}

/** σ′ from the engine's rule for this activation: a polynomial in a, or a step in z; null if it has none. */
export function sigmaPrime(name, z, a) {
  const rule = activation(name)?.der_rule;
  if (!rule) return null;
  if (rule.of === 'a') return rule.poly.reduceRight((s, c) => c + a * s, 0);  // Horner: bit for bit a(1 − a), 1 − a²
  return z > 0 ? rule.above : rule.below;
}
