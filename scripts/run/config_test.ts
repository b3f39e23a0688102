import assert from "node:assert/strict";
import { join } from "node:path";
import { checkConfig, ConfigError, loadConfig } from "./config.ts";
import { cli, withDataDir } from "./cli_testing.ts";

const TARGET = {
  name: "tiny",
  kind: "llamacpp",
  base_url: "http://127.0.0.1:8080",
  mode: "json_schema",
};

/** The message `checkConfig` refuses `json` with. */
function refusal(json: unknown): string {
  try {
    checkConfig(json, "evalserver.json", "/config");
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  assert.fail("the config was accepted");
}

Deno.test("checkConfig: the matrix is suites x targets, with the options and thresholds that apply", () => {
  const config = checkConfig(
    {
      suites: [{ name: "smoke" }, { import: "quality", seed: 2 }],
      targets: [TARGET, {
        ...TARGET,
        name: "tiny prompt",
        mode: "prompt_only",
      }],
      options: { limit: 5, max_tokens: 64 },
      public: true,
      thresholds: { min_compliance: 0.5, max_infra_error_rate: 0.1 },
      target_thresholds: { tiny: { min_compliance: 0.9 } },
    },
    "evalserver.json",
    "/config",
  );
  assert.deepEqual(config.cells.map((c) => c.key), [
    "smoke | tiny",
    "smoke | tiny prompt",
    "quality | tiny",
    "quality | tiny prompt",
  ]);
  assert.deepEqual(config.cells[0].options, { limit: 5, max_tokens: 64 });
  assert.equal(config.cells[0].public, true);
  // The target's own threshold replaces the run-wide one of that name.
  const limits = (i: number) =>
    Object.fromEntries(
      config.cells[i].thresholds.map((t) => [t.name, t.limit]),
    );
  assert.deepEqual(limits(0), {
    min_compliance: 0.9,
    max_infra_error_rate: 0.1,
  });
  assert.deepEqual(limits(1), {
    min_compliance: 0.5,
    max_infra_error_rate: 0.1,
  });
  // A stored target by name carries no body; a full one is a POST body.
  assert.equal(config.targets[0].body?.kind, "llamacpp");

  const entries = checkConfig(
    {
      suites: [{ file: "suites/mine.json" }, { name: "smoke" }],
      targets: [{ name: "stored" }, TARGET],
      options: { max_tokens: 64 },
      matrix: [
        { suites: ["smoke"], targets: ["stored"] },
        { suites: ["suites/mine.json"], options: { limit: 3 }, public: true },
      ],
    },
    "evalserver.json",
    "/config",
  );
  assert.equal(entries.suites[0].file, join("/config", "suites/mine.json"));
  assert.equal(entries.targets[0].body, undefined);
  assert.deepEqual(entries.cells.map((c) => [c.suite, c.target, c.public]), [
    ["smoke", "stored", false],
    ["suites/mine.json", "stored", true],
    ["suites/mine.json", "tiny", true],
  ]);
  assert.deepEqual(entries.cells[2].options, { max_tokens: 64, limit: 3 });
});

Deno.test("checkConfig: each mistake is one line naming its place", () => {
  const base = { suites: [{ name: "smoke" }], targets: [TARGET] };
  assert.match(
    refusal({ ...base, targets: [{ ...TARGET, mode: "free" }] }),
    /^evalserver\.json: \/targets\/0\/mode must be one of "json_schema", "json_object", "prompt_only"$/,
  );
  assert.equal(
    refusal({ suites: [{ name: "smoke" }] }),
    "evalserver.json: /targets is required",
  );
  assert.equal(
    refusal({ ...base, suites: [{ name: "smoke", file: "x.json" }] }),
    "evalserver.json: /suites/0 needs exactly one of name, file or import (it has name, file)",
  );
  assert.equal(
    refusal({ ...base, options: { limit: 0 } }),
    "evalserver.json: /options/limit must be >= 1",
  );
  assert.equal(
    refusal({ ...base, colour: "blue" }),
    "evalserver.json: /colour is not an accepted field",
  );
  assert.match(
    refusal({ ...base, thresholds: { min_coverage: 0.5 } }),
    /^evalserver\.json: \/thresholds\/min_coverage is not a threshold \(thresholds: min_empirical_coverage, min_empirical_coverage_lower, .*max_infra_error_rate\)$/,
  );
  assert.equal(
    refusal({ ...base, matrix: [{ targets: ["tiny", "big"] }] }),
    'evalserver.json: /matrix/0/targets/1: no target "big" in targets (tiny)',
  );
  assert.equal(
    refusal({ ...base, target_thresholds: { big: { min_compliance: 1 } } }),
    'evalserver.json: /target_thresholds/big: no target "big" in targets (tiny)',
  );
  assert.equal(
    refusal({ ...base, targets: [TARGET, { name: "tiny" }] }),
    'evalserver.json: /targets/1: "tiny" is named twice',
  );
  assert.equal(
    refusal({ ...base, matrix: [{}, {}] }),
    'evalserver.json: /matrix/1: the run "smoke | tiny | {}" is asked twice',
  );
  assert.equal(
    refusal({ ...base, suites: [{ import: "jsonschemabench:Glaiveai2K" }] }),
    "evalserver.json: /suites/0/from is required for jsonschemabench:Glaiveai2K (a directory of <Subset>.jsonl files, or hub)",
  );
  assert.match(
    refusal({ ...base, suites: [{ import: "jsonschemabench" }] }),
    /^evalserver\.json: \/suites\/0\/import must match pattern/,
  );
});

Deno.test("loadConfig: a missing file, a file that is not JSON, and one too large", async () => {
  const dir = await Deno.makeTempDir({ prefix: "config_" });
  try {
    const message = async (path: string) =>
      await loadConfig(path).then(
        () => assert.fail("loaded"),
        (error) => (error as ConfigError).message,
      );
    assert.match(
      await message(join(dir, "none.json")),
      /none\.json: cannot read it: /,
    );
    await Deno.writeTextFile(join(dir, "bad.json"), "{ suites: [] ");
    assert.match(await message(join(dir, "bad.json")), /bad\.json: not JSON: /);
    await Deno.writeTextFile(
      join(dir, "big.json"),
      " ".repeat(1024 * 1024 + 1),
    );
    assert.match(
      await message(join(dir, "big.json")),
      /big\.json: 1048577 bytes; a config file has at most 1048576$/,
    );
    const deep =
      `{"suites":[{"name":"smoke"}],"targets":[{"name":"t"}],"description":${
        "[".repeat(1500)
      }${"]".repeat(1500)}}`;
    await Deno.writeTextFile(join(dir, "deep.json"), deep);
    assert.match(await message(join(dir, "deep.json")), /nested more than/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task run --config: a bad config or argument exits 2 with one line, before any database is opened", async () => {
  await withDataDir(async (env, dir) => {
    const path = join(dir, "evalserver.json");
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        suites: [{ name: "smoke" }],
        targets: [{ ...TARGET, kind: "gpt" }],
      }),
    );
    const bad = await cli(["--config", path], env);
    assert.equal(bad.code, 2, bad.stderr);
    // One line: the file, the place, what is wrong.
    assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
    assert.ok(
      bad.stderr.startsWith(
        `error: ${path}: /targets/0/kind must be one of "llamacpp"`,
      ),
      bad.stderr,
    );
    assert.equal(bad.stdout, "");

    const mixed = await cli(["--config", path, "--suite", "smoke"], env);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /Unknown option '--suite'.*the file's/);

    const resume = await cli(["--config", path, "--resume", "last"], env);
    assert.equal(resume.code, 2);
    assert.match(
      resume.stderr,
      /--resume takes a matrix id \(a uuid\), got "last"/,
    );

    const help = await cli(["--config", path, "--help"], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: deno task run --config FILE/);
    // Nothing was opened: the data directory is as it was made.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      "evalserver.json",
    ]);
  });
});

Deno.test("the example config in docs/examples is valid", async () => {
  const config = await loadConfig(
    new URL("../../docs/examples/evalserver.json", import.meta.url).pathname,
  );
  assert.equal(config.cells.length, 4);
});
