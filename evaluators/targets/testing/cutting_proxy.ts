/**
 * A TCP proxy in front of an engine that cuts connections: the network
 * failing while the engine itself is healthy (its health probe, through the
 * same proxy, answers). Every byte is passed on as it is, except that the
 * first `times` connections on which a request carrying `marker` is sent
 * are closed at once, both ways, before the engine answers.
 *
 * @example
 * ```ts
 * import { startCuttingProxy } from "./cutting_proxy.ts";
 * const proxy = await startCuttingProxy({ upstreamPort: 8080, marker: "cut-me", times: 1 });
 * console.log(proxy.url, proxy.cuts);
 * await proxy.stop();
 * ```
 * @module
 */

/**
 * A running proxy.
 *
 * @example
 * ```ts
 * import type { CuttingProxy } from "./cutting_proxy.ts";
 * declare const proxy: CuttingProxy;
 * proxy.cuts; // connections cut so far
 * ```
 */
export interface CuttingProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Connections cut so far. */
  readonly cuts: number;
  /** Stops listening and closes every connection. */
  stop(): Promise<void>;
}

/**
 * Options of {@link startCuttingProxy}.
 *
 * @example
 * ```ts
 * import type { CuttingProxyOptions } from "./cutting_proxy.ts";
 * const options: CuttingProxyOptions = { upstreamPort: 8080, marker: "cut-me", times: 2 };
 * ```
 */
export interface CuttingProxyOptions {
  /** The engine's port on 127.0.0.1. */
  upstreamPort: number;
  /** Text that marks a request to cut (e.g. a schema's `title`). */
  marker: string;
  /** How many such connections to cut; the later ones pass. */
  times: number;
}

/**
 * Starts the proxy on a free port of 127.0.0.1.
 *
 * @example
 * ```ts
 * import { startCuttingProxy } from "./cutting_proxy.ts";
 * const proxy = await startCuttingProxy({ upstreamPort: 8080, marker: "x", times: 1 });
 * await proxy.stop();
 * ```
 */
export function startCuttingProxy(
  options: CuttingProxyOptions,
): Promise<CuttingProxy> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const decoder = new TextDecoder();
  let cuts = 0;
  const close = (conn: Deno.Conn) => {
    open.delete(conn);
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  async function pipe(
    from: Deno.Conn,
    to: Deno.Conn,
    inspect: boolean,
  ): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        const chunk = buffer.subarray(0, n);
        if (
          inspect && cuts < options.times &&
          decoder.decode(chunk).includes(options.marker)
        ) {
          cuts++;
          break;
        }
        await to.write(chunk);
      }
    } catch { /* the other side went away */ }
    close(from);
    close(to);
  }
  const accepting = (async () => {
    for await (const client of listener) {
      open.add(client);
      Deno.connect({ hostname: "127.0.0.1", port: options.upstreamPort })
        .then((upstream) => {
          open.add(upstream);
          pipe(client, upstream, true);
          pipe(upstream, client, false);
        }, () => close(client));
    }
  })().catch(() => {});
  const port = (listener.addr as Deno.NetAddr).port;
  return Promise.resolve({
    url: `http://127.0.0.1:${port}`,
    get cuts() {
      return cuts;
    },
    stop: async () => {
      listener.close();
      for (const conn of [...open]) close(conn);
      await accepting;
    },
  });
}
