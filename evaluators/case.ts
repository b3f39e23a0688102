/**
 * Turns a suite as posted (or imported) into the cases to store: checks the
 * limits, rejects duplicate keys, computes the content hash, and records for
 * every case its draft, the keywords its schema uses and its schema hash.
 * What breaks a rule comes back as a {@link SuiteProblem} (the server turns
 * it into a 400/413, an importer into an error), never as an exception.
 *
 * The suite hash covers the name and the cases (sorted by key; each case's
 * key, schema as written, prompt, subset and tags). Property order inside a
 * schema counts, because it is the order a constrained engine writes in. The
 * per-case `schemaHash` ignores key order: it addresses the validator cache.
 *
 * @example
 * ```ts
 * import { prepareSuite } from "./case.ts";
 * const { suite } = prepareSuite(
 *   { name: "demo", cases: [{ key: "a", schema: { type: "string" } }] },
 *   { kind: "api" },
 *   { maxCasesPerSuite: 100, maxSchemaBytes: 100_000, maxSchemaDepth: 32 },
 * );
 * suite?.cases[0].draft; // "draft2020-12"
 * ```
 * @module
 */
import { contentHash, sha256Hex } from "./validation/canonical_json.ts";
import { detectDraft } from "./validation/draft.ts";
import { jsonDepth, schemaKeywords } from "./validation/keywords.ts";

/**
 * One case as the API accepts it.
 *
 * @example
 * ```ts
 * import type { CaseInput } from "./case.ts";
 * const input: CaseInput = { key: "a", schema: { type: "string" }, tags: ["demo"] };
 * ```
 */
export interface CaseInput {
  key: string;
  schema: unknown;
  prompt?: string;
  /** A quality task: the known answer and how it is checked. */
  task?: QualityTaskSpec;
  subset?: string;
  tags?: string[];
}

/**
 * A quality task attached to a case: exact match on the answer.
 *
 * @example
 * ```ts
 * import type { QualityTaskSpec } from "./case.ts";
 * const task: QualityTaskSpec = { family: "arithmetic", expected: 5, checker: "exact" };
 * ```
 */
export interface QualityTaskSpec {
  family: string;
  expected: string | number;
  /** Default: `integer` when `expected` is a number. */
  answerType?: "string" | "integer";
  checker: "exact";
}

/**
 * A suite as the API accepts it.
 *
 * @example
 * ```ts
 * import type { SuiteInput } from "./case.ts";
 * const input: SuiteInput = { name: "demo", cases: [{ key: "a", schema: true }] };
 * ```
 */
export interface SuiteInput {
  name: string;
  version?: number;
  description?: string;
  cases: CaseInput[];
}

/**
 * One case, ready to insert.
 *
 * @example
 * ```ts
 * import type { PreparedSuite } from "./case.ts";
 * declare const suite: PreparedSuite;
 * const keys = suite.cases.map((c) => c.key);
 * ```
 */
export interface PreparedCase {
  ordinal: number;
  key: string;
  subset: string | null;
  tags: string[];
  schema: unknown;
  schemaHash: string;
  draft: string;
  declaredSchema: string | null;
  draftNote: string | null;
  keywords: string[];
  prompt: string | null;
  task: QualityTaskSpec | null;
}

/**
 * A suite, ready to store.
 *
 * @example
 * ```ts
 * import type { PreparedSuite } from "./case.ts";
 * declare const suite: PreparedSuite;
 * console.log(`${suite.name}: ${suite.cases.length} cases, hash ${suite.hash}`);
 * ```
 */
export interface PreparedSuite {
  name: string;
  version?: number;
  description: string | null;
  source: Record<string, unknown>;
  hash: string;
  cases: PreparedCase[];
}

/**
 * The size limits a suite must respect.
 *
 * @example
 * ```ts
 * import type { SuiteLimits } from "./case.ts";
 * const limits: SuiteLimits = { maxCasesPerSuite: 10_000, maxSchemaBytes: 100_000, maxSchemaDepth: 32 };
 * ```
 */
export interface SuiteLimits {
  maxCasesPerSuite: number;
  maxSchemaBytes: number;
  maxSchemaDepth: number;
  /** The longest per-case prompt, in UTF-8 bytes (MAX_PROMPT_BYTES). */
  maxPromptBytes?: number;
}

/**
 * Why a suite cannot be stored: the HTTP status it means (400 malformed,
 * 413 over a limit), a stable code, a sentence, and a JSON Pointer to the
 * offending part of the input.
 *
 * @example
 * ```ts
 * import type { SuiteProblem } from "./case.ts";
 * const problem: SuiteProblem = { status: 400, code: "duplicate_key", message: 'key "a" is also case 0', path: "/cases/1/key" };
 * ```
 */
export interface SuiteProblem {
  status: 400 | 413;
  code: string;
  message: string;
  path: string;
}

/**
 * A prepared suite, or the first problem found in its input.
 *
 * @example
 * ```ts
 * import type { Prepared } from "./case.ts";
 * declare const result: Prepared;
 * const name = result.suite ? result.suite.name : result.problem.message;
 * ```
 */
export type Prepared =
  | { suite: PreparedSuite; problem?: undefined }
  | { suite?: undefined; problem: SuiteProblem };

/**
 * Thrown by {@link prepareSuiteOrThrow}: the suite's problem, as an error.
 *
 * @example
 * ```ts
 * import { SuiteProblemError } from "./case.ts";
 * const error = new SuiteProblemError({ status: 400, code: "invalid_body", message: "a suite needs at least one case", path: "/cases" });
 * error.message; // "a suite needs at least one case"
 * ```
 */
export class SuiteProblemError extends Error {
  /** @param problem what is wrong with the suite */
  constructor(readonly problem: SuiteProblem) {
    super(problem.message);
    this.name = "SuiteProblemError";
  }
}

/**
 * Checks and prepares a suite; returns the first problem instead when the
 * input breaks a rule (no cases, too many, a duplicate key, a schema that is
 * not an object or boolean, too large, too deep, a prompt too large).
 *
 * @example
 * ```ts
 * import { prepareSuite } from "./case.ts";
 * const limits = { maxCasesPerSuite: 100, maxSchemaBytes: 100_000, maxSchemaDepth: 32 };
 * prepareSuite({ name: "x", cases: [] }, { kind: "api" }, limits).problem?.code;
 * // "invalid_body"
 * ```
 */
export function prepareSuite(
  input: SuiteInput,
  source: Record<string, unknown>,
  limits: SuiteLimits,
): Prepared {
  const problem = (
    status: 400 | 413,
    code: string,
    message: string,
    path: string,
  ): Prepared => ({ problem: { status, code, message, path } });
  if (input.cases.length === 0) {
    return problem(
      400,
      "invalid_body",
      "a suite needs at least one case",
      "/cases",
    );
  }
  if (input.cases.length > limits.maxCasesPerSuite) {
    return problem(
      413,
      "too_many_cases",
      `${input.cases.length} cases; the limit is ${limits.maxCasesPerSuite} (MAX_CASES_PER_SUITE)`,
      "/cases",
    );
  }
  const seen = new Map<string, number>();
  const cases: PreparedCase[] = [];
  for (const [index, c] of input.cases.entries()) {
    const path = `/cases/${index}`;
    const earlier = seen.get(c.key);
    if (earlier !== undefined) {
      return problem(
        400,
        "duplicate_key",
        `key "${c.key}" is also case ${earlier}`,
        `${path}/key`,
      );
    }
    seen.set(c.key, index);
    const isSchema = typeof c.schema === "boolean" ||
      (typeof c.schema === "object" && c.schema !== null &&
        !Array.isArray(c.schema));
    if (!isSchema) {
      return problem(
        400,
        "invalid_schema",
        "a schema must be a JSON object or a boolean",
        `${path}/schema`,
      );
    }
    const text = JSON.stringify(c.schema);
    if (text.length > limits.maxSchemaBytes) {
      return problem(
        413,
        "schema_too_large",
        `schema of ${text.length} bytes; the limit is ${limits.maxSchemaBytes} (MAX_SCHEMA_BYTES)`,
        `${path}/schema`,
      );
    }
    const depth = jsonDepth(c.schema);
    if (depth > limits.maxSchemaDepth) {
      return problem(
        400,
        "schema_too_deep",
        `schema nested ${depth} levels; the limit is ${limits.maxSchemaDepth} (MAX_SCHEMA_DEPTH)`,
        `${path}/schema`,
      );
    }
    const promptBytes = c.prompt
      ? new TextEncoder().encode(c.prompt).length
      : 0;
    if (limits.maxPromptBytes && promptBytes > limits.maxPromptBytes) {
      return problem(
        413,
        "prompt_too_large",
        `prompt of ${promptBytes} bytes; the limit is ${limits.maxPromptBytes} (MAX_PROMPT_BYTES)`,
        `${path}/prompt`,
      );
    }
    const draft = detectDraft(c.schema);
    cases.push({
      ordinal: index,
      key: c.key,
      subset: c.subset ?? null,
      tags: c.tags ?? [],
      schema: c.schema,
      schemaHash: contentHash(c.schema),
      draft: draft.draft,
      // Text as read: the database layer makes it storable (NUL, surrogates).
      declaredSchema: draft.declared,
      draftNote: draft.note,
      keywords: schemaKeywords(c.schema),
      prompt: c.prompt ?? null,
      task: c.task ?? null,
    });
  }
  const hashed = [...cases].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0
  )
    .map((c) => ({
      key: c.key,
      schema: c.schema,
      prompt: c.prompt,
      subset: c.subset,
      tags: c.tags,
      ...(c.task ? { task: c.task } : {}),
    }));
  return {
    suite: {
      name: input.name,
      version: input.version,
      description: input.description ?? null,
      source,
      hash: sha256Hex(JSON.stringify({ name: input.name, cases: hashed })),
      cases,
    },
  };
}

/**
 * {@link prepareSuite} for callers with no use for a problem but to stop:
 * the prepared suite, or a thrown {@link SuiteProblemError}.
 *
 * @example
 * ```ts
 * import { prepareSuiteOrThrow } from "./case.ts";
 * const limits = { maxCasesPerSuite: 100, maxSchemaBytes: 100_000, maxSchemaDepth: 32 };
 * const suite = prepareSuiteOrThrow({ name: "demo", cases: [{ key: "a", schema: true }] }, { kind: "api" }, limits);
 * suite.cases.length; // 1
 * ```
 */
export function prepareSuiteOrThrow(
  input: SuiteInput,
  source: Record<string, unknown>,
  limits: SuiteLimits,
): PreparedSuite {
  const { suite, problem } = prepareSuite(input, source, limits);
  if (problem) throw new SuiteProblemError(problem);
  return suite;
}
