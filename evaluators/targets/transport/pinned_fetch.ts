/**
 * A `fetch` that connects to the address the SSRF guard checked. A target
 * whose `base_url` names a host resolves it once per check
 * (`base_url_guard.ts`), and every request to that host then opens its
 * connection to one of the checked addresses, through a Deno HTTP client
 * whose transport is a plain TCP connection to that address: the URL, the
 * `Host` header and the TLS server name stay the host name, but the name
 * is never resolved again. So a name that answers an allowed address for
 * the check and a blocked one afterwards (DNS rebinding) reaches nothing
 * it should not. A name that resolved to nothing gets no request at all.
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
  const client = Deno.createHttpClient({
    proxy: { transport: "tcp", hostname: address, port },
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
 * the first checked address. Requests to other hosts go out as they are:
 * the guard does not cover them.
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
): typeof fetch {
  const base = new URL(baseUrl);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.host !== base.host || url.protocol !== base.protocol) {
      return await fetch(input, init);
    }
    const checked = await verdict();
    if (!checked.ok) {
      throw new BaseUrlBlockedError(checked.rule, checked.message);
    }
    // A literal address, localhost or a name the operator allowed by name:
    // nothing to pin.
    if (!checked.resolved) return await fetch(input, init);
    const address = checked.addresses[0];
    if (!address) {
      throw new TypeError(
        `${url.hostname} resolved to no address when checked: no request made`,
      );
    }
    const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    return await fetch(input, { ...init, client: clientFor(address, port) });
  };
}
