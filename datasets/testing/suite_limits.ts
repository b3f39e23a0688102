/**
 * The server's default suite limits (MAX_CASES_PER_SUITE, MAX_SCHEMA_BYTES,
 * MAX_SCHEMA_DEPTH, MAX_PROMPT_BYTES when the environment sets none), for
 * importer tests that prepare suites without a server.
 *
 * @example
 * ```ts
 * import { SUITE_LIMITS } from "./suite_limits.ts";
 * SUITE_LIMITS.maxCasesPerSuite; // 20000
 * ```
 * @module
 */
import type { SuiteLimits } from "../../evaluators/case.ts";

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * import { SUITE_LIMITS } from "./suite_limits.ts";
 * const { maxSchemaDepth } = SUITE_LIMITS; // 64
 * ```
 */
export const SUITE_LIMITS: SuiteLimits = {
  maxCasesPerSuite: 20000,
  maxSchemaBytes: 1024 * 1024,
  maxSchemaDepth: 64,
  maxPromptBytes: 64 * 1024,
};
