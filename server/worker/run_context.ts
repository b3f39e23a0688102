/**
 * What the worker keeps for one active run, and how it is prepared the
 * first time the worker meets the run: the target built from its stored
 * row, the engine described (once, at run start), how many cases may be in
 * flight, the adaptive limit shared by every run of the target, and the
 * price that turns tokens into dollars.
 *
 * @example
 * ```ts
 * import { openRunContext } from "./run_context.ts";
 * import type { RunPreparation } from "./run_context.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const preparation: RunPreparation;
 * declare const run: RunRow;
 * const ctx = await openRunContext(preparation, run);
 * ctx?.started; // true once the engine has described itself
 * ```
 * @module
 */
import type {
  Price,
  PriceTable,
} from "../../evaluators/metrics/price_table.ts";
import { createTarget } from "../../evaluators/targets/registry.ts";
import {
  type EngineDescription,
  reasoningOf,
  type Target,
  type TargetConfig,
} from "../../evaluators/targets/target.ts";
import { AdaptiveLimit } from "../../evaluators/targets/transport/adaptive_limit.ts";
import type { Database } from "../db/client.ts";
import type { ClaimedCase } from "../db/queries/queue.ts";
import { type RunRow } from "../db/queries/runs.ts";
import { setEngineKey, startRun } from "../db/queries/run_lifecycle.ts";
import { boardChanged } from "../board/cache.ts";
import { type PricedTarget, priceOf } from "../runs/price.ts";
import { getTarget, type TargetRow } from "../db/queries/targets.ts";
import type { RunOptions } from "../runs/options.ts";
import { failForRefusedKey, refusalIn } from "./refused_key.ts";
import { engineHealth, PROBE_TIMEOUT_MS } from "./engine_health.ts";
import { engineKeyOf } from "./engine_key.ts";

/**
 * One active run as the worker drives it.
 *
 * @example
 * ```ts
 * import type { RunContext } from "./run_context.ts";
 * declare const ctx: RunContext;
 * const free = ctx.concurrency - ctx.inflight.size;
 * ```
 */
export interface RunContext {
  run: RunRow;
  target: Target;
  targetId: string;
  /** The engine it sends to (`engine_key.ts`). */
  engineKey: string;
  /** Whether the run has started (its engine described); until then nothing is claimed. */
  started: boolean;
  limit: AdaptiveLimit;
  price: Price | null;
  options: RunOptions;
  concurrency: number;
  /** The cap across all workers (undefined: none known). */
  targetCap: number | undefined;
  inflight: Map<number, ClaimedCase>;
  /** The target's own `max_concurrency`. */
  maxConcurrency: number | null;
  /** The target's pricing, for {@link priceOf}. */
  pricing: PricedTarget;
}

/**
 * A stored target as the adapters see it.
 *
 * @example
 * ```ts
 * import { targetConfig } from "./run_context.ts";
 * import type { TargetRow } from "../db/queries/targets.ts";
 * declare const row: TargetRow;
 * targetConfig(row).mode; // "json_schema"
 * ```
 */
export function targetConfig(row: TargetRow): TargetConfig {
  return {
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    model: row.model,
    mode: row.mode as TargetConfig["mode"],
    settings: row.settings,
    params: row.params,
    apiKeyEnv: row.apiKeyEnv,
  };
}

/**
 * How many cases of a run may be in flight in this process, and the cap
 * every worker together respects. The cap is the target's own
 * `max_concurrency`, else the engine's slot count (a llama-server with 4
 * slots never sees 5 requests); the run's `concurrency` (default: the slot
 * count, else 4) is held under it, and is at least 1.
 *
 * @example
 * ```ts
 * import { concurrencyFor } from "./run_context.ts";
 * concurrencyFor({ concurrency: null }, null, { engine: "llama.cpp", slots: 2 });
 * // { concurrency: 2, targetCap: 2 }
 * ```
 */
export function concurrencyFor(
  options: Pick<RunOptions, "concurrency">,
  maxConcurrency: number | null,
  engine: EngineDescription,
): { concurrency: number; targetCap: number | undefined } {
  const engineSlots = typeof engine.slots === "number" && engine.slots > 0
    ? engine.slots
    : undefined;
  const targetCap = maxConcurrency ?? engineSlots;
  const concurrency = Math.max(
    1,
    Math.min(options.concurrency ?? engineSlots ?? 4, targetCap ?? Infinity),
  );
  return { concurrency, targetCap };
}

/**
 * What preparing a run needs of the worker.
 *
 * @example
 * ```ts
 * import type { RunPreparation } from "./run_context.ts";
 * import { loadPriceTable } from "../../evaluators/metrics/price_table.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const preparation: RunPreparation = {
 *   database,
 *   secret: (name) => Deno.env.get(name),
 *   allowedHosts: [],
 *   prices: loadPriceTable(),
 *   limits: new Map(),
 * };
 * ```
 */
export interface RunPreparation {
  database: Database;
  /** Reads an environment variable by name: how API keys reach targets. */
  secret: (name: string) => string | undefined;
  /** Hosts or CIDRs a target may reach although link-local or metadata. */
  allowedHosts: string[];
  prices: PriceTable;
  /** One adaptive limit per target id, shared by every run of it; filled here. */
  limits: Map<string, AdaptiveLimit>;
}

/**
 * Prepares a run's context, or null when its target is gone. Nothing is
 * asked of the engine here: a run that has not started yet is started by
 * {@link startRunContext} (the worker's engine gate calls it).
 *
 * @example
 * ```ts
 * import { openRunContext, type RunPreparation } from "./run_context.ts";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const preparation: RunPreparation;
 * declare const run: RunRow;
 * const ctx = await openRunContext(preparation, run);
 * ```
 */
export async function openRunContext(
  preparation: RunPreparation,
  run: RunRow,
): Promise<RunContext | null> {
  const { database } = preparation;
  const row = await getTarget(database, run.targetId);
  if (!row) return null;
  const config = targetConfig(row);
  const target = createTarget(config, preparation.secret, {
    allowedHosts: preparation.allowedHosts,
  });
  const engineKey = engineKeyOf(config);
  if (run.engine && run.engineKey !== engineKey) {
    // Started before engine keys were stored.
    await setEngineKey(database, run.id, engineKey);
  }
  const ctx: RunContext = {
    run,
    target,
    targetId: row.id,
    engineKey,
    started: false,
    limit: new AdaptiveLimit({ max: 1 }),
    price: null,
    options: run.options,
    concurrency: 0,
    targetCap: undefined,
    inflight: new Map(),
    maxConcurrency: row.maxConcurrency,
    pricing: row,
  };
  if (run.engine) ready(preparation, ctx, run.engine);
  return ctx;
}

/** Fills in what depends on the engine's description; the run is started. */
function ready(
  preparation: RunPreparation,
  ctx: RunContext,
  engine: EngineDescription,
): void {
  const { concurrency, targetCap } = concurrencyFor(
    ctx.options,
    ctx.maxConcurrency,
    engine,
  );
  let limit = preparation.limits.get(ctx.targetId);
  if (!limit) {
    limit = new AdaptiveLimit({ max: concurrency });
    preparation.limits.set(ctx.targetId, limit);
  }
  ctx.limit = limit;
  ctx.concurrency = concurrency;
  ctx.targetCap = targetCap;
  ctx.price = priceOf(ctx.pricing, preparation.prices, engine.model ?? null);
  ctx.started = true;
}

/**
 * Starts a run that has not started: its engine describes itself (within
 * 30 s; a failure is recorded in place of the description) and the run
 * becomes `running`. `unreachable`: the description failed and the engine
 * does not answer its health probe either (nothing is stored; the run
 * waits for the engine). `refused`: the engine refused the key (401/403),
 * and the run failed at once (`auth_failed`, every case `skipped`).
 *
 * @example
 * ```ts
 * import { startRunContext, type RunContext, type RunPreparation } from "./run_context.ts";
 * declare const preparation: RunPreparation;
 * declare const ctx: RunContext;
 * await startRunContext(preparation, ctx); // "started"
 * ```
 */
export async function startRunContext(
  preparation: RunPreparation,
  ctx: RunContext,
): Promise<"started" | "unreachable" | "refused"> {
  const { database } = preparation;
  let engine: EngineDescription;
  try {
    engine = await ctx.target.describe(AbortSignal.timeout(30_000));
  } catch (error) {
    engine = {
      engine: ctx.target.config.kind,
      error: `could not describe the engine: ${(error as Error).message}`,
    };
  }
  // The target's reasoning setting is part of what was run (issue 21).
  const settings = ctx.target.config.settings;
  engine.reasoning ??= reasoningOf(settings);
  // The grammar backend, where the server does not say it: as told.
  if (typeof settings.grammar_backend === "string") {
    engine.grammar_backend ??= settings.grammar_backend;
  }
  if (
    (engine.error || engine.models_error) && !refusalIn(engine) &&
    !(await engineHealth(ctx.target, AbortSignal.timeout(PROBE_TIMEOUT_MS)))
  ) {
    return "unreachable";
  }
  await startRun(database, ctx.run.id, engine, ctx.engineKey);
  boardChanged();
  const refusal = refusalIn(engine);
  if (refusal) {
    await failForRefusedKey(database, ctx.run.id, refusal);
    return "refused";
  }
  ready(preparation, ctx, engine);
  return "started";
}
