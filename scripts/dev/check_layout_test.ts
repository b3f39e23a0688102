import assert from "node:assert/strict";
import {
  checkLayout,
  importRule,
  importSpecifiers,
  MAX_LINES,
  resolveSpecifier,
} from "./check_layout.ts";

Deno.test("importRule: imports against the data flow break a rule", () => {
  const broken: [string, string][] = [
    ["evaluators/quality/answer.ts", "datasets/quality/task.ts"],
    ["evaluators/run_case.ts", "server/db/client.ts"],
    ["evaluators/targets/llamacpp_test.ts", "scripts/dev/llama.ts"],
    ["datasets/jsonschemabench.ts", "server/suites/prepare.ts"],
    ["datasets/fetch_json.ts", "scripts/import.ts"],
    ["datasets/a_test.ts", "server/testing/database.ts"],
    ["server/app.ts", "scripts/dev/llama.ts"],
    ["server/pages/case_page.tsx", "server/db/queries/run_cases.ts"],
    ["server/db/queries/runs.ts", "server/board/cache.ts"],
    ["server/routes/pages.ts", "server/routes/compare.ts"],
    ["server/routes/pages/board.ts", "server/routes/runs.ts"],
  ];
  for (const [file, target] of broken) {
    assert.ok(importRule(file, target), `${file} → ${target}`);
  }
});

Deno.test("importRule: imports that follow the data flow keep the rules", () => {
  const clean: [string, string][] = [
    ["datasets/quality/task.ts", "evaluators/quality/answer.ts"],
    ["server/routes/runs.ts", "evaluators/run_case.ts"],
    ["server/routes/runs.ts", "server/db/queries/runs.ts"],
    ["server/routes/runs.ts", "server/board/cache.ts"],
    ["server/pages/leaderboard_page.tsx", "server/board/model.ts"],
    ["server/db/queries/runs.ts", "server/db/schema.ts"],
    ["server/routes/pages.ts", "server/routes/pages/board.ts"],
    ["server/routes/downloads_test.ts", "server/routes/downloads.ts"],
    ["scripts/import.ts", "server/db/queries/suites.ts"],
    ["server/routes/runs_test.ts", "server/testing/database.ts"],
    ["server/routes/runs_test.ts", "evaluators/targets/testing/recorded.ts"],
  ];
  for (const [file, target] of clean) {
    assert.equal(importRule(file, target), undefined, `${file} → ${target}`);
  }
});

Deno.test("importSpecifiers: static, re-export, side-effect and dynamic imports; comments skipped", () => {
  const source = [
    'import assert from "node:assert/strict";',
    "import {",
    "  a,",
    "  type B,",
    '} from "./a.ts";',
    'import type { C } from "../c.ts";',
    'export { d } from "./d.ts";',
    'export * from "./e.ts";',
    'import "./side.ts";',
    'const { f } = await import("./f.ts");',
    "/**",
    ' * import { g } from "./g.ts";',
    " */",
    '// import { h } from "./h.ts";',
    'export const x = "import y from z";',
  ].join("\n");
  assert.deepEqual(importSpecifiers(source), [
    "node:assert/strict",
    "./a.ts",
    "../c.ts",
    "./d.ts",
    "./e.ts",
    "./side.ts",
    "./f.ts",
  ]);
});

Deno.test("resolveSpecifier: relative specifiers resolve, others do not", () => {
  assert.equal(
    resolveSpecifier("server/routes/runs.ts", "../db/client.ts"),
    "server/db/client.ts",
  );
  assert.equal(
    resolveSpecifier("evaluators/quality/answer.ts", "./task.ts"),
    "evaluators/quality/task.ts",
  );
  assert.equal(resolveSpecifier("server/app.ts", "hono"), undefined);
  assert.equal(resolveSpecifier("server/app.ts", "npm:hono"), undefined);
  assert.equal(resolveSpecifier("server/app.ts", "../../x.ts"), undefined);
});

Deno.test("checkLayout: a violating tree is reported, a clean one is not", () => {
  const long = "const x = 1;\n".repeat(MAX_LINES + 1);
  const violating = new Map([
    [
      "evaluators/run_case.ts",
      'import { t } from "../datasets/quality/task.ts";\n',
    ],
    [
      "server/db/queries/runs.ts",
      'import { boardChanged } from "../../board/cache.ts";\n',
    ],
    ["server/routes/big.ts", long],
    ["server/routes/big_test.ts", long],
    ["migrations/big.ts", long],
  ]);
  const found = checkLayout(violating);
  assert.deepEqual(found.violations.map((v) => [v.file, v.specifier]), [
    ["evaluators/run_case.ts", "../datasets/quality/task.ts"],
    ["server/db/queries/runs.ts", "../../board/cache.ts"],
  ]);
  assert.deepEqual(found.oversized, [
    { file: "server/routes/big.ts", lines: MAX_LINES + 1 },
  ]);

  const clean = new Map([
    [
      "datasets/quality/task.ts",
      'import type { A } from "../../evaluators/quality/answer.ts";\n',
    ],
    [
      "server/routes/runs.ts",
      'import { boardChanged } from "../board/cache.ts";\n',
    ],
    ["server/routes/ok.ts", "const x = 1;\n".repeat(MAX_LINES)],
  ]);
  assert.deepEqual(checkLayout(clean), { violations: [], oversized: [] });
});
