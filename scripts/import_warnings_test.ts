// Issue 18, item 6: `deno task import` keeps a suite whose schemas our
// validator cannot read, and prints a warning for each such case.
import assert from "node:assert/strict";

const REPO = new URL("../", import.meta.url);

Deno.test("deno task import: unreadable schemas are kept and each is warned about", async () => {
  const from = await Deno.makeTempDir({ prefix: "import_warn_from_" });
  const data = await Deno.makeTempDir({ prefix: "import_warn_data_" });
  try {
    const line = (id: string, schema: unknown) =>
      JSON.stringify({ unique_id: id, json_schema: JSON.stringify(schema) });
    await Deno.writeTextFile(
      `${from}/Mixed.jsonl`,
      [
        line("fine", { type: "object" }),
        line("bad-type", { type: "wat" }),
        line("dangling", { $ref: "#/$defs/missing" }),
      ].join("\n") + "\n",
    );
    const env = Deno.env.toObject();
    delete env.DATABASE_URL;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "scripts/import.ts",
        "jsonschemabench",
        "--from",
        from,
      ],
      cwd: REPO,
      env: {
        ...env,
        DATA_DIR: data,
        NO_COLOR: "1",
        LOAD_BUILTIN_SUITES: "false",
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.match(stdout, /created jsonschemabench\/Mixed v1: 3 cases/);
    const warnings = stderr.split("\n").filter((l) => l.startsWith("warning:"));
    assert.deepEqual(warnings.map((l) => l.split(":")[1].trim()), [
      "jsonschemabench/Mixed /cases/1 invalid_schema",
      "jsonschemabench/Mixed /cases/2 unresolvable_ref",
    ]);
  } finally {
    await Deno.remove(from, { recursive: true });
    await Deno.remove(data, { recursive: true });
  }
});
