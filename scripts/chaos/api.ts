/**
 * The chaos harness's calls of the server's HTTP API, as the admin: post
 * the synthetic suite and a llama.cpp target, create a run, read one.
 *
 * @example
 * ```ts
 * import { createRun, setupSuite } from "./api.ts";
 * import type { Context } from "./context.ts";
 * declare const ctx: Context;
 * declare const base: string;
 * const run = await createRun(base, await setupSuite(ctx, base, ctx.llamaUrl));
 * ```
 * @module
 */
import { ADMIN_HEADERS } from "../../server/testing/api.ts";
import { CHAOS_TOKEN, type Context, note } from "./context.ts";
import { chaosSuite } from "./suite.ts";

/**
 * One call of the server's HTTP API as the admin; throws on a status that
 * is not 2xx.
 *
 * @example
 * ```ts
 * declare const base: string;
 * const run = await api<{ status: string }>(base, "GET", "/api/runs/1");
 * ```
 */
export async function api<T>(
  base: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined
      ? { authorization: `Bearer ${CHAOS_TOKEN}` }
      : { ...ADMIN_HEADERS, authorization: `Bearer ${CHAOS_TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  }
  return JSON.parse(text) as T;
}

/**
 * The ids of the posted suite and target.
 *
 * @example
 * ```ts
 * const ids: SuiteIds = { suiteId: "1", targetId: "2" };
 * ```
 */
export interface SuiteIds {
  suiteId: string;
  targetId: string;
}

/**
 * Posts the suite and a llama.cpp target (at `baseUrl`); returns their ids.
 *
 * @example
 * ```ts
 * import type { Context } from "./context.ts";
 * declare const ctx: Context;
 * declare const base: string;
 * const ids = await setupSuite(ctx, base, ctx.llamaUrl);
 * ```
 */
export async function setupSuite(
  ctx: Context,
  base: string,
  baseUrl: string,
): Promise<SuiteIds> {
  const suite = await api<{ id: string }>(
    base,
    "POST",
    "/api/suites",
    chaosSuite(ctx.cases),
  );
  const target = await api<{ id: string }>(base, "POST", "/api/targets", {
    name: "chaos llama",
    kind: "llamacpp",
    base_url: baseUrl,
    mode: "json_schema",
    params: { max_tokens: 64 },
  });
  return { suiteId: suite.id, targetId: target.id };
}

/**
 * A run that was created: its id and its number of cases.
 *
 * @example
 * ```ts
 * const run: Run = { id: "7", caseCount: 300 };
 * ```
 */
export interface Run {
  id: string;
  caseCount: number;
}

/**
 * Creates a run of the suite on the target.
 *
 * @example
 * ```ts
 * declare const base: string;
 * declare const ids: SuiteIds;
 * const run = await createRun(base, ids);
 * ```
 */
export async function createRun(base: string, ids: SuiteIds): Promise<Run> {
  const run = await api<{ id: string; case_count: number }>(
    base,
    "POST",
    "/api/runs",
    { suite_id: ids.suiteId, target_id: ids.targetId },
  );
  note(`run ${run.id} created with ${run.case_count} cases`);
  return { id: run.id, caseCount: run.case_count };
}
