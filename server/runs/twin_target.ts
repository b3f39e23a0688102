/**
 * A quality pair's unconstrained side runs under a target of its own, so
 * that a target still fixes its mode: the constrained target's twin, named
 * "<name> (prompt_only)", with the same kind, base URL, model, settings,
 * parameters, hardware, key variable, concurrency and price, and mode
 * `prompt_only`. It is created for the first pair and reused by the next;
 * its runs are its board rows and its history.
 *
 * @example
 * ```ts
 * import { twinTarget } from "./twin_target.ts";
 * import type { Database } from "../db/client.ts";
 * import type { TargetRow } from "../db/queries/targets.ts";
 * declare const database: Database;
 * declare const target: TargetRow;
 * const twin = await twinTarget(database, target);
 * twin.mode; // "prompt_only"
 * ```
 * @module
 */
import type { Database } from "../db/client.ts";
import {
  createTargetRow,
  getTarget,
  TargetNameTakenError,
  type TargetRow,
} from "../db/queries/targets.ts";
import { ApiError } from "../errors.ts";
import { canonicalJson } from "../../evaluators/validation/canonical_json.ts";

/**
 * The twin's name.
 *
 * @example
 * ```ts
 * twinName("local"); // "local (prompt_only)"
 * ```
 */
export function twinName(name: string): string {
  return `${name} (prompt_only)`;
}

/** What the twin copies of its constrained target. */
function twinOf(target: TargetRow) {
  return {
    name: twinName(target.name),
    kind: target.kind,
    baseUrl: target.baseUrl,
    model: target.model,
    mode: "prompt_only",
    settings: target.settings,
    params: target.params,
    hardware: target.hardware,
    apiKeyEnv: target.apiKeyEnv,
    maxConcurrency: target.maxConcurrency,
    pricing: target.pricing,
  };
}

function sameConfig(a: ReturnType<typeof twinOf>, b: TargetRow): boolean {
  return canonicalJson(a) ===
    canonicalJson({ ...twinOf(b), name: b.name, mode: b.mode });
}

/**
 * The twin of a constrained target: the stored one, else a new one. 409
 * when the name is taken by a target that is not its twin (another mode
 * or configuration); a target that is already `prompt_only` is its own.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import type { TargetRow } from "../db/queries/targets.ts";
 * declare const database: Database;
 * declare const target: TargetRow;
 * (await twinTarget(database, target)).name; // "local (prompt_only)"
 * ```
 */
export async function twinTarget(
  database: Database,
  target: TargetRow,
): Promise<TargetRow> {
  if (target.mode === "prompt_only") return target;
  const wanted = twinOf(target);
  let twin = await getTarget(database, wanted.name);
  if (!twin) {
    try {
      twin = await createTargetRow(database, wanted);
    } catch (error) {
      // Another request made it first: use that one.
      if (!(error instanceof TargetNameTakenError)) throw error;
      twin = await getTarget(database, wanted.name);
    }
  }
  if (!twin || !sameConfig(wanted, twin)) {
    throw new ApiError(
      409,
      "conflict",
      `the quality pair's twin would be the target "${wanted.name}", which exists and is not ${target.name}'s prompt_only twin`,
      "/options/quality_pair",
    );
  }
  return twin;
}
