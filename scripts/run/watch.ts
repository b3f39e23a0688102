/**
 * Follows a run of `deno task run` until it is no longer queued or
 * running, drawing its progress line. A first Ctrl-C (or SIGTERM) stops
 * the watch (and, embedded, the worker: the cases not yet run stay
 * pending); a second one exits at once with status 130.
 *
 * @example
 * ```ts
 * import { watchRun } from "./watch.ts";
 * import type { Backend } from "./backend.ts";
 * declare const backend: Backend;
 * const { progress, interrupted } = await watchRun(backend, "8c0c…");
 * console.error(interrupted ? "interrupted" : `ended as ${progress.status}`);
 * ```
 * @module
 */
import type { Backend, Progress } from "./backend.ts";
import { ProgressView } from "./progress.ts";
import { isActive } from "../../server/runs/status.ts";

/**
 * How a watch ended.
 *
 * @example
 * ```ts
 * const watched: Watched = {
 *   progress: { status: "done", done: 5, total: 5, byOutcome: { valid: 5 } },
 *   interrupted: false,
 * };
 * ```
 */
export interface Watched {
  /** The last progress read. */
  progress: Progress;
  /** Whether Ctrl-C (or SIGTERM) ended it. */
  interrupted: boolean;
}

/**
 * Polls the run's progress (every 250 ms embedded, every second through
 * a server) and draws it until the run ends or is interrupted.
 *
 * @example
 * ```ts
 * import type { Backend } from "./backend.ts";
 * declare const backend: Backend;
 * declare const runId: string;
 * const watched = await watchRun(backend, runId);
 * watched.progress.done; // 5
 * ```
 */
export async function watchRun(
  backend: Backend,
  runId: string,
): Promise<Watched> {
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
      progress = await backend.progress(runId);
      view.show(progress);
      if (!isActive(progress.status) || interrupts > 0) break;
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
      progress = await backend.progress(runId);
    }
    view.show(progress, true);
    view.end();
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  return { progress, interrupted: interrupts > 0 };
}
