/**
 * The JSONSchemaBench cases `deno task bench` uses, read from the shared
 * read-only copy (`../shared/datasets/jsonschemabench`, or `SHARED_DIR`):
 * all of them in file order, or an evenly spaced sample across every
 * subset. Keys are `<Subset>/<unique_id>`, unique across subsets.
 *
 * @example
 * ```ts
 * import { benchDatasetDir, readBenchCases, sampleCases } from "./cases.ts";
 * const all = await readBenchCases(benchDatasetDir());
 * const cases = sampleCases(all, 200); // 200 cases from all ten subsets
 * ```
 * @module
 */
import { readSubsetDir } from "../../datasets/jsonschemabench.ts";

/**
 * One case: the key, the subset, the schema as parsed from its line.
 *
 * @example
 * ```ts
 * const c: BenchCase = { key: "Glaiveai2K/x1", subset: "Glaiveai2K", schema: {} };
 * ```
 */
export interface BenchCase {
  key: string;
  subset: string;
  schema: unknown;
}

/**
 * Schemas that crash the engine rather than get an answer (llama.cpp
 * b11669 aborts on this self-recursive `allOf`): left out of the engine
 * runs so one schema cannot stop the bench. Validation and ingest keep
 * them.
 *
 * @example
 * ```ts
 * ENGINE_CRASHERS.includes("Github_easy/o17683"); // true
 * ```
 */
export const ENGINE_CRASHERS: readonly string[] = ["Github_easy/o17683"];

/**
 * Whether the harness itself cannot run the schema yet: a root
 * `"$async": true` makes Ajv's validator return a promise, which
 * `evaluators/validation/validate.ts` reads as "valid" and whose rejection ends the
 * server process (5 schemas of the 7,553; reported, to be fixed there).
 * Left out of the runs, kept in validation and ingest.
 *
 * @example
 * ```ts
 * crashesHarness({ $async: true }); // true
 * ```
 */
export function crashesHarness(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null &&
    (schema as Record<string, unknown>).$async === true;
}

/**
 * Whether the server refuses to store the schema: a NUL character or a
 * lone surrogate in one of its strings (PostgreSQL cannot store them). Left
 * out of the suites the bench posts; the ingest figure counts the subsets
 * refused for them.
 *
 * @example
 * ```ts
 * unstorable({ pattern: "a\u0000" }); // true
 * ```
 */
export function unstorable(schema: unknown): boolean {
  const text = JSON.stringify(schema);
  return text.includes("\\u0000") || !text.isWellFormed();
}

/**
 * The dataset folder: `$SHARED_DIR/datasets/jsonschemabench`, default
 * `../shared/...` relative to the repository root.
 *
 * @example
 * ```ts
 * benchDatasetDir(); // "<repo>/../shared/datasets/jsonschemabench"
 * ```
 */
export function benchDatasetDir(): string {
  const repo = decodeURIComponent(new URL("../../", import.meta.url).pathname);
  const shared = Deno.env.get("SHARED_DIR") ?? `${repo}../shared`;
  return `${shared}/datasets/jsonschemabench`;
}

/**
 * Every case of every subset file, in file order.
 *
 * @example
 * ```ts
 * declare const dir: string;
 * (await readBenchCases(dir)).length; // 7553
 * ```
 */
export async function readBenchCases(dir: string): Promise<BenchCase[]> {
  const out: BenchCase[] = [];
  for (const file of await readSubsetDir(dir)) {
    for (const c of file.cases) {
      out.push({
        key: `${file.subset}/${c.key}`,
        subset: file.subset,
        schema: c.schema,
      });
    }
  }
  return out;
}

/**
 * `n` cases spread evenly over `all` (every subset in proportion),
 * without the {@link ENGINE_CRASHERS} and the schemas that crash the
 * harness ({@link crashesHarness}); all of them when `n` is larger.
 *
 * @example
 * ```ts
 * import type { BenchCase } from "./cases.ts";
 * declare const all: BenchCase[];
 * sampleCases(all, 50).length; // 50
 * ```
 */
export function sampleCases(all: readonly BenchCase[], n: number): BenchCase[] {
  const usable = all.filter((c) =>
    !ENGINE_CRASHERS.includes(c.key) && !crashesHarness(c.schema) &&
    !unstorable(c.schema)
  );
  if (n >= usable.length) return [...usable];
  return Array.from(
    { length: n },
    (_, i) => usable[Math.floor(i * usable.length / n)],
  );
}

/**
 * The body of `POST /api/suites` for these cases.
 *
 * @example
 * ```ts
 * import type { BenchCase } from "./cases.ts";
 * declare const cases: BenchCase[];
 * suiteBody("bench/sample-200", cases).cases[0].subset; // "Github_easy"
 * ```
 */
export function suiteBody(name: string, cases: readonly BenchCase[]) {
  return {
    name,
    cases: cases.map((c) => ({
      key: c.key,
      subset: c.subset,
      schema: c.schema,
    })),
  };
}
