// Live progress of a running run. It listens to the run's event stream
// (`GET /api/runs/:id/events`: `progress` events, then `done`), or, where
// EventSource is missing, polls `GET /api/runs/:id`; it keeps the run
// report's headline current (status, cases done, the three scores with
// their intervals, the outcome bar and its legend) and reloads the page
// once the run has finished (the report then comes from the stored
// summary). Without JavaScript the page refreshes itself instead.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const statusBox = box.querySelector("[data-status]");
  const outcomeBar = box.querySelector("[data-outcome-bar]");
  const SVG = "http://www.w3.org/2000/svg";
  const SPAN = 1000;
  const POLL_MS = 3000;
  let looks = [];
  try {
    looks = JSON.parse(outcomeBar?.dataset.looks ?? "[]");
  } catch {
    looks = [];
  }

  let statuses = [];
  try {
    statuses = JSON.parse(statusBox?.dataset.looks ?? "[]");
  } catch {
    statuses = [];
  }

  const percent = (v) => `${(v * 100).toFixed(1)}%`;

  function showScores(scores) {
    if (!scores) return;
    for (const tile of box.querySelectorAll("[data-score]")) {
      const p = scores[tile.dataset.score];
      if (!p) continue;
      const value = tile.querySelector("[data-score-value]");
      const interval = tile.querySelector("[data-score-interval]");
      const known = p.value !== null && p.value !== undefined;
      if (value) value.textContent = known ? percent(p.value) : "—";
      if (interval) {
        interval.textContent = known && p.low !== null && p.high !== null
          ? `[${(p.low * 100).toFixed(1)}–${
            (p.high * 100).toFixed(1)
          }] n=${p.n}`
          : "nothing counted yet";
      }
    }
  }

  function showOutcomes(byOutcome, pending) {
    if (!outcomeBar || !byOutcome) return;
    const known = new Set(looks.map((l) => l[0]));
    const rows = looks.map(([o, label, cls]) => [
      o,
      label,
      cls,
      o === "pending" ? pending : byOutcome[o] ?? 0,
    ]);
    for (const o of Object.keys(byOutcome)) {
      if (!known.has(o)) rows.push([o, o, "o-other", byOutcome[o]]);
    }
    const shown = rows.filter((r) => r[3] > 0);
    const total = shown.reduce((sum, r) => sum + r[3], 0);
    const svg = outcomeBar.querySelector("svg");
    const legend = outcomeBar.querySelector("ul.legend");
    if (svg) {
      for (const old of svg.querySelectorAll("rect[data-outcome]")) {
        old.remove();
      }
      let x = 0;
      for (const [o, label, cls, n] of shown) {
        const width = total ? (n / total) * SPAN : 0;
        const rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("class", cls);
        rect.setAttribute("data-outcome", o);
        rect.setAttribute("x", String(Math.round(x * 10) / 10));
        rect.setAttribute("y", "0");
        rect.setAttribute("width", String(Math.round(width * 10) / 10));
        rect.setAttribute("height", "20");
        const title = document.createElementNS(SVG, "title");
        title.textContent = `${label}: ${n}`;
        rect.appendChild(title);
        svg.appendChild(rect);
        x += width;
      }
      svg.setAttribute(
        "aria-label",
        `Cases by outcome: ${
          shown.map((r) => `${r[1]} ${r[3]}`).join(", ") || "none yet"
        }`,
      );
    }
    if (legend) {
      legend.replaceChildren();
      for (const [o, label, cls, n] of shown) {
        const li = document.createElement("li");
        li.dataset.outcome = o;
        const swatch = document.createElement("span");
        swatch.className = `swatch ${cls}`;
        swatch.setAttribute("aria-hidden", "true");
        const count = document.createElement("strong");
        count.dataset.count = "";
        count.textContent = n.toLocaleString("en");
        const share = document.createElement("span");
        share.className = "muted";
        share.textContent = `(${total ? percent(n / total) : "–"})`;
        li.append(swatch, `${label} `, count, " ", share);
        legend.appendChild(li);
      }
    }
  }

  function show(p) {
    if (bar) {
      bar.max = Math.max(1, p.total);
      bar.value = p.done;
    }
    if (text) text.textContent = `${p.done} of ${p.total} cases done`;
    if (statusBox && p.status) {
      const look = statuses.find((l) => l[0] === p.status);
      // A wait for the engine says since when (UTC, as every table does).
      const since = typeof p.waiting_since === "string"
        ? ` since ${p.waiting_since.slice(11, 16)} UTC`
        : "";
      statusBox.textContent = (look ? look[1] : p.status) + since;
      statusBox.className = `status status-${look ? look[2] : "neutral"}`;
    }
    showScores(p.scores);
    showOutcomes(p.by_outcome, Math.max(0, p.total - p.done));
  }

  if (typeof EventSource === "function" && box.dataset.eventsUrl) {
    const events = new EventSource(box.dataset.eventsUrl);
    events.addEventListener("progress", (event) => {
      try {
        show(JSON.parse(event.data));
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
        show({
          status: run.status,
          waiting_since: run.waiting_since,
          ...run.progress,
          scores: run.scores,
        });
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
