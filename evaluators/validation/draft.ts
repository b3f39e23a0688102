/**
 * Which JSON Schema draft a schema is written in: the one its `$schema`
 * declares, or, when it declares none (or one we do not know), 2020-12
 * unless it unmistakably uses an older draft's syntax. An inference is
 * always recorded in `note`.
 *
 * @example
 * ```ts
 * import { detectDraft } from "./draft.ts";
 * detectDraft({ $schema: "http://json-schema.org/draft-07/schema#" }).draft; // "draft7"
 * detectDraft({ exclusiveMinimum: true, minimum: 0 }).draft; // "draft4" (inferred)
 * detectDraft({ id: "x", type: "object" }).draft; // "draft2020-12": an id alone says nothing
 * ```
 * @module
 */
import { walkSchema } from "./keywords.ts";

/** The drafts the validator implements. */
export type Draft =
  | "draft4"
  | "draft6"
  | "draft7"
  | "draft2019-09"
  | "draft2020-12";

/** Every draft, oldest first. */
export const DRAFTS: readonly Draft[] = [
  "draft4",
  "draft6",
  "draft7",
  "draft2019-09",
  "draft2020-12",
];

/** The canonical meta-schema URI of each draft. */
export const META_SCHEMA_URI: Record<Draft, string> = {
  "draft4": "http://json-schema.org/draft-04/schema#",
  "draft6": "http://json-schema.org/draft-06/schema#",
  "draft7": "http://json-schema.org/draft-07/schema#",
  "draft2019-09": "https://json-schema.org/draft/2019-09/schema",
  "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
};

/** The draft picked for a schema, and how it was picked. */
export interface DraftInfo {
  draft: Draft;
  /** `$schema` as written, or null. */
  declared: string | null;
  /** Why the draft was inferred; null when `$schema` decided it. */
  note: string | null;
}

const DECLARED: [RegExp, Draft][] = [
  [/^https?:\/\/json-schema\.org\/draft-03\/schema#?$/, "draft4"],
  [/^https?:\/\/json-schema\.org\/draft-04\/schema#?$/, "draft4"],
  [/^https?:\/\/json-schema\.org\/draft-06\/schema#?$/, "draft6"],
  [/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/, "draft7"],
  [/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, "draft2019-09"],
  [/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, "draft2020-12"],
];

/**
 * The draft a `$schema` URI names, or null for one we do not know.
 *
 * @example
 * ```ts
 * declaredDraft("http://json-schema.org/draft-07/schema#"); // "draft7"
 * declaredDraft("https://example.com/custom"); // null
 * ```
 */
export function declaredDraft(uri: string): Draft | null {
  const trimmed = uri.trim();
  for (const [pattern, draft] of DECLARED) {
    if (pattern.test(trimmed)) return draft;
  }
  return null;
}

/**
 * Finds syntax that is invalid in 2020-12 and that an older draft allows;
 * returns the draft and why. An `id` is not such syntax (in 2020-12 it is
 * an unknown keyword), nor is `dependencies` (unknown in 2020-12, so
 * ignored there, as Python's `jsonschema` reads an undeclared schema).
 */
function olderSyntax(schema: unknown): { draft: Draft; why: string } | null {
  let draft4: string | null = null;
  let draft2019: string | null = null;
  walkSchema(schema, ({ node, pointer }) => {
    if (draft4) return;
    const at = pointer || "the root";
    if (
      typeof node.exclusiveMaximum === "boolean" ||
      typeof node.exclusiveMinimum === "boolean"
    ) {
      draft4 = `uses a boolean exclusiveMaximum/exclusiveMinimum at ${at}`;
    } else if (!draft2019 && Array.isArray(node.items)) {
      draft2019 = `uses the array form of "items" at ${at}`;
    }
  });
  if (draft4) return { draft: "draft4", why: draft4 };
  // The newest draft with the array form: otherwise read as 2020-12 reads
  // (keywords beside "$ref" apply, "dependencies" is unknown).
  if (draft2019) return { draft: "draft2019-09", why: draft2019 };
  return null;
}

/**
 * Picks the draft for `schema`.
 *
 * @example
 * ```ts
 * detectDraft({ type: "string" });
 * // { draft: "draft2020-12", declared: null, note: "no $schema: 2020-12" }
 * ```
 */
export function detectDraft(schema: unknown): DraftInfo {
  const raw = typeof schema === "object" && schema !== null
    ? (schema as Record<string, unknown>).$schema
    : undefined;
  const declared = typeof raw === "string" ? raw : null;
  if (declared !== null) {
    const trimmed = declared.trim();
    for (const [pattern, draft] of DECLARED) {
      if (pattern.test(trimmed)) {
        const note = trimmed.includes("draft-03")
          ? "declares draft-03, validated as draft-04"
          : null;
        return { draft, declared, note };
      }
    }
  }
  const prefix = declared === null
    ? "no $schema"
    : `unrecognised $schema "${declared.slice(0, 200)}"`;
  const older = olderSyntax(schema);
  if (older) {
    const name = older.draft === "draft4" ? "draft-04" : "2019-09";
    return {
      draft: older.draft,
      declared,
      note: `${prefix}; ${older.why}: ${name}`,
    };
  }
  return { draft: "draft2020-12", declared, note: `${prefix}: 2020-12` };
}
