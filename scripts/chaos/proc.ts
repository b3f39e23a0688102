/**
 * Child processes for `scripts/chaos/main.ts`: each one's stdout and stderr go to
 * a log file (with the last bytes kept for messages), lines can be waited
 * for, and a {@link ProcessGroup} stops every process it started, even when
 * the caller fails half-way.
 *
 * @example
 * ```ts
 * import { ProcessGroup } from "./proc.ts";
 * const group = new ProcessGroup(await Deno.makeTempDir());
 * try {
 *   const worker = group.spawn("worker-1", ["run", "-A", "server/worker_main.ts"], {
 *     DATABASE_URL: "postgres://postgres@127.0.0.1:5432/chaos",
 *   });
 *   await worker.waitForLine(/started/, 30_000);
 *   worker.kill("SIGKILL");
 * } finally {
 *   await group.stopAll();
 * }
 * ```
 * @module
 */

const TAIL_CHARS = 4000;

/** The variables a child must not inherit from the caller: each scenario sets its own. */
const SCRUBBED = [
  "DATABASE_URL",
  "DATA_DIR",
  "PORT",
  "HOST",
  "RUN_WORKER",
  "WORKER_ID",
  "WORKER_LEASE_MS",
  "LOAD_BUILTIN_SUITES",
  "SCHEDULES_FILE",
  "LLAMA_URL",
  "PGAPPNAME",
];

/**
 * One running child, with its output in a log file.
 *
 * @example
 * ```ts
 * declare const group: ProcessGroup;
 * const proc = group.spawn("server", ["run", "-A", "server/main.ts"], { PORT: "8123" });
 * await proc.waitForLine(/listening on/, 30_000);
 * console.log(proc.pid, proc.logPath);
 * await proc.stop();
 * ```
 */
export class ChildProc {
  /** The name given at spawn, used in messages. */
  readonly name: string;
  /** Where stdout and stderr go. */
  readonly logPath: string;
  /** Resolves with the exit status once the process is gone. */
  readonly exited: Promise<Deno.CommandStatus>;
  readonly #child: Deno.ChildProcess;
  #status: Deno.CommandStatus | undefined;
  #tail = "";
  #waiters: { pattern: RegExp; resolve: () => void }[] = [];
  #pumped: Promise<void>;

  /** @param name a label @param child the spawned process @param file its log */
  constructor(name: string, child: Deno.ChildProcess, logPath: string) {
    this.name = name;
    this.logPath = logPath;
    this.#child = child;
    const file = Deno.openSync(logPath, {
      create: true,
      write: true,
      append: true,
    });
    const writer = file.writable.getWriter();
    let writing = Promise.resolve();
    const decoder = () => new TextDecoder();
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      const text = decoder();
      let line = "";
      for await (const chunk of stream) {
        writing = writing.then(() => writer.write(chunk)).catch(() => {});
        const piece = text.decode(chunk, { stream: true });
        this.#tail = (this.#tail + piece).slice(-TAIL_CHARS);
        line += piece;
        const lines = line.split("\n");
        line = lines.pop() ?? "";
        for (const full of lines) this.#match(full);
      }
      if (line) this.#match(line);
    };
    this.#pumped = Promise.all([pump(child.stdout), pump(child.stderr)])
      .then(() => writing)
      .finally(() => writer.close().catch(() => {}));
    this.exited = child.status.then((status) => {
      this.#status = status;
      return status;
    });
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** The exit status, once it has exited. */
  get status(): Deno.CommandStatus | undefined {
    return this.#status;
  }

  /** The last few thousand characters of its output. */
  tail(): string {
    return this.#tail;
  }

  #match(line: string): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pattern.test(line)) return true;
      w.resolve();
      return false;
    });
  }

  /**
   * Resolves when a line of output matches `pattern`; throws when the
   * process exits first or `timeoutMs` passes.
   */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<void> {
    if (this.#tail.split("\n").some((line) => pattern.test(line))) return;
    const seen = new Promise<void>((resolve) =>
      this.#waiters.push({ pattern, resolve })
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `${this.name}: no line matching ${pattern} within ${timeoutMs} ms (log ${this.logPath})`,
            ),
          ),
        timeoutMs,
      );
    });
    const died = this.exited.then((status) => {
      throw new Error(
        `${this.name} exited (code ${status.code}${
          status.signal ? `, ${status.signal}` : ""
        }) before printing ${pattern} (log ${this.logPath}):\n${this.#tail}`,
      );
    });
    try {
      await Promise.race([seen, timeout, died]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal; a process that is already gone is no error. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    if (this.#status) return;
    try {
      this.#child.kill(signal);
    } catch { /* already gone */ }
  }

  /**
   * SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited and
   * its output is written, saying whether it had to be killed.
   */
  async stop(
    graceMs = 5000,
  ): Promise<{ status: Deno.CommandStatus; killed: boolean }> {
    let killed = false;
    const gone = this.#status !== undefined;
    this.kill("SIGTERM");
    const timer = setTimeout(() => {
      killed = true;
      this.kill("SIGKILL");
    }, graceMs);
    try {
      const status = await this.exited;
      return { status, killed: killed && !gone };
    } finally {
      clearTimeout(timer);
      await this.#pumped.catch(() => {});
    }
  }
}

/**
 * The processes of one chaos run: spawns `deno` children in the repository
 * root with a clean environment, and stops them all at the end.
 *
 * @example
 * ```ts
 * const logDir = await Deno.makeTempDir();
 * const env = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/chaos" };
 * const group = new ProcessGroup(logDir);
 * const proc = group.spawn("worker-1", ["run", "-A", "server/worker_main.ts"], env);
 * await group.stopAll();
 * ```
 */
export class ProcessGroup {
  readonly #logDir: string;
  readonly #procs = new Set<ChildProc>();
  readonly #cwd: string;
  #seq = 0;

  /** @param logDir where the log files go @param cwd the children's working directory (default: the repository root) */
  constructor(logDir: string, cwd?: string) {
    this.#logDir = logDir;
    this.#cwd = cwd ??
      decodeURIComponent(new URL("../../", import.meta.url).pathname);
  }

  /**
   * Runs `deno <args>` with the caller's environment, minus the evaluation
   * server's own variables, plus `PGAPPNAME=<name>` and `env`.
   */
  spawn(name: string, args: string[], env: Record<string, string>): ChildProc {
    const base = Deno.env.toObject();
    for (const key of SCRUBBED) delete base[key];
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: this.#cwd,
      // PGAPPNAME names its database sessions (pg_stat_activity), so a
      // scenario can tell whose session holds or waits for what.
      env: { ...base, NO_COLOR: "1", PGAPPNAME: name, ...env },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const safe = name.replace(/[^A-Za-z0-9_.-]/g, "_");
    const logPath = `${this.#logDir}/${
      String(++this.#seq).padStart(2, "0")
    }-${safe}.log`;
    const proc = new ChildProc(name, child, logPath);
    this.#procs.add(proc);
    proc.exited.finally(() => this.#procs.delete(proc));
    return proc;
  }

  /** Every process still running. */
  get running(): ChildProc[] {
    return [...this.#procs];
  }

  /** Stops every process still running (SIGTERM, then SIGKILL after `graceMs`). */
  async stopAll(graceMs = 5000): Promise<void> {
    await Promise.all([...this.#procs].map((p) => p.stop(graceMs)));
  }

  /** SIGKILL to every process still running, at once (for an exit handler). */
  killAll(): void {
    for (const proc of this.#procs) proc.kill("SIGKILL");
  }
}
