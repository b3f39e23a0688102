import assert from "node:assert/strict";
import type { BoardRow } from "../db/queries/leaderboard.ts";
import { parseBoardQuery, rankRuns } from "./model.ts";
import { ALL_SUITES, groupBySuite, resolveBoardView } from "./view.ts";

function row(
  id: string,
  suite: [string, string, number],
  validation = "declared",
): BoardRow {
  const [suiteId, suiteName, suiteVersion] = suite;
  const p = { value: 0.5, low: 0.4, high: 0.6, n: 10 };
  return {
    runId: id,
    suiteId,
    suiteName,
    suiteVersion,
    targetId: `t-${id}`,
    targetName: id,
    targetKind: "llamacpp",
    targetModel: null,
    targetMode: "json_schema",
    validation,
    pairRole: null,
    pairRunId: null,
    engineName: null,
    engineVersion: null,
    engineModel: null,
    engineReasoning: null,
    empirical: p,
    compliance: p,
    declared: p,
    accuracy: null,
    ttftP50: null,
    tpotP50: null,
    costUsd: null,
    cases: 10,
    startedAt: null,
    finishedAt: new Date("2025-01-01T00:00:00Z"),
  };
}

const TOY: [string, string, number] = ["s-toy", "toy", 1];
const BIG: [string, string, number] = ["s-big", "Github_medium", 1];

Deno.test("board view: the suite with the most rows, declared validation", () => {
  const rows = [
    row("a", TOY),
    row("b", BIG),
    row("c", BIG),
    row("d", TOY, "jsb"),
    row("e", TOY, "jsb"),
  ];
  const view = resolveBoardView(rows, parseBoardQuery({}));
  // Counted within the chosen validation mode: toy's jsb rows do not count.
  assert.equal(view.validation, "declared");
  assert.equal(view.suite, "s-big");
  // Asked for jsb: toy is the suite with most jsb rows.
  const jsb = resolveBoardView(rows, parseBoardQuery({ validation: "jsb" }));
  assert.equal(jsb.suite, "s-toy");
  // A suite in the URL is kept, `all` too.
  assert.equal(
    resolveBoardView(rows, parseBoardQuery({ suite: "s-toy" })).suite,
    "s-toy",
  );
  assert.equal(
    resolveBoardView(rows, parseBoardQuery({ suite: ALL_SUITES })).suite,
    ALL_SUITES,
  );
  // Ties go by name; only jsb rows: jsb.
  const tie = resolveBoardView(
    [row("x", TOY), row("y", BIG)],
    parseBoardQuery({}),
  );
  assert.equal(tie.suite, "s-big");
  const only = resolveBoardView([row("z", TOY, "jsb")], parseBoardQuery({}));
  assert.equal(only.validation, "jsb");
  assert.equal(only.suite, "s-toy");
  // Nothing stored: declared, no suite.
  const empty = resolveBoardView([], parseBoardQuery({}));
  assert.equal(empty.validation, "declared");
  assert.equal(empty.suite, undefined);
});

Deno.test("board view: every suite grouped, one group per suite and mode", () => {
  const entries = rankRuns([
    row("a", TOY),
    row("b", BIG),
    row("c", TOY),
    row("d", TOY, "jsb"),
  ]);
  const groups = groupBySuite(entries);
  assert.deepEqual(
    groups.map((
      g,
    ) => [g.suiteName, g.validation, g.entries.map((e) => e.runId)]),
    [["toy", "declared", ["a", "c"]], ["Github_medium", "declared", ["b"]], [
      "toy",
      "jsb",
      ["d"],
    ]],
  );
  // Ranks are within a group: every row is rank 1 of its own.
  assert.ok(entries.every((e) => e.rank === 1));
});
