/**
 * The targets of a config (`deno task run --config`), found or created
 * through the backend's API: a stored target by name, or a
 * `POST /api/targets` body, created when no target has its name and
 * reused when the stored one says the same (a usage error naming the
 * first field that differs otherwise: a target's settings are part of
 * what its results mean).
 *
 * @example
 * ```ts
 * import { resolveTargets } from "./config_targets.ts";
 * import type { Backend } from "./backend.ts";
 * import type { Config } from "./config.ts";
 * declare const backend: Backend;
 * declare const config: Config;
 * const targets = await resolveTargets(backend, config.targets);
 * console.log(targets.get("tiny")?.id);
 * ```
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { CliError } from "./args.ts";
import { apiMessage, type Backend, bodyAs } from "./backend.ts";
import { ConfigError, type TargetSpec } from "./config.ts";
import type { TargetJson } from "./lookup.ts";
import { MEANING_FIELDS } from "../../server/routes/targets.ts";

/** The fields of a target body that say what its results mean, and its cap. */
const COMPARED = [...MEANING_FIELDS, "max_concurrency"];

/** A field as stored, absent and empty written one way. */
function normal(key: string, value: unknown): unknown {
  if (value === undefined || value === null) {
    return key === "params" || key === "settings" ? {} : null;
  }
  if (key === "base_url" && typeof value === "string") {
    return value.replace(/\/+$/, "");
  }
  return value;
}

/**
 * The first field where the stored target differs from the config's
 * body, or null when they say the same.
 *
 * @example
 * ```ts
 * differingField(
 *   { mode: "json_schema", base_url: "http://127.0.0.1:8080/" },
 *   { name: "t", kind: "llamacpp", mode: "json_schema", base_url: "http://127.0.0.1:8080" },
 * ); // "kind"
 * ```
 */
export function differingField(
  stored: Record<string, unknown>,
  body: Record<string, unknown>,
): string | null {
  for (const key of COMPARED) {
    if (!isDeepStrictEqual(normal(key, stored[key]), normal(key, body[key]))) {
      return key;
    }
  }
  return null;
}

async function byName(
  backend: Backend,
  name: string,
): Promise<TargetJson | null> {
  const answer = await backend.call(
    "GET",
    `/api/targets/${encodeURIComponent(name)}`,
  );
  if (answer.status === 404) return null;
  if (answer.status !== 200) {
    throw new CliError(`GET /api/targets/${name}: ${apiMessage(answer)}`);
  }
  return bodyAs<TargetJson>(answer);
}

async function resolveOne(
  backend: Backend,
  spec: TargetSpec,
): Promise<TargetJson> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const stored = await byName(backend, spec.name);
    if (stored && !spec.body) return stored;
    if (stored) {
      const record: Record<string, unknown> = { ...stored };
      const field = differingField(record, spec.body!);
      if (field) {
        throw new ConfigError(
          `target "${spec.name}": a stored target has that name and another ${field} (${
            JSON.stringify(record[field] ?? null)
          }); give this one another name`,
        );
      }
      return stored;
    }
    if (!spec.body) {
      throw new ConfigError(
        `target "${spec.name}": no stored target has that name (give its kind, base_url and mode to create it)`,
      );
    }
    const created = await backend.call("POST", "/api/targets", spec.body);
    if (created.status === 201) {
      console.error(`created target "${spec.name}"`);
      return bodyAs<TargetJson>(created);
    }
    if (created.status === 400) {
      throw new ConfigError(`target "${spec.name}": ${apiMessage(created)}`);
    }
    // 409: another client made it meanwhile; read it again.
    if (created.status !== 409) {
      throw new CliError(
        `target "${spec.name}": POST /api/targets: ${apiMessage(created)}`,
      );
    }
  }
  throw new CliError(`could not create or find the target "${spec.name}"`);
}

/**
 * Each target of the config by its name, found or created in turn.
 *
 * @example
 * ```ts
 * import type { Backend } from "./backend.ts";
 * declare const backend: Backend;
 * const targets = await resolveTargets(backend, [{ name: "tiny" }]);
 * targets.get("tiny")?.kind; // "llamacpp"
 * ```
 */
export async function resolveTargets(
  backend: Backend,
  specs: readonly TargetSpec[],
): Promise<Map<string, TargetJson>> {
  const found = new Map<string, TargetJson>();
  for (const spec of specs) {
    found.set(spec.name, await resolveOne(backend, spec));
  }
  return found;
}
