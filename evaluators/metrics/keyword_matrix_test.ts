import assert from "node:assert/strict";
import {
  cellVerdict,
  DEFAULT_KEYWORD_THRESHOLDS as T,
  keywordGroup,
  type KeywordResult,
  tallyKeywords,
} from "./keyword_matrix.ts";
import { schemaKeywords } from "../validation/keywords.ts";

const r = (
  outcome: string | null,
  keywords: string[],
  failing: string[] | null = null,
  sent: string[] | null = null,
): KeywordResult => ({
  outcome,
  keywords,
  failingKeywords: failing,
  sentKeywords: sent,
});

Deno.test("tally: counted, valid, refused, violated at the keyword, adapted", () => {
  const t = tallyKeywords([
    r("valid", ["type", "minimum"]),
    r("schema_violation", ["type", "minimum"], ["minimum"]),
    r("schema_violation", ["type", "minimum"], ["type"]),
    r("unsupported_schema", ["type", "minimum"]),
    r("infra_error", ["type", "minimum"]),
    r(null, ["type", "minimum"]),
    r("valid", ["type", "minimum"], null, ["type"]),
  ]);
  assert.deepEqual(t.minimum, {
    cases: 7,
    e: 5,
    valid: 2,
    unsupported: 1,
    violations: 1,
    adapted: 1,
  });
  assert.equal(t.type.violations, 1);
  assert.equal(t.type.adapted, 0);
  // A format value's violations are its case's `format` errors.
  const f = tallyKeywords([
    r("schema_violation", ["format", "format:email"], ["format"]),
  ]);
  assert.equal(f["format:email"].violations, 1);
});

Deno.test("verdict: refused, adapted, unsound, coverage; prompt_only coverage only", () => {
  const base = {
    cases: 10,
    e: 10,
    valid: 5,
    unsupported: 0,
    violations: 0,
    adapted: 0,
  };
  assert.equal(
    cellVerdict({ ...base, unsupported: 5 }, "json_schema", T).state,
    "refused",
  );
  assert.equal(
    cellVerdict({ ...base, unsupported: 4 }, "json_schema", T).state,
    "coverage",
  );
  assert.equal(
    cellVerdict({ ...base, adapted: 5 }, "json_schema", T).state,
    "adapted",
  );
  assert.equal(
    cellVerdict({ ...base, violations: 2 }, "json_schema", T).state,
    "unsound",
  );
  // One violation is below the count, however large its share.
  assert.equal(
    cellVerdict(
      { ...base, cases: 1, e: 1, valid: 0, violations: 1 },
      "json_schema",
      T,
    )
      .state,
    "coverage",
  );
  // Two among 100 cases is below 5%.
  assert.equal(
    cellVerdict(
      { ...base, cases: 100, e: 100, violations: 2 },
      "json_schema",
      T,
    ).state,
    "coverage",
  );
  // prompt_only does not constrain: never refused, adapted or unsound.
  for (const t of [{ ...base, unsupported: 9 }, { ...base, violations: 9 }]) {
    assert.equal(cellVerdict(t, "prompt_only", T).state, "coverage");
  }
  const v = cellVerdict(base, "json_object", T);
  assert.equal(v.coverage.value, 0.5);
  assert.equal(v.coverage.n, 10);
  // The settings move the bars.
  assert.equal(
    cellVerdict({ ...base, violations: 2 }, "json_schema", {
      ...T,
      unsoundMinCases: 3,
    })
      .state,
    "coverage",
  );
});

Deno.test("groups as the spec groups keywords; a row per format value", () => {
  assert.equal(keywordGroup("oneOf"), "applicators");
  assert.equal(keywordGroup("multipleOf"), "validation");
  assert.equal(keywordGroup("format:uuid"), "formats");
  assert.equal(keywordGroup("$ref"), "references");
  assert.equal(keywordGroup("title"), "annotations and other");
  // One keyword per format value, a long one cut at 64 characters.
  assert.deepEqual(
    schemaKeywords({
      properties: { a: { format: "email" }, b: { format: "x".repeat(65) } },
    }),
    ["format", "format:email", `format:${"x".repeat(64)}`, "properties"],
  );
});
