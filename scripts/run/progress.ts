/**
 * The progress line of `deno task run` on stderr: redrawn in place on a
 * terminal, printed every 5 s (and once more at the end) otherwise.
 *
 * @example
 * ```ts
 * import { ProgressView } from "./progress.ts";
 * const view = new ProgressView();
 * view.show({ status: "running", done: 3, total: 10, byOutcome: { valid: 3 } });
 * view.show({ status: "done", done: 10, total: 10, byOutcome: { valid: 10 } }, true);
 * view.end();
 * ```
 * @module
 */
import type { Progress } from "./backend.ts";
import { formatProgress } from "./report.ts";

/**
 * Draws the progress line: in place on a terminal, every 5 s otherwise.
 *
 * @example
 * ```ts
 * import type { Progress } from "./backend.ts";
 * declare const progress: Progress;
 * const view = new ProgressView();
 * view.show(progress);
 * view.end();
 * ```
 */
export class ProgressView {
  readonly #tty = Deno.stderr.isTerminal();
  readonly #started = performance.now();
  readonly #encoder = new TextEncoder();
  #lastPrint = 0;
  #lastLine = "";
  #drawn = false;

  /**
   * Shows `progress`; off a terminal, `force` prints it now if the line
   * changed since the last print.
   */
  show(progress: Progress, force = false): void {
    const line = formatProgress({
      done: progress.done,
      total: progress.total,
      elapsedMs: performance.now() - this.#started,
      byOutcome: progress.byOutcome,
    });
    if (this.#tty) {
      const columns = (() => {
        try {
          return Deno.consoleSize().columns;
        } catch {
          return 120;
        }
      })();
      const fitted = line.length >= columns
        ? `${line.slice(0, columns - 2)}…`
        : line;
      Deno.stderr.writeSync(this.#encoder.encode(`\r\x1b[2K${fitted}`));
      this.#drawn = true;
      return;
    }
    const now = performance.now();
    const due = this.#lastPrint === 0 || now - this.#lastPrint >= 5000;
    if ((force && line !== this.#lastLine) || due) {
      console.error(line);
      this.#lastPrint = now;
      this.#lastLine = line;
    }
  }

  /** Ends the redrawn line so that what follows starts on its own. */
  end(): void {
    if (this.#drawn) Deno.stderr.writeSync(this.#encoder.encode("\n"));
    this.#drawn = false;
  }
}
