/**
 * `deno task import`'s warnings: the cases of a saved suite whose schema
 * our validator cannot read (the suite is kept), one line each on stderr,
 * as `POST /api/suites` answers them (`warnings`) or, embedded, found with
 * a validation pool of the CLI's own.
 *
 * @example
 * ```ts
 * import { embeddedWarnings, printWarnings } from "./import_warnings.ts";
 * import type { PreparedSuite } from "../evaluators/case.ts";
 * declare const prepared: PreparedSuite;
 * const checker = embeddedWarnings();
 * printWarnings(prepared.name, await checker.check(prepared));
 * checker.close();
 * ```
 * @module
 */
import type { PreparedSuite } from "../evaluators/case.ts";
import { ValidationPool } from "../evaluators/validation/pool.ts";
import {
  type SchemaWarning,
  schemaWarnings,
} from "../evaluators/validation/schema_warnings.ts";

/** Lines printed per suite at most; the rest are counted. */
const SHOWN = 20;

/**
 * Prints one line per warning (at most 20, then how many more), on stderr.
 *
 * @example
 * ```ts
 * printWarnings("s", [{ path: "/cases/0", key: "a", kind: "invalid_schema", message: 'case "a": …' }]);
 * // warning: s /cases/0 invalid_schema: case "a": …
 * ```
 */
export function printWarnings(
  suite: string,
  warnings: readonly SchemaWarning[],
): void {
  for (const w of warnings.slice(0, SHOWN)) {
    console.error(`warning: ${suite} ${w.path} ${w.kind}: ${w.message}`);
  }
  if (warnings.length > SHOWN) {
    console.error(
      `warning: ${suite}: ${
        warnings.length - SHOWN
      } more cases our validator cannot read (the suite is kept)`,
    );
  }
}

/**
 * A checker for the embedded import: a validation pool started on first
 * use, closed with `close()`.
 *
 * @example
 * ```ts
 * import type { PreparedSuite } from "../evaluators/case.ts";
 * declare const prepared: PreparedSuite;
 * const checker = embeddedWarnings();
 * (await checker.check(prepared)).length; // 0 for a clean suite
 * checker.close();
 * ```
 */
export function embeddedWarnings(): {
  check(prepared: PreparedSuite): Promise<SchemaWarning[]>;
  close(): void;
} {
  let pool: ValidationPool | undefined;
  return {
    async check(prepared) {
      pool ??= new ValidationPool();
      return await schemaWarnings(pool.forMode("declared"), prepared.cases);
    },
    close() {
      pool?.close();
    },
  };
}
