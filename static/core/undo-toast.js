/**
 * The "Undo" toast after a reset or a new network: a `reset`, `configure` or `load_model` that replaced a long run
 * (the server's ack says `undo: <its epoch>`) offers, for a few seconds, to bring that run back; `undo` asks the server, which answers with the old run's
 * `network`, its snapshot (the whole curve) and `status`, so nothing a learner trained is lost to a stray `r`.
 * What it leaves out: it never keeps a run itself (the server does, one per session).
 *
 * API: createUndoToast(parent, { send }) -> { offer(ack, event), hide() }; an ack without `undo` leaves a shown
 * toast as it is (the server still keeps that run).
 * Test hooks: [data-testid="undo-toast"] (hidden unless offered; data-epoch = the kept run's epoch),
 * [data-testid="undo"] its button.
 */
import { el, fmtInt } from '../lib/visual-kit.js';

const SHOW_MS = 15000;
const STYLE = 'position:fixed;left:50%;bottom:1.2em;transform:translateX(-50%);z-index:50;display:none;gap:.8em;'
  + 'align-items:center;padding:.6em .6em .6em 1em;border-radius:10px;background:#1d2330;color:#fff;'
  + 'box-shadow:0 4px 18px rgba(0,0,0,.25);font-size:max(1rem,16px);max-width:calc(100vw - 2em)';
const BUTTON = 'font:inherit;font-weight:600;padding:.3em .9em;border-radius:7px;border:0;background:#fff;'
  + 'color:#1d2330;cursor:pointer';

export function createUndoToast(parent, { send }) {
  const text = el('span', {});
  const button = el('button', { type: 'button', style: BUTTON, 'data-testid': 'undo' }, 'Undo');
  const box = el('div', { style: STYLE, 'data-testid': 'undo-toast', role: 'status', hidden: true }, text, button);
  parent.append(box);
  let timer = null;

  function hide() {
    box.hidden = true;
    box.style.display = 'none'; // the inline style would outrank [hidden]
    clearTimeout(timer);
    timer = null;
  }

  function offer(reply, event = 'reset') {
    if (!reply || !reply.ok || reply.undo === null || reply.undo === undefined) return;
    const what = event === 'reset' ? 'Reset to epoch 0.' : 'A new network, from epoch 0.';
    text.textContent = `${what} The run you left at epoch ${fmtInt(reply.undo)} is kept.`;
    box.dataset.epoch = String(reply.undo);
    box.hidden = false;
    box.style.display = 'flex';
    clearTimeout(timer);
    timer = setTimeout(hide, SHOW_MS);
  }

  button.addEventListener('click', () => {
    button.disabled = true;
    send('undo', {}, (ack) => {
      button.disabled = false;
      if (ack && ack.ok) hide();
      else text.textContent = `Could not undo: ${ack?.error?.message || 'no answer from the server'}`;
    });
  });
  return { offer, hide };
}
