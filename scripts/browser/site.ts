/**
 * A whole site for browser checks and screenshots, seeded by real runs: a
 * local llama-server (the tiny random-weight model), a fresh in-memory
 * PGlite, the app with its queue worker, served over HTTP on a free port
 * of 127.0.0.1. Through the HTTP API it stores the built-in smoke suite
 * and runs it, public, on two llama-server targets (`json_schema` and
 * `prompt_only`, small `max_tokens`), plus a short run on a provider stub
 * (an `openai` target pointed at `evaluators/targets/testing/provider_stub.ts`) whose answers
 * are hostile markup: the first case gets {@link HOSTILE_OUTPUT} as its
 * raw output (not JSON), the second a JSON object holding the same strings
 * (so both the raw and the pretty-printed paths of the case page carry it).
 *
 * @example
 * ```ts
 * import { browserSkipReason, startSeededSite } from "./site.ts";
 * if (!await browserSkipReason()) {
 *   const site = await startSeededSite();
 *   console.log(site.url, site.runs.schema.id);
 *   await site.stop();
 * }
 * ```
 * @module
 */
import { BUILTIN_DIR, readBuiltinSuite } from "../../server/suites/builtin.ts";
import { openServices, serve } from "../../server/boot.ts";
import { ADMIN_HEADERS, testEnv } from "../../server/testing/api.ts";
import { isActive } from "../../server/runs/status.ts";
import { CHROMIUM_PATH } from "./chromium.ts";
import {
  llamaServerPaths,
  startLlamaServer,
} from "../../evaluators/targets/testing/llama_server.ts";
import {
  chatStream,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";

/**
 * The hostile model output: it must reach the page as text, never as markup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * declare const pageText: string; // what a case page shows as text
 * assert.ok(pageText.includes(HOSTILE_OUTPUT));
 * ```
 */
export const HOSTILE_OUTPUT =
  `<script>alert(1)</script> "><img src=x onerror=alert(1)>`;

/**
 * The JSON answer of the stub's second case: the same strings inside an
 * object, so the case page shows them pretty-printed.
 *
 * @example
 * ```ts
 * JSON.parse(HOSTILE_JSON).name; // "<script>alert(1)</script>"
 * ```
 */
export const HOSTILE_JSON = JSON.stringify({
  name: "<script>alert(1)</script>",
  note: `"><img src=x onerror=alert(1)>`,
});

/**
 * One seeded run, as the API reported it when it was done.
 *
 * @example
 * ```ts
 * declare const site: SeededSite;
 * const run: SeededRun = site.runs.prompt;
 * console.log(run.targetName, run.mode, run.byOutcome);
 * ```
 */
export interface SeededRun {
  id: string;
  targetId: string;
  targetName: string;
  kind: string;
  mode: string;
  /** Cases per outcome. */
  byOutcome: Record<string, number>;
}

/**
 * The running, seeded site.
 *
 * @example
 * ```ts
 * const site: SeededSite = await startSeededSite();
 * await fetch(`${site.url}/`);
 * await site.stop();
 * ```
 */
export interface SeededSite {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  suiteId: string;
  runs: { schema: SeededRun; prompt: SeededRun; hostile: SeededRun };
  /** The stub run's case keys: raw hostile text, and hostile JSON. */
  hostileKeys: { raw: string; json: string };
  /** The llama-server's build, as the engine described itself. */
  llamaBuild: string;
  /** How long starting and seeding took, in milliseconds. */
  seedMs: number;
  /** Stops the HTTP server, the worker, the engines, the database. */
  stop(): Promise<void>;
}

/**
 * Options of {@link startSeededSite}.
 *
 * @example
 * ```ts
 * const options: SeededSiteOptions = { maxTokens: 64, log: console.log };
 * ```
 */
export interface SeededSiteOptions {
  /** `max_tokens` of the llama-server runs; default 64. */
  maxTokens?: number;
  /** Cases of the smoke suite per llama-server run; default all of them. */
  limit?: number;
  /** Progress lines; default none. */
  log?: (line: string) => void;
}

/**
 * Why the browser checks cannot run here, or null when they can: Debian's
 * Chromium and the extracted llama-server must both be present.
 *
 * @example
 * ```ts
 * const reason = await browserSkipReason();
 * if (reason) console.log(`skipped: ${reason}`);
 * ```
 */
export async function browserSkipReason(): Promise<string | null> {
  try {
    await Deno.stat(CHROMIUM_PATH);
  } catch {
    return `${CHROMIUM_PATH} is missing (apt-get install chromium)`;
  }
  if (!await llamaServerPaths()) {
    return "llama-server is not set up (bash scripts/dev/setup_llama_server.sh)";
  }
  return null;
}

const RUN_TIMEOUT_MS = 240_000;

/** The fields read here of what the API answers. */
interface ApiJson {
  id: string;
  status: string;
  progress: { by_outcome: Record<string, number> };
  items: { key: string; raw_output: string | null }[];
}

interface ApiReply {
  status: number;
  json: ApiJson;
}

async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiReply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: ADMIN_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: ApiJson;
  try {
    json = JSON.parse(text) as ApiJson;
  } catch {
    throw new Error(`${method} ${path}: HTTP ${res.status}, not JSON: ${text}`);
  }
  return { status: res.status, json };
}

async function expectCreated(
  reply: Promise<ApiReply>,
  what: string,
): Promise<ApiJson> {
  const { status, json } = await reply;
  if (status !== 200 && status !== 201 && status !== 202) {
    throw new Error(`${what}: HTTP ${status} ${JSON.stringify(json)}`);
  }
  return json;
}

async function waitDone(base: string, id: string): Promise<ApiJson> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const { json } = await api(base, "GET", `/api/runs/${id}`);
    if (json.status === "done") return json;
    if (!isActive(json.status)) {
      throw new Error(
        `run ${id} ended ${json.status}: ${JSON.stringify(json)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `run ${id} still ${json.status} after ${RUN_TIMEOUT_MS} ms: ${
          JSON.stringify(json.progress)
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts everything and seeds it (about ten seconds with the tiny model).
 * Throws, having stopped what it started, when any step fails.
 *
 * @example
 * ```ts
 * const site = await startSeededSite({ maxTokens: 64 });
 * try {
 *   console.log(`${site.url}/runs/${site.runs.schema.id}`);
 * } finally {
 *   await site.stop();
 * }
 * ```
 */
export async function startSeededSite(
  options: SeededSiteOptions = {},
): Promise<SeededSite> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error) => log(`cleanup failed: ${error}`));
    }
  };
  try {
    const llama = await startLlamaServer({ slots: 4, ctxPerSlot: 4096 });
    cleanups.push(() => llama.stop());
    log(`llama-server ${llama.buildInfo} at ${llama.url}`);

    let stubCalls = 0;
    const stub = await startProviderStub(() =>
      chatStream(stubCalls++ % 2 === 0 ? HOSTILE_OUTPUT : HOSTILE_JSON)
    );
    cleanups.push(() => stub.stop());

    const services = await openServices(testEnv(), {
      database: { memory: true },
      worker: {
        options: {
          workerId: `browser-${crypto.randomUUID()}`,
          pollMs: 50,
          leaseMs: 30_000,
        },
      },
      scheduler: false,
      log: () => {},
    });
    const listening = await serve(services, {
      hostname: "127.0.0.1",
      port: 0,
      quiet: true,
    });
    cleanups.push(() => listening.stop());
    const url = listening.url;
    log(`server at ${url}`);

    // Every run is a whole run of its suite, so that it is a board row (a
    // run with a case limit is partial): the llama-server runs get the
    // smoke suite (its first `limit` cases when asked), the stub its first
    // two cases as a suite of their own.
    const smoke = await readBuiltinSuite(`${BUILTIN_DIR}/smoke`);
    const suite = await expectCreated(
      api(url, "POST", "/api/suites", {
        ...smoke,
        cases: smoke.cases.slice(0, options.limit ?? smoke.cases.length),
      }),
      "store the smoke suite",
    );
    const stubSuite = await expectCreated(
      api(url, "POST", "/api/suites", {
        ...smoke,
        name: "smoke-hostile",
        cases: smoke.cases.slice(0, 2),
      }),
      "store the hostile stub's suite",
    );
    const maxTokens = options.maxTokens ?? 64;
    const targets = [
      {
        name: "tiny-llama-schema",
        kind: "llamacpp",
        base_url: llama.url,
        mode: "json_schema",
        hardware: "CPU, 1 thread",
        params: { max_tokens: maxTokens, temperature: 0 },
      },
      {
        name: "tiny-llama-prompt",
        kind: "llamacpp",
        base_url: llama.url,
        mode: "prompt_only",
        hardware: "CPU, 1 thread",
        params: { max_tokens: maxTokens, temperature: 0 },
      },
      {
        name: "stub-hostile",
        kind: "openai",
        base_url: `${stub.url}/v1`,
        model: "stub-model",
        mode: "prompt_only",
        params: { max_tokens: maxTokens },
      },
    ];
    const runIds: string[] = [];
    const targetIds: string[] = [];
    for (const [i, target] of targets.entries()) {
      const created = await expectCreated(
        api(url, "POST", "/api/targets", target),
        `create target ${target.name}`,
      );
      targetIds.push(created.id);
      const run = await expectCreated(
        api(url, "POST", "/api/runs", {
          suite_id: i === 2 ? stubSuite.id : suite.id,
          target_id: created.id,
          public: true,
          options: { retries: 1 },
        }),
        `start a run on ${target.name}`,
      );
      runIds.push(run.id);
    }
    const done = await Promise.all(runIds.map((id) => waitDone(url, id)));
    const seeded = done.map((run, i): SeededRun => {
      log(
        `run ${run.id} on ${targets[i].name}: ${
          JSON.stringify(run.progress.by_outcome)
        }`,
      );
      return {
        id: run.id,
        targetId: targetIds[i],
        targetName: targets[i].name,
        kind: targets[i].kind,
        mode: targets[i].mode,
        byOutcome: run.progress.by_outcome,
      };
    });
    const hostileResults = await api(
      url,
      "GET",
      `/api/runs/${seeded[2].id}/results?limit=10`,
    );
    const keyOf = (raw: string): string => {
      const hit = hostileResults.json.items.find((r) => r.raw_output === raw);
      if (!hit) {
        throw new Error(
          `the stub run has no result with raw output ${raw}: ${
            JSON.stringify(hostileResults.json.items)
          }`,
        );
      }
      return hit.key;
    };
    return {
      url,
      suiteId: suite.id,
      runs: { schema: seeded[0], prompt: seeded[1], hostile: seeded[2] },
      hostileKeys: { raw: keyOf(HOSTILE_OUTPUT), json: keyOf(HOSTILE_JSON) },
      llamaBuild: llama.buildInfo,
      seedMs: Date.now() - started,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
