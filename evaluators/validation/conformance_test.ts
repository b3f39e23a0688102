import assert from "node:assert/strict";
import { sharedPath } from "../testing/shared_dir.ts";
import { DRAFTS } from "./draft.ts";
import { type Disagreement, runTestSuite } from "./conformance.ts";

interface Allowed {
  draft: string;
  file: string;
  group: string;
  test: string;
  reason: string;
}

const SUITE = sharedPath("datasets/json-schema-test-suite");
const allowList = JSON.parse(
  await Deno.readTextFile(
    new URL("./conformance_allowlist.json", import.meta.url),
  ),
) as Allowed[];
const keyOf = (d: Pick<Disagreement, "draft" | "file" | "group" | "test">) =>
  `${d.draft} | ${d.file} | ${d.group} | ${d.test}`;

for (const draft of DRAFTS) {
  Deno.test(`JSON Schema Test Suite ${draft}: only allow-listed disagreements`, async () => {
    const report = await runTestSuite(SUITE, draft);
    const allowed = new Map(
      allowList.filter((a) => a.draft === draft).map((
        a,
      ) => [keyOf({ ...a, draft }), a]),
    );
    const pct = (100 * report.agreed / report.total).toFixed(2);
    console.log(
      `${draft}: ${report.agreed}/${report.total} agree (${pct}%), ${allowed.size} allow-listed`,
    );
    const unexpected = report.disagreements.filter((d) =>
      !allowed.has(keyOf(d))
    );
    assert.deepEqual(
      unexpected.map((d) =>
        `${keyOf(d)}: expected ${
          d.expected ? "valid" : "invalid"
        }, got ${d.got}`
      ),
      [],
      "disagreements missing from the allow-list",
    );
    const seen = new Set(report.disagreements.map(keyOf));
    const stale = [...allowed.keys()].filter((k) => !seen.has(k));
    assert.deepEqual(
      stale,
      [],
      "allow-listed tests that now agree: remove them from the list",
    );
    assert.ok(report.total > 500, "the suite's tests were found");
    for (const entry of allowed.values()) assert.ok(entry.reason.length > 10);
  });
}
