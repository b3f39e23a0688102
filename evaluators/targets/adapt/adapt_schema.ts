/**
 * Rewrites a JSON Schema into the subset a provider's strict structured
 * output accepts (`settings.adapt: "strict"`). The answer is always
 * validated against the ORIGINAL schema; the rewritten one is only what is
 * sent, and is stored as such.
 *
 * - Pure: the input is never mutated, and the result shares nothing with it.
 * - No recursion: every walk keeps its own stack, so a deep or huge schema
 *   cannot overflow the call stack.
 * - What each provider keeps is data ({@link PROVIDER_SUBSETS}); a keyword
 *   outside the list is dropped with a note.
 * - Draft-specific forms become 2020-12 ones first: array-form `items`
 *   (with `additionalItems`) becomes `prefixItems` (with `items`), draft-04
 *   boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers,
 *   `definitions` and nested `$defs` move to the root `$defs`.
 * - `allOf` is merged into the schema that holds it (a `$ref` branch is
 *   inlined; a keyword both sides give is combined: types intersected,
 *   bounds tightened, `required` united, the same property in both becomes
 *   an `allOf` of the two, merged in turn; anything else keeps the first
 *   value, with a note). `oneOf` becomes `anyOf`.
 * - Every `$ref` is rewritten to a JSON Pointer into the adapted schema; a
 *   target whose place was dropped or merged away is copied into `$defs`.
 * - Notes are one per kind of change, naming up to five places (JSON
 *   Pointers into the original schema) and how many more.
 *
 * @example
 * ```ts
 * import { adaptSchema } from "./adapt_schema.ts";
 * const { schema, changed, notes } = adaptSchema({
 *   type: "object",
 *   properties: { tags: { type: "array", items: { type: "string" }, uniqueItems: true } },
 * }, "openai");
 * changed; // true
 * notes;
 * // ["made optional properties required and nullable at /properties/tags",
 * //  "added additionalProperties: false at the root",
 * //  "dropped uniqueItems at /properties/tags"]
 * ```
 * @module
 */

import { type Adapted, type Provider, PROVIDER_SUBSETS } from "./subsets.ts";
import { type BuildContext, buildNode } from "./build.ts";
import { Merger, oneOfAsAnyOf } from "./merge.ts";
import { applyNull, nullStrategy } from "./nullable.ts";
import { child, type Link, refText, ROOT } from "./pointer.ts";
import { SchemaIndex } from "./schema_index.ts";
import {
  cloneJson,
  deepEqual,
  isObj,
  NoteBook,
  type PendingRef,
  type Schema,
  setKey,
  short,
  type Work,
} from "./support.ts";
import {
  arrays,
  foldPatternProperties,
  geminiScalars,
  normalize,
  unevaluated,
} from "./transforms.ts";

export {
  type Adapted,
  type Provider,
  PROVIDER_SUBSETS,
  type ProviderSubset,
} from "./subsets.ts";

/** One run of {@link adaptSchema}. */
class Adapter {
  readonly #provider: Provider;
  readonly #openai: boolean;
  readonly #supported: ReadonlySet<string>;
  readonly #notes = new NoteBook();
  readonly #index: SchemaIndex;
  readonly #merger: Merger;
  readonly #context: BuildContext;
  readonly #registry = new Map<object, Link>();
  readonly #stack: Work[] = [];
  readonly #refs: PendingRef[] = [];
  readonly #names = new Set<string>();
  readonly #totals = { properties: 0, enumValues: 0 };
  #rootOut: Schema | null = null;

  constructor(provider: Provider, root: unknown) {
    const subset = PROVIDER_SUBSETS[provider];
    if (!subset) throw new TypeError(`unknown provider: ${String(provider)}`);
    this.#provider = provider;
    this.#openai = provider === "openai";
    this.#supported = new Set(subset.supported);
    this.#index = new SchemaIndex(root);
    this.#merger = new Merger(this.#index, this.#notes);
    this.#context = {
      openai: this.#openai,
      supported: this.#supported,
      formats: new Set(subset.formats),
      notes: this.#notes,
      refs: this.#refs,
      totals: this.#totals,
      claim: (name) => this.#claim(name),
      hoist: (schema, name, path) => this.#hoist(schema, name, path),
    };
  }

  run(schema: unknown): Adapted {
    let result: unknown;
    this.#stack.push({
      raw: schema,
      origin: isObj(schema) ? schema : null,
      path: ROOT,
      out: ROOT,
      put: (value) => result = value,
      nullable: false,
      root: true,
      depth: 0,
    });
    this.#drain();
    this.#resolveRefs();
    if (this.#openai) {
      if (!isObj(result) || result.type !== "object") {
        this.#notes.add("root is not an object: OpenAI may reject it");
      }
      if (this.#totals.properties > 5000) {
        this.#notes.add(
          `${this.#totals.properties} properties in all (more than 5000): OpenAI may reject it`,
        );
      }
      if (this.#totals.enumValues > 1000) {
        this.#notes.add(
          `${this.#totals.enumValues} enum values in all (more than 1000): OpenAI may reject it`,
        );
      }
    }
    return {
      schema: result,
      changed: !deepEqual(schema, result),
      notes: this.#notes.list(),
    };
  }

  #note(kind: string, at?: Link): void {
    this.#notes.add(kind, at);
  }

  #drain(): void {
    while (this.#stack.length > 0) this.#process(this.#stack.pop()!);
  }

  #process(work: Work): void {
    const { raw } = work;
    if (typeof raw === "boolean") {
      work.put(this.#booleanSchema(raw, work));
      return;
    }
    if (!isObj(raw)) {
      this.#note("kept a value that is not a schema", work.path);
      work.put(cloneJson(raw));
      return;
    }
    const notes = this.#notes;
    const path = work.path;
    const base = this.#index.baseOf(raw, this.#index.rootBase);
    let node = normalize({ ...raw }, path, notes);
    if (Array.isArray(node.allOf)) {
      node = this.#merger.allOf(node, base, path, raw);
    }
    if (Array.isArray(node.oneOf)) node = oneOfAsAnyOf(node, path, notes);
    if (this.#openai) node = this.#merger.spreadAnyOf(node, base, work);
    node = unevaluated(node, path, notes);
    if (!this.#openai && !this.#supported.has("patternProperties")) {
      node = foldPatternProperties(node, path, notes);
    }
    node = arrays(node, path, notes, this.#openai);
    if (!this.#openai) node = geminiScalars(node, path, notes);
    if (
      this.#openai && isObj(node.properties) && !("type" in node) &&
      !["anyOf", "$ref", "enum", "const"].some((k) => k in node)
    ) {
      node = { type: "object", ...node };
      this.#note("added type: object", path);
    }
    const strategy = this.#openai && work.nullable
      ? nullStrategy(node, work.origin, this.#index.targets)
      : "none";
    const self = strategy === "wrap" ? child(work.out, "anyOf", "0") : work.out;
    if (work.origin && !this.#registry.has(work.origin)) {
      this.#registry.set(work.origin, self);
    }
    const { out, children } = buildNode(this.#context, node, base, work, self);
    if (work.root) this.#rootOut = out;
    for (let i = children.length - 1; i >= 0; i--) {
      this.#stack.push(children[i]);
    }
    work.put(applyNull(out, strategy));
  }

  #booleanSchema(value: boolean, work: Work): unknown {
    if (!value) {
      this.#note(
        `kept a false schema: ${this.#provider} may reject it`,
        work.path,
      );
      return false;
    }
    this.#note("replaced a true schema with {}", work.path);
    if (this.#openai && !work.root) {
      this.#note("schema without a type: OpenAI may reject it", work.path);
    }
    return {};
  }

  #claim(name: string): string {
    let candidate = name === "" ? "def" : name;
    for (let i = 2; this.#names.has(candidate); i++) {
      candidate = `${name}_${i}`;
    }
    this.#names.add(candidate);
    return candidate;
  }

  #rootDefs(): Schema {
    const root = this.#rootOut!;
    if (!isObj(root.$defs)) setKey(root, "$defs", {});
    return root.$defs as Schema;
  }

  /** Queues `schema` as a new entry of the root `$defs`; its place. */
  #hoist(schema: unknown, name: string, path: Link): Link {
    const defs = this.#rootDefs();
    const claimed = this.#claim(name);
    setKey(defs, claimed, null);
    const link = child(ROOT, "$defs", claimed);
    this.#stack.push({
      raw: schema,
      origin: isObj(schema) ? schema : null,
      path,
      out: link,
      put: (value) => setKey(defs, claimed, value),
      nullable: false,
      root: false,
      depth: 0,
    });
    return link;
  }

  /** Points every `$ref` into the adapted schema, copying lost targets. */
  #resolveRefs(): void {
    const resolved: { holder: Schema; link: Link }[] = [];
    while (this.#refs.length > 0) {
      for (const pending of this.#refs.splice(0)) {
        const found = this.#index.resolve(pending.ref, pending.base);
        if (!found) {
          this.#note(
            `could not resolve $ref ${
              JSON.stringify(short(pending.ref))
            }; left as is`,
            pending.path,
          );
          continue;
        }
        const target = found.target;
        let link = isObj(target) ? this.#registry.get(target) : undefined;
        if (!link) {
          const tokens = pending.ref.includes("#/")
            ? pending.ref.slice(pending.ref.indexOf("#/") + 2).split("/")
              .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"))
            : [pending.ref];
          const name = tokens[tokens.length - 1].replace(/^#/, "") || "ref";
          link = this.#hoist(target, name, child(ROOT, ...tokens));
          this.#note(
            "copied $ref targets whose place was dropped or merged into $defs",
            pending.path,
          );
        }
        resolved.push({ holder: pending.holder, link });
      }
      this.#drain();
    }
    for (const { holder, link } of resolved) {
      setKey(holder, "$ref", refText(link));
    }
  }
}

/**
 * Rewrites `schema` to `provider`'s documented strict subset (see
 * {@link PROVIDER_SUBSETS}). Never mutates `schema`; never recurses, so any
 * depth is safe. Throws only on a cyclic (non-JSON) object or an unknown
 * provider.
 *
 * OpenAI: every object gets `additionalProperties: false` and lists every
 * property in `required`; a property that was optional becomes nullable
 * (`type: [T, "null"]`, `null` added to an `enum`, a `{ type: "null" }`
 * branch added to an `anyOf`, or `anyOf: [<schema>, { type: "null" }]`), so
 * the model may still leave it empty. A non-object root is left alone, with
 * a note. Gemini: the keyword list is applied, `const` becomes a one-value
 * `enum`, exclusive bounds become inclusive.
 *
 * @example
 * ```ts
 * const adapted = adaptSchema({
 *   type: "object",
 *   properties: { name: { type: "string" }, nickname: { type: "string" } },
 *   required: ["name"],
 * }, "openai");
 * adapted.schema;
 * // { type: "object", properties: { name: { type: "string" },
 * //   nickname: { type: ["string", "null"] } }, required: ["name", "nickname"],
 * //   additionalProperties: false }
 * ```
 */
export function adaptSchema(schema: unknown, provider: Provider): Adapted {
  return new Adapter(provider, schema).run(schema);
}
