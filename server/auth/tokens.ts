/**
 * API tokens: how they look, how they are hashed, and what their scopes
 * allow. A token is `seb_` plus 32 random bytes (base64url); only its
 * SHA-256 is stored, so a leaked database holds no usable token. Scopes
 * nest: `admin` includes `write`, which includes `read`.
 *
 * @example
 * ```ts
 * import { generateToken, hashToken, hasScope } from "./tokens.ts";
 * const token = generateToken();
 * const stored = hashToken(token);
 * hasScope(["write"], "read"); // true
 * ```
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** What a token may do. */
export type Scope = "read" | "write" | "admin";

/** Every scope, weakest first. */
export const SCOPES: readonly Scope[] = ["read", "write", "admin"];

const RANK: Record<Scope, number> = { read: 0, write: 1, admin: 2 };

/**
 * Whether a token with `scopes` may do what `needed` allows.
 *
 * @example
 * ```ts
 * hasScope(["admin"], "write"); // true
 * hasScope(["read"], "write"); // false
 * ```
 */
export function hasScope(scopes: readonly string[], needed: Scope): boolean {
  return scopes.some((s) => s in RANK && RANK[s as Scope] >= RANK[needed]);
}

/**
 * Parses `read,write`-style text into scopes; throws on an unknown one.
 *
 * @example
 * ```ts
 * parseScopes("read, write"); // ["read", "write"]
 * ```
 */
export function parseScopes(text: string): Scope[] {
  const scopes = [
    ...new Set(text.split(",").map((s) => s.trim()).filter(Boolean)),
  ];
  if (scopes.length === 0) throw new Error("give at least one scope");
  for (const scope of scopes) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      throw new Error(
        `unknown scope "${scope}": expected ${SCOPES.join(", ")}`,
      );
    }
  }
  return scopes as Scope[];
}

/**
 * A fresh random secret with a readable prefix (`seb_` for API tokens,
 * `shr_` for share links).
 *
 * @example
 * ```ts
 * generateToken(); // "seb_3q2-…"
 * ```
 */
export function generateToken(prefix = "seb_"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return prefix +
    btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The stored form of a token: its SHA-256, hex.
 *
 * @example
 * ```ts
 * hashToken("seb_abc").length; // 64
 * ```
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Compares two secrets in constant time (for the environment's admin
 * token, which is not stored hashed).
 *
 * @example
 * ```ts
 * sameSecret("a".repeat(20), "a".repeat(20)); // true
 * ```
 */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}
