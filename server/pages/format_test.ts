import assert from "node:assert/strict";
import {
  formatCount,
  formatInterval,
  formatMs,
  formatP,
  formatPercent,
  formatPoints,
  formatTime,
  formatUsd,
  NONE,
} from "./format.ts";

Deno.test("numbers, intervals, durations, money, times", () => {
  assert.equal(formatPercent(0.8234), "82.3%");
  assert.equal(formatPercent(null), NONE);
  assert.equal(formatPercent(Number.NaN), NONE);
  assert.equal(
    formatInterval({ value: 0.5, low: 0.2, high: 0.8, n: 10 }),
    "20.0–80.0",
  );
  assert.equal(
    formatInterval({ value: null, low: null, high: null, n: 0 }),
    NONE,
  );
  assert.equal(formatMs(1.234), "1.23 ms");
  assert.equal(formatMs(12.34), "12.3 ms");
  assert.equal(formatMs(812.4), "812 ms");
  assert.equal(formatMs(2400), "2.40 s");
  assert.equal(formatMs(undefined), NONE);
  assert.equal(formatUsd(12.5), "$12.50");
  assert.equal(formatUsd(0.001234), "$0.001234");
  assert.equal(formatUsd(0), "$0");
  assert.equal(
    formatTime(new Date("2025-03-01T12:34:56Z")),
    "2025-03-01 12:34 UTC",
  );
  assert.equal(formatTime(null), NONE);
  assert.equal(formatCount(12345), "12,345");
  assert.equal(formatP(0.03125), "0.0313");
  assert.equal(formatP(1e-9), "< 0.0001");
  assert.equal(formatPoints(0.052), "+5.2 pp");
  assert.equal(formatPoints(-0.25), "-25.0 pp");
});
