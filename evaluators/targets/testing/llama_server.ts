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
 * This file finds the extracted server, writes the model and chooses the
 * arguments; `llama_process.ts` runs the process (loader, log, health,
 * stop).
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
import {
  launchLlamaServer,
  type LlamaLayout,
  waitHealthy,
} from "./llama_process.ts";
import { tinyModelBytes } from "./make_tiny_model.ts";
import { bigramModelBytes } from "./make_bigram_model.ts";

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
  /** Settles when the process exits (a crash, a kill or `stop()`). */
  exited: Promise<Deno.CommandStatus>;
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
  /**
   * The GGUF model to serve: a path, `"bigram"` for the closed-form model
   * of `make_bigram_model.ts`, or `"tiny"` (the default) for the tiny model
   * of `seed`.
   */
  model?: string;
  /** Seed of the tiny model when `model` is not given; default 0. */
  seed?: number;
}

const REPO = decodeURIComponent(new URL("../../../", import.meta.url).pathname)
  .replace(/\/$/, "");
const CACHE = `${REPO}/.cache`;
const ROOT = `${CACHE}/llama/root`;
const LIB = `${ROOT}/usr/lib/x86_64-linux-gnu`;
/** The extracted tree, as `llama_process.ts` starts it. */
const LAYOUT: LlamaLayout = {
  root: ROOT,
  lib: LIB,
  logs: `${CACHE}/llama/logs`,
};

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
 * Writes `bytes` to `.cache/models/<name>.gguf` unless that file already
 * holds exactly those bytes, and returns its path.
 */
async function ensureModel(name: string, bytes: Uint8Array): Promise<string> {
  const dir = `${CACHE}/models`;
  const path = `${dir}/${name}.gguf`;
  try {
    const have = await Deno.readFile(path);
    if (have.length === bytes.length && have.every((b, i) => b === bytes[i])) {
      return path;
    }
  } catch { /* not written yet */ }
  await Deno.mkdir(dir, { recursive: true });
  // Write aside and rename, so a concurrent reader never sees half a file.
  const temp = `${path}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  await Deno.writeFile(temp, bytes);
  await Deno.rename(temp, path);
  return path;
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
export function ensureTinyModel(seed = 0): Promise<string> {
  return ensureModel(`tiny-${seed}`, tinyModelBytes({ seed }));
}

/**
 * Writes the closed-form bigram model to `.cache/models/bigram.gguf` unless
 * that file already holds exactly those bytes, and returns its path.
 *
 * @example
 * ```ts
 * const model = await ensureBigramModel(); // <repo>/.cache/models/bigram.gguf
 * ```
 */
export function ensureBigramModel(): Promise<string> {
  return ensureModel("bigram", bigramModelBytes());
}

/**
 * The path of the model `startLlamaServer` serves for `options`.
 *
 * @example
 * ```ts
 * await modelPath({ model: "bigram" }); // <repo>/.cache/models/bigram.gguf
 * ```
 */
export function modelPath(
  options: Pick<LlamaServerOptions, "model" | "seed">,
): Promise<string> {
  if (options.model === "bigram") return ensureBigramModel();
  if (options.model === undefined || options.model === "tiny") {
    return ensureTinyModel(options.seed ?? 0);
  }
  return Promise.resolve(options.model);
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
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
  const model = await modelPath(options);
  // A free port can be taken between probing and binding: retry then.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1;; attempt++) {
    const port = options.port ?? freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = await launchLlamaServer(LAYOUT, [
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
    const outcome = await waitHealthy(url, proc.exited);
    if (outcome !== "healthy") {
      await proc.stop();
      const bindFailed = /bind|address already in use/i.test(proc.tail());
      if (outcome === "exited" && bindFailed && attempt < attempts) continue;
      throw new Error(
        `llama-server ${
          outcome === "exited" ? "exited" : "was not healthy within 60 s"
        } (log ${proc.logPath}):\n${proc.tail()}`,
      );
    }
    let buildInfo: string;
    try {
      const props = await fetchJson(`${url}/props`) as { build_info?: unknown };
      buildInfo = String(props.build_info ?? "");
    } catch (error) {
      await proc.stop();
      throw error;
    }
    return {
      url,
      port,
      buildInfo,
      pid: proc.pid,
      logPath: proc.logPath,
      stop: proc.stop,
      kill: proc.kill,
      exited: proc.exited,
    };
  }
}
