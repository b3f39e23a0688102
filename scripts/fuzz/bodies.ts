/**
 * The bodies `deno task fuzz` sends: valid ones (from
 * {@link ./from_schema.ts}), mutations of them with the values of
 * {@link ./hostile_values.ts}, random JSON values, and text or bytes that
 * are not JSON; and the ids sent for a path's `:id`.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { bodyCase } from "./bodies.ts";
 * fc.sample(bodyCase(fc.constant({ name: "x" })), 3); // [{ body, contentType, kind }, …]
 * ```
 * @module
 */
import fc from "fast-check";
import {
  EVIL,
  LONE_SURROGATES,
  rawJson,
  WEIRD_KEYS,
} from "./hostile_values.ts";

/** One request body as sent. */
export interface BodyCase {
  /** Which generator made it. */
  kind: "valid" | "mutated" | "json" | "anything" | "not-json" | "bytes";
  body: string | Uint8Array | undefined;
  /** Empty: no content-type header. */
  contentType: string;
}
function setOwn(target: object, key: string, value: unknown): void {
  // An array's `length` takes only a valid length: such a mutation is left out.
  if (Array.isArray(target) && key === "length") return;
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
interface Mutation {
  op: "drop" | "set" | "add";
  node: number;
  key: number;
  name: string;
  value: unknown;
}

const MUTATION: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("drop", "set", "add"),
  node: fc.nat(),
  key: fc.nat(),
  name: fc.oneof(fc.constantFrom(...WEIRD_KEYS), fc.string({ maxLength: 10 })),
  value: EVIL,
});

/** Applies mutations to a copy of `body`, at any depth. */
function mutate(body: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(body);
  for (const m of mutations) {
    // Each node once: a value set by an earlier mutation may be one the
    // generator shares (a constant), so the tree can hold it twice.
    const nodes: object[] = [];
    const seen = new Set<object>();
    const stack: unknown[] = [copy];
    while (stack.length) {
      const node = stack.pop();
      if (node && typeof node === "object" && !seen.has(node)) {
        seen.add(node);
        nodes.push(node);
        stack.push(...Object.values(node));
      }
    }
    if (nodes.length === 0) return m.value;
    const node = nodes[m.node % nodes.length] as Record<string, unknown>;
    const keys = Object.keys(node);
    const key = m.op === "add" || keys.length === 0
      ? m.name
      : keys[m.key % keys.length];
    if (m.op === "drop") delete node[key];
    // A copy: the same object set twice would make a cycle, which no JSON
    // body can hold.
    else setOwn(node, key, structuredClone(m.value));
  }
  return copy;
}

/**
 * One body to send: valid (from `valid`), mutated, random JSON, anything
 * serialised, text that is not JSON, or raw bytes; with the JSON content
 * type mostly, sometimes another or none. `valid` null: the route reads
 * no body, and random ones are sent anyway.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { bodyCase } from "./bodies.ts";
 * fc.sample(bodyCase(fc.constant({ name: "x" })), 1)[0].body;
 * ```
 */
export function bodyCase(
  valid: fc.Arbitrary<unknown> | null,
  encode: (body: unknown) => string = JSON.stringify,
): fc.Arbitrary<BodyCase> {
  const base = valid ?? fc.jsonValue({ maxDepth: 2 });
  const text = (kind: BodyCase["kind"]) => (value: unknown) => ({
    kind,
    body: rawJson(encode(value) ?? "") as string | undefined,
  });
  const notJson = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    LONE_SURROGATES,
    base.map((v) => encode(v)).chain((t) =>
      fc.oneof(
        fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n)),
        fc.constant(`${t}}`),
        fc.constant(`\uFEFF${t}`),
        fc.constant(t.replaceAll('"', "'")),
      )
    ),
    fc.nat({ max: 20_000 }).map((n) => "[".repeat(n)),
    fc.nat({ max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
    fc.constantFrom("", "null", "NaN", "undefined", "{a:1}", "[1,]", "\u0000"),
  ).map((body) => ({ kind: "not-json" as const, body }));
  const bodies = fc.oneof(
    { arbitrary: base.map(text("valid")), weight: 3 },
    {
      arbitrary: fc.tuple(
        base,
        fc.array(MUTATION, { minLength: 1, maxLength: 3 }),
      ).map(([v, m]) => text("mutated")(mutate(v, m))),
      weight: 5,
    },
    { arbitrary: fc.jsonValue().map(text("json")), weight: 2 },
    {
      arbitrary: fc.anything({ withNullPrototype: true }).map((v) => ({
        kind: "anything" as const,
        body: JSON.stringify(v) as string | undefined,
      })),
      weight: 1,
    },
    { arbitrary: notJson, weight: 2 },
    {
      arbitrary: fc.uint8Array({ maxLength: 200 }).map((body) => ({
        kind: "bytes" as const,
        body: body as string | Uint8Array | undefined,
      })),
      weight: 1,
    },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant("application/json"), weight: 8 },
    fc.constantFrom("", "text/plain", "application/x-www-form-urlencoded"),
  );
  return fc.record({ sent: bodies, contentType }).map((
    { sent, contentType },
  ) => ({
    ...sent,
    contentType,
  }));
}

/**
 * Values for a path's `:id`: mostly the real one, else another uuid, a
 * string of uuid characters, or any text.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { idArb } from "./bodies.ts";
 * fc.sample(idArb("8c0e7a52-3b1f-4d6e-9a0c-2f4b6d8e0a1c"), 5);
 * ```
 */
export function idArb(real: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(real), weight: 12 },
    fc.uuid(),
    fc.stringMatching(/^[0-9a-f-]{36}$/),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
  );
}
