/**
 * Honest skips. A test that needs something this machine lacks (a
 * llama-server, a PostgreSQL server) is reported as ignored, never as
 * passed; under `CI=true`, where everything must be there, it fails
 * instead, saying what is missing.
 *
 * @example
 * ```ts
 * import { needsTest } from "./missing.ts";
 * const missing = Deno.env.get("GPU") ? undefined : "no GPU";
 * needsTest({ name: "renders on the GPU", fn: () => {} }, missing);
 * ```
 * @module
 */

/**
 * Whether this is a CI run (`CI=true` or `CI=1`): missing needs fail there.
 *
 * @example
 * ```ts
 * import { IN_CI } from "./missing.ts";
 * console.log(IN_CI ? "missing engines fail" : "missing engines are ignored");
 * ```
 */
export const IN_CI: boolean = ["true", "1"].includes(
  (Deno.env.get("CI") ?? "").toLowerCase(),
);

const noted = new Set<string>();

/**
 * Registers `definition` as a test that needs something: as it is when
 * `missing` is undefined; ignored (with `missing` printed once) when it is
 * set outside CI; failing with `missing` as the message under CI.
 *
 * @example
 * ```ts
 * import { needsTest } from "./missing.ts";
 * needsTest(
 *   { name: "talks to the engine", fn: async () => {} },
 *   "llama-server is not set up",
 * );
 * ```
 */
export function needsTest(
  definition: Deno.TestDefinition,
  missing: string | undefined,
): void {
  if (missing === undefined) {
    Deno.test(definition);
    return;
  }
  if (IN_CI) {
    Deno.test({
      ...definition,
      ignore: false,
      fn: () => {
        throw new Error(`${missing} (CI=true: a missing need is a failure)`);
      },
    });
    return;
  }
  if (!noted.has(missing)) {
    noted.add(missing);
    console.log(`IGNORED, not passed: ${missing}`);
  }
  Deno.test({ ...definition, ignore: true });
}
