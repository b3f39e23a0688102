/**
 * A counting HTTP proxy for `scripts/chaos/main.ts`: forwards every request to an
 * upstream server (a llama-server), streams the response body through, and
 * counts generation requests in flight (from the request's arrival until
 * the response body has been fully sent, failed or been cancelled), keeping
 * the maximum.
 *
 * @example
 * ```ts
 * import { startCountingProxy } from "./proxy.ts";
 * const proxy = startCountingProxy("http://127.0.0.1:8091");
 * // point a target's base_url at proxy.url, run something, then:
 * console.log(proxy.maxInflight, proxy.requests);
 * await proxy.stop();
 * ```
 * @module
 */

/**
 * A running proxy and what it has seen.
 *
 * @example
 * ```ts
 * const proxy: CountingProxy = startCountingProxy("http://127.0.0.1:8091");
 * proxy.maxInflight; // 4
 * ```
 */
export interface CountingProxy {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Generation requests in flight now. */
  readonly inflight: number;
  /** The most generation requests in flight at once so far. */
  readonly maxInflight: number;
  /** Generation requests seen so far. */
  readonly requests: number;
  /** Requests whose forwarding failed (upstream unreachable, stream broken). */
  readonly failures: number;
  /** The mean of generation requests in flight over time, from the first request's arrival to the last change. */
  readonly meanInflight: number;
  /** Starts a new measurement: counts, maximum and mean from zero (requests in flight stay counted). */
  reset(): void;
  /** Stops listening and waits for the server to close. */
  stop(): Promise<void>;
}

/** Paths that make the engine generate (the ones a slot is taken for). */
const GENERATION = /\/(chat\/)?completions?$/;

/** Hop-by-hop headers, never forwarded. */
const HOP = [
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
];

function forwardHeaders(source: Headers): Headers {
  const headers = new Headers(source);
  for (const name of HOP) headers.delete(name);
  return headers;
}

/**
 * Starts the proxy on a free port of 127.0.0.1.
 *
 * @example
 * ```ts
 * const proxy = startCountingProxy("http://127.0.0.1:8091");
 * await fetch(`${proxy.url}/health`);
 * ```
 */
export function startCountingProxy(upstream: string): CountingProxy {
  const base = upstream.replace(/\/$/, "");
  let inflight = 0;
  let maxInflight = 0;
  let requests = 0;
  let failures = 0;
  let area = 0;
  let firstAt: number | undefined;
  let changedAt = 0;
  const change = (delta: number) => {
    const now = performance.now();
    if (firstAt === undefined) firstAt = now;
    else area += inflight * (now - changedAt);
    changedAt = now;
    inflight += delta;
    if (inflight > maxInflight) maxInflight = inflight;
  };
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, async (request) => {
    const url = new URL(request.url);
    const counted = request.method === "POST" && GENERATION.test(url.pathname);
    let open = false;
    const end = () => {
      if (!open) return;
      open = false;
      change(-1);
    };
    if (counted) {
      requests++;
      open = true;
      change(1);
    }
    try {
      const body = request.body ? await request.arrayBuffer() : undefined;
      const response = await fetch(`${base}${url.pathname}${url.search}`, {
        method: request.method,
        headers: forwardHeaders(request.headers),
        body,
      });
      if (!response.body) {
        end();
        return new Response(null, {
          status: response.status,
          headers: forwardHeaders(response.headers),
        });
      }
      const reader = response.body.getReader();
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              end();
              controller.close();
            } else {
              controller.enqueue(value);
            }
          } catch (error) {
            failures++;
            end();
            controller.error(error);
          }
        },
        async cancel(reason) {
          end();
          await reader.cancel(reason).catch(() => {});
        },
      });
      return new Response(stream, {
        status: response.status,
        headers: forwardHeaders(response.headers),
      });
    } catch (error) {
      failures++;
      end();
      return new Response(
        JSON.stringify({ error: `proxy: ${(error as Error).message}` }),
        { status: 502, headers: { "content-type": "application/json" } },
      );
    }
  });
  const port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}`,
    get inflight() {
      return inflight;
    },
    get maxInflight() {
      return maxInflight;
    },
    get requests() {
      return requests;
    },
    get failures() {
      return failures;
    },
    get meanInflight() {
      if (firstAt === undefined || changedAt <= firstAt) return 0;
      return area / (changedAt - firstAt);
    },
    reset() {
      maxInflight = inflight;
      requests = 0;
      failures = 0;
      area = 0;
      firstAt = undefined;
    },
    stop: async () => {
      await server.shutdown();
    },
  };
}
