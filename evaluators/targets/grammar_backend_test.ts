// Which grammar backend a server used: SGLang says it in its server info,
// and the engine description records it.
import assert from "node:assert/strict";
import { startProviderStub } from "./testing/provider_stub.ts";
import { createTarget } from "./registry.ts";

Deno.test("openai-compatible sglang: the grammar backend of /get_server_info is in the engine description", async () => {
  const stub = await startProviderStub((request) =>
    request.path === "/get_server_info"
      ? Response.json({ grammar_backend: "xgrammar", model_path: "m" })
      : new Response("no", { status: 404 })
  );
  try {
    const target = createTarget({
      name: "sglang",
      kind: "openai-compatible",
      baseUrl: `${stub.url}/v1`,
      model: "stub-model",
      mode: "json_schema",
      settings: { flavour: "sglang" },
      params: {},
      apiKeyEnv: null,
    }, () => undefined);
    const described = await target.describe();
    assert.equal(described.grammar_backend, "xgrammar");
  } finally {
    await stub.stop();
  }
});
