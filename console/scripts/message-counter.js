// The live character and segment count on the message page. It asks the console, which counts as
// the page itself does (crier's SMS rules, with the STOP footer), so the browser has no counting
// rules of its own to drift from the server's. Without this script the count is shown after
// each Continue or Replace them.
const form = document.querySelector('form[data-counter-url]');
if (form) {
  const url = form.dataset.counterUrl;
  const csrf = form.querySelector('input[name="csrf"]')?.value ?? '';
  for (const field of form.querySelectorAll('textarea[data-counter]')) {
    const name = field.dataset.counter;
    const count = document.getElementById(`${name}-count`);
    const warning = document.getElementById(`${name}-warning`);
    let timer;
    let asked = 0;
    field.addEventListener('input', () => {
      clearTimeout(timer);
      // Half a second after typing stops: the count is read out (aria-live), not at every key.
      timer = setTimeout(async () => {
        const ask = ++asked;
        try {
          const response = await fetch(url, {
            method: 'POST',
            body: new URLSearchParams({ csrf, text: field.value }),
            credentials: 'same-origin',
            headers: { accept: 'application/json' },
          });
          if (!response.ok || ask !== asked) return;
          const counted = await response.json();
          if (count) count.textContent = counted.summary;
          if (warning) {
            warning.textContent = counted.warning;
            warning.hidden = !counted.warning;
          }
        } catch {
          // Offline or signed out: the count shown stays until the form is sent.
        }
      }, 500);
    });
  }
}
