/**
 * Where the read-only shared data lies for tests and benchmarks: the
 * `shared/` folder beside the project root, or `SHARED_DIR` when set.
 * Test support of the lowest layer, so the tests of every layer may use it.
 *
 * @example
 * ```ts
 * import { sharedPath } from "./shared_dir.ts";
 * sharedPath("datasets/jsonschemabench"); // ".../shared/datasets/jsonschemabench"
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";

/**
 * The absolute path of `relative` inside the shared folder.
 *
 * @example
 * ```ts
 * await Deno.readTextFile(sharedPath("datasets/jsonschemabench/README.md"));
 * ```
 */
export function sharedPath(relative: string): string {
  const root = Deno.env.get("SHARED_DIR") ??
    fileURLToPath(new URL("../../../shared", import.meta.url));
  return `${root.replace(/\/$/, "")}/${relative}`;
}
