/**
 * The one place that decides whether a viewer may see a run (its report,
 * cases, results and downloads, on the pages and the API). A run is
 * visible when it is public, when the viewer holds an `admin` token or
 * the token that created it, or when the viewer holds its share link's
 * secret (`?share=…`, remembered in a per-run cookie after the first
 * visit so that links inside the pages keep working).
 *
 * @example
 * ```ts
 * import { canViewRun, viewerOf } from "./access.ts";
 * import type { Context } from "hono";
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const c: Context;
 * declare const notFound: () => Error;
 * declare const run: RunRow;
 * if (!canViewRun(run, viewerOf(c.req.raw))) throw notFound();
 * ```
 * @module
 */
import { principalOf } from "./guard.ts";
import { hashToken, hasScope } from "./tokens.ts";

/** Who is asking. */
export interface Viewer {
  /** The id of the stored API token the request carried. */
  tokenId: string | null;
  /** Whether the request carried an `admin` token. */
  admin: boolean;
  /** Share-link secrets the request carried (query and cookies). */
  shares: readonly string[];
}

/**
 * A viewer without credentials.
 *
 * @example
 * ```ts
 * import type { RunRow } from "../db/queries/runs.ts";
 * declare const run: RunRow;
 * canViewRun(run, ANONYMOUS);
 * ```
 */
export const ANONYMOUS: Viewer = { tokenId: null, admin: false, shares: [] };

/** The cookie that remembers the share secret of run `runId`. */
export function shareCookieName(runId: string): string {
  return `share_${runId.replace(/[^0-9a-f-]/gi, "")}`;
}

/**
 * Who sent a request: its token (as the auth guard found it) and any
 * share secrets in the `share` query parameter or `share_<run>` cookies.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * declare const c: Context;
 * const viewer = viewerOf(c.req.raw);
 * ```
 */
export function viewerOf(request: Request): Viewer {
  const principal = principalOf(request);
  const shares: string[] = [];
  const query = new URL(request.url).searchParams.get("share");
  if (query) shares.push(query.slice(0, 128));
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, value] = part.trim().split("=", 2);
    if (name?.startsWith("share_") && value && shares.length < 20) {
      shares.push(value.slice(0, 128));
    }
  }
  return {
    tokenId: principal?.tokenId ?? null,
    admin: principal ? hasScope(principal.scopes, "admin") : false,
    shares,
  };
}

/**
 * Whether `viewer` may see `run`.
 *
 * @example
 * ```ts
 * canViewRun({ public: false, ownerTokenId: "t1" }, { ...ANONYMOUS, tokenId: "t1" }); // true
 * ```
 */
export function canViewRun(
  run: {
    public: boolean;
    ownerTokenId?: string | null;
    shareTokenHash?: string | null;
  },
  viewer: Viewer,
): boolean {
  if (run.public || viewer.admin) return true;
  if (viewer.tokenId !== null && viewer.tokenId === run.ownerTokenId) {
    return true;
  }
  const hash = run.shareTokenHash;
  return !!hash && viewer.shares.some((share) => hashToken(share) === hash);
}
