/**
 * `deno task bench --quick --json FILE` runs to the end and writes every
 * figure as a finite number. The goals themselves are not asserted here:
 * they are what the bench reports.
 *
 * @example
 * ```sh
 * deno test -A scripts/bench/bench_test.ts
 * ```
 * @module
 */
import assert from "node:assert/strict";
import { numericLeaves } from "./report.ts";

const FIGURES = [
  "harness_overhead_ratio",
  "harness_floor_s",
  "gpu_shaped_ratio",
  "validation",
  "ingest_s",
  "leaderboard_rps_ratio",
  "rss_mb",
  "scale_out",
];

Deno.test({
  name: "deno task bench --quick writes every figure as a finite number",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "bench-test-" });
  const file = `${dir}/bench.json`;
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "bench", "--quick", "--json", file],
      cwd: decodeURIComponent(new URL("../../", import.meta.url).pathname),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const errors = new TextDecoder().decode(out.stderr);
    console.log(text);
    assert.ok(out.success, `the bench failed:\n${errors.slice(-4000)}`);
    const results = JSON.parse(await Deno.readTextFile(file));
    for (const figure of FIGURES) {
      assert.ok(figure in results, `${figure} is missing`);
      const leaves = numericLeaves(results[figure], figure);
      assert.ok(leaves.length > 0, `${figure} holds no numbers`);
      for (const [path, value] of leaves) {
        assert.equal(typeof value, "number", `${path} is not a number`);
        assert.ok(Number.isFinite(value), `${path} is ${value}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
