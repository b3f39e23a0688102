/**
 * A run as the pages may show it: the reader may see it (public, their own,
 * or with its share secret), and a private run's page is marked for one
 * holder (no shared caches, no index, the share secret kept in a cookie so
 * links inside the pages work).
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * import type { AppDeps } from "../../app.ts";
 * import { visibleRun } from "./visible_run.ts";
 * declare const deps: AppDeps;
 * declare const c: Context;
 * const run = await visibleRun(deps, c, "9b1c…"); // null: no such run, or not for this reader
 * ```
 * @module
 */
import type { Context } from "hono";
import type { AppDeps } from "../../app.ts";
import {
  ANONYMOUS,
  canViewRun,
  shareCookieName,
  viewerOf,
} from "../../auth/access.ts";
import { getRun } from "../../db/queries/runs.ts";

/**
 * The run `id` when this request may see it, else null.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * import type { AppDeps } from "../../app.ts";
 * declare const deps: AppDeps;
 * declare const c: Context;
 * declare const id: string;
 * const run = await visibleRun(deps, c, id);
 * ```
 */
export async function visibleRun(deps: AppDeps, c: Context, id: string) {
  const run = await getRun(deps.database, id);
  if (!run || !canViewRun(run, viewerOf(c.req.raw))) return null;
  if (!run.public) {
    // A private run's pages are for one holder: no shared caches, no index,
    // and the share secret remembered so links inside the pages work.
    c.header("Cache-Control", "private, no-store");
    c.header("X-Robots-Tag", "noindex");
    const share = c.req.query("share");
    if (share && canViewRun(run, { ...ANONYMOUS, shares: [share] })) {
      c.header(
        "Set-Cookie",
        `${shareCookieName(run.id)}=${
          encodeURIComponent(share)
        }; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000${
          new URL(c.req.url).protocol === "https:" ||
            (deps.env.trustProxy &&
              c.req.header("x-forwarded-proto") === "https")
            ? "; Secure"
            : ""
        }`,
      );
    }
  }
  return run;
}
