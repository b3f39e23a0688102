/**
 * Drift flags: set on a run when it finishes, against the previous
 * finished full run of the same board row key (target, suite, validation
 * mode): never a partial run, and for a public run never a private one.
 * A flag says the
 * empirical-coverage interval does not overlap the previous one's, or the
 * engine build or the model changed.
 *
 * @example
 * ```ts
 * import { driftFor } from "./drift.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * declare const summary: Record<string, unknown>;
 * const flags = await driftFor(database, runId, summary); // ["coverage_shift", "engine_build_changed"]
 * ```
 * @module
 */
import { and, desc, eq, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import type { RunScores } from "../../../evaluators/metrics/scores.ts";
import type { Proportion } from "../../../evaluators/metrics/stats.ts";
import type { Database } from "../client.ts";
import { runs } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";

/** A flag's name. */
export type DriftFlag =
  | "coverage_shift"
  | "engine_build_changed"
  | "model_changed";

/**
 * What drift reads of a run: its coverage, and its engine's description.
 *
 * @example
 * ```ts
 * const side: DriftSide = { summary: null, engine: { version: "b1" } };
 * ```
 */
export interface DriftSide {
  summary: Partial<Pick<RunScores, "empirical_coverage">> | null;
  engine: Record<string, unknown> | null;
}

function coverage(summary: DriftSide["summary"]): Proportion | null {
  const c = summary?.empirical_coverage;
  return c && c.low !== null && c.high !== null ? c : null;
}

/**
 * The flags of `current` against `previous` (pure).
 *
 * @example
 * ```ts
 * declare const before: Record<string, unknown>;
 * declare const engine: Record<string, unknown>;
 * declare const summary: Record<string, unknown>;
 * driftFlags({ summary, engine }, { summary: before, engine: { version: "b1" } });
 * ```
 */
export function driftFlags(
  current: DriftSide,
  previous: DriftSide,
): DriftFlag[] {
  const flags: DriftFlag[] = [];
  const a = coverage(current.summary);
  const b = coverage(previous.summary);
  if (a && b && (a.low! > b.high! || b.low! > a.high!)) {
    flags.push("coverage_shift");
  }
  const version = (e: Record<string, unknown> | null) => e?.version ?? null;
  if (version(current.engine) !== version(previous.engine)) {
    flags.push("engine_build_changed");
  }
  const model = (e: Record<string, unknown> | null) =>
    e?.model ?? e?.system_fingerprint ?? null;
  if (model(current.engine) !== model(previous.engine)) {
    flags.push("model_changed");
  }
  return flags;
}

/**
 * The drift flags a run will carry once it finishes with `summary`, against
 * its baseline: the latest finished (`done`) run of the same target, suite
 * and validation mode that is not partial and, for a public run, public (a
 * private run may also compare against its owner's private runs; those
 * with no owner token are the operator's).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * declare const scores: Record<string, unknown>;
 * const flags = await driftFor(database, runId, scores);
 * ```
 */
export async function driftFor(
  database: Database,
  runId: string,
  summary: DriftSide["summary"],
): Promise<DriftFlag[]> {
  const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
  if (!run) return [];
  const visible = run.public ? eq(runs.public, true) : or(
    eq(runs.public, true),
    // The operator's own (admin, CLI) private runs have no owner token.
    run.ownerTokenId
      ? eq(runs.ownerTokenId, run.ownerTokenId)
      : isNull(runs.ownerTokenId),
  );
  const [previous] = await database.db.select().from(runs).where(and(
    eq(runs.targetId, run.targetId),
    eq(runs.suiteId, run.suiteId),
    sql`${runs.options} ->> 'validation' = ${run.options.validation}`,
    // Verdicts of another validator version are not comparable.
    eq(runs.validatorVersion, run.validatorVersion),
    eq(runs.status, "done"),
    eq(runs.partial, false),
    isNotNull(runs.finishedAt),
    visible,
    ne(runs.id, run.id),
  )).orderBy(desc(runs.finishedAt), desc(runs.id)).limit(1);
  return previous ? driftFlags({ summary, engine: run.engine }, previous) : [];
}

/**
 * Takes a run off the leaderboard (or puts it back); it is kept.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const runId: string;
 * await setHidden(database, runId, true, "superseded by a corrected run");
 * ```
 */
export async function setHidden(
  database: Database,
  runId: string,
  hidden: boolean,
  reason: string | null,
): Promise<boolean> {
  if (!isUuid(runId)) return false;
  const rows = await database.db.update(runs).set({
    hidden,
    hiddenReason: hidden ? reason : null,
  })
    .where(eq(runs.id, runId)).returning({ id: runs.id });
  return rows.length === 1;
}
