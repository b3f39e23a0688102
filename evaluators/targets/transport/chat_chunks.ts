/**
 * Accumulates an OpenAI-style streamed chat completion (the chunks the
 * `openai` and `@huggingface/inference` SDKs yield) into one answer:
 * content, refusal, reasoning, finish reason, usage, the served model, and
 * client-side time to first token and per output token.
 *
 * @example
 * ```ts
 * import { ChatChunks } from "./chat_chunks.ts";
 * import type { ChunkLike } from "./chat_chunks.ts";
 * import type { TargetError } from "../target.ts";
 * declare const stream: AsyncIterable<ChunkLike>;
 * declare const error: TargetError | undefined;
 * declare const key: string;
 * const chunks = new ChatChunks(performance.now());
 * for await (const chunk of stream) chunks.add(chunk);
 * const answer = chunks.answer({ error, secrets: [key] });
 * ```
 * @module
 */
import { scrub } from "./http_errors.ts";
import type { Answer, TargetError } from "../target.ts";
import { TokenLogprobs } from "./token_logprobs.ts";

/** The parts of a chunk that matter here. */
export interface ChunkLike {
  model?: string;
  system_fingerprint?: string | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  choices?: {
    finish_reason?: string | null;
    delta?: unknown;
    logprobs?: { content?: unknown } | null;
  }[];
}

/**
 * The most text one answer may gather (8 MiB): past it the stream is left
 * and the answer ends as if the token limit was hit (`finish_reason`
 * `length`), so a runaway or hostile engine costs bounded memory.
 */
export const MAX_ANSWER_CHARS = 8 * 1024 * 1024;

/** One streamed answer being put together. */
export class ChatChunks {
  text = "";
  reasoning = "";
  refusal: string | undefined;
  finishReason: string | null = null;
  servedModel: string | undefined;
  fingerprint: string | undefined;
  usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
  /** The chosen tokens' log probabilities, when they were asked for. */
  logprobs: TokenLogprobs = new TokenLogprobs();
  #firstAt: number | undefined;
  #lastAt: number | undefined;

  /** @param started `performance.now()` when the request went out */
  constructor(readonly started: number) {}

  /** Whether the answer reached {@link MAX_ANSWER_CHARS}: stop reading. */
  get full(): boolean {
    return this.text.length + this.reasoning.length +
        (this.refusal?.length ?? 0) >= MAX_ANSWER_CHARS;
  }

  /** Adds one chunk (ignored once {@link ChatChunks.full}). */
  add(chunk: ChunkLike): void {
    if (this.full) {
      this.finishReason = "length";
      return;
    }
    this.servedModel ??= chunk.model;
    this.fingerprint ??= chunk.system_fingerprint ?? undefined;
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    this.logprobs.add(choice.logprobs?.content);
    const delta = (choice.delta ?? {}) as {
      content?: string | null;
      refusal?: string | null;
      reasoning_content?: string | null;
    };
    if (typeof delta.refusal === "string") {
      this.refusal = (this.refusal ?? "") + delta.refusal;
    }
    if (typeof delta.reasoning_content === "string") {
      this.reasoning += delta.reasoning_content;
    }
    if (typeof delta.content === "string" && delta.content) {
      const now = performance.now();
      this.#firstAt ??= now;
      this.#lastAt = now;
      this.text += delta.content;
    }
    if (this.full) this.finishReason = "length";
  }

  /**
   * The answer so far; `secrets` are scrubbed from every text the provider
   * sent back.
   */
  answer(
    extra:
      & { error?: TargetError; secrets: (string | undefined)[] }
      & Partial<Answer>,
  ): Answer {
    const { error, secrets, ...rest } = extra;
    const completion = this.usage?.completion_tokens;
    const first = this.#firstAt;
    const last = this.#lastAt;
    return {
      text: error && !this.text ? null : scrub(this.text, secrets),
      finishReason: this.finishReason,
      refusal: this.refusal === undefined
        ? undefined
        : scrub(this.refusal, secrets),
      reasoning: this.reasoning ? scrub(this.reasoning, secrets) : undefined,
      promptTokens: this.usage?.prompt_tokens,
      completionTokens: completion,
      latencyMs: performance.now() - this.started,
      ttftMs: first !== undefined ? first - this.started : undefined,
      tpotMs: completion && completion > 1 && first !== undefined &&
          last !== undefined
        ? (last - first) / (completion - 1)
        : undefined,
      error,
      ...rest,
    };
  }
}
