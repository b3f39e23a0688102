import assert from "node:assert/strict";
import { encodeCursor } from "../http/pagination.ts";
import { ADMIN_HEADERS, testApp } from "../testing/api.ts";
import { dbTest } from "../testing/database.ts";

const UUID = "8c0e7a52-3b1f-4d6e-9a0c-2f4b6d8e0a1c";

dbTest(
  "every list route answers a forged cursor or a malformed filter with a 400",
  async (database) => {
    const { app, call } = testApp(database);
    const suite = (await call("POST", "/api/suites", {
      name: "lists",
      cases: [{ key: "a", schema: { type: "object" } }],
    })).json;
    const target = (await call("POST", "/api/targets", {
      name: "lists",
      kind: "openai-compatible",
      base_url: "http://127.0.0.1:9/v1",
      model: "m",
      mode: "json_schema",
    })).json;
    const run = (await call("POST", "/api/runs", {
      suite_id: suite.id,
      target_id: target.id,
    })).json;
    const time = "2026-01-01T00:00:00.000Z";
    const bad: [string, string][] = [
      // The red team's: an invalid date inside a schedules cursor.
      [
        `/api/schedules?cursor=${
          encodeCursor({ createdAt: "2026-13-45T99:99:99Z", id: UUID })
        }`,
        "cursor",
      ],
      [
        `/api/schedules?cursor=${
          encodeCursor({ createdAt: "0000-12-31T23:59:59.999Z", id: UUID })
        }`,
        "cursor",
      ],
      [
        `/api/schedules?cursor=${encodeCursor({ createdAt: time, id: "x" })}`,
        "cursor",
      ],
      [
        `/api/runs?cursor=${
          encodeCursor({ createdAt: "yesterday", id: UUID })
        }`,
        "cursor",
      ],
      [`/api/runs?cursor=${encodeCursor({ createdAt: time })}`, "cursor"],
      [`/api/runs?cursor=${encodeCursor([time, UUID])}`, "cursor"],
      [`/api/runs?suite_id=not-a-uuid`, "suite_id"],
      // An unknown suite or target is said, not answered with no rows.
      [`/api/runs?suite_id=${UUID}`, "suite_id"],
      [`/api/runs?target=no-such-target`, "target"],
      [`/api/runs?target_id=${UUID}x`, "target_id"],
      [`/api/runs?status=${encodeURIComponent("done' or 1=1 --")}`, "status"],
      [
        `/api/runs/${run.id}/results?cursor=${encodeCursor({ id: 1.5 })}`,
        "cursor",
      ],
      [
        `/api/runs/${run.id}/results?cursor=${encodeCursor({ id: 2 ** 60 })}`,
        "cursor",
      ],
      [`/api/runs/${run.id}/results?outcome=bogus`, "outcome"],
      [
        `/api/suites?cursor=${encodeCursor({ name: "a\u0000b", version: 1 })}`,
        "cursor",
      ],
      [
        `/api/suites?cursor=${encodeCursor({ name: "a", version: 2 ** 40 })}`,
        "cursor",
      ],
      [
        `/api/suites/${suite.id}?cursor=${encodeCursor({ ordinal: 2 ** 40 })}`,
        "cursor",
      ],
      [
        `/api/suites/${suite.id}?cursor=${encodeCursor({ ordinal: "1" })}`,
        "cursor",
      ],
      [`/api/targets?cursor=${encodeCursor({ name: 7 })}`, "cursor"],
      [`/api/targets?cursor=not%20base64`, "cursor"],
      [`/api/targets?limit=0`, "limit"],
    ];
    for (const [path, param] of bad) {
      const res = await app.request(path, { headers: ADMIN_HEADERS });
      const body = await res.json();
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(body)}`);
      assert.equal(body.error.path, param, path);
      assert.ok(body.error.code && body.error.message, path);
    }
    // Well-formed values that match nothing are an empty page, not an error.
    for (
      const path of [
        `/api/runs?status=no_such_status`,
        `/api/runs/${run.id}/results?outcome=valid`,
        `/api/schedules?cursor=${encodeCursor({ createdAt: time, id: UUID })}`,
      ]
    ) {
      const res = await app.request(path, { headers: ADMIN_HEADERS });
      assert.equal(res.status, 200, path);
      assert.deepEqual((await res.json()).items, [], path);
    }
  },
);
