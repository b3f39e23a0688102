/**
 * `deno task run`: runs one suite on one target from the command line and
 * prints its scores.
 *
 * ```sh
 * deno task run --suite NAME|ID --target URL|NAME [--mode M] [--endpoint E]
 *   [--limit N] [--concurrency N] [--max-tokens N] [--temperature T]
 *   [--validation declared|jsb] [--server URL] [--json]
 * ```
 *
 * Two ways to run, the same runner underneath:
 * - embedded (the default): opens the database the environment names
 *   (`DATABASE_URL`, or PGlite in `DATA_DIR`), applies the migrations,
 *   loads the built-in suites, creates the run (`trigger: "cli"`) and drives
 *   an in-process {@link Worker} until the run is done;
 * - through a server: with `--server URL`, or when a server already answers
 *   `GET http://127.0.0.1:$PORT/api/health` (PGlite is one process's
 *   database), the run is created with `POST /api/runs` and followed with
 *   `GET /api/runs/:id`.
 *
 * Progress goes to stderr, the score table (or with `--json` the run's
 * JSON) to stdout. Exit codes: 0 the run is done, 1 it failed, 2 bad
 * arguments, 130 interrupted (Ctrl-C: the cases not yet run stay pending).
 *
 * @example
 * ```sh
 * deno task run --suite smoke --target http://127.0.0.1:8080 --limit 10
 * deno task run --suite glaive --target local-qwen --json > run.json
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { createApp } from "../../server/app.ts";
import { loadBuiltinSuites } from "../../server/suites/builtin.ts";
import { openDatabase } from "../../server/db/client.ts";
import { migrateDatabase } from "../../server/db/migrate.ts";
import { activeRuns, createRun, getRun } from "../../server/db/queries/runs.ts";
import { getTarget } from "../../server/db/queries/targets.ts";
import { type Env, EnvError, readEnv } from "../../server/env.ts";
import { ApiError } from "../../server/errors.ts";
import { checkBody } from "../../server/http/request_body.ts";
import {
  resolveRunOptions,
  type RunOptionsInput,
} from "../../server/runs/options.ts";
import { secretReader } from "../../server/auth/secrets.ts";
import { Worker } from "../../server/worker/worker.ts";
import { workerEnvOptions } from "../../server/worker/options.ts";
import { generateToken } from "../../server/auth/tokens.ts";
import { formatProgress, formatReport, type RunJson } from "./report.ts";
import { isUuid } from "../../evaluators/validation/uuid.ts";

const USAGE = `usage: deno task run --suite NAME|ID --target URL|NAME [options]

  --suite NAME|ID       a suite id, or a suite name (its latest version)
  --target URL|NAME     a stored target's name or id, or the http(s):// URL of
                        a llama-server (an ad-hoc llamacpp target is created,
                        or reused, named "llamacpp <url> <mode>[ <endpoint>]")
  --mode M              URL targets: json_schema (default) | json_object |
                        prompt_only
  --endpoint E          URL targets: chat (default) | completion
  --limit N             only the first N cases of the suite
  --concurrency N       requests in flight (default: the engine's slot count)
  --max-tokens N        the most tokens one answer may have (default 1024)
  --temperature T       0 to 2 (default 0)
  --validation V        declared (each schema's own draft, default) | jsb
  --server URL          go through that server's API (default: the server on
                        http://127.0.0.1:$PORT when one answers, otherwise the
                        embedded database: DATABASE_URL, or PGlite in DATA_DIR);
                        the token is EVAL_TOKEN (a write token; an admin one
                        for URL targets), else ADMIN_TOKEN
  --public              publish the run (default: private, readable with the
                        token that made it, an admin token or its share link)
  --json                print the run's JSON (as GET /api/runs/:id) instead of
                        the table
  -h, --help            this text

Progress goes to stderr, results to stdout. Exit status: 0 the run is done,
1 it failed, 2 bad arguments, 130 interrupted (Ctrl-C; the cases not yet run
stay pending, and the server or worker on the same database finishes them).`;

const MODES = ["json_schema", "json_object", "prompt_only"] as const;
const ENDPOINTS = ["chat", "completion"] as const;
const VALIDATIONS = ["declared", "jsb"] as const;

/** A failure with its exit status; `usage` adds the usage hint. */
class CliError extends Error {
  constructor(message: string, readonly code = 1, readonly usage = false) {
    super(message);
    this.name = "CliError";
  }
}

const badArgument = (message: string) => new CliError(message, 2, true);

/** The checked command line. */
interface CliArgs {
  suite: string;
  /** A target name or id, when not a URL. */
  target?: string;
  /** A llama-server to reach through an ad-hoc target. */
  url?: { baseUrl: string; mode: string; endpoint: string | null };
  options: RunOptionsInput;
  server?: string;
  json: boolean;
  /** Publish the run (default: private to its token and share link). */
  public: boolean;
}

function integer(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || value < min || value > max) {
    throw badArgument(
      `--${name} must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw badArgument(
      `--${name} must be one of ${allowed.join(", ")}, got "${raw}"`,
    );
  }
  return raw as T;
}

/** An http(s) URL without a trailing slash, query or fragment. */
function baseUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badArgument(`--${name} is not a URL: "${raw}"`);
  }
  if (!["http:", "https:"].includes(url.protocol) || url.search || url.hash) {
    throw badArgument(
      `--${name} must be an http(s):// URL without query or fragment, got "${raw}"`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** Parses and checks the arguments; null for `--help`. */
function parseCli(args: string[]): CliArgs | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        suite: { type: "string" },
        target: { type: "string" },
        mode: { type: "string" },
        endpoint: { type: "string" },
        limit: { type: "string" },
        concurrency: { type: "string" },
        "max-tokens": { type: "string" },
        temperature: { type: "string" },
        validation: { type: "string" },
        server: { type: "string" },
        json: { type: "boolean" },
        public: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw badArgument((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  if (!v.suite) throw badArgument("--suite is required");
  if (!v.target) throw badArgument("--target is required");
  const mode = oneOf("mode", v.mode, MODES);
  const endpoint = oneOf("endpoint", v.endpoint, ENDPOINTS);
  let temperature: number | undefined;
  if (v.temperature !== undefined) {
    temperature = Number(v.temperature);
    if (
      v.temperature.trim() === "" || !Number.isFinite(temperature) ||
      temperature < 0 || temperature > 2
    ) {
      throw badArgument(
        `--temperature must be a number from 0 to 2, got "${v.temperature}"`,
      );
    }
  }
  const options: RunOptionsInput = {
    limit: integer("limit", v.limit, 1, Number.MAX_SAFE_INTEGER),
    concurrency: integer("concurrency", v.concurrency, 1, 1024),
    max_tokens: integer("max-tokens", v["max-tokens"], 1, 131072),
    temperature,
    validation: oneOf("validation", v.validation, VALIDATIONS),
  };
  for (const key of Object.keys(options) as (keyof RunOptionsInput)[]) {
    if (options[key] === undefined) delete options[key];
  }
  const isUrl = /^https?:\/\//i.test(v.target);
  if (!isUrl && (mode || endpoint)) {
    throw badArgument(
      "--mode and --endpoint apply to a URL target only (a stored target has its own)",
    );
  }
  return {
    suite: v.suite,
    target: isUrl ? undefined : v.target,
    url: isUrl
      ? {
        baseUrl: baseUrl("target", v.target),
        mode: mode ?? "json_schema",
        endpoint: endpoint === "completion" ? "completion" : null,
      }
      : undefined,
    options,
    server: v.server === undefined ? undefined : baseUrl("server", v.server),
    json: v.json ?? false,
    public: v.public ?? false,
  };
}

/** Where the run's progress stands. */
interface Progress {
  status: string;
  done: number;
  total: number;
  byOutcome: Record<string, number>;
}

/** The embedded database or a server: the same calls either way. */
interface Backend {
  /** Says which path was taken. */
  readonly label: string;
  /** Whether Ctrl-C stops the run's processing (embedded) or only the watch. */
  readonly embedded: boolean;
  /** One API call: the in-process app, or the server over HTTP. */
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  createRun(
    suiteId: string,
    targetId: string,
    options: RunOptionsInput,
    isPublic: boolean,
  ): Promise<{ id: string; cases: number }>;
  progress(runId: string): Promise<Progress>;
  /** Stops the worker (embedded), handing back what it has not finished. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

interface ApiAnswer {
  status: number;
  json: Record<string, unknown>;
}

function apiMessage(answer: ApiAnswer): string {
  const error = answer.json.error as { message?: string } | undefined;
  return error?.message ?? `HTTP ${answer.status}`;
}

async function embeddedBackend(env: Env, probed?: string): Promise<Backend> {
  const database = await openDatabase({
    url: env.databaseUrl,
    dataDir: env.dataDir,
  });
  try {
    await migrateDatabase(database);
    if (env.loadBuiltinSuites) await loadBuiltinSuites(database, env);
  } catch (error) {
    await database.close();
    throw error;
  }
  const tallies = new Map<string, Record<string, number>>();
  const worker = new Worker(database, {
    workerId: `cli-${env.workerId}`,
    ...workerEnvOptions(env),
    pollMs: 200,
    secret: secretReader(env.secretAllowlist, (name) => Deno.env.get(name)),
    onResult: (runId, outcome) => {
      const tally = tallies.get(runId);
      if (tally) tally[outcome] = (tally[outcome] ?? 0) + 1;
    },
  });
  // The embedded runner is the operator of its own database: its in-process
  // API calls carry a one-off admin token that never leaves this process.
  const localToken = generateToken("local_");
  const app = createApp({
    database,
    env: { ...env, adminToken: localToken, writeRatePerMinute: 1_000_000 },
    onRunCreated: () => worker.wake(),
  });
  const totals = new Map<string, number>();
  let started = false;
  const stop = async () => {
    if (started) await worker.stop();
    started = false;
  };
  return {
    label: `the embedded runner on ${
      env.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${env.dataDir}`
    }${probed ? ` (no server answers on ${probed})` : ""}`,
    embedded: true,
    async call(method, path, body) {
      const res = await app.request(path, {
        method,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${localToken}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    async createRun(suiteId, targetId, input, isPublic) {
      const target = await getTarget(database, targetId);
      if (!target) throw new CliError(`target ${targetId} vanished`);
      checkBody("run_create", {
        suite_id: suiteId,
        target_id: targetId,
        options: input,
      });
      const earlier = (await activeRuns(database)).length;
      if (earlier > 0) {
        console.error(
          `note: ${earlier} unfinished earlier run(s) in this database will be worked on as well`,
        );
      }
      const options = resolveRunOptions(input, target);
      const { run, cases } = await createRun(database, {
        suiteId,
        targetId: target.id,
        trigger: "cli",
        public: isPublic,
        options,
        limit: options.limit ?? undefined,
      });
      tallies.set(run.id, {});
      totals.set(run.id, cases);
      if (!started) worker.start();
      started = true;
      worker.wake();
      return { id: run.id, cases };
    },
    async progress(runId) {
      const run = await getRun(database, runId);
      const byOutcome = { ...tallies.get(runId) };
      return {
        status: run?.status ?? "missing",
        done: Object.values(byOutcome).reduce((a, b) => a + b, 0),
        total: totals.get(runId) ?? 0,
        byOutcome,
      };
    },
    stop,
    async close() {
      await stop();
      await database.close();
    },
  };
}

function serverBackend(server: string, why: string): Backend {
  const token = Deno.env.get("EVAL_TOKEN")?.trim() ||
    Deno.env.get("ADMIN_TOKEN")?.trim();
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer> => {
    let res: Response;
    try {
      res = await fetch(`${server}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new CliError(
        `the server at ${server} did not answer ${method} ${path}: ${
          (error as Error).message
        }`,
      );
    }
    const text = await res.text();
    try {
      return { status: res.status, json: JSON.parse(text) };
    } catch {
      throw new CliError(
        `the server at ${server} answered ${method} ${path} with HTTP ${res.status} and no JSON`,
      );
    }
  };
  return {
    label: `the server at ${server} (${why}), through its API`,
    embedded: false,
    call,
    async createRun(suiteId, targetId, options, isPublic) {
      const answer = await call("POST", "/api/runs", {
        suite_id: suiteId,
        target_id: targetId,
        public: isPublic,
        options,
      });
      if (answer.status === 400) throw badArgument(apiMessage(answer));
      if (answer.status !== 202) {
        throw new CliError(`could not create the run: ${apiMessage(answer)}`);
      }
      return {
        id: String(answer.json.id),
        cases: Number(answer.json.case_count),
      };
    },
    async progress(runId) {
      const answer = await call("GET", `/api/runs/${runId}`);
      if (answer.status !== 200) {
        throw new CliError(`GET /api/runs/${runId}: ${apiMessage(answer)}`);
      }
      const run = answer.json as unknown as RunJson;
      return {
        status: run.status,
        done: run.progress.done,
        total: run.progress.total,
        byOutcome: run.progress.by_outcome,
      };
    },
    stop: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/** Whether a server of ours answers 200 on /api/health within `ms`. */
async function healthy(server: string, ms: number): Promise<number | null> {
  try {
    const res = await fetch(`${server}/api/health`, {
      signal: AbortSignal.timeout(ms),
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return null;
  }
}

interface SuiteJson {
  id: string;
  name: string;
  version: number;
  case_count: number;
}

async function findSuite(backend: Backend, ref: string): Promise<SuiteJson> {
  if (isUuid(ref)) {
    const answer = await backend.call("GET", `/api/suites/${ref}?limit=1`);
    if (answer.status === 200) return answer.json as unknown as SuiteJson;
  }
  const byName = await backend.call(
    "GET",
    `/api/suites?name=${encodeURIComponent(ref)}&limit=1`,
  );
  const found = (byName.json.items as SuiteJson[] | undefined)?.[0];
  if (found) return found;
  const all = await backend.call("GET", "/api/suites?limit=500");
  const names = [
    ...new Set(
      (all.json.items as SuiteJson[] | undefined ?? []).map((s) => s.name),
    ),
  ];
  throw badArgument(
    `no suite with the name or id "${ref}"${
      names.length ? ` (suites: ${names.join(", ")})` : " (no suites stored)"
    }`,
  );
}

interface TargetJson {
  id: string;
  name: string;
  kind: string;
  base_url: string | null;
  mode: string;
  settings: Record<string, unknown>;
}

async function getTargetJson(
  backend: Backend,
  ref: string,
): Promise<TargetJson | null> {
  const answer = await backend.call(
    "GET",
    `/api/targets/${encodeURIComponent(ref)}`,
  );
  if (answer.status === 404) return null;
  if (answer.status !== 200) {
    throw new CliError(`GET /api/targets: ${apiMessage(answer)}`);
  }
  return answer.json as unknown as TargetJson;
}

async function findTarget(
  backend: Backend,
  args: CliArgs,
): Promise<TargetJson> {
  if (args.target !== undefined) {
    const found = await getTargetJson(backend, args.target);
    if (found) return found;
    const all = await backend.call("GET", "/api/targets?limit=500");
    const names = (all.json.items as TargetJson[] | undefined ?? []).map((t) =>
      t.name
    );
    throw badArgument(
      `no target with the name or id "${args.target}"${
        names.length
          ? ` (targets: ${names.join(", ")})`
          : " (no targets stored; pass a llama-server URL instead)"
      }`,
    );
  }
  const url = args.url!;
  const name = `llamacpp ${url.baseUrl} ${url.mode}${
    url.endpoint ? ` ${url.endpoint}` : ""
  }`;
  const settings = url.endpoint ? { endpoint: url.endpoint } : {};
  const matches = (t: TargetJson) =>
    t.kind === "llamacpp" && t.base_url === url.baseUrl &&
    t.mode === url.mode &&
    (t.settings.endpoint ?? null) === url.endpoint;
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await getTargetJson(backend, name);
    if (existing) {
      if (!matches(existing)) {
        throw badArgument(
          `a target named "${name}" exists with other settings; pass its name or id, or another URL`,
        );
      }
      return existing;
    }
    const created = await backend.call("POST", "/api/targets", {
      name,
      kind: "llamacpp",
      base_url: url.baseUrl,
      mode: url.mode,
      settings,
    });
    if (created.status === 201) {
      console.error(`created target "${name}"`);
      return created.json as unknown as TargetJson;
    }
    if (created.status === 400) {
      throw badArgument(`--target: ${apiMessage(created)}`);
    }
    if (created.status !== 409) {
      throw new CliError(`could not create the target: ${apiMessage(created)}`);
    }
  }
  throw new CliError(`could not create or find the target "${name}"`);
}

/** Draws the progress line: in place on a terminal, every 5 s otherwise. */
class ProgressView {
  readonly #tty = Deno.stderr.isTerminal();
  readonly #started = performance.now();
  readonly #encoder = new TextEncoder();
  #lastPrint = 0;
  #lastLine = "";
  #drawn = false;

  show(progress: Progress, force = false): void {
    const line = formatProgress({
      done: progress.done,
      total: progress.total,
      elapsedMs: performance.now() - this.#started,
      byOutcome: progress.byOutcome,
    });
    if (this.#tty) {
      const columns = (() => {
        try {
          return Deno.consoleSize().columns;
        } catch {
          return 120;
        }
      })();
      const fitted = line.length >= columns
        ? `${line.slice(0, columns - 2)}…`
        : line;
      Deno.stderr.writeSync(this.#encoder.encode(`\r\x1b[2K${fitted}`));
      this.#drawn = true;
      return;
    }
    const now = performance.now();
    const due = this.#lastPrint === 0 || now - this.#lastPrint >= 5000;
    if ((force && line !== this.#lastLine) || due) {
      console.error(line);
      this.#lastPrint = now;
      this.#lastLine = line;
    }
  }

  /** Ends the redrawn line so that what follows starts on its own. */
  end(): void {
    if (this.#drawn) Deno.stderr.writeSync(this.#encoder.encode("\n"));
    this.#drawn = false;
  }
}

const ACTIVE = new Set(["queued", "running"]);

async function main(args: string[]): Promise<number> {
  const cli = parseCli(args);
  if (!cli) {
    console.log(USAGE);
    return 0;
  }
  let env: Env;
  try {
    env = readEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      throw new CliError(`configuration error: ${error.message}`, 2);
    }
    throw error;
  }

  let backend: Backend;
  if (cli.server) {
    const status = await healthy(cli.server, 5000);
    if (status !== 200) {
      throw badArgument(
        `--server ${cli.server}: GET /api/health answered ${
          status === null ? "nothing" : `HTTP ${status}`
        }`,
      );
    }
    backend = serverBackend(cli.server, "--server");
  } else {
    const local = `http://127.0.0.1:${env.port}`;
    const status = await healthy(local, 1000);
    if (status === 200) {
      backend = serverBackend(local, "it answers /api/health");
    } else {
      if (status !== null) {
        console.error(
          `note: ${local}/api/health answered HTTP ${status}; not using that server`,
        );
      }
      backend = await embeddedBackend(env, local);
    }
  }
  console.error(`using ${backend.label}`);

  try {
    return await drive(cli, backend);
  } finally {
    await backend.close();
  }
}

/** Throws (exit 2) unless a llama-server answers at `base`. */
async function reachable(base: string): Promise<void> {
  try {
    const res = await fetch(`${base}/health`, {
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
  } catch (error) {
    throw new CliError(
      `no llama-server answers at ${base}: ${(error as Error).message}`,
      2,
    );
  }
}

async function drive(cli: CliArgs, backend: Backend): Promise<number> {
  const suite = await findSuite(backend, cli.suite);
  // The embedded runner reaches the engine from here: check it answers
  // before anything is stored (a server may see other hosts than we do).
  if (backend.embedded && cli.url) await reachable(cli.url.baseUrl);
  const target = await findTarget(backend, cli);
  if (backend.embedded && !cli.url && target.kind === "llamacpp") {
    if (target.base_url) await reachable(target.base_url);
  }
  let run: { id: string; cases: number };
  try {
    run = await backend.createRun(
      suite.id,
      target.id,
      cli.options,
      cli.public,
    );
  } catch (error) {
    if (error instanceof ApiError) throw badArgument(error.message);
    throw error;
  }
  const suiteLabel = `${suite.name} v${suite.version}`;
  console.error(
    `run ${run.id}: ${run.cases} of ${suite.case_count} cases of ${suiteLabel} on "${target.name}"`,
  );

  let interrupts = 0;
  let wake = () => {};
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) {
      console.error("\ninterrupted again: exiting now");
      Deno.exit(130);
    }
    wake();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const view = new ProgressView();
  let progress: Progress;
  try {
    const pollMs = backend.embedded ? 250 : 1000;
    for (;;) {
      progress = await backend.progress(run.id);
      view.show(progress);
      if (!ACTIVE.has(progress.status) || interrupts > 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (interrupts > 0) break;
    }
    if (interrupts > 0) {
      view.end();
      if (backend.embedded) {
        console.error(
          "stopping: the cases in flight may finish (up to 10 s), the rest are handed back",
        );
        await backend.stop();
      }
      progress = await backend.progress(run.id);
    }
    view.show(progress, true);
    view.end();
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  await backend.stop();

  const answer = await backend.call("GET", `/api/runs/${run.id}`);
  if (answer.status !== 200) {
    throw new CliError(`GET /api/runs/${run.id}: ${apiMessage(answer)}`);
  }
  const json = answer.json as unknown as RunJson;
  console.log(
    cli.json ? JSON.stringify(json, null, 2) : formatReport(json, {
      suite: suiteLabel,
      target: target.name,
    }),
  );
  if (interrupts > 0) {
    const left = json.progress.total - json.progress.done;
    console.error(
      backend.embedded
        ? `interrupted: run ${run.id} has ${left} case(s) pending. They stay pending: start the server on this database (deno task start, same DATA_DIR or DATABASE_URL), or on PostgreSQL deno task worker, and it finishes the run.`
        : `stopped watching: ${backend.label} goes on with run ${run.id} (${left} case(s) left); see GET /api/runs/${run.id}`,
    );
    return 130;
  }
  if (json.status !== "done") {
    console.error(`run ${run.id} ended as ${json.status}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(
        `error: ${error.message}${
          error.usage ? "\n(deno task run --help for usage)" : ""
        }`,
      );
      code = error.code;
    } else {
      console.error(`error: ${(error as Error).stack ?? error}`);
      code = 1;
    }
  }
  Deno.exit(code);
}
