/**
 * Compiles every schema of a JSONSchemaBench-format directory with the
 * project's validator and reports how many compile, how many are invalid
 * and why, with compile-time percentiles. A check on real-world schemas.
 *
 * ```sh
 * deno run -A scripts/compile_sweep.ts DIR [--mode declared|jsb]
 * ```
 *
 * @example
 * ```sh
 * deno run -A scripts/compile_sweep.ts ../shared/datasets/jsonschemabench
 * ```
 * @module
 */
import { readSubsetDir } from "../datasets/jsonschemabench.ts";
import {
  SchemaValidator,
  type ValidationMode,
} from "../evaluators/validate.ts";

const dir = Deno.args[0];
if (!dir) {
  console.error("usage: compile_sweep.ts DIR [--mode declared|jsb]");
  Deno.exit(2);
}
const mode: ValidationMode = Deno.args.includes("jsb") ? "jsb" : "declared";
const validator = new SchemaValidator({ mode, cacheSize: 10 });
const times: number[] = [];
const failures = new Map<string, number>();
const drafts = new Map<string, number>();
let ok = 0;
let total = 0;
const started = performance.now();
for (const file of await readSubsetDir(dir)) {
  for (const c of file.cases) {
    total++;
    const result = validator.compile(c.schema);
    times.push(result.compileMs);
    const draftKey = `${result.draft.draft}${
      result.draft.note ? " (inferred)" : ""
    }`;
    drafts.set(draftKey, (drafts.get(draftKey) ?? 0) + 1);
    if (result.ok) ok++;
    else {
      const reason = `${result.kind}: ${
        result.reason.replace(/"[^"]*"/g, '"…"').replace(/#\/[^ ]*/g, "#/…")
          .slice(0, 90)
      }`;
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
    }
  }
}
times.sort((a, b) => a - b);
const q = (p: number) =>
  times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
console.log(
  `mode ${mode}: ${ok}/${total} compile in ${
    ((performance.now() - started) / 1000).toFixed(1)
  } s`,
);
console.log(
  `compile ms p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${
    times[times.length - 1].toFixed(0)
  }`,
);
console.log(
  "drafts:",
  Object.fromEntries([...drafts].sort((a, b) => b[1] - a[1])),
);
for (const [reason, n] of [...failures].sort((a, b) => b[1] - a[1])) {
  console.log(`${String(n).padStart(5)}  ${reason}`);
}
