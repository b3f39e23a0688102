// Live progress of a running run. It listens to the run's event stream
// (`GET /api/runs/:id/events`: `progress` events, then `done`), or, where
// EventSource is missing, polls `GET /api/runs/:id`; it updates the
// progress bar and the counts, and reloads the page once the run has
// finished (the report then comes from the stored summary). Without
// JavaScript the page refreshes itself instead.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const POLL_MS = 3000;

  function show(status, total, done) {
    if (bar) {
      bar.max = Math.max(1, total);
      bar.value = done;
    }
    if (text) text.textContent = `${done} of ${total} cases done (${status})`;
  }

  if (typeof EventSource === "function" && box.dataset.eventsUrl) {
    const events = new EventSource(box.dataset.eventsUrl);
    events.addEventListener("progress", (event) => {
      try {
        const p = JSON.parse(event.data);
        show(p.status, p.total, p.done);
      } catch {
        // A malformed event is skipped.
      }
    });
    events.addEventListener("done", () => {
      events.close();
      location.reload();
    });
    // A refused stream (429: the server's caps on streams) or one the
    // browser gives up on falls back to polling.
    events.addEventListener("error", () => {
      if (events.readyState === EventSource.CLOSED) setTimeout(tick, POLL_MS);
    });
    return;
  }

  async function tick() {
    try {
      const res = await fetch(box.dataset.progressUrl, {
        headers: { accept: "application/json" },
      });
      if (res.ok) {
        const run = await res.json();
        show(run.status, run.progress.total, run.progress.done);
        if (run.finished_at) {
          location.reload();
          return;
        }
      }
    } catch {
      // A failed poll is tried again at the next tick.
    }
    setTimeout(tick, POLL_MS);
  }

  setTimeout(tick, POLL_MS);
})();
