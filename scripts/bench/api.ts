/**
 * The HTTP calls `deno task bench` and the load test make to the server,
 * always with the bench's bearer token: create suites and targets, start a
 * run and wait for it to end (polling the cheap run list, not the full
 * report, so the waiting costs the server next to nothing).
 *
 * @example
 * ```ts
 * import { BenchClient } from "./api.ts";
 * import { BENCH_TOKEN } from "./proc.ts";
 * import type { BenchServer } from "./proc.ts";
 * declare const cases: unknown[];
 * declare const server: BenchServer;
 * declare const target_id: string;
 * const api = new BenchClient(server.url, BENCH_TOKEN);
 * const suite = await api.post("/api/suites", { name: "s", cases });
 * const run = await api.runToEnd({ suite_id: suite.id as string, target_id });
 * ```
 * @module
 */

/**
 * An answer outside 2xx.
 *
 * @example
 * ```ts
 * import type { BenchClient } from "./api.ts";
 * declare const api: BenchClient;
 * try { await api.post("/api/runs", {}); } catch (e) { if (e instanceof BenchApiError) e.status; }
 * ```
 */
export class BenchApiError extends Error {
  /** @param status the HTTP status @param body the answer's text */
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
    this.name = "BenchApiError";
  }
}

/**
 * A JSON object as the API returns it.
 *
 * @example
 * ```ts
 * import type { BenchClient } from "./api.ts";
 * declare const api: BenchClient;
 * const run: Json = await api.get("/api/runs/…");
 * ```
 */
export type Json = Record<string, unknown>;

/**
 * A run that ended, with the wall time from its creation request to the
 * poll that saw it end.
 *
 * @example
 * ```ts
 * import type { BenchClient } from "./api.ts";
 * declare const api: BenchClient;
 * declare const suite_id: string;
 * declare const target_id: string;
 * const { run, wallMs } = await api.runToEnd({ suite_id, target_id });
 * ```
 */
export interface FinishedRun {
  run: Json;
  wallMs: number;
}

const ENDED = new Set(["done", "failed", "cancelled", "budget_exceeded"]);

/**
 * A small client of the server's API.
 *
 * @example
 * ```ts
 * declare const token: string;
 * const api = new BenchClient("http://127.0.0.1:8000", token);
 * await api.get("/api/health");
 * ```
 */
export class BenchClient {
  /** @param url the server's root @param token the bearer token */
  constructor(readonly url: string, readonly token: string) {}

  /** The headers every request sends. */
  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  /** Sends a request; returns the parsed JSON answer or throws {@link BenchApiError}. */
  async request(
    method: string,
    path: string,
    body?: BodyInit,
    contentType = "application/json",
  ): Promise<Json> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...this.headers, "content-type": contentType },
      body,
    });
    const text = await res.text();
    if (!res.ok) throw new BenchApiError(res.status, text, `${method} ${path}`);
    return JSON.parse(text) as Json;
  }

  /** `GET path`. */
  get(path: string): Promise<Json> {
    return this.request("GET", path);
  }

  /** `POST path` with a JSON body. */
  post(path: string, body: unknown): Promise<Json> {
    return this.request("POST", path, JSON.stringify(body));
  }

  /** A `llamacpp` target in `json_schema` mode on the chat endpoint. */
  async target(name: string, baseUrl: string): Promise<string> {
    const row = await this.post("/api/targets", {
      name,
      kind: "llamacpp",
      base_url: baseUrl,
      mode: "json_schema",
      settings: { endpoint: "chat" },
    });
    return row.id as string;
  }

  /**
   * Stores `suite`, a `llamacpp` target named `name` on `baseUrl` (with
   * generation `params`), and starts a public run of the one on the other;
   * the run as created.
   *
   * @example
   * ```ts
   * import type { BenchClient } from "./api.ts";
   * declare const api: BenchClient;
   * declare const suite: unknown;
   * const run = await api.publicRun(suite, "load llama", "http://127.0.0.1:8080", { max_tokens: 64 });
   * console.log(run.id);
   * ```
   */
  async publicRun(
    suite: unknown,
    name: string,
    baseUrl: string,
    params: Json = {},
  ): Promise<Json> {
    const stored = await this.post("/api/suites", suite);
    const target = await this.post("/api/targets", {
      name,
      kind: "llamacpp",
      base_url: baseUrl,
      mode: "json_schema",
      params,
    });
    return await this.post("/api/runs", {
      suite_id: stored.id,
      target_id: target.id,
      public: true,
    });
  }

  /**
   * Creates a run and polls the run list every `pollMs` until it ends. The
   * wall time runs from just before the creation request to the run's own
   * `finished_at` (the server shares this machine's clock), so a slow poll
   * costs no precision, and little of the server's time.
   *
   * @example
   * ```ts
   * import type { BenchClient } from "./api.ts";
   * declare const api: BenchClient;
   * declare const suite_id: string;
   * declare const target_id: string;
   * const { wallMs } = await api.runToEnd({ suite_id, target_id, options: { max_tokens: 256 } });
   * ```
   */
  async runToEnd(
    body: { suite_id: string; target_id: string; options?: Json },
    pollMs = 250,
    onPoll?: () => Promise<void>,
  ): Promise<FinishedRun> {
    const startedAt = Date.now();
    const started = performance.now();
    const created = await this.post("/api/runs", body);
    const id = created.id as string;
    const query =
      `/api/runs?suite_id=${body.suite_id}&target_id=${body.target_id}&limit=5`;
    for (;;) {
      await new Promise((r) => setTimeout(r, pollMs));
      await onPoll?.();
      const list = await this.get(query);
      const run = (list.items as Json[]).find((r) => r.id === id);
      if (run && ENDED.has(run.status as string)) {
        const finished = Date.parse(String(run.finished_at));
        const wallMs = Number.isFinite(finished)
          ? finished - startedAt
          : performance.now() - started;
        return { run, wallMs };
      }
    }
  }
}
