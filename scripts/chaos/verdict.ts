/**
 * How a chaos scenario is judged and reported: the checks every scenario
 * shares (one outcome per case, nothing written twice), the outcome a
 * scenario returns, and the one line printed for it.
 *
 * @example
 * ```ts
 * import { formatLine, judge, outcomeOf } from "./verdict.ts";
 * import type { RunFigures } from "./pg_figures.ts";
 * declare const figures: RunFigures;
 * const problems = judge(figures, 300, "done");
 * console.log(formatLine(outcomeOf("cancel", figures, [], problems)));
 * ```
 * @module
 */
import type { RunFigures } from "./pg_figures.ts";
import type { ChildProc } from "./proc.ts";

/**
 * One scenario's verdict: the four counts every line shows, the extra
 * figures, and what went wrong (empty: PASS).
 *
 * @example
 * ```ts
 * const outcome: ScenarioOutcome = { name: "cancel", expected: 300, stored: 300, duplicates: 0, lost: 0, extras: [], problems: [] };
 * formatLine(outcome); // "cancel: cases expected 300, results stored 300, duplicates 0, lost 0 — PASS"
 * ```
 */
export interface ScenarioOutcome {
  name: string;
  expected: number;
  stored: number;
  duplicates: number;
  lost: number;
  extras: string[];
  problems: string[];
  /** Set when the scenario could not run here (neither PASS nor FAIL). */
  skipped?: string;
}

/**
 * The one line printed for a scenario.
 *
 * @example
 * ```ts
 * formatLine({ name: "x", expected: 3, stored: 3, duplicates: 0, lost: 0, extras: ["re-run 1"], problems: [] });
 * // "x: cases expected 3, results stored 3, duplicates 0, lost 0, re-run 1 — PASS"
 * ```
 */
export function formatLine(outcome: ScenarioOutcome): string {
  if (outcome.skipped) {
    return `${outcome.name}: not run (${outcome.skipped}) — SKIP`;
  }
  const parts = [
    `cases expected ${outcome.expected}`,
    `results stored ${outcome.stored}`,
    `duplicates ${outcome.duplicates}`,
    `lost ${outcome.lost}`,
    ...outcome.extras,
  ];
  const verdict = outcome.problems.length
    ? `FAIL (${outcome.problems.join("; ")})`
    : "PASS";
  return `${outcome.name}: ${parts.join(", ")} — ${verdict}`;
}

/**
 * The checks every scenario shares: the run ended with `status`, with one
 * outcome per case, each written once and never written over. Returns the
 * problems found (none: the run is sound).
 *
 * @example
 * ```ts
 * import type { RunFigures } from "./pg_figures.ts";
 * declare const figures: RunFigures;
 * const problems: string[] = judge(figures, 300, "done");
 * ```
 */
export function judge(
  figures: RunFigures,
  caseCount: number,
  status: string,
): string[] {
  const problems: string[] = [];
  if (figures.expected !== caseCount) {
    problems.push(
      `the run has ${caseCount} cases, the suite ${figures.expected}`,
    );
  }
  if (figures.status !== status) {
    problems.push(`status ${figures.status}, expected ${status}`);
  }
  if (!figures.finished) problems.push("the run has no finish time");
  if (figures.stored !== figures.expected) {
    problems.push(`${figures.stored} results for ${figures.expected} cases`);
  }
  if (figures.duplicates) {
    problems.push(`${figures.duplicates} duplicated cases`);
  }
  if (figures.lost) problems.push(`${figures.lost} cases without an outcome`);
  if (figures.overwrites) {
    problems.push(`${figures.overwrites} stored outcomes changed afterwards`);
  }
  if (figures.writes !== figures.stored) {
    problems.push(
      `${figures.writes} outcome writes for ${figures.stored} results`,
    );
  }
  return problems;
}

/**
 * A scenario's outcome from its run's figures, its extra figures and its
 * problems.
 *
 * @example
 * ```ts
 * import type { RunFigures } from "./pg_figures.ts";
 * declare const figures: RunFigures;
 * const outcome = outcomeOf("cancel", figures, [`re-run ${figures.rerun}`], []);
 * ```
 */
export function outcomeOf(
  name: string,
  figures: RunFigures,
  extras: string[],
  problems: string[],
): ScenarioOutcome {
  return {
    name,
    expected: figures.expected,
    stored: figures.stored,
    duplicates: figures.duplicates,
    lost: figures.lost,
    extras,
    problems,
  };
}

/**
 * A problem for each of `procs` that has exited (each one should still be
 * running): its exit code, signal and log.
 *
 * @example
 * ```ts
 * import type { ChildProc } from "./proc.ts";
 * declare const worker: ChildProc;
 * const problems: string[] = alive([worker]); // [] while it runs
 * ```
 */
export function alive(procs: ChildProc[]): string[] {
  return procs.filter((p) => p.status).map((p) =>
    `${p.name} exited (code ${p.status!.code}${
      p.status!.signal ? `, ${p.status!.signal}` : ""
    }; log ${p.logPath})`
  );
}
