/**
 * Runs that give the keyword matrix a cell in every state, on a live site
 * (through its API, as a user would): a suite of seven cases and a
 * provider stub that behaves like a strict structured-output API. One
 * target constrains (`json_schema`, `settings.adapt: "strict"`), one does
 * not (`prompt_only`). On the constraining one: `patternProperties` is
 * refused (HTTP 400 about the schema), `uniqueItems` is dropped by our
 * adapt step (adapted), half of the `minimum` answers break the minimum
 * (unsound), and the rest is valid (coverage). Used by the browser test
 * and the screenshots script.
 *
 * @example
 * ```ts
 * import { startMatrixRuns } from "./matrix_site.ts";
 * declare const url: string;
 * const matrix = await startMatrixRuns(url);
 * console.log(`${url}/keywords?suite=${matrix.suiteId}`);
 * await matrix.stop();
 * ```
 * @module
 */
import {
  chatStream,
  jsonError,
  startProviderStub,
} from "../../evaluators/targets/testing/provider_stub.ts";
import { ADMIN_HEADERS } from "../../server/testing/api.ts";

/** The finished runs and the stub they used. */
export interface MatrixRuns {
  suiteId: string;
  /** The constraining target's run, then the prompt_only one's. */
  runIds: [string, string];
  stop(): Promise<void>;
}

const NUMBER = {
  type: "object",
  properties: { a: { type: "integer", minimum: 0 } },
  required: ["a"],
};
const CASES = [
  ...["n1", "n2", "n3", "n4"].map((key) => ({ key, schema: NUMBER })),
  {
    key: "p1",
    schema: { type: "object", patternProperties: { "^x": { type: "string" } } },
  },
  {
    key: "u1",
    schema: {
      type: "object",
      properties: {
        tags: { type: "array", items: { type: "string" }, uniqueItems: true },
      },
      required: ["tags"],
    },
  },
  { key: "s1", schema: { type: "string", maxLength: 8 } },
];

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: ADMIN_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json() as { id?: string; status?: string };
  if (!res.ok) {
    throw new Error(
      `${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`,
    );
  }
  return json;
}

/**
 * Creates the suite, the stub and both targets, runs both to the end and
 * returns their ids.
 *
 * @example
 * ```ts
 * declare const url: string;
 * const { suiteId, runIds, stop } = await startMatrixRuns(url);
 * ```
 */
export async function startMatrixRuns(base: string): Promise<MatrixRuns> {
  // Per mode, so that the two runs (which overlap) cannot share the turns.
  const minimumAnswers = { constrained: 0, free: 0 };
  const stub = await startProviderStub((request) => {
    const body = request.body ?? {};
    const text = JSON.stringify(body);
    const constrained = "response_format" in body;
    if (constrained && text.includes("patternProperties")) {
      return jsonError(
        400,
        "Invalid schema for response_format: patternProperties is not permitted",
      );
    }
    if (text.includes("minimum")) {
      const turn = constrained
        ? minimumAnswers.constrained++
        : minimumAnswers.free++;
      return chatStream(turn % 2 === 0 ? '{"a": -1}' : '{"a": 1}');
    }
    if (text.includes("tags")) return chatStream('{"tags": ["a", "a"]}');
    if (text.includes("maxLength")) return chatStream('"short"');
    return chatStream("{}");
  });
  try {
    const suite = await call(base, "POST", "/api/suites", {
      name: "keyword-matrix",
      cases: CASES,
    });
    const runIds: string[] = [];
    for (const mode of ["json_schema", "prompt_only"]) {
      const target = await call(base, "POST", "/api/targets", {
        name: `stub-strict-${mode}`,
        kind: "openai",
        base_url: `${stub.url}/v1`,
        model: "stub-strict",
        mode,
        settings: { adapt: "strict" },
        max_concurrency: 1,
        params: { max_tokens: 32 },
      });
      const run = await call(base, "POST", "/api/runs", {
        suite_id: suite.id,
        target_id: target.id,
        public: true,
        options: { retries: 0, concurrency: 1 },
      });
      runIds.push(run.id!);
    }
    const deadline = Date.now() + 60_000;
    for (const id of runIds) {
      for (;;) {
        const run = await call(base, "GET", `/api/runs/${id}`);
        if (run.status === "done") break;
        if (run.status !== "queued" && run.status !== "running") {
          throw new Error(`matrix run ${id} ended ${run.status}`);
        }
        if (Date.now() > deadline) throw new Error(`matrix run ${id} too slow`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return {
      suiteId: suite.id!,
      runIds: [runIds[0], runIds[1]],
      stop: () => stub.stop(),
    };
  } catch (error) {
    await stub.stop();
    throw error;
  }
}
