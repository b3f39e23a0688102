/**
 * `/methodology`: `docs/methodology.md` as HTML. The document is ours and
 * rendered by {@link renderMarkdown}, which escapes any raw HTML in it; it
 * is the only markup on the site that is not built by hono/jsx.
 *
 * @example
 * ```tsx
 * import { MethodologyPage } from "./methodology_page.tsx";
 * <MethodologyPage markdown={"# Methodology\n..."} />;
 * ```
 * @module
 */
import { raw } from "hono/html";
import { renderMarkdown } from "./markdown.ts";

/**
 * The methodology, rendered.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * declare const assets: PageAssets;
 * declare const text: string;
 * <Layout title="Methodology" assets={assets}><MethodologyPage markdown={text} /></Layout>
 * ```
 */
export function MethodologyPage(props: { markdown: string }) {
  // renderMarkdown escapes raw HTML and drops unsafe link addresses.
  return <article class="prose">{raw(renderMarkdown(props.markdown))}</article>;
}
