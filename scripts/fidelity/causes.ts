/**
 * Why the validator and the oracle disagree on one instance: the known
 * causes, checked in order, first match wins; anything else is
 * `unexplained`, with both sides' failing keywords.
 *
 * @example
 * ```ts
 * import { causeOf } from "./causes.ts";
 * causeOf({
 *   mode: "declared", ours: { status: "invalid", keywords: ["format"], formats: ["date-time"] },
 *   oracle: { valid: true, why: [] }, notChecked: ["date-time"], allowListed: null,
 *   schemaText: "{}", note: null, declared: null,
 * }); // "format date-time: not independently checked (the oracle has no checker)"
 * ```
 * @module
 */

/** Our side of one instance. */
export interface OurVerdict {
  status: "valid" | "invalid";
  /** The keywords our attributable errors point at. */
  keywords: string[];
  /** The formats our format errors are about. */
  formats: string[];
}

/** What {@link causeOf} reads. */
export interface Disagreement {
  mode: "declared" | "jsb";
  ours: OurVerdict;
  oracle: {
    valid: boolean;
    why: string[];
    /** The oracle's exception or schema error, when it could not check. */
    error?: string | null;
  };
  /** The Test Suite file of the case, if it is one. */
  file?: string;
  /** Formats the oracle does not check. */
  notChecked: readonly string[];
  /** The allow-list's reason for a Test Suite case, if it lists it. */
  allowListed: string | null;
  schemaText: string;
  /** Our draft note (null when `$schema` decided). */
  note: string | null;
  declared: string | null;
}

/**
 * The cause of a disagreement (see the module doc).
 *
 * @example
 * ```ts
 * declare const d: Disagreement;
 * console.log(causeOf(d));
 * ```
 */
export function causeOf(d: Disagreement): string {
  if (d.allowListed) return `allow-listed: ${d.allowListed}`;
  if (d.oracle.error) {
    return d.mode === "jsb"
      ? "the harness cannot check this schema or instance (an exception): a failure there (cause 13)"
      : `the oracle raised: ${d.oracle.error.slice(0, 80)}`;
  }
  if (d.file && /regex/.test(d.file)) {
    return "regex dialect: ECMA-262 here (the spec's), Python's re there (\\d, \\w, $ differ)";
  }
  const both = new Set([...d.ours.keywords, ...d.oracle.why]);
  const onlyFormats = [...both].every((k) =>
    k === "format" || k.startsWith("format:")
  );
  if (both.has("format") && onlyFormats) {
    const formats = d.ours.formats.length
      ? d.ours.formats
      : formatsIn(d.schemaText);
    const unchecked = formats.filter((f) => d.notChecked.includes(f));
    if (unchecked.length && d.ours.status === "invalid") {
      return `format ${
        unchecked.join(", ")
      }: not independently checked (the oracle has no checker)`;
    }
    return `format ${formats.join(", ")}: the checkers differ (${
      d.ours.status === "invalid" ? "stricter" : "looser"
    } here)`;
  }
  if (both.has("pattern") || both.has("patternProperties")) {
    return "regex dialect: ECMA-262 here (the spec's), Python's re there (\\d, \\w, $ differ)";
  }
  if (both.has("multipleOf")) {
    return d.mode === "jsb"
      ? "multipleOf: float division (the harness's) differs"
      : "multipleOf: decimal arithmetic here, float division in Python";
  }
  if (d.declared?.includes("draft-03")) {
    return "draft-03: validated as draft-04 here, as draft 3 in Python";
  }
  if (
    (both.has("enum") || both.has("const")) && /true|false/.test(d.schemaText)
  ) {
    return "enum/const: python-jsonschema 4.10 takes false for 0 and true for 1 (a 4.10 bug)";
  }
  if (
    d.note && !d.note.endsWith(": 2020-12") && !d.note.startsWith("forced") &&
    d.mode === "declared"
  ) {
    return `draft inferred here from older syntax (${d.note}); 2020-12 in Python`;
  }
  if (d.mode === "jsb" && /"\$schema"/.test(d.schemaText.slice(1))) {
    const nested = (d.schemaText.match(/"\$schema"/g) ?? []).length > 1;
    if (nested) {
      return "nested $schema: the harness (jsonschema 4.23) switches dialect below it; 4.10 and jsb here do not";
    }
  }
  if (
    both.has("$ref") || both.has("$dynamicRef") || both.has("$recursiveRef")
  ) {
    return "reference resolution differs ($ref)";
  }
  return `unexplained: here [${d.ours.keywords.join(" ")}], Python [${
    d.oracle.why.join(" ")
  }]`;
}

/**
 * The `format` values written in a schema's text.
 *
 * @example
 * ```ts
 * formatsIn('{"format": "uuid"}'); // ["uuid"]
 * ```
 */
export function formatsIn(schemaText: string): string[] {
  const found = new Set<string>();
  for (const m of schemaText.matchAll(/"format"\s*:\s*"([^"\\]{1,64})"/g)) {
    found.add(m[1]);
  }
  return [...found];
}
