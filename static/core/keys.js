/**
 * Keyboard shortcuts: one table, read by the key handler and by the help card (help.js). Ignored while typing
 * in a text field or a menu; a slider (speed, timeline) is not a text field, so after dragging one every
 * shortcut still works. Calls the page's actions; nothing else.
 */
export const KEYS = [
  { keys: [' '], label: 'space', action: 'toggle', does: 'play / pause' },
  { keys: ['ArrowRight'], label: '→', action: 'stepEpoch', does: 'step one epoch' },
  { keys: ['s'], label: 's', action: 'stepSample', does: 'step one sample, animated in four phases' },
  { keys: ['r'], label: 'r', action: 'reset', does: 'reset to the same start (same seed)' },
  { keys: ['p'], label: 'p', action: 'toggleProjector', does: 'projector mode: large type' },
  { keys: ['?', 'h'], label: '? or h', action: 'help', does: 'this help' },
  { keys: ['Escape'], label: 'Esc', action: 'closeHelp', does: 'close the help' },
];
const BY_KEY = new Map(KEYS.flatMap((k) => k.keys.map((key) => [key, k.action])));

const typing = (t) => t && (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT'
  || (t.tagName === 'INPUT' && t.type !== 'range' && t.type !== 'checkbox'));

export function bindKeys(actions) {
  window.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (typing(t)) return;
    const name = BY_KEY.get(e.key.length === 1 ? e.key.toLowerCase() : e.key);
    if (!name || !actions[name]) return;
    e.preventDefault();
    if (t && (t.tagName === 'BUTTON' || t.tagName === 'INPUT')) t.blur();
    actions[name]();
  });
}
