/**
 * Hostile values for the fuzz's bodies: keys that break objects, lone
 * surrogates, numbers at the edges, odd strings, deep nesting, and raw
 * JSON text (`1e400`, nesting deeper than `JSON.stringify` could write)
 * that {@link rawJson} splices into the serialised body.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { EVIL, rawJson } from "./hostile_values.ts";
 * fc.sample(EVIL, 3).map((value) => rawJson(JSON.stringify(value) ?? ""));
 * ```
 * @module
 */
import fc from "fast-check";

/**
 * Object keys that trip naive code: prototype names, the empty key, a
 * null byte, `$ref`, a long key.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { WEIRD_KEYS } from "./hostile_values.ts";
 * fc.constantFrom(...WEIRD_KEYS);
 * ```
 */
export const WEIRD_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  "\u0000",
  "$ref",
  "a".repeat(300),
];

/**
 * Strings of one to three lone UTF-16 surrogates.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { LONE_SURROGATES } from "./hostile_values.ts";
 * fc.sample(LONE_SURROGATES, 1)[0].length; // 1 to 3
 * ```
 */
export const LONE_SURROGATES = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) =>
    String.fromCharCode(c)
  ),
  minLength: 1,
  maxLength: 3,
});

/**
 * A string that {@link rawJson} replaces, in the JSON text, by the JSON
 * it wraps: numbers no double holds (`1e400`), nesting deeper than
 * `JSON.stringify` could write.
 */
const RAW = "\u0001raw:";
const RAW_TEXT = /"\\u0001raw:(.*?)\\u0001raw:"/g;

function raw(json: string): string {
  return `${RAW}${json}${RAW}`;
}

/**
 * The JSON text with every {@link raw} string replaced by the raw JSON it
 * wraps.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { EVIL, rawJson } from "./hostile_values.ts";
 * const [value] = fc.sample(EVIL, 1);
 * rawJson(JSON.stringify({ a: value }));
 * ```
 */
export function rawJson(text: string): string {
  return text.replace(RAW_TEXT, (_, json) => json.replaceAll('\\"', '"'));
}

/**
 * Values meant to break a field: numbers at the edges, odd strings,
 * long strings, deep nesting, raw JSON numbers no double holds.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { EVIL } from "./hostile_values.ts";
 * fc.sample(EVIL, 5);
 * ```
 */
export const EVIL: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    1e308,
    -1e308,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    2 ** 31,
    2 ** 63,
    4294967296,
    -1,
    0,
    1.5,
    -0.5,
    1e-300,
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-0",
    "0x10",
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfff",
    "😀\u202e\u200b",
    "null",
    "true",
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%00",
    null,
    true,
    false,
    [],
    {},
    [[]],
  ),
  fc.integer(),
  fc.double(),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  LONE_SURROGATES,
  fc.nat({ max: 70_000 }).map((n) => "x".repeat(n)),
  fc.nat({ max: 200 }).map((depth) => nest(depth)),
  fc.nat({ max: 30_000 }).map((n) =>
    raw(`${'{"a":'.repeat(n)}1${"}".repeat(n)}`)
  ),
  fc.constantFrom(
    "1e400",
    "-1e400",
    "123456789012345678901234567890",
    "1e-400",
    "-0",
    "1E2",
    "0.1e1",
  ).map(raw),
  fc.jsonValue({ maxDepth: 3 }),
);

/** `depth` objects inside each other. */
function nest(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}
