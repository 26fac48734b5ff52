/**
 * Keyboard shortcuts: space play/pause, → step an epoch, s step a sample, r reset, p projector mode.
 * Ignored while typing in a field. Calls the page's actions; nothing else.
 */
const KEYS = {
  ' ': 'toggle',
  ArrowRight: 'stepEpoch',
  s: 'stepSample',
  r: 'reset',
  p: 'toggleProjector',
};

export function bindKeys(actions) {
  window.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))
      && !(t.type === 'range' && e.key === ' ')) return;
    const name = KEYS[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (!name) return;
    e.preventDefault();
    if (t && t.tagName === 'BUTTON') t.blur();
    actions[name]();
  });
}
