/**
 * `deno task validate [--validation declared|jsb] [--json] SCHEMA_FILE
 * INSTANCE_FILE…`: checks each instance file (one JSON value each) against
 * the schema with the benchmark's own validator, exactly as
 * `POST /api/validate` does (same pool, same time bounds, numbers judged as
 * the files wrote them). Prints the schema's draft and a line per file
 * (with its errors), or with `--json` the API's answer. Exit 0 when every
 * instance is valid, 1 when one is not, 2 when the schema cannot be checked
 * or a file cannot be read.
 *
 * @example
 * ```ts
 * import { runValidate } from "./validate.ts";
 * const code = await runValidate(["schema.json", "a.json"], console.log);
 * ```
 * @module
 */
import { validateBatch } from "../evaluators/validation/batch.ts";
import { numberLiterals } from "../evaluators/validation/number_literals.ts";
import { ValidationPool } from "../evaluators/validation/pool.ts";
import type { ValidationMode } from "../evaluators/validation/validate.ts";

const USAGE =
  "usage: deno task validate [--validation declared|jsb] [--json] SCHEMA_FILE INSTANCE_FILE…";

/**
 * Runs the command with `args`, printing with `print`; returns the exit
 * code.
 *
 * @example
 * ```ts
 * await runValidate(["--validation", "jsb", "s.json", "i.json"], console.log); // 0, 1 or 2
 * ```
 */
export async function runValidate(
  args: readonly string[],
  print: (line: string) => void,
): Promise<number> {
  let mode: ValidationMode = "declared";
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") {
      print(USAGE);
      return 0;
    }
    if (arg === "--json") json = true;
    else if (arg === "--validation" || arg.startsWith("--validation=")) {
      const value = arg.includes("=") ? arg.split("=")[1] : args[++i];
      if (value !== "declared" && value !== "jsb") {
        print(`--validation is declared or jsb, not ${value}\n${USAGE}`);
        return 2;
      }
      mode = value;
    } else if (arg.startsWith("--")) {
      print(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (files.length < 2) {
    print(USAGE);
    return 2;
  }
  const texts: string[] = [];
  const values: unknown[] = [];
  for (const file of files) {
    try {
      const text = await Deno.readTextFile(file);
      texts.push(text);
      values.push(JSON.parse(text));
    } catch (error) {
      print(`${file}: cannot be read as JSON: ${(error as Error).message}`);
      return 2;
    }
  }
  const pool = new ValidationPool({ size: 1 });
  try {
    const answer = await validateBatch(
      pool.forMode(mode),
      values[0],
      values.slice(1).map((value, i) => ({
        value,
        literals: numberLiterals(texts[i + 1]),
      })),
    );
    if (json) print(JSON.stringify(answer, null, 2));
    if (!answer.schema.ok) {
      if (!json) {
        print(
          `${
            files[0]
          }: cannot be checked (${answer.schema.kind}): ${answer.schema.message}`,
        );
      }
      return 2;
    }
    if (!json) {
      const how = answer.schema.inferred
        ? `inferred: ${answer.schema.note}`
        : "declared";
      print(`${files[0]}: ${answer.schema.draft} (${how}), ${mode} validation`);
    }
    let allValid = true;
    answer.results.forEach((result, i) => {
      allValid &&= result.valid;
      if (json) return;
      const problem = result.problem
        ? ` (${result.problem.kind}: ${result.problem.message})`
        : "";
      print(`${files[i + 1]}: ${result.valid ? "valid" : "invalid"}${problem}`);
      for (const e of result.errors) {
        print(`  ${e.instance_path || "/"} ${e.keyword}: ${e.message}`);
      }
    });
    return allValid ? 0 : 1;
  } finally {
    pool.close();
  }
}

if (import.meta.main) {
  Deno.exit(await runValidate(Deno.args, console.log));
}
