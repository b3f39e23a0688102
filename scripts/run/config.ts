/**
 * The config file of `deno task run --config` (`evalserver.json`): read,
 * checked against `schemas/evalserver_config.json` (which refers to the
 * API's own target and run-option schemas), and expanded into the cells
 * of its matrix. Every problem is a {@link ConfigError}: one line naming
 * the file and the place in it (exit 2).
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 * const config = await loadConfig("docs/examples/evalserver.json");
 * for (const cell of config.cells) console.log(cell.key);
 * ```
 * @module
 */
import { dirname, resolve } from "node:path";
import type { ErrorObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { addFormats } from "../../evaluators/validation/ajv_instances.ts";
import {
  API_SCHEMAS,
  describeSchemaError,
  unstorableBody,
} from "../../server/http/request_body.ts";
import type { HubSplit } from "../../datasets/jsonschemabench_hub.ts";
import type { RunOptionsInput } from "../../server/runs/options.ts";
import configSchema from "../../schemas/evalserver_config.json" with {
  type: "json",
};
import {
  parseThresholds,
  type Threshold,
  ThresholdError,
} from "./thresholds.ts";

/** The most bytes a config file may have. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A config file that cannot be used: its message names the file and the
 * place in it.
 *
 * @example
 * ```ts
 * const error = new ConfigError("evalserver.json: /targets/0/mode is required");
 * console.error(`error: ${error.message}`);
 * ```
 */
export class ConfigError extends Error {
  /** @param message the one line to print */
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * One suite of the config: a stored one by name, a suite file, or an
 * importer's; `label` is how the matrix names it.
 *
 * @example
 * ```ts
 * const suite: SuiteSpec = { label: "quality", import: "quality", seed: 1 };
 * ```
 */
export interface SuiteSpec {
  label: string;
  name?: string;
  /** An absolute path. */
  file?: string;
  import?: string;
  /** A directory (absolute) or `hub` / `github`. */
  from?: string;
  split?: HubSplit;
  ref?: string;
  limit?: number;
  seed?: number;
  per_family?: number;
}

/**
 * One target of the config: a stored one by name (`body` absent), or a
 * `POST /api/targets` body.
 *
 * @example
 * ```ts
 * const target: TargetSpec = {
 *   name: "tiny",
 *   body: { name: "tiny", kind: "llamacpp", base_url: "http://127.0.0.1:8080", mode: "json_schema" },
 * };
 * ```
 */
export interface TargetSpec {
  name: string;
  body?: Record<string, unknown>;
}

/**
 * One run of the matrix: a suite, a target, the options and the
 * thresholds that apply. `key` names the cell within its matrix.
 *
 * @example
 * ```ts
 * const cell: Cell = {
 *   key: "smoke | tiny",
 *   suite: "smoke",
 *   target: "tiny",
 *   options: { limit: 5 },
 *   public: false,
 *   thresholds: [],
 * };
 * ```
 */
export interface Cell {
  key: string;
  /** A {@link SuiteSpec}'s label. */
  suite: string;
  /** A {@link TargetSpec}'s name. */
  target: string;
  options: RunOptionsInput;
  public: boolean;
  thresholds: Threshold[];
}

/**
 * A checked config.
 *
 * @example
 * ```ts
 * declare const config: Config;
 * console.log(`${config.cells.length} runs from ${config.path}`);
 * ```
 */
export interface Config {
  path: string;
  suites: SuiteSpec[];
  targets: TargetSpec[];
  cells: Cell[];
}

type RawSuite = Omit<SuiteSpec, "label">;

interface RawEntry {
  suites?: string[];
  targets?: string[];
  options?: RunOptionsInput;
  public?: boolean;
  thresholds?: Record<string, number>;
}

interface RawConfig {
  suites: RawSuite[];
  targets: ({ name: string } & Record<string, unknown>)[];
  options?: RunOptionsInput;
  public?: boolean;
  thresholds?: Record<string, number>;
  target_thresholds?: Record<string, Record<string, number>>;
  matrix?: RawEntry[];
}

const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormats(ajv);
for (const schema of Object.values(API_SCHEMAS)) ajv.addSchema(schema);
const validate = ajv.compile(configSchema);

/** The first schema error worth showing (not the combinators'). */
function firstError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) =>
    !["if", "then", "else", "anyOf", "oneOf", "$ref"].includes(e.keyword)
  ) ?? errors[0];
}

/** JSON with its keys sorted: the same options make the same key. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${
      Object.keys(value).sort().map((k) =>
        `${JSON.stringify(k)}:${
          canonical((value as Record<string, unknown>)[k])
        }`
      ).join(",")
    }}`;
  }
  return JSON.stringify(value);
}

/**
 * Checks a parsed config (`path` for the messages, `dir` for the paths
 * in it) and expands its matrix.
 *
 * @example
 * ```ts
 * const config = checkConfig({
 *   suites: [{ name: "smoke" }],
 *   targets: [{ name: "tiny" }],
 * }, "evalserver.json", ".");
 * config.cells[0].key; // "smoke | tiny"
 * ```
 */
export function checkConfig(json: unknown, path: string, dir: string): Config {
  const fail = (message: string): never => {
    throw new ConfigError(`${path}: ${message}`);
  };
  const unstorable = unstorableBody(json);
  if (unstorable) {
    fail(`${unstorable.path || "the file"} ${unstorable.problem}`);
  }
  // The suite entries first: the schema's oneOf says less than this.
  const rawSuites = (json as { suites?: unknown })?.suites;
  if (Array.isArray(rawSuites)) {
    rawSuites.forEach((entry, i) => {
      if (!entry || typeof entry !== "object") return;
      const given = ["name", "file", "import"].filter((k) => k in entry);
      if (given.length !== 1) {
        fail(
          `/suites/${i} needs exactly one of name, file or import (it has ${
            given.length ? given.join(", ") : "none"
          })`,
        );
      }
    });
  }
  if (!validate(json)) fail(describeSchemaError(firstError(validate.errors!)));
  const raw = json as RawConfig;

  raw.suites.forEach((s, i) => {
    if (s.import && s.import !== "quality" && s.from === undefined) {
      fail(
        `/suites/${i}/from is required for ${s.import} (${
          s.import === "json-schema-test-suite"
            ? "a copy of the test suite, or github"
            : "a directory of <Subset>.jsonl files, or hub"
        })`,
      );
    }
  });
  const suites: SuiteSpec[] = raw.suites.map((s) => ({
    ...s,
    label: s.name ?? s.import ?? s.file!,
    file: s.file === undefined ? undefined : resolve(dir, s.file),
    from: s.from === undefined || ["hub", "github"].includes(s.from)
      ? s.from
      : resolve(dir, s.from),
  }));
  const targets: TargetSpec[] = raw.targets.map((t) => ({
    name: t.name,
    body: "kind" in t ? t : undefined,
  }));
  const unique = (labels: string[], what: string) => {
    const seen = new Set<string>();
    labels.forEach((label, i) => {
      if (seen.has(label)) fail(`/${what}/${i}: "${label}" is named twice`);
      seen.add(label);
    });
  };
  unique(suites.map((s) => s.label), "suites");
  unique(targets.map((t) => t.name), "targets");

  const thresholds = (
    rawThresholds: Record<string, number> | undefined,
    where: string,
  ): Threshold[] => {
    try {
      return parseThresholds(rawThresholds ?? {}, where);
    } catch (error) {
      if (error instanceof ThresholdError) fail(error.message);
      throw error;
    }
  };
  const runWide = thresholds(raw.thresholds, "/thresholds");
  const byTarget = new Map<string, Threshold[]>();
  for (const [name, own] of Object.entries(raw.target_thresholds ?? {})) {
    if (!targets.some((t) => t.name === name)) {
      fail(
        `/target_thresholds/${name}: no target "${name}" in targets (${
          targets.map((t) => t.name).join(", ")
        })`,
      );
    }
    byTarget.set(name, thresholds(own, `/target_thresholds/${name}`));
  }

  const entries = raw.matrix ?? [{}];
  const cells: Cell[] = [];
  const keys = new Set<string>();
  entries.forEach((entry, e) => {
    const pick = (
      names: string[] | undefined,
      known: string[],
      what: string,
    ) => {
      for (const [i, name] of (names ?? []).entries()) {
        if (!known.includes(name)) {
          fail(
            `/matrix/${e}/${what}/${i}: no ${
              what.slice(0, -1)
            } "${name}" in ${what} (${known.join(", ")})`,
          );
        }
      }
      return names ?? known;
    };
    const entrySuites = pick(
      entry.suites,
      suites.map((s) => s.label),
      "suites",
    );
    const entryTargets = pick(
      entry.targets,
      targets.map((t) => t.name),
      "targets",
    );
    const own = thresholds(entry.thresholds, `/matrix/${e}/thresholds`);
    const options = { ...raw.options, ...entry.options };
    for (const suite of entrySuites) {
      for (const target of entryTargets) {
        const key = `${suite} | ${target}${
          entries.length > 1 ? ` | ${canonical(options)}` : ""
        }`;
        if (keys.has(key)) {
          fail(`/matrix/${e}: the run "${key}" is asked twice`);
        }
        keys.add(key);
        // The narrower says last: run-wide, then the entry's, then the target's.
        const merged = new Map<string, Threshold>();
        for (const t of [...runWide, ...own, ...(byTarget.get(target) ?? [])]) {
          merged.set(t.name, t);
        }
        cells.push({
          key,
          suite,
          target,
          options,
          public: entry.public ?? raw.public ?? false,
          thresholds: [...merged.values()],
        });
      }
    }
  });
  return { path, suites, targets, cells };
}

/**
 * Reads and checks the config file at `path` (at most
 * {@link MAX_CONFIG_BYTES}); paths in it are relative to its folder.
 *
 * @example
 * ```ts
 * const config = await loadConfig("evalserver.json");
 * console.log(`${config.cells.length} runs`);
 * ```
 */
export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw new ConfigError(`${path}: not a file`);
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ConfigError(
        `${path}: ${info.size} bytes; a config file has at most ${MAX_CONFIG_BYTES}`,
      );
    }
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `${path}: cannot read it: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not JSON: ${(error as Error).message}`);
  }
  return checkConfig(json, path, dirname(resolve(path)));
}
