/**
 * Tests that need a real engine: the local llama-server that
 * `bash scripts/dev/setup_llama_server.sh` extracts into `.cache/llama/`
 * (found with `llamaServerPaths`, as `startLlamaServer` finds it). Where it
 * is missing, these tests are reported as ignored, never as passed; under
 * `CI=true` they fail. Test support of the lowest layer: the server's
 * database tests on the engine (`llamaDbTest`) build on it.
 *
 * @example
 * ```ts
 * import { startLlamaServer } from "./llama_server.ts";
 * import { llamaTest } from "./engines.ts";
 * llamaTest("the engine answers", async () => {
 *   const server = await startLlamaServer({ slots: 1, ctxPerSlot: 1024 });
 *   await server.stop();
 * });
 * ```
 * @module
 */
import { llamaServerPaths } from "./llama_server.ts";
import { needsTest } from "../../testing/missing.ts";

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
