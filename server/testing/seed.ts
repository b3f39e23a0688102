/**
 * Test and benchmark data for the pages: suites, targets, and runs whose
 * results are written directly (no engine) and which finish with a summary
 * computed by `computeScores`, as the worker would store it. Not used by
 * the server.
 *
 * @example
 * ```ts
 * import { seedRun, seedSuite, seedTarget } from "./seed.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const suite = await seedSuite(database, "s", [{ key: "a", schema: {} }]);
 * const target = await seedTarget(database, { name: "t" });
 * const run = await seedRun(database, { suite, target, results: () => ({ outcome: "valid" }) });
 * ```
 * @module
 */
import { asc, eq, sql } from "drizzle-orm";
import {
  computeScores,
  type RunSummary,
  type ScoredResult,
} from "../../evaluators/metrics/scores.ts";
import type { Outcome } from "../../evaluators/outcome.ts";
import { boardChanged } from "../board/clock.ts";
import type { EngineDescription } from "../../evaluators/targets/target.ts";
import type { Database } from "../db/client.ts";
import { resultSummaries } from "../db/queries/results.ts";
import { createRun, type RunRow } from "../db/queries/runs.ts";
import { saveSuite, type SuiteRow } from "../db/queries/suites.ts";
import { createTargetRow, type TargetRow } from "../db/queries/targets.ts";
import { cases, results, runs } from "../db/schema.ts";
import { readEnv } from "../env.ts";
import { accuracy } from "../runs/report.ts";
import { resolveRunOptions } from "../runs/options.ts";
import { type CaseInput, prepareSuite } from "../suites/prepare.ts";

/**
 * Stores a suite (content-addressed, like the API).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
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
 * declare const database: Database;
 * declare const suite: SuiteRow;
 * declare const target: TargetRow;
 * await seedRun(database, { suite, target, results: (_key, i) => ({ outcome: i % 2 ? "valid" : "invalid_json" }) });
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
    const quality = accuracy(rows);
    summary = {
      ...computeScores(rows as ScoredResult[]),
      ...(quality ? { accuracy: quality } : {}),
    };
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
 * declare const database: Database;
 * declare const finishedAt: Date;
 * declare const suite: SuiteRow;
 * declare const target: TargetRow;
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

/** What {@link seedFixture} made, by name. */
export interface Fixture {
  alpha: SuiteRow;
  beta: SuiteRow;
  targets: Record<
    "fast" | "gpt" | "prompt" | "hidden" | "secret",
    TargetRow
  >;
  runs: Record<
    | "fastOld"
    | "fastNew"
    | "fastBeta"
    | "gpt"
    | "prompt"
    | "hiddenOld"
    | "hiddenNew"
    | "secret"
    | "running",
    RunRow
  >;
}

/**
 * Model output and schema text that must come back escaped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * declare const html: string;
 * assert.ok(html.includes("&lt;script&gt;") && !html.includes(SCRIPT));
 * ```
 */
export const SCRIPT = "<script>alert(1)</script>";

/**
 * A small board: suite `alpha` (4 cases, subsets A and B) and `beta`
 * (2 cases); targets `fast-llama` (llamacpp, two runs on alpha, the build
 * changed), `gpt-x` (openai, a quality column), `prompt-llama`
 * (prompt_only), `hidden-llama` (its newer run hidden), `secret` (only a
 * private run); a running run of gpt-x on beta.
 *
 * On alpha: empirical coverage fast 1.0, gpt 0.75, hidden 0.5, prompt
 * 0.25; TTFT p50 prompt 2, fast 5, hidden 20, gpt 50 ms.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const fixture = await seedFixture(database);
 * ```
 */
export async function seedFixture(database: Database): Promise<Fixture> {
  const alpha = await seedSuite(database, "alpha", [
    {
      key: "k1",
      subset: "A",
      schema: {
        type: "object",
        description: SCRIPT,
        properties: { name: { type: "string" } },
        required: ["name"],
      },
    },
    { key: "k2", subset: "A", schema: { type: "string", pattern: "^a" } },
    { key: "nested/k3", subset: "B", schema: { type: "integer" } },
    { key: "k4", subset: "B", schema: { type: "array", items: {} } },
  ]);
  const beta = await seedSuite(database, "beta", [
    { key: "b1", schema: { type: "boolean" } },
    { key: "b2", schema: { type: "null" } },
  ]);
  const targets = {
    fast: await seedTarget(database, { name: "fast-llama", model: "m1" }),
    gpt: await seedTarget(database, {
      name: "gpt-x",
      kind: "openai",
      model: "gpt-x",
    }),
    prompt: await seedTarget(database, {
      name: "prompt-llama",
      mode: "prompt_only",
    }),
    hidden: await seedTarget(database, { name: "hidden-llama" }),
    secret: await seedTarget(database, { name: "secret" }),
  };
  const day = (n: number) => new Date(Date.UTC(2025, 0, n));
  const timings = (ttftMs: number, tpotMs: number, costUsd = 0) => ({
    latencyMs: ttftMs * 10,
    ttftMs,
    tpotMs,
    costUsd,
    promptTokens: 100,
    completionTokens: 10,
  });
  const validUntil =
    (count: number, ttft: number, tpot: number) =>
    (_key: string, i: number): SeedResult =>
      i < count
        ? {
          outcome: "valid",
          rawOutput: '{"name": "a"}',
          ...timings(ttft, tpot),
        }
        : { outcome: "invalid_json", rawOutput: "{", ...timings(ttft, tpot) };
  const runs = {
    fastOld: await seedRun(database, {
      suite: alpha,
      target: targets.fast,
      finishedAt: day(1),
      results: validUntil(2, 5, 1),
    }),
    fastNew: await seedRun(database, {
      suite: alpha,
      target: targets.fast,
      finishedAt: day(2),
      engine: { engine: "llama.cpp", version: "b2", model: "tiny.gguf" },
      flags: ["engine_build_changed"],
      results: validUntil(4, 5, 1),
    }),
    fastBeta: await seedRun(database, {
      suite: beta,
      target: targets.fast,
      finishedAt: day(2),
      results: validUntil(2, 5, 1),
    }),
    gpt: await seedRun(database, {
      suite: alpha,
      target: targets.gpt,
      finishedAt: day(3),
      engine: { engine: "openai", model: "gpt-x-2025" },
      results: (key, i) =>
        key === "k1"
          ? {
            outcome: "schema_violation",
            rawOutput: JSON.stringify({ name: SCRIPT, extra: 1 }),
            errors: [{
              keyword: "type",
              instance_path: "/name",
              schema_path: "#/properties/name/type",
              message: "must be string",
            }],
            failingKeywords: ["type"],
            correct: false,
            sentSchema: { type: "object", properties: {} },
            ...timings(50, 3, 0.001),
          }
          : {
            outcome: "valid",
            rawOutput: i === 1 ? '"abc"' : "1",
            correct: true,
            ...timings(50, 3, 0.001),
          },
    }),
    prompt: await seedRun(database, {
      suite: alpha,
      target: targets.prompt,
      finishedAt: day(4),
      results: (_key, i) =>
        i === 0
          ? { outcome: "valid", rawOutput: "{}", ...timings(2, 5) }
          : i === 3
          ? { outcome: "truncated", rawOutput: SCRIPT, ...timings(2, 5) }
          : { outcome: "invalid_json", rawOutput: SCRIPT, ...timings(2, 5) },
    }),
    hiddenOld: await seedRun(database, {
      suite: alpha,
      target: targets.hidden,
      finishedAt: day(1),
      results: validUntil(2, 20, 2),
    }),
    hiddenNew: await seedRun(database, {
      suite: alpha,
      target: targets.hidden,
      finishedAt: day(5),
      hidden: true,
      results: validUntil(4, 20, 2),
    }),
    secret: await seedRun(database, {
      suite: alpha,
      target: targets.secret,
      finishedAt: day(5),
      public: false,
      results: validUntil(4, 1, 1),
    }),
    running: await seedRun(database, {
      suite: beta,
      target: targets.gpt,
      results: (_key, i) =>
        i === 0
          ? { outcome: "valid", rawOutput: "true", ...timings(9, 9) }
          : null,
    }),
  };
  return { alpha, beta, targets, runs };
}
