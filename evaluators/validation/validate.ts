/**
 * The benchmark's ground truth: draft-aware JSON Schema validation.
 *
 * - The draft comes from `$schema` (see {@link detectDraft}); a run may
 *   choose `mode: "jsb"` instead, which reproduces JSONSchemaBench's harness
 *   (2020-12 rules for every schema, `$schema` and unknown keywords ignored).
 * - Formats are checked; unknown formats are ignored.
 * - A remote `$ref` is never fetched: only documents passed as `remotes`
 *   resolve.
 * - `pattern` and `patternProperties` run on a linear-time engine.
 * - Compiled validators are cached by schema hash (LRU); each Ajv instance is
 *   replaced after a number of compiles, so a long-running server does not
 *   keep every schema it has ever seen.
 * - Each error is reduced to the failing keyword and the instance path.
 *
 * @example
 * ```ts
 * import { SchemaValidator } from "./validate.ts";
 * const validator = new SchemaValidator();
 * const verdict = validator.validate({ type: "integer" }, "7");
 * verdict.status; // "invalid"
 * verdict.errors[0]; // { keyword: "type", instance_path: "", ... }
 * ```
 * @module
 */
import type { Ajv as AjvCore, ValidateFunction } from "ajv";
import { createAjv, JSB_FORMAT_NAMES } from "./ajv_instances.ts";
import { contentHash } from "./canonical_json.ts";
import { detectDraft, type Draft, type DraftInfo } from "./draft.ts";
import { UnsupportedPatternError } from "./linear_regexp.ts";
import { walkSchema } from "./keywords.ts";
import { findRefCycle } from "./ref_cycles.ts";
import { prepare, reduceErrors, withoutAsync } from "./prepare.ts";
import { type NumberLiterals, withLiterals } from "./number_literals.ts";

export { JSB_FORMAT_NAMES };

/** `declared`: the schema's own draft. `jsb`: JSONSchemaBench's harness rules. */
export type ValidationMode = "declared" | "jsb";

/** One validation error, reduced to what a report needs. */
export interface ValidationError {
  /** The keyword that failed (`type`, `required`, `pattern` …). */
  keyword: string;
  /** JSON Pointer into the instance. */
  instance_path: string;
  /** JSON Pointer into the schema, ending at the failing keyword. */
  schema_path: string;
  message: string;
  /** Set on the errors of a failing `anyOf`/`oneOf`'s branches. */
  branch?: boolean;
  /** The format a `format` error is about. */
  format?: string;
}

/** What validating one instance gave. */
export type Verdict =
  | { status: "valid"; errors: []; draft: DraftInfo }
  | { status: "invalid"; errors: ValidationError[]; draft: DraftInfo }
  | {
    status: "invalid_schema";
    /** `unsupported_pattern`: valid schema, but a pattern RE2 cannot run. */
    kind: SchemaProblem;
    reason: string;
    errors: [];
    draft: DraftInfo;
  };

/**
 * Why a schema could not be compiled or an instance checked:
 * `unsupported_pattern` a pattern RE2 cannot run; `ref_cycle` a `$ref` loop
 * that never reaches into the instance; the rest come from a
 * `ValidationPool` (the time bounds, a validating worker that died).
 */
export type SchemaProblem =
  | "invalid_schema"
  | "unsupported_pattern"
  | "ref_cycle"
  | "compile_timeout"
  | "validation_timeout"
  | "validator_crashed";

/** A compiled schema, ready to check instances. */
export interface Compiled {
  ok: true;
  draft: DraftInfo;
  /** Milliseconds the compile took (0 when served from the cache). */
  compileMs: number;
  /**
   * `literals`: the numbers of the instance as its text wrote them, where
   * a double misreads them (`numberLiterals` in `number_literals.ts`); the numeric keywords
   * then compare exactly.
   */
  check(instance: unknown, literals?: NumberLiterals | null): Verdict;
}

/** A schema that could not be compiled, with the reason. */
export interface NotCompiled {
  ok: false;
  draft: DraftInfo;
  kind: SchemaProblem;
  reason: string;
  compileMs: number;
}

/** Options of a {@link SchemaValidator}. */
export interface ValidatorOptions {
  mode: ValidationMode;
  /** Documents that `$ref` may reach by URI (never fetched). */
  remotes: Record<string, unknown>;
  /** Compiled schemas kept (LRU). */
  cacheSize: number;
  /** Errors kept per verdict. */
  maxErrors: number;
  /** Compiles after which an Ajv instance is replaced by a fresh one. */
  rotateAfter: number;
  /**
   * The deepest subschema nesting compiled (Ajv's recursion overflows the
   * stack below 1,000 levels; JSONSchemaBench's deepest schema has 16).
   */
  maxDepth: number;
  /**
   * `jsb` only: a pattern RE2 cannot run runs on the JavaScript engine
   * (`boundedRegExp`). Set by the validation pool's workers, whose checks
   * are time-bounded from outside; never where nothing bounds a check.
   */
  backtrackingFallback: boolean;
}

const DEFAULTS: ValidatorOptions = {
  mode: "declared",
  remotes: {},
  cacheSize: 2000,
  maxErrors: 20,
  rotateAfter: 500,
  maxDepth: 200,
  backtrackingFallback: false,
};

/**
 * Validates instances against schemas, compiling each schema once.
 *
 * @example
 * ```ts
 * const v = new SchemaValidator({ mode: "jsb" });
 * v.validate({ $schema: "http://json-schema.org/draft-04/schema#", type: "string" }, "x").status; // "valid"
 * ```
 */
export class SchemaValidator {
  readonly options: ValidatorOptions;
  readonly #instances = new Map<Draft, { ajv: AjvCore; compiles: number }>();
  readonly #cache = new Map<string, Compiled | NotCompiled>();

  /** @param options overrides of the defaults (declared mode, no remotes) */
  constructor(options: Partial<ValidatorOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  #ajv(draft: Draft): { ajv: AjvCore; compiles: number } {
    let entry = this.#instances.get(draft);
    if (!entry || entry.compiles >= this.options.rotateAfter) {
      entry = {
        ajv: createAjv(
          draft,
          this.options.mode,
          this.options.remotes,
          this.options.backtrackingFallback,
        ),
        compiles: 0,
      };
      this.#instances.set(draft, entry);
    }
    return entry;
  }

  #compileOn(draft: Draft, schema: unknown): ValidateFunction {
    const entry = this.#ajv(draft);
    entry.compiles++;
    try {
      let fn = entry.ajv.compile(schema as Record<string, unknown>);
      if (typeof schema === "object") {
        entry.ajv.removeSchema(schema as Record<string, unknown>);
      }
      if ((fn as { $async?: boolean }).$async) {
        // "$async" is Ajv's own keyword (a validator that answers with a
        // promise), not JSON Schema's: like any unknown keyword, ignored.
        const plain = withoutAsync(schema);
        fn = entry.ajv.compile(plain as Record<string, unknown>);
        entry.ajv.removeSchema(plain as Record<string, unknown>);
      }
      return fn;
    } catch (error) {
      // A failed compile may leave half-registered ids behind: start afresh.
      this.#instances.delete(draft);
      throw error;
    }
  }

  /**
   * Compiles `schema` (or returns the cached result). `draft` forces a
   * draft instead of detecting it; `hash` saves hashing a known schema.
   *
   * @example
   * ```ts
   * const validator = new SchemaValidator();
   * const compiled = validator.compile({ type: "string" });
   * if (compiled.ok) compiled.check("x").status; // "valid"
   * ```
   */
  compile(
    schema: unknown,
    options: { draft?: Draft; hash?: string } = {},
  ): Compiled | NotCompiled {
    let hash = options.hash;
    try {
      hash ??= contentHash(schema);
    } catch (error) {
      // Nested too deeply even to hash: no validator could compile it.
      return this.#failed(schema, options.draft, "invalid_schema", error);
    }
    const key = `${options.draft ?? ""}|${hash}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return { ...cached, compileMs: 0 };
    }
    const result = this.#compileFresh(schema, options.draft);
    this.#cache.set(key, result);
    if (this.#cache.size > this.options.cacheSize) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    return result;
  }

  #draftOf(schema: unknown, forced?: Draft): DraftInfo {
    const detected = detectDraft(schema);
    return this.options.mode === "jsb"
      ? {
        draft: "draft2020-12",
        declared: detected.declared,
        note: "jsb: 2020-12 rules, $schema ignored",
      }
      : forced
      ? { draft: forced, declared: detected.declared, note: `forced ${forced}` }
      : detected;
  }

  #failed(
    schema: unknown,
    forced: Draft | undefined,
    kind: SchemaProblem,
    problem: unknown,
    started = performance.now(),
  ): NotCompiled {
    let reason = problem instanceof Error ? problem.message : String(problem);
    if (problem instanceof RangeError && /call stack/.test(reason)) {
      reason = `the schema nests too deeply to compile (${reason})`;
    }
    return {
      ok: false,
      draft: this.#draftOf(schema, forced),
      kind,
      reason: reason.slice(0, 2000),
      compileMs: performance.now() - started,
    };
  }

  #compileFresh(schema: unknown, forced?: Draft): Compiled | NotCompiled {
    const started = performance.now();
    if (
      typeof schema !== "boolean" &&
      (typeof schema !== "object" || schema === null || Array.isArray(schema))
    ) {
      const reason = "a schema must be an object or a boolean";
      return this.#failed(schema, forced, "invalid_schema", reason, started);
    }
    const limit = this.options.maxDepth;
    let depth = 0;
    walkSchema(
      schema,
      (node) => depth = Math.max(depth, node.depth),
      limit + 1,
    );
    if (depth > limit) {
      const reason = `the schema nests more than ${limit} subschemas deep`;
      return this.#failed(schema, forced, "invalid_schema", reason, started);
    }
    const draft = this.#draftOf(schema, forced);
    const cycle = findRefCycle(schema, draft.draft);
    if (cycle) {
      return this.#failed(schema, forced, "ref_cycle", cycle.message, started);
    }
    let fn: ValidateFunction;
    try {
      const prepared = prepare(
        schema,
        draft.draft,
        this.options.mode,
        forced !== undefined,
      );
      try {
        fn = this.#compileOn(draft.draft, prepared);
      } catch (error) {
        // A root $id that clashes with a registered document (often a copy
        // of a meta-schema): compile again without it.
        const message = error instanceof Error ? error.message : "";
        const root = prepared as Record<string, unknown>;
        if (
          !/already exists/.test(message) || typeof root !== "object" ||
          !("$id" in root || "id" in root)
        ) throw error;
        const { $id: _a, id: _b, ...rest } = root;
        fn = this.#compileOn(draft.draft, rest);
      }
    } catch (error) {
      const kind: SchemaProblem = error instanceof UnsupportedPatternError
        ? "unsupported_pattern"
        : "invalid_schema";
      return this.#failed(schema, forced, kind, error, started);
    }
    const maxErrors = this.options.maxErrors;
    return {
      ok: true,
      draft,
      compileMs: performance.now() - started,
      check(instance: unknown, literals?: NumberLiterals | null): Verdict {
        let valid: boolean;
        try {
          valid = withLiterals(literals, () => fn(instance) as boolean);
        } catch (error) {
          // The generated code itself failed (for instance, a stack overflow
          // on a self-referencing schema): the schema cannot be evaluated.
          const reason = error instanceof Error ? error.message : String(error);
          return {
            status: "invalid_schema",
            kind: "invalid_schema",
            reason: `validation failed: ${reason}`,
            errors: [],
            draft,
          };
        }
        if (valid) return { status: "valid", errors: [], draft };
        return {
          status: "invalid",
          errors: reduceErrors(fn.errors, maxErrors),
          draft,
        };
      },
    };
  }

  /**
   * Compiles (cached) and checks one instance.
   *
   * @example
   * ```ts
   * const validator = new SchemaValidator();
   * validator.validate({ required: ["a"] }, {}).errors[0].keyword; // "required"
   * ```
   */
  validate(
    schema: unknown,
    instance: unknown,
    options: { draft?: Draft; hash?: string } = {},
  ): Verdict {
    const compiled = this.compile(schema, options);
    if (!compiled.ok) {
      return {
        status: "invalid_schema",
        kind: compiled.kind,
        reason: compiled.reason,
        errors: [],
        draft: compiled.draft,
      };
    }
    return compiled.check(instance);
  }
}
