import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../app.ts";
import { DATA_ONLY, openServices } from "../boot.ts";
import { StorageHealth } from "../http/storage_health.ts";
import { ADMIN_HEADERS, testEnv } from "../testing/api.ts";

/** Mounts a tmpfs of `mb` MiB at a new folder, or says why it cannot. */
async function tmpfs(mb: number): Promise<string | { why: string }> {
  if (Deno.build.os !== "linux") return { why: "not Linux" };
  const dir = await Deno.makeTempDir({ prefix: "disk-full-" });
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${mb}m`, "tmpfs", dir],
    stdout: "null",
    stderr: "piped",
  }).output().catch((error) => ({
    success: false,
    stderr: new TextEncoder().encode(String(error)),
  }));
  if (!mount.success) {
    await Deno.remove(dir);
    return {
      why: `cannot mount a tmpfs: ${
        new TextDecoder().decode(mount.stderr).trim()
      }`,
    };
  }
  return dir;
}

async function fill(path: string): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true });
  const chunk = new Uint8Array(256 * 1024).fill(7);
  try {
    for (;;) await file.write(chunk);
  } catch {
    /* the disk is full */
  } finally {
    file.close();
  }
}

const suite = (name: string) => ({
  name,
  cases: Array.from({ length: 3000 }, (_, i) => ({
    key: `k${i}`,
    schema: { type: "object", description: `${i} ${"x".repeat(1000)}` },
  })),
});

Deno.test({
  name:
    "a full disk: health says degraded, a write says disk_full in one line, nothing is lost, writes work again",
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const mounted = await tmpfs(160);
  if (typeof mounted !== "string") {
    console.log(`IGNORED, not passed: ${mounted.why}`);
    await t.step({ name: "full disk", ignore: true, fn: () => {} });
    return;
  }
  const env = testEnv({
    DATA_DIR: join(mounted, "data"),
    MIN_FREE_DISK_MB: "4",
    MIN_FREE_DISK_PERCENT: "2",
  });
  const services = await openServices(env, DATA_ONLY);
  const lines: string[] = [];
  const { error } = console;
  try {
    const app = createApp({
      database: services.database,
      env,
      storage: new StorageHealth({
        minFreePercent: env.minFreeDiskPercent,
        minFreeMb: env.minFreeDiskMb,
        windowMs: 1000,
      }),
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: ADMIN_HEADERS,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    };
    assert.equal((await call("GET", "/api/health")).status, 200);
    assert.equal(
      (await call("POST", "/api/suites", suite("before"))).status,
      201,
    );

    const filler = join(mounted, "filler");
    await fill(filler);
    const low = await call("GET", "/api/health");
    assert.equal(low.status, 503);
    assert.equal(low.json.status, "degraded");
    assert.ok(
      low.json.problems.some((p: { code: string }) => p.code === "low_disk"),
    );

    console.error = (...parts: unknown[]) =>
      lines.push(parts.map(String).join(" "));
    const refused = await call("POST", "/api/suites", suite("during"));
    console.error = error;
    assert.equal(refused.status, 507, JSON.stringify(refused.json));
    assert.equal(refused.json.error.code, "disk_full");
    assert.equal(lines.length, 1, lines.join("\n---\n"));
    assert.match(lines[0], /^POST \/api\/suites failed: disk_full: /);
    assert.doesNotMatch(lines[0], /\n/);
    const full = await call("GET", "/api/health");
    assert.ok(
      full.json.problems.some((p: { code: string }) => p.code === "disk_full"),
    );

    // Space comes back: health recovers once the failure is a window old,
    // the write works, and what was stored before is all there.
    await Deno.remove(filler);
    await new Promise((r) => setTimeout(r, 1100));
    const healthy = await call("GET", "/api/health");
    assert.equal(healthy.status, 200, JSON.stringify(healthy.json));
    assert.equal(
      (await call("POST", "/api/suites", suite("during"))).status,
      201,
    );
    const names = (await call("GET", "/api/suites")).json.items.map((
      s: { name: string },
    ) => s.name).sort();
    assert.deepEqual(names, ["before", "during"]);
  } finally {
    console.error = error;
    await services.close();
    await new Deno.Command("umount", { args: [mounted] }).output();
    await Deno.remove(mounted, { recursive: true }).catch(() => {});
  }
});
