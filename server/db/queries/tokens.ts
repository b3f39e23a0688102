/**
 * API tokens in the database: create (the token is returned once, only its
 * hash kept), find by hash, list (never the token), revoke, rotate (a new
 * secret under the same id, so the runs it owns stay its own).
 *
 * @example
 * ```ts
 * import { createToken } from "./tokens.ts";
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const { token, row } = await createToken(database, { name: "ci", scopes: ["write"] });
 * ```
 * @module
 */
import { desc, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { apiTokens } from "../schema.ts";
import { isUuid } from "../../../evaluators/validation/uuid.ts";
import { generateToken, hashToken, type Scope } from "../../auth/tokens.ts";

/** A stored token (its hash, never the token). */
export type TokenRow = typeof apiTokens.$inferSelect;

/**
 * Creates a token; the returned `token` is the only copy there will be.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const { token } = await createToken(database, { name: "ci", scopes: ["read"] });
 * ```
 */
export async function createToken(
  database: Database,
  input: { name: string; scopes: Scope[] },
): Promise<{ token: string; row: TokenRow }> {
  const token = generateToken();
  const [row] = await database.db.insert(apiTokens).values({
    name: input.name,
    scopes: input.scopes,
    tokenHash: hashToken(token),
  }).returning();
  return { token, row };
}

/**
 * The live (not revoked) token with this hash, or null.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * import { hashToken } from "../../auth/tokens.ts";
 * declare const database: Database;
 * declare const presented: string;
 * const row = await findToken(database, hashToken(presented));
 * ```
 */
export async function findToken(
  database: Database,
  tokenHash: string,
): Promise<TokenRow | null> {
  const [row] = await database.db.select().from(apiTokens).where(
    eq(apiTokens.tokenHash, tokenHash),
  ).limit(1);
  return row && !row.revokedAt ? row : null;
}

/**
 * Every token, newest first (revoked ones too, marked).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * for (const t of await listTokens(database)) console.log(t.name, t.scopes);
 * ```
 */
export async function listTokens(database: Database): Promise<TokenRow[]> {
  return await database.db.select().from(apiTokens).orderBy(
    desc(apiTokens.createdAt),
    desc(apiTokens.id),
  );
}

/**
 * The live tokens named by `ref` (an id, or a name).
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * const [row] = await findLiveTokens(database, "ci");
 * ```
 */
export async function findLiveTokens(
  database: Database,
  ref: string,
): Promise<TokenRow[]> {
  return await database.db.select().from(apiTokens).where(
    sql`${
      isUuid(ref)
        ? or(eq(apiTokens.id, ref), eq(apiTokens.name, ref))
        : eq(apiTokens.name, ref)
    } and ${isNull(apiTokens.revokedAt)}`,
  );
}

/**
 * Revokes a token by id; false when there is no live token with that id.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await revokeToken(database, id);
 * ```
 */
export async function revokeToken(
  database: Database,
  id: string,
): Promise<boolean> {
  const rows = await database.db.update(apiTokens).set({
    revokedAt: new Date(),
  }).where(sql`${apiTokens.id} = ${id} and ${isNull(apiTokens.revokedAt)}`)
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/**
 * Gives a live token a new secret (the old one stops working at once);
 * null when there is no live token with that id.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * const rotated = await rotateToken(database, id);
 * rotated?.token; // the new secret, shown once
 * ```
 */
export async function rotateToken(
  database: Database,
  id: string,
): Promise<{ token: string; row: TokenRow } | null> {
  const token = generateToken();
  const [row] = await database.db.update(apiTokens).set({
    tokenHash: hashToken(token),
  }).where(sql`${apiTokens.id} = ${id} and ${isNull(apiTokens.revokedAt)}`)
    .returning();
  return row ? { token, row } : null;
}

/**
 * Records that a token was used now.
 *
 * @example
 * ```ts
 * import type { Database } from "../client.ts";
 * declare const database: Database;
 * declare const id: string;
 * await touchToken(database, id);
 * ```
 */
export async function touchToken(
  database: Database,
  id: string,
): Promise<void> {
  await database.db.update(apiTokens).set({ lastUsedAt: new Date() }).where(
    eq(apiTokens.id, id),
  );
}
