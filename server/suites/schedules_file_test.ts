// Issue 18, item 4: the schedules file names suites and targets; a schedule
// holds ids, so a rename through the API keeps the schedule working, but the
// file must be renamed too, and says so when it is not.
import assert from "node:assert/strict";
import { loadSchedulesFile } from "./schedules_file.ts";
import { dbTest } from "../testing/database.ts";
import { seedSuite, seedTarget } from "../testing/seed.ts";
import { getSchedule } from "../db/queries/schedules.ts";
import { updateTarget } from "../db/queries/targets.ts";

dbTest(
  "schedules file: names resolve to ids; a target renamed in the API but not in the file is refused with the hint",
  async (database) => {
    await seedSuite(database, "nightly-suite", [
      { key: "a", schema: { type: "object" } },
    ]);
    const v2 = await seedSuite(database, "nightly-suite", [
      { key: "b", schema: { type: "string" } },
    ]);
    const target = await seedTarget(database, { name: "tiny-local" });
    const dir = await Deno.makeTempDir({ prefix: "schedules_file_" });
    const path = `${dir}/schedules.json`;
    try {
      await Deno.writeTextFile(
        path,
        JSON.stringify([{
          name: "nightly",
          cron: "0 3 * * *",
          suite: "nightly-suite",
          targets: ["tiny-local"],
        }]),
      );
      const [row] = await loadSchedulesFile(database, path);
      assert.equal(row.suiteId, v2.id);
      assert.deepEqual(row.targetIds, [target.id]);

      await updateTarget(database, target.id, { name: "tiny-renamed" });
      // The schedule holds the id: it still names the target.
      assert.deepEqual((await getSchedule(database, row.id))!.targetIds, [
        target.id,
      ]);
      await assert.rejects(
        () => loadSchedulesFile(database, path),
        /no target "tiny-local" \(a target renamed through the API must be renamed in this file too\)/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
