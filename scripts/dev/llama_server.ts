/**
 * A real llama.cpp `llama-server` on 127.0.0.1 for tests and local runs,
 * from the tree that `scripts/dev/setup_llama_server.sh` extracts into
 * `.cache/llama/root`, serving the project's tiny random-weight model.
 *
 * As a program (`deno task llama [--port N] [--slots N] [--ctx N]
 * [--threads N] [--seed N]`, `--ctx` being the context of one slot) it runs
 * the setup when needed, starts a server, prints its URL and build info, and
 * stops it on Ctrl-C or SIGTERM.
 *
 * @example
 * ```ts
 * import { llamaServerPaths, startLlamaServer } from "./llama_server.ts";
 * if (await llamaServerPaths()) {
 *   const server = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
 *   console.log(server.url, server.buildInfo); // http://127.0.0.1:PORT b11669-Debian
 *   await server.stop();
 * }
 * ```
 * @module
 */
import { tinyModelBytes, writeTinyModel } from "./make_tiny_model.ts";

/**
 * A running llama-server.
 *
 * @example
 * ```ts
 * const server: LlamaServer = await startLlamaServer();
 * await fetch(`${server.url}/health`);
 * await server.stop();
 * ```
 */
export interface LlamaServer {
  /** Base URL, `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** `/props` `build_info`, e.g. `b11669-Debian`. */
  buildInfo: string;
  /** The process id of the server. */
  pid: number;
  /** The file that receives the server's stdout and stderr. */
  logPath: string;
  /** SIGTERM, then waits for the exit and releases every resource. */
  stop(): Promise<void>;
  /** SIGKILL at once, for fault tests; call `stop()` afterwards to clean up. */
  kill(): void;
}

/**
 * Options of {@link startLlamaServer}.
 *
 * @example
 * ```ts
 * const options: LlamaServerOptions = { slots: 2, ctxPerSlot: 4096, seed: 1 };
 * const server = await startLlamaServer(options); // -np 2 -c 8192
 * ```
 */
export interface LlamaServerOptions {
  /** Parallel slots (`-np`); default 4. */
  slots?: number;
  /** Context of one slot; `-c` is slots × this. Default 8192. */
  ctxPerSlot?: number;
  /** CPU threads (`-t`); default 1, which gives the steadiest timings. */
  threads?: number;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** More llama-server arguments, appended last. */
  extraArgs?: string[];
  /** The GGUF model to serve; default the tiny model of `seed`. */
  model?: string;
  /** Seed of the tiny model when `model` is not given; default 0. */
  seed?: number;
}

const REPO = decodeURIComponent(new URL("../../", import.meta.url).pathname)
  .replace(/\/$/, "");
const CACHE = `${REPO}/.cache`;
const ROOT = `${CACHE}/llama/root`;
const LIB = `${ROOT}/usr/lib/x86_64-linux-gnu`;
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_BYTES = 8192;
const MAX_LOGS = 50;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the extracted server is, or null when the setup script has not been
 * run (or did not finish).
 *
 * @example
 * ```ts
 * const paths = await llamaServerPaths();
 * if (!paths) console.log("run: bash scripts/dev/setup_llama_server.sh");
 * else console.log(paths.binary); // <repo>/.cache/llama/root/usr/bin/llama-server
 * ```
 */
export async function llamaServerPaths(): Promise<
  { binary: string; root: string } | null
> {
  const binary = `${ROOT}/usr/bin/llama-server`;
  const needed = [
    `${ROOT}/.complete`,
    binary,
    `${LIB}/ld-linux-x86-64.so.2`,
    `${LIB}/ggml/backends0`,
  ];
  for (const path of needed) {
    if (!await exists(path)) return null;
  }
  return { binary, root: ROOT };
}

/**
 * Writes the tiny model of `seed` to `.cache/models/tiny-<seed>.gguf` unless
 * that file already holds exactly those bytes, and returns its path.
 *
 * @example
 * ```ts
 * const model = await ensureTinyModel(); // <repo>/.cache/models/tiny-0.gguf
 * ```
 */
export async function ensureTinyModel(seed = 0): Promise<string> {
  const dir = `${CACHE}/models`;
  const path = `${dir}/tiny-${seed}.gguf`;
  const wanted = tinyModelBytes({ seed });
  try {
    const have = await Deno.readFile(path);
    if (
      have.length === wanted.length && have.every((b, i) => b === wanted[i])
    ) {
      return path;
    }
  } catch { /* not written yet */ }
  await Deno.mkdir(dir, { recursive: true });
  // Write aside and rename, so a concurrent reader never sees half a file.
  const temp = `${path}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  await writeTinyModel(temp, { seed });
  await Deno.rename(temp, path);
  return path;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The child's output, copied to a log file, with the last bytes kept. */
class OutputSink {
  #file: Deno.FsFile;
  #writing: Promise<void> = Promise.resolve();
  #tail = new Uint8Array(0);
  readonly done: Promise<void>;

  constructor(file: Deno.FsFile, streams: ReadableStream<Uint8Array>[]) {
    this.#file = file;
    this.done = Promise.all(streams.map((s) => this.#pump(s)))
      .then(() => this.#writing)
      .finally(() => this.#file.close());
  }

  async #pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    for await (const chunk of stream) {
      const joined = new Uint8Array(this.#tail.length + chunk.length);
      joined.set(this.#tail);
      joined.set(chunk, this.#tail.length);
      this.#tail = joined.slice(-TAIL_BYTES);
      this.#writing = this.#writing.then(() => this.#writeAll(chunk));
    }
  }

  async #writeAll(chunk: Uint8Array): Promise<void> {
    let at = 0;
    while (at < chunk.length) at += await this.#file.write(chunk.subarray(at));
  }

  tail(): string {
    return new TextDecoder().decode(this.#tail);
  }
}

interface Launched {
  child: Deno.ChildProcess;
  sink: OutputSink;
  logPath: string;
  exited: Promise<Deno.CommandStatus>;
}

/** Keeps the newest logs only, so repeated test runs do not pile up. */
async function pruneLogs(dir: string, keep: number): Promise<void> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".log")) names.push(entry.name);
  }
  const byAge = await Promise.all(names.map(async (name) => ({
    name,
    mtime: (await Deno.stat(`${dir}/${name}`)).mtime?.getTime() ?? 0,
  })));
  byAge.sort((a, b) => b.mtime - a.mtime);
  for (const { name } of byAge.slice(keep)) {
    await Deno.remove(`${dir}/${name}`).catch(() => {});
  }
}

async function launch(args: string[], port: number): Promise<Launched> {
  const logs = `${CACHE}/llama/logs`;
  await Deno.mkdir(logs, { recursive: true });
  await pruneLogs(logs, MAX_LOGS).catch(() => {});
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const logPath = `${logs}/llama-server-${port}-${stamp}.log`;
  const file = await Deno.open(logPath, { create: true, write: true });
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(`${LIB}/ld-linux-x86-64.so.2`, {
      args: [
        "--library-path",
        `${LIB}:${LIB}/llama:${LIB}/ggml`,
        `${ROOT}/usr/bin/llama-server`,
        ...args,
      ],
      // llama-server looks for its CPU backends in the current directory.
      cwd: `${LIB}/ggml/backends0`,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    file.close();
    throw error;
  }
  const sink = new OutputSink(file, [child.stdout, child.stderr]);
  return { child, sink, logPath, exited: child.status };
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Polls /health until 200, or until the process exits or time runs out. */
async function waitHealthy(
  url: string,
  exited: Promise<Deno.CommandStatus>,
): Promise<"healthy" | "exited" | "timeout"> {
  let gone = false;
  exited.then(() => gone = true, () => gone = true);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone) return "exited";
    try {
      const res = await fetch(`${url}/health`, {
        signal: AbortSignal.timeout(2000),
      });
      await res.body?.cancel();
      if (res.status === 200) return "healthy";
    } catch { /* not listening yet */ }
    await sleep(50);
  }
  return "timeout";
}

/**
 * Starts llama-server with the extracted loader, `--metrics`, on
 * 127.0.0.1, and resolves once `GET /health` answers 200. Throws, with the
 * end of the server's output, when the setup is missing, the server exits,
 * or it is not healthy within about 60 s.
 *
 * @example
 * ```ts
 * const server = await startLlamaServer({ slots: 2, ctxPerSlot: 4096 });
 * const res = await fetch(`${server.url}/completion`, {
 *   method: "POST",
 *   body: JSON.stringify({ prompt: "JSON: ", json_schema: { type: "boolean" } }),
 * });
 * console.log((await res.json()).content); // "true" or "false"
 * await server.stop();
 * ```
 */
export async function startLlamaServer(
  options: LlamaServerOptions = {},
): Promise<LlamaServer> {
  if (!await llamaServerPaths()) {
    throw new Error(
      "llama-server is not set up: run `bash scripts/dev/setup_llama_server.sh`",
    );
  }
  const slots = options.slots ?? 4;
  const ctxPerSlot = options.ctxPerSlot ?? 8192;
  const threads = options.threads ?? 1;
  const model = options.model ?? await ensureTinyModel(options.seed ?? 0);
  // A free port can be taken between probing and binding: retry then.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1;; attempt++) {
    const port = options.port ?? freePort();
    const url = `http://127.0.0.1:${port}`;
    const launched = await launch([
      "-m",
      model,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "-np",
      String(slots),
      "-c",
      String(slots * ctxPerSlot),
      "-t",
      String(threads),
      "--metrics",
      ...(options.extraArgs ?? []),
    ], port);
    const { child, sink, exited, logPath } = launched;
    const killOnExit = () => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    };
    globalThis.addEventListener("unload", killOnExit);

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      stopping ??= (async () => {
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
        const timer = setTimeout(killOnExit, STOP_TIMEOUT_MS);
        try {
          await exited;
        } finally {
          clearTimeout(timer);
          await sink.done.catch(() => {});
          globalThis.removeEventListener("unload", killOnExit);
        }
      })();

    const outcome = await waitHealthy(url, exited);
    if (outcome !== "healthy") {
      await stop();
      const bindFailed = /bind|address already in use/i.test(sink.tail());
      if (outcome === "exited" && bindFailed && attempt < attempts) continue;
      throw new Error(
        `llama-server ${
          outcome === "exited" ? "exited" : "was not healthy within 60 s"
        } (log ${logPath}):\n${sink.tail()}`,
      );
    }
    let buildInfo: string;
    try {
      const props = await fetchJson(`${url}/props`) as { build_info?: unknown };
      buildInfo = String(props.build_info ?? "");
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      url,
      port,
      buildInfo,
      pid: child.pid,
      logPath,
      stop,
      kill: killOnExit,
    };
  }
}

function parseArgs(args: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, "");
    const value = Number(args[i + 1]);
    if (
      !["port", "slots", "ctx", "threads", "seed"].includes(name) ||
      !Number.isInteger(value) || value < 0
    ) {
      console.error(
        "usage: deno task llama [--port N] [--slots N] [--ctx N_PER_SLOT] [--threads N] [--seed N]",
      );
      Deno.exit(2);
    }
    out[name] = value;
  }
  return out;
}

if (import.meta.main) {
  const args = parseArgs(Deno.args);
  if (!await llamaServerPaths()) {
    console.log("llama-server is not set up yet: running the setup script");
    const setup = await new Deno.Command("bash", {
      args: [`${REPO}/scripts/setup_llama_server.sh`],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!setup.success) Deno.exit(setup.code || 1);
  }
  const options = {
    port: args.port,
    slots: args.slots,
    ctxPerSlot: args.ctx,
    threads: args.threads,
    seed: args.seed,
  };
  const started = Date.now();
  let server = await startLlamaServer(options);
  console.log(`llama-server ${server.buildInfo} at ${server.url}`);
  console.log(
    `healthy after ${Date.now() - started} ms; log: ${server.logPath}`,
  );
  console.log(
    "Ctrl-C stops it. If it dies (llama.cpp can crash on a schema), it is started again.",
  );
  let stopping = false;
  const { promise, resolve } = Promise.withResolvers<void>();
  const stop = () => {
    stopping = true;
    resolve();
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  // Supervise: a server that stops answering /health twice in a row
  // is replaced on the same port, as a service manager would.
  (async () => {
    let misses = 0;
    while (!stopping) {
      await new Promise((r) => setTimeout(r, 250));
      if (stopping) break;
      const alive = await fetch(`${server.url}/health`, {
        signal: AbortSignal.timeout(5000),
      })
        .then(async (r) => (await r.body?.cancel(), true)).catch(() => false);
      misses = alive ? 0 : misses + 1;
      if (misses < 2 || stopping) continue;
      console.log(
        `${
          new Date().toISOString()
        } llama-server stopped answering (see ${server.logPath}); starting it again`,
      );
      await server.stop().catch(() => {});
      server = await startLlamaServer({ ...options, port: server.port });
      misses = 0;
    }
  })();
  await promise;
  await server.stop();
  console.log("stopped");
  Deno.exit(0);
}
