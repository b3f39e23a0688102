// Issue 18, item 7: the sharp edges a newcomer meets first. A port in use
// is one line, not a stack; a CLI whose token the server refuses is told
// which variables to set, in one line, with exit 2.
import assert from "node:assert/strict";
import { cli, cliEnv, startServer, withDataDir } from "./cli_testing.ts";

const REPO = new URL("../../", import.meta.url);

Deno.test("deno task start: a port in use is one line and exit 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const dir = await Deno.makeTempDir({ prefix: "port_in_use_" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "server/main.ts"],
      cwd: REPO,
      env: { ...cliEnv(dir), PORT: String(port), HOST: "127.0.0.1" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(`^error: port ${port} on 127\\.0\\.0\\.1 is already in use`),
    );
    assert.equal(stderr.split("\n").length, 1, stderr);
    assert.match(stderr, /set PORT/);
  } finally {
    listener.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task run: a refused token names EVAL_TOKEN and ADMIN_TOKEN, exit 2", async () => {
  await withDataDir(async (env) => {
    const server = await startServer({
      ...env,
      ADMIN_TOKEN: "the-real-admin-token-0123456789",
    });
    try {
      const run = await cli(
        ["--suite", "smoke", "--target", "nobody", "--server", server.url],
        { ...env, EVAL_TOKEN: "a-wrong-token-0123456789abcdef" },
      );
      assert.equal(run.code, 2, run.stderr);
      const line = run.stderr.trim().split("\n").at(-1)!;
      assert.match(line, /refused the token \(HTTP 401/);
      assert.match(line, /set EVAL_TOKEN/);
      assert.match(line, /ADMIN_TOKEN/);
      assert.match(line, /admin\.token/);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    } finally {
      await server.stop();
    }
  });
});
