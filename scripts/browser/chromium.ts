/**
 * Debian's headless Chromium, driven by playwright-core (no browser
 * download: `npx playwright install` cannot fetch one here). Every launch
 * gets a new, empty profile directory (Playwright makes a temporary
 * `--user-data-dir` for each launch and deletes it on close) and the flags
 * that keep Chromium off the network: no background networking, component
 * updates, sync or QUIC, so it only ever talks to the site under test.
 *
 * @example
 * ```ts
 * import { launchChromium } from "./chromium.ts";
 * const browser = await launchChromium();
 * try {
 *   const page = await browser.newPage();
 *   await page.goto("http://127.0.0.1:8000/");
 * } finally {
 *   await browser.close();
 * }
 * ```
 * @module
 */
import { type Browser, chromium, type Page } from "playwright-core";

/**
 * Where Debian's `chromium` package installs the browser.
 *
 * @example
 * ```ts
 * await Deno.stat(CHROMIUM_PATH); // throws when chromium is not installed
 * ```
 */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * The command-line flags of every launch.
 *
 * @example
 * ```ts
 * CHROMIUM_ARGS.includes("--disable-background-networking"); // true
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches headless Chromium with {@link CHROMIUM_ARGS} and a fresh
 * temporary profile.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
 * await browser.close();
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
}

/**
 * What went wrong inside a page: uncaught exceptions, console errors
 * (Content-Security-Policy violations and failed loads among them) and
 * failed requests. Attach it before the first navigation. The browser's
 * own request for `/favicon.ico`, which the site does not serve, is not
 * counted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * declare const url: string;
 * const problems = watchPage(page);
 * await page.goto(url);
 * assert.deepEqual(problems, []);
 * ```
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`exception: ${error}`));
  page.on("console", (message) => {
    const where = message.location().url;
    if (message.type() === "error" && !where.endsWith("/favicon.ico")) {
      problems.push(
        `console error: ${message.text()}${where ? ` (${where})` : ""}`,
      );
    }
  });
  page.on("requestfailed", (request) => {
    problems.push(
      `request failed: ${request.url()} (${request.failure()?.errorText})`,
    );
  });
  return problems;
}
