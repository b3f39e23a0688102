/**
 * What a schema is turned into before Ajv compiles it, and what Ajv's
 * errors are turned into after: the draft's meta-schema URI (or none, for
 * JSONSchemaBench's rules), Ajv's `$async` removed, errors reduced to the
 * failing keyword and paths.
 *
 * @example
 * ```ts
 * import { prepare, withoutAsync } from "./prepare.ts";
 * prepare(withoutAsync({ $async: true, type: "object" }), "draft2020-12", "declared");
 * ```
 * @module
 */
import type { ErrorObject } from "ajv";
import { type Draft, META_SCHEMA_URI } from "./draft.ts";
import { rewriteSchema } from "./schema_rewrite.ts";
import { switchDialects } from "./dialect_switch.ts";
import { markBranchErrors } from "./attribution.ts";
import { DRAFT4_INTEGER } from "./exact_numbers.ts";
import type { ValidationError, ValidationMode } from "./validate.ts";

/**
 * Ajv's errors, reduced to what a report needs (at most `max`).
 *
 * @example
 * ```ts
 * reduceErrors([{ keyword: "type", instancePath: "", schemaPath: "#/type", params: {}, message: "must be integer" }], 20)[0].keyword; // "type"
 * ```
 */
export function reduceErrors(
  errors: ErrorObject[] | null | undefined,
  max: number,
): ValidationError[] {
  const all: ValidationError[] = (errors ?? []).map((e) => {
    const reduced: ValidationError = {
      keyword: e.keyword === DRAFT4_INTEGER ? "type" : e.keyword,
      instance_path: e.instancePath,
      schema_path: e.schemaPath,
      message: e.message ?? e.keyword,
    };
    if (e.keyword === "format" && typeof e.params?.format === "string") {
      reduced.format = e.params.format;
    }
    return reduced;
  });
  markBranchErrors(all);
  if (all.length <= max) return all;
  // Keep the errors that count first, in their order, then branch errors.
  const kept = new Set(all.filter((e) => !e.branch).slice(0, max));
  for (const e of all) if (kept.size < max && e.branch) kept.add(e);
  return all.filter((e) => kept.has(e));
}

/**
 * The schema as Ajv is given it: read as the spec reads it
 * ({@link rewriteSchema}), then under `jsb` without its `$schema`, else
 * with the canonical meta-schema URI of its draft (unless `keepSchema`: a
 * draft forced by the caller, whose `$schema` may name a custom
 * meta-schema).
 *
 * @example
 * ```ts
 * prepare({ type: "string" }, "draft7", "jsb"); // { type: "string" }
 * ```
 */
export function prepare(
  schema: unknown,
  draft: Draft,
  mode: ValidationMode,
  keepSchema = false,
): unknown {
  const rewritten = rewriteSchema(
    mode === "jsb" ? switchDialects(schema) : schema,
    draft,
  );
  if (
    typeof rewritten !== "object" || rewritten === null ||
    Array.isArray(rewritten)
  ) {
    return rewritten;
  }
  const copy = { ...(rewritten as Record<string, unknown>) };
  if (mode === "jsb") delete copy.$schema;
  else if (!keepSchema) copy.$schema = META_SCHEMA_URI[draft];
  return copy;
}

/**
 * A copy of `schema` with every boolean `$async` removed (iteratively):
 * Ajv would otherwise return a promise from the validator.
 *
 * @example
 * ```ts
 * withoutAsync({ $async: true, type: "object" }); // { type: "object" }
 * ```
 */
export function withoutAsync(schema: unknown): unknown {
  const root = { value: schema };
  const stack: [Record<string, unknown>, string][] = [[root, "value"]];
  while (stack.length) {
    const [parent, key] = stack.pop()!;
    const node = parent[key];
    if (node === null || typeof node !== "object") continue;
    // An array is copied as an array and walked by its keys "0", "1", …
    const copy: Record<string, unknown> = Array.isArray(node)
      ? [...node] as unknown as Record<string, unknown>
      : { ...node as Record<string, unknown> };
    if (typeof copy.$async === "boolean") delete copy.$async;
    parent[key] = copy;
    for (const child of Object.keys(copy)) stack.push([copy, child]);
  }
  return root.value;
}
