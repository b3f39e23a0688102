/**
 * The built-in smoke suite's cases as the tests of every layer read them
 * (`schemas/suites/smoke/NN_*.json`, in file order): key, schema, prompt,
 * tags, and the sample instances each file carries. Test support of the
 * lowest layer; the server stores the same files through
 * `server/suites/builtin.ts`.
 *
 * @example
 * ```ts
 * import { smokeCases } from "./smoke.ts";
 * smokeCases().length; // 40
 * ```
 * @module
 */

/** One smoke case file. */
export interface SmokeCase {
  /** The file name, `NN_name.json`. */
  file: string;
  /** The case key: the file name without `.json`. */
  key: string;
  schema: unknown;
  prompt?: string;
  tags: string[];
  /** Instances the schema accepts. */
  valid: unknown[];
  /** Instances the schema refuses. */
  invalid: unknown[];
}

const SMOKE_DIR = new URL("../../schemas/suites/smoke/", import.meta.url);

/**
 * Every smoke case, in file order.
 *
 * @example
 * ```ts
 * smokeCases()[0].key; // "01_user_profile_types"
 * ```
 */
export function smokeCases(): SmokeCase[] {
  const files = [...Deno.readDirSync(SMOKE_DIR)]
    .map((entry) => entry.name)
    .filter((name) => /^\d\d_.*\.json$/.test(name))
    .sort();
  return files.map((file) => {
    const parsed = JSON.parse(
      Deno.readTextFileSync(new URL(file, SMOKE_DIR)),
    ) as Partial<SmokeCase>;
    return {
      file,
      key: file.slice(0, -".json".length),
      schema: parsed.schema,
      ...(parsed.prompt ? { prompt: parsed.prompt } : {}),
      tags: parsed.tags ?? [],
      valid: parsed.valid ?? [],
      invalid: parsed.invalid ?? [],
    };
  });
}
