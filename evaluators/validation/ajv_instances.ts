/**
 * The Ajv instances behind {@link SchemaValidator}: one class per draft,
 * formats as each mode checks them (`jsb`: only the formats
 * JSONSchemaBench's harness checked), exact numeric keywords,
 * patterns on the linear-time engine, `$data` off, and no loader, so a
 * remote `$ref` is never fetched.
 *
 * @example
 * ```ts
 * import { createAjv } from "./ajv_instances.ts";
 * const ajv = createAjv("draft2020-12", "declared", {});
 * ajv.compile({ type: "string" })("x"); // true
 * ```
 * @module
 */
import type { Ajv as AjvCore } from "ajv";
import { Ajv } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import draft6MetaSchema from "ajv/dist/refs/json-schema-draft-06.json" with {
  type: "json",
};
import type { Draft } from "./draft.ts";
import { boundedRegExp, linearRegExp } from "./linear_regexp.ts";
import type { ValidationMode } from "./validate.ts";
import { DECLARED_FORMATS, JSB_FORMATS } from "./formats.ts";
import { REF_OVERRIDES } from "./schema_rewrite.ts";
import { addExactNumbers } from "./exact_numbers.ts";

type AjvClass = new (options: Record<string, unknown>) => AjvCore;
const AjvDraft04 = AjvDraft04Module as unknown as AjvClass;
/**
 * ajv-formats' plugin (its module's default export, typed for Ajv's core).
 *
 * @example
 * ```ts
 * import { Ajv2020 } from "ajv/dist/2020.js";
 * import { addFormats } from "./ajv_instances.ts";
 * addFormats(new Ajv2020({ strict: false }));
 * ```
 */
export const addFormats = (addFormatsModule as unknown as {
  default: (ajv: AjvCore) => AjvCore;
}).default;

/**
 * The names of the formats checked in `jsb` mode.
 *
 * @example
 * ```ts
 * JSB_FORMAT_NAMES.includes("email"); // true
 * ```
 */
export const JSB_FORMAT_NAMES: readonly string[] = Object.keys(JSB_FORMATS);

/**
 * Keywords Ajv's class for a draft knows that the draft does not have:
 * a later draft's (`const`, `contains`, `propertyNames` are draft-06's;
 * `if`/`then`/`else` draft-07's), an earlier one's (`dependencies` left the
 * spec in 2019-09, `$recursiveRef` in 2020-12), or Ajv's own extensions
 * (ajv-formats' `formatMaximum` family). Each is an unknown keyword there,
 * and ignored.
 */
const AJV_EXTRAS = [
  "formatMaximum",
  "formatMinimum",
  "formatExclusiveMaximum",
  "formatExclusiveMinimum",
];
const NOT_IN_DRAFT: Record<Draft, string[]> = {
  "draft4": [
    ...AJV_EXTRAS,
    "const",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
  ],
  "draft6": [...AJV_EXTRAS, "if", "then", "else"],
  "draft7": AJV_EXTRAS,
  "draft2019-09": [
    ...AJV_EXTRAS,
    "dependencies",
    "$dynamicRef",
    "$dynamicAnchor",
  ],
  "draft2020-12": [
    ...AJV_EXTRAS,
    "dependencies",
    "$recursiveRef",
    "$recursiveAnchor",
  ],
};

/**
 * A fresh Ajv instance for one draft and mode; `remotes` are the only
 * documents a `$ref` outside the schema can reach.
 *
 * @example
 * ```ts
 * const ajv = createAjv("draft7", "jsb", {});
 * ajv.compile({ format: "email" })("a@b"); // true
 * ```
 */
export function createAjv(
  draft: Draft,
  mode: ValidationMode,
  remotes: Record<string, unknown>,
  backtrackingFallback = false,
): AjvCore {
  const options = {
    strict: false,
    logger: false,
    allErrors: true,
    $data: false,
    // Both modes check the schema against its meta-schema first, as the
    // paper's harness did with Draft202012Validator.check_schema.
    validateSchema: true,
    code: {
      // Ajv's optimizing pass over the generated code takes about a third
      // of a compile and saves little of a check (microseconds): the
      // compile is what a cold case waits for (docs/decisions.md).
      optimize: false,
      regExp: backtrackingFallback && mode === "jsb"
        ? boundedRegExp
        : linearRegExp,
    },
    // Drafts 4 to 7: keywords beside "$ref" are ignored.
    ignoreKeywordsWithRef: mode === "declared" && REF_OVERRIDES.has(draft),
  };
  const classes: Record<Draft, AjvClass> = {
    "draft4": AjvDraft04,
    "draft6": Ajv as unknown as AjvClass,
    "draft7": Ajv as unknown as AjvClass,
    "draft2019-09": Ajv2019 as unknown as AjvClass,
    "draft2020-12": Ajv2020 as unknown as AjvClass,
  };
  const ajv = new classes[draft](options);
  if (draft === "draft6") ajv.addMetaSchema(draft6MetaSchema);
  if (draft !== "draft4") ajv.removeKeyword("id");
  for (const keyword of NOT_IN_DRAFT[mode === "jsb" ? "draft2020-12" : draft]) {
    ajv.removeKeyword(keyword);
  }
  addExactNumbers(ajv, draft, mode);
  if (mode === "jsb") {
    for (const [name, validate] of Object.entries(JSB_FORMATS)) {
      ajv.addFormat(name, { validate });
    }
  } else {
    for (const [name, validate] of Object.entries(DECLARED_FORMATS)) {
      ajv.addFormat(name, { validate });
    }
  }
  for (const [uri, document] of Object.entries(remotes)) {
    try {
      ajv.addSchema(document as Record<string, unknown>, uri);
    } catch { /* a remote this draft cannot read is simply not reachable */ }
  }
  return ajv;
}
