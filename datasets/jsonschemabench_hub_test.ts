import assert from "node:assert/strict";
import { jsonSchemaBenchHubSuites } from "./import_jsonschemabench.ts";
import { fetchJsonSchemaBench } from "./jsonschemabench_hub.ts";
import { SUITE_LIMITS } from "./testing/suite_limits.ts";
import { startFixture } from "./testing/test_http_server.ts";

const DATASET = "epfl-dlab/JSONSchemaBench";
const SHA = "0123456789abcdef0123456789abcdef01234567";

/** Rows per config and split. */
type Sizes = Record<string, Record<string, number>>;

interface HubBehaviour {
  sizes: Sizes;
  /** `config/split/offset` answered 429 (Retry-After: 1) the first time. */
  rateLimitOnce?: string;
  /** `config/split/row`: its json_schema cell always truncated. */
  truncated?: string[];
  /** `config/split/row`: truncated only within a page of several rows. */
  truncatedInPages?: string[];
  /** `config/split`: every page a 500. */
  failing?: string;
  /** Overrides a row's record. */
  rowOverride?: (
    config: string,
    split: string,
    index: number,
  ) => Record<string, unknown> | undefined;
  /** The sha the hub API gives the second time it is asked. */
  shaLater?: string;
}

function schemaFor(config: string, split: string, index: number): string {
  return JSON.stringify({
    type: "object",
    properties: {
      origin: { const: `${config}/${split}/${index}` },
      padding: { description: "x".repeat(40) },
    },
    required: ["origin"],
  });
}

function record(config: string, split: string, index: number) {
  return {
    json_schema: schemaFor(config, split, index),
    unique_id: `${config}_${split}_${index}`,
  };
}

/** A stand-in for the hub and its dataset viewer, in their formats. */
function startHub(behaviour: HubBehaviour) {
  let shaAsked = 0;
  const rateLimited = new Set<string>();
  return startFixture((url) => {
    const q = url.searchParams;
    if (url.pathname === `/hub/api/datasets/${DATASET}`) {
      shaAsked++;
      return Response.json({
        id: DATASET,
        sha: shaAsked > 1 && behaviour.shaLater ? behaviour.shaLater : SHA,
        lastModified: "2025-01-20T00:00:00.000Z",
        private: false,
      });
    }
    if (q.get("dataset") !== DATASET) {
      return Response.json({ error: "Not found." }, { status: 404 });
    }
    if (url.pathname === "/viewer/splits") {
      return Response.json({
        splits: Object.entries(behaviour.sizes).flatMap(([config, splits]) =>
          Object.keys(splits).map((split) => ({
            dataset: DATASET,
            config,
            split,
          }))
        ),
        pending: [],
        failed: [],
      });
    }
    if (url.pathname === "/viewer/rows") {
      const config = q.get("config")!;
      const split = q.get("split")!;
      const offset = Number(q.get("offset"));
      const length = Number(q.get("length"));
      const total = behaviour.sizes[config]?.[split];
      if (total === undefined) {
        return Response.json({ error: "Not found." }, { status: 404 });
      }
      if (length > 100) {
        return Response.json({ error: "length must be at most 100" }, {
          status: 422,
        });
      }
      const at = `${config}/${split}/${offset}`;
      if (behaviour.rateLimitOnce === at && !rateLimited.has(at)) {
        rateLimited.add(at);
        return Response.json({ error: "Too many requests" }, {
          status: 429,
          headers: { "retry-after": "1" },
        });
      }
      if (behaviour.failing === `${config}/${split}`) {
        return new Response("upstream exploded", { status: 500 });
      }
      const rows = [];
      for (let i = offset; i < Math.min(total, offset + length); i++) {
        const row = behaviour.rowOverride?.(config, split, i) ??
          record(config, split, i);
        const key = `${config}/${split}/${i}`;
        const cut = behaviour.truncated?.includes(key) ||
          (length > 1 && behaviour.truncatedInPages?.includes(key));
        rows.push({
          row_idx: i,
          row: cut
            ? { ...row, json_schema: String(row.json_schema).slice(0, 20) }
            : row,
          truncated_cells: cut ? ["json_schema"] : [],
        });
      }
      return Response.json({
        features: [
          {
            feature_idx: 0,
            name: "json_schema",
            type: { dtype: "string", _type: "Value" },
          },
          {
            feature_idx: 1,
            name: "unique_id",
            type: { dtype: "string", _type: "Value" },
          },
        ],
        rows,
        num_rows_total: total,
        num_rows_per_page: 100,
        partial: false,
      });
    }
    return Response.json({ error: "Not found." }, { status: 404 });
  });
}

const roots = (url: string) => ({
  baseUrl: `${url}/viewer`,
  hubUrl: `${url}/hub`,
});

const SIZES: Sizes = {
  Glaiveai2K: { train: 250, val: 30, test: 45 },
  Snowplow: { train: 3, val: 1, test: 2 },
  Kubernetes: { train: 5, val: 5, test: 5 },
};

Deno.test(
  "hub: one suite per subset with every split, paged, a 429 waited out, then again",
  async () => {
    await using hub = startHub({
      sizes: SIZES,
      rateLimitOnce: "Glaiveai2K/train/100",
    });
    const limits = SUITE_LIMITS;
    const progress: number[] = [];
    const first = await jsonSchemaBenchHubSuites({
      subsets: ["Glaiveai2K", "Snowplow"],
      ...roots(hub.url),
      onProgress: (p) => progress.push(p.done),
    }, limits);
    assert.equal(first.revision, SHA);
    assert.deepEqual(
      first.suites.map((s) => [s.suite.name, s.suite.cases.length]),
      [
        ["jsonschemabench/Glaiveai2K", 325],
        ["jsonschemabench/Snowplow", 6],
      ],
    );
    const source = first.suites[0].suite.source;
    assert.equal(source.kind, "jsonschemabench");
    assert.equal(source.from, "hub");
    assert.equal(source.split, "all");
    assert.equal(source.revision, SHA);
    assert.deepEqual(source.rows, { train: 250, val: 30, test: 45 });

    // Pages: Glaiveai2K/train in three (0, 100, 200), and every page of
    // the documented size at most.
    const pages = hub.requests.filter((r) => r.path === "/viewer/rows");
    const trainOffsets = pages.filter((r) =>
      r.query.get("config") === "Glaiveai2K" && r.query.get("split") === "train"
    ).map((r) => Number(r.query.get("offset")));
    assert.deepEqual([...new Set(trainOffsets)].sort((a, b) => a - b), [
      0,
      100,
      200,
    ]);
    assert.ok(pages.every((r) => Number(r.query.get("length")) <= 100));
    assert.ok(
      hub.maxInFlight <= 4,
      `at most 4 at once, saw ${hub.maxInFlight}`,
    );
    assert.ok(hub.maxInFlight > 1, "pages are fetched concurrently");

    // The 429 asked for a second: the retry waited at least that long.
    const tries = pages.filter((r) =>
      r.query.get("config") === "Glaiveai2K" &&
      r.query.get("split") === "train" && r.query.get("offset") === "100"
    );
    assert.equal(tries.length, 2);
    assert.ok(tries[1].at - tries[0].at >= 990, `${tries[1].at - tries[0].at}`);
    assert.ok(progress.length > 0 && progress.at(-1)! >= 6);

    // Cases keep their order and record their split; schemas arrive whole.
    const cases = first.suites[0].suite.cases;
    assert.equal(cases[0].key, "Glaiveai2K_train_0");
    assert.equal(cases[249].key, "Glaiveai2K_train_249");
    assert.equal(cases[250].key, "Glaiveai2K_val_0");
    assert.deepEqual(cases[324].tags, ["split:test"]);
    assert.equal(cases[324].subset, "Glaiveai2K");
    assert.deepEqual(
      cases[7].schema,
      JSON.parse(schemaFor("Glaiveai2K", "train", 7)),
    );

    // Content-addressed: the same rows again give the same hashes (saving
    // them again creates nothing new).
    const second = await jsonSchemaBenchHubSuites({
      subsets: ["Glaiveai2K", "Snowplow"],
      ...roots(hub.url),
    }, limits);
    assert.deepEqual(
      second.suites.map((s) => s.suite.hash),
      first.suites.map((s) => s.suite.hash),
    );
  },
);

Deno.test(
  "hub: --split names the suite after it; --limit takes the first rows across splits",
  async () => {
    await using hub = startHub({ sizes: SIZES });
    const limits = SUITE_LIMITS;
    const test = await jsonSchemaBenchHubSuites({
      subsets: ["Glaiveai2K", "Kubernetes"],
      split: "test",
      ...roots(hub.url),
    }, limits);
    assert.deepEqual(
      test.suites.map((s) => [s.suite.name, s.suite.cases.length]),
      [["jsonschemabench/Glaiveai2K/test", 45], [
        "jsonschemabench/Kubernetes/test",
        5,
      ]],
    );
    assert.equal(test.suites[0].suite.source.split, "test");
    assert.equal(test.suites[0].suite.source.revision, SHA);
    assert.ok(
      hub.requests.every((r) =>
        r.path !== "/viewer/rows" || r.query.get("split") === "test"
      ),
      "only the test split is fetched",
    );

    const limited = await jsonSchemaBenchHubSuites({
      subsets: ["Glaiveai2K"],
      limit: 260,
      ...roots(hub.url),
    }, limits);
    const suite = limited.suites[0].suite;
    assert.equal(suite.cases.length, 260);
    assert.deepEqual(suite.source.rows, { train: 250, val: 10, test: 0 });
    assert.equal(suite.source.limit, 260);
    assert.equal(suite.cases.at(-1)!.key, "Glaiveai2K_val_9");
  },
);

Deno.test("hub: a row truncated only within its page is fetched alone, whole", async () => {
  await using hub = startHub({
    sizes: { Snowplow: { test: 12 } },
    truncatedInPages: ["Snowplow/test/4"],
  });
  const bench = await fetchJsonSchemaBench({
    subsets: ["Snowplow"],
    split: "test",
    ...roots(hub.url),
  });
  assert.equal(bench.subsets[0].cases.length, 12);
  assert.deepEqual(
    bench.subsets[0].cases[4].schema,
    JSON.parse(schemaFor("Snowplow", "test", 4)),
  );
  assert.ok(
    hub.requests.some((r) =>
      r.query.get("offset") === "4" && r.query.get("length") === "1"
    ),
  );
});

Deno.test(
  "hub: a cell truncated even alone is an error naming the row; nothing returned",
  async () => {
    await using hub = startHub({
      sizes: SIZES,
      truncated: ["Snowplow/val/0", "Glaiveai2K/train/117"],
    });
    await assert.rejects(
      () =>
        jsonSchemaBenchHubSuites({
          subsets: ["Glaiveai2K", "Snowplow"],
          ...roots(hub.url),
        }, SUITE_LIMITS),
      (error: Error) => {
        assert.match(error.message, /truncated 2 very large cell/);
        assert.match(
          error.message,
          /Glaiveai2K\/train row 117 \(unique_id Glaiveai2K_train_117\): cell json_schema/,
        );
        assert.match(error.message, /Snowplow\/val row 0/);
        assert.match(error.message, /nothing was imported/);
        return true;
      },
    );
  },
);

Deno.test(
  "hub: a 500 that persists is a clear error after the retries; nothing returned",
  async () => {
    await using hub = startHub({ sizes: SIZES, failing: "Snowplow/test" });
    await assert.rejects(
      () =>
        jsonSchemaBenchHubSuites({
          subsets: ["Glaiveai2K", "Snowplow"],
          ...roots(hub.url),
          retry: { retries: 2, baseDelayMs: 5 },
        }, SUITE_LIMITS),
      /GET http:\/\/127\.0\.0\.1:\d+\/viewer\/rows\?dataset=epfl-dlab%2FJSONSchemaBench&config=Snowplow&split=test&offset=0&length=100: HTTP 500 Internal Server Error after 3 tries: upstream exploded/,
    );
    const failing = hub.requests.filter((r) =>
      r.query.get("config") === "Snowplow" && r.query.get("split") === "test"
    );
    assert.equal(failing.length, 3);
  },
);

Deno.test("hub: unknown configs and splits are named, with what there is", async () => {
  await using hub = startHub({ sizes: { Snowplow: { train: 1, test: 1 } } });
  await assert.rejects(
    () => fetchJsonSchemaBench({ subsets: ["Nope"], ...roots(hub.url) }),
    /no config Nope \(the dataset has: Snowplow\)/,
  );
  await assert.rejects(
    () =>
      fetchJsonSchemaBench({
        subsets: ["Snowplow"],
        split: "val",
        ...roots(hub.url),
      }),
    /config Snowplow has no split val \(it has: train, test\)/,
  );
});

Deno.test("hub: a bad row is named; a moved revision fails the fetch", async () => {
  {
    await using hub = startHub({
      sizes: { Snowplow: { test: 3 } },
      rowOverride: (_c, _s, i) =>
        i === 1 ? { unique_id: "broken", json_schema: "{not json" } : undefined,
    });
    await assert.rejects(
      () => fetchJsonSchemaBench({ subsets: ["Snowplow"], ...roots(hub.url) }),
      /Snowplow\/test row 1: json_schema is not JSON/,
    );
  }
  {
    await using hub = startHub({
      sizes: { Snowplow: { test: 3 } },
      shaLater: "feedfacefeedfacefeedfacefeedfacefeedface",
    });
    await assert.rejects(
      () => fetchJsonSchemaBench({ subsets: ["Snowplow"], ...roots(hub.url) }),
      /changed on the hub during the fetch \(0123456789abcdef0123456789abcdef01234567 became feedface/,
    );
  }
});

Deno.test("hub: a row repeated in a later split is kept once; a conflicting one is an error", async () => {
  {
    await using hub = startHub({
      sizes: { Snowplow: { train: 2, test: 2 } },
      rowOverride: (_c, split, i) =>
        split === "test" && i === 0
          ? record("Snowplow", "train", 0)
          : undefined,
    });
    const bench = await fetchJsonSchemaBench({
      subsets: ["Snowplow"],
      ...roots(hub.url),
    });
    assert.equal(bench.subsets[0].cases.length, 3);
    assert.equal(bench.subsets[0].duplicates, 1);
  }
  {
    await using hub = startHub({
      sizes: { Snowplow: { train: 2, test: 2 } },
      rowOverride: (_c, split, i) =>
        split === "test" && i === 0
          ? { ...record("Snowplow", "test", 0), unique_id: "Snowplow_train_0" }
          : undefined,
    });
    await assert.rejects(
      () => fetchJsonSchemaBench({ subsets: ["Snowplow"], ...roots(hub.url) }),
      /unique_id Snowplow_train_0 at test row 0 is also at train row 0 with another schema/,
    );
  }
});
