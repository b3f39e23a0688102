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
import {
  APPLICATORS,
  child,
  cloneJson,
  deepEqual,
  FIRST_WINS,
  isObj,
  Link,
  LOWER_BOUNDS,
  MAX_ALLOF_BRANCHES,
  MAX_CROSS_PRODUCT,
  MAX_REF_HOPS,
  NOT_INLINED,
  NoteBook,
  NullStrategy,
  OUTSIDE_ANYOF,
  PendingRef,
  refText,
  rekey,
  ROOT,
  Schema,
  SCHEMA_MAPS,
  SCHEMA_SINGLES,
  setKey,
  short,
  typeIncludes,
  types,
  UPPER_BOUNDS,
  without,
  Work,
} from "./support.ts";
import { SchemaIndex } from "./schema_index.ts";

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
  readonly #formats: ReadonlySet<string>;
  readonly #notes = new NoteBook();
  readonly #index: SchemaIndex;
  readonly #registry = new Map<object, Link>();
  readonly #stack: Work[] = [];
  readonly #refs: PendingRef[] = [];
  readonly #names = new Set<string>();
  #rootOut: Schema | null = null;
  #properties = 0;
  #enumValues = 0;

  constructor(provider: Provider, root: unknown) {
    const subset = PROVIDER_SUBSETS[provider];
    if (!subset) throw new TypeError(`unknown provider: ${String(provider)}`);
    this.#provider = provider;
    this.#openai = provider === "openai";
    this.#supported = new Set(subset.supported);
    this.#formats = new Set(subset.formats);
    this.#index = new SchemaIndex(root);
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
      if (this.#properties > 5000) {
        this.#notes.add(
          `${this.#properties} properties in all (more than 5000): OpenAI may reject it`,
        );
      }
      if (this.#enumValues > 1000) {
        this.#notes.add(
          `${this.#enumValues} enum values in all (more than 1000): OpenAI may reject it`,
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

  #baseOf(value: unknown, fallback: string): string {
    return (isObj(value) ? this.#index.base.get(value) : undefined) ??
      fallback;
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
    const base = this.#baseOf(raw, this.#index.rootBase);
    let node = this.#normalize({ ...raw }, work.path);
    if (Array.isArray(node.allOf)) {
      node = this.#mergeAllOf(node, base, work.path, raw);
    }
    if (Array.isArray(node.oneOf)) node = this.#oneOf(node, work.path);
    if (this.#openai) node = this.#spreadAnyOf(node, base, work);
    node = this.#unevaluated(node, work.path);
    node = this.#patternProperties(node, work.path);
    node = this.#arrays(node, work.path);
    if (!this.#openai) node = this.#geminiScalars(node, work.path);
    if (
      this.#openai && isObj(node.properties) && !("type" in node) &&
      !["anyOf", "$ref", "enum", "const"].some((k) => k in node)
    ) {
      node = { type: "object", ...node };
      this.#note("added type: object", work.path);
    }
    const strategy = this.#openai && work.nullable
      ? this.#nullStrategy(node, work.origin)
      : "none";
    const self = strategy === "wrap" ? child(work.out, "anyOf", "0") : work.out;
    if (work.origin && !this.#registry.has(work.origin)) {
      this.#registry.set(work.origin, self);
    }
    const out = this.#build(node, base, work, self);
    work.put(this.#applyNull(out, strategy));
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

  /** Draft-specific forms to their 2020-12 equivalents. */
  #normalize(input: Schema, path: Link): Schema {
    let node = input;
    if (Array.isArray(node.items)) {
      const rest = node.additionalItems;
      node = "prefixItems" in node
        ? without(node, "items", "additionalItems")
        : rekey(
          without(node, "additionalItems"),
          "items",
          "prefixItems",
          node.items,
        );
      if (rest !== undefined) setKey(node, "items", rest);
      this.#note("rewrote array-form items as prefixItems", path);
    } else if ("additionalItems" in node) {
      node = without(node, "additionalItems");
      this.#note(
        "dropped additionalItems (no effect without array-form items)",
        path,
      );
    }
    for (
      const [exclusive, inclusive] of [
        ["exclusiveMaximum", "maximum"],
        ["exclusiveMinimum", "minimum"],
      ]
    ) {
      if (typeof node[exclusive] !== "boolean") continue;
      if (node[exclusive] === true && typeof node[inclusive] === "number") {
        node = rekey(
          without(node, exclusive),
          inclusive,
          exclusive,
          node[inclusive],
        );
      } else node = without(node, exclusive);
      this.#note(`rewrote draft-04 boolean ${exclusive} as a number`, path);
    }
    for (const k of ["$dynamicRef", "$recursiveRef"]) {
      if (typeof node[k] !== "string") continue;
      node = "$ref" in node
        ? without(node, k)
        : rekey(node, k, "$ref", node[k]);
      this.#note(`treated ${k} as $ref`, path);
    }
    return node;
  }

  /** A branch ready to merge: normalized, its `$ref` chain inlined. */
  #expand(
    schema: unknown,
    base: string,
    path: Link,
    seen?: Set<object>,
  ): { schema: Schema | boolean; base: string } {
    if (typeof schema === "boolean") return { schema, base };
    if (!isObj(schema)) return { schema: true, base };
    let node = this.#normalize({ ...schema }, path);
    let at = this.#baseOf(schema, base);
    for (
      let hop = 0;
      hop < MAX_REF_HOPS && typeof node.$ref === "string";
      hop++
    ) {
      const found = this.#index.resolve(node.$ref, at);
      if (!found) break;
      const rest = without(node, "$ref");
      const target = found.target;
      if (target === false) return { schema: false, base: at };
      if (!isObj(target) || seen?.has(target)) {
        // A schema already merged in adds nothing (A and A is A).
        node = rest;
        continue;
      }
      seen?.add(target);
      const inlined = this.#normalize(without(target, ...NOT_INLINED), path);
      node = this.#merge(inlined, rest, path);
      at = this.#baseOf(target, at);
      this.#note("inlined $ref while merging", path);
    }
    return { schema: node, base: at };
  }

  #mergeAllOf(
    input: Schema,
    base: string,
    path: Link,
    origin: Schema,
  ): Schema {
    const seen = new Set<object>([origin]);
    const branches: [unknown, string][] = (input.allOf as unknown[]).map((
      b,
    ) => [b, this.#baseOf(b, base)]);
    let node = without(input, "allOf");
    if (typeof node.$ref === "string") {
      branches.unshift([{ $ref: node.$ref }, base]);
      node = without(node, "$ref");
    }
    let count = 0;
    while (branches.length > 0 && count < MAX_ALLOF_BRANCHES) {
      count++;
      const [branch, branchBase] = branches.shift()!;
      const expanded = this.#expand(branch, branchBase, path, seen);
      let schema = expanded.schema;
      if (schema === true) continue;
      if (schema === false) {
        this.#note("ignored a false allOf branch (nothing could match)", path);
        continue;
      }
      if (Array.isArray(schema.allOf)) {
        for (const b of schema.allOf) {
          branches.push([b, this.#baseOf(b, expanded.base)]);
        }
        schema = without(schema, "allOf");
      }
      node = this.#merge(node, schema, path);
    }
    if (branches.length > 0) {
      this.#note(
        `dropped allOf branches beyond ${MAX_ALLOF_BRANCHES} (nested or recursive)`,
        path,
      );
    }
    this.#note("merged allOf into the schema holding it", path);
    return node;
  }

  /** Both schemas at once, as far as a single schema can say it. */
  #merge(a: Schema, b: Schema, path: Link): Schema {
    const out: Schema = { ...a };
    const conflict = (k: string) =>
      this.#note(`conflicting ${k} while merging: kept the first`, path);
    for (const [k, bv] of Object.entries(b)) {
      if (!(k in out)) {
        setKey(out, k, bv);
        continue;
      }
      const av = out[k];
      if (deepEqual(av, bv) || FIRST_WINS.has(k)) continue;
      if (k === "type") {
        const ta = types(av) ?? [];
        const tb = types(bv) ?? [];
        const both = [
          ...ta.filter((t) =>
            tb.includes(t) || (t === "integer" && tb.includes("number"))
          ),
          ...tb.filter((t) => t === "integer" && ta.includes("number")),
        ].filter((t, i, all) => all.indexOf(t) === i);
        if (both.length === 0) conflict(k);
        else setKey(out, k, both.length === 1 ? both[0] : both);
      } else if (k === "required" && Array.isArray(av) && Array.isArray(bv)) {
        setKey(out, k, [...av, ...bv.filter((n) => !av.includes(n))]);
      } else if (k === "enum" && Array.isArray(av) && Array.isArray(bv)) {
        const both = av.filter((x) => bv.some((y) => deepEqual(x, y)));
        if (both.length === 0) conflict(k);
        else setKey(out, k, both);
      } else if (
        (LOWER_BOUNDS.has(k) || UPPER_BOUNDS.has(k)) &&
        typeof av === "number" && typeof bv === "number"
      ) {
        setKey(
          out,
          k,
          LOWER_BOUNDS.has(k) ? Math.max(av, bv) : Math.min(av, bv),
        );
      } else if (k === "uniqueItems") {
        setKey(out, k, av === true || bv === true);
      } else if (SCHEMA_MAPS.has(k) && isObj(av) && isObj(bv)) {
        const map: Schema = { ...av };
        for (const [name, sub] of Object.entries(bv)) {
          const mine = map[name];
          setKey(
            map,
            name,
            mine === undefined || deepEqual(mine, sub)
              ? sub
              : { allOf: [mine, sub] },
          );
        }
        setKey(out, k, map);
      } else if (k === "dependentRequired" && isObj(av) && isObj(bv)) {
        const map: Schema = { ...av };
        for (const [name, list] of Object.entries(bv)) {
          const mine = map[name];
          setKey(
            map,
            name,
            Array.isArray(mine) && Array.isArray(list)
              ? [...mine, ...list.filter((n) => !mine.includes(n))]
              : list,
          );
        }
        setKey(out, k, map);
      } else if (SCHEMA_SINGLES.has(k)) {
        setKey(
          out,
          k,
          av === false || bv === false
            ? false
            : av === true
            ? bv
            : bv === true
            ? av
            : { allOf: [av, bv] },
        );
      } else if (k === "not") {
        setKey(out, k, { anyOf: [av, bv] });
      } else if (
        k === "prefixItems" && Array.isArray(av) && Array.isArray(bv)
      ) {
        const length = Math.max(av.length, bv.length);
        const list: unknown[] = [];
        for (let i = 0; i < length; i++) {
          const x = av[i];
          const y = bv[i];
          list.push(
            x === undefined || x === true
              ? y
              : y === undefined || y === true || deepEqual(x, y)
              ? x
              : { allOf: [x, y] },
          );
        }
        setKey(out, k, list);
      } else if (k === "allOf" && Array.isArray(av) && Array.isArray(bv)) {
        setKey(out, k, [...av, ...bv]);
      } else if (
        (k === "anyOf" || k === "oneOf") && Array.isArray(av) &&
        Array.isArray(bv) && av.length * bv.length <= MAX_CROSS_PRODUCT
      ) {
        setKey(out, k, av.flatMap((x) => bv.map((y) => ({ allOf: [x, y] }))));
      } else conflict(k);
    }
    return out;
  }

  #oneOf(node: Schema, path: Link): Schema {
    this.#note("replaced oneOf with anyOf (exactly one is not enforced)", path);
    if (!("anyOf" in node)) return rekey(node, "oneOf", "anyOf", node.oneOf);
    return this.#merge(without(node, "oneOf"), { anyOf: node.oneOf }, path);
  }

  /**
   * OpenAI: `anyOf` with sibling constraints becomes an `anyOf` whose every
   * branch carries the siblings (same meaning); at the root, where OpenAI
   * wants a plain object, the `anyOf` is dropped instead.
   */
  #spreadAnyOf(node: Schema, base: string, work: Work): Schema {
    if (!Array.isArray(node.anyOf)) return node;
    const siblings = Object.keys(node).filter((k) => !OUTSIDE_ANYOF.has(k));
    if (siblings.length === 0) return node;
    if (work.root) {
      this.#note(
        "dropped anyOf beside other keywords (OpenAI needs a plain object root)",
        work.path,
      );
      return without(node, "anyOf");
    }
    const rest: Schema = {};
    for (const k of siblings) setKey(rest, k, node[k]);
    const shared = this.#expand(rest, base, work.path).schema;
    const branches: unknown[] = [];
    for (const branch of node.anyOf) {
      if (branch === false) continue;
      const expanded = branch === true
        ? true
        : this.#expand(branch, this.#baseOf(branch, base), work.path).schema;
      if (shared === false || expanded === false) continue;
      if (expanded === true) branches.push(shared === true ? {} : shared);
      else if (shared === true) branches.push(expanded);
      else branches.push(this.#merge(shared, expanded, work.path));
    }
    const out: Schema = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "anyOf") {
        setKey(out, k, branches.length > 0 ? branches : [false]);
      } else if (OUTSIDE_ANYOF.has(k)) setKey(out, k, v);
    }
    this.#note(
      "moved keywords beside anyOf into each of its branches",
      work.path,
    );
    return out;
  }

  /** `unevaluated*` with nothing else evaluating is `additional*`/`items`. */
  #unevaluated(input: Schema, path: Link): Schema {
    let node = input;
    const plain = !APPLICATORS.some((k) => k in node);
    if (
      "unevaluatedProperties" in node && plain &&
      !("patternProperties" in node) && !("additionalProperties" in node)
    ) {
      node = rekey(
        node,
        "unevaluatedProperties",
        "additionalProperties",
        node.unevaluatedProperties,
      );
      this.#note("rewrote unevaluatedProperties as additionalProperties", path);
    }
    if (
      "unevaluatedItems" in node && plain && !("contains" in node) &&
      !("items" in node)
    ) {
      node = rekey(node, "unevaluatedItems", "items", node.unevaluatedItems);
      this.#note("rewrote unevaluatedItems as items", path);
    }
    return node;
  }

  /**
   * Where `patternProperties` is dropped, a closed `additionalProperties`
   * would refuse the properties the patterns allowed: it becomes an `anyOf`
   * of the pattern schemas and itself (names are no longer checked).
   */
  #patternProperties(node: Schema, path: Link): Schema {
    const patterns = node.patternProperties;
    const rest = node.additionalProperties;
    if (
      this.#openai || this.#supported.has("patternProperties") ||
      !isObj(patterns) ||
      rest === undefined || rest === true
    ) return node;
    const members: unknown[] = [];
    for (const s of [...Object.values(patterns), rest]) {
      if (s !== false && !members.some((m) => deepEqual(m, s))) members.push(s);
    }
    this.#note(
      "folded patternProperties into additionalProperties (property names are no longer checked)",
      path,
    );
    const value = members.length === 0
      ? false
      : members.includes(true)
      ? true
      : members.length === 1
      ? members[0]
      : { anyOf: members };
    return rekey(node, "additionalProperties", "additionalProperties", value);
  }

  #arrays(input: Schema, path: Link): Schema {
    let node = input;
    const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : null;
    const capItems = (limit: number) => {
      const current = node.maxItems;
      setKey(
        node,
        "maxItems",
        typeof current === "number" ? Math.min(current, limit) : limit,
      );
    };
    if (node.items === false) {
      node = without(node, "items");
      capItems(prefix ? prefix.length : 0);
      this.#note("rewrote items: false as maxItems", path);
    }
    if (!this.#openai || !prefix) return node;
    if (prefix.length === 0) return without(node, "prefixItems");
    const members: unknown[] = [];
    for (const p of prefix) {
      if (!members.some((m) => deepEqual(m, p))) members.push(p);
    }
    const rest = node.items;
    if (rest === undefined) capItems(prefix.length);
    else if (!members.some((m) => deepEqual(m, rest))) members.push(rest);
    node = rekey(
      node,
      "prefixItems",
      "items",
      members.length === 1 ? members[0] : { anyOf: members },
    );
    this.#note(
      "rewrote prefixItems as items: anyOf (the order of elements is not enforced)",
      path,
    );
    return node;
  }

  /** Gemini: `const` as a one-value `enum`, exclusive bounds as inclusive. */
  #geminiScalars(input: Schema, path: Link): Schema {
    let node = input;
    if ("const" in node) {
      const value = node.const;
      if (
        typeof value === "string" ||
        (typeof value === "number" && Number.isFinite(value))
      ) {
        node = rekey(node, "const", "enum", [value]);
        if (!("type" in node)) {
          setKey(
            node,
            "type",
            typeof value === "string"
              ? "string"
              : Number.isInteger(value)
              ? "integer"
              : "number",
          );
        }
        this.#note("rewrote const as a one-value enum", path);
      } else if (typeof value === "boolean" || value === null) {
        const type = value === null ? "null" : "boolean";
        node = "type" in node
          ? without(node, "const")
          : rekey(node, "const", "type", type);
        this.#note(`relaxed const ${value} to type ${type}`, path);
      } else {
        node = without(node, "const");
        this.#note("dropped const with an object or array value", path);
      }
    }
    for (
      const [exclusive, inclusive, tighter] of [
        ["exclusiveMinimum", "minimum", Math.max],
        ["exclusiveMaximum", "maximum", Math.min],
      ] as const
    ) {
      const value = node[exclusive];
      if (typeof value !== "number") continue;
      const current = node[inclusive];
      if (typeof current === "number") {
        node = without(node, exclusive);
        setKey(node, inclusive, tighter(current, value));
      } else node = rekey(node, exclusive, inclusive, value);
      this.#note(`relaxed ${exclusive} to ${inclusive}`, path);
    }
    return node;
  }

  #acceptsNull(node: Schema, deep: boolean): boolean {
    const t = node.type;
    if (t !== undefined && !typeIncludes(t, "null")) return false;
    if (Array.isArray(node.enum) && !node.enum.includes(null)) return false;
    if ("const" in node && node.const !== null) return false;
    if ("$ref" in node) return false;
    if (Array.isArray(node.anyOf)) {
      return deep &&
        node.anyOf.some((m) =>
          m === true || (isObj(m) && this.#acceptsNull(m, false))
        );
    }
    return true;
  }

  #nullStrategy(node: Schema, origin: object | null): NullStrategy {
    if (this.#acceptsNull(node, true)) return "none";
    if (origin && this.#index.targets.has(origin)) return "wrap";
    if ("$ref" in node || "const" in node) return "wrap";
    const typed = typeof node.type === "string" || Array.isArray(node.type);
    if (Array.isArray(node.anyOf) && !typed && !("enum" in node)) {
      return "member";
    }
    if (typed && !("anyOf" in node)) return "type";
    if (Array.isArray(node.enum) && !typed && !("anyOf" in node)) return "enum";
    return "wrap";
  }

  #applyNull(out: Schema, strategy: NullStrategy): unknown {
    switch (strategy) {
      case "none":
        return out;
      case "wrap":
        return { anyOf: [out, { type: "null" }] };
      case "member":
        if (Array.isArray(out.anyOf)) out.anyOf.push({ type: "null" });
        return out;
      case "type": {
        const list = types(out.type);
        if (list) setKey(out, "type", [...list, "null"]);
        if (Array.isArray(out.enum)) out.enum.push(null);
        return out;
      }
      case "enum":
        if (Array.isArray(out.enum)) out.enum.push(null);
        return out;
    }
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

  #build(node: Schema, base: string, work: Work, self: Link): Schema {
    const out: Schema = {};
    if (work.root) this.#rootOut = out;
    const children: Work[] = [];
    const openai = this.#openai;
    const objectish = typeIncludes(node.type, "object") ||
      isObj(node.properties);
    const required = new Set(
      Array.isArray(node.required)
        ? node.required.filter((n): n is string => typeof n === "string")
        : [],
    );
    const properties = isObj(node.properties) ? node.properties : null;
    const queue = (
      raw: unknown,
      path: Link,
      at: Link,
      put: (value: unknown) => void,
      nullable = false,
      depth = work.depth,
    ) =>
      children.push({
        raw,
        origin: isObj(raw) ? raw : null,
        path,
        out: at,
        put,
        nullable,
        root: false,
        depth,
      });

    for (const [key, value] of Object.entries(node)) {
      const listed = key === "definitions" ? "$defs" : key;
      const path = child(work.path, key);
      if (!this.#supported.has(listed)) {
        this.#note(`dropped ${key}`, work.path);
        continue;
      }
      switch (key) {
        case "$ref":
          if (typeof value !== "string") {
            this.#note("dropped a $ref that is not a string", work.path);
            break;
          }
          setKey(out, key, value);
          this.#refs.push({ holder: out, ref: value, base, path: work.path });
          break;
        case "$defs":
        case "definitions": {
          if (!isObj(value)) {
            this.#note(`dropped ${key} that is not an object`, work.path);
            break;
          }
          if (!work.root) {
            this.#note("moved nested $defs to the root $defs", path);
            for (const [name, sub] of Object.entries(value)) {
              this.#hoist(sub, name, child(path, name));
            }
            break;
          }
          if (key === "definitions") {
            this.#note("renamed definitions to $defs (refs rewritten)", path);
          }
          if (!isObj(out.$defs)) setKey(out, "$defs", {});
          const defs = out.$defs as Schema;
          for (const [name, sub] of Object.entries(value)) {
            const claimed = this.#claim(name);
            setKey(defs, claimed, null);
            queue(
              sub,
              child(path, name),
              child(ROOT, "$defs", claimed),
              (v) => setKey(defs, claimed, v),
              false,
              0,
            );
          }
          break;
        }
        case "properties": {
          if (!isObj(value)) {
            this.#note("dropped properties that is not an object", work.path);
            break;
          }
          const map: Schema = {};
          setKey(out, key, map);
          for (const [name, sub] of Object.entries(value)) {
            const at = child(path, name);
            if (sub === false) {
              this.#note("removed properties whose schema is false", at);
              continue;
            }
            this.#properties++;
            const optional = openai && !required.has(name);
            if (optional) {
              this.#note("made optional properties required and nullable", at);
            }
            if (openai && work.depth + 1 > 10) {
              this.#note(
                "more than 10 levels of nesting: OpenAI may reject it",
                at,
              );
            }
            setKey(map, name, null);
            queue(
              sub,
              at,
              child(self, key, name),
              (v) => setKey(map, name, v),
              optional,
              work.depth + 1,
            );
          }
          break;
        }
        case "items":
        case "additionalProperties": {
          if (key === "additionalProperties" && openai) {
            setKey(out, key, false);
            if (value !== false) {
              this.#note(
                `replaced additionalProperties ${
                  value === true ? "true" : "schema"
                } with false`,
                work.path,
              );
            }
            break;
          }
          if (typeof value === "boolean" && key === "additionalProperties") {
            setKey(out, key, value);
            break;
          }
          if (!isObj(value) && typeof value !== "boolean") {
            this.#note(`dropped ${key} that is not a schema`, work.path);
            break;
          }
          setKey(out, key, null);
          queue(value, path, child(self, key), (v) => setKey(out, key, v));
          break;
        }
        case "prefixItems":
        case "anyOf": {
          if (!Array.isArray(value)) {
            this.#note(`dropped ${key} that is not a list`, work.path);
            break;
          }
          if (key === "anyOf" && value.includes(true)) {
            this.#note("dropped anyOf with an always-true branch", work.path);
            break;
          }
          let list: [unknown, number][] = value.map((v, i) => [v, i]);
          if (
            key === "anyOf" && value.includes(false) &&
            value.some((v) => v !== false)
          ) {
            list = list.filter(([v]) => v !== false);
            this.#note("removed false branches from anyOf", work.path);
          }
          const array: unknown[] = [];
          setKey(out, key, array);
          list.forEach(([sub, i], j) => {
            array.push(null);
            queue(
              sub,
              child(path, String(i)),
              child(self, key, String(j)),
              (v) => array[j] = v,
            );
          });
          break;
        }
        case "required":
          if (!Array.isArray(value)) {
            this.#note("dropped required that is not a list", work.path);
          } else if (!(openai && objectish)) {
            setKey(out, key, value.filter((n) => typeof n === "string"));
          } else setKey(out, key, []);
          break;
        case "format":
          if (typeof value === "string" && this.#formats.has(value)) {
            setKey(out, key, value);
          } else {
            this.#note(`dropped format ${JSON.stringify(value)}`, work.path);
          }
          break;
        default:
          if (key === "enum" && Array.isArray(value)) {
            this.#enumValues += value.length;
          }
          setKey(out, key, cloneJson(value));
      }
    }

    if (openai && objectish) {
      const names = properties
        ? Object.keys(properties).filter((n) => properties[n] !== false)
        : [];
      if (!("additionalProperties" in out)) {
        setKey(out, "additionalProperties", false);
        this.#note("added additionalProperties: false", work.path);
      }
      if (names.length > 0 || "required" in out) setKey(out, "required", names);
      if ([...required].some((n) => !names.includes(n))) {
        this.#note(
          "dropped required names that have no property schema",
          work.path,
        );
      }
    }
    if (
      openai && !work.root &&
      !["type", "anyOf", "$ref", "enum", "const"].some((k) => k in out)
    ) {
      this.#note("schema without a type: OpenAI may reject it", work.path);
    }
    for (let i = children.length - 1; i >= 0; i--) {
      this.#stack.push(children[i]);
    }
    return out;
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
