/**
 * What every chaos scenario shares before it starts anything: the timings
 * of leases, runs and processes, the {@link Context} it is given, its
 * database, and small helpers (steps on stderr with `--verbose`, sleeping,
 * free ports, seconds).
 *
 * @example
 * ```ts
 * import { LEASE_MS, note, seconds, sleep } from "./context.ts";
 * await sleep(LEASE_MS);
 * note(`waited ${seconds(LEASE_MS)}`);
 * ```
 * @module
 */
import { TEST_ADMIN_TOKEN } from "../../server/testing/api.ts";
import type { ProcessGroup } from "./proc.ts";
import type { ClusterPlace } from "./pg.ts";

/**
 * How long a worker holds a claim without renewal: a dead worker's cases
 * come back after it.
 *
 * @example
 * ```ts
 * await sleep(LEASE_MS + 1000); // every lease of a dead worker has expired
 * ```
 */
export const LEASE_MS = 3000;

/**
 * The longest a run may take before its scenario fails.
 *
 * @example
 * ```ts
 * seconds(RUN_TIMEOUT_MS); // "120.0 s"
 * ```
 */
export const RUN_TIMEOUT_MS = 120_000;

/**
 * How long a process may take to exit after SIGTERM before it is killed.
 * Every run is over by then, so nothing is lost by killing it.
 *
 * @example
 * ```ts
 * import type { ProcessGroup } from "./proc.ts";
 * declare const group: ProcessGroup;
 * await group.stopAll(STOP_GRACE_MS);
 * ```
 */
export const STOP_GRACE_MS = 2000;

/**
 * The longest a process may take to start.
 *
 * @example
 * ```ts
 * import type { ChildProc } from "./proc.ts";
 * declare const proc: ChildProc;
 * await proc.waitForLine(/listening on/, START_TIMEOUT_MS);
 * ```
 */
export const START_TIMEOUT_MS = 60_000;

/**
 * What every scenario is given.
 *
 * @example
 * ```ts
 * import { ProcessGroup } from "./proc.ts";
 * const ctx: Context = {
 *   adminUrl: "postgres://postgres@127.0.0.1:5432/postgres",
 *   llamaUrl: "http://127.0.0.1:8091",
 *   slots: 4,
 *   cluster: null,
 *   cases: 300,
 *   group: new ProcessGroup(await Deno.makeTempDir()),
 *   tag: `${Deno.pid}`,
 * };
 * ```
 */
export interface Context {
  /** A database URL on a server where scenarios may create databases. */
  adminUrl: string;
  /** The llama-server's base URL. */
  llamaUrl: string;
  /** Its parallel slots. */
  slots: number;
  /** The throwaway cluster, when it is ours (null: `DATABASE_URL` given). */
  cluster: ClusterPlace | null;
  /** Cases in the synthetic suite. */
  cases: number;
  /** The processes the scenario starts (stopped after each scenario). */
  group: ProcessGroup;
  /** Makes database names unique to this chaos run. */
  tag: string;
}

/**
 * A fresh database for one scenario: created, and dropped at the end.
 *
 * @example
 * ```ts
 * const db: ScenarioDb = { name: "chaos_cancel_1", url: "postgres://postgres@127.0.0.1:5432/chaos_cancel_1" };
 * ```
 */
export interface ScenarioDb {
  url: string;
  name: string;
}

let verbose = false;
const startedAt = Date.now();

/**
 * Turns the steps that {@link note} prints on or off (`--verbose`).
 *
 * @example
 * ```ts
 * setVerbose(true);
 * ```
 */
export function setVerbose(on: boolean): void {
  verbose = on;
}

/**
 * With `--verbose`: a timestamped step on stderr.
 *
 * @example
 * ```ts
 * note("worker-1 killed");
 * ```
 */
export function note(message: string): void {
  if (verbose) {
    console.error(`  [${seconds(Date.now() - startedAt)}] ${message}`);
  }
}

/**
 * A port of 127.0.0.1 that was free a moment ago.
 *
 * @example
 * ```ts
 * const port = freePort();
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Resolves after `ms` milliseconds.
 *
 * @example
 * ```ts
 * await sleep(100);
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Milliseconds as seconds with one decimal.
 *
 * @example
 * ```ts
 * seconds(1234); // "1.2 s"
 * ```
 */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * What a scenario says of a run that did not finish in time.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * const timedOut = true;
 * if (timedOut) problems.push(NOT_FINISHED); // "not finished within 120.0 s"
 * ```
 */
export const NOT_FINISHED: string = `not finished within ${
  seconds(RUN_TIMEOUT_MS)
}`;

/**
 * The servers' bootstrap admin token: the harness creates and reads runs.
 *
 * @example
 * ```ts
 * const headers = { authorization: `Bearer ${CHAOS_TOKEN}` };
 * ```
 */
export const CHAOS_TOKEN: string = TEST_ADMIN_TOKEN;
