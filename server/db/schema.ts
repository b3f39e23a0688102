/**
 * The database tables, as drizzle definitions. drizzle-kit turns this file
 * into the SQL migrations in `migrations/`; never edit those by hand.
 *
 * Status-like columns are `text` checked by the code rather than Postgres
 * enums, so a new outcome or status needs no migration.
 *
 * @example
 * ```ts
 * import { suites } from "./schema.ts";
 * import type { Database } from "./client.ts";
 * declare const database: Database;
 * const rows = await database.db.select().from(suites);
 * ```
 * @module
 */
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { KeywordTally } from "../../evaluators/metrics/keyword_matrix.ts";
import { sql } from "drizzle-orm";
import type { Price } from "../../evaluators/metrics/price_table.ts";
import type { RunSummary } from "../../evaluators/metrics/scores.ts";
import type { EngineDescription } from "../../evaluators/targets/target.ts";
import type { ValidationError } from "../../evaluators/validation/validate.ts";
import type { RunOptions, RunOptionsInput } from "../runs/options.ts";
import type { QualityTaskSpec } from "../../evaluators/case.ts";
import type { DistortionSample } from "../../evaluators/metrics/distortion.ts";

const createdAt = () =>
  timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** A named, versioned, immutable set of cases, addressed by its content hash. */
export const suites = pgTable("suites", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  version: integer("version").notNull(),
  description: text("description"),
  /** Where the cases came from: `{ kind, subset?, revision?, ... }`. */
  source: jsonb("source").$type<Record<string, unknown>>(),
  hash: text("hash").notNull(),
  caseCount: integer("case_count").notNull(),
  /**
   * When an operator retired the suite (`POST /api/suites/:id/retire`): off
   * the lists and the board, its runs kept; null while in use.
   */
  retiredAt: timestamp("retired_at", { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("suites_name_version").on(t.name, t.version),
  uniqueIndex("suites_name_hash").on(t.name, t.hash),
]);

/**
 * One schema of a suite. `schema` is `json`, not `jsonb`: `json` keeps the
 * text as given, and property order matters to generation (it is the order
 * in which a constrained engine writes the properties).
 */
export const cases = pgTable("cases", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  suiteId: uuid("suite_id").notNull().references(() => suites.id, {
    onDelete: "cascade",
  }),
  ordinal: integer("ordinal").notNull(),
  key: text("key").notNull(),
  subset: text("subset"),
  tags: text("tags").array().notNull().default([]),
  schema: json("schema").notNull(),
  schemaHash: text("schema_hash").notNull(),
  /** The draft the schema is validated under (`draft4` … `draft2020-12`). */
  draft: text("draft").notNull(),
  /** The `$schema` as written, or null when the schema declares none. */
  declaredSchema: text("declared_schema"),
  /** Why the draft was inferred rather than declared; null when declared. */
  draftNote: text("draft_note"),
  keywords: text("keywords").array().notNull().default([]),
  /**
   * The validator version that derived `draft`, `draft_note` and
   * `keywords` (1 for cases stored before versions were kept); the
   * start-up backfill recomputes older ones.
   */
  derivedVersion: integer("derived_version").notNull().default(1),
  prompt: text("prompt"),
  /** A quality task: `{ family, expected, checker }`. */
  task: jsonb("task").$type<QualityTaskSpec>(),
}, (t) => [
  uniqueIndex("cases_suite_key").on(t.suiteId, t.key),
  uniqueIndex("cases_suite_ordinal").on(t.suiteId, t.ordinal),
]);

/** One engine or provider, with one model and one decoding mode. */
export const targets = pgTable("targets", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** Words for people; changing it changes no result. */
  description: text("description"),
  kind: text("kind").notNull(),
  baseUrl: text("base_url"),
  model: text("model"),
  mode: text("mode").notNull(),
  /** Kind-specific settings (endpoint choice, adapt, provider, flavour …). */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull()
    .default({}),
  /** Generation parameters (temperature, max_tokens, seed …). */
  params: jsonb("params").$type<Record<string, unknown>>().notNull().default(
    {},
  ),
  hardware: text("hardware"),
  /** The NAME of the environment variable holding the key, never the key. */
  apiKeyEnv: text("api_key_env"),
  maxConcurrency: integer("max_concurrency"),
  /** The target's own price, overriding the price table's. */
  pricing: jsonb("pricing").$type<Price>(),
  /**
   * When an operator retired the target (`POST /api/targets/:id/retire`):
   * off the hints, the lists and the board, its runs kept; null while in use.
   */
  retiredAt: timestamp("retired_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull()
    .defaultNow(),
});

/** One target answering every case of one suite. */
export const runs = pgTable("runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  suiteId: uuid("suite_id").notNull().references(() => suites.id),
  targetId: uuid("target_id").notNull().references(() => targets.id),
  /**
   * queued, running, waiting_for_engine, done, failed, cancelled,
   * budget_exceeded
   */
  status: text("status").notNull().default("queued"),
  /** api, cron, cli */
  trigger: text("trigger").notNull(),
  public: boolean("public").notNull().default(false),
  ownerTokenId: uuid("owner_token_id"),
  shareTokenHash: text("share_token_hash"),
  /** The resolved, complete options (`resolveRunOptions`). */
  // The column's default stays `{}` (the migrations have it), though every
  // insert passes complete options: a cast, as `{}` is not a RunOptions.
  /**
   * The validator version that judged the run (`VALIDATOR_VERSION`; 1 for
   * runs stored before versions were kept).
   */
  validatorVersion: integer("validator_version").notNull().default(1),
  options: jsonb("options").$type<RunOptions>().notNull()
    .default({} as RunOptions),
  /** The engine's own description taken at run start. */
  engine: jsonb("engine").$type<EngineDescription>(),
  scheduleId: uuid("schedule_id"),
  scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
  /** The scores, computed once when the run finished. */
  summary: jsonb("summary").$type<RunSummary>(),
  /** Taken off the leaderboard by an operator (kept, not deleted). */
  hidden: boolean("hidden").notNull().default(false),
  hiddenReason: text("hidden_reason"),
  /**
   * Not a measure of the target (set when the run finishes): it left cases
   * out, overrode the target's generation parameters, or lost more than 5%
   * of its cases to `infra_error`/`skipped`. Shown in the target's history
   * and its own report, never on the board, in a ranking or as a drift
   * baseline.
   */
  partial: boolean("partial").notNull().default(false),
  /** Why the run is partial, in words; null for a full run. */
  partialReason: text("partial_reason"),
  /**
   * Why a `failed` run measured nothing (`server/runs/failure.ts`):
   * `auth_failed`, `engine_down`, `mostly_infra_errors`,
   * `nothing_measured`; null for every other run.
   */
  failureReason: text("failure_reason"),
  /** Drift flags computed when the run finished (interval, build, model). */
  flags: jsonb("flags").$type<string[]>(),
  error: text("error"),
  /**
   * The engine the run sends to (`server/worker/engine_key.ts`): outages
   * and suspect isolation are kept per engine, whatever the target.
   */
  engineKey: text("engine_key"),
  /** Since when a `waiting_for_engine` run has waited; null otherwise. */
  waitingSince: timestamp("waiting_since", { withTimezone: true }),
  /** Milliseconds the run has waited for its engine, in all, so far. */
  engineWaitedMs: integer("engine_waited_ms").notNull().default(0),
  /**
   * The config matrix (`deno task run --config`) the run is a cell of, and
   * which cell: `--resume` finds a matrix's runs by them, and a cell has
   * at most one run.
   */
  matrixId: uuid("matrix_id"),
  matrixCell: text("matrix_cell"),
  createdAt: createdAt(),
  startedAt: timestamp("started_at", { withTimezone: true }),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
}, (t) => [
  index("runs_status").on(t.status),
  index("runs_target_suite").on(t.targetId, t.suiteId, t.finishedAt),
  uniqueIndex("runs_schedule_firing").on(
    t.scheduleId,
    t.scheduledFor,
    t.targetId,
  ),
  uniqueIndex("runs_matrix_cell").on(t.matrixId, t.matrixCell),
]);

/** Exactly one row per (run, case); also the work queue, through its lease. */
export const results = pgTable("results", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  runId: uuid("run_id").notNull().references(() => runs.id, {
    onDelete: "cascade",
  }),
  caseId: bigint("case_id", { mode: "number" }).notNull().references(() =>
    cases.id
  ),
  /** Null while pending; one of the outcomes once written. */
  outcome: text("outcome"),
  leaseOwner: text("lease_owner"),
  leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
  attempts: integer("attempts").notNull().default(0),
  rawOutput: text("raw_output"),
  outputTruncated: boolean("output_truncated").notNull().default(false),
  fenced: boolean("fenced").notNull().default(false),
  reasoning: text("reasoning"),
  /** The schema actually sent, when the target had to adapt it. */
  sentSchema: json("sent_schema"),
  /** The validation errors of a `schema_violation`, as the validator gave them. */
  errors: jsonb("errors").$type<ValidationError[]>(),
  failingKeywords: text("failing_keywords").array(),
  finishReason: text("finish_reason"),
  errorKind: text("error_kind"),
  errorMessage: text("error_message"),
  latencyMs: real("latency_ms"),
  ttftMs: real("ttft_ms"),
  tpotMs: real("tpot_ms"),
  grammarMs: real("grammar_ms"),
  promptTokens: integer("prompt_tokens"),
  completionTokens: integer("completion_tokens"),
  costUsd: doublePrecision("cost_usd"),
  /** The engine's own timing report. */
  timings: jsonb("timings").$type<Record<string, unknown>>(),
  /** The grammar the engine enforced, when it reports it. */
  grammar: text("grammar"),
  /** Quality tasks: the parsed answer and whether it matched. */
  answer: jsonb("answer"),
  correct: boolean("correct"),
  /**
   * Whether the output's objects have their keys in the schema's
   * `properties` order; null when not parsed and judged, or nothing to order.
   */
  keyOrder: boolean("key_order"),
  /**
   * The content came back empty and the JSON only in the reasoning channel
   * (the user got no answer where they asked for it: `invalid_json`).
   */
  answerInReasoning: boolean("answer_in_reasoning").notNull().default(false),
  /**
   * In flight when its engine went down: after the engine returns, it is
   * retried alone on that engine (`server/worker/engine_watch.ts`).
   */
  suspect: boolean("suspect").notNull().default(false),
  /**
   * A distortion run's samples of this case (both arms), written with the
   * result (`server/worker/distortion_case.ts`); null for other runs.
   */
  distortion: jsonb("distortion").$type<DistortionSample[]>(),
  createdAt: createdAt(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
}, (t) => [
  uniqueIndex("results_run_case").on(t.runId, t.caseId),
  index("results_pending").on(t.runId, t.outcome),
  index("results_case").on(t.caseId),
  index("results_suspects").on(t.runId).where(
    sql`${t.suspect} and ${t.outcome} is null`,
  ),
]);

/**
 * A finished run's keyword tally (`evaluators/metrics/keyword_matrix.ts`):
 * per keyword and format value, the counts the keyword matrix's cells are
 * judged from. Written once when the run finishes (or by the start-up
 * backfill), so `/keywords` reads no results.
 */
export const runKeywordStats = pgTable("run_keyword_stats", {
  runId: uuid("run_id").primaryKey().references(() => runs.id, {
    onDelete: "cascade",
  }),
  stats: jsonb("stats").$type<Record<string, KeywordTally>>().notNull(),
  createdAt: createdAt(),
});

/**
 * An engine the workers found down (one row per engine key, shared by every
 * worker): while `down_since` is set, no case of a run on it is claimed.
 */
export const engineStates = pgTable("engine_states", {
  engineKey: text("engine_key").primaryKey(),
  /** When the engine was found down; null once it answers again. */
  downSince: timestamp("down_since", { withTimezone: true }),
  /** When a worker last asked its health. */
  probedAt: timestamp("probed_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull()
    .defaultNow(),
});

/** A cron expression that enqueues public runs of one suite on targets. */
export const schedules = pgTable("schedules", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name"),
  cron: text("cron").notNull(),
  suiteId: uuid("suite_id").notNull().references(() => suites.id),
  targetIds: uuid("target_ids").array().notNull(),
  /** The options each firing's runs ask for (resolved per target). */
  options: jsonb("options").$type<RunOptionsInput>().notNull().default({}),
  enabled: boolean("enabled").notNull().default(true),
  lastFiredAt: timestamp("last_fired_at", { withTimezone: true }),
  createdAt: createdAt(),
});

/** Bearer tokens; only the hash of a token is kept. */
export const apiTokens = pgTable("api_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  scopes: text("scopes").array().notNull(),
  createdAt: createdAt(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});
