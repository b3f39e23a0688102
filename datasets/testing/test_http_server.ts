/**
 * A local HTTP server for the importers' tests: it stands in for the hub or
 * GitHub on an ephemeral port, logs every request and counts how many were
 * in flight at once.
 *
 * @example
 * ```ts
 * import { startFixture } from "./test_http_server.ts";
 * await using fixture = startFixture(() => Response.json({ sha: "abc" }));
 * await fetch(`${fixture.url}/anything`).then((r) => r.json()); // { sha: "abc" }
 * fixture.requests.length; // 1
 * ```
 * @module
 */

/**
 * One request the fixture answered.
 *
 * @example
 * ```ts
 * const logged: LoggedRequest = { path: "/rows", query: new URLSearchParams("offset=0"), at: 0 };
 * ```
 */
export interface LoggedRequest {
  path: string;
  query: URLSearchParams;
  /** `performance.now()` when it arrived. */
  at: number;
}

/**
 * A running fixture; `await using` shuts it down.
 *
 * @example
 * ```ts
 * const fixture: Fixture = startFixture(() => new Response("ok"));
 * await fixture[Symbol.asyncDispose]();
 * ```
 */
export interface Fixture extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: LoggedRequest[];
  /** The most requests that were being answered at the same time. */
  maxInFlight: number;
}

/**
 * Starts a server that answers with `handler` after `delayMs` (so that
 * concurrent requests overlap).
 *
 * @example
 * ```ts
 * await using fixture = startFixture((url) => url.pathname === "/a" ? Response.json(1) : new Response(null, { status: 404 }));
 * ```
 */
export function startFixture(
  handler: (url: URL, logged: LoggedRequest) => Response | Promise<Response>,
  delayMs = 2,
): Fixture {
  let inFlight = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const url = new URL(request.url);
      const logged = {
        path: url.pathname,
        query: url.searchParams,
        at: performance.now(),
      };
      fixture.requests.push(logged);
      inFlight++;
      fixture.maxInFlight = Math.max(fixture.maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return await handler(url, logged);
      } finally {
        inFlight--;
      }
    },
  );
  const fixture: Fixture = {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests: [],
    maxInFlight: 0,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
  return fixture;
}
