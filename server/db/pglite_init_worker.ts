/**
 * A throwaway Web Worker that creates a new PGlite data directory (runs
 * initdb) and exits: `initdb` runs a second PostgreSQL instance beside
 * the first, and the memory of both stays with the isolate that ran them
 * (some 450 MB, never given back), so the server does it in an isolate
 * that then ends. See `initDataDir` in `./client.ts`.
 *
 * @example
 * ```ts
 * const worker = new Worker(new URL("./pglite_init_worker.ts", import.meta.url), { type: "module" });
 * worker.postMessage({ dataDir: "./data", startParams: [] }); // answers { ok: true } or { ok: false, message }
 * ```
 * @module
 */
import { PGlite } from "@electric-sql/pglite";

/** What the worker is asked. */
export interface InitRequest {
  dataDir: string;
  startParams: string[];
}

/** What it answers. */
export type InitAnswer = { ok: true } | { ok: false; message: string };

interface InitScope {
  onmessage: ((event: MessageEvent<InitRequest>) => void) | null;
  postMessage(message: InitAnswer): void;
}

if (
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
    "undefined"
) {
  const scope = globalThis as unknown as InitScope;
  scope.onmessage = async (event) => {
    try {
      const pglite = await PGlite.create({
        dataDir: event.data.dataDir,
        startParams: event.data.startParams,
      });
      await pglite.close();
      scope.postMessage({ ok: true });
    } catch (error) {
      scope.postMessage({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
}
