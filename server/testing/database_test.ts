import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { migrationState } from "../db/migrate.ts";
import { openTestDatabase, pgliteSnapshotFile } from "./database.ts";

Deno.test("the PGlite snapshot is one file under .cache/pglite, named by the migrations", async () => {
  const file = await pgliteSnapshotFile();
  assert.match(file.pathname, /\/\.cache\/pglite\/snapshot-[0-9a-f]{16}\.tar$/);
  assert.equal((await pgliteSnapshotFile()).href, file.href);
  assert.ok((await Deno.stat(file)).size > 0);
});

Deno.test("a PGlite test database is migrated, and each one starts empty", async () => {
  const first = await openTestDatabase("pglite");
  try {
    assert.equal((await migrationState(first)).pending, 0);
    await first.rows(
      sql`insert into suites (name, version, hash, case_count) values ('x', 1, 'h', 0)`,
    );
  } finally {
    await first.close();
  }
  const second = await openTestDatabase("pglite");
  try {
    const [{ n }] = await second.rows<{ n: number }>(
      sql`select count(*)::int as n from suites`,
    );
    assert.equal(n, 0);
  } finally {
    await second.close();
  }
});
