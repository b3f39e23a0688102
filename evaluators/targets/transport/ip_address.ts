/**
 * IP addresses and ranges as bytes, for the SSRF rules
 * (`base_url_guard.ts`): strict parsing of IPv4 dotted quads and every
 * IPv6 spelling (an embedded IPv4 tail included), CIDR ranges and
 * membership.
 *
 * @example
 * ```ts
 * import { inCidr, parseCidr, parseIp } from "./ip_address.ts";
 * inCidr(parseIp("::ffff:a9fe:a9fe")!, parseCidr("::ffff:0:0/96")!); // true
 * ```
 * @module
 */
/** An address range: the address's bytes and how many leading bits count. */
export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
}

/**
 * IPv4 dotted quad (strict) or IPv6 (with or without brackets) to bytes;
 * null for anything else.
 *
 * @example
 * ```ts
 * parseIp("127.0.0.1"); // Uint8Array [127, 0, 0, 1]
 * parseIp("[::1]")?.length; // 16
 * ```
 */
export function parseIp(text: string): Uint8Array | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((n) => n <= 255) ? Uint8Array.from(parts) : null;
  }
  return parseIpv6(text.replace(/^\[(.*)\]$/, "$1"));
}

function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split("::").length > 2) {
    return null;
  }
  const groups = (side: string): number[] | null => {
    if (side === "") return [];
    const out: number[] = [];
    const pieces = side.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = parseIp(piece);
        if (!v4 || v4.length !== 4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else return null;
    }
    return out;
  };
  const [head, tail] = text.split("::");
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...new Array(missing).fill(0), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * `address` or `address/prefix` to a {@link Cidr}; null when malformed.
 *
 * @example
 * ```ts
 * parseCidr("169.254.0.0/16")?.prefix; // 16
 * ```
 */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, extra] = text.split("/");
  if (extra !== undefined) return null;
  const bytes = parseIp(address);
  if (!bytes) return null;
  const bits = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= bits ? { bytes, prefix } : null;
}

/**
 * Whether an address (bytes of the same family) lies in a range.
 *
 * @example
 * ```ts
 * inCidr(parseIp("10.1.2.3")!, parseCidr("10.0.0.0/8")!); // true
 * ```
 */
export function inCidr(ip: Uint8Array, cidr: Cidr): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.prefix; bit += 8) {
    const take = Math.min(8, cidr.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((ip[bit / 8] & mask) !== (cidr.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

/**
 * Four bytes as a dotted quad.
 *
 * @example
 * ```ts
 * formatIpv4(Uint8Array.from([169, 254, 169, 254])); // "169.254.169.254"
 * ```
 */
export function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes).join(".");
}
