/**
 * Numbers as the output wrote them, where a double does not say the same.
 * `JSON.parse` turns `9223372036854776001` into 9223372036854775808 and
 * `12345.0` into 12345; the spec (and Python's `jsonschema`, which reads
 * integers exactly) judges what the text says. So the validator is given,
 * beside the parsed instance, the literal of every number that a double
 * cannot hold exactly (an integer beyond 2^53 that rounds) and of every
 * integral number written with a fraction or an exponent (draft-04's
 * `integer` has no fraction), keyed by instance path (JSON Pointer). The
 * numeric keywords compare those exactly ({@link compareDecimal}).
 *
 * Schema numbers are read as the shortest decimal of their double (the
 * schema arrives parsed); a bound written exactly as a long integer that
 * rounds to a double of another shortest form is read as that form.
 *
 * @example
 * ```ts
 * import { numberLiterals } from "./number_literals.ts";
 * numberLiterals('{"n": 9223372036854776001}'); // { "/n": "9223372036854776001" }
 * numberLiterals('{"n": 1}'); // null
 * ```
 * @module
 */
import { type JsonNode, scanJson } from "./json_scan.ts";

/** Instance path → the number as written, for numbers a double misreads. */
export type NumberLiterals = Record<string, string>;

// Cheap first look: a long digit run, a fraction of zeros only ("1.0",
// "2.00"), or an exponent; most outputs have none and are never scanned.
const MAYBE = /\d{16}|\.0+(?![0-9])|\d[eE]/;

/** Whether a double reads `literal` other than the text says (see module). */
function matters(literal: string): boolean {
  if (/[.eE]/.test(literal)) return Number.isInteger(Number(literal));
  if (literal.replace("-", "").length < 16) return false;
  const value = Number(literal);
  return !Number.isFinite(value) || BigInt(literal) !== BigInt(value);
}

const escape = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * The literals of `text` that matter (see the module doc); null when there
 * are none or the text is not JSON the scanner reads.
 *
 * @example
 * ```ts
 * numberLiterals("[12345.0, 2]"); // { "/0": "12345.0" }
 * ```
 */
export function numberLiterals(text: string): NumberLiterals | null {
  if (!MAYBE.test(text)) return null;
  const root = scanJson(text, { maxChars: 64 << 20 });
  if (!root) return null;
  const found: NumberLiterals = {};
  let any = false;
  const stack: [JsonNode, string][] = [[root, ""]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (node.kind === "scalar") {
      if (node.literal !== undefined && matters(node.literal)) {
        found[path] = node.literal;
        any = true;
      }
    } else if (node.kind === "array") {
      node.items.forEach((item, i) => stack.push([item, `${path}/${i}`]));
    } else {
      for (const [key, item] of node.entries) {
        stack.push([item, `${path}/${escape(key)}`]);
      }
    }
  }
  return any ? found : null;
}

/** Sign, digits without leading zeros, and the power of ten of the last digit. */
function decimal(text: string): { sign: 1 | -1; digits: string; exp: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a decimal: ${text}`);
  const fraction = m[3] ?? "";
  let digits = (m[2] + fraction).replace(/^0+/, "");
  let exp = Number(m[4] ?? 0) - fraction.length;
  const trailing = /0*$/.exec(digits)![0].length;
  if (trailing) {
    digits = digits.slice(0, digits.length - trailing);
    exp += trailing;
  }
  return { sign: m[1] ? -1 : 1, digits, exp };
}

/**
 * Compares two decimal numbers written as JSON numbers (or as
 * `String(number)`), exactly: -1, 0 or 1.
 *
 * @example
 * ```ts
 * compareDecimal("9223372036854776001", "9223372036854776000"); // 1
 * compareDecimal("1.50", "1.5"); // 0
 * ```
 */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = decimal(a), y = decimal(b);
  const sx = x.digits ? x.sign : 0, sy = y.digits ? y.sign : 0;
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  // Same sign: compare magnitudes by their order of magnitude, then digits.
  const mx = x.digits.length + x.exp, my = y.digits.length + y.exp;
  let magnitude: -1 | 0 | 1 = mx === my ? 0 : mx < my ? -1 : 1;
  if (magnitude === 0) {
    const width = Math.max(x.digits.length, y.digits.length);
    const dx = x.digits.padEnd(width, "0"), dy = y.digits.padEnd(width, "0");
    magnitude = dx === dy ? 0 : dx < dy ? -1 : 1;
  }
  if (magnitude === 0) return 0;
  return (magnitude * sx) as -1 | 1;
}

/**
 * Whether a decimal is a whole number (`12345.0` is; the text is read
 * exactly).
 *
 * @example
 * ```ts
 * isWholeDecimal("1e3"); // true
 * isWholeDecimal("0.5"); // false
 * ```
 */
export function isWholeDecimal(text: string): boolean {
  const { digits, exp } = decimal(text);
  return digits === "" || exp >= 0;
}

/** The JSON literal of a schema's number (its shortest decimal). */
export function schemaLiteral(value: number): string {
  return String(value).replace(/e\+/, "e");
}

let current: NumberLiterals | null = null;

/**
 * Runs `check` with `literals` visible to the numeric keywords
 * ({@link literalAt}); validation is synchronous, so one at a time.
 *
 * @example
 * ```ts
 * withLiterals({ "": "1.0" }, () => literalAt("")); // "1.0"
 * ```
 */
export function withLiterals<T>(
  literals: NumberLiterals | null | undefined,
  check: () => T,
): T {
  const before = current;
  current = literals ?? null;
  try {
    return check();
  } finally {
    current = before;
  }
}

/**
 * The literal of the number at `path` of the instance being checked, if it
 * is one a double misreads.
 *
 * @example
 * ```ts
 * literalAt("/a"); // undefined outside a check
 * ```
 */
export function literalAt(path: string): string | undefined {
  return current?.[path];
}
