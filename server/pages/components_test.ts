import assert from "node:assert/strict";
import { ANONYMOUS, canViewRun } from "../auth/access.ts";
import { hashToken } from "../auth/tokens.ts";
import { prettyOutput } from "./case_page.tsx";
import { caseHref, caseListHref } from "./case_list.tsx";
import { Pager } from "./pager.tsx";
import { Sparkline, sparkPoints } from "./sparkline.tsx";
import {
  changedRuns,
  type HistoryPoint,
  historySpec,
  TargetPage,
} from "./target_page.tsx";

Deno.test("sparkline: scaled points and a labelled SVG", async () => {
  assert.deepEqual(sparkPoints([0, 1]), [[2, 18], [78, 2]]);
  assert.deepEqual(sparkPoints([0.5, 0.5]), [[2, 10], [78, 10]]);
  assert.deepEqual(sparkPoints([]), []);
  const svg = String(
    await Sparkline({ values: [0.5, 1], label: "x" })!.toString(),
  );
  assert.match(svg, /<svg class="spark"/);
  assert.match(svg, /aria-label="x: 50\.0%, 100\.0%"/);
  const dash = String(await Sparkline({ values: [1], label: "x" })!.toString());
  assert.ok(!dash.includes("<svg"));
});

Deno.test("pretty output: JSON, fenced JSON, or nothing", () => {
  assert.equal(prettyOutput('{"a":1}'), '{\n  "a": 1\n}');
  assert.equal(prettyOutput('```json\n{"a":1}\n```'), '{\n  "a": 1\n}');
  assert.equal(prettyOutput("not json"), null);
  assert.equal(prettyOutput(null), null);
});

Deno.test("case links encode keys", () => {
  assert.equal(caseHref("r", "a/b c"), "/runs/r/cases/a%2Fb%20c");
  assert.equal(
    caseListHref("r", { outcome: "valid", keyword: "$ref" }, 2),
    "/runs/r?outcome=valid&keyword=%24ref&page=2#cases",
  );
  assert.equal(caseListHref("r", {}), "/runs/r#cases");
});

Deno.test("pager: links only where there is a page", async () => {
  const html = async (page: number, pages: number | null, hasNext = false) => {
    const node = Pager({
      label: "p",
      page,
      pages,
      hasNext,
      href: (n) => `?page=${n}`,
    });
    return node === null ? "" : String(await node.toString());
  };
  assert.equal(await html(1, 1), "");
  assert.match(await html(1, 3), /rel="next"/);
  assert.ok(!(await html(1, 3)).includes('rel="prev"'));
  assert.match(await html(3, 3), /rel="prev"/);
  assert.match(await html(2, null, true), /Page 2/);
});

Deno.test("history: build or model changes, hidden and partial runs off the chart", () => {
  const point = (
    id: string,
    version: string,
    day: number,
    hidden = false,
    partial = false,
  ): HistoryPoint => ({
    runId: id,
    suiteId: "s",
    suiteName: "s",
    suiteVersion: 1,
    engineVersion: version,
    engineModel: "m",
    validation: "declared",
    hidden,
    partial,
    partialReason: partial ? "ran 5 of the suite's 10 cases" : null,
    pairRole: null,
    flags: [],
    empirical: { value: 0.5, low: 0.4, high: 0.6, n: 10 },
    compliance: { value: 0.5, low: 0.4, high: 0.6, n: 10 },
    declared: { value: 1, low: 0.9, high: 1, n: 10 },
    finishedAt: new Date(Date.UTC(2025, 0, day)),
  });
  const points = [
    point("1", "b1", 1),
    point("2", "b1", 2),
    point("3", "b2", 3),
    point("4", "b9", 4, true),
    point("5", "b9", 5, false, true),
  ];
  assert.deepEqual([...changedRuns(points)], ["3", "4"]);
  const spec = historySpec(points);
  assert.equal(spec.x.length, 3);
  assert.deepEqual(spec.series[3].values, [null, null, 0.5]);
});

Deno.test("target page: a target without a model shows the engine's, said so", async () => {
  const target = {
    id: "t",
    name: "llama",
    kind: "llamacpp",
    model: null,
    mode: "json_schema",
    hardware: null,
  };
  const point = (model: string, day: number): HistoryPoint => ({
    runId: String(day),
    suiteId: "s",
    suiteName: "s",
    suiteVersion: 1,
    engineVersion: "b1",
    engineModel: model,
    validation: "declared",
    hidden: false,
    partial: false,
    partialReason: null,
    pairRole: null,
    flags: [],
    empirical: { value: 0.5, low: 0.4, high: 0.6, n: 10 },
    compliance: { value: 0.5, low: 0.4, high: 0.6, n: 10 },
    declared: { value: 1, low: 0.9, high: 1, n: 10 },
    finishedAt: new Date(Date.UTC(2025, 0, day)),
  });
  const html = await TargetPage({
    target,
    history: [point("new.gguf", 3), point("old.gguf", 1)],
  }).toString();
  assert.match(
    html,
    /<dt>Model<\/dt><dd>new\.gguf \(as the engine reports it\)<\/dd>/,
  );
  const none = await TargetPage({ target, history: [] }).toString();
  assert.match(none, /<dt>Model<\/dt><dd>not stated<\/dd>/);
});

Deno.test("access: public runs for all, private ones for owner, admin or link", () => {
  const secret = "shr_secret";
  const run = {
    public: false,
    ownerTokenId: "owner",
    shareTokenHash: hashToken(secret),
  };
  assert.equal(canViewRun({ ...run, public: true }, ANONYMOUS), true);
  assert.equal(canViewRun(run, ANONYMOUS), false);
  assert.equal(canViewRun(run, { ...ANONYMOUS, tokenId: "someone" }), false);
  assert.equal(canViewRun(run, { ...ANONYMOUS, tokenId: "owner" }), true);
  assert.equal(canViewRun(run, { ...ANONYMOUS, admin: true }), true);
  assert.equal(canViewRun(run, { ...ANONYMOUS, shares: [secret] }), true);
  assert.equal(canViewRun(run, { ...ANONYMOUS, shares: ["shr_guess"] }), false);
  assert.equal(
    canViewRun({ ...run, shareTokenHash: null }, {
      ...ANONYMOUS,
      shares: [""],
    }),
    false,
  );
});
