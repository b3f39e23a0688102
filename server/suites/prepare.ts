/**
 * Turns a suite as posted (or imported) into the rows to store: checks the
 * limits, rejects duplicate keys, computes the content hash, and records for
 * every case its draft, the keywords its schema uses and its schema hash.
 *
 * The suite hash covers the name and the cases (sorted by key; each case's
 * key, schema as written, prompt, subset and tags). Property order inside a
 * schema counts, because it is the order a constrained engine writes in. The
 * per-case `schema_hash` ignores key order: it addresses the validator cache.
 *
 * @example
 * ```ts
 * import { prepareSuite } from "./prepare.ts";
 * import type { SuiteLimits } from "./prepare.ts";
 * declare const limits: SuiteLimits;
 * const suite = prepareSuite(
 *   { name: "demo", cases: [{ key: "a", schema: { type: "string" } }] },
 *   { kind: "api" },
 *   limits,
 * );
 * suite.cases[0].draft; // "draft2020-12"
 * ```
 * @module
 */
import {
  contentHash,
  sha256Hex,
} from "../../evaluators/validation/canonical_json.ts";
import { detectDraft } from "../../evaluators/validation/draft.ts";
import {
  jsonDepth,
  schemaKeywords,
} from "../../evaluators/validation/keywords.ts";
import { ApiError } from "../errors.ts";
import { storable } from "../db/storable.ts";

/** One case as the API accepts it. */
export interface CaseInput {
  key: string;
  schema: unknown;
  prompt?: string;
  /** A quality task: the known answer and how it is checked. */
  task?: QualityTaskSpec;
  subset?: string;
  tags?: string[];
}

/** A quality task attached to a case: exact match on the answer. */
export interface QualityTaskSpec {
  family: string;
  expected: string | number;
  /** Default: `integer` when `expected` is a number. */
  answerType?: "string" | "integer";
  checker: "exact";
}

/** A suite as the API accepts it. */
export interface SuiteInput {
  name: string;
  version?: number;
  description?: string;
  cases: CaseInput[];
}

/** One case, ready to insert. */
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

/** A suite, ready to store. */
export interface PreparedSuite {
  name: string;
  version?: number;
  description: string | null;
  source: Record<string, unknown>;
  hash: string;
  cases: PreparedCase[];
}

/** The size limits a suite must respect. */
export interface SuiteLimits {
  maxCasesPerSuite: number;
  maxSchemaBytes: number;
  maxSchemaDepth: number;
  /** The longest per-case prompt, in UTF-8 bytes (MAX_PROMPT_BYTES). */
  maxPromptBytes?: number;
}

/**
 * Checks and prepares a suite. Throws a 400/413 {@link ApiError} whose path
 * points at the offending case.
 *
 * @example
 * ```ts
 * import type { SuiteLimits } from "./prepare.ts";
 * declare const limits: SuiteLimits;
 * prepareSuite({ name: "x", cases: [] }, { kind: "api" }, limits); // throws
 * ```
 */
export function prepareSuite(
  input: SuiteInput,
  source: Record<string, unknown>,
  limits: SuiteLimits,
): PreparedSuite {
  if (input.cases.length === 0) {
    throw new ApiError(
      400,
      "invalid_body",
      "a suite needs at least one case",
      "/cases",
    );
  }
  if (input.cases.length > limits.maxCasesPerSuite) {
    throw new ApiError(
      413,
      "too_many_cases",
      `${input.cases.length} cases; the limit is ${limits.maxCasesPerSuite} (MAX_CASES_PER_SUITE)`,
      "/cases",
    );
  }
  const seen = new Map<string, number>();
  const cases = input.cases.map((c, index): PreparedCase => {
    const path = `/cases/${index}`;
    const earlier = seen.get(c.key);
    if (earlier !== undefined) {
      throw new ApiError(
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
      throw new ApiError(
        400,
        "invalid_schema",
        "a schema must be a JSON object or a boolean",
        `${path}/schema`,
      );
    }
    const text = JSON.stringify(c.schema);
    if (text.length > limits.maxSchemaBytes) {
      throw new ApiError(
        413,
        "schema_too_large",
        `schema of ${text.length} bytes; the limit is ${limits.maxSchemaBytes} (MAX_SCHEMA_BYTES)`,
        `${path}/schema`,
      );
    }
    const depth = jsonDepth(c.schema);
    if (depth > limits.maxSchemaDepth) {
      throw new ApiError(
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
      throw new ApiError(
        413,
        "prompt_too_large",
        `prompt of ${promptBytes} bytes; the limit is ${limits.maxPromptBytes} (MAX_PROMPT_BYTES)`,
        `${path}/prompt`,
      );
    }
    const draft = detectDraft(c.schema);
    return {
      ordinal: index,
      key: c.key,
      subset: c.subset ?? null,
      tags: c.tags ?? [],
      schema: c.schema,
      schemaHash: contentHash(c.schema),
      draft: draft.draft,
      // What reaches text columns from a schema: NUL replaced (see storable).
      declaredSchema: storable(draft.declared),
      draftNote: storable(draft.note),
      keywords: storable(schemaKeywords(c.schema)),
      prompt: c.prompt ?? null,
      task: c.task ?? null,
    };
  });
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
    name: input.name,
    version: input.version,
    description: input.description ?? null,
    source,
    hash: sha256Hex(JSON.stringify({ name: input.name, cases: hashed })),
    cases,
  };
}
