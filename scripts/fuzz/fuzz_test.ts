import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The routes the fuzz must cover whatever else the app has. */
const REQUIRED = [
  "POST /api/suites",
  "POST /api/suites/import (JSONL)",
  "POST /api/targets",
  "POST /api/runs",
  "POST /api/runs?dry_run=1",
  "POST /api/schedules",
  "PATCH /api/schedules/:id",
  "GET /api/suites",
  "GET /api/suites/:id",
  "GET /api/targets",
  "GET /api/runs",
  "GET /api/runs/:id/results",
  "GET /api/schedules",
  "GET /api/tokens",
  "GET /",
];

Deno.test("deno task fuzz: 2,000 cases a body route, 500 a query string, never a 5xx, the server still healthy", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "fuzz"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) +
    new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, text);
  const lines = new Map<string, { cases: number; fiveXx: number }>();
  for (const line of text.split("\n")) {
    const match = /^(.+): (\d+) cases.*; 5xx: (\d+)$/.exec(line);
    if (match) {
      lines.set(match[1], {
        cases: Number(match[2]),
        fiveXx: Number(match[3]),
      });
    }
  }
  for (const route of REQUIRED) {
    assert.ok(lines.has(route), `${route}\n${text}`);
  }
  for (const [route, { cases, fiveXx }] of lines) {
    // A GET route's query string gets a quarter of the cases.
    assert.equal(
      cases,
      route.startsWith("GET ") ? 500 : 2000,
      `${route}\n${text}`,
    );
    assert.equal(fiveXx, 0, `${route}\n${text}`);
  }
  assert.match(
    text,
    /^after: GET \/api\/health 200, GET \/api\/suites 200, POST \/api\/suites 201$/m,
  );
  assert.match(text, /^fuzz ok in /m);
});
