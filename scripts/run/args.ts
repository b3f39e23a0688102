/**
 * The command line of `deno task run`: its usage text, the checks of each
 * argument, and the error that carries an exit status (2 for a bad
 * argument, with the usage hint).
 *
 * @example
 * ```ts
 * import { parseCli, USAGE } from "./args.ts";
 * const cli = parseCli(["--suite", "smoke", "--target", "http://127.0.0.1:8080"]);
 * if (!cli) console.log(USAGE);
 * else console.log(cli.suite, cli.url?.mode); // "smoke" "json_schema"
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import type { RunOptionsInput } from "../../server/runs/options.ts";

/**
 * What `deno task run --help` prints.
 *
 * @example
 * ```ts
 * console.log(USAGE); // "usage: deno task run --suite NAME|ID --target URL|NAME [options]\n..."
 * ```
 */
export const USAGE =
  `usage: deno task run --suite NAME|ID --target URL|NAME [options]

  --suite NAME|ID       a suite id, or a suite name (its latest version)
  --suite-version N     with a suite name: that version instead of the latest
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
  --distortion N        a distortion run: N constrained and N prompt_only
                        samples per case at temperature 1, no truncation
  --engine-wait S       how long the run waits for an engine that does not
                        answer, at the start or mid-run, before it fails
                        engine_down (exit 2), in seconds (default 10; the
                        server's ENGINE_DOWN_MAX_MS is the upper bound)
  --server URL          go through that server's API (default: the server on
                        http://127.0.0.1:$PORT when one answers, otherwise the
                        embedded database: DATABASE_URL, or PGlite in DATA_DIR);
                        the token is EVAL_TOKEN (a write token; an admin one
                        for URL targets), else ADMIN_TOKEN
  --public              publish the run (default: private, readable with the
                        token that made it, an admin token or its share link)
  --json                print the run's JSON (as GET /api/runs/:id) instead of
                        the table
  --open                open the run's report page in a browser (xdg-open;
                        else a hint); its URL is printed either way
  -h, --help            this text

  deno task run --config FILE [--output FILE] [--resume MATRIX_ID] [--open]
                        runs the matrix a config file names (evalserver.json;
                        deno task run --config FILE --help for more)

Progress goes to stderr, results to stdout. Exit status: 0 the run is done,
1 it ended otherwise, 2 bad arguments or a run that measured nothing (failed:
the engine could not be reached within --engine-wait, a refused key), 130
interrupted (Ctrl-C; the cases not yet run
stay pending, and the server or worker on the same database finishes them).`;

const MODES = ["json_schema", "json_object", "prompt_only"] as const;
const ENDPOINTS = ["chat", "completion"] as const;
const VALIDATIONS = ["declared", "jsb"] as const;

/**
 * A failure with its exit status; `usage` adds the usage hint.
 *
 * @example
 * ```ts
 * const error = new CliError("the run was not created");
 * console.error(`error: ${error.message}`);
 * Deno.exitCode = error.code; // 1
 * ```
 */
export class CliError extends Error {
  /**
   * @param message what went wrong, printed after `error: `
   * @param code the exit status (default 1)
   * @param usage whether to point at `--help` after the message
   */
  constructor(message: string, readonly code = 1, readonly usage = false) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * A bad argument: exit status 2, with the usage hint.
 *
 * @example
 * ```ts
 * const error = badArgument("--suite is required");
 * error.code; // 2
 * error.usage; // true
 * ```
 */
export const badArgument = (message: string): CliError =>
  new CliError(message, 2, true);

/**
 * A llama-server reached through an ad-hoc target.
 *
 * @example
 * ```ts
 * const url: UrlTarget = {
 *   baseUrl: "http://127.0.0.1:8080",
 *   mode: "json_schema",
 *   endpoint: null,
 * };
 * ```
 */
export interface UrlTarget {
  /** An http(s) URL without a trailing slash, query or fragment. */
  baseUrl: string;
  mode: string;
  /** `"completion"`, or null for the default (chat). */
  endpoint: string | null;
}

/**
 * The checked command line.
 *
 * @example
 * ```ts
 * const cli: CliArgs = {
 *   suite: "smoke",
 *   target: "local-qwen",
 *   options: { limit: 10 },
 *   json: false,
 *   public: false,
 * };
 * ```
 */
export interface CliArgs {
  suite: string;
  /** `--suite-version`: a version of the named suite (default: its latest). */
  suiteVersion?: number;
  /** A target name or id, when not a URL. */
  target?: string;
  /** A llama-server to reach through an ad-hoc target. */
  url?: UrlTarget;
  options: RunOptionsInput;
  server?: string;
  json: boolean;
  /** Publish the run (default: private to its token and share link). */
  public: boolean;
  /** Open the run's report page in a browser. */
  open?: boolean;
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

/**
 * Parses and checks the arguments; null for `--help`. Throws a
 * {@link badArgument} error for anything it refuses.
 *
 * @example
 * ```ts
 * const cli = parseCli(["--suite", "smoke", "--target", "local", "--limit", "5"]);
 * cli?.options.limit; // 5
 * parseCli(["--help"]); // null
 * ```
 */
export function parseCli(args: string[]): CliArgs | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        suite: { type: "string" },
        "suite-version": { type: "string" },
        target: { type: "string" },
        mode: { type: "string" },
        endpoint: { type: "string" },
        limit: { type: "string" },
        concurrency: { type: "string" },
        "max-tokens": { type: "string" },
        temperature: { type: "string" },
        validation: { type: "string" },
        "engine-wait": { type: "string" },
        distortion: { type: "string" },
        server: { type: "string" },
        json: { type: "boolean" },
        public: { type: "boolean" },
        open: { type: "boolean" },
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
    engine_wait_ms:
      (integer("engine-wait", v["engine-wait"], 0, 86_400) ?? 10) * 1000,
  };
  const samples = integer("distortion", v.distortion, 1, 1024);
  if (samples !== undefined) options.distortion = { samples };
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
    ...(v["suite-version"] !== undefined
      ? {
        suiteVersion: integer("suite-version", v["suite-version"], 1, 1e9),
      }
      : {}),
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
    open: v.open ?? false,
  };
}
