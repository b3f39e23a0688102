/**
 * A body that is kept and sent many times (the cached board): encoded and
 * gzip-compressed once, when it is kept, so that each request only sends
 * bytes. A client that accepts gzip (every browser) gets the compressed
 * bytes, about a fourteenth of the board's HTML; any other gets the plain
 * ones. Either way the answer says `Vary: Accept-Encoding`, so a shared
 * cache keeps the two apart.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { keepBody, sendKept } from "./kept_body.ts";
 * const page = keepBody("<!DOCTYPE html><p>hello</p>");
 * const app = new Hono();
 * app.get("/", (c) => sendKept(c, page, { "content-type": "text/html; charset=UTF-8" }));
 * const res = await app.request("/", { headers: { "accept-encoding": "gzip" } });
 * res.headers.get("content-encoding"); // "gzip"
 * ```
 * @module
 */
import type { Context } from "hono";
import { gzipSync } from "node:zlib";

/** A body in both forms. */
export interface KeptBody {
  plain: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
}

/**
 * Encodes `text` and compresses it once.
 *
 * @example
 * ```ts
 * const kept = keepBody("x".repeat(10_000));
 * kept.gzip.length < kept.plain.length; // true
 * ```
 */
export function keepBody(text: string): KeptBody {
  const plain = new TextEncoder().encode(text);
  const gzip = new Uint8Array(gzipSync(plain, { level: 6 }));
  return { plain, gzip };
}

/**
 * Whether an `Accept-Encoding` header accepts gzip: listed (or `*`) with
 * a quality above 0.
 *
 * @example
 * ```ts
 * acceptsGzip("gzip, deflate, br"); // true
 * acceptsGzip("gzip;q=0, identity"); // false
 * acceptsGzip(undefined); // false
 * ```
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star: boolean | undefined;
  for (const part of header.slice(0, 1000).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const ok = q === undefined || Number(q.slice(2)) > 0;
    if (name === "gzip" || name === "x-gzip") return ok;
    if (name === "*") star = ok;
  }
  return star ?? false;
}

/**
 * Answers with `kept`, compressed when the request accepts gzip.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * declare const c: Context;
 * const res = sendKept(c, keepBody("<p>hi</p>"), { "content-type": "text/html" });
 * ```
 */
export function sendKept(
  c: Context,
  kept: KeptBody,
  headers: Record<string, string>,
): Response {
  if (acceptsGzip(c.req.header("accept-encoding"))) {
    return c.body(kept.gzip, 200, {
      ...headers,
      "content-encoding": "gzip",
      vary: "Accept-Encoding",
    });
  }
  return c.body(kept.plain, 200, { ...headers, vary: "Accept-Encoding" });
}
