// Issue 14, item 4, observed on the real llama-server: Github_easy o17683
// (a `$ref` to itself under `allOf`) segfaulted Debian's b11669 build. Under
// a supervisor that starts the engine again on the same port when it dies,
// a run of that schema among ordinary ones completes with exactly one
// result per case and no `infra_error`; when the build crashes on it, it
// is the only `engine_error`. What this build did is printed (engine builds
// change: the closing note reports it).
import assert from "node:assert/strict";
import {
  type LlamaServer,
  startLlamaServer,
} from "../../evaluators/targets/testing/llama_server.ts";
import { sharedPath } from "../../evaluators/testing/shared_dir.ts";
import { testApp } from "../testing/api.ts";
import { llamaDbTest } from "../testing/engines.ts";

const ORDINARY = 11;

async function o17683(): Promise<unknown> {
  const text = await Deno.readTextFile(
    sharedPath("datasets/jsonschemabench/Github_easy.jsonl"),
  );
  for (const line of text.split("\n")) {
    if (!line.includes('"o17683"')) continue;
    return JSON.parse(JSON.parse(line).json_schema);
  }
  throw new Error("Github_easy o17683 is not in the dataset");
}

llamaDbTest(
  "engine crash: Github_easy o17683 on the real llama-server, restarted when it dies, costs only its own case",
  async (database) => {
    const options = { slots: 4, ctxPerSlot: 2048 };
    let server: LlamaServer = await startLlamaServer(options);
    const port = server.port;
    const build = server.buildInfo;
    let crashes = 0;
    let stopping = false;
    const supervisor = (async () => {
      while (!stopping) {
        const status = await server.exited;
        if (stopping) return;
        crashes++;
        console.log(
          `llama-server exited (code ${status.code}, signal ${status.signal}); starting it again on port ${port}`,
        );
        server = await startLlamaServer({ ...options, port });
      }
    })();
    const { worker, call, finished } = testApp(database, {
      worker: { pollMs: 50, probeMs: 250, leaseMs: 30_000 },
    });
    worker.start();
    try {
      const suite = await call("POST", "/api/suites", {
        name: "o17683",
        cases: [
          ...Array.from({ length: ORDINARY }, (_, i) => ({
            key: `plain-${i}`,
            schema: {
              type: "object",
              properties: { n: { const: i } },
              required: ["n"],
              additionalProperties: false,
            },
          })),
          { key: "o17683", schema: await o17683() },
        ],
      });
      assert.equal(suite.status, 201, JSON.stringify(suite.json));
      const target = await call("POST", "/api/targets", {
        name: "tiny-supervised",
        kind: "llamacpp",
        base_url: server.url,
        mode: "json_schema",
        params: { max_tokens: 96 },
      });
      assert.equal(target.status, 201, JSON.stringify(target.json));
      const made = await call("POST", "/api/runs", {
        suite_id: suite.json.id,
        target_id: target.json.id,
      });
      assert.equal(made.status, 202, JSON.stringify(made.json));
      const run = await finished(made.json.id, 240_000);
      const page = await call("GET", `/api/runs/${run.id}/results?limit=100`);
      const items = page.json.items as {
        key: string;
        outcome: string;
        error_message: string | null;
      }[];
      const mine = items.find((r) => r.key === "o17683")!;
      console.log(
        `${build}: o17683 ${mine.outcome}${
          mine.error_message ? ` (${mine.error_message.slice(0, 160)})` : ""
        }; crashes ${crashes}; outcomes ${
          JSON.stringify(
            Object.fromEntries(
              Object.entries(run.progress.by_outcome).filter(([, n]) => n),
            ),
          )
        }`,
      );
      assert.equal(run.status, "done");
      assert.equal(items.length, ORDINARY + 1);
      assert.equal(new Set(items.map((r) => r.key)).size, ORDINARY + 1);
      assert.equal(run.progress.by_outcome.infra_error ?? 0, 0);
      const engineErrors = items.filter((r) => r.outcome === "engine_error");
      if (crashes > 0) {
        assert.deepEqual(engineErrors.map((r) => r.key), ["o17683"]);
      }
      for (const r of items) {
        if (r.key !== "o17683") assert.notEqual(r.outcome, "engine_error");
      }
    } finally {
      stopping = true;
      await worker.stop();
      await server.stop();
      await supervisor;
    }
  },
);
