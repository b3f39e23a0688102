/**
 * The suites of a config (`deno task run --config`), found or stored
 * through the backend's API: a stored suite by name (its latest version),
 * a suite file (a `POST /api/suites` body), or an importer of
 * `datasets/` (`jsonschemabench:<Subset>`, `json-schema-test-suite`,
 * `quality`) whose prepared suite is sent as `deno task import` sends it
 * through a server. The same name and cases again reuse the stored suite
 * (suites are content-addressed).
 *
 * @example
 * ```ts
 * import { resolveSuites } from "./config_suites.ts";
 * import type { Backend } from "./backend.ts";
 * import type { Config } from "./config.ts";
 * import type { Env } from "../../server/env.ts";
 * declare const backend: Backend;
 * declare const config: Config;
 * declare const env: Env;
 * const suites = await resolveSuites(backend, config.suites, env);
 * console.log(suites.get("quality")?.id);
 * ```
 * @module
 */
import {
  jsonSchemaBenchHubSuites,
  jsonSchemaBenchSuites,
} from "../../datasets/import_jsonschemabench.ts";
import { keywordCoverageSuite } from "../../datasets/import_keyword_coverage.ts";
import { qualitySuite } from "../../datasets/quality/suite.ts";
import type { PreparedSuite } from "../../evaluators/case.ts";
import type { Env } from "../../server/env.ts";
import { prepareSuite } from "../../server/suites/prepare.ts";
import { suiteBody } from "../suite_body.ts";
import { CliError } from "./args.ts";
import { apiMessage, type Backend, bodyAs } from "./backend.ts";
import { ConfigError, type SuiteSpec } from "./config.ts";
import { findSuite, type SuiteJson } from "./lookup.ts";

/** What an importer entry makes, prepared as `deno task import` does. */
async function imported(spec: SuiteSpec, env: Env): Promise<PreparedSuite> {
  const [importer, subset] = spec.import!.split(":");
  if (importer === "quality") {
    return prepareSuite(
      qualitySuite(spec.seed ?? 1, spec.per_family ?? 20),
      {
        kind: "quality",
        ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
      },
      env,
    );
  }
  if (importer === "json-schema-test-suite") {
    return (await keywordCoverageSuite(
      { from: spec.from!, ref: spec.ref },
      env,
    ))
      .suite;
  }
  const found = spec.from === "hub"
    ? (await jsonSchemaBenchHubSuites({
      subsets: [subset],
      split: spec.split,
      limit: spec.limit,
    }, env)).suites
    : await jsonSchemaBenchSuites(
      { dir: spec.from!, subsets: [subset], limit: spec.limit },
      env,
    );
  if (!found[0]) throw new Error(`no subset ${subset} in ${spec.from}`);
  return found[0].suite;
}

/** Stores `body` with `POST /api/suites`: the stored suite, made or found. */
async function store(
  backend: Backend,
  label: string,
  body: unknown,
): Promise<SuiteJson> {
  const answer = await backend.call("POST", "/api/suites", body);
  if (answer.status === 400 || answer.status === 413) {
    throw new ConfigError(`suite "${label}": ${apiMessage(answer)}`);
  }
  if (answer.status !== 200 && answer.status !== 201) {
    throw new CliError(
      `suite "${label}": POST /api/suites: ${apiMessage(answer)}`,
    );
  }
  const suite = bodyAs<SuiteJson>(answer);
  console.error(
    `${
      answer.status === 201 ? "created" : "exists "
    } suite ${suite.name} v${suite.version}: ${suite.case_count} cases`,
  );
  return suite;
}

/** The suite file's body, read and parsed. */
async function readSuiteFile(spec: SuiteSpec): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(spec.file!));
  } catch (error) {
    throw new ConfigError(
      `suite file ${spec.file}: ${(error as Error).message}`,
    );
  }
}

/**
 * Each suite of the config by its label, found or stored in turn.
 * Problems with what the config names (an unknown suite, a file the API
 * refuses, an importer that fails) are a {@link ConfigError} or the
 * usage error of {@link findSuite} (exit 2).
 *
 * @example
 * ```ts
 * import type { Backend } from "./backend.ts";
 * import type { Env } from "../../server/env.ts";
 * declare const backend: Backend;
 * declare const env: Env;
 * const suites = await resolveSuites(backend, [{ label: "smoke", name: "smoke" }], env);
 * suites.get("smoke")?.case_count; // 5
 * ```
 */
export async function resolveSuites(
  backend: Backend,
  specs: readonly SuiteSpec[],
  env: Env,
): Promise<Map<string, SuiteJson>> {
  const found = new Map<string, SuiteJson>();
  for (const spec of specs) {
    if (spec.name !== undefined) {
      found.set(spec.label, await findSuite(backend, spec.name));
    } else if (spec.file !== undefined) {
      found.set(
        spec.label,
        await store(backend, spec.label, await readSuiteFile(spec)),
      );
    } else {
      let prepared: PreparedSuite;
      try {
        prepared = await imported(spec, env);
      } catch (error) {
        throw new ConfigError(
          `suite "${spec.label}": the import failed: ${
            (error as Error).message
          }`,
        );
      }
      found.set(
        spec.label,
        await store(backend, spec.label, suiteBody(prepared)),
      );
    }
  }
  return found;
}
