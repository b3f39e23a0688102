import assert from "node:assert/strict";
import { join } from "node:path";
import { openReport, reportUrl } from "./report_url.ts";

Deno.test("reportUrl: the run's page, with a private run's share link", () => {
  assert.equal(
    reportUrl("http://127.0.0.1:8000/", "0b5e"),
    "http://127.0.0.1:8000/runs/0b5e",
  );
  assert.equal(
    reportUrl("https://evals.example", "0b5e", "shr_a+b"),
    "https://evals.example/runs/0b5e?share=shr_a%2Bb",
  );
});

Deno.test("openReport: runs xdg-open with the URL; without one, it does not throw", async () => {
  const dir = await Deno.makeTempDir({ prefix: "open_" });
  try {
    const opened = join(dir, "opened");
    const script = join(dir, "xdg-open");
    await Deno.writeTextFile(script, `#!/bin/sh\necho "$1" > "${opened}"\n`);
    await Deno.chmod(script, 0o755);
    await openReport("http://127.0.0.1:8000/runs/0b5e?share=shr_x", script);
    assert.equal(
      (await Deno.readTextFile(opened)).trim(),
      "http://127.0.0.1:8000/runs/0b5e?share=shr_x",
    );
    // No xdg-open anywhere: the hint, and no error.
    await openReport(
      "http://127.0.0.1:8000/runs/0b5e",
      join(dir, "nothing-here"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
