// Live progress of a running run: polls `GET /api/runs/:id` every few
// seconds, updates the progress bar and the counts, and reloads the page
// once the run has finished (the report then comes from the stored
// summary). Without JavaScript the page refreshes itself instead.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const url = box.dataset.progressUrl;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const EVERY_MS = 3000;

  async function tick() {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" } });
      if (res.ok) {
        const run = await res.json();
        const { total, done } = run.progress;
        if (bar) {
          bar.max = Math.max(1, total);
          bar.value = done;
        }
        if (text) {
          text.textContent = `${done} of ${total} cases done (${run.status})`;
        }
        if (run.finished_at) {
          location.reload();
          return;
        }
      }
    } catch {
      // A failed poll is tried again at the next tick.
    }
    setTimeout(tick, EVERY_MS);
  }

  setTimeout(tick, EVERY_MS);
})();
