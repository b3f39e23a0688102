/**
 * The regular-expression engine that Ajv runs `pattern` and
 * `patternProperties` on: RE2 (through `re2js`), whose matching time is
 * linear in the input, so a hostile pattern such as `^(a+)+$` cannot hang
 * validation. ECMA-262 syntax is translated first; what RE2 cannot run at
 * all (lookaround, backreferences) throws {@link UnsupportedPatternError}.
 *
 * @example
 * ```ts
 * import { linearRegExp } from "./linear_regexp.ts";
 * linearRegExp("^(a+)+$", "u").test("a".repeat(40) + "!"); // false, at once
 * ```
 * @module
 */
import { RE2JS } from "re2js";

/** What Ajv needs of a compiled pattern. */
interface RegExpLike {
  test(text: string): boolean;
}

/** Ajv's `code.regExp` option: a factory plus a name for standalone code. */
type RegExpEngine = ((pattern: string, flags: string) => RegExpLike) & {
  code: string;
};

/** A pattern that the linear-time engine cannot run. */
export class UnsupportedPatternError extends Error {
  /** @param pattern the pattern as written @param reason the engine's complaint */
  constructor(readonly pattern: string, reason: string) {
    super(`pattern ${JSON.stringify(pattern)} cannot run on RE2: ${reason}`);
    this.name = "UnsupportedPatternError";
  }
}

/** Unicode general categories by their long names, as ECMA-262 allows. */
const CATEGORY: Record<string, string> = {
  Letter: "L",
  Cased_Letter: "L&",
  Uppercase_Letter: "Lu",
  Lowercase_Letter: "Ll",
  Titlecase_Letter: "Lt",
  Modifier_Letter: "Lm",
  Other_Letter: "Lo",
  Mark: "M",
  Combining_Mark: "M",
  Nonspacing_Mark: "Mn",
  Spacing_Mark: "Mc",
  Enclosing_Mark: "Me",
  Number: "N",
  Decimal_Number: "Nd",
  digit: "Nd",
  Letter_Number: "Nl",
  Other_Number: "No",
  Punctuation: "P",
  punct: "P",
  Connector_Punctuation: "Pc",
  Dash_Punctuation: "Pd",
  Open_Punctuation: "Ps",
  Close_Punctuation: "Pe",
  Initial_Punctuation: "Pi",
  Final_Punctuation: "Pf",
  Other_Punctuation: "Po",
  Symbol: "S",
  Math_Symbol: "Sm",
  Currency_Symbol: "Sc",
  Modifier_Symbol: "Sk",
  Other_Symbol: "So",
  Separator: "Z",
  Space_Separator: "Zs",
  Line_Separator: "Zl",
  Paragraph_Separator: "Zp",
  Other: "C",
  Control: "Cc",
  cntrl: "Cc",
  Format: "Cf",
  Surrogate: "Cs",
  Private_Use: "Co",
  Unassigned: "Cn",
}; // deno-fmt-ignore

/**
 * Rewrites ECMA-262 property escapes RE2 spells differently:
 * `\p{Letter}` → `\p{L}`, `\p{General_Category=Lu}` → `\p{Lu}`,
 * `\p{Script=Greek}` → `\p{Greek}`.
 */
function translateProperties(source: string): string {
  return source.replace(
    /(?<!\\)((?:\\\\)*)\\([pP])\{([A-Za-z_]+)(?:=([A-Za-z_]+))?\}/g,
    (_match, slashes: string, p: string, name: string, value?: string) => {
      let property = value ?? name;
      if (value === undefined || /^(General_Category|gc)$/.test(name)) {
        property = CATEGORY[property] ?? property;
      }
      if (property === "L&") return `${slashes}${p === "p" ? "[\\p{Lu}\\p{Ll}\\p{Lt}]" : "[^\\p{Lu}\\p{Ll}\\p{Lt}]"}`;
      return `${slashes}\\${p}{${property}}`;
    },
  );
}

/**
 * One compiled pattern. `toString()` is unique per pattern and flags: Ajv
 * caches compiled patterns by that string, so without it every pattern
 * would silently reuse the first one.
 */
export class LinearRegExp implements RegExpLike {
  readonly #re: RE2JS;

  /** @param source the ECMA-262 pattern @param flags Ajv's flags ("u" or "") */
  constructor(readonly source: string, readonly flags: string) {
    let re: RE2JS;
    try {
      re = RE2JS.compile(RE2JS.translateRegExp(translateProperties(source)));
    } catch (error) {
      throw new UnsupportedPatternError(
        source,
        error instanceof Error ? error.message : String(error),
      );
    }
    this.#re = re;
  }

  /** True when the pattern matches anywhere in `text` (ECMA-262 `test`). */
  test(text: string): boolean {
    return this.#re.test(text);
  }

  /** `/source/flags`, as a native RegExp prints. */
  toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}

/**
 * Ajv's `code.regExp` option.
 *
 * @example
 * ```ts
 * import { Ajv } from "ajv";
 * new Ajv({ code: { regExp: linearRegExp } });
 * ```
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => new LinearRegExp(pattern, flags),
  { code: "linearRegExp" },
);

/**
 * `jsb` mode's pattern engine inside a validation worker: RE2 where it can
 * run the pattern, else the JavaScript engine (lookaround, back-references:
 * what Python's `re`, the paper's, runs too). Only the pool's workers use
 * it, where every check is bounded from outside (`VALIDATION_TIMEOUT_MS`
 * terminates a worker caught in a backtracking pattern), so the time bound
 * holds; a pattern neither engine reads is still an
 * {@link UnsupportedPatternError}.
 *
 * @example
 * ```ts
 * boundedRegExp("^(?!x)", "u").test("y"); // true
 * ```
 */
export const boundedRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    try {
      return new LinearRegExp(pattern, flags);
    } catch (error) {
      if (!(error instanceof UnsupportedPatternError)) throw error;
      for (const f of [flags, ""]) {
        try {
          return new RegExp(pattern, f);
        } catch { /* the other mode, then give up */ }
      }
      throw error;
    }
  },
  { code: "boundedRegExp" },
);
