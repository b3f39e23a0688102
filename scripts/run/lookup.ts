/**
 * Finds what `deno task run` is asked to run, through the backend's API:
 * the suite by id or name (its latest version), and the target by name or
 * id, or for a llama-server URL the ad-hoc `llamacpp` target (created
 * when missing, reused when its settings match).
 *
 * @example
 * ```ts
 * import { findSuite, findTarget } from "./lookup.ts";
 * import type { Backend } from "./backend.ts";
 * import type { CliArgs } from "./args.ts";
 * declare const backend: Backend;
 * declare const cli: CliArgs;
 * const suite = await findSuite(backend, cli.suite);
 * const target = await findTarget(backend, cli);
 * console.error(`${suite.name} v${suite.version} on "${target.name}"`);
 * ```
 * @module
 */
import { isUuid } from "../../evaluators/validation/uuid.ts";
import { badArgument, type CliArgs, CliError } from "./args.ts";
import { apiMessage, type Backend, bodyAs } from "./backend.ts";

/**
 * A suite as `GET /api/suites` lists it (the fields the runner reads).
 *
 * @example
 * ```ts
 * const suite: SuiteJson = { id: "8c0c…", name: "smoke", version: 1, case_count: 5 };
 * ```
 */
export interface SuiteJson {
  id: string;
  name: string;
  version: number;
  case_count: number;
}

/**
 * A target as `GET /api/targets/:ref` answers (the fields the runner
 * reads).
 *
 * @example
 * ```ts
 * const target: TargetJson = {
 *   id: "5d1e…",
 *   name: "llamacpp http://127.0.0.1:8080 json_schema",
 *   kind: "llamacpp",
 *   base_url: "http://127.0.0.1:8080",
 *   mode: "json_schema",
 *   settings: {},
 * };
 * ```
 */
export interface TargetJson {
  id: string;
  name: string;
  kind: string;
  base_url: string | null;
  mode: string;
  settings: Record<string, unknown>;
}

/**
 * The suite with the id `ref`, else the latest version of the suite named
 * `ref` (or its `version`, `--suite-version`); a {@link badArgument} error
 * naming the stored suites, or the name's versions, otherwise.
 *
 * @example
 * ```ts
 * import type { Backend } from "./backend.ts";
 * declare const backend: Backend;
 * const suite = await findSuite(backend, "smoke");
 * suite.case_count; // 5
 * ```
 */
export async function findSuite(
  backend: Backend,
  ref: string,
  version?: number,
): Promise<SuiteJson> {
  if (isUuid(ref)) {
    const answer = await backend.call("GET", `/api/suites/${ref}?limit=1`);
    if (answer.status === 200) {
      const found = bodyAs<SuiteJson>(answer);
      if (version === undefined || found.version === version) return found;
      throw badArgument(
        `suite ${ref} is ${found.name} v${found.version}, not v${version}: pass its name with --suite-version, or the other version's id`,
      );
    }
  }
  const byName = await backend.call(
    "GET",
    `/api/suites?name=${encodeURIComponent(ref)}&retired=true&limit=500`,
  );
  const versions = byName.json.items as SuiteJson[] | undefined ?? [];
  const found = version === undefined
    ? versions[0]
    : versions.find((s) => s.version === version);
  if (found) return found;
  if (versions.length) {
    throw badArgument(
      `suite "${ref}" has no version ${version} (it has ${
        versions.map((s) => `v${s.version}`).join(", ")
      })`,
    );
  }
  const all = await backend.call("GET", "/api/suites?limit=500");
  const names = [
    ...new Set(
      (all.json.items as SuiteJson[] | undefined ?? []).map((s) => s.name),
    ),
  ];
  throw badArgument(
    `no suite with the name or id "${ref}"${
      names.length ? ` (suites: ${names.join(", ")})` : " (no suites stored)"
    }`,
  );
}

async function getTargetJson(
  backend: Backend,
  ref: string,
): Promise<TargetJson | null> {
  const answer = await backend.call(
    "GET",
    `/api/targets/${encodeURIComponent(ref)}`,
  );
  if (answer.status === 404) return null;
  if (answer.status !== 200) {
    throw new CliError(`GET /api/targets: ${apiMessage(answer)}`);
  }
  return bodyAs<TargetJson>(answer);
}

/**
 * The target the command line names: a stored one by name or id, or for
 * a URL the ad-hoc target `llamacpp <url> <mode>[ <endpoint>]`, created
 * when missing.
 *
 * @example
 * ```ts
 * import type { Backend } from "./backend.ts";
 * declare const backend: Backend;
 * const target = await findTarget(backend, {
 *   suite: "smoke",
 *   url: { baseUrl: "http://127.0.0.1:8080", mode: "json_schema", endpoint: null },
 *   options: {},
 *   json: false,
 *   public: false,
 * });
 * target.name; // "llamacpp http://127.0.0.1:8080 json_schema"
 * ```
 */
export async function findTarget(
  backend: Backend,
  args: CliArgs,
): Promise<TargetJson> {
  if (args.target !== undefined) {
    const found = await getTargetJson(backend, args.target);
    if (found) return found;
    const all = await backend.call("GET", "/api/targets?limit=500");
    const names = (all.json.items as TargetJson[] | undefined ?? []).map((t) =>
      t.name
    );
    throw badArgument(
      `no target with the name or id "${args.target}"${
        names.length
          ? ` (targets: ${names.join(", ")})`
          : " (no targets stored; pass a llama-server URL instead)"
      }`,
    );
  }
  const url = args.url!;
  const name = `llamacpp ${url.baseUrl} ${url.mode}${
    url.endpoint ? ` ${url.endpoint}` : ""
  }`;
  const settings = url.endpoint ? { endpoint: url.endpoint } : {};
  const matches = (t: TargetJson) =>
    t.kind === "llamacpp" && t.base_url === url.baseUrl &&
    t.mode === url.mode &&
    (t.settings.endpoint ?? null) === url.endpoint;
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await getTargetJson(backend, name);
    if (existing) {
      if (!matches(existing)) {
        throw badArgument(
          `a target named "${name}" exists with other settings; pass its name or id, or another URL`,
        );
      }
      return existing;
    }
    const created = await backend.call("POST", "/api/targets", {
      name,
      kind: "llamacpp",
      base_url: url.baseUrl,
      mode: url.mode,
      settings,
    });
    if (created.status === 201) {
      console.error(`created target "${name}"`);
      return bodyAs<TargetJson>(created);
    }
    if (created.status === 400) {
      throw badArgument(`--target: ${apiMessage(created)}`);
    }
    if (created.status !== 409) {
      throw new CliError(`could not create the target: ${apiMessage(created)}`);
    }
  }
  throw new CliError(`could not create or find the target "${name}"`);
}
