/**
 * Every target kind and its factory: one line per engine. The `Record`
 * makes the compiler flag a kind without an adapter. Every target built
 * here checks its `base_url` against the SSRF rules
 * (`base_url_guard.ts`) right before its requests are made, since what a
 * host name resolves to can change after the target was created: a
 * refused URL makes each case an `infra_error` that says why, and no
 * request leaves. Requests connect to the address that check saw
 * (`transport/pinned_fetch.ts`), so DNS cannot change between the two.
 *
 * @example
 * ```ts
 * import { createTarget, TARGET_KINDS } from "./registry.ts";
 * import type { TargetConfig } from "./target.ts";
 * import type { BaseUrlGuardOptions } from "./transport/base_url_guard.ts";
 * declare const config: TargetConfig;
 * declare const env: { targetAllowedHosts: BaseUrlGuardOptions["allowedHosts"] };
 * const target = createTarget(config, (name) => Deno.env.get(name), {
 *   allowedHosts: env.targetAllowedHosts,
 * });
 * ```
 * @module
 */
import {
  BaseUrlBlockedError,
  type BaseUrlGuardOptions,
  type BaseUrlVerdict,
  checkBaseUrl,
} from "./transport/base_url_guard.ts";
import { pinnedFetch } from "./transport/pinned_fetch.ts";
import { anthropicTarget } from "./anthropic.ts";
import { geminiTarget } from "./gemini.ts";
import { huggingFaceTarget } from "./huggingface.ts";
import { llamacppTarget } from "./llamacpp.ts";
import { openAiTarget } from "./openai.ts";
import { openAiCompatibleTarget } from "./openai_compatible.ts";
import { ollamaTarget } from "./ollama.ts";
import type { Answer, Target, TargetConfig, TargetFactory } from "./target.ts";

/** The kinds this build supports. */
export type TargetKind =
  | "llamacpp"
  | "openai-compatible"
  | "openai"
  | "gemini"
  | "huggingface"
  | "anthropic"
  | "ollama";

/** The factory of each kind. */
export const REGISTRY: Record<TargetKind, TargetFactory> = {
  llamacpp: llamacppTarget,
  "openai-compatible": openAiCompatibleTarget,
  openai: openAiTarget,
  gemini: geminiTarget,
  huggingface: huggingFaceTarget,
  anthropic: anthropicTarget,
  ollama: ollamaTarget,
};

/** Every supported kind. */
export const TARGET_KINDS = Object.keys(REGISTRY) as TargetKind[];

/** How long one check of a target's base URL is trusted (DNS included), by default. */
const RECHECK_MS = 10_000;

/**
 * The base URL check of one target: one at a time, renewed once it is
 * older than `recheckMs`, shared by concurrent cases and by the pinned
 * fetch, which connects to the addresses it checked.
 */
function sharedCheck(
  url: string,
  guard: BaseUrlGuardOptions,
): () => Promise<BaseUrlVerdict> {
  let last: { at: number; verdict: Promise<BaseUrlVerdict> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > (guard.recheckMs ?? RECHECK_MS)) {
      last = { at: now, verdict: checkBaseUrl(url, guard) };
    }
    return last.verdict;
  };
}

/**
 * Wraps a target so that each request is preceded by the base URL check:
 * a refused URL answers without a request, with the reason.
 */
function guarded(
  target: Target,
  check: () => Promise<BaseUrlVerdict>,
): Target {
  return {
    config: target.config,
    async describe(signal) {
      const verdict = await check();
      if (!verdict.ok) {
        throw new BaseUrlBlockedError(verdict.rule, verdict.message);
      }
      return await target.describe(signal);
    },
    ...(target.health
      ? {
        async health(signal: AbortSignal) {
          const verdict = await check();
          // A refused URL is not an outage to wait out: its requests
          // answer "no request made" at once, and nothing is sent.
          return verdict.ok ? await target.health!(signal) : true;
        },
      }
      : {}),
    async generate(request): Promise<Answer> {
      const verdict = await check();
      if (verdict.ok) return await target.generate(request);
      return {
        text: null,
        finishReason: null,
        latencyMs: 0,
        error: {
          kind: "infra_error",
          message: `no request made: ${verdict.message}`,
          retryable: false,
        },
      };
    },
  };
}

/**
 * Builds the target for a stored configuration. `guard` carries the
 * operator's `TARGET_ALLOWED_HOSTS` (default: none allowed beyond the
 * rules); the base URL is checked before every request, not here.
 *
 * @example
 * ```ts
 * import type { TargetConfig } from "./target.ts";
 * declare const config: TargetConfig;
 * createTarget({ ...config, kind: "llamacpp" }, () => undefined).config.kind; // "llamacpp"
 * ```
 */
export function createTarget(
  config: TargetConfig,
  secret: (name: string) => string | undefined,
  guard: BaseUrlGuardOptions = {},
): Target {
  const factory = REGISTRY[config.kind as TargetKind];
  if (!factory) {
    throw new Error(
      `unknown target kind "${config.kind}" (known: ${
        TARGET_KINDS.join(", ")
      })`,
    );
  }
  const url = config.baseUrl;
  if (!url) return factory(config, secret);
  const check = sharedCheck(url, guard);
  return guarded(factory(config, secret, pinnedFetch(url, check)), check);
}
