/**
 * The learning curves' series: which figure of a run each line draws, its name in the legend, its colour and dash.
 * Read by the live charts (charts.js) and the saved-run view (whatif/saved-runs.js), so a saved run's curves look
 * like the live ones; a module of its own so the saved-run view does not load the lazy charts module with the page.
 */
import { HUES } from '../lib/visual-kit.js';

/** The loss chart's series (the test loss after a split). */
export const SERIES = [
  { key: 'loss', name: 'loss', color: HUES.blue },
  { key: 'error', name: 'error', color: HUES.vermillion, dash: [7, 4] },
  { key: 'test_loss', name: 'test loss', color: HUES.purple, dash: [2, 3], test: true },
];
/** The accuracy chart's own series (the live run's accuracy, and the test accuracy after a split). */
export const ACC_SERIES = [
  { key: 'accuracy', name: 'accuracy', color: HUES.green },
  { key: 'test_accuracy', name: 'test accuracy', color: HUES.purple, dash: [2, 3], test: true },
];
