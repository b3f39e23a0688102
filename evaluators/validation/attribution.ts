/**
 * Which keywords a failed validation is attributed to. With every error
 * collected, a failing `anyOf`/`oneOf` also reports the errors of each of
 * its branches, most of which were never meant to match: those are marked
 * `branch` when the errors are reduced ({@link markBranchErrors}) and left
 * out of the per-keyword counts ({@link errorKeywords}); the `anyOf` or
 * `oneOf` error itself is what failed. A `format` error counts for
 * `format` and for `format:<value>`.
 *
 * @example
 * ```ts
 * import { errorKeywords } from "./attribution.ts";
 * errorKeywords([
 *   { keyword: "type", instance_path: "", schema_path: "#/anyOf/0/type", branch: true },
 *   { keyword: "anyOf", instance_path: "", schema_path: "#/anyOf" },
 * ]); // ["anyOf"]
 * ```
 * @module
 */
import { formatKeyword } from "./keywords.ts";

/** The parts of a validation error that attribution reads. */
export interface AttributedError {
  keyword: string;
  instance_path: string;
  schema_path: string;
  /** A branch of a failing `anyOf`/`oneOf` (not counted against a keyword). */
  branch?: boolean;
  /** The format a `format` error is about. */
  format?: string;
}

const under = (path: string, prefix: string) =>
  prefix === "" || path === prefix || path.startsWith(`${prefix}/`);

/**
 * Marks the branch errors of every failing `anyOf`/`oneOf`, in place: the
 * errors just before it (its branches run last before it reports) under its
 * instance path whose schema path is inside it, or outside its own schema
 * object (reached through a branch's `$ref`). The walk back stops at the
 * first error that is neither.
 *
 * @example
 * ```ts
 * const errors: AttributedError[] = [
 *   { keyword: "required", instance_path: "", schema_path: "#/oneOf/1/required" },
 *   { keyword: "oneOf", instance_path: "", schema_path: "#/oneOf" },
 * ];
 * markBranchErrors(errors)[0].branch; // true
 * ```
 */
export function markBranchErrors<T extends AttributedError>(errors: T[]): T[] {
  for (let j = errors.length - 1; j >= 0; j--) {
    const combinator = errors[j];
    if (combinator.keyword !== "anyOf" && combinator.keyword !== "oneOf") {
      continue;
    }
    const own = combinator.schema_path;
    const node = own.slice(0, own.lastIndexOf("/"));
    for (let i = j - 1; i >= 0; i--) {
      const e = errors[i];
      if (!under(e.instance_path, combinator.instance_path)) break;
      const inside = e.schema_path.startsWith(`${own}/`);
      const elsewhere = !e.schema_path.startsWith(`${node}/`);
      if (!inside && !elsewhere) break;
      e.branch = true;
    }
  }
  return errors;
}

/**
 * The keywords the attributable errors point at, one per error (a `format`
 * error gives `format` and `format:<value>`).
 *
 * @example
 * ```ts
 * errorKeywords([{ keyword: "format", format: "email", instance_path: "", schema_path: "#/format" }]);
 * // ["format", "format:email"]
 * ```
 */
export function errorKeywords(
  errors: readonly Partial<AttributedError>[],
): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (e.branch) continue;
    out.push(e.keyword ?? "?");
    if (e.keyword === "format" && typeof e.format === "string") {
      out.push(formatKeyword(e.format));
    }
  }
  return out;
}
