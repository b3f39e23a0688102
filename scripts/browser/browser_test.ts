// The public pages in a real browser (Debian's headless Chromium through
// playwright-core), on a site seeded by real runs of the smoke suite on
// the local llama-server, plus a provider-stub run whose raw output is
// hostile markup. Ignored, with the reason printed, when Chromium or the
// llama-server is missing (a failure under CI=true).
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { OUTCOMES } from "../../evaluators/outcome.ts";
import {
  accessibilityProblems,
  injectedMarkup,
  type PageDocument,
} from "./checks.ts";
import { launchChromium, watchPage } from "./chromium.ts";
import {
  browserSkipReason,
  HOSTILE_JSON,
  HOSTILE_OUTPUT,
  type SeededSite,
  startSeededSite,
} from "./site.ts";
import { needsTest } from "../../evaluators/testing/missing.ts";
import {
  assertBoardFits,
  assertHeadlineFirst,
  checkFullBoard,
  checkLive,
  checkMatrix,
  checkPhone,
} from "./page_checks.ts";

const skipReason = await browserSkipReason();

/** One leaderboard row as the page shows it. */
interface BoardLine {
  target: string;
  meta: string;
  runHref: string;
  empirical: string;
}

function boardLines(page: Page): Promise<BoardLine[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    const rows = [
      ...doc.querySelectorAll('form[action="/compare"] table tbody tr'),
    ];
    return rows.filter((row) => row.querySelector("td.target")).map((row) => ({
      target: row.querySelector("td.target a")?.textContent?.trim() ?? "",
      meta: row.querySelector("td.target .target-meta")?.textContent ?? "",
      runHref: row.querySelector('a[href^="/runs/"]')?.getAttribute("href") ??
        "",
      empirical:
        row.querySelectorAll("td")[3]?.querySelector(".value")?.textContent ??
          "",
    }));
  });
}

async function assertAccessible(page: Page, where: string): Promise<void> {
  assert.deepEqual(await accessibilityProblems(page), [], where);
}

/** A case page carries the hostile text as text: no dialog, no markup. */
async function checkHostileCase(
  page: Page,
  dialogs: string[],
  url: string,
  expected: string,
): Promise<void> {
  await page.goto(url);
  // An injected <img src=x> would fail to load and run its handler now.
  await page.waitForLoadState("networkidle");
  assert.deepEqual(dialogs, [], `a dialog fired on ${url}`);
  assert.equal(await page.textContent("#output"), expected);
  assert.deepEqual(await injectedMarkup(page), []);
}

async function exercise(browser: Browser, site: SeededSite): Promise<void> {
  const { url, runs } = site;
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  const problems = watchPage(page);

  // Every suite: the three public runs, under a heading per suite.
  await page.goto(`${url}/?suite=all`);
  assert.match(await page.title(), /^Leaderboard/);
  const everySuite = await boardLines(page);
  assert.deepEqual(
    everySuite.map((r) => r.target).sort(),
    [runs.schema, runs.prompt, runs.hostile].map((r) => r.targetName).sort(),
  );
  assert.deepEqual(
    (await page.locator("main h2 a").allTextContents()).sort(),
    ["smoke v1", "smoke-hostile v1"],
  );
  await assertAccessible(page, "leaderboard, every suite");
  await assertBoardFits(page, "every suite at 1280x800");

  // The board by default: the suite with the most rows (smoke), declared.
  await page.goto(`${url}/`);
  const initial = await boardLines(page);
  const names = [runs.schema, runs.prompt].map((r) => r.targetName);
  assert.deepEqual(initial.map((r) => r.target).sort(), [...names].sort());
  assert.match((await page.textContent("h1")) ?? "", /smoke v1/);
  await assertAccessible(page, "leaderboard");
  await assertBoardFits(page, "leaderboard at 1280x800");

  // Sorting: the Target header sorts A→Z, a second click Z→A.
  await page.click('thead th a:text-matches("^Target")');
  await page.waitForURL(/[?&]sort=target&dir=asc/);
  const ascending = (await boardLines(page)).map((r) => r.target);
  assert.deepEqual(ascending, [...names].sort((a, b) => a.localeCompare(b)));
  assert.match(
    await page.getAttribute('thead th[aria-sort="ascending"] a', "href") ?? "",
    /^\/\?suite=[^&]+&validation=declared&sort=target&dir=desc$/,
  );
  await page.click('thead th a:text-matches("^Target")');
  await page.waitForURL(/[?&]sort=target&dir=desc/);
  const descending = (await boardLines(page)).map((r) => r.target);
  assert.deepEqual(descending, [...ascending].reverse());
  assert.notDeepEqual(descending, ascending);
  // Empirical coverage sorts best first.
  await page.click('thead th a:text-matches("^Empirical coverage")');
  await page.waitForURL(/[?&]sort=empirical&dir=desc/);
  const coverage = (await boardLines(page)).map((r) =>
    Number.parseFloat(r.empirical)
  );
  assert.ok(coverage.every((v) => Number.isFinite(v)), String(coverage));
  assert.deepEqual(coverage, [...coverage].sort((a, b) => b - a));

  // Filtering by mode narrows the rows and keeps the sort.
  await page.selectOption("#filter-mode", "json_schema");
  await page.click('form.filters button[type="submit"]');
  await page.waitForURL(/[?&]mode=json_schema/);
  assert.match(page.url(), /sort=empirical&dir=desc/);
  const filtered = await boardLines(page);
  assert.deepEqual(filtered.map((r) => r.target), [runs.schema.targetName]);
  assert.ok(filtered.every((r) => r.meta.includes("json_schema")));
  await page.selectOption("#filter-mode", "prompt_only");
  await page.click('form.filters button[type="submit"]');
  await page.waitForURL(/[?&]mode=prompt_only/);
  const prompts = await boardLines(page);
  assert.deepEqual(prompts.map((r) => r.target), [runs.prompt.targetName]);
  assert.equal(await page.inputValue("#filter-mode"), "prompt_only");
  await assertAccessible(page, "filtered leaderboard");

  // Compare: check the two llama-server runs, submit.
  await page.goto(`${url}/`);
  await page.check(`#compare-${runs.schema.id}`);
  await page.check(`#compare-${runs.prompt.id}`);
  await page.click('form[action="/compare"] button[type="submit"]');
  await page.waitForURL(/\/compare\?a=.+&b=.+/);
  const compared = new URL(page.url()).searchParams;
  assert.deepEqual(
    [compared.get("a"), compared.get("b")].sort(),
    [runs.schema.id, runs.prompt.id].sort(),
  );
  assert.match(await page.title(), /^Compare/);
  await assertAccessible(page, "compare");

  // A run's report, opened from the board: the outcome chart is drawn.
  await page.goto(`${url}/`);
  const row = (await boardLines(page)).find((r) =>
    r.target === runs.schema.targetName
  );
  assert.equal(row?.runHref, `/runs/${runs.schema.id}`);
  await page.click(`td.nowrap a[href="/runs/${runs.schema.id}"]`);
  await page.waitForURL(`${url}/runs/${runs.schema.id}`);
  assert.match(await page.title(), /^Run of tiny-llama-schema on smoke /);
  assert.equal(
    (await page.textContent("h1"))?.replace(/\s+/g, " ").trim(),
    "Run of tiny-llama-schema on smoke v1",
  );
  await assertHeadlineFirst(page, "run report at 1280x800");
  const segments = await page.locator(".outcome-bar svg rect[data-outcome]")
    .evaluateAll((rects) =>
      rects.map((r) => [
        r.getAttribute("data-outcome"),
        Number(r.getAttribute("width")),
      ])
    );
  const drawn = Object.keys(runs.schema.byOutcome).filter((o) =>
    runs.schema.byOutcome[o] > 0
  );
  assert.deepEqual(segments.map(([o]) => o).sort(), drawn.sort());
  assert.ok(segments.every(([, w]) => Number(w) > 0), String(segments));
  // Distinct outcomes, distinct colours.
  const fills = await page.locator(".outcome-bar svg rect[data-outcome]")
    .evaluateAll((rects) =>
      rects.map((r) =>
        (globalThis as unknown as {
          getComputedStyle(e: unknown): { fill: string };
        }).getComputedStyle(r).fill
      )
    );
  assert.equal(new Set(fills).size, fills.length, String(fills));
  await assertAccessible(page, "run report");

  // A failing case, through the case list's outcome filter.
  const failing = OUTCOMES.find((o) =>
    o !== "valid" && (runs.schema.byOutcome[o] ?? 0) > 0
  );
  assert.ok(
    failing,
    `no failing case: ${JSON.stringify(runs.schema.byOutcome)}`,
  );
  await page.selectOption("#case-outcome", failing);
  await page.click('form[aria-label="Filter the cases"] button');
  await page.waitForURL(new RegExp(`[?&]outcome=${failing}`));
  const listed = await page.locator("#case-table tbody tr td:nth-child(3)")
    .allTextContents();
  assert.equal(listed.length, Math.min(50, runs.schema.byOutcome[failing]));
  // Without a filter the list shows every failure, and only failures.
  await page.goto(`${url}/runs/${runs.schema.id}`);
  const failures = await page.locator("#case-table tbody tr td:nth-child(3)")
    .allTextContents();
  const failureCount = Object.entries(runs.schema.byOutcome).filter(([o]) =>
    o !== "valid" && o !== "skipped"
  ).reduce((sum, [, n]) => sum + n, 0);
  assert.equal(failures.length, Math.min(50, failureCount));
  assert.ok(failures.every((o) => o.trim() !== "valid"), String(failures));
  await page.selectOption("#case-outcome", failing);
  await page.click('form[aria-label="Filter the cases"] button');
  await page.waitForURL(new RegExp(`[?&]outcome=${failing}`));
  assert.ok(listed.every((o) => o.trim() === failing), String(listed));
  const firstCase = page.locator("#case-table tbody tr th a").first();
  const key = (await firstCase.textContent())?.trim() ?? "";
  await firstCase.click();
  await page.waitForURL(/\/cases\//);
  assert.equal((await page.textContent("h1 code"))?.trim(), key);
  assert.equal((await page.textContent("dd.outcome-bad"))?.trim(), failing);
  await assertAccessible(page, "case page");

  // The hostile output, shown literally; first under the site's own CSP.
  const caseUrl = (k: string) =>
    `${url}/runs/${runs.hostile.id}/cases/${encodeURIComponent(k)}`;
  const pretty = JSON.stringify(JSON.parse(HOSTILE_JSON), null, 2);
  await page.goto(`${url}/runs/${runs.hostile.id}`);
  await page.click(
    `#case-table a[href="/runs/${runs.hostile.id}/cases/${
      encodeURIComponent(site.hostileKeys.raw)
    }"]`,
  );
  await page.waitForURL(caseUrl(site.hostileKeys.raw));
  await checkHostileCase(page, dialogs, page.url(), HOSTILE_OUTPUT);
  assert.ok((await page.innerText("main")).includes(HOSTILE_OUTPUT));
  await checkHostileCase(page, dialogs, caseUrl(site.hostileKeys.json), pretty);
  await assertAccessible(page, "hostile case page");
  assert.deepEqual(problems, [], "errors in the pages");
  await context.close();

  await checkPhone(browser, site);
  await checkLive(browser, site);
  await checkMatrix(browser, site);
  await checkFullBoard(browser);

  // Then with the CSP bypassed, so only the escaping stands in the way.
  const open = await browser.newContext({ bypassCSP: true });
  const openPage = await open.newPage();
  const openDialogs: string[] = [];
  openPage.on("dialog", (dialog) => {
    openDialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  await checkHostileCase(
    openPage,
    openDialogs,
    caseUrl(site.hostileKeys.raw),
    HOSTILE_OUTPUT,
  );
  await checkHostileCase(
    openPage,
    openDialogs,
    caseUrl(site.hostileKeys.json),
    pretty,
  );
  await open.close();
}

needsTest({
  name:
    "browser: board fits (1280x800, 390x844), sort and filter, compare, run headline first and live, failures first, keyword matrix states, hostile output, accessibility basics",
  // Chromium's pipes and the servers outlive single ops; all closed below.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const started = Date.now();
    let site: SeededSite | undefined;
    let browser: Browser | undefined;
    try {
      const [siteStart, browserStart] = await Promise.allSettled([
        startSeededSite({ maxTokens: 64, limit: 20 }),
        launchChromium(),
      ]);
      if (siteStart.status === "fulfilled") site = siteStart.value;
      if (browserStart.status === "fulfilled") browser = browserStart.value;
      for (const start of [siteStart, browserStart]) {
        if (start.status === "rejected") throw start.reason;
      }
      if (!site || !browser) throw new Error("unreachable");
      const seeded = Date.now() - started;
      await exercise(browser, site);
      console.log(
        `browser test: seeded in ${seeded} ms, whole test ${
          Date.now() - started
        } ms; outcomes ${JSON.stringify(site.runs.schema.byOutcome)} / ${
          JSON.stringify(site.runs.prompt.byOutcome)
        }`,
      );
    } finally {
      await browser?.close();
      await site?.stop();
    }
  },
}, skipReason === null ? undefined : `browser test: ${skipReason}`);
