/**
 * The SSRF rules for a target's `base_url`. A target makes the server send
 * requests where its creator says, so the URL may not point at addresses
 * that reach the machine's own cloud credentials or its link:
 *
 * - only `http:` and `https:`, and no credentials (`user:pass@`) in the URL;
 * - no unspecified (0.0.0.0/8, `::`), link-local (169.254.0.0/16,
 *   fe80::/10), multicast or reserved addresses;
 * - no cloud metadata address or host name (169.254.169.254,
 *   fd00:ec2::254, fd20:ce::254, 100.100.100.200, 192.0.0.192,
 *   168.63.129.16, `metadata.google.internal`, …);
 * - IPv6 forms that embed an IPv4 address (`::ffff:a.b.c.d`, `::a.b.c.d`,
 *   NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) follow the IPv4 rules;
 *   Teredo (`2001::/32`) and site-local (`fec0::/10`) are refused.
 *
 * Loopback and private addresses stay allowed: a local llama-server is the
 * main use. The URL is read with the WHATWG parser, the one `fetch` uses,
 * so decimal, octal and hex IPv4 spellings (`http://2852039166/`) are seen
 * as the address they name. A host name is resolved (A and AAAA) and is
 * blocked when any of its addresses is; a name that does not resolve is
 * allowed here, but no request can be made to it: requests connect to an
 * address this check returned (`pinned_fetch.ts`), never to a fresh
 * resolution, so a name cannot change between the check and the
 * connection (DNS rebinding). `TARGET_ALLOWED_HOSTS` (host names, addresses or CIDRs)
 * lets an operator allow what these rules block; it never allows another
 * scheme or credentials.
 *
 * @example
 * ```ts
 * import { checkBaseUrl } from "./base_url_guard.ts";
 * const verdict = await checkBaseUrl("http://169.254.169.254/", { allowedHosts: [] });
 * if (!verdict.ok) console.log(verdict.message); // names TARGET_ALLOWED_HOSTS
 * ```
 * @module
 */
import { lookup } from "node:dns/promises";
import {
  type Cidr,
  formatIpv4,
  inCidr,
  parseCidr,
  parseIp,
} from "./ip_address.ts";

/** Why a base URL is refused. */
export type BlockRule =
  | "invalid_url"
  | "scheme"
  | "credentials"
  | "metadata"
  | "unspecified"
  | "link_local"
  | "multicast"
  | "reserved";

/** How to check: the operator's allow-list and how to resolve names. */
export interface BaseUrlGuardOptions {
  /** `TARGET_ALLOWED_HOSTS`: host names, addresses or CIDRs to allow. */
  allowedHosts?: readonly string[];
  /** The DNS server to ask (default: the system's). */
  nameServer?: { ipAddr: string; port?: number };
  /** How long a name may take to resolve (default 2000 ms). */
  dnsTimeoutMs?: number;
  /** Resolves a host name to its addresses (default: A and AAAA from DNS); tests control it. */
  resolver?: (hostname: string) => Promise<string[]>;
  /** How long a target trusts one check before it checks again (default 10000 ms). */
  recheckMs?: number;
}

/** The outcome of a check. */
export type BaseUrlVerdict =
  | {
    ok: true;
    /** The host as the URL parser reads it (lower case, IPv6 in brackets). */
    host: string;
    /** The addresses checked: the literal, or what the name resolved to. */
    addresses: string[];
    /**
     * Whether `addresses` came from resolving a name: requests must then
     * connect to one of them (`pinned_fetch.ts`), not resolve it again.
     * False for a literal address, `localhost` and a name the operator
     * allowed by name.
     */
    resolved: boolean;
  }
  | {
    ok: false;
    rule: BlockRule;
    /** A sentence for people: what is wrong and, when it can, how to allow it. */
    message: string;
  };

/** A base URL that the rules refuse (thrown before a request is made). */
export class BaseUrlBlockedError extends Error {
  /** @param rule the rule that refused it @param message the verdict's message */
  constructor(readonly rule: BlockRule, message: string) {
    super(message);
    this.name = "BaseUrlBlockedError";
  }
}

interface AddressRule {
  cidr: Cidr;
  rule: BlockRule;
  reason: string;
}

function rules(table: [string, BlockRule, string][]): AddressRule[] {
  return table.map(([cidr, rule, reason]) => ({
    cidr: parseCidr(cidr)!,
    rule,
    reason,
  }));
}

// Specific addresses first, so the message names the cloud, not the range.
const IPV4_RULES = rules([
  [
    "169.254.169.254",
    "metadata",
    "the cloud metadata address (AWS, GCP, Azure, Oracle, DigitalOcean, OpenStack, Akamai)",
  ],
  ["169.254.170.2", "metadata", "AWS ECS's task metadata address"],
  ["169.254.170.23", "metadata", "AWS EKS Pod Identity's address"],
  ["169.254.0.23", "metadata", "Tencent Cloud's metadata address"],
  ["100.100.100.200", "metadata", "Alibaba Cloud's metadata address"],
  ["192.0.0.192", "metadata", "Oracle Cloud's metadata address"],
  ["168.63.129.16", "metadata", "Azure's platform (WireServer) address"],
  ["0.0.0.0/8", "unspecified", "an unspecified address (0.0.0.0/8)"],
  ["169.254.0.0/16", "link_local", "a link-local address (169.254.0.0/16)"],
  ["224.0.0.0/4", "multicast", "a multicast address (224.0.0.0/4)"],
  ["240.0.0.0/4", "reserved", "a reserved or broadcast address (240.0.0.0/4)"],
]);

const IPV6_RULES = rules([
  ["fd00:ec2::254", "metadata", "AWS's IPv6 metadata address"],
  ["fd00:ec2::23", "metadata", "AWS EKS Pod Identity's IPv6 address"],
  ["fd20:ce::254", "metadata", "GCP's IPv6 metadata address"],
  ["fd00:a9fe:a9fe::1", "metadata", "Akamai (Linode)'s IPv6 metadata address"],
  ["::", "unspecified", "the unspecified address (::)"],
  ["fe80::/10", "link_local", "a link-local address (fe80::/10)"],
  ["ff00::/8", "multicast", "a multicast address (ff00::/8)"],
  // Teredo carries an IPv4 address (obfuscated) that a relay reaches for
  // us; site-local is deprecated, and routed like a private range we
  // cannot tell apart. Neither is a local engine's address.
  ["2001::/32", "reserved", "a Teredo tunnel address (2001::/32)"],
  ["fec0::/10", "reserved", "a deprecated site-local address (fec0::/10)"],
]);

/** Where an IPv6 address carries an IPv4 one: prefix and the byte it starts at. */
const EMBEDDING: [Cidr, number][] = [
  [parseCidr("::ffff:0:0/96")!, 12], // IPv4-mapped
  [parseCidr("::/96")!, 12], // IPv4-compatible (deprecated)
  [parseCidr("64:ff9b::/96")!, 12], // NAT64
  [parseCidr("2002::/16")!, 2], // 6to4
];

const LOOPBACK_V6 = parseIp("::1")!;

/** Host names that reach a metadata service, whatever they resolve to. */
const METADATA_HOSTS: Record<string, string> = {
  "metadata.google.internal": "GCP's metadata host name",
  "metadata": "GCP's short metadata host name",
  "instance-data": "AWS's metadata host name",
  "instance-data.ec2.internal": "AWS's metadata host name",
  "metadata.tencentyun.com": "Tencent Cloud's metadata host name",
  "metadata.platformequinix.com": "Equinix Metal's metadata host name",
};

function addressRule(
  ip: Uint8Array,
  allowed: readonly Cidr[],
): { rule: BlockRule; reason: string } | null {
  if (allowed.some((cidr) => inCidr(ip, cidr))) return null;
  if (ip.length === 4) {
    return IPV4_RULES.find((r) => inCidr(ip, r.cidr)) ?? null;
  }
  const own = IPV6_RULES.find((r) => inCidr(ip, r.cidr));
  if (own) return own;
  if (ip.every((b, i) => b === LOOPBACK_V6[i])) return null;
  for (const [prefix, at] of EMBEDDING) {
    if (!inCidr(ip, prefix)) continue;
    const v4 = ip.slice(at, at + 4);
    const inner = addressRule(v4, allowed);
    if (inner) {
      return {
        rule: inner.rule,
        reason: `an IPv6 form of ${formatIpv4(v4)}, ${inner.reason}`,
      };
    }
  }
  return null;
}

function allowList(entries: readonly string[]) {
  const cidrs: Cidr[] = [];
  const names = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else if (entry) names.add(entry.replace(/\.+$/, ""));
  }
  return { cidrs, names };
}

/**
 * Why an address is blocked (a phrase such as "a link-local address
 * (169.254.0.0/16)"), or null when it is allowed. `allowedHosts` is the
 * operator's `TARGET_ALLOWED_HOSTS`; text that is not an address is null.
 *
 * @example
 * ```ts
 * blockedAddressReason("169.254.169.254"); // "the cloud metadata address (…)"
 * blockedAddressReason("127.0.0.1"); // null
 * blockedAddressReason("169.254.1.1", ["169.254.0.0/16"]); // null
 * ```
 */
export function blockedAddressReason(
  address: string,
  allowedHosts: readonly string[] = [],
): string | null {
  const ip = parseIp(address);
  if (!ip) return null;
  return addressRule(ip, allowList(allowedHosts).cidrs)?.reason ?? null;
}

function blocked(
  rule: BlockRule,
  url: string,
  why: string,
  allowAs?: string,
): BaseUrlVerdict {
  const shown = url.length > 200 ? `${url.slice(0, 200)}…` : url;
  const hint = allowAs
    ? `; an operator can allow it by adding ${allowAs} to TARGET_ALLOWED_HOSTS`
    : "";
  return {
    ok: false,
    rule,
    message: `base_url ${shown} is not allowed: ${why}${hint}`,
  };
}

/** getaddrinfo's answer (no addresses on failure), bounded in time. */
function systemLookup(hostname: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), timeoutMs);
    lookup(hostname, { all: true }).then(
      (all) => resolve(all.map((a) => a.address)),
      () => resolve([]),
    ).finally(() => clearTimeout(timer));
  });
}

async function resolve(
  hostname: string,
  options: BaseUrlGuardOptions,
): Promise<string[]> {
  const timeoutMs = options.dnsTimeoutMs ?? 2000;
  const signal = AbortSignal.timeout(timeoutMs);
  const ask = (type: "A" | "AAAA") =>
    Deno.resolveDns(hostname, type, {
      signal,
      ...(options.nameServer ? { nameServer: options.nameServer } : {}),
    }).catch(() => [] as string[]);
  // The system's resolver too (getaddrinfo: /etc/hosts, a container's
  // extra hosts), as `fetch` would have used it: requests now connect to
  // what this returns, so a name only the hosts file knows must resolve.
  const system = options.nameServer
    ? Promise.resolve([])
    : systemLookup(hostname, timeoutMs);
  const [local, a, aaaa] = await Promise.all([system, ask("A"), ask("AAAA")]);
  return [...new Set([...local, ...a, ...aaaa])];
}

/**
 * Checks a target's base URL against the rules, resolving a host name
 * (A and AAAA). Never throws: a refusal comes back with its rule and a
 * message that says why and, where the operator can override it, names
 * `TARGET_ALLOWED_HOSTS`.
 *
 * @example
 * ```ts
 * const verdict = await checkBaseUrl("http://0xa9.0xfe.0xa9.0xfe/");
 * verdict.ok; // false: it is 169.254.169.254
 * ```
 */
export async function checkBaseUrl(
  url: string,
  options: BaseUrlGuardOptions = {},
): Promise<BaseUrlVerdict> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return blocked("invalid_url", url, "it is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return blocked(
      "scheme",
      url,
      `the scheme is ${parsed.protocol.slice(0, 40)}; only http and https are`,
    );
  }
  if (parsed.username || parsed.password) {
    // Shown without them: the message goes back to the caller and the log.
    return blocked(
      "credentials",
      `${parsed.protocol}//…@${parsed.host}${parsed.pathname}`,
      "it carries credentials (user:password@); name the key's variable in api_key_env instead",
    );
  }
  const host = parsed.hostname;
  const name = host.replace(/\.+$/, "").replace(/^\[(.*)\]$/, "$1");
  const allowed = allowList(options.allowedHosts ?? []);
  if (allowed.names.has(name)) {
    return { ok: true, host, addresses: [], resolved: false };
  }
  const literal = parseIp(host);
  if (literal) {
    const hit = addressRule(literal, allowed.cidrs);
    return hit
      ? blocked(hit.rule, url, `${host} is ${hit.reason}`, `"${name}"`)
      : { ok: true, host, addresses: [host], resolved: false };
  }
  if (METADATA_HOSTS[name]) {
    const why = `${name} is ${METADATA_HOSTS[name]}`;
    return blocked("metadata", url, why, `"${name}"`);
  }
  if (name === "localhost" || name.endsWith(".localhost")) {
    return { ok: true, host, addresses: [], resolved: false };
  }
  const addresses = options.resolver
    ? await options.resolver(name).catch(() => [] as string[])
    : await resolve(name, options);
  for (const address of addresses) {
    const ip = parseIp(address);
    const hit = ip && addressRule(ip, allowed.cidrs);
    if (hit) {
      return blocked(
        hit.rule,
        url,
        `${name} resolves to ${address}, ${hit.reason}`,
        `"${name}" (or a CIDR holding ${address})`,
      );
    }
  }
  return { ok: true, host, addresses, resolved: true };
}

/**
 * {@link checkBaseUrl}, throwing {@link BaseUrlBlockedError} on a refusal.
 *
 * @example
 * ```ts
 * await assertBaseUrlAllowed("http://127.0.0.1:8080"); // fine: loopback
 * await assertBaseUrlAllowed("http://[fe80::1]/"); // throws: link-local
 * ```
 */
export async function assertBaseUrlAllowed(
  url: string,
  options: BaseUrlGuardOptions = {},
): Promise<void> {
  const verdict = await checkBaseUrl(url, options);
  if (!verdict.ok) throw new BaseUrlBlockedError(verdict.rule, verdict.message);
}
