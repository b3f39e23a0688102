import assert from "node:assert/strict";
import { boardChanged } from "../board/cache.ts";
import { setHidden } from "../db/queries/drift.ts";
import { dbTest } from "../testing/database.ts";
import { seedFixture } from "../testing/fixture.ts";
import { seedRun } from "../testing/seed.ts";
import { testApp } from "../testing/api.ts";

dbTest(
  "the cached leaderboard follows hides, unhides and new runs at once",
  async (database) => {
    const { app } = testApp(database);
    const fixture = await seedFixture(database);
    const board = async () => await (await app.request("/")).text();
    const before = await board();
    assert.equal(await board(), before, "the same data renders the same page");
    // A caller that changes the data invalidates (the queries do not).
    await setHidden(database, fixture.runs.fastNew.id, true, "test");
    boardChanged();
    const hidden = await board();
    assert.notEqual(hidden, before);
    await setHidden(database, fixture.runs.fastNew.id, false, null);
    boardChanged();
    assert.equal(await board(), before);
    await seedRun(database, {
      suite: fixture.alpha,
      target: fixture.targets.gpt,
      results: () => ({ outcome: "invalid_json" }),
      finishedAt: new Date(Date.now() + 60_000),
    });
    assert.notEqual(await board(), before, "a newer finished run shows");
  },
);

dbTest(
  "a browser gets the kept board gzip-compressed, the same page as a client that asks for none",
  async (database) => {
    const { app } = testApp(database);
    await seedFixture(database);
    const plain = await app.request("/");
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.equal(plain.headers.get("vary"), "Accept-Encoding");
    const html = await plain.text();
    assert.match(html, /^<!DOCTYPE html>/);
    const zipped = await app.request("/", {
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    assert.equal(zipped.headers.get("content-encoding"), "gzip");
    assert.equal(zipped.headers.get("vary"), "Accept-Encoding");
    const bytes = new Uint8Array(await zipped.arrayBuffer());
    assert.ok(bytes.length < html.length / 3, `${bytes.length} bytes`);
    const unzipped = await new Response(
      new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
    ).text();
    assert.equal(unzipped, html);
    const refused = await app.request("/", {
      headers: { "accept-encoding": "gzip;q=0" },
    });
    assert.equal(refused.headers.get("content-encoding"), null);
  },
);
