/**
 * The numeric keywords, exact: `maximum`, `minimum`, `exclusiveMaximum`,
 * `exclusiveMinimum` and `multipleOf` compare what the output wrote (its
 * literal, {@link literalAt}, where a double misreads it) with the
 * schema's number, and draft-04's `integer` refuses a number written with
 * a fraction or an exponent (`12345.0`). `multipleOf` in declared mode is
 * decimal arithmetic on the numbers as written (19.99 is a multiple of
 * 0.01; 0.30000000001 is not one of 0.1); in `jsb` mode it is Python
 * `jsonschema`'s float division, as the paper's harness ran it.
 *
 * @example
 * ```ts
 * import { Ajv2020 } from "ajv/dist/2020.js";
 * import { addExactNumbers } from "./exact_numbers.ts";
 * const ajv = new Ajv2020({ strict: false });
 * addExactNumbers(ajv, "draft2020-12", "declared");
 * ajv.compile({ multipleOf: 0.01 })(19.99); // true
 * ```
 * @module
 */
import type { Ajv as AjvCore } from "ajv";
import type { DataValidationCxt } from "ajv/dist/types/index.js";
import type { Draft } from "./draft.ts";
import { compareDecimal, literalAt, schemaLiteral } from "./number_literals.ts";
import type { ValidationMode } from "./validate.ts";

/**
 * The keyword the schema rewrite adds beside a draft-04 `type` that asks
 * for an integer and not a number (see `schema_rewrite.ts`).
 *
 * @example
 * ```ts
 * DRAFT4_INTEGER; // "$draft4Integer"
 * ```
 */
export const DRAFT4_INTEGER = "$draft4Integer";

// Literals longer than this are compared as doubles (a bound on BigInt work).
const MAX_LITERAL = 400;

const pathOf = (cxt?: DataValidationCxt) => cxt?.instancePath ?? "";

/** The sign of data − limit, exactly where the output's literal is known. */
function sign(data: number, limit: number, cxt?: DataValidationCxt): number {
  const literal = literalAt(pathOf(cxt));
  if (literal !== undefined && literal.length <= MAX_LITERAL) {
    return compareDecimal(literal, schemaLiteral(limit));
  }
  return data < limit ? -1 : data > limit ? 1 : 0;
}

function parts(text: string): { digits: bigint; exp: number } | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || text.length > MAX_LITERAL) return null;
  const fraction = m[3] ?? "";
  const exp = Number(m[4] ?? 0) - fraction.length;
  if (Math.abs(exp) > 1000) return null;
  return { digits: BigInt(m[1] + m[2] + fraction), exp };
}

/** Whether `data` / `divisor` is a whole number, in decimal arithmetic. */
function isDecimalMultiple(data: string, divisor: string): boolean | null {
  const a = parts(data), b = parts(divisor);
  if (!a || !b || b.digits === 0n) return null;
  const low = Math.min(a.exp, b.exp);
  const scaledA = a.digits * 10n ** BigInt(a.exp - low);
  const scaledB = b.digits * 10n ** BigInt(b.exp - low);
  return scaledA % scaledB === 0n;
}

function declaredMultipleOf(
  divisor: number,
  data: number,
  cxt?: DataValidationCxt,
): boolean {
  const literal = literalAt(pathOf(cxt)) ?? schemaLiteral(data);
  const exact = isDecimalMultiple(literal, schemaLiteral(divisor));
  if (exact !== null) return exact;
  const quotient = data / divisor;
  return Number.isFinite(quotient) && Number.isInteger(quotient);
}

/**
 * Python `jsonschema`'s `multipleOf`: a float divisor divides in floating
 * point (`int(q) != q` fails); an integer divisor takes the remainder.
 */
function pythonMultipleOf(divisor: number, data: number): boolean {
  if (Number.isInteger(divisor)) return data % divisor === 0;
  const quotient = data / divisor;
  if (Number.isFinite(quotient)) return Number.isInteger(quotient);
  // Python falls back to exact fractions when the quotient overflows.
  return isDecimalMultiple(schemaLiteral(data), schemaLiteral(divisor)) ??
    false;
}

/**
 * Replaces Ajv's numeric keywords of `ajv` (built for `draft`) with the
 * exact ones above.
 *
 * @example
 * ```ts
 * import { Ajv } from "ajv";
 * const ajv = new Ajv({ strict: false });
 * addExactNumbers(ajv, "draft7", "jsb");
 * ajv.compile({ multipleOf: 0.01 })(19.99); // false, as in Python
 * ```
 */
export function addExactNumbers(
  ajv: AjvCore,
  draft: Draft,
  mode: ValidationMode,
): void {
  const draft4 = draft === "draft4" && mode === "declared";
  for (
    const keyword of [
      "maximum",
      "minimum",
      "exclusiveMaximum",
      "exclusiveMinimum",
      "multipleOf",
    ]
  ) ajv.removeKeyword(keyword);
  const bound = (
    keyword: string,
    test: (s: number, exclusive: boolean) => boolean,
    words: string,
  ) =>
    ajv.addKeyword({
      keyword,
      type: "number",
      schemaType: "number",
      validate: (
        limit: number,
        data: number,
        parent?: Record<string, unknown>,
        cxt?: DataValidationCxt,
      ) => {
        // Draft-04's exclusiveMaximum/exclusiveMinimum are booleans that
        // change maximum/minimum.
        const exclusive = draft4 &&
          parent
              ?.[`exclusive${keyword[0].toUpperCase()}${keyword.slice(1)}`] ===
            true;
        return test(sign(data, limit, cxt), exclusive);
      },
      error: { message: ({ schema }) => `must be ${words} ${schema}` },
    });
  bound("maximum", (s, exclusive) => exclusive ? s < 0 : s <= 0, "<=");
  bound("minimum", (s, exclusive) => exclusive ? s > 0 : s >= 0, ">=");
  if (!draft4) {
    bound("exclusiveMaximum", (s) => s < 0, "<");
    bound("exclusiveMinimum", (s) => s > 0, ">");
  }
  ajv.addKeyword({
    keyword: "multipleOf",
    type: "number",
    schemaType: "number",
    validate: mode === "jsb" ? pythonMultipleOf : (
      divisor: number,
      data: number,
      _p?: unknown,
      cxt?: DataValidationCxt,
    ) => declaredMultipleOf(divisor, data, cxt),
    error: { message: ({ schema }) => `must be multiple of ${schema}` },
  });
  if (draft4) {
    ajv.addKeyword({
      keyword: DRAFT4_INTEGER,
      type: "number",
      schemaType: "boolean",
      validate: (
        _: boolean,
        __: number,
        _p?: unknown,
        cxt?: DataValidationCxt,
      ) => !/[.eE]/.test(literalAt(pathOf(cxt)) ?? ""),
      error: {
        message: "must be integer (draft-04: written without a fraction)",
      },
    });
  }
}
