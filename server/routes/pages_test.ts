// The public pages through the whole app, on seeded data, on PGlite and on
// a real PostgreSQL.
import assert from "node:assert/strict";
import type { Database } from "../db/client.ts";
import { dbTest } from "../testing/database.ts";
import { type Fixture, SCRIPT, seedFixture } from "../testing/fixture.ts";
import { testApp } from "../testing/api.ts";

async function setup(database: Database) {
  const { app } = testApp(database);
  const fixture = await seedFixture(database);
  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  return { app, fixture, get };
}

/** The target names of the board's rows, in order (every table's). */
function boardTargets(html: string): string[] {
  const names: string[] = [];
  for (const [body] of html.matchAll(/<tbody>.*?<\/tbody>/gs)) {
    for (const m of body.matchAll(/<a href="\/targets\/[^"]+">([^<]+)<\/a>/g)) {
      names.push(m[1]);
    }
  }
  return names;
}

function alphaBoard(fixture: Fixture, extra = ""): string {
  return `/?suite=${fixture.alpha.id}${extra}`;
}

dbTest(
  "leaderboard: columns, rows, hidden and private runs",
  async (database) => {
    const { fixture, get } = await setup(database);
    // Every suite, grouped under a heading each.
    const res = await get("/?suite=all");
    assert.equal(res.status, 200);
    assert.match(res.html, /<h1>Leaderboard: every suite<\/h1>/);
    assert.match(
      res.html,
      /<h2 id="suite-0"><a href="[^"]+">alpha v1<\/a><\/h2>/,
    );
    assert.match(
      res.html,
      /<h2 id="suite-1"><a href="[^"]+">beta v1<\/a><\/h2>/,
    );
    // Without a suite, the one with the most rows; no Suite column then.
    const first = await get("/");
    assert.match(first.html, /<h1>Leaderboard: alpha v1<\/h1>/);
    assert.equal(boardTargets(first.html).length, 4);
    assert.match(
      first.html,
      new RegExp(
        `<option value="${fixture.alpha.id}" selected>alpha v1 \\(4 rows\\)`,
      ),
    );
    assert.match(first.html, /<option value="declared" selected>declared/);
    assert.ok(!/<th scope="col"[^>]*>(<a[^>]*>)?Suite/.test(first.html));
    assert.match(res.headers.get("content-type")!, /^text\/html/);
    assert.ok(res.html.startsWith("<!DOCTYPE html>"));
    assert.match(res.html, /<html lang="en">/);
    for (
      const column of [
        "Rank",
        "Target",
        "Empirical coverage",
        "Compliance",
        "Declared coverage",
        "Quality",
        "TTFT p50",
        "TPOT p50",
        "Cost / 1k cases",
        "Last run",
        "Trend",
      ]
    ) {
      assert.match(
        res.html,
        new RegExp(
          `<th scope="col"[^>]*>(<a[^>]*>)?${column.replace("/", "\\/")}`,
        ),
        column,
      );
    }
    assert.match(res.html, /<caption>/);
    // One row per target per suite: 4 on alpha, 1 on beta.
    const targets = boardTargets(res.html);
    assert.equal(targets.length, 5);
    assert.ok(!targets.includes("secret"), "a private run is not on the board");
    // hidden-llama's newer run is hidden: its older one stands.
    assert.ok(targets.includes("hidden-llama"));
    assert.ok(res.html.includes(`/runs/${fixture.runs.hiddenOld.id}"`));
    assert.ok(!res.html.includes(`/runs/${fixture.runs.hiddenNew.id}"`));
    assert.ok(!res.html.includes(`/runs/${fixture.runs.running.id}"`));
    assert.match(res.html, /data-hidden-runs="1"/);
    assert.match(res.html, /1 hidden run is not shown/);
    // The latest run of fast-llama on alpha (build b2) and its trend.
    assert.ok(res.html.includes(`/runs/${fixture.runs.fastNew.id}"`));
    assert.ok(!res.html.includes(`/runs/${fixture.runs.fastOld.id}"`));
    assert.match(res.html, /build b2/);
    assert.match(
      res.html,
      /<svg class="spark"[^>]*aria-label="[^"]*50\.0%, 100\.0%"/,
    );
    // Quality only where the summary has accuracy; cost per 1k cases.
    assert.match(res.html, /\$1\.00/);
    // Two checked rows go to /compare.
    assert.match(res.html, /<form method="get" action="\/compare">/);
    assert.match(res.html, /<input type="checkbox" name="run"/);
    // Labelled filters.
    for (const name of ["suite", "validation", "kind", "mode"]) {
      assert.match(res.html, new RegExp(`<label for="filter-${name}">`));
    }
  },
);

dbTest("leaderboard: every column sorts both ways", async (database) => {
  const { fixture, get } = await setup(database);
  const order = async (query: string) =>
    boardTargets((await get(alphaBoard(fixture, query))).html);
  const byTtft = ["prompt-llama", "fast-llama", "hidden-llama", "gpt-x"];
  // Lower is better: ascending by default, and the header link says so.
  assert.deepEqual(await order("&sort=ttft"), byTtft);
  assert.deepEqual(await order("&sort=ttft&dir=desc"), [...byTtft].reverse());
  const board = (await get(alphaBoard(fixture))).html;
  assert.match(board, /href="\/\?suite=[^"]+&amp;sort=ttft&amp;dir=asc"/);
  assert.match(board, /href="\/\?suite=[^"]+&amp;sort=empirical&amp;dir=desc"/);
  const byCoverage = ["fast-llama", "gpt-x", "hidden-llama", "prompt-llama"];
  assert.deepEqual(await order("&sort=empirical"), byCoverage);
  assert.deepEqual(
    await order("&sort=empirical&dir=asc"),
    [...byCoverage].reverse(),
  );
  // The active column's link reverses it.
  const sorted = (await get(alphaBoard(fixture, "&sort=empirical"))).html;
  assert.match(sorted, /aria-sort="descending"/);
  assert.match(sorted, /href="\/\?suite=[^"]+&amp;sort=empirical&amp;dir=asc"/);
  // Missing values (quality: only gpt-x has it) go last both ways.
  assert.equal((await order("&sort=quality"))[0], "gpt-x");
  assert.equal((await order("&sort=quality&dir=asc"))[0], "gpt-x");
  assert.deepEqual(await order("&sort=target"), [
    "fast-llama",
    "gpt-x",
    "hidden-llama",
    "prompt-llama",
  ]);
  assert.equal((await order("&sort=cost&dir=desc"))[0], "gpt-x");
  assert.equal((await order("&sort=tpot"))[0], "fast-llama");
  assert.equal((await order("&sort=finished"))[0], "prompt-llama");
  // Unknown sort keys fall back to the rank order.
  assert.equal((await order("&sort=nope")).length, 4);
});

dbTest(
  "leaderboard: filters narrow and pages split the rows",
  async (database) => {
    const { fixture, get } = await setup(database);
    assert.deepEqual(boardTargets((await get("/?kind=openai")).html), [
      "gpt-x",
    ]);
    assert.deepEqual(boardTargets((await get("/?mode=prompt_only")).html), [
      "prompt-llama",
    ]);
    assert.deepEqual(
      boardTargets((await get(`/?suite=${fixture.beta.id}`)).html),
      ["fast-llama"],
    );
    assert.deepEqual(boardTargets((await get("/?kind=nothing")).html), []);
    // The chosen filter stays selected; sort survives filtering.
    const filtered = (await get("/?kind=openai&sort=ttft&dir=asc")).html;
    assert.match(filtered, /<option value="openai" selected/);
    assert.match(filtered, /<input type="hidden" name="sort" value="ttft">/);
    // Five rows, two a page.
    const pages = [];
    for (const page of [1, 2, 3]) {
      const html = (await get(`/?suite=all&per_page=2&page=${page}`)).html;
      pages.push(boardTargets(html));
      assert.equal(html.includes('rel="next"'), page < 3);
      assert.equal(html.includes('rel="prev"'), page > 1);
    }
    assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
    assert.equal(new Set(pages.flat()).size + 1, pages.flat().length); // fast-llama twice (two suites)
    // Past the last page: the last page.
    assert.deepEqual(
      boardTargets((await get("/?suite=all&per_page=2&page=9")).html),
      pages[2],
    );
  },
);

dbTest(
  "run page: header, outcomes, subsets, keywords and cases",
  async (database) => {
    const { fixture, get } = await setup(database);
    const run = fixture.runs.gpt;
    const res = await get(`/runs/${run.id}`);
    assert.equal(res.status, 200);
    const html = res.html;
    assert.match(html, /alpha v1/);
    assert.ok(html.includes(fixture.alpha.hash));
    assert.match(html, /gpt-x-2025/); // the engine's own description
    assert.match(html, /<dt>validation<\/dt><dd>declared<\/dd>/);
    assert.match(html, /Prompt template/);
    assert.match(html, /id="outcome-table"/);
    assert.match(
      html,
      /<th scope="row">schema_violation<\/th><td class="num">1<\/td>/,
    );
    // The headline comes first: the scores, then the outcome bar, coloured
    // per outcome, with a legend that names each and its count.
    const headline = html.slice(
      html.indexOf('class="headline"'),
      html.indexOf('id="cases"'),
    );
    assert.ok(
      html.indexOf('class="headline"') < html.indexOf('id="reproduce"'),
    );
    assert.match(
      headline,
      /data-score="empirical_coverage"><dt>Empirical coverage<\/dt><dd><span class="big" data-score-value="">75\.0%<\/span><span class="interval" data-score-interval="">\[30\.1–95\.4\] n=4</,
    );
    assert.match(
      headline,
      /<rect class="o-valid" data-outcome="valid" x="0" y="0" width="750" height="20">/,
    );
    assert.match(
      headline,
      /<rect class="o-schema_violation" data-outcome="schema_violation" x="750" y="0" width="250"/,
    );
    assert.match(
      headline,
      /<span class="swatch o-schema_violation" aria-hidden="true"><\/span>schema violation <strong data-count="">1<\/strong>/,
    );
    // The jump links, and the case list before every score table.
    for (
      const id of ["cases", "all-scores", "keywords", "subsets", "reproduce"]
    ) {
      assert.match(html, new RegExp(`<a href="#${id}">`));
      assert.match(html, new RegExp(` id="${id}"`));
    }
    assert.ok(
      html.indexOf('id="case-table"') < html.indexOf('id="outcome-table"'),
    );
    assert.ok(
      html.indexOf('id="case-table"') < html.indexOf('id="keyword-table"'),
    );
    // Reproducibility is folded; the page needs no chart script.
    assert.match(html, /<h2 id="reproduce">Reproducibility<\/h2><details>/);
    assert.ok(!html.includes("/static/uplot.js"));
    assert.match(html, /id="subset-table"/);
    assert.match(html, /<th scope="row">A<\/th>/);
    assert.match(html, /id="keyword-table"/);
    assert.match(html, /<code>pattern<\/code>/);
    assert.match(html, /Quality \(accuracy\)/);
    // Every case, linked (a key with a slash is encoded).
    assert.match(
      (await get(`/runs/${run.id}?outcome=all`)).html,
      new RegExp(`/runs/${run.id}/cases/nested%2Fk3`),
    );
    // Filtered by outcome, by subset, by keyword.
    const keys = (page: string) =>
      [
        ...page.slice(page.indexOf('id="case-table"')).matchAll(
          /<th scope="row"><a href="\/runs\/[^/]+\/cases\/[^"]+">([^<]+)<\/a>/g,
        ),
      ].map((m) => m[1]);
    // Failures by default; every case on demand.
    assert.match(html, /<h2 id="cases">Failures<\/h2>/);
    assert.deepEqual(keys(html), ["k1"]);
    assert.deepEqual(keys((await get(`/runs/${run.id}?outcome=all`)).html), [
      "k1",
      "k2",
      "nested/k3",
      "k4",
    ]);
    assert.deepEqual(
      keys((await get(`/runs/${run.id}?outcome=schema_violation`)).html),
      ["k1"],
    );
    assert.deepEqual(
      keys((await get(`/runs/${run.id}?outcome=all&subset=B`)).html),
      [
        "nested/k3",
        "k4",
      ],
    );
    assert.deepEqual(
      keys((await get(`/runs/${run.id}?outcome=all&keyword=pattern`)).html),
      ["k2"],
    );
    assert.deepEqual(keys((await get(`/runs/${run.id}?failing=type`)).html), [
      "k1",
    ]);
    assert.deepEqual(
      keys((await get(`/runs/${run.id}?outcome=valid&subset=A`)).html),
      ["k2"],
    );
    // A finished run does not poll.
    assert.ok(!html.includes("data-progress-url"));
    assert.ok(!html.includes('http-equiv="refresh"'));
  },
);

dbTest("run page: a running run is live and polls", async (database) => {
  const { fixture, get } = await setup(database);
  const { html, status } = await get(`/runs/${fixture.runs.running.id}`);
  assert.equal(status, 200);
  assert.match(html, /Computed live/);
  assert.match(
    html,
    new RegExp(`data-progress-url="/api/runs/${fixture.runs.running.id}"`),
  );
  assert.match(
    html,
    new RegExp(
      `data-events-url="/api/runs/${fixture.runs.running.id}/events\\?interval_ms=2000"`,
    ),
  );
  assert.match(html, /<progress max="2" value="1">/);
  assert.match(html, /<noscript><meta http-equiv="refresh"/);
  assert.match(html, /\/static\/progress\.js\?v=/);
  assert.match(
    html,
    /<th scope="row">pending<\/th><td class="num">1<\/td>/,
  );
  // The headline says the status and is where the script finds its hooks.
  assert.match(
    html,
    /<section class="headline" aria-labelledby="headline" data-progress-url=/,
  );
  assert.match(html, /data-status="[^"]*"[^>]*>running<\/span>/);
  // A private run is not there for a stranger.
  const secret = await get(`/runs/${fixture.runs.secret.id}`);
  assert.equal(secret.status, 404);
  assert.doesNotMatch(secret.html, new RegExp(fixture.runs.secret.id));
  const missing = await get(`/runs/${crypto.randomUUID()}`);
  assert.equal(missing.status, 404);
  assert.match(missing.html, /<!DOCTYPE html>/);
  assert.equal((await get("/runs/not-a-uuid")).status, 404);
});

dbTest("case page: untrusted text comes back escaped", async (database) => {
  const { fixture, get } = await setup(database);
  const page = await get(`/runs/${fixture.runs.gpt.id}/cases/k1`);
  assert.equal(page.status, 200);
  // The model output (pretty-printed) and the schema's description.
  assert.ok(page.html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(!page.html.includes(SCRIPT));
  assert.ok(!/<script>alert/i.test(page.html));
  assert.match(page.html, /&quot;name&quot;: &quot;&lt;script&gt;/); // indented JSON
  assert.match(page.html, /Schema actually sent/);
  assert.match(page.html, /id="error-table"/);
  assert.match(page.html, /<code>\/name<\/code><\/td><td><code>type<\/code>/);
  // Output that does not parse is shown as received, escaped.
  const raw = await get(`/runs/${fixture.runs.prompt.id}/cases/k2`);
  assert.ok(raw.html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(!raw.html.includes(SCRIPT));
  assert.match(raw.html, /does not parse as JSON/);
  // A key with a slash; an unknown key.
  const nested = await get(`/runs/${fixture.runs.gpt.id}/cases/nested%2Fk3`);
  assert.equal(nested.status, 200);
  assert.match(nested.html, /<code>nested\/k3<\/code>/);
  assert.equal(
    (await get(`/runs/${fixture.runs.gpt.id}/cases/nope`)).status,
    404,
  );
});

dbTest(
  "compare page: McNemar, differences, flipped cases",
  async (database) => {
    const { fixture, get } = await setup(database);
    const { fastNew, gpt, fastBeta } = fixture.runs;
    const res = await get(`/compare?a=${fastNew.id}&b=${gpt.id}`);
    assert.equal(res.status, 200);
    assert.match(res.html, /McNemar p/);
    assert.match(res.html, /<dd id="mcnemar-p">1\.0000/);
    assert.match(res.html, /id="score-difference-table"/);
    assert.match(res.html, /−25\.0 pp|-25\.0 pp/);
    assert.match(res.html, /Valid only in a \(1\)/);
    assert.match(
      res.html,
      /id="latency-median"[^<]*Median latency with its 95% bootstrap interval: a/,
    );
    assert.match(res.html, new RegExp(`/runs/${fastNew.id}/cases/k1`));
    // From the board's checkboxes: two `run` values become a and b.
    const chosen = await get(`/compare?run=${fastNew.id}&run=${gpt.id}`);
    assert.equal(chosen.status, 303);
    assert.equal(
      chosen.headers.get("location"),
      `/compare?a=${fastNew.id}&b=${gpt.id}`,
    );
    assert.equal((await get(`/compare?run=${gpt.id}`)).status, 400);
    assert.equal((await get("/compare")).status, 400);
    assert.equal(
      (await get(`/compare?a=${fastNew.id}&b=${fastBeta.id}`)).status,
      400,
    );
    assert.equal(
      (await get(`/compare?a=${fastNew.id}&b=${crypto.randomUUID()}`)).status,
      404,
    );
  },
);

dbTest("target page: history, changes and flags", async (database) => {
  const { fixture, get } = await setup(database);
  const res = await get(`/targets/${fixture.targets.fast.id}`);
  assert.equal(res.status, 200);
  assert.match(res.html, /<h1>fast-llama<\/h1>/);
  assert.match(res.html, /<h2>alpha v1<\/h2>/);
  assert.match(res.html, /<h2>beta v1<\/h2>/);
  assert.match(res.html, /engine_build_changed/);
  assert.match(res.html, /build or model changed/);
  assert.match(res.html, /data-chart="\{&quot;kind&quot;:&quot;history&quot;/);
  assert.ok(
    res.html.indexOf(fixture.runs.fastOld.id) <
      res.html.indexOf(fixture.runs.fastNew.id),
  );
  // By name too; hidden runs are listed and marked.
  const hidden = await get("/targets/hidden-llama");
  assert.match(hidden.html, /<span class="flag">hidden<\/span>/);
  assert.equal((await get(`/targets/${crypto.randomUUID()}`)).status, 404);
});

dbTest("methodology and static files", async (database) => {
  const { get } = await setup(database);
  const doc = await get("/methodology");
  assert.equal(doc.status, 200);
  assert.match(doc.html, /<h1>Methodology<\/h1>/);
  assert.match(doc.html, /<table>/);
  const page = await get("/");
  const css = /href="(\/static\/site\.css\?v=[0-9a-f]{8})"/.exec(page.html)!;
  const res = await get(css[1]);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/css; charset=utf-8");
  assert.match(
    res.headers.get("cache-control")!,
    /max-age=31536000, immutable/,
  );
  const uplot = await get("/static/uplot.js");
  assert.equal(
    uplot.headers.get("content-type"),
    "text/javascript; charset=utf-8",
  );
  assert.match(uplot.html, /uPlot/);
  assert.equal((await get("/static/assets.ts")).status, 404);
  assert.equal((await get("/static/..%2Fapp.ts")).status, 404);
  assert.match(
    page.headers.get("content-security-policy")!,
    /default-src 'self'/,
  );
});
