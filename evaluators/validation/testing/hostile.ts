/**
 * The hostile-schema corpus (`schemas/hostile/*.json`) run through a
 * `ValidationPool` the way a run judges a case: loading the cases, running
 * one, and the Markdown table of the answers (case, what it is, the answer,
 * milliseconds). `scripts/hostile_table.ts` prints that table;
 * `../hostile_test.ts` asserts each case's expectation.
 *
 * Each file is one case: `description`, `schema`, `output` (the raw text an
 * engine answered) and `expect` (`outcome`, and optionally `error_kind`,
 * `failing_keywords`, a `reason` the error message contains, `max_ms`).
 * Big values are written as generators, expanded at load time:
 * `{"$repeat": "a", "times": N}` (a string), `{"$concat": [parts]}`,
 * `{"$json": value}` (its JSON text), `{"$array": N, "of": template}` and
 * `{"$object": N, "key": "p{i}", "value": template}` (`"$i"` becomes the
 * index, `{i}` in a string too), `{"$nest": N, "around": template, "inside":
 * value}` (`"$inner"` marks the hole) and `{"$listener": "url"}`: the URL
 * of a TCP listener opened for the run, which must receive no connection.
 *
 * @example
 * ```ts
 * import { hostileTable, loadHostileCases, runHostileCase } from "./hostile.ts";
 * import type { ValidationPool } from "../pool.ts";
 * declare const pool: ValidationPool;
 * const cases = await loadHostileCases({ listenerUrl: "http://127.0.0.1:9/" });
 * const rows = [];
 * for (const kase of cases) rows.push(await runHostileCase(kase, pool));
 * console.log(hostileTable(rows));
 * ```
 * @module
 */
import type { Outcome } from "../../outcome.ts";
import { DEFAULT_TEMPLATE } from "../../prompt.ts";
import { runCase } from "../../run_case.ts";
import type { Target } from "../../targets/target.ts";
import { ValidationPool } from "../pool.ts";

/** What a case must come to. */
export interface HostileExpectation {
  outcome: Outcome;
  /** The recorded `error_kind` (null or absent: none). */
  error_kind?: string | null;
  failing_keywords?: string[];
  /** Text the recorded error message contains. */
  reason?: string;
  /** A tighter bound than the pool's, in ms. */
  max_ms?: number;
}

/** One case of the corpus, expanded. */
export interface HostileCase {
  name: string;
  description: string;
  schema: unknown;
  output: string;
  expect: HostileExpectation;
}

/** Values the generators need. */
export interface HostileContext {
  /** The URL of the listener that must receive no connection. */
  listenerUrl: string;
}

/** How one case ended. */
export interface HostileRow {
  name: string;
  description: string;
  outcome: Outcome;
  errorKind: string | null;
  errorMessage: string | null;
  failingKeywords: string[] | null;
  ms: number;
}

/** The corpus, beside the other schemas. */
export const HOSTILE_DIR = new URL(
  "../../../schemas/hostile/",
  import.meta.url,
);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function indexed(template: unknown, i: number): unknown {
  if (template === "$i") return i;
  if (typeof template === "string") return template.replaceAll("{i}", `${i}`);
  if (Array.isArray(template)) return template.map((t) => indexed(t, i));
  if (isObject(template)) {
    return Object.fromEntries(
      Object.entries(template).map(([k, v]) => [k, indexed(v, i)]),
    );
  }
  return template;
}

function filled(template: unknown, inner: unknown): unknown {
  if (template === "$inner") return inner;
  if (Array.isArray(template)) return template.map((t) => filled(t, inner));
  if (isObject(template)) {
    return Object.fromEntries(
      Object.entries(template).map(([k, v]) => [k, filled(v, inner)]),
    );
  }
  return template;
}

/**
 * Expands the generators of a template (see the module notes). Deep
 * results are built iteratively.
 *
 * @example
 * ```ts
 * import type { HostileContext } from "./hostile.ts";
 * declare const context: HostileContext;
 * expandTemplate({ $repeat: "ab", times: 2 }, context); // "abab"
 * expandTemplate({ $array: 2, of: { id: "$i" } }, context); // [{ id: 0 }, { id: 1 }]
 * ```
 */
export function expandTemplate(
  template: unknown,
  context: HostileContext,
): unknown {
  const expand = (t: unknown) => expandTemplate(t, context);
  if (Array.isArray(template)) return template.map(expand);
  if (!isObject(template)) return template;
  if ("$repeat" in template) {
    return String(template.$repeat).repeat(Number(template.times));
  }
  if ("$concat" in template) {
    return (template.$concat as unknown[]).map(expand).join("");
  }
  if ("$json" in template) return JSON.stringify(expand(template.$json));
  if ("$listener" in template) return context.listenerUrl;
  if ("$array" in template) {
    const of = expand(template.of);
    return Array.from(
      { length: Number(template.$array) },
      (_, i) => indexed(of, i),
    );
  }
  if ("$object" in template) {
    const value = expand(template.value);
    const entries = Array.from(
      { length: Number(template.$object) },
      (_, i) =>
        [indexed(template.key, i) as string, indexed(value, i)] as const,
    );
    return Object.fromEntries(entries);
  }
  if ("$nest" in template) {
    const around = expand(template.around);
    let value = expand(template.inside);
    for (let i = 0; i < Number(template.$nest); i++) {
      value = filled(around, value);
    }
    return value;
  }
  return Object.fromEntries(
    Object.entries(template).map(([k, v]) => [k, expand(v)]),
  );
}

/**
 * Reads and expands every case of the corpus, by file name.
 *
 * @example
 * ```ts
 * (await loadHostileCases({ listenerUrl: "http://127.0.0.1:9/" })).length; // 27
 * ```
 */
export async function loadHostileCases(
  context: HostileContext,
  dir: URL = HOSTILE_DIR,
): Promise<HostileCase[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  const cases: HostileCase[] = [];
  for (const file of names.sort()) {
    const raw = JSON.parse(await Deno.readTextFile(new URL(file, dir)));
    const output = expandTemplate(raw.output, context);
    if (typeof output !== "string") {
      throw new Error(`${file}: "output" must be text (use $json)`);
    }
    cases.push({
      name: file.replace(/\.json$/, ""),
      description: String(raw.description),
      schema: expandTemplate(raw.schema, context),
      output,
      expect: raw.expect,
    });
  }
  return cases;
}

/** An engine that answers the case's output, as a recorded answer. */
function replay(output: string): Target {
  return {
    config: {
      name: "hostile replay",
      kind: "replay",
      baseUrl: null,
      model: null,
      mode: "json_schema",
      settings: {},
      params: {},
      apiKeyEnv: null,
    },
    describe: () => Promise.resolve({ engine: "replay" }),
    generate: () =>
      Promise.resolve({ text: output, finishReason: "stop", latencyMs: 0 }),
  };
}

/**
 * Judges one case through `runCase` with the pool (declared mode), timed
 * from the compile to the recorded result.
 *
 * @example
 * ```ts
 * import type { HostileCase } from "./hostile.ts";
 * import type { ValidationPool } from "../pool.ts";
 * declare const kase: HostileCase;
 * declare const pool: ValidationPool;
 * const row = await runHostileCase(kase, pool);
 * row.outcome; row.errorKind; row.ms;
 * ```
 */
export async function runHostileCase(
  kase: HostileCase,
  pool: ValidationPool,
): Promise<HostileRow> {
  const started = performance.now();
  const result = await runCase({
    kase: { key: kase.name, schema: kase.schema },
    target: replay(kase.output),
    mode: "json_schema",
    params: {},
    template: DEFAULT_TEMPLATE,
    validator: pool.forMode("declared"),
    signal: new AbortController().signal,
    retries: 0,
  });
  return {
    name: kase.name,
    description: kase.description,
    outcome: result.outcome,
    errorKind: result.errorKind,
    errorMessage: result.errorMessage,
    failingKeywords: result.failingKeywords,
    ms: performance.now() - started,
  };
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/**
 * The rows as a Markdown table: case, what it is, the answer, ms.
 *
 * @example
 * ```ts
 * import type { HostileRow } from "./hostile.ts";
 * declare const rows: HostileRow[];
 * hostileTable(rows).split("\n")[0]; // "| case | schema | answer | ms |"
 * ```
 */
export function hostileTable(rows: HostileRow[]): string {
  const lines = ["| case | schema | answer | ms |", "|---|---|---|---:|"];
  for (const row of rows) {
    let answer = row.outcome as string;
    if (row.failingKeywords?.length) {
      answer += ` [${row.failingKeywords.join(", ")}]`;
    }
    if (row.errorMessage) {
      // "invalid_schema: invalid_schema: …" says the outcome twice.
      const prefix = `${row.outcome}: `;
      const text = row.errorMessage.startsWith(prefix)
        ? row.errorMessage.slice(prefix.length)
        : row.errorMessage;
      answer += ` — ${text.length > 110 ? `${text.slice(0, 110)}…` : text}`;
    }
    lines.push(
      `| ${cell(row.name)} | ${cell(row.description)} | ${cell(answer)} | ${
        row.ms.toFixed(row.ms < 10 ? 1 : 0)
      } |`,
    );
  }
  return lines.join("\n");
}

/**
 * Runs `fn` with a TCP listener on 127.0.0.1 that counts connections.
 *
 * @example
 * ```ts
 * const seen = await withListener(async (url, connections) => {
 *   await fetch(url).catch(() => undefined);
 *   return connections();
 * });
 * ```
 */
export async function withListener<T>(
  fn: (url: string, connections: () => number) => Promise<T>,
): Promise<T> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const accepting = (async () => {
    for await (const conn of listener) {
      connections++;
      conn.close();
    }
  })().catch(() => {});
  try {
    const url = `http://127.0.0.1:${listener.addr.port}/hostile.json`;
    return await fn(url, () => connections);
  } finally {
    listener.close();
    await accepting;
  }
}
