import assert from "node:assert/strict";
import { fetchGsm8k, parseGsm8kAnswer } from "./gsm8k.ts";

const TOTAL = 150;

/** A GSM8K-like row: question i, answer i * 1000 + 3 (written with commas). */
function row(index: number): Record<string, unknown> {
  const value = index * 1000 + 3;
  return {
    question: `Question number ${index}: how many?`,
    answer: `Work for ${index}.\n${index} * 1000 + 3 = ${value}\n#### ${
      value.toLocaleString("en-US")
    }`,
  };
}

interface Served {
  baseUrl: string;
  requests: URLSearchParams[];
  close: () => Promise<void>;
}

/**
 * A local stand-in for the rows API. Paths: `/ok/rows` answers well,
 * `/fail/rows` answers 500, `/badrow/rows` has a row without `####` at
 * index 120, `/noshape/rows` has a row without `row`.
 */
function serve(): Served {
  const requests: URLSearchParams[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request) => {
      const url = new URL(request.url);
      const mode = url.pathname.split("/")[1];
      if (url.pathname !== `/${mode}/rows`) {
        return new Response("not found", { status: 404 });
      }
      requests.push(url.searchParams);
      if (mode === "fail") {
        return new Response("internal error: upstream down", { status: 500 });
      }
      const offset = Number(url.searchParams.get("offset"));
      const length = Number(url.searchParams.get("length"));
      if (length > 100) {
        return Response.json({ error: "length too big" }, { status: 422 });
      }
      const rows = [];
      for (let i = offset; i < Math.min(TOTAL, offset + length); i++) {
        let cells = row(i);
        if (mode === "badrow" && i === 120) {
          cells = { question: "Broken?", answer: "no final line" };
        }
        rows.push(
          mode === "noshape" && i === 5
            ? { row_idx: i }
            : { row_idx: i, row: cells, truncated_cells: [] },
        );
      }
      return Response.json({
        features: [
          { feature_idx: 0, name: "question", type: { dtype: "string" } },
          { feature_idx: 1, name: "answer", type: { dtype: "string" } },
        ],
        rows,
        num_rows_total: TOTAL,
        num_rows_per_page: 100,
        partial: false,
      });
    },
  );
  return {
    baseUrl: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close: () => server.shutdown(),
  };
}

Deno.test("gsm8k: parseGsm8kAnswer", () => {
  assert.equal(parseGsm8kAnswer("Natalia sold 48/2 = 24\n#### 72"), 72);
  assert.equal(parseGsm8kAnswer("...\n#### 1,234"), 1234);
  assert.equal(parseGsm8kAnswer("#### -5\n"), -5);
  assert.equal(parseGsm8kAnswer("#### 3 #### 4"), 4);
  assert.throws(() => parseGsm8kAnswer("no marker"), /no '####'/);
  assert.throws(() => parseGsm8kAnswer("#### 2.5"), /not an integer/);
  assert.throws(() => parseGsm8kAnswer("#### "), /not an integer/);
});

Deno.test("gsm8k: reads two pages to the end of the split", async () => {
  const served = serve();
  try {
    const tasks = await fetchGsm8k({ baseUrl: `${served.baseUrl}/ok/` });
    assert.equal(tasks.length, TOTAL);
    assert.deepEqual(
      served.requests.map((q) => [
        q.get("dataset"),
        q.get("config"),
        q.get("split"),
        q.get("offset"),
        q.get("length"),
      ]),
      [
        ["openai/gsm8k", "main", "test", "0", "100"],
        ["openai/gsm8k", "main", "test", "100", "100"],
      ],
    );
    assert.deepEqual(tasks[0], {
      key: "gsm8k-test-0",
      family: "gsm8k",
      question: "Question number 0: how many?",
      expected: 3,
      answerType: "integer",
    });
    assert.equal(tasks[149].key, "gsm8k-test-149");
    assert.equal(tasks[149].expected, 149_003);
  } finally {
    await served.close();
  }
});

Deno.test("gsm8k: limit and split", async () => {
  const served = serve();
  try {
    const tasks = await fetchGsm8k({
      baseUrl: `${served.baseUrl}/ok`,
      split: "train",
      limit: 120,
    });
    assert.equal(tasks.length, 120);
    assert.equal(tasks[119].key, "gsm8k-train-119");
    assert.deepEqual(
      served.requests.map((
        q,
      ) => [q.get("split"), q.get("offset"), q.get("length")]),
      [["train", "0", "100"], ["train", "100", "20"]],
    );
    assert.deepEqual(
      await fetchGsm8k({ baseUrl: `${served.baseUrl}/ok`, limit: 0 }),
      [],
    );
    await assert.rejects(
      fetchGsm8k({ baseUrl: `${served.baseUrl}/ok`, limit: -1 }),
      RangeError,
    );
  } finally {
    await served.close();
  }
});

Deno.test("gsm8k: a custom fetch is used", async () => {
  const served = serve();
  try {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const tasks = await fetchGsm8k({
      baseUrl: `${served.baseUrl}/ok`,
      limit: 3,
      fetch: counting,
    });
    assert.equal(tasks.length, 3);
    assert.equal(calls, 1);
  } finally {
    await served.close();
  }
});

Deno.test("gsm8k: a 500 answer is an error with status and body", async () => {
  const served = serve();
  try {
    await assert.rejects(
      fetchGsm8k({ baseUrl: `${served.baseUrl}/fail` }),
      /answered 500.*upstream down/,
    );
  } finally {
    await served.close();
  }
});

Deno.test("gsm8k: malformed rows are errors that name the row", async () => {
  const served = serve();
  try {
    await assert.rejects(
      fetchGsm8k({ baseUrl: `${served.baseUrl}/badrow` }),
      /GSM8K test row 120: GSM8K answer has no '####'/,
    );
    // The bad row is on the second page: the first page alone is fine.
    assert.equal(
      (await fetchGsm8k({ baseUrl: `${served.baseUrl}/badrow`, limit: 100 }))
        .length,
      100,
    );
    await assert.rejects(
      fetchGsm8k({ baseUrl: `${served.baseUrl}/noshape` }),
      /rows\[5\] lacks row_idx or row/,
    );
  } finally {
    await served.close();
  }
});

Deno.test("gsm8k: a body that is not the rows format is an error", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => Response.json({ rows: "nope", num_rows_total: 1 }),
  );
  try {
    await assert.rejects(
      fetchGsm8k({ baseUrl: `http://127.0.0.1:${server.addr.port}` }),
      /"rows" is not an array/,
    );
  } finally {
    await server.shutdown();
  }
});
