/**
 * One JSON POST to an engine, as every fetch-based adapter sends it:
 * redirects refused (a redirect could lead past the base_url rules), a
 * non-2xx answer read as its typed error, a thrown failure (refused,
 * reset, timeout) as its transport error.
 *
 * @example
 * ```ts
 * import { postJson } from "./post_json.ts";
 * const sent = await postJson("http://127.0.0.1:8080/completion", { prompt: "hi" }, AbortSignal.timeout(5000));
 * if (sent instanceof Response) console.log(await sent.json());
 * else console.log(sent.kind, sent.message);
 * ```
 * @module
 */
import { errorFromException, errorFromResponse } from "./http_errors.ts";
import type { TargetError } from "../target.ts";

/**
 * Posts `body` as JSON with `http` (default the global fetch; a target's
 * is the registry's pinned one); the response when it is 2xx, else the
 * typed error.
 *
 * @example
 * ```ts
 * import { postJson } from "./post_json.ts";
 * const sent = await postJson("http://127.0.0.1:11434/api/chat", {}, AbortSignal.timeout(1000), { "x-api-key": "k" });
 * sent instanceof Response; // true when the engine answered 2xx
 * ```
 */
export async function postJson(
  url: string,
  body: unknown,
  signal: AbortSignal,
  headers: Record<string, string> = {},
  http: typeof fetch = fetch,
): Promise<Response | TargetError> {
  try {
    const response = await http(url, {
      method: "POST",
      redirect: "error",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal,
    });
    if (!response.ok) return await errorFromResponse(response);
    return response;
  } catch (error) {
    return errorFromException(error);
  }
}
