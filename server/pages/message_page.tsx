/**
 * A page that only says something: not found, a bad request, or what to
 * do next (for example, choosing two runs to compare).
 *
 * @example
 * ```tsx
 * import { MessagePage } from "./message_page.tsx";
 * <MessagePage title="Not found" message="No run with that id." />;
 * ```
 * @module
 */

/**
 * The message body, with a way back to the leaderboard.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * declare const assets: PageAssets;
 * <Layout title="Not found" assets={assets}><MessagePage title="Not found" message="No such run." /></Layout>
 * ```
 */
export function MessagePage(props: { title: string; message: string }) {
  return (
    <>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to the leaderboard</a>
      </p>
    </>
  );
}
