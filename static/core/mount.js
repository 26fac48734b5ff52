/**
 * Mounts every module into its container in templates/index.html and returns their `update` functions.
 *
 * The shell's own modules are imported statically; the visual modules (equations, letters, charts, heatmap,
 * lab) are imported one by one and guarded, so a missing or broken one leaves a note in its panel instead of
 * breaking the page. Data views are shown by the dataset's kind, the view the server says it needs (images, 2-D or 1-D points, a
 * table). Nothing else.
 */
import { createControls } from './controls.js';
import { createTimeline } from './timeline.js';
import { createNetwork } from '../network/network.js';
import { createArchitecture } from '../network/architecture.js';
import { createConnectionBanner } from './connection-banner.js';
import { createTable } from '../visuals/table.js';
import { createWeightChips } from '../network/weight-chips.js';
import { createLessons } from './lessons.js';
import { createBranches } from '../whatif/branches.js';
import { createSavedRuns } from '../whatif/saved-runs.js';

const byId = (id) => document.getElementById(id);

/** Visual modules: path, the factory names to try, the root, and when the module is on screen. */
const VISUALS = [
  { name: 'equations', path: '../equations/equations.js', factories: ['createEquations'], root: 'equations-root' },
  { name: 'images', path: '../visuals/letters.js', factories: ['createLetters'], root: 'letters-root', kind: 'images' },
  { name: 'heatmap', path: '../visuals/heatmap.js', factories: ['createHeatmap'], root: 'heatmap-root', kind: '2d' },
  { name: 'fitted curve', path: '../visuals/fit1d.js', factories: ['createFit1d'], root: 'fit1d-root', kind: '1d' },
  { name: 'charts', path: '../visuals/charts.js', factories: ['createCharts'], root: 'charts-root' },
  { name: 'lab', path: '../visuals/lab.js', factories: ['createLab'], root: 'lab-root' },
  { name: 'code', path: '../equations/code-panel.js', factories: ['createCodePanel'], root: 'code-root' },
];

const kindOf = (state) => (state.network && state.network.dataset ? state.network.dataset.kind : null);

async function mountVisual(v, ctx) {
  const root = byId(v.root);
  try {
    const mod = await import(v.path);
    const make = v.factories.map((f) => mod[f]).find((f) => typeof f === 'function');
    if (!make) throw new Error(`${v.path} exports none of ${v.factories.join(', ')}`);
    const m = make(root, ctx);
    return { name: v.name, lane: 'slow', root, update: (s) => { if (!v.kind || kindOf(s) === v.kind) m.update(s); } };
  } catch (e) {
    root.innerHTML = `<p class="module-missing">The ${v.name} view could not be loaded.</p>`;
    console.warn(`${v.name}: not mounted`, e);
    return null;
  }
}

/** Shows the data view that fits the dataset and names the data panel. */
function createDataPanels() {
  const title = byId('data-title');
  let shown = null;
  return {
    name: 'data-panels',
    update(state) {
      const kind = kindOf(state);
      const regression = state.network?.dataset?.task === 'regression';  // the server's word, not a dataset name
      if (`${kind}${regression}` === shown) return;
      shown = `${kind}${regression}`;
      byId('letters-root').hidden = kind !== 'images';
      byId('heatmap-root').hidden = kind !== '2d';
      byId('fit1d-root').hidden = kind !== '1d';
      byId('table-root').hidden = kind !== 'table';
      title.textContent = { images: 'Training images and your drawing', '2d': regression ? 'Data and the fitted surface' : 'Data and decision boundary',
        table: 'Training table', '1d': 'Data and the fitted curve' }[kind] || 'Data';
    },
  };
}

/**
 * Mounts the shell now; returns { shell: [...], visuals(start) }: the visual modules are imported once `start`
 * (a promise) settles, so their code (KaTeX above all) does not delay the first drawn network.
 */
export function mountAll(ctx) {
  const controls = createControls(byId('controls-root'), ctx);
  const network = createNetwork(byId('network-root'), ctx);
  const shell = [
    { name: 'controls', ...controls },
    { name: 'timeline', lane: 'slow', ...createTimeline(controls.timelineRoot, ctx) },
    { name: 'branches', lane: 'slow', ...createBranches(controls.timelineRoot, byId('charts-root'), ctx) },
    { name: 'saved-runs', ...createSavedRuns(controls.timelineRoot, ctx) },
    { name: 'connection', ...createConnectionBanner(byId('connection-root'), ctx) },
    createDataPanels(),
    { name: 'network', ...network },
    { name: 'architecture', ...createArchitecture(byId('architecture-root'), document.querySelector('.network-wrap'), ctx, network) },
    { name: 'table', lane: 'slow', ...createTable(byId('table-root'), ctx), kind: 'table' },
    { name: 'weight-chips', lane: 'slow', ...createWeightChips(byId('eq-chips-root'), ctx) },
    { name: 'lessons', ...createLessons(byId('lesson-root'), ctx) },
  ].map((m) => (m.kind ? { name: m.name, lane: m.lane, update: (s) => { if (kindOf(s) === m.kind) m.update(s); } } : m));
  const visuals = (start) => start.then(() => Promise.all(VISUALS.map((v) => mountVisual(v, ctx))))
    .then((list) => list.filter(Boolean));
  return { shell, visuals };
}
