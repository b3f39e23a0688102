/**
 * What `deno task fidelity` checks: every JSON Schema Test Suite case
 * (required and optional, formats included) under its draft, and
 * instances derived from the JSONSchemaBench schemas (their `examples`,
 * `default`, `const` and `enum` values at the root and along `properties`,
 * placed at their path, and simple mutations of each).
 *
 * @example
 * ```ts
 * import { derivedInstances } from "./corpus.ts";
 * derivedInstances({ type: "integer", examples: [3] }, 10); // [3, 4, -3, 3.5, "3"]
 * ```
 * @module
 */
import type { Draft } from "../../evaluators/validation/draft.ts";

/** One schema and the instances to judge against it. */
export interface Item {
  /** Where it comes from: `suite` or `jsb-derived`. */
  source: "suite" | "derived";
  /** A readable id (`draft7/optional/format/email.json: group`, `Github_easy/o1`). */
  id: string;
  schema: unknown;
  /** The Test Suite's draft (forced on both sides); null: the schema decides. */
  draft: Draft | null;
  instances: unknown[];
  /** The Test Suite's own labels, where it has them. */
  labels?: { description: string; valid: boolean }[];
  /** For the Test Suite: the file and group, to match the allow-list. */
  file?: string;
  group?: string;
}

const SUITE_DRAFTS: Draft[] = [
  "draft4",
  "draft6",
  "draft7",
  "draft2019-09",
  "draft2020-12",
];

async function jsonFiles(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      found.push(...await jsonFiles(`${dir}/${entry.name}`, `${relative}/`));
    } else if (entry.name.endsWith(".json")) found.push(relative);
  }
  return found.sort();
}

/**
 * Every group of the Test Suite's drafts 4 to 2020-12, optional tests
 * included.
 *
 * @example
 * ```ts
 * declare const dir: string;
 * (await suiteItems(dir)).length > 1000; // true
 * ```
 */
export async function suiteItems(suiteDir: string): Promise<Item[]> {
  const items: Item[] = [];
  for (const draft of SUITE_DRAFTS) {
    const folder = `${suiteDir}/tests/${draft}`;
    for (const file of await jsonFiles(folder)) {
      const groups = JSON.parse(
        await Deno.readTextFile(`${folder}/${file}`),
      ) as {
        description: string;
        schema: unknown;
        tests: { description: string; data: unknown; valid: boolean }[];
      }[];
      for (const group of groups) {
        items.push({
          source: "suite",
          id: `${draft}/${file}: ${group.description}`,
          schema: group.schema,
          draft,
          instances: group.tests.map((t) => t.data),
          labels: group.tests.map((t) => ({
            description: t.description,
            valid: t.valid,
          })),
          file,
          group: group.description,
        });
      }
    }
  }
  return items;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Simple mutations of a value: near misses of each kind. */
function mutations(value: Json): Json[] {
  if (typeof value === "number") {
    return [value + 1, -value, value + 0.5, String(value)];
  }
  if (typeof value === "string") {
    const out: Json[] = ["", `${value}!`, 12345];
    if (value.toUpperCase() !== value) out.push(value.toUpperCase());
    return out;
  }
  if (typeof value === "boolean") return [!value, null];
  if (value === null) return [0, "null"];
  if (Array.isArray(value)) {
    return [[], value.slice(0, -1), [...value, value[0] ?? null], {}];
  }
  const keys = Object.keys(value);
  const out: Json[] = [{}, [], { ...value, zz_extra: 1 }];
  if (keys.length) {
    const { [keys[0]]: _dropped, ...rest } = value;
    out.push(rest);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The example-like values of one subschema. */
function samples(node: Record<string, unknown>): Json[] {
  const out: Json[] = [];
  if (Array.isArray(node.examples)) out.push(...node.examples as Json[]);
  if ("default" in node) out.push(node.default as Json);
  if ("const" in node) out.push(node.const as Json);
  if (Array.isArray(node.enum)) out.push(...(node.enum as Json[]).slice(0, 5));
  return out;
}

/**
 * Instances derived from `schema` (see the module doc), at most `max`,
 * distinct by their JSON text.
 *
 * @example
 * ```ts
 * derivedInstances({ properties: { a: { default: true } } }, 4); // [{ a: true }, { a: false }, { a: null }]
 * ```
 */
export function derivedInstances(schema: unknown, max: number): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  const add = (value: unknown) => {
    if (out.length >= max || value === undefined) return;
    const text = JSON.stringify(value);
    if (text === undefined || seen.has(text) || text.length > 100_000) return;
    seen.add(text);
    out.push(value);
  };
  const stack: [Record<string, unknown>, string[]][] = [];
  if (isObject(schema)) stack.push([schema, []]);
  const placed: [Json, string[]][] = [];
  while (stack.length) {
    const [node, path] = stack.shift()!;
    for (const value of samples(node)) placed.push([value, path]);
    if (path.length < 3 && isObject(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) {
        if (isObject(sub)) stack.push([sub, [...path, name]]);
      }
    }
  }
  const wrap = (value: Json, path: string[]): unknown =>
    path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
  for (const [value, path] of placed) add(wrap(value, path));
  for (const [value, path] of placed) {
    for (const mutated of mutations(value)) add(wrap(mutated, path));
  }
  return out;
}

/**
 * One item per JSONSchemaBench schema in `dir` (the JSONL files), with up
 * to `perSchema` derived instances; schemas that give none are left out.
 *
 * @example
 * ```ts
 * declare const dir: string;
 * const items = await derivedItems(dir, 12);
 * ```
 */
export async function derivedItems(
  dir: string,
  perSchema: number,
): Promise<Item[]> {
  const items: Item[] = [];
  const files = [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) => n.endsWith(".jsonl")).sort();
  for (const file of files) {
    const text = await Deno.readTextFile(`${dir}/${file}`);
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as {
        unique_id: string;
        json_schema: string;
      };
      let schema: unknown;
      try {
        schema = JSON.parse(record.json_schema);
      } catch {
        continue;
      }
      const instances = derivedInstances(schema, perSchema);
      if (instances.length === 0) continue;
      items.push({
        source: "derived",
        id: `${file.replace(/\.jsonl$/, "")}/${record.unique_id}`,
        schema,
        draft: null,
        instances,
      });
    }
  }
  return items;
}
