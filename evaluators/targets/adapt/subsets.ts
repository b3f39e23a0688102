/**
 * The documented structured-output subsets of JSON Schema per provider, as
 * data: what `adaptSchema` keeps, and when the table was written.
 *
 * @example
 * ```ts
 * import { PROVIDER_SUBSETS } from "./subsets.ts";
 * PROVIDER_SUBSETS.openai.supported.includes("anyOf"); // true
 * ```
 * @module
 */

/**
 * A provider whose strict structured-output subset is known.
 *
 * @example
 * ```ts
 * const provider: Provider = "gemini";
 * ```
 */
export type Provider = "openai" | "gemini";

/**
 * A schema rewritten for one provider.
 *
 * @example
 * ```ts
 * import { adaptSchema } from "./adapt_schema.ts";
 * const adapted: Adapted = adaptSchema({ type: "string" }, "gemini");
 * adapted.changed; // false
 * ```
 */
export interface Adapted {
  /** The schema to send (a fresh copy even when nothing changed). */
  schema: unknown;
  /** Whether `schema` differs from the input. */
  changed: boolean;
  /**
   * What was rewritten or may be refused, one line per kind of change,
   * e.g. `dropped uniqueItems at /properties/tags`; at most 50 lines, then
   * `… and N more`.
   */
  notes: string[];
}

/**
 * One provider's documented subset.
 *
 * @example
 * ```ts
 * const subset: ProviderSubset = PROVIDER_SUBSETS.openai;
 * subset.supported.includes("anyOf"); // true
 * ```
 */
export interface ProviderSubset {
  /** ISO date the table was written. */
  checked: string;
  /** Keywords kept; every other keyword is rewritten or dropped. */
  supported: readonly string[];
  /** Values of `format` kept; any other format is dropped. */
  formats: readonly string[];
  /** The rules beyond the keyword list, in words. */
  notes: string;
}

/**
 * What `adapt: "strict"` keeps for each provider, and when the table was
 * written. The rewriting reads these lists.
 *
 * @example
 * ```ts
 * PROVIDER_SUBSETS.gemini.formats; // ["date-time", "date", "time"]
 * PROVIDER_SUBSETS.openai.supported.includes("uniqueItems"); // false
 * ```
 */
export const PROVIDER_SUBSETS: Record<Provider, ProviderSubset> = {
  openai: {
    checked: "2026-11-27",
    supported: [
      "type",
      "title",
      "description",
      "enum",
      "const",
      "anyOf",
      "$ref",
      "$defs",
      "properties",
      "required",
      "additionalProperties",
      "items",
      "pattern",
      "format",
      "minimum",
      "maximum",
      "exclusiveMinimum",
      "exclusiveMaximum",
      "multipleOf",
      "minItems",
      "maxItems",
    ],
    formats: [
      "date-time",
      "time",
      "date",
      "duration",
      "email",
      "hostname",
      "ipv4",
      "ipv6",
      "uuid",
    ],
    notes:
      'Structured Outputs with strict: true, as OpenAI documents it. The root must be an object, not anyOf; every object needs additionalProperties: false and every property listed in required (an optional field is a union with null); $defs are read at the root, recursion through $ref (including "#") is allowed; anyOf branches must themselves be in the subset. Documented limits: 5000 object properties and 10 levels of nesting in all, 1000 enum values. Written from the documentation as the author knew it, not fetched on that date: check it again before relying on a rejection.',
  },
  gemini: {
    checked: "2026-11-27",
    supported: [
      "type",
      "title",
      "description",
      "enum",
      "format",
      "minimum",
      "maximum",
      "minItems",
      "maxItems",
      "items",
      "prefixItems",
      "properties",
      "required",
      "additionalProperties",
      "anyOf",
      "$ref",
      "$defs",
    ],
    formats: ["date-time", "date", "time"],
    notes:
      'Gemini structured output (response_format json_schema on the OpenAI-compatible endpoint; responseJsonSchema natively), as Google documents it. Types may be lists, so [T, "null"] is allowed; enum holds strings or numbers, so const becomes a one-value enum; exclusive bounds are not listed and become inclusive ones. Written from the documentation as the author knew it, not fetched on that date: check it again before relying on a rejection.',
  },
};
