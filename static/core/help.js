/**
 * The help card (`?` or `h`, or the help button): the keyboard shortcuts, read from keys.js's table, and a legend
 * of what the page draws — colours, line widths, the bias squares, the badges, "loss" and "error" — in plain
 * words. It owns one overlay element; it reads no page state and sends nothing.
 */
import { KEYS } from './keys.js';

const line = (color, width, dash = '') => `<svg class="help-swatch" viewBox="0 0 44 16" aria-hidden="true">
  <path d="M2 8 C14 8 30 8 42 8" stroke="${color}" stroke-width="${width}" stroke-linecap="round" fill="none"${
  dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>`;
const disc = (fill, stroke = '#8a93a6') => `<svg class="help-swatch" viewBox="0 0 44 22" aria-hidden="true">
  <circle cx="22" cy="11" r="9" fill="${fill}" stroke="${stroke}" stroke-width="1.2"/></svg>`;
const bias = `<svg class="help-swatch" viewBox="0 0 44 24" aria-hidden="true">
  <circle cx="24" cy="10" r="8" fill="#dbe9f4" stroke="#8a93a6" stroke-width="1.2"/>
  <rect x="11" y="13" width="8" height="8" rx="1.5" fill="#fdb863" stroke="var(--neg)" stroke-width="1.2"/></svg>`;

const LEGEND = [
  [`${line('var(--pos)', 4)}${line('var(--neg)', 4)}`, 'Blue and orange',
    'Blue is a positive number, orange a negative one: a weight on a link, an activation in a neuron, δ beside it. '
    + 'The two colours stay apart for colour-blind eyes too.'],
  [`${line('var(--pos)', 1)}${line('var(--pos)', 6)}`, 'Line width',
    'How big the weight is, whatever its sign: a thick line is a large |w|, a thin faint one is near zero. With '
    + '“∂C/∂W” chosen above the diagram, width and colour show the gradient instead.'],
  [`${disc('#0877bd')}${disc('#f7f7f7')}`, 'Neuron fill',
    'The neuron’s activation a for the current sample: deep blue near +1, white near 0, orange below 0. The number '
    + 'inside is the same value.'],
  [bias, 'Small squares under neurons',
    'The neuron’s bias b (only when biases are on), coloured like a weight. Click one for its equations.'],
  [`<span class="help-badge ok">✓ since 670</span>`, 'On a training image',
    'The network has got this image right at every epoch since epoch 670.'],
  [`<span class="help-badge bad">✗ says C</span>`, '',
    'The network gets this image wrong: its largest output is C.'],
  [`<span class="help-badge delta">δ −0.11</span>`, 'δ beside a neuron',
    'The error signal backprop sends back to this neuron: ∂C/∂z, how much the cost changes if z changes.'],
  [`${line('var(--pos)', 2)}${line('#d55e00', 2, '7 4')}`, '“loss” and “error” in the charts',
    'Loss is the cost C that gradient descent makes smaller (squared error or cross-entropy, as chosen). Error is '
    + 'simply the average distance |y − a| between outputs and targets, the number a from-scratch script prints.'],
  [`<span class="help-badge replay">epoch 43</span>`, 'An orange epoch number',
    'You are replaying an earlier epoch on the timeline; “live” goes back to the newest one.'],
];

export function createHelp(parent) {
  const keys = KEYS.filter((k) => k.action !== 'closeHelp')
    .map((k) => `<tr><td>${k.label.split(' or ').map((l) => `<kbd>${l}</kbd>`).join(' or ')}</td><td>${k.does}</td></tr>`)
    .join('');
  const legend = LEGEND.map(([sw, title, words]) => `<div class="help-row"><div class="help-sw">${sw}</div><div>${
    title ? `<b>${title}</b> ` : ''}${words}</div></div>`).join('');
  const box = document.createElement('div');
  box.className = 'help-backdrop';
  box.hidden = true;
  box.innerHTML = `<section class="help" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help">
    <header><h2 id="help-title">How to read this page</h2>
      <button type="button" class="pill ghost help-close" data-testid="help-close" aria-label="Close help">close ✕</button></header>
    <div class="help-cols">
      <div><h3>What the colours and shapes mean</h3>${legend}</div>
      <div class="help-keys-col"><div class="help-keys-box"><h3>Keys</h3><table class="help-keys">${keys}</table></div>
        <h3>Where to start</h3>
        <p>Press <b>step sample</b> to watch one sample go forward, meet its target, and send δ back, one phase at
        a time. Click any neuron or link for its equations with this network’s numbers; a neuron’s incoming weights
        are listed there, and each leads to the update of that weight.</p></div>
    </div></section>`;
  parent.appendChild(box);
  let before = null;

  const api = {
    get open() { return !box.hidden; },
    show() {
      if (!box.hidden) return;
      before = document.activeElement;
      box.hidden = false;
      box.querySelector('.help-close').focus({ preventScroll: true });
    },
    close() {
      if (box.hidden) return;
      box.hidden = true;
      if (before && before.focus) before.focus({ preventScroll: true });
    },
    toggle() { if (box.hidden) api.show(); else api.close(); },
  };
  box.addEventListener('click', (e) => { if (e.target === box || e.target.closest('.help-close')) api.close(); });
  return api;
}
