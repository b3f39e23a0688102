/**
 * A `fetch` that connects to the address the SSRF guard checked. A target
 * whose `base_url` names a host resolves it once per check
 * (`base_url_guard.ts`), and every `http:` request to that host then opens
 * its connection to one of the checked addresses, through a Deno HTTP
 * client whose transport is a plain TCP connection to that address: the
 * URL and the `Host` header stay the host name, but the name is never
 * resolved again. So a name that answers an allowed address for the check
 * and a blocked one afterwards (DNS rebinding) reaches nothing it should
 * not. A name that resolved to nothing gets no request at all.
 *
 * `https:` requests are not pinned (Deno's TCP transport carries plain
 * HTTP only): there the certificate check binds the connection to the
 * name, so a rebound name reaches a server that cannot prove it, and the
 * request fails before anything is sent.
 *
 * @example
 * ```ts
 * import { pinnedFetch } from "./pinned_fetch.ts";
 * import { checkBaseUrl } from "./base_url_guard.ts";
 * const base = "http://engine.internal:8080";
 * const http = pinnedFetch(base, () => checkBaseUrl(base));
 * await http(`${base}/health`); // connects to the address checkBaseUrl saw
 * ```
 * @module
 */
import { BaseUrlBlockedError, type BaseUrlVerdict } from "./base_url_guard.ts";

/** Clients by `address|port`, shared by every target; the oldest closed beyond the bound. */
const clients = new Map<string, Deno.HttpClient>();
const MAX_CLIENTS = 32;

function clientFor(address: string, port: number): Deno.HttpClient {
  const key = `${address}|${port}`;
  const kept = clients.get(key);
  if (kept) {
    clients.delete(key);
    clients.set(key, kept);
    return kept;
  }
  // The transport reads its host as a URI's: IPv6 goes in brackets.
  const hostname = address.includes(":") ? `[${address}]` : address;
  const client = Deno.createHttpClient({
    proxy: { transport: "tcp", hostname, port },
  });
  clients.set(key, client);
  while (clients.size > MAX_CLIENTS) {
    const [oldest, stale] = clients.entries().next().value!;
    clients.delete(oldest);
    stale.close();
  }
  return client;
}

/**
 * Closes every pinned client (for tests and shutdown; later requests open
 * new ones).
 *
 * @example
 * ```ts
 * closePinnedClients();
 * ```
 */
export function closePinnedClients(): void {
  for (const client of clients.values()) client.close();
  clients.clear();
}

/**
 * A fetch for requests to `baseUrl`'s host that first awaits `verdict`
 * (the guard's check, shared and renewed by the caller) and connects to
 * the first checked address (`http:` only). Requests to other hosts go out
 * as they are: the guard does not cover them. `send` is the fetch that
 * sends (default the global one).
 *
 * @example
 * ```ts
 * import type { BaseUrlVerdict } from "./base_url_guard.ts";
 * declare const check: () => Promise<BaseUrlVerdict>;
 * const http = pinnedFetch("https://engine.example/v1", check);
 * ```
 */
export function pinnedFetch(
  baseUrl: string,
  verdict: () => Promise<BaseUrlVerdict>,
  send: typeof fetch = fetch,
): typeof fetch {
  const base = new URL(baseUrl);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.host !== base.host || url.protocol !== base.protocol) {
      return await send(input, init);
    }
    const checked = await verdict();
    if (!checked.ok) {
      throw new BaseUrlBlockedError(checked.rule, checked.message);
    }
    // A literal address, localhost or a name the operator allowed by name:
    // nothing to pin; https: the certificate is checked against the name.
    if (!checked.resolved || url.protocol === "https:") {
      return await send(input, init);
    }
    const address = checked.addresses[0];
    if (!address) {
      throw new TypeError(
        `${url.hostname} resolved to no address when checked: no request made`,
      );
    }
    const port = Number(url.port) || 80;
    return await send(input, { ...init, client: clientFor(address, port) });
  };
}
