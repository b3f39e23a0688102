import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openDatabase } from "./client.ts";
import { migrateDatabase, migrationState } from "./migrate.ts";
import { postgresTest, TEST_DATABASE_URL } from "../testing/database.ts";

postgresTest({
  name:
    "migrations: four servers starting together on one PostgreSQL do not race [postgres]",
  fn: async () => {
    const name = `evalserver_migrate_${
      crypto.randomUUID().replaceAll("-", "")
    }`;
    const admin = await openDatabase({
      url: TEST_DATABASE_URL,
      maxConnections: 1,
    });
    await admin.rows(sql.raw(`create database "${name}"`));
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    const servers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        openDatabase({ url: url.toString(), maxConnections: 2 })
      ),
    );
    try {
      await Promise.all(servers.map((s) => migrateDatabase(s)));
      for (const s of servers) {
        const state = await migrationState(s);
        assert.equal(state.pending, 0);
        assert.equal(state.applied, state.available);
      }
    } finally {
      for (const s of servers) await s.close();
      await admin.rows(
        sql.raw(`drop database if exists "${name}" with (force)`),
      );
      await admin.close();
    }
  },
});

Deno.test("migrations: a fresh PGlite is migrated and reports no pending migration", async () => {
  const database = await openDatabase({ memory: true });
  try {
    assert.equal((await migrationState(database)).applied, 0);
    await migrateDatabase(database);
    await migrateDatabase(database);
    const state = await migrationState(database);
    assert.equal(state.pending, 0);
    assert.ok(state.applied >= 2);
  } finally {
    await database.close();
  }
});
