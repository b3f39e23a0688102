/**
 * Whether a JSON Schema's valid values have a small support: few enough
 * distinct values that their distribution can be estimated from a few
 * dozen samples, so the value divergence of a distortion run is computed
 * for it (see docs/methodology.md, Distortion).
 *
 * {@link supportSize} bounds the number of distinct valid values from
 * above (Infinity when it cannot): `enum` and `const` count their members,
 * `boolean` is 2, `null` 1, an integer with both bounds counts the integers
 * between them, a string counts its `enum` or the strings of an anchored
 * `pattern` made of literals, classes, groups of alternatives and bounded
 * quantifiers, an object with `additionalProperties: false` multiplies its
 * properties' counts (one more for an optional one), an array with
 * `maxItems` sums the counts of each length, `anyOf`/`oneOf` add their
 * branches and `allOf` takes the least. A schema is small-support when the
 * bound is at most {@link SMALL_SUPPORT}.
 *
 * @example
 * ```ts
 * import { smallSupport, supportSize } from "./small_support.ts";
 * supportSize({ enum: ["red", "reed", "rose"] }); // 3
 * smallSupport({ type: "string" }); // false
 * ```
 * @module
 */

/** The largest support that counts as small. */
export const SMALL_SUPPORT = 64;

/** Longer patterns are not examined (they count as unbounded). */
const MAX_PATTERN = 256;

/** Deeper schemas are not examined (they count as unbounded). */
const MAX_DEPTH = 16;

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function integerCount(schema: Schema): number {
  const bound = (inclusive: string, exclusive: string, low: boolean) => {
    const a = schema[inclusive];
    const b = schema[exclusive];
    let out = low ? -Infinity : Infinity;
    if (typeof a === "number") out = low ? Math.ceil(a) : Math.floor(a);
    if (typeof b === "number") {
      const e = low ? Math.floor(b) + 1 : Math.ceil(b) - 1;
      out = low ? Math.max(out, e) : Math.min(out, e);
    }
    return out;
  };
  const low = bound("minimum", "exclusiveMinimum", true);
  const high = bound("maximum", "exclusiveMaximum", false);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return Infinity;
  return Math.max(0, high - low + 1);
}

/** Beyond this a count is as good as unbounded. */
const HUGE = 1e12;

/** Sums c^k for k in [min, max] (Infinity past {@link HUGE}). */
function powers(c: number, min: number, max: number): number {
  if (c === 0) return min === 0 ? 1 : 0;
  if (c === 1) {
    return Number.isFinite(max) ? Math.max(0, max - min + 1) : Infinity;
  }
  if (!Number.isFinite(max) || !Number.isFinite(c)) return Infinity;
  let sum = 0;
  // c ≥ 2: past HUGE within about 40 terms, whatever max is.
  for (let k = min; k <= max; k++) {
    sum += c ** k;
    if (sum > HUGE) return Infinity;
  }
  return sum;
}

/**
 * The number of strings an anchored pattern matches, bounded above
 * (Infinity for a pattern it cannot bound or longer than 256 characters).
 *
 * @example
 * ```ts
 * patternCount("^(yes|no)$"); // 2
 * ```
 */
export function patternCount(pattern: string): number {
  // A short pattern is short: a long one is not examined (and its groups'
  // nesting, which the parser follows by recursion, stays shallow).
  if (pattern.length > MAX_PATTERN) return Infinity;
  if (!pattern.startsWith("^") || !pattern.endsWith("$")) return Infinity;
  if (pattern.endsWith("\\$")) return Infinity;
  const body = pattern.slice(1, -1);
  let at = 0;
  const classCount = (): number => {
    at++; // [
    if (body[at] === "^") return Infinity;
    let count = 0;
    while (at < body.length && body[at] !== "]") {
      let c = body[at++];
      if (c === "\\") {
        const e = body[at++];
        if (e === "d") {
          count += 10;
          continue;
        }
        if ("wsWDS".includes(e)) return Infinity;
        c = e;
      }
      if (body[at] === "-" && body[at + 1] !== "]" && at + 1 < body.length) {
        const end = body[at + 1];
        at += 2;
        count += Math.max(0, end.charCodeAt(0) - c.charCodeAt(0) + 1);
      } else count += 1;
    }
    if (body[at] !== "]") return Infinity;
    at++;
    return count;
  };
  const sequence = (): number => {
    let product = 1;
    while (at < body.length && body[at] !== "|" && body[at] !== ")") {
      let atom: number;
      const c = body[at];
      if (c === "[") atom = classCount();
      else if (c === "(") {
        at++;
        if (body.startsWith("?:", at)) at += 2;
        atom = alternatives();
        if (body[at] !== ")") return Infinity;
        at++;
      } else if (c === "\\") {
        const e = body[at + 1];
        at += 2;
        atom = e === "d" ? 10 : /[A-Za-z]/.test(e ?? "") ? Infinity : 1;
      } else if (".*+?{^$".includes(c)) return Infinity;
      else {
        at++;
        atom = 1;
      }
      const q = body[at];
      if (q === "?") {
        at++;
        atom = 1 + atom;
      } else if (q === "*" || q === "+") return Infinity;
      else if (q === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(body.slice(at));
        if (!m) return Infinity;
        at += m[0].length;
        const min = Number(m[1]);
        const max = m[2] === undefined
          ? min
          : m[3] === ""
          ? Infinity
          : Number(m[3]);
        atom = powers(atom, min, max);
      }
      product *= atom;
      if (!Number.isFinite(product)) return Infinity;
    }
    return product;
  };
  const alternatives = (): number => {
    let sum = sequence();
    while (body[at] === "|") {
      at++;
      sum += sequence();
    }
    return sum;
  };
  const count = alternatives();
  return at === body.length ? count : Infinity;
}

function typeCount(type: string, schema: Schema, depth: number): number {
  switch (type) {
    case "null":
      return 1;
    case "boolean":
      return 2;
    case "integer":
      return integerCount(schema);
    case "number":
      return schema.minimum !== undefined && schema.minimum === schema.maximum
        ? 1
        : Infinity;
    case "string":
      if (schema.maxLength === 0) return 1;
      return typeof schema.pattern === "string"
        ? patternCount(schema.pattern)
        : Infinity;
    case "object": {
      if (schema.additionalProperties !== false) return Infinity;
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = new Set(
        Array.isArray(schema.required) ? schema.required : [],
      );
      let product = 1;
      for (const [name, sub] of Object.entries(properties)) {
        const c = count(sub, depth + 1);
        product *= required.has(name) ? c : c + 1;
      }
      return product;
    }
    case "array": {
      const max = typeof schema.maxItems === "number"
        ? schema.maxItems
        : Infinity;
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      const items = schema.items === undefined ? true : schema.items;
      return powers(count(items, depth + 1), min, max);
    }
    default:
      return Infinity;
  }
}

function count(schema: unknown, depth: number): number {
  if (schema === false) return 0;
  if (!isSchema(schema) || depth > MAX_DEPTH) return Infinity;
  let bound = Infinity;
  if (Array.isArray(schema.enum)) bound = schema.enum.length;
  if ("const" in schema) bound = 1;
  const types = typeof schema.type === "string"
    ? [schema.type]
    : Array.isArray(schema.type)
    ? schema.type.filter((t): t is string => typeof t === "string")
    : [];
  if (types.length > 0 && !Number.isFinite(bound)) {
    bound = types.reduce((s, t) => s + typeCount(t, schema, depth), 0);
  }
  for (const key of ["anyOf", "oneOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const sum = branches.reduce((s, b) => s + count(b, depth + 1), 0);
      bound = Math.min(bound, sum);
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const b of schema.allOf) bound = Math.min(bound, count(b, depth + 1));
  }
  return bound;
}

/**
 * An upper bound on the number of distinct values valid against `schema`
 * (Infinity when it cannot be bounded this way).
 *
 * @example
 * ```ts
 * supportSize({ type: "integer", minimum: 1, maximum: 6 }); // 6
 * supportSize({ type: "string", pattern: "^[ab][0-9]$" }); // 20
 * ```
 */
export function supportSize(schema: unknown): number {
  return count(schema, 0);
}

/**
 * Whether the schema's valid values have a small support (at most
 * {@link SMALL_SUPPORT} distinct values), so the value divergence is
 * computed for it.
 *
 * @example
 * ```ts
 * smallSupport({
 *   type: "object",
 *   properties: { ok: { type: "boolean" } },
 *   required: ["ok"],
 *   additionalProperties: false,
 * }); // true
 * ```
 */
export function smallSupport(schema: unknown): boolean {
  return supportSize(schema) <= SMALL_SUPPORT;
}
