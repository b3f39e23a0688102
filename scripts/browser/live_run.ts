/**
 * A run that is still going while a browser looks at it: a provider stub
 * that answers every request after a pause, one at a time, so that a run
 * of a few cases lasts some seconds and its report's headline has to
 * follow it live. Used by the browser test and the screenshots script.
 *
 * @example
 * ```ts
 * import { startSlowRun } from "./live_run.ts";
 * declare const url: string;
 * declare const suiteId: string;
 * const slow = await startSlowRun(url, suiteId, { delayMs: 400 });
 * console.log(`${url}/runs/${slow.runId}`);
 * await slow.stop();
 * ```
 * @module
 */
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { ADMIN_HEADERS } from "../../server/testing/api.ts";

/** A slow run and the stub it talks to. */
export interface SlowRun {
  runId: string;
  /** Stops the stub (the run's remaining cases then end `infra_error`). */
  stop(): Promise<void>;
}

async function post(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: ADMIN_HEADERS,
    body: JSON.stringify(body),
  });
  const json = await res.json() as { id?: string };
  if (!res.ok || !json.id) {
    throw new Error(`POST ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  }
  return json.id;
}

/**
 * Starts a public run of `suiteId` on a stub target that answers `{}`
 * after `delayMs`, one case at a time.
 *
 * @example
 * ```ts
 * declare const url: string;
 * declare const suiteId: string;
 * const { runId, stop } = await startSlowRun(url, suiteId);
 * ```
 */
export async function startSlowRun(
  base: string,
  suiteId: string,
  options: { delayMs?: number } = {},
): Promise<SlowRun> {
  const delayMs = options.delayMs ?? 400;
  const stub = await startProviderStub(async () => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return chatStream("{}");
  });
  try {
    const targetId = await post(base, "/api/targets", {
      name: "stub-slow",
      kind: "openai",
      base_url: `${stub.url}/v1`,
      model: "stub-slow-model",
      mode: "json_object",
      max_concurrency: 1,
      params: { max_tokens: 32 },
    });
    const runId = await post(base, "/api/runs", {
      suite_id: suiteId,
      target_id: targetId,
      public: true,
      options: { retries: 0, concurrency: 1 },
    });
    return { runId, stop: () => stub.stop() };
  } catch (error) {
    await stub.stop();
    throw error;
  }
}
