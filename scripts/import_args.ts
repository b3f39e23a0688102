/**
 * The command line of `deno task import` (scripts/import.ts): the usage
 * text and the parsing of the arguments into a {@link Cli}.
 *
 * @example
 * ```ts
 * import { parseCli } from "./import_args.ts";
 * const cli = parseCli();
 * console.log(cli?.dataset);
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { HUB_SPLITS, type HubSplit } from "../datasets/jsonschemabench_hub.ts";

/**
 * The usage text of `deno task import`.
 *
 * @example
 * ```ts
 * import { USAGE } from "./import_args.ts";
 * console.log(USAGE);
 * ```
 */
export const USAGE: string =
  `usage: deno task import jsonschemabench --from DIR|hub [--split S] [--subsets A,B] [--limit N]
       deno task import json-schema-test-suite --from DIR|github [--ref REF]
       deno task import quality [--seed N] [--per-family N]
       deno task import gsm8k [--split train|test] [--limit N]

jsonschemabench: one suite per subset, named jsonschemabench/<Subset>
(jsonschemabench/<Subset>/<split> when --split takes one split of the hub's)
  --from DIR      a directory of <Subset>.jsonl files in the hub record format
                  ({"unique_id", "json_schema"} per line)
  --from hub      fetch epfl-dlab/JSONSchemaBench from the Hugging Face hub
                  (network: the hub API for the revision, the dataset
                  viewer's API for the rows, 4 requests at a time)
  --split S       with --from hub: only train, val or test (the paper
                  reports on test; default: every split)
  --subsets A,B   only these subsets (default: every .jsonl file in DIR, or
                  the ten subsets of the hub's dataset, one config each)
  --limit N       only the first N cases of each subset

json-schema-test-suite: the keyword coverage suite json-schema-test-suite/keywords,
one case per test group with a valid instance (draft4 to draft2020-12)
  --from DIR      a copy of json-schema-org/JSON-Schema-Test-Suite
                  (tests/<draft>/*.json)
  --from github   fetch it from GitHub (network: the REST API for the commit
                  and file list, then each test file's raw contents)
  --ref REF       with --from github: a branch, tag or commit (default main)

quality: the project's own quality tasks (last-letter concatenation,
shuffled objects, arithmetic word problems) with known answers, generated
from a seed; suite quality/seed-<N>/n-<per family>
  --seed N        the generator's seed (default 1)
  --per-family N  tasks of each family (default 20)

gsm8k: openai/gsm8k from the Hugging Face hub as a quality suite
  --split S       train or test (default test)
  --limit N       only the first N problems (network: the dataset viewer's API)

A directory named "hub" or "github" is given as ./hub or ./github.`;

/**
 * Prints `message` and the usage on stderr and exits with code 2.
 *
 * @example
 * ```ts
 * import { fail } from "./import_args.ts";
 * if (Deno.args.length === 0) fail("which dataset?");
 * ```
 */
export function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  Deno.exit(2);
}

/**
 * What the command line asks for.
 *
 * @example
 * ```ts
 * import type { Cli } from "./import_args.ts";
 * const cli: Cli = { dataset: "jsonschemabench", from: "hub", split: "test" };
 * ```
 */
export interface Cli {
  dataset: "jsonschemabench" | "json-schema-test-suite" | "quality" | "gsm8k";
  seed?: number;
  perFamily?: number;
  from: string;
  split?: HubSplit;
  subsets?: string[];
  limit?: number;
  ref?: string;
}

/**
 * Parses `Deno.args`; `null` for `--help`. A bad argument prints the usage
 * and exits with code 2.
 *
 * @example
 * ```ts
 * import { parseCli, USAGE } from "./import_args.ts";
 * const cli = parseCli();
 * if (!cli) console.log(USAGE);
 * ```
 */
export function parseCli(): Cli | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        from: { type: "string" },
        split: { type: "string" },
        subsets: { type: "string" },
        limit: { type: "string" },
        ref: { type: "string" },
        seed: { type: "string" },
        "per-family": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  const dataset = positionals[0];
  if (dataset === "quality" || dataset === "gsm8k") {
    const int = (raw: string | undefined, name: string, fallback?: number) => {
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < (name === "seed" ? 0 : 1)) {
        fail(`--${name} must be a whole number`);
      }
      return n;
    };
    if (dataset === "quality") {
      return {
        dataset,
        from: "generator",
        seed: int(values.seed, "seed", 1),
        perFamily: int(values["per-family"], "per-family", 20),
      };
    }
    if (
      values.split !== undefined && values.split !== "train" &&
      values.split !== "test"
    ) fail("--split is train or test");
    return {
      dataset,
      from: "hub",
      split: values.split as HubSplit | undefined,
      limit: int(values.limit, "limit"),
    };
  }
  if (dataset !== "jsonschemabench" && dataset !== "json-schema-test-suite") {
    fail(`unknown dataset "${dataset ?? ""}"`);
  }
  if (positionals.length > 1) {
    fail(`unexpected argument "${positionals[1]}"`);
  }
  if (!values.from) {
    fail(
      dataset === "jsonschemabench"
        ? "--from DIR|hub is required"
        : "--from DIR|github is required",
    );
  }
  if (dataset === "json-schema-test-suite") {
    for (const option of ["split", "subsets", "limit"] as const) {
      if (values[option] !== undefined) {
        fail(`--${option} is for jsonschemabench only`);
      }
    }
    if (values.ref !== undefined && values.from !== "github") {
      fail("--ref goes with --from github");
    }
    return { dataset, from: values.from, ref: values.ref };
  }
  if (values.ref !== undefined) fail("--ref is for json-schema-test-suite");
  if (values.split !== undefined) {
    if (values.from !== "hub") fail("--split goes with --from hub");
    if (!(HUB_SPLITS as readonly string[]).includes(values.split)) {
      fail(`--split must be one of ${HUB_SPLITS.join(", ")}`);
    }
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    fail("--limit must be a positive whole number");
  }
  const subsets = values.subsets?.split(",").map((s) => s.trim()).filter(
    Boolean,
  );
  return {
    dataset,
    from: values.from,
    split: values.split as HubSplit | undefined,
    subsets,
    limit,
  };
}
