/**
 * The one place where the public pages and downloads decide whether a
 * viewer may see a run. Private runs (`public = false`) are shown to
 * everyone for now; when tokens arrive, this function is what changes (a
 * run is visible when it is public, or the viewer owns it or holds its
 * share token).
 *
 * @example
 * ```ts
 * import { ANONYMOUS, canViewRun } from "./access.ts";
 * canViewRun({ public: false }, ANONYMOUS); // true, for now
 * ```
 * @module
 */

/** Who is asking; no one is identified yet. */
export interface Viewer {
  /** The id of the API token the request carried, once there are tokens. */
  tokenId: string | null;
}

/**
 * A viewer without credentials.
 *
 * @example
 * ```ts
 * canViewRun(run, ANONYMOUS);
 * ```
 */
export const ANONYMOUS: Viewer = { tokenId: null };

/**
 * Who sent a request. Nobody is identified yet: every request is
 * {@link ANONYMOUS}.
 *
 * @example
 * ```ts
 * const viewer = viewerOf(c.req.raw);
 * ```
 */
export function viewerOf(_request: Request): Viewer {
  return ANONYMOUS;
}

/**
 * Whether `viewer` may see `run` (its report, cases and downloads).
 *
 * @example
 * ```ts
 * if (!canViewRun(run, viewer)) return notFound();
 * ```
 */
export function canViewRun(
  run: { public: boolean; ownerTokenId?: string | null },
  _viewer: Viewer,
): boolean {
  if (run.public) return true;
  // Private runs stay visible until authentication lands (a later issue);
  // then: _viewer.tokenId !== null && _viewer.tokenId === run.ownerTokenId.
  return true;
}
