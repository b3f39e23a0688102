/**
 * The one way a run is created, for the API route, the cron scheduler and
 * the CLI alike: the suite and target are looked up, the options resolved
 * over the target's defaults (a distortion run's checked by
 * `distortion_options.ts`), the prompt template held to
 * `MAX_PROMPT_BYTES`, the owner's runs in flight held to
 * `MAX_RUNS_IN_FLIGHT_PER_TOKEN`, a share secret made for a private run,
 * and, with `quality_pair`, the unconstrained twin created beside it, under
 * the target's `prompt_only` twin (`twin_target.ts`). Each
 * refusal is an {@link ApiError} the route answers as it is and the CLI
 * prints.
 *
 * @example
 * ```ts
 * import { enqueueRun } from "./enqueue.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * declare const suiteId: string;
 * declare const targetId: string;
 * const made = await enqueueRun(database, {
 *   suiteId,
 *   targetId,
 *   trigger: "cli",
 *   options: { limit: 10 },
 * }, { maxPromptBytes: 65_536, maxRunsInFlightPerToken: 4 });
 * console.log(made?.run.id, made?.cases);
 * ```
 * @module
 */
import type { Database } from "../db/client.ts";
import {
  createRunOnce,
  type RunRow,
  runsInFlight,
  setRunOptions,
} from "../db/queries/runs.ts";
import { casePrompts, getSuite, type SuiteRow } from "../db/queries/suites.ts";
import { getTarget, type TargetRow } from "../db/queries/targets.ts";
import { ApiError } from "../errors.ts";
import { generateToken, hashToken } from "../auth/tokens.ts";
import { boardChanged } from "../board/cache.ts";
import {
  resolveRunOptions,
  type RunOptions,
  type RunOptionsInput,
} from "./options.ts";
import { priceTableOf } from "./price.ts";
import { distortionOptions } from "./distortion_options.ts";
import { twinTarget } from "./twin_target.ts";
import { buildMessages } from "../../evaluators/prompt.ts";
import { type Estimate, estimateRun } from "../../evaluators/metrics/cost.ts";
import type { PriceTable } from "../../evaluators/metrics/price_table.ts";

/** Who asks for a run, and for what. */
export interface EnqueueInput {
  suiteId: string;
  targetId: string;
  /** `api`, `cron` or `cli`: stored with the run. */
  trigger: string;
  options?: RunOptionsInput;
  /** Public runs reach the board; a private one gets a share secret. */
  public?: boolean;
  /**
   * Whether a private run gets a share link (default true).
   */
  shareLink?: boolean;
  /** The API token that asked (its quota applies; it may read the run). */
  ownerTokenId?: string | null;
  /** A schedule's firing: (schedule, time, target) makes at most one run. */
  schedule?: { id: string; firedAt: Date };
  /**
   * A config matrix's cell (`deno task run --config`): (matrix, cell)
   * makes at most one run; a second is null.
   */
  matrix?: { id: string; cell: string };
}

/** The limits {@link enqueueRun} holds a request to (from the environment). */
export interface EnqueueLimits {
  /** Bytes of the JSON prompt template at most (`MAX_PROMPT_BYTES`). */
  maxPromptBytes: number;
  /** Runs queued, running or waiting for their engine per token at most. */
  maxRunsInFlightPerToken: number;
}

/** A checked request: what a run would be, before anything is written. */
export interface PreparedRun {
  suite: SuiteRow;
  target: TargetRow;
  options: RunOptions;
}

/** What {@link enqueueRun} made. */
export interface Enqueued {
  run: RunRow;
  /** Cases queued (the suite's, or its first `limit`). */
  cases: number;
  /** The quality pair's unconstrained twin. */
  pairRunId?: string;
  /** A private run's share secret, shown once. */
  shareToken?: string;
}

/**
 * Looks up and checks a request without writing: 404 for an unknown suite
 * or target, 400 for a prompt template over the limit.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const prepared = await prepareRun(database, { suiteId: "…", targetId: "…", trigger: "api" }, { maxPromptBytes: 65_536, maxRunsInFlightPerToken: 4 });
 * prepared.options.max_tokens; // 1024 unless the target says otherwise
 * ```
 */
export async function prepareRun(
  database: Database,
  input: EnqueueInput,
  limits: EnqueueLimits,
): Promise<PreparedRun> {
  const suite = await getSuite(database, input.suiteId);
  if (!suite) {
    throw new ApiError(404, "not_found", "no suite with that id", "/suite_id");
  }
  const target = await getTarget(database, input.targetId);
  if (!target) {
    throw new ApiError(
      404,
      "not_found",
      "no target with that id",
      "/target_id",
    );
  }
  const options = resolveRunOptions(input.options ?? {}, target);
  const distortion = distortionOptions(input.options ?? {}, target);
  if (distortion) {
    options.distortion = distortion;
    options.temperature = distortion.sampling.temperature;
  }
  const templateBytes = new TextEncoder().encode(
    JSON.stringify(options.prompt_template),
  ).length;
  if (options.prompt_template && templateBytes > limits.maxPromptBytes) {
    throw new ApiError(
      400,
      "too_large",
      `the prompt template is over ${limits.maxPromptBytes} bytes (MAX_PROMPT_BYTES)`,
      "/options/prompt_template",
    );
  }
  if (input.options?.quality_pair && target.mode === "prompt_only") {
    throw new ApiError(
      400,
      "invalid_body",
      "quality_pair compares a constrained mode with prompt_only: this target is already prompt_only",
      "/options/quality_pair",
    );
  }
  return { suite, target, options };
}

/**
 * What a prepared run would cost, by the one price rule (`price.ts`).
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import { loadPriceTable } from "../../evaluators/metrics/price_table.ts";
 * declare const database: Database;
 * declare const prepared: PreparedRun;
 * (await estimatePrepared(database, prepared, loadPriceTable())).cost_usd;
 * ```
 */
export async function estimatePrepared(
  database: Database,
  prepared: PreparedRun,
  table: PriceTable,
): Promise<Estimate> {
  const { suite, target, options } = prepared;
  const rows = await casePrompts(
    database,
    suite.id,
    options.limit ?? undefined,
  );
  // A distortion run asks each case's prompt twice per sample (both arms).
  const asks = options.distortion ? 2 * options.distortion.samples : 1;
  const estimate = estimateRun({
    kind: target.kind,
    model: target.model,
    table: priceTableOf(target, table),
    messages: rows.flatMap((row) =>
      Array(asks).fill(buildMessages(options.prompt_template, row))
    ),
    maxTokens: options.max_tokens,
  });
  if (asks === 1) return estimate;
  return {
    ...estimate,
    cases: rows.length,
    assumptions: [
      ...estimate.assumptions,
      `a distortion run asks each case ${asks} times (${
        asks / 2
      } samples in each arm)`,
    ],
  };
}

/**
 * Creates a run (and its quality twin) with one pending result per case.
 * Null only for a schedule firing that already made its run; a config
 * matrix's cell that has its run is a 409.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const made = await enqueueRun(database, { suiteId: "…", targetId: "…", trigger: "api", public: true }, { maxPromptBytes: 65_536, maxRunsInFlightPerToken: 4 });
 * made?.shareToken; // undefined: a public run needs no share link
 * ```
 */
export async function enqueueRun(
  database: Database,
  input: EnqueueInput,
  limits: EnqueueLimits,
): Promise<Enqueued | null> {
  const { suite, target, options } = await prepareRun(database, input, limits);
  const owner = input.ownerTokenId ?? null;
  if (owner) {
    const inFlight = await runsInFlight(database, owner);
    const adding = input.options?.quality_pair ? 2 : 1;
    if (inFlight + adding > limits.maxRunsInFlightPerToken) {
      throw new ApiError(
        429,
        "too_many_runs",
        `this token has ${inFlight} runs queued, running or waiting for their engine; the most is ${limits.maxRunsInFlightPerToken} (MAX_RUNS_IN_FLIGHT_PER_TOKEN)`,
      ).withHeader("Retry-After", "30");
    }
  }
  const isPublic = input.public ?? false;
  const share = isPublic || input.shareLink === false
    ? undefined
    : generateToken("shr_");
  // Made before the run, so that a refused twin leaves nothing behind.
  const twinOf = input.options?.quality_pair
    ? await twinTarget(database, target)
    : null;
  const create = (
    runOptions: RunOptions,
    firing?: EnqueueInput["schedule"],
    targetId = target.id,
  ) =>
    createRunOnce(database, {
      suiteId: suite.id,
      targetId,
      trigger: input.trigger,
      options: runOptions,
      public: isPublic,
      ownerTokenId: owner,
      shareTokenHash: share ? hashToken(share) : null,
      limit: options.limit ?? undefined,
      scheduleId: firing?.id,
      scheduledFor: firing?.firedAt,
      matrix: firing || targetId !== target.id ? undefined : input.matrix,
    });
  const made = await create(options, input.schedule);
  if (!made && input.matrix) {
    throw new ApiError(409, "cell_taken", "this matrix cell already has a run");
  }
  if (!made) return null;
  boardChanged();
  const { run, cases } = made;
  if (!twinOf) return withShare({ run, cases });
  // The same cases again, unconstrained, under the twin target: a paired
  // run for quality, and a board row of its own.
  const twin = await create(
    {
      ...resolveRunOptions(input.options ?? {}, twinOf),
      pair_run_id: run.id,
      pair_role: "prompt_only",
    },
    undefined,
    twinOf.id,
  );
  if (!twin) throw new Error("the quality pair's twin was not created");
  run.options = {
    ...options,
    pair_run_id: twin.run.id,
    pair_role: "constrained",
  };
  await setRunOptions(database, run.id, run.options);
  boardChanged();
  return withShare({ run, cases, pairRunId: twin.run.id });

  function withShare(result: Enqueued): Enqueued {
    return share ? { ...result, shareToken: share } : result;
  }
}
