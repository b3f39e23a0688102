/**
 * The cases of a suite whose schema our validator cannot read: not a valid
 * schema, a `$ref` that resolves nowhere, a pattern RE2 cannot run, a
 * `$ref` loop, a compile over its time. Such suites are kept (JSONSchemaBench
 * has such schemas, and an engine may still answer them), but whoever
 * stores one is told which cases, so no score surprises them later.
 *
 * @example
 * ```ts
 * import { schemaWarnings } from "./schema_warnings.ts";
 * import { ValidationPool } from "./pool.ts";
 * const pool = new ValidationPool();
 * const warnings = await schemaWarnings(pool.forMode("declared"), [
 *   { key: "a", schema: { $ref: "#/nowhere" }, draft: "draft2020-12" },
 * ]);
 * warnings[0].kind; // "unresolvable_ref"
 * pool.close();
 * ```
 * @module
 */
import type { Draft } from "./draft.ts";
import type { NotCompiled } from "./validate.ts";

/** One case whose schema cannot be read, as the API and the CLI show it. */
export interface SchemaWarning {
  /** Where the case is: `/cases/<index>` of the body, with its key. */
  path: string;
  key: string;
  /**
   * `invalid_schema`, `unresolvable_ref`, `unsupported_pattern`,
   * `ref_cycle`, `compile_timeout`, …
   */
  kind: string;
  message: string;
}

/** What {@link schemaWarnings} compiles with (a pool's, or a validator's). */
export interface SchemaCompiler {
  compile(
    schema: unknown,
    options?: { draft?: Draft },
  ): Promise<{ ok: true } | NotCompiled> | { ok: true } | NotCompiled;
}

/** A case as {@link schemaWarnings} reads it. */
export interface WarnedCase {
  key: string;
  schema: unknown;
  draft: string;
}

/** Warnings listed at most; the count of the rest is said in one more. */
export const MAX_WARNINGS = 200;

/** Ajv's words for a `$ref` it cannot resolve. */
const UNRESOLVED = /can't resolve reference|missing ?ref/i;

/**
 * One warning per case whose schema does not compile, in case order (at
 * most {@link MAX_WARNINGS}, then one that counts the rest).
 *
 * @example
 * ```ts
 * import type { SchemaCompiler } from "./schema_warnings.ts";
 * declare const compiler: SchemaCompiler;
 * const warnings = await schemaWarnings(compiler, [{ key: "a", schema: { type: 12 }, draft: "draft7" }]);
 * warnings.map((w) => `${w.path} ${w.kind}`); // ["/cases/0 invalid_schema"]
 * ```
 */
export async function schemaWarnings(
  compiler: SchemaCompiler,
  cases: readonly WarnedCase[],
): Promise<SchemaWarning[]> {
  const verdicts = await Promise.all(
    cases.map((c) =>
      Promise.resolve(compiler.compile(c.schema, { draft: c.draft as Draft }))
    ),
  );
  const warnings: SchemaWarning[] = [];
  let more = 0;
  for (const [i, verdict] of verdicts.entries()) {
    if (verdict.ok) continue;
    if (warnings.length >= MAX_WARNINGS) {
      more++;
      continue;
    }
    const kind = verdict.kind === "invalid_schema" &&
        UNRESOLVED.test(verdict.reason)
      ? "unresolvable_ref"
      : verdict.kind;
    warnings.push({
      path: `/cases/${i}`,
      key: cases[i].key,
      kind,
      message: `case "${cases[i].key}": ${verdict.reason.slice(0, 300)}`,
    });
  }
  if (more) {
    warnings.push({
      path: "/cases",
      key: "",
      kind: "more",
      message: `${more} more cases whose schema cannot be read`,
    });
  }
  return warnings;
}
