/**
 * Test and benchmark data for the pages: suites, targets, and runs whose
 * results are written directly (no engine) and which finish with a summary
 * computed by `runSummary`, as the worker would store it. Not used by
 * the server.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import { seedRun, seedSuite, seedTarget } from "./seed.ts";
 * declare const database: Database;
 * const suite = await seedSuite(database, "s", [{ key: "a", schema: {} }]);
 * const target = await seedTarget(database, { name: "t" });
 * const run = await seedRun(database, {
 *   suite,
 *   target,
 *   results: () => ({ outcome: "valid" }),
 * });
 * console.log(run.id);
 * ```
 * @module
 */
import { asc, eq, sql } from "drizzle-orm";
import type { RunSummary } from "../../evaluators/metrics/scores.ts";
import {
  runSummary,
  type SummarizedResult,
} from "../../evaluators/metrics/summary.ts";
import type { Outcome } from "../../evaluators/outcome.ts";
import { boardChanged } from "../board/cache.ts";
import type { EngineDescription } from "../../evaluators/targets/target.ts";
import type { Database } from "../db/client.ts";
import { resultSummaries } from "../db/queries/results.ts";
import { createRun, type RunRow } from "../db/queries/runs.ts";
import { saveSuite, type SuiteRow } from "../db/queries/suites.ts";
import { createTargetRow, type TargetRow } from "../db/queries/targets.ts";
import { cases, results, runs } from "../db/schema.ts";
import { readEnv } from "../env.ts";
import { resolveRunOptions } from "../runs/options.ts";
import { type CaseInput, prepareSuite } from "../suites/prepare.ts";

/**
 * Stores a suite (content-addressed, like the API).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import { seedSuite } from "./seed.ts";
 * declare const database: Database;
 * await seedSuite(database, "smoke", [{ key: "a", schema: { type: "string" } }]);
 * ```
 */
export async function seedSuite(
  database: Database,
  name: string,
  caseInputs: CaseInput[],
): Promise<SuiteRow> {
  const prepared = prepareSuite(
    { name, cases: caseInputs },
    { kind: "test" },
    readEnv({}),
  );
  return (await saveSuite(database, prepared)).suite;
}

/**
 * Stores a target (llama.cpp, `json_schema`, unless told otherwise).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import { seedTarget } from "./seed.ts";
 * declare const database: Database;
 * await seedTarget(database, { name: "gpt", kind: "openai", model: "gpt-x" });
 * ```
 */
export async function seedTarget(
  database: Database,
  input: { name: string; kind?: string; mode?: string; model?: string },
): Promise<TargetRow> {
  const target = await createTargetRow(database, {
    name: input.name,
    kind: input.kind ?? "llamacpp",
    mode: input.mode ?? "json_schema",
    model: input.model ?? null,
    baseUrl: "http://127.0.0.1:9",
  });
  boardChanged();
  return target;
}

/** One case's result; omitted fields stay null. */
export interface SeedResult {
  outcome: Outcome;
  rawOutput?: string;
  errors?: {
    keyword: string;
    instance_path: string;
    schema_path: string;
    message: string;
  }[];
  failingKeywords?: string[];
  finishReason?: string;
  latencyMs?: number;
  ttftMs?: number;
  tpotMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
  correct?: boolean;
  sentSchema?: unknown;
  errorMessage?: string;
}

/** A run to seed. */
export interface SeedRunInput {
  suite: SuiteRow;
  target: TargetRow;
  /** Each case's result by key and position; null leaves it pending. */
  results: (key: string, index: number) => SeedResult | null;
  /** Default true. */
  public?: boolean;
  hidden?: boolean;
  /** When it finished (default now); ignored while cases are pending. */
  finishedAt?: Date;
  /** The engine's description (default llama.cpp build b1). */
  engine?: EngineDescription;
  flags?: string[];
}

/**
 * Creates a run, writes its results, and, when none is left pending,
 * finishes it (`done`) with the summary the worker would store; otherwise
 * it stays `running` without a summary.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { SuiteRow } from "../db/queries/suites.ts";
 * import type { TargetRow } from "../db/queries/targets.ts";
 * import { seedRun } from "./seed.ts";
 * declare const database: Database;
 * declare const suite: SuiteRow;
 * declare const target: TargetRow;
 * await seedRun(database, {
 *   suite,
 *   target,
 *   results: (_key, i) => ({ outcome: i % 2 ? "valid" : "invalid_json" }),
 * });
 * ```
 */
export async function seedRun(
  database: Database,
  input: SeedRunInput,
): Promise<RunRow> {
  const { run } = await createRun(database, {
    suiteId: input.suite.id,
    targetId: input.target.id,
    trigger: "api",
    options: resolveRunOptions({}, input.target),
    public: input.public ?? true,
  });
  boardChanged();
  const rows = await database.db.select({ id: results.id, key: cases.key })
    .from(results).innerJoin(cases, eq(cases.id, results.caseId))
    .where(eq(results.runId, run.id)).orderBy(asc(results.id));
  let pending = 0;
  for (const [index, row] of rows.entries()) {
    const result = input.results(row.key, index);
    if (!result) {
      pending++;
      continue;
    }
    await database.db.update(results).set({
      outcome: result.outcome,
      rawOutput: result.rawOutput ?? null,
      errors: result.errors ?? null,
      failingKeywords: result.failingKeywords ?? null,
      finishReason: result.finishReason ?? "stop",
      latencyMs: result.latencyMs ?? null,
      ttftMs: result.ttftMs ?? null,
      tpotMs: result.tpotMs ?? null,
      promptTokens: result.promptTokens ?? null,
      completionTokens: result.completionTokens ?? null,
      costUsd: result.costUsd ?? null,
      correct: result.correct ?? null,
      sentSchema: result.sentSchema ?? null,
      errorMessage: result.errorMessage ?? null,
      attempts: 1,
      finishedAt: new Date(),
    }).where(eq(results.id, row.id));
  }
  return await finishSeededRun(database, run, input, pending === 0);
}

async function finishSeededRun(
  database: Database,
  run: RunRow,
  input: Pick<
    SeedRunInput,
    "finishedAt" | "engine" | "flags" | "hidden"
  >,
  finished: boolean,
): Promise<RunRow> {
  const engine = input.engine ??
    { engine: "llama.cpp", version: "b1", model: "tiny.gguf", slots: 4 };
  const finishedAt = input.finishedAt ?? new Date();
  let summary: RunSummary | null = null;
  if (finished) {
    const rows = await resultSummaries(database, run.id);
    summary = runSummary(rows as SummarizedResult[]);
  }
  const [updated] = await database.db.update(runs).set({
    status: finished ? "done" : "running",
    engine,
    summary,
    flags: finished ? input.flags ?? [] : null,
    hidden: input.hidden ?? false,
    startedAt: new Date(finishedAt.getTime() - 60_000),
    finishedAt: finished ? finishedAt : null,
  }).where(eq(runs.id, run.id)).returning();
  return updated;
}

const BULK_OUTCOMES: Outcome[] = [
  "valid",
  "valid",
  "valid",
  "valid",
  "schema_violation",
  "invalid_json",
  "truncated",
  "unsupported_schema",
];

/**
 * A finished run whose results are all written by one SQL statement (a
 * fixed mix of outcomes and timings, shifted by `seed`): for benchmarks
 * with many results.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { SuiteRow } from "../db/queries/suites.ts";
 * import type { TargetRow } from "../db/queries/targets.ts";
 * import { seedBulkRun } from "./seed.ts";
 * declare const database: Database;
 * declare const suite: SuiteRow;
 * declare const target: TargetRow;
 * const finishedAt = new Date("2026-01-01T00:00:00Z");
 * await seedBulkRun(database, { suite, target, seed: 3, finishedAt });
 * ```
 */
export async function seedBulkRun(
  database: Database,
  input: {
    suite: SuiteRow;
    target: TargetRow;
    seed: number;
    finishedAt: Date;
    engine?: EngineDescription;
  },
): Promise<RunRow> {
  const { run } = await createRun(database, {
    suiteId: input.suite.id,
    targetId: input.target.id,
    trigger: "api",
    options: resolveRunOptions({}, input.target),
    public: true,
  });
  boardChanged();
  const outcomes = `{${BULK_OUTCOMES.join(",")}}`;
  const n = BULK_OUTCOMES.length;
  await database.rows(sql`
    update ${results} set
      outcome = (${outcomes}::text[])[1 + ((id + ${input.seed}) % ${n})],
      raw_output = '{"a": 1}',
      failing_keywords = case when (id + ${input.seed}) % ${n} = 4
        then array['type'] else null end,
      finish_reason = 'stop',
      latency_ms = 100 + (id * 7 + ${input.seed}) % 900,
      ttft_ms = 10 + (id * 3 + ${input.seed}) % 90,
      tpot_ms = 1 + ((id + ${input.seed}) % 20) / 10.0,
      prompt_tokens = 200,
      completion_tokens = 20 + id % 80,
      cost_usd = 0.0001,
      attempts = 1,
      finished_at = now()
    where run_id = ${run.id}`);
  return await finishSeededRun(database, run, input, true);
}
