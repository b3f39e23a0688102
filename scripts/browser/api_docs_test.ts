// The API reference (/api/docs) in a real browser (Debian's headless
// Chromium): Swagger UI loads from the project's own /static/ files under
// the page's content security policy, reads /api/openapi.json and shows
// every operation of the document, with no error, CSP violation or
// request to another host. Ignored, with the reason printed, when
// Chromium is missing (a failure under CI=true).
import assert from "node:assert/strict";
import { createApp } from "../../server/app.ts";
import { openApiDocument } from "../../server/openapi.ts";
import { openTestDatabase } from "../../server/testing/database.ts";
import { testEnv } from "../../server/testing/api.ts";
import { needsTest } from "../../evaluators/testing/missing.ts";
import { CHROMIUM_PATH, launchChromium, watchPage } from "./chromium.ts";

async function chromiumMissing(): Promise<string | undefined> {
  try {
    await Deno.stat(CHROMIUM_PATH);
    return undefined;
  } catch {
    return `${CHROMIUM_PATH} is missing (apt-get install chromium)`;
  }
}

needsTest({
  name: "/api/docs shows every operation of the document, within its CSP",
  async fn() {
    const database = await openTestDatabase("pglite");
    const app = createApp({ database, env: testEnv() });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      app.fetch,
    );
    const browser = await launchChromium();
    try {
      const url = `http://127.0.0.1:${server.addr.port}`;
      const page = await browser.newPage();
      const problems = watchPage(page);
      const elsewhere: string[] = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(url)) elsewhere.push(request.url());
      });
      await page.goto(`${url}/api/docs`);
      const operations = Object.values(openApiDocument().paths)
        .reduce((n, item) => n + Object.keys(item).length, 0);
      await page.waitForFunction(
        (n) =>
          (globalThis as unknown as {
            document: { querySelectorAll(s: string): { length: number } };
          }).document.querySelectorAll(".opblock").length >= n,
        operations,
      );
      const shown = await page.locator(".opblock").count();
      assert.equal(shown, operations);
      assert.ok(
        await page.getByText("/api/runs/{id}/events").first().isVisible(),
      );
      // Opened, an operation renders its parameters and answer schemas:
      // still within the policy.
      await page.locator("#operations-runs-get_runs_by_id_results").click();
      await page.getByText("next_cursor").first().waitFor();
      await page.locator("#operations-catalog-post_suites").click();
      await page.getByText("Request body").first().waitFor();
      assert.deepEqual(problems, []);
      assert.deepEqual(elsewhere, []);
    } finally {
      await browser.close();
      await server.shutdown();
      await database.close();
    }
  },
}, await chromiumMissing());
