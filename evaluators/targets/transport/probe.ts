/**
 * An engine's health probe as every fetch-based adapter asks it: one GET
 * within 5 s, redirects refused, the body not read; up when any HTTP
 * answer comes but a 502, 503 or 504 (`answersAsUp`), down when nothing
 * answers.
 *
 * @example
 * ```ts
 * import { probeUp } from "./probe.ts";
 * await probeUp("http://127.0.0.1:8080/health", AbortSignal.timeout(5000)); // false when nothing listens
 * ```
 * @module
 */
import { answersAsUp } from "./http_errors.ts";

/**
 * Whether `url` answers as an engine that is up (see the module doc).
 *
 * @example
 * ```ts
 * import { probeUp } from "./probe.ts";
 * await probeUp("http://127.0.0.1:11434/api/version", AbortSignal.timeout(5000), {});
 * ```
 */
export async function probeUp(
  url: string,
  signal: AbortSignal,
  headers: Record<string, string> = {},
  http: typeof fetch = fetch,
): Promise<boolean> {
  try {
    const response = await http(url, {
      headers,
      redirect: "error",
      signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
    });
    await response.body?.cancel();
    return answersAsUp(response.status);
  } catch {
    return false;
  }
}
