import assert from "node:assert/strict";
import {
  E2E_FILES,
  parseSummary,
  SOAK_FILES,
  summaryLine,
  testFiles,
  tierOf,
} from "./test_tiers.ts";

const REPO = new URL("../", import.meta.url);

Deno.test("tiers: every test file in exactly one tier, and the lists name real files", async () => {
  const files = await testFiles();
  assert.ok(files.includes("scripts/test_tiers_test.ts"), files.join("\n"));
  for (const file of [...E2E_FILES, ...SOAK_FILES]) {
    assert.ok(files.includes(file), `${file} is listed but is not a test file`);
  }
  const both = E2E_FILES.filter((file) => SOAK_FILES.includes(file));
  assert.deepEqual(both, [], "in two tiers");
  const tiers = new Map<string, string[]>();
  for (const file of files) {
    const tier = tierOf(file);
    tiers.set(tier, [...tiers.get(tier) ?? [], file]);
  }
  assert.equal(
    [...tiers.values()].reduce((n, list) => n + list.length, 0),
    files.length,
  );
  assert.deepEqual(tiers.get("e2e"), [...E2E_FILES].sort());
  assert.deepEqual(tiers.get("soak"), [...SOAK_FILES].sort());
});

Deno.test("tiers: a fast-tier file needs no engine and no browser", async () => {
  for (const file of await testFiles()) {
    if (tierOf(file) !== "fast") continue;
    const text = await Deno.readTextFile(new URL(file, REPO));
    assert.doesNotMatch(
      text,
      /\bllama(Db)?Test\(|startLlamaServer\(|launchChromium\(/,
      `${file} needs an engine or the browser: list it in E2E_FILES`,
    );
  }
});

Deno.test("tiers: deno test's summary lines are read and summed as CI reads them", () => {
  const output = [
    "running 2 tests from ./a_test.ts",
    "\x1b[0m\x1b[32mok\x1b[0m | 3 passed (4 steps) | 0 failed | 2 ignored (5s)",
    "FAILED | 1 passed | 2 failed (1 step) (9s)",
  ].join("\n");
  assert.deepEqual(parseSummary(output), { passed: 1, failed: 2, ignored: 0 });
  assert.equal(parseSummary("error: Module not found"), null);
  const line = summaryLine({ passed: 4, failed: 2, ignored: 2 });
  assert.equal(line, "FAILED | 4 passed | 2 failed | 2 ignored");
  // The .ci/run grep and sed.
  assert.match(line, /^(ok|FAILED) \| [0-9]+ passed/);
  assert.equal(/.*\| ([0-9]+) failed.*/.exec(line)?.[1], "2");
  assert.match(summaryLine({ passed: 1, failed: 0, ignored: 0 }), /^ok \|/);
});
