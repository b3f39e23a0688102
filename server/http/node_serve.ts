/**
 * The HTTP listener: a fetch handler served on `node:http`, which Deno
 * implements with the timeouts `Deno.serve` lacks. A connection that has
 * not sent a request's headers within `headersTimeoutMs`, or its body
 * within `requestTimeoutMs`, gets a 408 and is closed; a client address
 * that holds `maxConnectionsPerClient` connections has any more closed at
 * once. Each request's `signal` aborts when its client goes away, so the
 * app can tell that from a failure (see `app.ts`). docs/decisions.md says
 * why this and not `Deno.serve`.
 *
 * @example
 * ```ts
 * import { serveNode } from "./node_serve.ts";
 * const server = await serveNode(() => new Response("hi"), {
 *   hostname: "127.0.0.1",
 *   port: 0,
 *   limits: { headersTimeoutMs: 10_000, requestTimeoutMs: 120_000, maxConnectionsPerClient: 256 },
 * });
 * await (await fetch(`http://127.0.0.1:${server.addr.port}/`)).text(); // "hi"
 * await server.close();
 * ```
 * @module
 */
import http from "node:http";
import type { Socket } from "node:net";
import { Readable } from "node:stream";

/** What the app is given beside each request: the client's address. */
export interface ConnectionInfo {
  remoteAddr: { hostname: string; port: number };
}

/** A fetch handler, as Hono's `app.fetch`. */
export type FetchHandler = (
  request: Request,
  info: ConnectionInfo,
) => Response | Promise<Response>;

/** The slow-client bounds (`HEADERS_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS`, `MAX_CONNECTIONS_PER_CLIENT`). */
export interface ServeLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnectionsPerClient: number;
}

/**
 * The port cannot be listened on: taken by another process (`EADDRINUSE`)
 * or not ours to take (`EACCES`). Its message is the one line a user needs.
 */
export class ListenError extends Error {
  /**
   * @param hostname the address asked for
   * @param port the port asked for
   * @param code `EADDRINUSE` or `EACCES`
   */
  constructor(
    readonly hostname: string,
    readonly port: number,
    readonly code: string,
  ) {
    super(
      code === "EADDRINUSE"
        ? `port ${port} on ${hostname} is already in use (another server?): stop it, or set PORT to a free port`
        : `port ${port} on ${hostname} may not be listened on by this user: set PORT to a port above 1023`,
    );
    this.name = "ListenError";
  }
}

/** Where and how to listen. */
export interface ServeNodeOptions {
  hostname: string;
  port: number;
  limits: ServeLimits;
}

/** A listening server. */
export interface NodeServer {
  /** The address it listens on (the port chosen when 0 was asked). */
  addr: { hostname: string; port: number };
  /** Open connections, by client address. */
  connections(address: string): number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /** Settles once it has stopped listening. */
  finished: Promise<void>;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`: one spelling per client. */
function plainAddress(address: string | undefined): string {
  if (!address) return "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/**
 * Serves `handler` until `close()`.
 *
 * @example
 * ```ts
 * import { serveNode } from "./node_serve.ts";
 * const limits = { headersTimeoutMs: 1000, requestTimeoutMs: 5000, maxConnectionsPerClient: 8 };
 * const server = await serveNode((req) => new Response(req.url), { hostname: "127.0.0.1", port: 0, limits });
 * await server.close();
 * ```
 */
export async function serveNode(
  handler: FetchHandler,
  options: ServeNodeOptions,
): Promise<NodeServer> {
  const { limits } = options;
  const open = new Map<string, number>();
  const server = http.createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks the two timeouts every 30 s by default: far too late.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  } as http.ServerOptions, (req, res) => {
    answer(handler, req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket: Socket) => {
    const address = plainAddress(socket.remoteAddress);
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  // A malformed request (400) or a timeout (408) is answered and closed by
  // node:http itself when no "clientError" listener is set.
  await new Promise<void>((resolve, reject) => {
    const refuse = (error: Error & { code?: string }) =>
      reject(
        error.code === "EADDRINUSE" || error.code === "EACCES"
          ? new ListenError(options.hostname, options.port, error.code)
          : error,
      );
    server.once("error", refuse);
    server.listen(options.port, options.hostname, () => {
      server.off("error", refuse);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === "object" && bound ? bound.port : options.port;
  const finished = new Promise<void>((resolve) =>
    server.once("close", () => resolve())
  );
  return {
    addr: { hostname: options.hostname, port },
    connections: (address) => open.get(address) ?? 0,
    finished,
    async close() {
      server.close();
      server.closeAllConnections();
      await finished;
    },
  };
}

async function answer(
  handler: FetchHandler,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  req.once("aborted", () => gone.abort());
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    } catch { /* a header the fetch API refuses is dropped */ }
  }
  const method = req.method ?? "GET";
  let request: Request;
  try {
    const host = /^[\w.:\[\]-]{1,300}$/.test(req.headers.host ?? "")
      ? req.headers.host
      : "localhost";
    request = new Request(new URL(req.url ?? "/", `http://${host}`), {
      method,
      headers,
      signal: gone.signal,
      ...(method === "GET" || method === "HEAD" ? {} : {
        body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        duplex: "half",
      }),
    });
  } catch {
    res.writeHead(400, { "content-type": "text/plain" }).end("bad request");
    return;
  }
  const response = await handler(request, {
    remoteAddr: {
      hostname: plainAddress(req.socket.remoteAddress),
      port: req.socket.remotePort ?? 0,
    },
  });
  const head: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") head[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) head["set-cookie"] = cookies;
  if (!response.body || method === "HEAD") {
    res.writeHead(response.status, head).end();
    await response.body?.cancel();
    return;
  }
  const reader = response.body.getReader();
  gone.signal.addEventListener("abort", () => reader.cancel().catch(() => {}));
  try {
    // A body that is whole at once (a page, a JSON answer) goes out with
    // its length in one write; an event stream is sent as it comes.
    if (!/^text\/event-stream/.test(head["content-type"] as string ?? "")) {
      const first = await reader.read();
      const second = first.done ? first : await reader.read();
      if (second.done) {
        const bytes = first.value ?? new Uint8Array();
        head["content-length"] = String(bytes.byteLength);
        res.writeHead(response.status, head).end(bytes);
        return;
      }
      res.writeHead(response.status, head);
      res.write(first.value);
      res.write(second.value);
    } else res.writeHead(response.status, head);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          res.once("drain", resolve);
          res.once("close", resolve);
        });
      }
      if (gone.signal.aborted) return;
    }
    res.end();
  } catch {
    res.destroy();
  }
}
