import assert from "node:assert/strict";
import { join } from "node:path";
import { dbTest } from "../../server/testing/database.ts";
import { testApp, testEnv } from "../../server/testing/api.ts";
import type { Backend } from "./backend.ts";
import { checkConfig, ConfigError } from "./config.ts";
import { resolveSuites } from "./config_suites.ts";
import { resolveTargets } from "./config_targets.ts";

/** The API calls of the real app, as the embedded backend makes them. */
function apiBackend(call: Backend["call"]): Backend {
  const unused = () => Promise.reject(new Error("not used by the lookups"));
  return {
    label: "the test app",
    embedded: true,
    reportBase: "http://127.0.0.1:8000",
    call,
    createRun: unused,
    follow: unused,
    progress: unused,
    stop: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

dbTest(
  "config suites: by name, from a file and from the importers, stored once; config targets created, reused, refused when they differ",
  async (database) => {
    const { call } = testApp(database);
    const backend = apiBackend((method, path, body) =>
      call(method, path, body)
    );
    const dir = await Deno.makeTempDir({ prefix: "config_suites_" });
    try {
      await call("POST", "/api/suites", {
        name: "stored",
        cases: [{ key: "a", schema: { type: "object" } }],
      });
      await Deno.writeTextFile(
        join(dir, "mine.json"),
        JSON.stringify({
          name: "mine",
          cases: [{ key: "a", schema: { type: "string" } }],
        }),
      );
      await Deno.mkdir(join(dir, "jsb"));
      await Deno.writeTextFile(
        join(dir, "jsb", "Tiny.jsonl"),
        [1, 2, 3].map((n) =>
          JSON.stringify({
            unique_id: `t${n}`,
            json_schema: JSON.stringify({ type: "integer", maximum: n }),
          })
        ).join("\n"),
      );
      const config = checkConfig(
        {
          suites: [
            { name: "stored" },
            { file: "mine.json" },
            { import: "jsonschemabench:Tiny", from: "jsb", limit: 2 },
            { import: "quality", seed: 3, per_family: 1 },
          ],
          targets: [{ name: "t" }],
        },
        "evalserver.json",
        dir,
      );
      const env = testEnv();
      const suites = await resolveSuites(backend, config.suites, env);
      const got = [...suites].map((
        [label, s],
      ) => [label, s.name, s.case_count]);
      assert.deepEqual(got, [
        ["stored", "stored", 1],
        ["mine.json", "mine", 1],
        ["jsonschemabench:Tiny", "jsonschemabench/Tiny", 2],
        ["quality", "quality/seed-3/n-1", 3],
      ]);
      // Again: the same suites, found by their content, not new versions.
      const again = await resolveSuites(backend, config.suites, env);
      assert.deepEqual(
        [...again.values()].map((s) => [s.id, s.version]),
        [...suites.values()].map((s) => [s.id, s.version]),
      );

      await Deno.writeTextFile(
        join(dir, "bad.json"),
        JSON.stringify({ name: "bad", cases: [] }),
      );
      const bad = checkConfig(
        {
          suites: [{ file: "bad.json" }],
          targets: [{ name: "t" }],
        },
        "evalserver.json",
        dir,
      );
      await assert.rejects(
        resolveSuites(backend, bad.suites, env),
        (e) =>
          e instanceof ConfigError &&
          e.message.startsWith('suite "bad.json": '),
      );

      const body = {
        name: "tiny",
        kind: "llamacpp",
        base_url: "http://127.0.0.1:9",
        mode: "json_schema",
      };
      const targets = checkConfig(
        {
          suites: [{ name: "stored" }],
          targets: [body],
        },
        "evalserver.json",
        dir,
      ).targets;
      const made = await resolveTargets(backend, targets);
      const reused = await resolveTargets(backend, [
        { name: "tiny", body: { ...body, base_url: "http://127.0.0.1:9/" } },
      ]);
      assert.equal(reused.get("tiny")?.id, made.get("tiny")?.id);
      await assert.rejects(
        resolveTargets(backend, [
          { name: "tiny", body: { ...body, mode: "prompt_only" } },
        ]),
        (e) =>
          e instanceof ConfigError &&
          e.message ===
            'target "tiny": a stored target has that name and another mode ("json_schema"); give this one another name',
      );
      await assert.rejects(
        resolveTargets(backend, [{ name: "nobody" }]),
        (e) =>
          e instanceof ConfigError &&
          /no stored target has that name/.test(e.message),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
