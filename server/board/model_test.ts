import assert from "node:assert/strict";
import type { BoardRow } from "../db/queries/leaderboard.ts";
import {
  boardHref,
  buildBoard,
  parseBoardQuery,
  rankRuns,
  sortEntries,
} from "./model.ts";

function run(
  id: string,
  overrides: Partial<BoardRow> & { low?: number; high?: number } = {},
): BoardRow {
  const { low = 0.4, high = 0.6, ...rest } = overrides;
  return {
    runId: id,
    suiteId: "s1",
    suiteName: "alpha",
    suiteVersion: 1,
    targetId: `t-${id}`,
    targetName: id,
    targetKind: "llamacpp",
    targetModel: null,
    targetMode: "json_schema",
    validation: "declared",
    pairRole: null,
    pairRunId: null,
    engineName: null,
    engineVersion: null,
    engineModel: null,
    engineReasoning: null,
    empirical: { value: (low + high) / 2, low, high, n: 100 },
    compliance: { value: 0.5, low: 0.4, high: 0.6, n: 100 },
    declared: { value: 1, low: 0.9, high: 1, n: 100 },
    accuracy: null,
    ttftP50: null,
    tpotP50: null,
    costUsd: null,
    cases: 100,
    startedAt: null,
    finishedAt: new Date("2025-01-01T00:00:00Z"),
    ...rest,
  };
}

Deno.test("ranks are tie-aware and per suite; cost per 1k cases", () => {
  const entries = rankRuns([
    run("a", { low: 0.8, high: 0.9, costUsd: 0.5 }),
    run("b", { low: 0.75, high: 0.85 }),
    run("c", { low: 0.5, high: 0.6 }),
    run("d", { suiteId: "s2", low: 0.1, high: 0.2, cases: 0, costUsd: 1 }),
  ]);
  const by = Object.fromEntries(entries.map((e) => [e.runId, e]));
  assert.deepEqual([by.a.rank, by.b.rank, by.c.rank, by.d.rank], [1, 1, 3, 1]);
  assert.equal(by.a.costPer1k, 5);
  assert.equal(by.b.costPer1k, null);
  assert.equal(by.d.costPer1k, null); // no cases
});

Deno.test("ranks compare the rows of one suite and validation mode", () => {
  const entries = rankRuns([
    run("a", { low: 0.8, high: 0.9 }),
    run("b", { low: 0.5, high: 0.6 }),
    // The same suite under the paper's validation: ranked apart.
    run("c", { low: 0.1, high: 0.2, validation: "jsb" }),
    run("d", { low: 0.85, high: 0.95, validation: "jsb" }),
  ]);
  const by = Object.fromEntries(entries.map((e) => [e.runId, e.rank]));
  assert.deepEqual(by, { a: 1, b: 2, c: 2, d: 1 });
  const sorted = sortEntries(entries, "rank", "asc").map((e) => e.runId);
  assert.deepEqual(sorted, ["a", "b", "d", "c"]);
});

Deno.test("query parsing: defaults by column, bad values fall back", () => {
  assert.deepEqual(parseBoardQuery({}), {
    suite: undefined,
    validation: undefined,
    kind: undefined,
    mode: undefined,
    sort: "rank",
    dir: "asc",
    page: 1,
    perPage: 50,
  });
  assert.equal(parseBoardQuery({ sort: "ttft" }).dir, "asc");
  assert.equal(parseBoardQuery({ sort: "cost" }).dir, "asc");
  assert.equal(parseBoardQuery({ sort: "empirical" }).dir, "desc");
  assert.equal(parseBoardQuery({ sort: "finished" }).dir, "desc");
  assert.equal(parseBoardQuery({ sort: "ttft", dir: "desc" }).dir, "desc");
  assert.equal(parseBoardQuery({ sort: "__proto__" }).sort, "rank");
  assert.equal(parseBoardQuery({ dir: "sideways" }).dir, "asc");
  assert.equal(parseBoardQuery({ page: "-3" }).page, 1);
  assert.equal(parseBoardQuery({ page: "2.5" }).page, 1);
  assert.equal(parseBoardQuery({ per_page: "5000" }).perPage, 200);
});

Deno.test("hrefs keep state and leave defaults out", () => {
  const q = parseBoardQuery({ kind: "openai", sort: "tpot" });
  assert.equal(boardHref(parseBoardQuery({})), "/");
  assert.equal(boardHref(q), "/?kind=openai&sort=tpot&dir=asc");
  assert.equal(
    boardHref(q, { page: 3 }),
    "/?kind=openai&sort=tpot&dir=asc&page=3",
  );
  assert.equal(
    boardHref(q, {}, "/api/leaderboard.csv"),
    "/api/leaderboard.csv?kind=openai&sort=tpot&dir=asc",
  );
});

Deno.test("sorting: both directions, missing values last", () => {
  const entries = rankRuns([
    run("slow", { ttftP50: 90 }),
    run("none"),
    run("fast", { ttftP50: 10 }),
    run("mid", { ttftP50: 50 }),
  ]);
  const names = (sort: "ttft", dir: "asc" | "desc") =>
    sortEntries(entries, sort, dir).map((e) => e.runId);
  assert.deepEqual(names("ttft", "asc"), ["fast", "mid", "slow", "none"]);
  assert.deepEqual(names("ttft", "desc"), ["slow", "mid", "fast", "none"]);
});

Deno.test("rank order keeps suites together", () => {
  const entries = rankRuns([
    run("b1", { suiteId: "b", suiteName: "beta", low: 0.1, high: 0.2 }),
    run("a2", { suiteId: "a", suiteName: "alpha", low: 0.1, high: 0.2 }),
    run("a1", { suiteId: "a", suiteName: "alpha", low: 0.8, high: 0.9 }),
  ]);
  assert.deepEqual(
    sortEntries(entries, "rank", "asc").map((e) => e.runId),
    ["a1", "a2", "b1"],
  );
});

Deno.test("filters, pages and filter choices", () => {
  const runs = [
    run("x", { targetKind: "openai" }),
    run("y", { targetMode: "prompt_only" }),
    run("z", { suiteId: "s2", suiteName: "beta", suiteVersion: 2 }),
  ];
  const only = (params: Record<string, string>) =>
    buildBoard(runs, parseBoardQuery(params)).rows.map((e) => e.runId);
  assert.deepEqual(only({ kind: "openai" }), ["x"]);
  assert.deepEqual(only({ mode: "prompt_only" }), ["y"]);
  assert.deepEqual(only({ suite: "s2" }), ["z"]);
  const paged = buildBoard(runs, parseBoardQuery({ per_page: "2", page: "2" }));
  assert.equal(paged.pages, 2);
  assert.equal(paged.items.length, 1);
  assert.equal(paged.rows.length, 3);
  const clamped = buildBoard(
    runs,
    parseBoardQuery({ per_page: "2", page: "7" }),
  );
  assert.equal(clamped.page, 2);
  const { options } = buildBoard(runs, parseBoardQuery({ kind: "openai" }));
  assert.deepEqual(options.kinds, ["llamacpp", "openai"]);
  assert.deepEqual(options.modes, ["json_schema", "prompt_only"]);
  assert.deepEqual(options.suites, [
    { id: "s1", label: "alpha v1" },
    { id: "s2", label: "beta v2" },
  ]);
});
