import assert from "node:assert/strict";
import { RunHeadline } from "./run_headline.tsx";
import { OutcomeBar } from "./outcome_bar.tsx";

const p = (value: number, n: number) => ({
  value,
  low: value / 2,
  high: Math.min(1, value * 1.5),
  n,
});

async function html(status: string, active: boolean) {
  return await RunHeadline({
    run: { id: "r1", status },
    scores: { empirical_coverage: p(0.5, 10), compliance: p(0.6, 9) },
    progress: { total: 12, done: 10, by_outcome: { valid: 5, truncated: 5 } },
    active,
  }).toString();
}

Deno.test("headline: every status reads in words, new ones included", async () => {
  const waiting = await html("waiting_for_engine", true);
  assert.match(
    waiting,
    /class="status status-active"[^>]*>waiting for the engine</,
  );
  assert.match(waiting, /data-events-url="\/api\/runs\/r1\/events/);
  assert.match(waiting, /<progress max="12" value="10">/);
  const unknown = await html("brand_new", false);
  assert.match(unknown, /class="status status-neutral"[^>]*>brand_new</);
  assert.ok(!unknown.includes("data-events-url"));
  const done = await html("done", false);
  assert.match(done, /class="status status-good"[^>]*>done</);
  // Declared coverage has no value: it says so rather than 0%.
  assert.match(
    done,
    /data-score="declared_coverage">.*?—.*?nothing counted yet/s,
  );
  assert.match(done, /data-score="empirical_coverage">.*?50\.0%.*?n=10/s);
});

Deno.test("outcome bar: a segment per outcome in order, pending last, legend in words", async () => {
  const bar = await OutcomeBar({
    byOutcome: {
      truncated: 1,
      valid: 2,
      something_new: 1,
      schema_violation: 0,
    },
    pending: 1,
  }).toString();
  const segments = [
    ...bar.matchAll(
      /<rect class="([^"]+)" data-outcome="([^"]+)" x="([^"]+)" y="0" width="([^"]+)"/g,
    ),
  ]
    .map((m) => [m[1], m[2], Number(m[3]), Number(m[4])]);
  assert.deepEqual(segments, [
    ["o-valid", "valid", 0, 400],
    ["o-truncated", "truncated", 400, 200],
    ["o-other", "something_new", 600, 200],
    ["o-pending", "pending", 800, 200],
  ]);
  assert.match(
    bar,
    /aria-label="Cases by outcome: valid 2, truncated 1, something_new 1, pending 1"/,
  );
  assert.match(bar, /truncated <strong data-count="">1<\/strong>/);
  const legend = bar.slice(bar.indexOf('<ul class="legend">'));
  assert.ok(!legend.includes("schema violation"), "a zero count is left out");
});
