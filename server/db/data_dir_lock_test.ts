import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "./client.ts";
import { DataDirLockedError, lockDataDir } from "./data_dir_lock.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

Deno.test("the data directory has one owner: a second opener refuses naming it, a closed one gives it up", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lock-" });
  try {
    const database = await openDatabase({ dataDir: dir });
    await database.dataDirLock?.describe({ url: "http://127.0.0.1:8123" });
    const refused = await openDatabase({ dataDir: dir }).then(
      () => null,
      (error) => error,
    );
    assert.ok(refused instanceof DataDirLockedError, String(refused));
    assert.match(
      refused.message,
      new RegExp(
        `in use by pid ${Deno.pid} \\(.*serving http://127\\.0\\.0\\.1:8123`,
      ),
    );
    assert.doesNotMatch(refused.message, /\n/);
    await database.close();
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stale lock file (its process gone) is taken over", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lock-" });
  try {
    await Deno.writeTextFile(join(dir, "server.lock"), "");
    await Deno.writeTextFile(
      join(dir, "owner.json"),
      JSON.stringify({
        pid: 4_000_000,
        command: "server/main.ts",
        since: "2026-01-01T00:00:00.000Z",
        url: null,
      }),
    );
    const lock = await lockDataDir(dir);
    const owner = JSON.parse(await Deno.readTextFile(join(dir, "owner.json")));
    assert.equal(owner.pid, Deno.pid);
    lock.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a CLI on a held data directory refuses with one line; kill -9 of the holder frees it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lock-" });
  // The holder: another process, killed without a chance to clean up.
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { lockDataDir } from "${new URL(
        "./data_dir_lock.ts",
        import.meta.url,
      )}";
       await lockDataDir(${JSON.stringify(dir)}); console.log("held");
       setInterval(() => {}, 1000);`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = holder.stdout.getReader();
    const { value } = await reader.read();
    assert.match(new TextDecoder().decode(value), /held/);
    reader.releaseLock();
    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/token.ts", "list"],
      cwd: ROOT,
      env: { DATA_DIR: dir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(cli.stderr).trim();
    assert.equal(cli.code, 1, stderr);
    assert.match(
      stderr,
      new RegExp(`^error: DATA_DIR .* is in use by pid ${holder.pid} `),
    );
    assert.equal(stderr.split("\n").length, 1, stderr);
    holder.kill("SIGKILL");
    await holder.status;
    const lock = await lockDataDir(dir);
    lock.release();
  } finally {
    try {
      holder.kill("SIGKILL");
    } catch { /* already gone */ }
    await holder.stdout.cancel().catch(() => {});
    await holder.status;
    await Deno.remove(dir, { recursive: true });
  }
});
