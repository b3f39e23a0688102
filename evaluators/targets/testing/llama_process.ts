/**
 * The llama-server child process of `llama_server.ts`: started through the
 * extracted tree's own loader (so no system library is needed), its output
 * copied to a log file with the last bytes kept for error messages, old
 * logs pruned, a wait for `GET /health`, and a stop that always cleans up.
 *
 * @example
 * ```ts
 * import { launchLlamaServer, type LlamaLayout, waitHealthy } from "./llama_process.ts";
 * declare const layout: LlamaLayout;
 * const proc = await launchLlamaServer(layout, ["-m", "tiny.gguf", "--port", "8091"], 8091);
 * if (await waitHealthy("http://127.0.0.1:8091", proc.exited) !== "healthy") {
 *   console.log(proc.tail());
 * }
 * await proc.stop();
 * ```
 * @module
 */

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const TAIL_BYTES = 8192;
const MAX_LOGS = 50;

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

/**
 * Where the extracted tree is: its root (`usr/bin/llama-server` inside),
 * the folder of its loader and libraries, and where the logs go.
 *
 * @example
 * ```ts
 * const layout: LlamaLayout = {
 *   root: ".cache/llama/root",
 *   lib: ".cache/llama/root/usr/lib/x86_64-linux-gnu",
 *   logs: ".cache/llama/logs",
 * };
 * ```
 */
export interface LlamaLayout {
  root: string;
  lib: string;
  logs: string;
}

/**
 * A llama-server process that was started.
 *
 * @example
 * ```ts
 * declare const proc: LlamaProcess;
 * proc.kill(); // SIGKILL, for a fault test
 * await proc.stop(); // waits for the exit and releases everything
 * ```
 */
export interface LlamaProcess {
  /** The process id. */
  pid: number;
  /** The file that receives its stdout and stderr. */
  logPath: string;
  /** Resolves with the exit status once it is gone. */
  exited: Promise<Deno.CommandStatus>;
  /** The last few kilobytes of its output. */
  tail(): string;
  /** SIGTERM (SIGKILL after 10 s), then waits for the exit and the log. */
  stop(): Promise<void>;
  /** SIGKILL at once. */
  kill(): void;
}

/**
 * Starts `llama-server <args>` of `layout` through its own loader, in the
 * folder of its CPU backends, with its output in a new log file named after
 * `port` (keeping the newest 50 logs). The process is killed if this
 * program unloads first.
 *
 * @example
 * ```ts
 * declare const layout: LlamaLayout;
 * const proc = await launchLlamaServer(layout, ["-m", "tiny.gguf", "--port", "8091"], 8091);
 * await proc.stop();
 * ```
 */
export async function launchLlamaServer(
  layout: LlamaLayout,
  args: string[],
  port: number,
): Promise<LlamaProcess> {
  const { root, lib, logs } = layout;
  await Deno.mkdir(logs, { recursive: true });
  await pruneLogs(logs, MAX_LOGS).catch(() => {});
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const logPath = `${logs}/llama-server-${port}-${stamp}.log`;
  const file = await Deno.open(logPath, { create: true, write: true });
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(`${lib}/ld-linux-x86-64.so.2`, {
      args: [
        "--library-path",
        `${lib}:${lib}/llama:${lib}/ggml`,
        `${root}/usr/bin/llama-server`,
        ...args,
      ],
      // llama-server looks for its CPU backends in the current directory.
      cwd: `${lib}/ggml/backends0`,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    file.close();
    throw error;
  }
  const sink = new OutputSink(file, [child.stdout, child.stderr]);
  const exited = child.status;
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  globalThis.addEventListener("unload", kill);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    stopping ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(kill, STOP_TIMEOUT_MS);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
        await sink.done.catch(() => {});
        globalThis.removeEventListener("unload", kill);
      }
    })();

  return {
    pid: child.pid,
    logPath,
    exited,
    tail: () => sink.tail(),
    stop,
    kill,
  };
}

/**
 * Polls `GET <url>/health` until it answers 200 (`"healthy"`), the process
 * exits (`"exited"`), or about 60 s pass (`"timeout"`).
 *
 * @example
 * ```ts
 * declare const proc: LlamaProcess;
 * const outcome = await waitHealthy("http://127.0.0.1:8091", proc.exited);
 * ```
 */
export async function waitHealthy(
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
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return "timeout";
}
