// The anthropic and ollama kinds through the whole server (HTTP API,
// worker, database) against local stubs in their native formats: the
// built-in smoke suite ends with exactly one result per case, nothing lost
// to infrastructure, the engine described as each API describes itself,
// and the reasoning setting kept with the run.
import assert from "node:assert/strict";
import {
  startProviderStub,
  type StubRequest,
} from "../../evaluators/targets/testing/provider_stub.ts";
import {
  anthropicStream,
  ollamaStream,
} from "../../evaluators/targets/testing/native_replies.ts";
import { BUILTIN_DIR, readBuiltinSuite } from "../suites/builtin.ts";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";
import { secretReader } from "../auth/secrets.ts";

/** A JSON answer of the schema's type (`{}` for objects). */
function answerFor(request: StubRequest): string {
  const format =
    (request.body?.output_config as { format?: { schema?: unknown } })
      ?.format?.schema ?? request.body?.format;
  const type = (format as { type?: unknown } | undefined)?.type;
  return type === "array" ? "[]" : type === "string" ? '"x"' : "{}";
}

for (
  const [kind, reply] of [
    [
      "anthropic",
      (r: StubRequest) => anthropicStream(answerFor(r), { thinking: "ok" }),
    ],
    ["ollama", (r: StubRequest) => ollamaStream(answerFor(r))],
  ] as const
) {
  dbTest(
    `${kind}: the smoke suite through the server against a stub of its API`,
    async (database) => {
      const stub = await startProviderStub((request) => reply(request));
      const { call, worker, finished } = testApp(database, {
        worker: (config) => ({
          pollMs: 20,
          secret: secretReader(
            config.secretAllowlist,
            (
              name,
            ) => (name === "ANTHROPIC_API_KEY" ? "sk-ant-stub" : undefined),
          ),
        }),
      });
      worker.start();
      try {
        const smoke = await readBuiltinSuite(`${BUILTIN_DIR}/smoke`);
        const suite = await call("POST", "/api/suites", smoke);
        assert.equal(suite.status, 201, JSON.stringify(suite.json));
        const target = await call("POST", "/api/targets", {
          name: `${kind} stub`,
          kind,
          base_url: stub.url,
          model: "stub-model",
          mode: "json_schema",
          settings: { reasoning: "on" },
          ...(kind === "anthropic" ? { api_key_env: "ANTHROPIC_API_KEY" } : {}),
        });
        assert.equal(target.status, 201, JSON.stringify(target.json));
        const made = await call("POST", "/api/runs", {
          suite_id: suite.json.id,
          target_id: target.json.id,
        });
        assert.equal(made.status, 202, JSON.stringify(made.json));
        const run = await finished(made.json.id, 120_000);
        assert.equal(run.status, "done", JSON.stringify(run.progress));
        const counts = run.progress.by_outcome as Record<string, number>;
        assert.equal(run.progress.done, smoke.cases.length);
        assert.equal(counts.infra_error, 0);
        assert.equal(counts.skipped, 0);
        // Every answer reached the validator (the stub's JSON is not meant
        // to satisfy the schemas, only to be judged).
        assert.equal(
          counts.valid + counts.schema_violation + counts.invalid_schema,
          smoke.cases.length,
          JSON.stringify(counts),
        );
        assert.equal(run.engine.engine, kind);
        assert.equal(run.engine.reasoning, "on");
        if (kind === "ollama") {
          assert.equal(run.engine.digest, "sha256:stub0digest");
        } else {
          assert.deepEqual(run.engine.models_listed, ["stub-model"]);
        }
        const chats = stub.requests.filter((r) =>
          r.method === "POST" &&
          (r.path === "/v1/messages" || r.path === "/api/chat")
        );
        assert.equal(chats.length, smoke.cases.length);
      } finally {
        await worker.stop();
        await stub.stop();
      }
    },
  );
}
