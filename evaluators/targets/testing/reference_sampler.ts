/**
 * An in-process reference sampler over the closed-form bigram model
 * (`bigram_table.ts`), and the exact distributions it samples, by
 * enumeration. Not llama-server: it constrains to a finite set of output
 * texts `L` (the valid outputs of a tiny schema, written out), over the
 * model's own tokens, so that p, g = p·[y ∈ L]/Z and the locally
 * constrained q are all computable exactly.
 *
 * - {@link sampleUnconstrained} draws from p (temperature 1, no truncation),
 *   until an end-of-generation token or `maxTokens`.
 * - {@link sampleConstrained} does locally constrained decoding: at each
 *   step it masks the tokens after which the text is no longer a prefix of
 *   a member of L (and the end tokens until the text is a member), and
 *   draws from p renormalised over the rest, as grammar-constrained
 *   engines do.
 * - {@link sampleRejection} draws from g exactly (p until the output is in
 *   L): an engine without distortion.
 * - {@link exactDistortion} enumerates every token path of every member of
 *   L and gives Z, the gap and the total variation between q and g exactly.
 *
 * Every draw reports the raw log p of each token (the end token included),
 * as llama-server does with `post_sampling_probs: false`.
 *
 * @example
 * ```ts
 * import { exactDistortion, finiteLanguage } from "./reference_sampler.ts";
 * const exact = exactDistortion(finiteLanguage(['{"v":true}', '{"v":false}']));
 * exact.z > 0; // true
 * ```
 * @module
 */
import { bigramModel, nextLogProbs } from "./bigram_table.ts";

/**
 * A finite set of output texts with its prefixes.
 *
 * @example
 * ```ts
 * const l: Language = finiteLanguage(["ab"]);
 * l.prefixes.has("a"); // true
 * ```
 */
export interface Language {
  strings: ReadonlySet<string>;
  prefixes: ReadonlySet<string>;
}

/**
 * The language of exactly these texts.
 *
 * @example
 * ```ts
 * finiteLanguage(['{"v":1}']).strings.size; // 1
 * ```
 */
export function finiteLanguage(strings: string[]): Language {
  const prefixes = new Set<string>();
  for (const s of strings) {
    for (let i = 0; i <= s.length; i++) prefixes.add(s.slice(0, i));
  }
  return { strings: new Set(strings), prefixes };
}

/**
 * One draw: its token ids, its text, each token's raw log p.
 *
 * @example
 * ```ts
 * const d: Draw = { ids: [], text: "", logprobs: [], ended: false };
 * ```
 */
export interface Draw {
  ids: number[];
  text: string;
  logprobs: number[];
  /** Ended at an end-of-generation token (else cut at maxTokens). */
  ended: boolean;
}

/**
 * A seeded uniform generator in [0, 1) (mulberry32).
 *
 * @example
 * ```ts
 * const u = seededRandom(1);
 * u() === seededRandom(1)(); // true
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text a token adds to the output (control tokens add none). */
function piece(id: number): string {
  const model = bigramModel();
  return model.types[id] === 3 ? "" : model.tokens[id];
}

/** Tokens allowed after `text` under `language`, with their masses. */
interface Choices {
  ids: number[];
  cdf: Float64Array;
  /** Σ p over the allowed tokens. */
  total: number;
}

function choices(
  prev: number,
  text: string,
  language: Language | null,
): Choices {
  const model = bigramModel();
  const row = nextLogProbs(prev);
  const ids: number[] = [];
  for (let id = 0; id < model.size; id++) {
    if (language === null) ids.push(id);
    else if (model.eog.has(id)) {
      if (language.strings.has(text)) ids.push(id);
    } else if (
      model.types[id] !== 3 && language.prefixes.has(text + piece(id))
    ) ids.push(id);
  }
  const cdf = new Float64Array(ids.length);
  let total = 0;
  ids.forEach((id, i) => {
    total += Math.exp(row[id]);
    cdf[i] = total;
  });
  return { ids, cdf, total };
}

/** Draws by the masses of `c` (renormalised). */
function pick(c: Choices, uniform: () => number): number {
  const u = uniform() * c.total;
  let lo = 0;
  let hi = c.ids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return c.ids[lo];
}

/**
 * A reference sampler for one start token (the last prompt token; the
 * model's turn starts after a newline) that caches its masks.
 *
 * @example
 * ```ts
 * const sampler = referenceSampler();
 * sampler.unconstrained(seededRandom(3)).ended; // true (almost always)
 * ```
 */
export interface ReferenceSampler {
  unconstrained(uniform: () => number): Draw;
  constrained(language: Language, uniform: () => number): Draw;
  rejection(language: Language, uniform: () => number): Draw;
}

/**
 * Builds a {@link ReferenceSampler}.
 *
 * @example
 * ```ts
 * const l = finiteLanguage(['{"v":true}', '{"v":false}']);
 * const d = referenceSampler().constrained(l, seededRandom(1));
 * l.strings.has(d.text); // true
 * ```
 */
export function referenceSampler(
  options: { start?: number; maxTokens?: number } = {},
): ReferenceSampler {
  const model = bigramModel();
  const start = options.start ?? model.id("\n");
  const maxTokens = options.maxTokens ?? 48;
  const cache = new Map<Language | null, Map<string, Choices>>();
  const cached = (prev: number, text: string, language: Language | null) => {
    let byState = cache.get(language);
    if (!byState) cache.set(language, byState = new Map());
    const key = `${prev}\u0000${text}`;
    let c = byState.get(key);
    if (!c) byState.set(key, c = choices(prev, text, language));
    return c;
  };
  const draw = (language: Language | null, uniform: () => number): Draw => {
    const out: Draw = { ids: [], text: "", logprobs: [], ended: false };
    let prev = start;
    while (out.ids.length < maxTokens) {
      const c = cached(prev, language ? out.text : "", language);
      const id = pick(c, uniform);
      out.ids.push(id);
      out.logprobs.push(nextLogProbs(prev)[id]);
      if (model.eog.has(id)) {
        out.ended = true;
        break;
      }
      out.text += piece(id);
      prev = id;
    }
    return out;
  };
  return {
    unconstrained: (uniform) => draw(null, uniform),
    constrained: (language, uniform) => draw(language, uniform),
    rejection: (language, uniform) => {
      for (;;) {
        const d = draw(null, uniform);
        if (d.ended && language.strings.has(d.text)) return d;
      }
    },
  };
}

/**
 * The exact figures of locally constrained decoding against g for a
 * language, by enumerating every token path of every member.
 *
 * @example
 * ```ts
 * const e: ExactDistortion = exactDistortion(finiteLanguage(['{"v":null}']));
 * e.tv; // 0: one value, so q and g agree on it
 * ```
 */
export interface ExactDistortion {
  /** Z = P_p(L). */
  z: number;
  /** E_q[m] − E_g[m], m = a path's mean per-token log p. */
  gap: number;
  /** Total variation between q and g over the canonical values. */
  tv: number;
  /** q and g of each value (canonical JSON). */
  values: Map<string, { q: number; g: number }>;
  /** Token paths enumerated. */
  paths: number;
}

/**
 * Computes {@link ExactDistortion} for `language` from the start token.
 *
 * @example
 * ```ts
 * const e = exactDistortion(finiteLanguage(['{"v":"pa"}', '{"v":"q"}']));
 * e.tv > 0.1; // true: the local mask favours "pa"
 * ```
 */
export function exactDistortion(
  language: Language,
  options: { start?: number } = {},
): ExactDistortion {
  const model = bigramModel();
  let z = 0;
  let paths = 0;
  const found: { p: number; q: number; m: number; value: string }[] = [];
  const walk = (
    prev: number,
    text: string,
    logP: number,
    logQ: number,
    sumLog: number,
    length: number,
  ) => {
    const row = nextLogProbs(prev);
    const allowed = choices(prev, text, language);
    const logTotal = Math.log(allowed.total);
    for (const id of allowed.ids) {
      const lp = logP + row[id];
      const lq = logQ + row[id] - logTotal;
      const sum = sumLog + row[id];
      if (model.eog.has(id)) {
        paths++;
        const value = JSON.stringify(JSON.parse(text));
        found.push({
          p: Math.exp(lp),
          q: Math.exp(lq),
          m: sum / (length + 1),
          value,
        });
        z += Math.exp(lp);
      } else walk(id, text + piece(id), lp, lq, sum, length + 1);
    }
  };
  walk(options.start ?? model.id("\n"), "", 0, 0, 0, 0);
  let eq = 0;
  let eg = 0;
  const values = new Map<string, { q: number; g: number }>();
  for (const f of found) {
    const g = f.p / z;
    eq += f.q * f.m;
    eg += g * f.m;
    const v = values.get(f.value) ?? { q: 0, g: 0 };
    v.q += f.q;
    v.g += g;
    values.set(f.value, v);
  }
  let tv = 0;
  for (const v of values.values()) tv += Math.abs(v.q - v.g) / 2;
  return { z, gap: eq - eg, tv, values, paths };
}

/**
 * Z = P_p(L) alone, by dynamic programming over (last token, text so far),
 * for languages too large to enumerate path by path.
 *
 * @example
 * ```ts
 * const l = finiteLanguage(['{"v":true}']);
 * Math.abs(exactZ(l) - exactDistortion(l).z) < 1e-12; // true
 * ```
 */
export function exactZ(
  language: Language,
  options: { start?: number } = {},
): number {
  const model = bigramModel();
  const memo = new Map<string, number>();
  const mass = (prev: number, text: string): number => {
    const key = `${prev}\u0000${text}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const row = nextLogProbs(prev);
    let sum = 0;
    for (const id of choices(prev, text, language).ids) {
      sum += Math.exp(row[id]) *
        (model.eog.has(id) ? 1 : mass(id, text + piece(id)));
    }
    memo.set(key, sum);
    return sum;
  };
  return mass(options.start ?? model.id("\n"), "");
}
