import assert from "node:assert/strict";
import { fetchJson, HttpError, parseRetryAfter } from "./fetch_json.ts";
import { startFixture } from "./testing/test_http_server.ts";

Deno.test("parseRetryAfter reads seconds and HTTP dates", () => {
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter("0.5"), 500);
  const now = Date.parse("Wed, 21 Oct 2015 07:27:58 GMT");
  assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), 2000);
  assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), 0);
  assert.equal(parseRetryAfter(null), undefined);
  assert.equal(parseRetryAfter("soon"), undefined);
});

Deno.test("fetchJson tries 503s and 429s again, then returns the JSON", async () => {
  let calls = 0;
  await using fixture = startFixture(() => {
    calls++;
    if (calls === 1) return new Response("busy", { status: 503 });
    if (calls === 2) {
      return new Response("slow down", {
        status: 429,
        headers: { "retry-after": "0" },
      });
    }
    return Response.json({ ok: true });
  });
  const body = await fetchJson(`${fixture.url}/x`, {
    retry: { baseDelayMs: 5 },
  });
  assert.deepEqual(body, { ok: true });
  assert.equal(calls, 3);
});

Deno.test("fetchJson does not retry a 404, and says what the server said", async () => {
  await using fixture = startFixture(() =>
    Response.json({ message: "Not Found" }, { status: 404 })
  );
  await assert.rejects(
    () => fetchJson(`${fixture.url}/missing`, { retry: { baseDelayMs: 5 } }),
    (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.status, 404);
      assert.match(error.message, /\/missing: HTTP 404 Not Found: Not Found$/);
      return true;
    },
  );
  assert.equal(fixture.requests.length, 1);
});

Deno.test("fetchJson gives up at once on a Retry-After longer than allowed, and names a spent rate limit", async () => {
  await using fixture = startFixture((url) =>
    url.pathname === "/wait"
      ? new Response("", { status: 429, headers: { "retry-after": "3600" } })
      : Response.json({ message: "API rate limit exceeded" }, {
        status: 403,
        headers: {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": "1700000000",
        },
      })
  );
  await assert.rejects(
    () => fetchJson(`${fixture.url}/wait`),
    /HTTP 429 Too Many Requests, and the server asks to wait 3600 s \(Retry-After\); try again later/,
  );
  await assert.rejects(
    () => fetchJson(`${fixture.url}/limited`),
    /HTTP 403 Forbidden \(rate limit spent until 2023-11-14T22:13:20\.000Z\): API rate limit exceeded/,
  );
});

Deno.test("fetchJson: an answer that is not JSON, and no answer at all", async () => {
  await using fixture = startFixture(() => new Response("<html>"));
  await assert.rejects(
    () => fetchJson(`${fixture.url}/page`),
    /\/page: the answer is not JSON/,
  );
  const refused: typeof fetch = () =>
    Promise.reject(new TypeError("connection refused"));
  await assert.rejects(
    () =>
      fetchJson("http://127.0.0.1:9/x", {
        fetch: refused,
        retry: { retries: 1, baseDelayMs: 1 },
      }),
    (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.status, 0);
      assert.match(
        error.message,
        /no answer after 2 tries: connection refused/,
      );
      return true;
    },
  );
});
