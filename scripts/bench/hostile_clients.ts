/**
 * The hostile clients of the load test (issue 15), each on a raw
 * connection from its own 127.0.x.y source address (so per-address caps
 * see many clients, as on the open internet): event-stream subscribers,
 * slow-header and slow-body clients that trickle a byte a second and
 * reconnect when closed, and a sequential prober of `/api/health` whose
 * latencies give the p50/p99 the load test prints.
 *
 * @example
 * ```ts
 * import { healthLatency, openEventStreams, openSlowClients } from "./hostile_clients.ts";
 * declare const url: string;
 * declare const runId: string;
 * const streams = openEventStreams(url, runId, 300);
 * console.log(await healthLatency(url, 5));
 * await streams.stop();
 * const slow = openSlowClients(url, 400);
 * await slow.stop();
 * ```
 * @module
 */
import net from "node:net";

/** Clients that run until stopped. */
export interface HostileClients {
  /** Answers' status lines seen, by status code ("none" for a close unanswered). */
  statuses: Map<string, number>;
  /** Closes every connection and stops reconnecting. */
  stop(): Promise<void>;
}

/** The `i`-th client's source address: 127.1.0.2 onwards, never 127.0.0.1. */
export function sourceAddress(i: number, block = 1): string {
  const n = i + 2;
  return `127.${block}.${(n >> 8) & 255}.${n & 255}`;
}

function target(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}

function clients(
  count: number,
  connect: (i: number, seen: (status: string) => void) => net.Socket,
): HostileClients {
  const statuses = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  let stopped = false;
  const start = (i: number) => {
    if (stopped) return;
    let answered = false;
    const socket = connect(i, (status) => {
      answered = true;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => {
      sockets.delete(socket);
      if (!answered) statuses.set("none", (statuses.get("none") ?? 0) + 1);
      // A closed slow client comes back, as an attacker's would.
      if (!stopped) setTimeout(() => start(i), 200);
    });
  };
  for (let i = 0; i < count; i++) start(i);
  return {
    statuses,
    stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
      return Promise.resolve();
    },
  };
}

function statusOf(chunk: string): string | undefined {
  return /^HTTP\/1\.[01] (\d{3})/.exec(chunk)?.[1];
}

/**
 * `count` subscribers of `GET /api/runs/:id/events?interval_ms=200`, each
 * from its own address (block 2). Each reads what comes and, when closed
 * or refused, subscribes again.
 *
 * @example
 * ```ts
 * declare const url: string;
 * const streams = openEventStreams(url, "run-id", 10);
 * await streams.stop();
 * ```
 */
export function openEventStreams(
  url: string,
  runId: string,
  count: number,
): HostileClients {
  const { host, port } = target(url);
  return clients(count, (i, seen) => {
    const socket = net.connect({
      host,
      port,
      localAddress: sourceAddress(i, 2),
    });
    let first = true;
    socket.on("data", (chunk: Uint8Array) => {
      if (!first) return;
      first = false;
      seen(statusOf(new TextDecoder().decode(chunk)) ?? "garbled");
    });
    socket.write(
      `GET /api/runs/${runId}/events?interval_ms=200 HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    return socket;
  });
}

/**
 * `count` slow clients from their own addresses (block 3): the even ones
 * send a request's headers a line a second and never end them, the odd
 * ones send headers announcing a 1 MB body (with `headers`, e.g. a
 * token, so that the body is read) and then a byte a second.
 *
 * @example
 * ```ts
 * declare const url: string;
 * const slow = openSlowClients(url, 40);
 * await slow.stop();
 * ```
 */
export function openSlowClients(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): HostileClients {
  const { host, port } = target(url);
  return clients(count, (i, seen) => {
    const socket = net.connect({
      host,
      port,
      localAddress: sourceAddress(i, 3),
    });
    socket.on("data", (chunk: Uint8Array) => {
      seen(statusOf(new TextDecoder().decode(chunk)) ?? "garbled");
    });
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    socket.write(
      i % 2 === 0
        ? `GET / HTTP/1.1\r\nHost: ${host}\r\n`
        : `POST /api/suites HTTP/1.1\r\nHost: ${host}\r\n${extra}Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`,
    );
    let n = 0;
    const drip = setInterval(() => {
      if (socket.destroyed) return clearInterval(drip);
      socket.write(i % 2 === 0 ? `X-Slow-${n++}: 1\r\n` : " ");
    }, 1000);
    socket.once("close", () => clearInterval(drip));
    return socket;
  });
}

/** What {@link healthLatency} measured. */
export interface HealthLatency {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests not answered within `timeoutMs`. */
  timeouts: number;
  /** Answers other than 200. */
  non200: number;
}

/**
 * Asks `GET /api/health` one request after another for `durationS`
 * seconds (a timed-out request counts as `timeoutMs`).
 *
 * @example
 * ```ts
 * declare const url: string;
 * const { p50Ms, p99Ms } = await healthLatency(url, 3);
 * ```
 */
export async function healthLatency(
  url: string,
  durationS: number,
  timeoutMs = 5000,
): Promise<HealthLatency> {
  const times: number[] = [];
  let timeouts = 0;
  let non200 = 0;
  const until = Date.now() + durationS * 1000;
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const res = await fetch(`${url}/api/health`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      if (res.status !== 200) non200++;
      times.push(performance.now() - started);
    } catch {
      timeouts++;
      times.push(timeoutMs);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(
      times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10,
    ) / 10;
  return {
    requests: times.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    timeouts,
    non200,
  };
}
