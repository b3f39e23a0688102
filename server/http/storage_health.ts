/**
 * What `/api/health` knows of storage beyond the database answering: the
 * writes that failed lately (a full disk named `disk_full`, anything else
 * `write_failed`), and the free space on the data directory's disk
 * against `MIN_FREE_DISK_PERCENT` and `MIN_FREE_DISK_MB`.
 *
 * @example
 * ```ts
 * import { isDiskFull, StorageHealth } from "./storage_health.ts";
 * const storage = new StorageHealth({ minFreePercent: 5, minFreeMb: 200 });
 * storage.recordWriteFailure(new Error("No space left on device"));
 * storage.recentFailure()?.code; // "disk_full"
 * isDiskFull({ code: "53100" }); // true
 * ```
 * @module
 */
import { statfs } from "node:fs/promises";

/** One problem health reports. */
export interface HealthProblem {
  code: "disk_full" | "write_failed" | "low_disk" | "database_unavailable";
  message: string;
}

/**
 * Whether an error (or one of its causes) is a full disk: `ENOSPC`,
 * PostgreSQL's `disk_full` (53100), or the system's words for it.
 *
 * @example
 * ```ts
 * isDiskFull(new Error("could not extend file: No space left on device")); // true
 * isDiskFull(new Error("syntax error")); // false
 * ```
 */
export function isDiskFull(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; depth++) {
    if (typeof e !== "object") {
      return /no space left on device|ENOSPC/i.test(String(e));
    }
    const { code, errno, message, cause } = e as {
      code?: unknown;
      errno?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (code === "ENOSPC" || code === "53100" || errno === 28) return true;
    if (
      typeof message === "string" &&
      /no space left on device|ENOSPC|disk.?full/i.test(message)
    ) return true;
    e = cause;
  }
  return false;
}

/** Thresholds and the window of {@link StorageHealth}. */
export interface StorageHealthOptions {
  /** `MIN_FREE_DISK_PERCENT`: below this share free, the disk is low. */
  minFreePercent: number;
  /** `MIN_FREE_DISK_MB`: below this many MiB free, the disk is low. */
  minFreeMb: number;
  /** How long a failed write keeps health degraded (default 60 s). */
  windowMs?: number;
}

/**
 * The storage side of health, shared by the app's error handler (which
 * records failed writes) and `/api/health` (which reports them).
 *
 * @example
 * ```ts
 * const storage = new StorageHealth({ minFreePercent: 5, minFreeMb: 200 });
 * await storage.problems("./data"); // [] on a healthy disk
 * ```
 */
export class StorageHealth {
  #last: { at: number; problem: HealthProblem } | undefined;

  /** @param options the thresholds */
  constructor(readonly options: StorageHealthOptions) {}

  /** Notes a write that failed; returns its problem (`disk_full` or `write_failed`). */
  recordWriteFailure(error: unknown): HealthProblem {
    const problem: HealthProblem = isDiskFull(error)
      ? {
        code: "disk_full",
        message: "a write failed: the data directory's disk is full",
      }
      : { code: "write_failed", message: "a write failed; see the server log" };
    this.#last = { at: Date.now(), problem };
    return problem;
  }

  /** The latest write failure within the window, if any. */
  recentFailure(): HealthProblem | undefined {
    const window = this.options.windowMs ?? 60_000;
    return this.#last && Date.now() - this.#last.at < window
      ? this.#last.problem
      : undefined;
  }

  /** The free space of the disk that holds `dir`, or null when unknown. */
  async disk(
    dir: string,
  ): Promise<{ freeBytes: number; totalBytes: number } | null> {
    try {
      const stats = await statfs(dir);
      return {
        freeBytes: Number(stats.bavail) * Number(stats.bsize),
        totalBytes: Number(stats.blocks) * Number(stats.bsize),
      };
    } catch {
      return null;
    }
  }

  /** The storage problems now: a recent failed write, a low disk under `dir`. */
  async problems(dir: string | undefined): Promise<HealthProblem[]> {
    const found: HealthProblem[] = [];
    const failure = this.recentFailure();
    if (failure) found.push(failure);
    const disk = dir ? await this.disk(dir) : null;
    if (disk && disk.totalBytes > 0) {
      const freeMb = disk.freeBytes / (1024 * 1024);
      const percent = (100 * disk.freeBytes) / disk.totalBytes;
      if (
        freeMb < this.options.minFreeMb || percent < this.options.minFreePercent
      ) {
        found.push({
          code: "low_disk",
          message: `the data directory's disk has ${freeMb.toFixed(0)} MiB (${
            percent.toFixed(1)
          }%) free, under MIN_FREE_DISK_MB (${this.options.minFreeMb}) or MIN_FREE_DISK_PERCENT (${this.options.minFreePercent})`,
        });
      }
    }
    return found;
  }
}
