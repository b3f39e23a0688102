/**
 * Tests that need a real engine: the local llama-server that
 * `bash scripts/dev/setup_llama_server.sh` extracts into `.cache/llama/`
 * (found with `llamaServerPaths`, as `startLlamaServer` finds it). Where it
 * is missing, these tests are reported as ignored, never as passed; under
 * `CI=true` they fail.
 *
 * @example
 * ```ts
 * import { startLlamaServer } from "../../scripts/dev/llama_server.ts";
 * import { llamaTest } from "./engines.ts";
 * llamaTest("the engine answers", async () => {
 *   const server = await startLlamaServer({ slots: 1, ctxPerSlot: 1024 });
 *   await server.stop();
 * });
 * ```
 * @module
 */
import { llamaServerPaths } from "../../scripts/dev/llama_server.ts";
import type { Database } from "../db/client.ts";
import { dbTest } from "./database.ts";
import { needsTest } from "./missing.ts";

/**
 * Why the llama-server tests cannot run here, or undefined when the server
 * is set up.
 *
 * @example
 * ```ts
 * import { LLAMA_MISSING } from "./engines.ts";
 * if (LLAMA_MISSING) console.log(LLAMA_MISSING);
 * ```
 */
export const LLAMA_MISSING: string | undefined = (await llamaServerPaths())
  ? undefined
  : "llama-server tests: the llama-server is not set up (run `bash scripts/dev/setup_llama_server.sh`)";

/** A test of {@link llamaTest}: a name and a function, or a whole definition. */
export type LlamaTestDefinition = Omit<Deno.TestDefinition, "ignore">;

/**
 * Registers a test that needs the llama-server: ignored when it is missing,
 * failing when it is missing under `CI=true`.
 *
 * @example
 * ```ts
 * import { llamaTest } from "./engines.ts";
 * llamaTest("runs on the engine", async () => {});
 * llamaTest({
 *   name: "runs with steps",
 *   sanitizeResources: false,
 *   fn: async (t) => {
 *     await t.step("one", () => {});
 *   },
 * });
 * ```
 */
export function llamaTest(
  name: string,
  fn: (t: Deno.TestContext) => void | Promise<void>,
): void;
export function llamaTest(definition: LlamaTestDefinition): void;
export function llamaTest(
  nameOrDefinition: string | LlamaTestDefinition,
  fn?: (t: Deno.TestContext) => void | Promise<void>,
): void {
  const definition = typeof nameOrDefinition === "string"
    ? { name: nameOrDefinition, fn: fn! }
    : nameOrDefinition;
  needsTest(definition, LLAMA_MISSING);
}

/**
 * A {@link dbTest} that needs the llama-server: one test per backend, each
 * with a fresh database, ignored (or failing under `CI=true`) when the
 * server is missing.
 *
 * @example
 * ```ts
 * import { llamaDbTest } from "./engines.ts";
 * llamaDbTest("a run on the engine is stored", async (database) => {
 *   console.log(database.kind);
 * });
 * ```
 */
export function llamaDbTest(
  name: string,
  fn: (database: Database) => Promise<void>,
): void {
  dbTest(name, fn, { missing: LLAMA_MISSING });
}
