/**
 * Where a run of `deno task run` can be read in a browser: its report
 * page on the server (a private run's with its share link), and the
 * `--open` that opens it (`xdg-open` where there is one, else a hint).
 *
 * @example
 * ```ts
 * import { openReport, reportUrl } from "./report_url.ts";
 * const url = reportUrl("http://127.0.0.1:8000", "8c0c…", "shr_…");
 * // "http://127.0.0.1:8000/runs/8c0c…?share=shr_…"
 * await openReport(url);
 * ```
 * @module
 */

/**
 * What follows an embedded run's report URL: no server serves it yet.
 *
 * @example
 * ```ts
 * console.error(`report: http://127.0.0.1:8000/runs/abc${EMBEDDED_NOTE}`);
 * ```
 */
export const EMBEDDED_NOTE =
  " (served there once deno task start runs on this database)";

/**
 * The report page of run `runId` on the server at `base`, with its share
 * secret when there is one.
 *
 * @example
 * ```ts
 * reportUrl("http://127.0.0.1:8000", "abc"); // "http://127.0.0.1:8000/runs/abc"
 * reportUrl("http://127.0.0.1:8000", "abc", "shr_x"); // "http://127.0.0.1:8000/runs/abc?share=shr_x"
 * ```
 */
export function reportUrl(
  base: string,
  runId: string,
  shareToken?: string,
): string {
  const url = `${base.replace(/\/+$/, "")}/runs/${encodeURIComponent(runId)}`;
  return shareToken ? `${url}?share=${encodeURIComponent(shareToken)}` : url;
}

/**
 * Opens `url` with `opener` (`xdg-open`) and says so on stderr; where it
 * cannot (none there, or it fails), prints how to open it instead. Never
 * throws.
 *
 * @example
 * ```ts
 * await openReport("http://127.0.0.1:8000/runs/abc");
 * ```
 */
export async function openReport(
  url: string,
  opener = "xdg-open",
): Promise<void> {
  try {
    const { success } = await new Deno.Command(opener, {
      args: [url],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    if (success) {
      console.error(`opened ${url}`);
      return;
    }
  } catch {
    // No xdg-open here (or no permission to run it): the hint below.
  }
  console.error(`open it in a browser: ${url}`);
}
