/**
 * The latency model of the stub engine (`stub_engine.ts`): an engine shaped
 * like llama.cpp on a GPU. Each generation takes a slot for its whole life;
 * with every slot busy, a request waits in line (first come, first served)
 * as llama-server queues the tasks it has no slot for. Once it has a slot,
 * its first token comes after `firstTokenMs` and each of the other
 * `tokens - 1` after `perTokenMs` more, so a request holds its slot for
 * `firstTokenMs + (tokens - 1) × perTokenMs` and an engine with N slots
 * answers at most N of them in that time.
 *
 * @example
 * ```ts
 * import { EngineSlots, generationMs } from "./engine_latency.ts";
 * const latency = { firstTokenMs: 40, perTokenMs: 2, tokens: 81 };
 * generationMs(latency); // 200
 * const slots = new EngineSlots(64);
 * const release = await slots.acquire();
 * release();
 * ```
 * @module
 */

/**
 * How long one generation takes once it has a slot.
 *
 * @example
 * ```ts
 * const gpu: EngineLatency = { firstTokenMs: 40, perTokenMs: 2, tokens: 81 };
 * ```
 */
export interface EngineLatency {
  /** From the slot taken to the first token (prompt processing), in ms. */
  firstTokenMs: number;
  /** Each token after the first, in ms. */
  perTokenMs: number;
  /** Tokens every reply is counted as; default 1. */
  tokens?: number;
}

/**
 * The time a generation holds its slot under `latency`, in ms.
 *
 * @example
 * ```ts
 * generationMs({ firstTokenMs: 40, perTokenMs: 2, tokens: 11 }); // 60
 * ```
 */
export function generationMs(latency: EngineLatency): number {
  const tokens = Math.max(1, latency.tokens ?? 1);
  return Math.max(0, latency.firstTokenMs) +
    (tokens - 1) * Math.max(0, latency.perTokenMs);
}

/**
 * N slots with a first-come, first-served line for the requests beyond N.
 *
 * @example
 * ```ts
 * const slots = new EngineSlots(1);
 * const first = await slots.acquire();
 * const second = slots.acquire(); // waits for `first`
 * slots.busy; // 1
 * slots.waiting; // 1
 * first();
 * (await second)();
 * ```
 */
export class EngineSlots {
  #free: number;
  #line: (() => void)[] = [];
  #peak = 0;
  readonly #total: number;

  /** `slots` slots (at least 1). */
  constructor(slots: number) {
    this.#total = Math.max(1, Math.floor(slots));
    this.#free = this.#total;
  }

  /** Generations holding a slot now. */
  get busy(): number {
    return this.#total - this.#free;
  }

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.#line.length;
  }

  /** The most slots ever busy at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Resolves with the slot's release once a slot is free. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else {
      const turn = Promise.withResolvers<void>();
      this.#line.push(turn.resolve);
      await turn.promise; // the releaser hands its slot over
    }
    this.#peak = Math.max(this.#peak, this.busy);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#line.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
