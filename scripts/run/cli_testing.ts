/**
 * Test support for `deno task run`: runs the CLI as a user does, in a
 * fresh PGlite directory with no server around.
 *
 * @example
 * ```ts
 * import { cli, withDataDir } from "./cli_testing.ts";
 * await withDataDir(async (env) => {
 *   const help = await cli(["--help"], env);
 *   console.log(help.code); // 0
 * });
 * ```
 * @module
 */
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A port nobody listens on, so the CLI's health probe finds no server.
 *
 * @example
 * ```ts
 * const port = unusedPort(); // e.g. 41233
 * ```
 */
export function unusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * The CLI's environment: a fresh PGlite directory, no DATABASE_URL, and a
 * PORT where no server answers (never the default 8000).
 *
 * @example
 * ```ts
 * const env = cliEnv("./data-test"); // env.DATA_DIR === "./data-test"
 * ```
 */
export function cliEnv(dataDir: string): Record<string, string> {
  const env = Deno.env.toObject();
  for (
    const name of [
      "DATABASE_URL",
      "DATA_DIR",
      "PORT",
      "LOAD_BUILTIN_SUITES",
      "RUN_WORKER",
      "WORKER_ID",
    ]
  ) delete env[name];
  return {
    ...env,
    DATA_DIR: dataDir,
    PORT: String(unusedPort()),
    LOAD_BUILTIN_SUITES: "true",
    NO_COLOR: "1",
  };
}

/**
 * Runs `deno task run` with `args` in `env`; its exit code and output.
 *
 * @example
 * ```ts
 * const { code, stdout } = await cli(["--help"], cliEnv("./d"));
 * ```
 */
export async function cli(args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/run/main.ts", ...args],
    cwd: REPO,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * Runs `fn` with the CLI environment of a fresh data directory, removed after.
 *
 * @example
 * ```ts
 * await withDataDir(async (env, dir) => console.log(env.DATA_DIR === dir));
 * ```
 */
export async function withDataDir(
  fn: (env: Record<string, string>, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "run_cli_" });
  try {
    await fn(cliEnv(dir), dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** A server subprocess started by {@link startServer}. */
export interface ServerProcess {
  /** Where it answers, on the loopback. */
  url: string;
  /** What it printed up to `listening on`. */
  startup: string;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * A real `deno task start` (`server/main.ts`) in `env` (its DATA_DIR), on
 * `port` (default a port of its own), listening on every address as by
 * default.
 *
 * @example
 * ```ts
 * const server = await startServer(cliEnv("./d"));
 * await fetch(`${server.url}/api/health`);
 * await server.stop();
 * ```
 */
export async function startServer(
  env: Record<string, string>,
  port: number = unusedPort(),
): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "server/main.ts"],
    cwd: REPO,
    env: { ...env, PORT: String(port), HOST: "0.0.0.0" },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const decoder = new TextDecoder();
  let out = "";
  const reader = child.stdout.getReader();
  while (!out.includes("listening on")) {
    const { value, done } = await reader.read();
    if (done) {
      await child.status;
      throw new Error(`the server stopped: ${out}\n${await stderr}`);
    }
    out += decoder.decode(value);
  }
  const drained = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    startup: out,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
      await stderr;
    },
  };
}
