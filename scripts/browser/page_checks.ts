/**
 * The browser test's checks of the issue-17 pages, each on a fresh
 * browser context: the board's headers inside the viewport, the run
 * report's headline in the first screen (desktop and phone), the case
 * list and compare page at phone width, a live run's headline following
 * its event stream, and the keyword matrix's cell states.
 *
 * @example
 * ```ts
 * import { checkLive, checkMatrix, checkPhone } from "./page_checks.ts";
 * import type { Browser } from "playwright-core";
 * import type { SeededSite } from "./site.ts";
import { openServices, serve } from "../../server/boot.ts";
import { testEnv } from "../../server/testing/api.ts";
import { seedFixture } from "../../server/testing/fixture.ts";
 * declare const browser: Browser;
 * declare const site: SeededSite;
 * await checkPhone(browser, site);
 * await checkLive(browser, site);
 * await checkMatrix(browser, site);
 * ```
 * @module
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import {
  accessibilityProblems,
  outsideViewport,
  type PageDocument,
} from "./checks.ts";
import { watchPage } from "./chromium.ts";
import { startSlowRun } from "./live_run.ts";
import { startMatrixRuns } from "./matrix_site.ts";
import type { SeededSite } from "./site.ts";
import { openServices, serve } from "../../server/boot.ts";
import { testEnv } from "../../server/testing/api.ts";
import { seedFixture } from "../../server/testing/fixture.ts";

async function assertAccessible(page: Page, where: string): Promise<void> {
  assert.deepEqual(await accessibilityProblems(page), [], where);
}

/**
 * Every column header of the board's tables lies inside the viewport's
 * width (clipped columns, not only a scroll bar, were the bug).
 *
 * @example
 * ```ts
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * await assertBoardFits(page, "board at 1280x800");
 * ```
 */
export async function assertBoardFits(
  page: Page,
  where: string,
): Promise<void> {
  assert.deepEqual(
    await outsideViewport(page, [".board-table thead th"], {
      firstScreen: false,
    }),
    [],
    where,
  );
}

/**
 * The run report's headline (three scores, the outcome bar) is in the
 * first screen.
 *
 * @example
 * ```ts
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * await assertHeadlineFirst(page, "run report at 1280x800");
 * ```
 */
export async function assertHeadlineFirst(
  page: Page,
  where: string,
): Promise<void> {
  assert.deepEqual(
    await outsideViewport(page, [
      'section.headline [data-score="empirical_coverage"] .big',
      'section.headline [data-score="compliance"] .big',
      'section.headline [data-score="declared_coverage"] .big',
      "section.headline .outcome-bar svg",
      "section.headline .outcome-bar ul.legend",
    ], { firstScreen: true }),
    [],
    where,
  );
}

/**
 * On a phone, 390x844: the run report's headline in the first screen, the
 * case list's and the compare page's columns inside its width, and the
 * board's rank, target and empirical coverage in the first screen with
 * the other columns behind the toggle.
 *
 * @example
 * ```ts
 * import type { Browser } from "playwright-core";
 * import type { SeededSite } from "./site.ts";
import { openServices, serve } from "../../server/boot.ts";
import { testEnv } from "../../server/testing/api.ts";
import { seedFixture } from "../../server/testing/fixture.ts";
 * declare const browser: Browser;
 * declare const site: SeededSite;
 * await checkPhone(browser, site);
 * ```
 */
export async function checkPhone(
  browser: Browser,
  site: SeededSite,
): Promise<void> {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await phone.newPage();
  const problems = watchPage(page);
  await page.goto(`${site.url}/runs/${site.runs.schema.id}`);
  await assertHeadlineFirst(page, "run report at 390x844");
  // The case list and the compare page's columns fit the phone's width.
  assert.deepEqual(
    await outsideViewport(page, ["#case-table thead th:not(.extra)"], {
      firstScreen: false,
    }),
    [],
    "case list at 390 px",
  );
  await page.goto(
    `${site.url}/compare?a=${site.runs.schema.id}&b=${site.runs.prompt.id}`,
  );
  assert.deepEqual(
    await outsideViewport(page, ["#score-difference-table thead th"], {
      firstScreen: false,
    }),
    [],
    "compare at 390 px",
  );
  // The board: rank, target and empirical coverage (with its interval) in
  // the first screen; the other columns behind the toggle.
  await page.goto(`${site.url}/`);
  const first = ".board-table tbody tr:first-child";
  assert.deepEqual(
    await outsideViewport(page, [
      ".board-table thead th:nth-child(2)",
      ".board-table thead th:nth-child(3)",
      ".board-table thead th:nth-child(4)",
      `${first} td:nth-child(2)`,
      `${first} td.target a`,
      `${first} td:nth-child(4) .value`,
      `${first} td:nth-child(4) .interval`,
    ], { firstScreen: true }),
    [],
    "board at 390x844",
  );
  assert.equal(
    await page.locator(".board-table thead th.extra").first().isVisible(),
    false,
  );
  await page.check(".show-more");
  assert.equal(
    await page.locator(".board-table thead th.extra").first().isVisible(),
    true,
  );
  assert.deepEqual(problems, [], "errors in the phone pages");
  await phone.close();
}

/**
 * A run that is still going: its headline follows the event stream with
 * no reload (a mark left on the window survives), and the page reloads
 * once the run is done.
 *
 * @example
 * ```ts
 * import type { Browser } from "playwright-core";
 * import type { SeededSite } from "./site.ts";
import { openServices, serve } from "../../server/boot.ts";
import { testEnv } from "../../server/testing/api.ts";
import { seedFixture } from "../../server/testing/fixture.ts";
 * declare const browser: Browser;
 * declare const site: SeededSite;
 * await checkLive(browser, site);
 * ```
 */
export async function checkLive(
  browser: Browser,
  site: SeededSite,
): Promise<void> {
  const slow = await startSlowRun(site.url, site.suiteId, { delayMs: 400 });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${site.url}/runs/${slow.runId}`);
    const read = () =>
      page.textContent("section.headline [data-progress-text]");
    const first = (await read()) ?? "";
    const done = Number(first.match(/^(\d+) of/)?.[1]);
    assert.ok(Number.isFinite(done), first);
    await page.evaluate(() => {
      (globalThis as unknown as { liveMark: number }).liveMark = 1;
    });
    await page.waitForFunction(
      (before) => {
        const doc = (globalThis as unknown as { document: PageDocument })
          .document;
        const text = doc.querySelector("section.headline [data-progress-text]")
          ?.textContent ?? "";
        return text !== before && Number(text.match(/^(\d+) of/)?.[1]) > 0;
      },
      first,
      { timeout: 30_000 },
    );
    assert.equal(
      await page.evaluate(() =>
        (globalThis as unknown as { liveMark?: number }).liveMark
      ),
      1,
      "the page reloaded instead of updating",
    );
    // The bar and the scores moved with it.
    assert.ok(
      await page.locator(".outcome-bar svg rect[data-outcome]").count() > 0,
    );
    assert.notEqual(
      (await page.textContent(
        'section.headline [data-score="empirical_coverage"] .big',
      ))?.trim(),
      "",
    );
    assert.deepEqual(problems, [], "errors on the live page");
  } finally {
    await context.close();
    await slow.stop();
  }
}

/**
 * The keyword matrix for two targets on one suite: on the constraining
 * one a cell in every state, on the prompt_only one coverage only; a
 * focused cell shows its n and interval.
 *
 * @example
 * ```ts
 * import type { Browser } from "playwright-core";
 * import type { SeededSite } from "./site.ts";
import { openServices, serve } from "../../server/boot.ts";
import { testEnv } from "../../server/testing/api.ts";
import { seedFixture } from "../../server/testing/fixture.ts";
 * declare const browser: Browser;
 * declare const site: SeededSite;
 * await checkMatrix(browser, site);
 * ```
 */
export async function checkMatrix(
  browser: Browser,
  site: SeededSite,
): Promise<void> {
  const matrix = await startMatrixRuns(site.url);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${site.url}/keywords?suite=${matrix.suiteId}`);
    assert.match(await page.title(), /^Keywords: keyword-matrix/);
    const heads = await page.locator("#keyword-matrix thead th a")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.deepEqual(
      [...heads].sort(),
      matrix.runIds.map((id) => `/runs/${id}`).sort(),
    );
    const constrained = heads.indexOf(`/runs/${matrix.runIds[0]}`);
    const states = (column: number) =>
      page.locator(`#keyword-matrix tbody tr:not(.group)`).evaluateAll(
        (rows, column) =>
          rows.map((row) =>
            row.querySelectorAll("td.cell")[column]?.getAttribute(
              "data-state",
            ) ?? null
          ),
        column,
      );
    const strict = new Set(await states(constrained));
    for (const state of ["refused", "adapted", "unsound", "coverage"]) {
      assert.ok(strict.has(state), `no ${state} cell: ${[...strict]}`);
    }
    const loose = new Set(await states(1 - constrained));
    loose.delete(null);
    assert.deepEqual([...loose], ["coverage"]);
    // Focus shows the cell's n and interval.
    const cell = page.locator('#keyword-matrix td[data-state="coverage"]')
      .first();
    await cell.focus();
    assert.ok(await cell.locator(".cell-detail").isVisible());
    assert.match(await cell.locator(".cell-detail").innerText(), /n=\d+/);
    await assertAccessible(page, "keyword matrix");
    assert.deepEqual(problems, [], "errors on the keyword matrix");
  } finally {
    await context.close();
    await matrix.stop();
  }
}

/**
 * The board with every column it can have (quality, cost, a trend, a
 * non-default build) on the pages' test fixture, served by a server of its
 * own: at 1280x800 every header still lies inside the viewport.
 *
 * @example
 * ```ts
 * import type { Browser } from "playwright-core";
 * declare const browser: Browser;
 * await checkFullBoard(browser);
 * ```
 */
export async function checkFullBoard(browser: Browser): Promise<void> {
  const services = await openServices(testEnv(), {
    database: { memory: true },
    worker: false,
    scheduler: false,
    log: () => {},
  });
  const fixture = await seedFixture(services.database);
  const listening = await serve(services, {
    hostname: "127.0.0.1",
    port: 0,
    quiet: true,
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await context.newPage();
    await page.goto(`${listening.url}/?suite=${fixture.alpha.id}`);
    const headers = await page.locator(".board-table thead th")
      .allTextContents();
    for (const name of ["Quality", "Cost", "Trend", "Last run"]) {
      assert.ok(headers.some((h) => h.includes(name)), `${name}: ${headers}`);
    }
    await assertBoardFits(page, "the fixture's full board at 1280x800");
    await page.goto(`${listening.url}/?suite=all`);
    await assertBoardFits(page, "the fixture's every-suite board at 1280x800");
  } finally {
    await context.close();
    await listening.stop();
  }
}
