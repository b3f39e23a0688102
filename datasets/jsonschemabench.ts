/**
 * JSONSchemaBench in its hub record format: JSONL, one
 * `{ "unique_id": "...", "json_schema": "<the schema as a JSON string>" }`
 * per line. Parses such text into cases (every bad line reported by its
 * number, nothing half-read) and reads a local directory of per-subset
 * files.
 *
 * @example
 * ```ts
 * import { parseHubJsonl } from "./jsonschemabench.ts";
 * const { cases, errors } = parseHubJsonl('{"unique_id":"a","json_schema":"{}"}', "demo");
 * cases[0]; // { key: "a", schema: {}, subset: "demo" }
 * ```
 * @module
 */
import type { CaseInput } from "../evaluators/case.ts";

/** One bad line: its 1-based number and what is wrong. */
export interface LineError {
  line: number;
  message: string;
}

/** The subsets JSONSchemaBench publishes. */
export const JSONSCHEMABENCH_SUBSETS = [
  "Glaiveai2K",
  "Github_trivial",
  "Github_easy",
  "Github_medium",
  "Github_hard",
  "Github_ultra",
  "JsonSchemaStore",
  "Kubernetes",
  "Snowplow",
  "WashingtonPost",
] as const;

/**
 * Parses JSONL in the hub record format. Blank lines are skipped.
 *
 * @example
 * ```ts
 * parseHubJsonl("not json\n").errors; // [{ line: 1, message: "not JSON: ..." }]
 * ```
 */
export function parseHubJsonl(
  text: string,
  subset?: string,
): { cases: CaseInput[]; errors: LineError[] } {
  const cases: CaseInput[] = [];
  const errors: LineError[] = [];
  text.split("\n").forEach((raw, index) =>
    parseHubLine(raw, index + 1, subset, cases, errors)
  );
  return { cases, errors };
}

/**
 * Parses JSONL in the hub record format as it arrives, one line at a time,
 * so the body is never held whole (only the cases it holds). The same
 * answer as {@link parseHubJsonl} on the whole text.
 *
 * @example
 * ```ts
 * declare const request: Request;
 * const { cases, errors } = await parseHubJsonlStream(request.body!, "Glaiveai2K");
 * ```
 */
export async function parseHubJsonlStream(
  body: ReadableStream<Uint8Array> | null,
  subset?: string,
): Promise<{ cases: CaseInput[]; errors: LineError[] }> {
  const cases: CaseInput[] = [];
  const errors: LineError[] = [];
  if (!body) return { cases, errors };
  let pending = "";
  let line = 0;
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    // Only the new text can hold a newline: a long line is not rescanned.
    let from = pending.length;
    pending += chunk;
    let at = 0;
    let newline: number;
    while ((newline = pending.indexOf("\n", from)) >= 0) {
      parseHubLine(pending.slice(at, newline), ++line, subset, cases, errors);
      at = from = newline + 1;
    }
    pending = pending.slice(at);
  }
  parseHubLine(pending, ++line, subset, cases, errors);
  return { cases, errors };
}

/** One line of hub JSONL into `cases`, or its problem into `errors`. */
function parseHubLine(
  raw: string,
  line: number,
  subset: string | undefined,
  cases: CaseInput[],
  errors: LineError[],
): void {
  const trimmed = raw.trim();
  if (trimmed === "") return;
  let record: unknown;
  try {
    record = JSON.parse(trimmed);
  } catch (error) {
    errors.push({ line, message: `not JSON: ${(error as Error).message}` });
    return;
  }
  if (
    typeof record !== "object" || record === null || Array.isArray(record)
  ) {
    errors.push({
      line,
      message: "expected an object with unique_id and json_schema",
    });
    return;
  }
  const { unique_id: id, json_schema: schemaText } = record as Record<
    string,
    unknown
  >;
  if (typeof id !== "string" && typeof id !== "number") {
    errors.push({ line, message: "unique_id is missing or not a string" });
    return;
  }
  if (typeof schemaText !== "string") {
    errors.push({ line, message: "json_schema is missing or not a string" });
    return;
  }
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch (error) {
    errors.push({
      line,
      message: `json_schema is not JSON: ${(error as Error).message}`,
    });
    return;
  }
  const isSchema = typeof schema === "boolean" ||
    (typeof schema === "object" && schema !== null && !Array.isArray(schema));
  if (!isSchema) {
    errors.push({
      line,
      message: "json_schema is neither an object nor a boolean",
    });
    return;
  }
  cases.push({ key: String(id), schema, ...(subset ? { subset } : {}) });
}

/** One subset file read from a directory. */
export interface SubsetFile {
  subset: string;
  path: string;
  cases: CaseInput[];
}

/**
 * Reads `<dir>/<Subset>.jsonl` for each wanted subset (all `.jsonl` files
 * when `subsets` is empty). Throws with every bad line listed.
 *
 * @example
 * ```ts
 * const files = await readSubsetDir("./jsonschemabench", { subsets: ["Glaiveai2K"], limit: 10 });
 * ```
 */
export async function readSubsetDir(
  dir: string,
  options: { subsets?: string[]; limit?: number } = {},
): Promise<SubsetFile[]> {
  const available: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".jsonl")) {
      available.push(entry.name.slice(0, -".jsonl".length));
    }
  }
  available.sort();
  const wanted = options.subsets?.length ? options.subsets : available;
  const missing = wanted.filter((s) => !available.includes(s));
  if (missing.length) {
    throw new Error(
      `no ${missing.map((s) => `${s}.jsonl`).join(", ")} in ${dir} (found: ${
        available.join(", ") || "none"
      })`,
    );
  }
  const files: SubsetFile[] = [];
  for (const subset of wanted) {
    const path = `${dir}/${subset}.jsonl`;
    const { cases, errors } = parseHubJsonl(
      await Deno.readTextFile(path),
      subset,
    );
    if (errors.length) {
      const shown = errors.slice(0, 10).map((e) =>
        `  line ${e.line}: ${e.message}`
      ).join("\n");
      throw new Error(`${path}: ${errors.length} bad line(s)\n${shown}`);
    }
    files.push({
      subset,
      path,
      cases: options.limit ? cases.slice(0, options.limit) : cases,
    });
  }
  return files;
}
