// Keeps a broadcast's progress up to date while the page is open, from the same figures the page
// was drawn with (/console/broadcasts/{id}/progress). Without this script the page is right
// when loaded, and says to reload it.
const holder = document.querySelector('[data-progress-url]');
const list = document.getElementById('progress');
const note = document.getElementById('progress-note');
const EVERY_MS = 5000;
// Each request counts as activity: a page left open would otherwise keep its session alive
// until its absolute expiry, so the updates stop after half an hour.
const STOP_AFTER_MS = 30 * 60 * 1000;

if (holder && list && list.dataset.settled !== 'yes') {
  const url = holder.dataset.progressUrl;
  const started = Date.now();
  if (note) note.textContent = 'These figures update every 5 seconds.';
  const timer = setInterval(async () => {
    if (Date.now() - started > STOP_AFTER_MS) {
      clearInterval(timer);
      if (note) note.textContent = 'Reload the page to see the latest figures.';
      return;
    }
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!response.ok) return;
      const progress = await response.json();
      for (const [name, value] of Object.entries(progress.counts)) {
        const cell = list.querySelector(`[data-count="${name}"]`);
        if (cell) cell.textContent = value;
      }
      const tag = document.querySelector('#progress-status .govuk-tag');
      if (tag) {
        tag.textContent = progress.statusText;
        tag.className = `govuk-tag govuk-tag--${progress.statusColour}`;
      }
      const skipped = document.getElementById('skipped-by');
      if (skipped) {
        const items = progress.skippedBy.map((skip) => {
          const item = document.createElement('li');
          item.textContent = `${skip.reason}: ${skip.count}`;
          return item;
        });
        const bullets = document.createElement('ul');
        bullets.className = 'govuk-list govuk-list--bullet';
        bullets.append(...items);
        const heading = document.createElement('h3');
        heading.className = 'govuk-heading-s';
        heading.textContent = 'Skipped, by reason';
        skipped.replaceChildren(...(items.length ? [heading, bullets] : []));
      }
      if (progress.settled) {
        clearInterval(timer);
        if (note) note.textContent = 'These are the final figures.';
      }
    } catch {
      // A missed update is made good by the next one.
    }
  }, EVERY_MS);
}
