/**
 * Server errors shown inline: each `error` event's field is matched to the element marked
 * `data-error-for="<field>"` anywhere on the page (next to the control that caused it); errors whose field has
 * no such element go to the general slot `data-error-for="*"` beside the status. Nothing else.
 */
export function drawErrors(errors) {
  const slots = document.querySelectorAll('[data-error-for]');
  const known = new Set([...slots].map((s) => s.dataset.errorFor));
  for (const span of slots) {
    const f = span.dataset.errorFor;
    const msg = f === '*'
      ? Object.entries(errors).filter(([k]) => !known.has(k)).map(([, m]) => m).join(' · ')
      : errors[f];
    span.hidden = !msg;
    if (msg && span.textContent !== msg) span.textContent = msg;
    const host = span.closest('.field, [data-field]');
    if (host) host.classList.toggle('has-error', !!msg);
  }
}
