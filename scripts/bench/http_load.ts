/**
 * HTTP load with autocannon (npm, pinned in `deno.json`): `connections`
 * keep-alive connections hammer one URL for `durationS` seconds. Used by
 * `deno task bench` (`leaderboard_rps_ratio`) and the load test.
 *
 * @example
 * ```ts
 * import { httpLoad } from "./http_load.ts";
 * const r = await httpLoad({ url: "http://127.0.0.1:8000/", connections: 64, durationS: 5 });
 * console.log(r.rps, r.p99Ms, r.errors + r.non2xx);
 * ```
 * @module
 */
import autocannon from "autocannon";

/** The part of autocannon's result read here (the package ships no types). */
interface AutocannonResult {
  duration: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

const runAutocannon = autocannon as unknown as (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  timeout: number;
}) => Promise<AutocannonResult>;

/**
 * What one load run measured.
 *
 * @example
 * ```ts
 * declare const url: string;
 * const result: HttpLoadResult = await httpLoad({ url, connections: 64, durationS: 3 });
 * ```
 */
export interface HttpLoadResult {
  url: string;
  connections: number;
  durationS: number;
  /** Requests completed (any status). */
  requests: number;
  /** Mean requests per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses outside 2xx. */
  non2xx: number;
}

/**
 * Options of {@link httpLoad}.
 *
 * @example
 * ```ts
 * declare const url: string;
 * const options: HttpLoadOptions = { url, connections: 64, durationS: 5, headers: { authorization: "Bearer …" } };
 * ```
 */
export interface HttpLoadOptions {
  url: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
  /** Seconds one request may take before it counts as a timeout (default 30). */
  timeoutS?: number;
}

/**
 * Runs the load and resolves with its figures.
 *
 * @example
 * ```ts
 * declare const base: string;
 * const { rps } = await httpLoad({ url: `${base}/bench/hello`, connections: 64, durationS: 5 });
 * ```
 */
export async function httpLoad(
  options: HttpLoadOptions,
): Promise<HttpLoadResult> {
  const result = await runAutocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    headers: options.headers ?? {},
    timeout: options.timeoutS ?? 30,
  });
  return {
    url: options.url,
    connections: options.connections,
    durationS: options.durationS,
    requests: result.requests.total,
    rps: result.requests.total / Math.max(result.duration, 1e-9),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
