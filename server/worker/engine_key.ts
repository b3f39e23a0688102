/**
 * Which engine a target sends to: the origin of its base URL (scheme, host
 * and port: one engine process, whatever path, target, run or worker), or
 * the kind for a hosted provider reached at its default address
 * (`localhost` and `[::1]` are named `127.0.0.1`). Outages and suspect
 * isolation are kept per engine key.
 *
 * @example
 * ```ts
 * import { engineKeyOf } from "./engine_key.ts";
 * engineKeyOf({ kind: "openai-compatible", baseUrl: "http://LOCALHOST:8080/v1/" });
 * // "http://localhost:8080"
 * engineKeyOf({ kind: "openai", baseUrl: null }); // "openai"
 * ```
 * @module
 */
import type { TargetConfig } from "../../evaluators/targets/target.ts";

/**
 * The engine key of a target (see the module doc).
 *
 * @example
 * ```ts
 * import { engineKeyOf } from "./engine_key.ts";
 * engineKeyOf({ kind: "llamacpp", baseUrl: "http://127.0.0.1:8080" }); // "http://127.0.0.1:8080"
 * ```
 */
export function engineKeyOf(
  config: Pick<TargetConfig, "kind" | "baseUrl">,
): string {
  if (!config.baseUrl) return config.kind;
  try {
    const url = new URL(config.baseUrl);
    // One loopback engine, however it is named.
    if (["localhost", "[::1]"].includes(url.hostname)) {
      url.hostname = "127.0.0.1";
    }
    return url.origin;
  } catch {
    return config.baseUrl;
  }
}
