/**
 * The connection-lost banner: appears when the socket drops, says that the page is reconnecting (and how many
 * tries so far), and disappears when the server answers again. Reads the page state; nothing else.
 */
export function createConnectionBanner(root) {
  root.innerHTML = '<span class="spinner" aria-hidden="true"></span><span class="msg"></span>';
  const msg = root.querySelector('.msg');
  root.dataset.testid = 'connection';
  let everConnected = false;
  return {
    update(state) {
      if (state.connected) everConnected = true;
      const down = !state.connected && (everConnected || state.reconnectAttempt > 0);
      root.hidden = !down;
      document.body.classList.toggle('offline', down);
      root.dataset.state = state.connected ? 'up' : 'down';
      if (down) {
        const n = state.reconnectAttempt ? ` (attempt ${state.reconnectAttempt})` : '';
        const t = `Connection to the server lost — reconnecting${n}… The network will be rebuilt from the URL's settings.`;
        if (msg.textContent !== t) msg.textContent = t;
      }
    },
  };
}
