/**
 * `deno task screenshots OUT_DIR`: PNG screenshots of the public pages, for
 * looking at them. Starts its own llama-server and server (a fresh
 * in-memory PGlite), seeds them with real runs of the smoke suite (see
 * `browser_site.ts`), and writes, at desktop width 1280 (whole pages):
 * `leaderboard.png`, `leaderboard_all.png` (every suite, grouped),
 * `run.png` (the `json_schema` run's report),
 * `case.png` (one of its failing cases), `compare.png` (the two
 * llama-server runs), `target.png` (a target's history) and
 * `case_hostile.png` (the hostile output, shown as text), `keywords.png`
 * (the keyword matrix, from `matrix_site.ts`), `suites.png`, `suite.png`,
 * `board_empty.png` (a fresh server's board); and at phone
 * width 390, `leaderboard_phone.png` and `board_empty_phone.png`; the first screen only (1280x800 and
 * 390x844): `run_first_screen.png` and `run_phone.png`. Prints each file, then any problem
 * met on a page (a script error, a failed load, a table without header
 * cells, an unlabelled control) and exits 1 if there was one. Needs
 * Debian's Chromium (`/usr/bin/chromium`) and the llama-server setup.
 *
 * @example
 * ```sh
 * deno task screenshots /tmp/shots
 * ```
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { OUTCOMES } from "../../evaluators/outcome.ts";
import { accessibilityProblems } from "./checks.ts";
import { launchChromium, watchPage } from "./chromium.ts";
import { browserSkipReason, type SeededSite, startSeededSite } from "./site.ts";
import { startMatrixRuns } from "./matrix_site.ts";
import { openServices, serve } from "../../server/boot.ts";
import { testEnv } from "../../server/testing/api.ts";

const USAGE = `usage: deno task screenshots OUT_DIR

Starts a llama-server and the server on a fresh in-memory database, seeds it
with real runs of the smoke suite, and writes PNG screenshots of the pages
into OUT_DIR (created when missing):

  leaderboard.png        the leaderboard, 1280 px wide
  leaderboard_phone.png  the leaderboard, 390 px wide
  leaderboard_all.png    every suite, grouped
  run.png                a run report
  run_first_screen.png   the first screen of a run report, 1280x800
  run_phone.png          the first screen of a run report, 390x844
  case.png               a failing case of that run
  compare.png            two runs compared (and compare_phone.png, 390 px)
  target.png             a target's history
  case_hostile.png       a case whose output is hostile markup
  keywords.png           the keyword matrix of two targets on one suite
  suites.png             every suite
  suite.png              one suite and its cases
  board_empty.png        a fresh server's board (and board_empty_phone.png)

Needs /usr/bin/chromium (apt-get install chromium) and the llama-server
(bash scripts/dev/setup_llama_server.sh).`;

/**
 * One screenshot to take: its file name, the page's path and the width.
 *
 * @example
 * ```ts
 * const shot: Shot = { file: "leaderboard.png", path: "/", width: 1280 };
 * ```
 */
export interface Shot {
  file: string;
  path: string;
  width: number;
  /** Only what the first screen shows (1280x800 or 390x844), not the whole page. */
  firstScreen?: boolean;
  /** Another site than the seeded one (the empty board's). */
  base?: string;
}

/**
 * The screenshots of a seeded site; `failingKey` is a failing case of the
 * `json_schema` run.
 *
 * @example
 * ```ts
 * import type { SeededSite } from "./site.ts";
 * declare const site: SeededSite;
 * plannedShots(site, "05_account_signup_string_length").map((s) => s.file);
 * ```
 */
export function plannedShots(site: SeededSite, failingKey: string): Shot[] {
  const { schema, prompt, hostile } = site.runs;
  const caseOf = (runId: string, key: string) =>
    `/runs/${runId}/cases/${encodeURIComponent(key)}`;
  return [
    { file: "leaderboard.png", path: "/", width: 1280 },
    { file: "leaderboard_phone.png", path: "/", width: 390 },
    { file: "leaderboard_all.png", path: "/?suite=all", width: 1280 },
    { file: "run.png", path: `/runs/${schema.id}`, width: 1280 },
    {
      file: "run_first_screen.png",
      path: `/runs/${schema.id}`,
      width: 1280,
      firstScreen: true,
    },
    {
      file: "run_phone.png",
      path: `/runs/${schema.id}`,
      width: 390,
      firstScreen: true,
    },
    { file: "case.png", path: caseOf(schema.id, failingKey), width: 1280 },
    {
      file: "compare.png",
      path: `/compare?a=${schema.id}&b=${prompt.id}`,
      width: 1280,
    },
    {
      file: "compare_phone.png",
      path: `/compare?a=${schema.id}&b=${prompt.id}`,
      width: 390,
    },
    { file: "target.png", path: `/targets/${schema.targetId}`, width: 1280 },
    {
      file: "case_hostile.png",
      path: caseOf(hostile.id, site.hostileKeys.raw),
      width: 1280,
    },
  ];
}

/** A failing case of the run, preferring one with validation errors. */
async function failingKey(site: SeededSite): Promise<string> {
  const run = site.runs.schema;
  const order = ["schema_violation", ...OUTCOMES.filter((o) => o !== "valid")];
  const outcome = order.find((o) => (run.byOutcome[o] ?? 0) > 0);
  if (!outcome) throw new Error("the run has no failing case");
  const res = await fetch(
    `${site.url}/api/runs/${run.id}/results?outcome=${outcome}&limit=1`,
  );
  const body = await res.json() as { items: { key: string }[] };
  return body.items[0].key;
}

async function capture(
  browser: Browser,
  site: SeededSite,
  shot: Shot,
  outDir: string,
): Promise<string[]> {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.width < 600 ? 844 : 800 },
    isMobile: shot.width < 600,
    hasTouch: shot.width < 600,
  });
  try {
    const page: Page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${shot.base ?? site.url}${shot.path}`);
    await page.waitForLoadState("networkidle");
    if (await page.locator("figure.chart").count() > 0) {
      await page.waitForSelector("figure.chart canvas");
    }
    const path = `${outDir}/${shot.file}`;
    await page.screenshot({ path, fullPage: !shot.firstScreen });
    problems.push(...await accessibilityProblems(page));
    return problems.map((p) => `${shot.file}: ${p}`);
  } finally {
    await context.close();
  }
}

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0].startsWith("-")) {
    const help = args[0] === "--help" || args[0] === "-h";
    (help ? console.log : console.error)(USAGE);
    return help ? 0 : 2;
  }
  const outDir = args[0].replace(/\/+$/, "") || "/";
  const skip = await browserSkipReason();
  if (skip) {
    console.error(`cannot take screenshots: ${skip}`);
    return 1;
  }
  await Deno.mkdir(outDir, { recursive: true });
  const log = (line: string) => console.error(line);
  let site: SeededSite | undefined;
  let browser: Browser | undefined;
  const stops: (() => Promise<void>)[] = [];
  try {
    log("starting the llama-server and the server, seeding real runs…");
    site = await startSeededSite({ maxTokens: 128, log });
    log(`seeded in ${(site.seedMs / 1000).toFixed(1)} s`);
    browser = await launchChromium();
    const problems: string[] = [];
    const take = async (shots: Shot[]) => {
      for (const shot of shots) {
        problems.push(...await capture(browser!, site!, shot, outDir));
        console.log(`${outDir}/${shot.file}  (${shot.width} px, ${shot.path})`);
      }
    };
    await take(plannedShots(site, await failingKey(site)));
    // After the board's shots: the matrix's suite would tie smoke's rows.
    const matrix = await startMatrixRuns(site.url);
    stops.push(() => matrix.stop());
    const empty = await startEmptySite();
    stops.push(() => empty.stop());
    await take([
      {
        file: "keywords.png",
        path: `/keywords?suite=${matrix.suiteId}`,
        width: 1280,
      },
      { file: "suites.png", path: "/suites", width: 1280 },
      { file: "suite.png", path: `/suites/${site.suiteId}`, width: 1280 },
      { file: "board_empty.png", path: "/", width: 1280, base: empty.url },
      {
        file: "board_empty_phone.png",
        path: "/",
        width: 390,
        base: empty.url,
      },
    ]);
    for (const problem of problems) log(`page problem: ${problem}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await browser?.close();
    await site?.stop();
  }
}

/** A fresh server with the built-in suites and no run: the empty board. */
async function startEmptySite() {
  const services = await openServices(testEnv(), {
    database: { memory: true },
    worker: false,
    scheduler: false,
    builtinSuites: true,
    log: () => {},
  });
  const listening = await serve(services, {
    hostname: "127.0.0.1",
    port: 0,
    quiet: true,
  });
  return {
    url: listening.url,
    stop: async () => {
      await listening.stop();
    },
  };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
