/**
 * The processes of `deno task bench`: the evaluation server started as a
 * subprocess (`scripts/bench/server.ts`, with the bench's environment), and
 * what Linux says about a process: CPU time from `/proc/<pid>/stat`
 * (utime + stime) and resident memory from `/proc/<pid>/status`.
 *
 * @example
 * ```ts
 * import { ProcessGroup } from "../chaos/proc.ts";
 * import { cpuMs, startBenchServer } from "./proc.ts";
 * const group = new ProcessGroup(await Deno.makeTempDir());
 * const server = await startBenchServer(group, { dataDir: await Deno.makeTempDir() });
 * console.log(server.url, await cpuMs(server.pid));
 * await server.stop();
 * ```
 * @module
 */
import type { ChildProc, ProcessGroup } from "../chaos/proc.ts";

/**
 * The bootstrap token every bench request sends (`ADMIN_TOKEN`).
 *
 * @example
 * ```ts
 * declare const url: string;
 * fetch(url, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
 * ```
 */
export const BENCH_TOKEN = "bench-admin-token-0123456789";

/**
 * The environment of every server the bench starts: no built-in suites and
 * no scheduler (nothing but the measured work), the bench's admin token,
 * write limits high enough never to throttle it, and a body limit that lets
 * one request carry all 7,553 schemas (the memory run's suite).
 *
 * @example
 * ```ts
 * BENCH_SERVER_ENV.WRITE_RATE_PER_MINUTE; // "1000000"
 * ```
 */
export const BENCH_SERVER_ENV: Readonly<Record<string, string>> = {
  HOST: "127.0.0.1",
  LOAD_BUILTIN_SUITES: "false",
  RUN_SCHEDULER: "false",
  ADMIN_TOKEN: BENCH_TOKEN,
  WRITE_RATE_PER_MINUTE: "1000000",
  MAX_RUNS_IN_FLIGHT_PER_TOKEN: "1000",
  MAX_BODY_BYTES: String(256 * 1024 * 1024),
};

/**
 * A running server.
 *
 * @example
 * ```ts
 * import type { ProcessGroup } from "../chaos/proc.ts";
 * declare const dataDir: string;
 * declare const group: ProcessGroup;
 * const server: BenchServer = await startBenchServer(group, { dataDir });
 * ```
 */
export interface BenchServer {
  url: string;
  pid: number;
  proc: ChildProc;
  stop(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Starts `scripts/bench/server.ts` (or `options.entry`, e.g.
 * `server/main.ts`) on a free port, on PGlite in `dataDir` or on
 * `databaseUrl`, and resolves once it listens.
 *
 * @example
 * ```ts
 * import type { ProcessGroup } from "../chaos/proc.ts";
 * declare const group: ProcessGroup;
 * const server = await startBenchServer(group, { databaseUrl: "postgres://…" });
 * ```
 */
export async function startBenchServer(
  group: ProcessGroup,
  place: { dataDir?: string; databaseUrl?: string },
  options: { entry?: string; env?: Record<string, string> } = {},
): Promise<BenchServer> {
  const port = freePort();
  const proc = group.spawn(
    "server",
    [
      "run",
      "-A",
      ...benchDenoFlags(),
      options.entry ?? "scripts/bench/server.ts",
    ],
    {
      ...BENCH_SERVER_ENV,
      PORT: String(port),
      ...(place.databaseUrl
        ? { DATABASE_URL: place.databaseUrl }
        : { DATA_DIR: place.dataDir ?? "./data" }),
      ...options.env,
    },
  );
  await proc.waitForLine(/listening on/, 120_000);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    proc,
    stop: async () => {
      await proc.stop(15_000);
    },
  };
}

/**
 * Extra `deno run` flags for the bench's server, from `BENCH_DENO_FLAGS`
 * (space-separated), to profile it: e.g.
 * `BENCH_DENO_FLAGS="--v8-flags=--prof"` leaves a V8 log per server.
 *
 * @example
 * ```ts
 * benchDenoFlags(); // [] unless BENCH_DENO_FLAGS is set
 * ```
 */
export function benchDenoFlags(): string[] {
  return (Deno.env.get("BENCH_DENO_FLAGS") ?? "").split(" ").filter(Boolean);
}

let clockTicks: number | undefined;

async function ticksPerSecond(): Promise<number> {
  if (clockTicks !== undefined) return clockTicks;
  try {
    const out = await new Deno.Command("getconf", { args: ["CLK_TCK"] })
      .output();
    clockTicks = Number(new TextDecoder().decode(out.stdout).trim()) || 100;
  } catch {
    clockTicks = 100;
  }
  return clockTicks;
}

/**
 * The CPU time (user + system) a process has used so far, in ms.
 *
 * @example
 * ```ts
 * declare const pid: number;
 * const before = await cpuMs(pid); // ...work... ; (await cpuMs(pid)) - before
 * ```
 */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // The command name may hold spaces: the fields start after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line (11, 12 here).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 1000 / await ticksPerSecond();
}

/**
 * Resident memory now (`VmRSS`) and its peak so far (`VmHWM`), in MiB.
 *
 * @example
 * ```ts
 * declare const pid: number;
 * const { rssMb, peakMb } = await memoryMb(pid);
 * ```
 */
export async function memoryMb(
  pid: number,
): Promise<{ rssMb: number; peakMb: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = (name: string) =>
    Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}
