import assert from "node:assert/strict";
import { createApp } from "../server/app.ts";
import { openDatabase } from "../server/db/client.ts";
import { TEST_ADMIN_TOKEN, testEnv } from "../server/testing/api.ts";

async function token(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "token", ...args],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout).trim(),
    stderr: text.decode(out.stderr),
  };
}

async function status(dataDir: string, secret: string): Promise<number> {
  const database = await openDatabase({ dataDir });
  try {
    const app = createApp({ database, env: testEnv() });
    const res = await app.request("/api/suites", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${secret}`,
      },
      body: JSON.stringify({
        name: `via-cli-${crypto.randomUUID()}`,
        cases: [{ key: "a", schema: {} }],
      }),
    });
    await res.body?.cancel();
    return res.status;
  } finally {
    await database.close();
  }
}

Deno.test("deno task token: create, list, rotate, revoke on the database", async () => {
  const dir = await Deno.makeTempDir();
  const env = { DATA_DIR: dir, DATABASE_URL: "" };
  try {
    const made = await token(
      ["create", "--name", "ci", "--scopes", "write"],
      env,
    );
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^seb_\S{40,}$/, "stdout is the token alone");
    assert.match(made.stderr, /shown once/);
    assert.equal(await status(dir, made.stdout), 201);

    const list = await token(["list"], env);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /ci\s+write/);
    assert.ok(!list.stdout.includes(made.stdout.slice(4, 16)), "no secret");

    const rotated = await token(["rotate", "ci"], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.notEqual(rotated.stdout, made.stdout);
    assert.equal(await status(dir, made.stdout), 401, "old secret refused");
    assert.equal(await status(dir, rotated.stdout), 201);

    const revoked = await token(["revoke", "ci"], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(await status(dir, rotated.stdout), 401);
    assert.equal((await token(["revoke", "ci"], env)).code, 1);

    const bad = await token(["create", "--name", "x", "--scopes", "root"], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown scope "root"/);
    assert.equal((await token(["create", "--scopes", "read"], env)).code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task token --server: through the admin API", async () => {
  const dir = await Deno.makeTempDir();
  const database = await openDatabase({ dataDir: dir });
  const { migrateDatabase } = await import("../server/db/migrate.ts");
  await migrateDatabase(database);
  const app = createApp({ database, env: testEnv() });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    app.fetch,
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  try {
    const env = { ADMIN_TOKEN: TEST_ADMIN_TOKEN };
    const made = await token(
      ["create", "--server", url, "--name", "bot", "--scopes", "read,write"],
      env,
    );
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^seb_/);
    const list = await token(["list", "--server", url, "--json"], env);
    const rows = JSON.parse(list.stdout);
    assert.deepEqual(rows.map((r: { name: string }) => r.name), ["bot"]);
    assert.equal(rows[0].token, undefined);
    assert.equal(
      (await token(["revoke", "bot", "--server", url], env)).code,
      0,
    );
    const refused = await token(["list", "--server", url], {
      ADMIN_TOKEN: made.stdout,
    });
    // A refused token is exit 2 and names the variables to set.
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /HTTP 401/);
    assert.match(refused.stderr, /set EVAL_TOKEN/);
  } finally {
    await server.shutdown();
    await database.close();
    await Deno.remove(dir, { recursive: true });
  }
});
