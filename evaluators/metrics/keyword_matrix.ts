/**
 * The keyword × engine matrix: per JSON Schema keyword, what one run did
 * with the cases whose schema uses it, and the verdict a cell shows.
 *
 * A run's tally ({@link tallyKeywords}) is computed once, when the run
 * finishes, from its results: for each keyword (and each `format` value,
 * as `format:<value>`), the cases using it, how many count (E), how many
 * are valid, refused (`unsupported_schema`), violated at this keyword
 * (`schema_violation` whose errors point at it) and adapted (our adapt
 * step sent the engine a schema without it). A cell ({@link cellVerdict})
 * is then, first match wins:
 * - `refused`: at least {@link KeywordThresholds.refusedShare} of the
 *   cases using the keyword were `unsupported_schema`;
 * - `adapted`: the target constrains and at least half of those cases were
 *   sent with the keyword dropped or rewritten by the adapt step;
 * - `unsound`: the target constrains (not `prompt_only`) and at least
 *   {@link KeywordThresholds.unsoundMinCases} cases using it (and at least
 *   {@link KeywordThresholds.unsoundShare} of them) ended
 *   `schema_violation` at this keyword: the engine accepted the constraint
 *   and did not enforce it;
 * - `coverage`: otherwise, the empirical coverage among the cases using it.
 *
 * @example
 * ```ts
 * import { cellVerdict, tallyKeywords, DEFAULT_KEYWORD_THRESHOLDS } from "./keyword_matrix.ts";
 * const tally = tallyKeywords([
 *   { outcome: "schema_violation", keywords: ["minimum"], failingKeywords: ["minimum"], sentKeywords: null },
 *   { outcome: "schema_violation", keywords: ["minimum"], failingKeywords: ["minimum"], sentKeywords: null },
 * ]);
 * cellVerdict(tally.minimum, "json_schema", DEFAULT_KEYWORD_THRESHOLDS).state; // "unsound"
 * ```
 * @module
 */
import type { Outcome } from "../outcome.ts";
import { type Proportion, wilson } from "./stats.ts";

/** One result, as the tally reads it. */
export interface KeywordResult {
  outcome: string | null;
  /** The keywords the case's schema uses, `format:<value>` included. */
  keywords: readonly string[];
  /** The keywords its validation errors point at (`schema_violation`). */
  failingKeywords: readonly string[] | null;
  /** The keywords of the schema actually sent, when the adapt step changed it; else null. */
  sentKeywords: readonly string[] | null;
}

/** What one run did with the cases using one keyword. */
export interface KeywordTally {
  cases: number;
  /** Cases that count (not `invalid_schema`, `infra_error`, `skipped`, pending). */
  e: number;
  valid: number;
  unsupported: number;
  /** `schema_violation` cases whose errors point at the keyword. */
  violations: number;
  /** Cases sent without the keyword (the adapt step dropped or rewrote it). */
  adapted: number;
}

/** Outcomes left out of E, as in the scores. */
const EXCLUDED: ReadonlySet<string> = new Set<Outcome>([
  "invalid_schema",
  "infra_error",
  "skipped",
]);

/**
 * Per keyword, what the run did with the cases using it.
 *
 * @example
 * ```ts
 * tallyKeywords([{ outcome: "valid", keywords: ["type"], failingKeywords: null, sentKeywords: null }]).type.valid; // 1
 * ```
 */
export function tallyKeywords(
  results: Iterable<KeywordResult>,
): Record<string, KeywordTally> {
  const out: Record<string, KeywordTally> = {};
  for (const r of results) addToTally(out, r);
  return out;
}

/**
 * Adds one result to a tally in place (for tallies built a page at a time).
 *
 * @example
 * ```ts
 * import type { KeywordTally } from "./keyword_matrix.ts";
 * const tally: Record<string, KeywordTally> = {};
 * addToTally(tally, { outcome: "unsupported_schema", keywords: ["$ref"], failingKeywords: null, sentKeywords: null });
 * tally.$ref.unsupported; // 1
 * ```
 */
export function addToTally(
  out: Record<string, KeywordTally>,
  r: KeywordResult,
): void {
  const failing = new Set(r.failingKeywords ?? []);
  const sent = r.sentKeywords ? new Set(r.sentKeywords) : null;
  for (const k of new Set(r.keywords)) {
    if (!Object.hasOwn(out, k)) {
      out[k] = {
        cases: 0,
        e: 0,
        valid: 0,
        unsupported: 0,
        violations: 0,
        adapted: 0,
      };
    }
    const t = out[k];
    t.cases++;
    if (r.outcome !== null && !EXCLUDED.has(r.outcome)) t.e++;
    if (r.outcome === "valid") t.valid++;
    if (r.outcome === "unsupported_schema") t.unsupported++;
    // A format value's errors point at `format`.
    const at = k.startsWith("format:") ? "format" : k;
    if (r.outcome === "schema_violation" && failing.has(at)) t.violations++;
    if (sent && !sent.has(k)) t.adapted++;
  }
}

/** The rules' numbers (settings: see the README). */
export interface KeywordThresholds {
  /** Share of the cases using a keyword refused for the cell to say refused. */
  refusedShare: number;
  /** Fewest schema violations at a keyword for unsound. */
  unsoundMinCases: number;
  /** Smallest share of the cases using it that violated it, for unsound. */
  unsoundShare: number;
}

/**
 * The defaults: half refused; 2 violations and 5%.
 *
 * @example
 * ```ts
 * DEFAULT_KEYWORD_THRESHOLDS.unsoundMinCases; // 2
 * ```
 */
export const DEFAULT_KEYWORD_THRESHOLDS: KeywordThresholds = {
  refusedShare: 0.5,
  unsoundMinCases: 2,
  unsoundShare: 0.05,
};

/** What a cell says. */
export type CellState = "refused" | "adapted" | "unsound" | "coverage";

/** A cell: its state, and the empirical coverage among the cases using the keyword. */
export interface CellVerdict {
  state: CellState;
  coverage: Proportion;
  tally: KeywordTally;
}

/**
 * A cell's verdict for one target (its mode decides whether it constrains).
 *
 * @example
 * ```ts
 * const t = { cases: 4, e: 4, valid: 0, unsupported: 3, violations: 0, adapted: 0 };
 * cellVerdict(t, "json_schema", DEFAULT_KEYWORD_THRESHOLDS).state; // "refused"
 * ```
 */
export function cellVerdict(
  tally: KeywordTally,
  mode: string,
  thresholds: KeywordThresholds,
): CellVerdict {
  const coverage = wilson(tally.valid, tally.e);
  const constrains = mode !== "prompt_only";
  const share = (n: number) => tally.cases > 0 ? n / tally.cases : 0;
  let state: CellState = "coverage";
  if (!constrains) state = "coverage";
  else if (
    tally.cases > 0 && share(tally.unsupported) >= thresholds.refusedShare
  ) {
    state = "refused";
  } else if (tally.cases > 0 && share(tally.adapted) >= 0.5) state = "adapted";
  else if (
    tally.violations >= thresholds.unsoundMinCases &&
    share(tally.violations) >= thresholds.unsoundShare
  ) state = "unsound";
  return { state, coverage, tally };
}

/** The spec's groups of keywords, in the order the matrix shows them. */
export const KEYWORD_GROUPS = [
  "applicators",
  "validation",
  "formats",
  "references",
  "annotations and other",
] as const;

/** One of {@link KEYWORD_GROUPS}. */
export type KeywordGroup = (typeof KEYWORD_GROUPS)[number];

const APPLICATORS = new Set([
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "dependencies",
  "prefixItems",
  "items",
  "additionalItems",
  "contains",
  "properties",
  "patternProperties",
  "additionalProperties",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
]); // deno-fmt-ignore
const VALIDATION = new Set([
  "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum",
  "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
  "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
  "maxProperties", "minProperties", "required", "dependentRequired",
]); // deno-fmt-ignore
const REFERENCES = new Set([
  "$ref", "$dynamicRef", "$recursiveRef", "$defs", "definitions", "$id", "id",
  "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$schema", "$vocabulary",
]); // deno-fmt-ignore

/**
 * The group a keyword belongs to, as the JSON Schema spec groups them.
 *
 * @example
 * ```ts
 * keywordGroup("anyOf"); // "applicators"
 * keywordGroup("format:email"); // "formats"
 * ```
 */
export function keywordGroup(keyword: string): KeywordGroup {
  if (keyword === "format" || keyword.startsWith("format:")) return "formats";
  if (APPLICATORS.has(keyword)) return "applicators";
  if (VALIDATION.has(keyword)) return "validation";
  if (REFERENCES.has(keyword)) return "references";
  return "annotations and other";
}
