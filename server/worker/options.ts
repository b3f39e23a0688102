/**
 * The worker's settings: what each one means, its default, and which of
 * them the environment decides.
 *
 * @example
 * ```ts
 * import { workerEnvOptions } from "./options.ts";
 * import { Worker } from "./worker.ts";
 * import type { Database } from "../db/client.ts";
 * import type { Env } from "../env.ts";
 * declare const database: Database;
 * declare const env: Env;
 * const worker = new Worker(database, {
 *   workerId: "server-1",
 *   ...workerEnvOptions(env),
 * });
 * ```
 * @module
 */
import type { PriceTable } from "../../evaluators/metrics/price_table.ts";
import type { Env } from "../env.ts";

/**
 * Worker settings.
 *
 * @example
 * ```ts
 * import type { WorkerOptions } from "./options.ts";
 * const fast: Partial<WorkerOptions> = { pollMs: 20, graceMs: 200 };
 * ```
 */
export interface WorkerOptions {
  /** Unique per process; leases carry it. */
  workerId: string;
  /** How long a claim holds without renewal (default 60 s). */
  leaseMs: number;
  /** How long to sleep when there is nothing to do (default 500 ms). */
  pollMs: number;
  /** How long `stop()` lets running cases finish (default 10 s). */
  graceMs: number;
  /** Reads an environment variable by name: how API keys reach targets. */
  secret: (name: string) => string | undefined;
  /** Called after each written result (progress, tests). */
  onResult?: (runId: string, outcome: string) => void;
  /** The price table (default: `schemas/prices.json`). */
  prices?: PriceTable;
  /** The first retry backoff; doubles each time, with jitter (default 500 ms). */
  backoffMs: number;
  /** The hard bound on checking one output (`VALIDATION_TIMEOUT_MS`, default 2000). */
  validationTimeoutMs: number;
  /** The hard bound on compiling one schema (`COMPILE_TIMEOUT_MS`, default 20000). */
  compileTimeoutMs: number;
  /** The longest output stored; longer is kept truncated and flagged (`MAX_OUTPUT_CHARS`). */
  maxOutputChars: number;
  /** Hosts or CIDRs a target may reach although link-local or metadata (`TARGET_ALLOWED_HOSTS`). */
  allowedHosts: string[];
  /** One case's bound over all its attempts and waits (`CASE_DEADLINE_MS`, default 600000). */
  caseDeadlineMs: number;
  /** How long a run waits for a down engine before it fails `engine_down` (`ENGINE_DOWN_MAX_MS`, default 15 min). */
  engineDownMaxMs: number;
  /** How often a down engine's health is asked, at most (default 1000 ms). */
  probeMs: number;
}

/**
 * The defaults of every setting but the id.
 *
 * @example
 * ```ts
 * import { WORKER_DEFAULTS } from "./options.ts";
 * WORKER_DEFAULTS.leaseMs; // 60000
 * ```
 */
export const WORKER_DEFAULTS: Readonly<Omit<WorkerOptions, "workerId">> = {
  leaseMs: 60_000,
  pollMs: 500,
  graceMs: 10_000,
  backoffMs: 500,
  validationTimeoutMs: 2000,
  compileTimeoutMs: 20_000,
  maxOutputChars: 256 * 1024,
  allowedHosts: [],
  caseDeadlineMs: 600_000,
  engineDownMaxMs: 900_000,
  probeMs: 1000,
  secret: () => undefined,
};

/**
 * The worker options the environment decides (everything but the id and
 * the secret reader).
 *
 * @example
 * ```ts
 * import { workerEnvOptions } from "./options.ts";
 * import type { Env } from "../env.ts";
 * declare const env: Env;
 * workerEnvOptions(env).leaseMs === env.workerLeaseMs; // true
 * ```
 */
export function workerEnvOptions(env: Env): Pick<
  WorkerOptions,
  | "leaseMs"
  | "validationTimeoutMs"
  | "compileTimeoutMs"
  | "maxOutputChars"
  | "allowedHosts"
  | "caseDeadlineMs"
  | "engineDownMaxMs"
> {
  return {
    leaseMs: env.workerLeaseMs,
    validationTimeoutMs: env.validationTimeoutMs,
    compileTimeoutMs: env.compileTimeoutMs,
    maxOutputChars: env.maxOutputChars,
    allowedHosts: env.targetAllowedHosts,
    caseDeadlineMs: env.caseDeadlineMs,
    engineDownMaxMs: env.engineDownMaxMs,
  };
}
