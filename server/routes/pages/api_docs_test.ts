import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { testEnv } from "../../testing/api.ts";
import { openTestDatabase } from "../../testing/database.ts";
import { SECURITY_HEADERS } from "./render.ts";

Deno.test("/api/docs: the pages' policy, and every file it loads is the site's own", async () => {
  const database = await openTestDatabase("pglite");
  try {
    const app = createApp({ database, env: testEnv() });
    const res = await app.request("/api/docs");
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get("content-security-policy"),
      SECURITY_HEADERS["content-security-policy"],
    );
    const html = await res.text();
    assert.ok(!/<script>|<script [^>]*>[^<]/.test(html), "no inline script");
    const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) =>
      m[1]
    );
    const loaded = files.filter((f) => f.startsWith("/static/"));
    assert.equal(loaded.length, 3, files.join(" "));
    assert.deepEqual(files.filter((f) => !f.startsWith("/")), []);
    for (const file of loaded) {
      const asset = await app.request(file);
      assert.equal(asset.status, 200, file);
      assert.match(asset.headers.get("content-type")!, /javascript|css/);
      assert.ok((await asset.arrayBuffer()).byteLength > 100, file);
    }
    // Every page's "API" link opens the reference.
    const board = await (await app.request("/")).text();
    assert.match(board, /<a href="\/api\/docs">API<\/a>/);
  } finally {
    await database.close();
  }
});
