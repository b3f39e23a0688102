// A case whose output parses to a number JSON cannot carry back (1e3333
// is Infinity, printed as null): the page shows the text as received and
// says why, beside the validator's error about the parsed value.
import assert from "node:assert/strict";
import { dbTest } from "../testing/database.ts";
import { testApp } from "../testing/api.ts";
import { seedRun, seedSuite, seedTarget } from "../testing/seed.ts";
import { numbersLost } from "../pages/case_page.tsx";

const HUGE = `{"n": 1${"1".repeat(40)}e3333}`;

dbTest(
  "case page: an output that does not round-trip is shown raw",
  async (database) => {
    const { app } = testApp(database);
    const suite = await seedSuite(database, "inf", [
      {
        key: "big",
        schema: { type: "object", properties: { n: { maximum: 6 } } },
      },
      { key: "fine", schema: { type: "object" } },
    ]);
    const target = await seedTarget(database, { name: "t" });
    const run = await seedRun(database, {
      suite,
      target,
      results: (key) =>
        key === "big"
          ? {
            outcome: "schema_violation",
            rawOutput: HUGE,
            errors: [{
              keyword: "maximum",
              instance_path: "/n",
              schema_path: "#/properties/n/maximum",
              message: "must be <= 6",
            }],
            failingKeywords: ["maximum"],
          }
          : { outcome: "valid", rawOutput: '{"a": 1}' },
    });
    const html = await (await app.request(`/runs/${run.id}/cases/big`)).text();
    assert.match(html, /id="lossy-output"/);
    assert.match(html, /parses to Infinity/);
    // The text as received is the output shown; the parsed form is folded.
    assert.ok(
      html.includes(
        `<code id="output">${HUGE.replaceAll('"', "&quot;")}</code>`,
      ) ||
        html.includes(`<code id="output">${HUGE}</code>`),
    );
    assert.match(html, /<summary>Parsed and pretty-printed/);
    assert.match(html, /must be &lt;= 6/);
    // An ordinary output is pretty-printed as before, with no such notice.
    const fine = await (await app.request(`/runs/${run.id}/cases/fine`)).text();
    assert.ok(!fine.includes('id="lossy-output"'));
    assert.match(
      fine,
      /<code id="output">\{\n {2}&quot;a&quot;: 1\n\}<\/code>/,
    );
  },
);

Deno.test("numbersLost: overflow and unsafe integers, nothing else", () => {
  assert.equal(numbersLost(JSON.parse(HUGE)), true);
  assert.equal(numbersLost(JSON.parse("[12345678901234567890]")), true);
  assert.equal(numbersLost(JSON.parse('{"a": [1.5, -2, "1e3333"]}')), false);
  assert.equal(numbersLost(null), false);
});
