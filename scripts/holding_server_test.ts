import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { cli, cliEnv, startServer } from "./run/cli_testing.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const decoder = new TextDecoder();

async function tokenCli(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/token.ts", ...args],
    cwd: REPO,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout).trim(),
    stderr: decoder.decode(out.stderr).trim(),
  };
}

const BENCH = fileURLToPath(
  new URL("../../shared/datasets/jsonschemabench", import.meta.url),
);

async function importCli(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/import.ts", ...args],
    cwd: REPO,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout).trim(),
    stderr: decoder.decode(out.stderr).trim(),
  };
}

const IMPORT = [
  "jsonschemabench",
  "--from",
  BENCH,
  "--subsets",
  "Github_easy",
  "--limit",
  "5",
];

async function api(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "holding_server_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function tokenless(dir: string): Record<string, string> {
  const env = cliEnv(dir);
  for (const name of ["EVAL_TOKEN", "ADMIN_TOKEN"]) delete env[name];
  return env;
}

Deno.test("deno task token create and import beside a running server: through it, with the local admin token file", async () => {
  await withDir(async (dir) => {
    const env = tokenless(dir);
    const server = await startServer(env);
    try {
      const file = join(dir, "admin.token");
      assert.ok(
        server.startup.includes(`written to ${file} (mode 0600`),
        server.startup,
      );
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
      const admin = (await Deno.readTextFile(file)).trim();

      const made = await tokenCli(
        ["create", "--name", "ci", "--scopes", "write"],
        env,
      );
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stdout, /^seb_\S{40,}$/);
      assert.ok(
        made.stderr.includes(`held by the server at ${server.url}`),
        made.stderr,
      );
      // The server sees the token at once: it is listed and it works.
      const listed = await api(server.url, admin, "GET", "/api/tokens");
      assert.deepEqual(
        listed.json.items.map((t: { name: string }) => t.name).sort(),
        ["ci", "local-admin"],
      );
      const suite = await api(server.url, made.stdout, "POST", "/api/suites", {
        name: "made-with-the-cli-token",
        cases: [{ key: "a", schema: { type: "object" } }],
      });
      assert.equal(suite.status, 201, JSON.stringify(suite.json));

      // EVAL_TOKEN comes first: a write token may not create tokens.
      const weak = await tokenCli(["list"], {
        ...env,
        EVAL_TOKEN: made.stdout,
      });
      // A refused token is exit 2, like a missing one, and the line says
      // which variables to set.
      assert.equal(weak.code, 2);
      assert.match(weak.stderr, /HTTP 403/);
      assert.match(weak.stderr, /set EVAL_TOKEN .* or ADMIN_TOKEN/);

      // The import goes through the server too, its source kept.
      const imported = await importCli(IMPORT, env);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stderr, /sending the suites through its API/);
      const id = imported.stdout.match(/^created .* id ([0-9a-f-]{36})$/m)
        ?.[1];
      assert.ok(id, imported.stdout);
      const seen = await api(server.url, admin, "GET", `/api/suites/${id}`);
      assert.equal(seen.status, 200);
      assert.equal(seen.json.case_count, 5);
      assert.equal(seen.json.source.kind, "jsonschemabench");
    } finally {
      await server.stop();
    }
    // Without the server the same import finds the same suite: the
    // content hash is the one a direct import computes.
    const direct = await importCli(IMPORT, env);
    assert.equal(direct.code, 0, direct.stderr);
    assert.match(direct.stdout, /^exists {2}\S+ v1: 5 cases/m);
    // A restart with tokens stored writes nothing new and says where the
    // file is; the token in it still works.
    const before = await Deno.readTextFile(join(dir, "admin.token"));
    const again = await startServer(env);
    try {
      assert.match(again.startup, /admin token for the CLIs on this machine:/);
      assert.equal(await Deno.readTextFile(join(dir, "admin.token")), before);
      const list = await tokenCli(["list", "--json"], env);
      assert.equal(list.code, 0, list.stderr);
      assert.equal(JSON.parse(list.stdout).length, 2);
    } finally {
      await again.stop();
    }
  });
});

Deno.test("deno task token, import and run beside a server without a token for them: one line naming the variables, exit 2", async () => {
  await withDir(async (dir) => {
    const env = tokenless(dir);
    // With ADMIN_TOKEN the server writes no file; the CLIs have no token.
    const server = await startServer({
      ...env,
      ADMIN_TOKEN: "an-admin-token-of-the-operator",
    });
    try {
      assert.doesNotMatch(server.startup, /admin\.token/);
      await assert.rejects(Deno.stat(join(dir, "admin.token")));
      const made = await tokenCli(
        ["create", "--name", "ci", "--scopes", "write"],
        env,
      );
      const run = await cli(["--suite", "smoke", "--target", "x"], env);
      const imported = await importCli(IMPORT, env);
      for (const { code, stdout, stderr } of [made, run, imported]) {
        assert.equal(code, 2, stderr);
        assert.equal(stdout.trim(), "");
        const lines = stderr.trim().split("\n");
        assert.equal(lines.length, 1, stderr);
        const line = lines[0];
        assert.match(line, /set EVAL_TOKEN \(or ADMIN_TOKEN\)/);
        assert.ok(line.includes(join(dir, "admin.token")), line);
      }
      const listed = await api(
        server.url,
        "an-admin-token-of-the-operator",
        "GET",
        "/api/tokens",
      );
      assert.deepEqual(listed.json.items, [], "nothing was made");
      const suites = await api(
        server.url,
        "an-admin-token-of-the-operator",
        "GET",
        "/api/suites?limit=100",
      );
      assert.ok(
        !JSON.stringify(suites.json).includes("Github_easy"),
        "no suite was imported",
      );
    } finally {
      await server.stop();
    }
  });
});
