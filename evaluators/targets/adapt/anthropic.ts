/**
 * The `adapt: "strict"` policy of the `anthropic` kind: the schema rewritten
 * to the subset Anthropic's structured outputs document (JSON outputs,
 * `output_config.format`), with a note for every kind of change. Every
 * object gets `additionalProperties: false` (a union node, `anyOf`/`oneOf`,
 * is left without it: Bedrock's compiler rejects it there); numeric and
 * string bounds, `minItems` above 1 and the keywords Anthropic does not
 * list are dropped; formats it does not list are dropped; a `$ref` that
 * leads back to a schema it is inside of is noted (Anthropic refuses
 * recursive schemas). Answers are always judged against the original.
 *
 * @example
 * ```ts
 * import { adaptForAnthropic } from "./anthropic.ts";
 * const adapted = adaptForAnthropic({ type: "object", properties: { n: { type: "integer", minimum: 1 } } });
 * adapted.schema; // { type: "object", properties: { n: { type: "integer" } }, additionalProperties: false }
 * adapted.notes; // ["dropped minimum at /properties/n", "set additionalProperties: false at (root)"]
 * ```
 * @module
 */
import type { Adapted } from "./subsets.ts";

/** When the subset below was written from Anthropic's documentation. */
export const ANTHROPIC_SUBSET_CHECKED = "2026-12-01";

/** Keywords dropped wherever they are. */
const DROPPED = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minProperties",
  "maxProperties",
  "maxItems",
  "uniqueItems",
  "contains",
  "minContains",
  "maxContains",
  "patternProperties",
  "propertyNames",
  "dependentRequired",
  "dependentSchemas",
  "dependencies",
  "unevaluatedProperties",
  "unevaluatedItems",
  "if",
  "then",
  "else",
  "not",
]);

/** Values of `format` Anthropic lists. */
const FORMATS = new Set([
  "date-time",
  "time",
  "date",
  "duration",
  "email",
  "hostname",
  "uri",
  "ipv4",
  "ipv6",
  "uuid",
]);

/** Keywords whose value is a schema, or a map or list of schemas. */
const ONE = ["additionalProperties", "items"];
const MAP = ["properties", "$defs", "definitions"];
const LIST = ["anyOf", "oneOf", "allOf", "prefixItems"];

/** Deeper than this, a schema is kept as it is, with a note. */
const MAX_DEPTH = 64;

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Rewrites `schema` to Anthropic's subset (see the module doc); the input
 * is never changed.
 *
 * @example
 * ```ts
 * import { adaptForAnthropic } from "./anthropic.ts";
 * adaptForAnthropic({ type: "string", format: "ipv4" }).changed; // false
 * ```
 */
export function adaptForAnthropic(schema: unknown): Adapted {
  const notes = new Map<string, string[]>();
  const note = (kind: string, path: string) => {
    const at = notes.get(kind) ?? [];
    if (at.length < 5) at.push(path || "(root)");
    notes.set(kind, at);
  };
  const copy = structuredClone(schema);
  const walk = (node: unknown, path: string, depth: number) => {
    if (!isNode(node)) return;
    if (depth > MAX_DEPTH) {
      note(`kept a schema nested deeper than ${MAX_DEPTH}`, path);
      return;
    }
    for (const key of Object.keys(node)) {
      if (DROPPED.has(key)) {
        delete node[key];
        note(`dropped ${key}`, path);
      }
    }
    if (typeof node.minItems === "number" && node.minItems > 1) {
      delete node.minItems;
      note("dropped minItems above 1", path);
    }
    if (typeof node.format === "string" && !FORMATS.has(node.format)) {
      note(`dropped format ${node.format}`, path);
      delete node.format;
    }
    const union = "anyOf" in node || "oneOf" in node;
    const object = node.type === "object" ||
      (Array.isArray(node.type) && node.type.includes("object")) ||
      (!("type" in node) && isNode(node.properties));
    if (object && !union && node.additionalProperties !== false) {
      node.additionalProperties = false;
      note("set additionalProperties: false", path);
    }
    if (typeof node.$ref === "string" && isSelfRef(node.$ref, path)) {
      note("a recursive $ref (Anthropic may refuse it)", path);
    }
    for (const key of ONE) walk(node[key], `${path}/${key}`, depth + 1);
    for (const key of MAP) {
      const map = node[key];
      if (!isNode(map)) continue;
      for (const [name, child] of Object.entries(map)) {
        walk(child, `${path}/${key}/${name}`, depth + 1);
      }
    }
    for (const key of LIST) {
      const list = node[key];
      if (!Array.isArray(list)) continue;
      list.forEach((child, i) => walk(child, `${path}/${key}/${i}`, depth + 1));
    }
  };
  walk(copy, "", 0);
  const lines = [...notes].map(([kind, at]) => `${kind} at ${at.join(", ")}`);
  return {
    schema: copy,
    changed: JSON.stringify(copy) !== JSON.stringify(schema),
    notes: lines.slice(0, 50),
  };
}

/** Whether a local `$ref` points at a schema `path` is inside of. */
function isSelfRef(ref: string, path: string): boolean {
  if (ref === "#") return true;
  if (!ref.startsWith("#/")) return false;
  const target = ref.slice(1);
  return path === target || path.startsWith(`${target}/`);
}
