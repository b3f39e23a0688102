/**
 * The references in a schema that leave it: each `$ref`, `$dynamicRef` and
 * `$recursiveRef` whose target document is not the schema itself nor one of
 * the resources it embeds (subschemas with an `$id`, or `id` in draft 4),
 * and each `$schema`. References are resolved against the base URI in
 * force where they stand, following the draft's rules: in drafts 4 to 7 a
 * `$ref` makes its siblings, `$id` included, ignored.
 *
 * @example
 * ```ts
 * import { externalReferences } from "./external_refs.ts";
 * externalReferences({ $id: "http://localhost:1234/a.json", $ref: "b.json" }, "draft2020-12");
 * // [{ keyword: "$ref", pointer: "", ref: "b.json", resolved: "http://localhost:1234/b.json" }]
 * ```
 * @module
 */
import type { Draft } from "../evaluators/validation/draft.ts";
import { walkSchema } from "../evaluators/validation/keywords.ts";

/**
 * One reference that leaves the schema.
 *
 * @example
 * ```ts
 * const ref: ExternalReference = { keyword: "$ref", pointer: "/items", ref: "x.json", resolved: "http://localhost:1234/x.json" };
 * ```
 */
export interface ExternalReference {
  /** `$ref`, `$dynamicRef`, `$recursiveRef` or `$schema`. */
  keyword: string;
  /** JSON Pointer of the schema object holding it. */
  pointer: string;
  /** As written. */
  ref: string;
  /** Absolute, fragment kept; null when it cannot be resolved. */
  resolved: string | null;
}

/** The base of a schema with no `$id`: a name nothing else can have. */
const ROOT = "https://root.invalid/schema.json";

const REFS = ["$ref", "$dynamicRef", "$recursiveRef"];

function resolve(ref: string, base: string): URL | null {
  try {
    return new URL(ref, base);
  } catch {
    return null;
  }
}

function documentOf(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = "";
  return copy.href;
}

/**
 * Lists the references of `schema` (read as `draft`) that point outside it.
 *
 * @example
 * ```ts
 * externalReferences({ $defs: { a: { type: "string" } }, $ref: "#/$defs/a" }, "draft2020-12"); // []
 * ```
 */
export function externalReferences(
  schema: unknown,
  draft: Draft,
): ExternalReference[] {
  const idKeyword = draft === "draft4" ? "id" : "$id";
  const refSilencesSiblings = draft === "draft4" || draft === "draft6" ||
    draft === "draft7";
  const baseAt = new Map<string, string>();
  const embedded = new Set<string>([ROOT]);
  const found: {
    keyword: string;
    pointer: string;
    ref: string;
    base: string;
  }[] = [];
  walkSchema(schema, ({ node, pointer }) => {
    // Parents are visited before their children: the nearest one's base.
    const tokens = pointer.split("/");
    let base = ROOT;
    for (let k = tokens.length - 1; k >= 1; k--) {
      const parent = baseAt.get(tokens.slice(0, k).join("/"));
      if (parent !== undefined) {
        base = parent;
        break;
      }
    }
    const id = node[idKeyword];
    const silenced = refSilencesSiblings && typeof node.$ref === "string";
    if (typeof id === "string" && !silenced) {
      const url = resolve(id, base);
      if (url) {
        base = documentOf(url);
        embedded.add(base);
      }
    }
    baseAt.set(pointer, base);
    for (const keyword of REFS) {
      const ref = node[keyword];
      if (typeof ref === "string") found.push({ keyword, pointer, ref, base });
    }
    if (typeof node.$schema === "string") {
      found.push({ keyword: "$schema", pointer, ref: node.$schema, base });
    }
  });
  const external: ExternalReference[] = [];
  for (const { keyword, pointer, ref, base } of found) {
    const url = resolve(ref, base);
    if (keyword !== "$schema" && url && embedded.has(documentOf(url))) continue;
    external.push({ keyword, pointer, ref, resolved: url ? url.href : null });
  }
  return external;
}
