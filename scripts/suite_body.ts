/**
 * A prepared suite as the `POST /api/suites` body that stores it again,
 * its source kept: how `deno task import` (through a holding server) and
 * `deno task run --config` (its importer suites) send what the importers
 * of `datasets/` made.
 *
 * @example
 * ```ts
 * import { suiteBody } from "./suite_body.ts";
 * import type { PreparedSuite } from "../evaluators/case.ts";
 * declare const prepared: PreparedSuite;
 * const body = JSON.stringify(suiteBody(prepared));
 * ```
 * @module
 */
import type { PreparedSuite } from "../evaluators/case.ts";

/**
 * The body of `POST /api/suites` for `prepared`.
 *
 * @example
 * ```ts
 * import type { PreparedSuite } from "../evaluators/case.ts";
 * declare const prepared: PreparedSuite;
 * suiteBody(prepared).name === prepared.name; // true
 * ```
 */
export function suiteBody(prepared: PreparedSuite): Record<string, unknown> {
  return {
    name: prepared.name,
    ...(prepared.version ? { version: prepared.version } : {}),
    ...(prepared.description ? { description: prepared.description } : {}),
    source: prepared.source,
    cases: prepared.cases.map((c) => ({
      key: c.key,
      schema: c.schema,
      ...(c.prompt !== null ? { prompt: c.prompt } : {}),
      ...(c.task ? { task: c.task } : {}),
      ...(c.subset !== null ? { subset: c.subset } : {}),
      ...(c.tags.length ? { tags: c.tags } : {}),
    })),
  };
}
