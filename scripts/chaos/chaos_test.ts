import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { SCENARIOS } from "./main.ts";
import { chaosSuite } from "./suite.ts";
import { formatLine } from "./verdict.ts";
import { llamaServerPaths } from "../../evaluators/targets/testing/llama_server.ts";
import { findPostgresBin } from "../dev/pg_cluster.ts";
import { needsTest } from "../../evaluators/testing/missing.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
/** The whole chaos run must end well within this (it takes about 3 minutes on 2 cores). */
const BUDGET_MS = 9 * 60_000;

const missing = [
  (await findPostgresBin()) ? null : "PostgreSQL is not installed",
  (await llamaServerPaths())
    ? null
    : "llama-server is not set up (bash scripts/dev/setup_llama_server.sh)",
].filter((reason) => reason !== null);

Deno.test("chaos: the line format and the synthetic suite", () => {
  assert.equal(
    formatLine({
      name: "cancel",
      expected: 3,
      stored: 3,
      duplicates: 0,
      lost: 0,
      extras: ["re-run 1"],
      problems: [],
    }),
    "cancel: cases expected 3, results stored 3, duplicates 0, lost 0, re-run 1 — PASS",
  );
  assert.match(
    formatLine({
      name: "x",
      expected: 3,
      stored: 2,
      duplicates: 0,
      lost: 1,
      extras: [],
      problems: ["2 results for 3 cases"],
    }),
    / — FAIL \(2 results for 3 cases\)$/,
  );
  const suite = chaosSuite(3);
  assert.deepEqual(suite.cases.map((c) => c.key), [
    "chaos-00001",
    "chaos-00002",
    "chaos-00003",
  ]);
  const titles = new Set(
    suite.cases.map((c) => (c.schema as { title: string }).title),
  );
  assert.equal(titles.size, 3);
});

needsTest({
  name:
    "chaos: every scenario passes with 300 cases (kill -9, freezes, cancel, PostgreSQL restart, cap, throughput)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const env = Deno.env.toObject();
    // Hermetic: its own cluster and llama-server, whatever the caller has.
    for (const name of ["DATABASE_URL", "LLAMA_URL", "PORT"]) delete env[name];
    const started = Date.now();
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/chaos/main.ts", "--cases", "300"],
      cwd: REPO,
      env: { ...env, NO_COLOR: "1" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(BUDGET_MS),
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    const report = `exit ${output.code} after ${
      ((Date.now() - started) / 1000).toFixed(0)
    } s\n--- stdout\n${stdout}\n--- stderr\n${stderr.slice(-6000)}`;
    console.log(stdout.trimEnd());
    for (const name of SCENARIOS) {
      const line = stdout.split("\n").find((l) => l.startsWith(`${name}: `));
      assert.ok(line, `no line for ${name}\n${report}`);
      assert.match(line, / — PASS$/, `${name} did not pass\n${report}`);
    }
    assert.match(
      stdout,
      new RegExp(
        `^chaos: ${SCENARIOS.length} passed, 0 failed, 0 skipped, .* — PASS$`,
        "m",
      ),
    );
    assert.equal(output.code, 0, report);
  },
}, missing.length ? `chaos end-to-end test: ${missing.join("; ")}` : undefined);
