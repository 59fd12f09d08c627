// Warns two minutes before a session would end for want of use (WCAG 2.2.1, Timing adjustable),
// and keeps it on "Stay signed in". When the time is up, the page is reloaded: the person is sent
// to sign in, and brought back here afterwards.
const dialog = document.getElementById('session-timeout');
const WARN_BEFORE_MS = 2 * 60 * 1000;

if (dialog && typeof dialog.showModal === 'function') {
  const idleMs = Number(dialog.dataset.idleMinutes) * 60 * 1000;
  let warnTimer;
  let endTimer;
  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(0, idleMs - WARN_BEFORE_MS));
    endTimer = setTimeout(() => window.location.reload(), idleMs);
  };
  dialog.querySelector('[data-stay-signed-in]')?.addEventListener('click', async () => {
    const body = new URLSearchParams({ csrf: dialog.dataset.csrf ?? '' });
    const response = await fetch('/console/session/keep-alive', { method: 'POST', credentials: 'same-origin', body });
    if (response.ok) {
      dialog.close();
      schedule();
    } else {
      window.location.reload();
    }
  });
  schedule();
}
