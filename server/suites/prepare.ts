/**
 * The server half of preparing a suite: {@link prepareSuite} of
 * `evaluators/case.ts` (checks, hashes, drafts, keywords), with the first
 * problem it finds thrown as a 400/413 {@link ApiError} whose path points
 * at the offending case.
 *
 * @example
 * ```ts
 * import { prepareSuite } from "./prepare.ts";
 * const limits = { maxCasesPerSuite: 100, maxSchemaBytes: 100_000, maxSchemaDepth: 32 };
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
  type PreparedSuite,
  prepareSuite as prepare,
  type SuiteInput,
  type SuiteLimits,
} from "../../evaluators/case.ts";
import { ApiError } from "../errors.ts";

export type {
  CaseInput,
  PreparedCase,
  PreparedSuite,
  QualityTaskSpec,
  SuiteInput,
  SuiteLimits,
} from "../../evaluators/case.ts";

/**
 * Checks and prepares a suite. Throws a 400/413 {@link ApiError} whose path
 * points at the offending case.
 *
 * @example
 * ```ts
 * import { prepareSuite } from "./prepare.ts";
 * const limits = { maxCasesPerSuite: 100, maxSchemaBytes: 100_000, maxSchemaDepth: 32 };
 * prepareSuite({ name: "x", cases: [] }, { kind: "api" }, limits); // throws
 * ```
 */
export function prepareSuite(
  input: SuiteInput,
  source: Record<string, unknown>,
  limits: SuiteLimits,
): PreparedSuite {
  const { suite, problem } = prepare(input, source, limits);
  if (problem) {
    throw new ApiError(
      problem.status,
      problem.code,
      problem.message,
      problem.path,
    );
  }
  return suite;
}
