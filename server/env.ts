/**
 * The environment, read and checked once at start-up. A bad value stops the
 * server with a message that names the variable; nothing else in the code
 * reads `Deno.env`.
 *
 * @example
 * ```ts
 * import { readEnv } from "./env.ts";
 * const env = readEnv({ PORT: "8080" });
 * console.log(env.port); // 8080
 * ```
 * @module
 */
import { hostname } from "node:os";
import type { KeywordThresholds } from "../evaluators/metrics/keyword_matrix.ts";
import { DEFAULT_SECRET_ALLOWLIST } from "./auth/secrets.ts";

/** The checked configuration of one server or worker process. */
export interface Env {
  /** `PORT`: the HTTP port (default 8000). */
  port: number;
  /** `HOST`: the address to listen on (default 0.0.0.0). */
  host: string;
  /** `DATABASE_URL`: a PostgreSQL URL; unset means embedded PGlite. */
  databaseUrl?: string;
  /** `DATA_DIR`: where PGlite keeps its files (default ./data). */
  dataDir: string;
  /** `MAX_BODY_BYTES`: the largest request body accepted (default 32 MiB). */
  maxBodyBytes: number;
  /** `MAX_CASES_PER_SUITE`: the most cases one suite may hold (default 20000). */
  maxCasesPerSuite: number;
  /** `MAX_SCHEMA_BYTES`: the largest schema of one case, as JSON (default 1 MiB). */
  maxSchemaBytes: number;
  /** `MAX_SCHEMA_DEPTH`: the deepest nesting of one case's schema (default 64). */
  maxSchemaDepth: number;
  /** `LOAD_BUILTIN_SUITES`: load the built-in suites at start (default true). */
  loadBuiltinSuites: boolean;
  /** `RUN_WORKER`: run the queue worker inside the server (default true). */
  runWorker: boolean;
  /** `WORKER_ID`: this process's name on the leases it holds (default host-pid). */
  workerId: string;
  /** `WORKER_LEASE_MS`: how long a claimed case stays claimed without renewal (default 60000). */
  workerLeaseMs: number;
  /** `SECRET_ENV_ALLOWLIST`: globs of variable names a target may name as its key (default `*_API_KEY,*_TOKEN`). */
  secretAllowlist: string[];
  /** `RUN_SCHEDULER`: fire schedules in this server (default true). */
  runScheduler: boolean;
  /** `SCHEDULER_TICK_MS`: how often schedules are checked (default 1000). */
  schedulerTickMs: number;
  /** `SCHEDULES_FILE`: schedules to create or update at start-up. */
  schedulesFile?: string;
  /** `ADMIN_TOKEN`: a bootstrap token with every scope (at least 16 characters); unset means none. */
  adminToken?: string;
  /** `WRITE_RATE_PER_MINUTE`: writes allowed per token and, apart, per client address, per minute (default 60). */
  writeRatePerMinute: number;
  /** `TRUST_PROXY`: take the client address from `X-Forwarded-For` (default false). */
  trustProxy: boolean;
  /** `MAX_RUNS_IN_FLIGHT_PER_TOKEN`: pending or running runs one token may have (default 4). */
  maxRunsInFlightPerToken: number;
  /** `MAX_PROMPT_BYTES`: the longest prompt of one case or template (default 64 KiB). */
  maxPromptBytes: number;
  /** `MAX_OUTPUT_CHARS`: the longest engine output stored; longer is kept truncated and flagged (default 256 KiB). */
  maxOutputChars: number;
  /** `VALIDATION_TIMEOUT_MS`: the hard bound on checking one output, enforced by stopping the validating worker (default 2000). */
  validationTimeoutMs: number;
  /** `COMPILE_TIMEOUT_MS`: the hard bound on compiling one schema (default 20000). */
  compileTimeoutMs: number;
  /** `TARGET_ALLOWED_HOSTS`: hosts or CIDRs a target's base_url may name even though they are link-local or cloud metadata addresses (default none). */
  targetAllowedHosts: string[];
  /** `MAX_EVENT_STREAMS`: run event streams the process holds in all; more is 429 (default 200). */
  maxEventStreams: number;
  /** `MAX_EVENT_STREAMS_PER_CLIENT`: event streams one client address, and apart one token, may hold (default 8). */
  maxEventStreamsPerClient: number;
  /** `EVENT_STREAM_IDLE_MS`: an event stream whose run shows no progress for this long is closed (default 300000). */
  eventStreamIdleMs: number;
  /** `HEADERS_TIMEOUT_MS`: a connection that has not sent a request's headers within this is closed with 408 (default 10000). */
  headersTimeoutMs: number;
  /** `REQUEST_TIMEOUT_MS`: a request whose body has not arrived in full within this is closed with 408 (default 120000). */
  requestTimeoutMs: number;
  /** `MAX_CONNECTIONS_PER_CLIENT`: open connections one client address may hold; more are closed at once (default 256). */
  maxConnectionsPerClient: number;
  /** `MIN_FREE_DISK_PERCENT`: health is degraded when the data directory's disk has less free (default 5). */
  minFreeDiskPercent: number;
  /** `MIN_FREE_DISK_MB`: health is degraded when the data directory's disk has fewer MiB free (default 200). */
  minFreeDiskMb: number;
  /** `CASE_DEADLINE_MS`: one case's bound over all its attempts and waits; an attempt that reaches it ends as a request timeout (default 600000). */
  caseDeadlineMs: number;
  /**
   * The keyword matrix's rules (`/keywords`): `KEYWORD_REFUSED_PERCENT`
   * (default 50), `KEYWORD_UNSOUND_MIN_CASES` (default 2),
   * `KEYWORD_UNSOUND_PERCENT` (default 5).
   */
  keywordThresholds: KeywordThresholds;
  /** `ENGINE_DOWN_MAX_MS`: how long a run waits for its engine to answer again before it fails `engine_down` (default 900000, 15 minutes). */
  engineDownMaxMs: number;
}

/** A variable that is set but cannot be used; the message names it. */
export class EnvError extends Error {
  /** @param variable the variable's name @param problem what is wrong */
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = "EnvError";
  }
}

function integer(
  source: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = source[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new EnvError(name, `expected a whole number, got "${raw}"`);
  }
  const value = Number(raw.trim());
  if (value < min || value > max) {
    throw new EnvError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function flag(
  source: Record<string, string | undefined>,
  name: string,
  fallback: boolean,
): boolean {
  const raw = source[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new EnvError(name, `expected true or false, got "${source[name]}"`);
}

function adminToken(raw: string | undefined): string | undefined {
  const token = raw?.trim();
  if (!token) return undefined;
  if (token.length < 16) {
    throw new EnvError("ADMIN_TOKEN", "must be at least 16 characters");
  }
  return token;
}

function list(raw: string | undefined): string[] {
  return (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * Reads and checks the configuration from `source` (the process
 * environment by default). Throws {@link EnvError} on a bad value.
 *
 * @example
 * ```ts
 * const env = readEnv({ DATABASE_URL: "postgres://u:p@127.0.0.1/db" });
 * env.databaseUrl; // "postgres://u:p@127.0.0.1/db"
 * ```
 */
export function readEnv(
  source: Record<string, string | undefined> = Deno.env.toObject(),
): Env {
  const databaseUrl = source.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new EnvError(
      "DATABASE_URL",
      "expected a postgres:// or postgresql:// URL",
    );
  }
  return {
    port: integer(source, "PORT", 8000, 0, 65535),
    host: source.HOST?.trim() || "0.0.0.0",
    databaseUrl,
    dataDir: source.DATA_DIR?.trim() || "./data",
    maxBodyBytes: integer(source, "MAX_BODY_BYTES", 32 * 1024 * 1024, 1024),
    maxCasesPerSuite: integer(source, "MAX_CASES_PER_SUITE", 20000, 1),
    maxSchemaBytes: integer(source, "MAX_SCHEMA_BYTES", 1024 * 1024, 64),
    maxSchemaDepth: integer(source, "MAX_SCHEMA_DEPTH", 64, 2, 900),
    loadBuiltinSuites: flag(source, "LOAD_BUILTIN_SUITES", true),
    runWorker: flag(source, "RUN_WORKER", true),
    workerId: source.WORKER_ID?.trim() || `${hostname()}-${Deno.pid}`,
    workerLeaseMs: integer(source, "WORKER_LEASE_MS", 60_000, 1000),
    runScheduler: flag(source, "RUN_SCHEDULER", true),
    schedulerTickMs: integer(source, "SCHEDULER_TICK_MS", 1000, 100),
    schedulesFile: source.SCHEDULES_FILE?.trim() || undefined,
    adminToken: adminToken(source.ADMIN_TOKEN),
    writeRatePerMinute: integer(source, "WRITE_RATE_PER_MINUTE", 60, 1),
    trustProxy: flag(source, "TRUST_PROXY", false),
    maxRunsInFlightPerToken: integer(
      source,
      "MAX_RUNS_IN_FLIGHT_PER_TOKEN",
      4,
      1,
    ),
    maxPromptBytes: integer(source, "MAX_PROMPT_BYTES", 64 * 1024, 256),
    maxOutputChars: integer(source, "MAX_OUTPUT_CHARS", 256 * 1024, 1024),
    validationTimeoutMs: integer(source, "VALIDATION_TIMEOUT_MS", 2000, 10),
    compileTimeoutMs: integer(source, "COMPILE_TIMEOUT_MS", 20_000, 100),
    targetAllowedHosts: list(source.TARGET_ALLOWED_HOSTS),
    maxEventStreams: integer(source, "MAX_EVENT_STREAMS", 200, 1),
    maxEventStreamsPerClient: integer(
      source,
      "MAX_EVENT_STREAMS_PER_CLIENT",
      8,
      1,
    ),
    eventStreamIdleMs: integer(source, "EVENT_STREAM_IDLE_MS", 300_000, 1000),
    headersTimeoutMs: integer(source, "HEADERS_TIMEOUT_MS", 10_000, 100),
    requestTimeoutMs: integer(source, "REQUEST_TIMEOUT_MS", 120_000, 100),
    maxConnectionsPerClient: integer(
      source,
      "MAX_CONNECTIONS_PER_CLIENT",
      256,
      1,
    ),
    minFreeDiskPercent: integer(source, "MIN_FREE_DISK_PERCENT", 5, 0, 100),
    minFreeDiskMb: integer(source, "MIN_FREE_DISK_MB", 200, 0),
    caseDeadlineMs: integer(source, "CASE_DEADLINE_MS", 600_000, 1000),
    keywordThresholds: {
      refusedShare: integer(source, "KEYWORD_REFUSED_PERCENT", 50, 1, 100) /
        100,
      unsoundMinCases: integer(source, "KEYWORD_UNSOUND_MIN_CASES", 2, 1),
      unsoundShare: integer(source, "KEYWORD_UNSOUND_PERCENT", 5, 0, 100) / 100,
    },
    engineDownMaxMs: integer(source, "ENGINE_DOWN_MAX_MS", 900_000, 1000),
    secretAllowlist: source.SECRET_ENV_ALLOWLIST?.trim()
      ? source.SECRET_ENV_ALLOWLIST.split(",").map((s) => s.trim()).filter(
        Boolean,
      )
      : DEFAULT_SECRET_ALLOWLIST,
  };
}

/**
 * For entry points: the environment, or exit 2 with a message naming the
 * bad variable.
 *
 * @example
 * ```ts
 * const env = readEnvOrExit();
 * ```
 */
export function readEnvOrExit(): Env {
  try {
    return readEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`configuration error: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
}
