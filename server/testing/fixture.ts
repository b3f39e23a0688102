/**
 * The pages' test board: two suites, five targets and their runs, made with
 * the seeders of `seed.ts`, and the hostile text that must come back
 * escaped.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import { SCRIPT, seedFixture } from "./fixture.ts";
 * declare const database: Database;
 * const fixture = await seedFixture(database);
 * console.log(fixture.alpha.name, SCRIPT);
 * ```
 * @module
 */
import type { Database } from "../db/client.ts";
import type { RunRow } from "../db/queries/runs.ts";
import type { SuiteRow } from "../db/queries/suites.ts";
import type { TargetRow } from "../db/queries/targets.ts";
import { type SeedResult, seedRun, seedSuite, seedTarget } from "./seed.ts";

/** What {@link seedFixture} made, by name. */
export interface Fixture {
  alpha: SuiteRow;
  beta: SuiteRow;
  targets: Record<
    "fast" | "gpt" | "prompt" | "hidden" | "secret",
    TargetRow
  >;
  runs: Record<
    | "fastOld"
    | "fastNew"
    | "fastBeta"
    | "gpt"
    | "prompt"
    | "hiddenOld"
    | "hiddenNew"
    | "secret"
    | "running",
    RunRow
  >;
}

/**
 * Model output and schema text that must come back escaped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SCRIPT } from "./fixture.ts";
 * declare const html: string;
 * assert.ok(html.includes("&lt;script&gt;") && !html.includes(SCRIPT));
 * ```
 */
export const SCRIPT = "<script>alert(1)</script>";

/**
 * A small board: suite `alpha` (4 cases, subsets A and B) and `beta`
 * (2 cases); targets `fast-llama` (llamacpp, two runs on alpha, the build
 * changed), `gpt-x` (openai, a quality column), `prompt-llama`
 * (prompt_only), `hidden-llama` (its newer run hidden), `secret` (only a
 * private run); a running run of gpt-x on beta.
 *
 * On alpha: empirical coverage fast 1.0, gpt 0.75, hidden 0.5, prompt
 * 0.25; TTFT p50 prompt 2, fast 5, hidden 20, gpt 50 ms.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * import { seedFixture } from "./fixture.ts";
 * declare const database: Database;
 * const fixture = await seedFixture(database);
 * console.log(fixture.runs.fastNew.id);
 * ```
 */
export async function seedFixture(database: Database): Promise<Fixture> {
  const alpha = await seedSuite(database, "alpha", [
    {
      key: "k1",
      subset: "A",
      schema: {
        type: "object",
        description: SCRIPT,
        properties: { name: { type: "string" } },
        required: ["name"],
      },
    },
    { key: "k2", subset: "A", schema: { type: "string", pattern: "^a" } },
    { key: "nested/k3", subset: "B", schema: { type: "integer" } },
    { key: "k4", subset: "B", schema: { type: "array", items: {} } },
  ]);
  const beta = await seedSuite(database, "beta", [
    { key: "b1", schema: { type: "boolean" } },
    { key: "b2", schema: { type: "null" } },
  ]);
  const targets = {
    fast: await seedTarget(database, { name: "fast-llama", model: "m1" }),
    gpt: await seedTarget(database, {
      name: "gpt-x",
      kind: "openai",
      model: "gpt-x",
    }),
    prompt: await seedTarget(database, {
      name: "prompt-llama",
      mode: "prompt_only",
    }),
    hidden: await seedTarget(database, { name: "hidden-llama" }),
    secret: await seedTarget(database, { name: "secret" }),
  };
  const day = (n: number) => new Date(Date.UTC(2025, 0, n));
  const timings = (ttftMs: number, tpotMs: number, costUsd = 0) => ({
    latencyMs: ttftMs * 10,
    ttftMs,
    tpotMs,
    costUsd,
    promptTokens: 100,
    completionTokens: 10,
  });
  const validUntil =
    (count: number, ttft: number, tpot: number) =>
    (_key: string, i: number): SeedResult =>
      i < count
        ? {
          outcome: "valid",
          rawOutput: '{"name": "a"}',
          ...timings(ttft, tpot),
        }
        : { outcome: "invalid_json", rawOutput: "{", ...timings(ttft, tpot) };
  const runs = {
    fastOld: await seedRun(database, {
      suite: alpha,
      target: targets.fast,
      finishedAt: day(1),
      results: validUntil(2, 5, 1),
    }),
    fastNew: await seedRun(database, {
      suite: alpha,
      target: targets.fast,
      finishedAt: day(2),
      engine: { engine: "llama.cpp", version: "b2", model: "tiny.gguf" },
      flags: ["engine_build_changed"],
      results: validUntil(4, 5, 1),
    }),
    fastBeta: await seedRun(database, {
      suite: beta,
      target: targets.fast,
      finishedAt: day(2),
      results: validUntil(2, 5, 1),
    }),
    gpt: await seedRun(database, {
      suite: alpha,
      target: targets.gpt,
      finishedAt: day(3),
      engine: { engine: "openai", model: "gpt-x-2025" },
      results: (key, i) =>
        key === "k1"
          ? {
            outcome: "schema_violation",
            rawOutput: JSON.stringify({ name: SCRIPT, extra: 1 }),
            errors: [{
              keyword: "type",
              instance_path: "/name",
              schema_path: "#/properties/name/type",
              message: "must be string",
            }],
            failingKeywords: ["type"],
            correct: false,
            sentSchema: { type: "object", properties: {} },
            ...timings(50, 3, 0.001),
          }
          : {
            outcome: "valid",
            rawOutput: i === 1 ? '"abc"' : "1",
            correct: true,
            ...timings(50, 3, 0.001),
          },
    }),
    prompt: await seedRun(database, {
      suite: alpha,
      target: targets.prompt,
      finishedAt: day(4),
      results: (_key, i) =>
        i === 0
          ? { outcome: "valid", rawOutput: "{}", ...timings(2, 5) }
          : i === 3
          ? { outcome: "truncated", rawOutput: SCRIPT, ...timings(2, 5) }
          : { outcome: "invalid_json", rawOutput: SCRIPT, ...timings(2, 5) },
    }),
    hiddenOld: await seedRun(database, {
      suite: alpha,
      target: targets.hidden,
      finishedAt: day(1),
      results: validUntil(2, 20, 2),
    }),
    hiddenNew: await seedRun(database, {
      suite: alpha,
      target: targets.hidden,
      finishedAt: day(5),
      hidden: true,
      results: validUntil(4, 20, 2),
    }),
    secret: await seedRun(database, {
      suite: alpha,
      target: targets.secret,
      finishedAt: day(5),
      public: false,
      results: validUntil(4, 1, 1),
    }),
    running: await seedRun(database, {
      suite: beta,
      target: targets.gpt,
      results: (_key, i) =>
        i === 0
          ? { outcome: "valid", rawOutput: "true", ...timings(9, 9) }
          : null,
    }),
  };
  return { alpha, beta, targets, runs };
}
