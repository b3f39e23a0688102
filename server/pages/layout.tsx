/**
 * The frame of every public page: language, viewport, the stylesheet, the
 * site navigation, and the scripts a page asks for (charts, live
 * progress). Pages render inside it; the route prepends the doctype.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * declare const assets: PageAssets;
 * const html = <Layout title="Leaderboard" assets={assets}><h1>Leaderboard</h1></Layout>;
 * ```
 * @module
 */
import type { Child } from "hono/jsx";
import type { PageAssets } from "../static/assets.ts";

/** What the frame needs. */
export interface LayoutProps {
  title: string;
  assets: PageAssets;
  /** Load uPlot and the chart script. */
  charts?: boolean;
  /** Poll this run's progress (JavaScript), or refresh the page (none). */
  progressRun?: string;
  children?: Child;
}

/**
 * The site's name, in titles and the header.
 *
 * @example
 * ```ts
 * declare const title: string;
 * `${title} · ${SITE_NAME}`;
 * ```
 */
export const SITE_NAME = "Structured-output leaderboard";

/**
 * The page frame.
 *
 * @example
 * ```tsx
 * import type { PageAssets } from "../static/assets.ts";
 * import type { Child } from "hono/jsx";
 * declare const assets: PageAssets;
 * declare const body: Child;
 * <Layout title="Run" assets={assets} charts>{body}</Layout>
 * ```
 */
export function Layout(props: LayoutProps) {
  const { assets } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${SITE_NAME}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assets.css} />
        {props.charts && <link rel="stylesheet" href={assets.uplotCss} />}
        {props.progressRun && (
          <noscript>
            <meta http-equiv="refresh" content="15" />
          </noscript>
        )}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <nav aria-label="Site">
            <a class="brand" href="/">{SITE_NAME}</a>
            <a href="/">Leaderboard</a>
            <a href="/suites">Suites</a>
            <a href="/methodology">Methodology</a>
            <a href="/api/docs">API</a>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site">
          Scores are 95% Wilson intervals; see the{" "}
          <a href="/methodology">methodology</a> for every definition.
        </footer>
        {props.charts && <script src={assets.uplotJs} defer></script>}
        {props.charts && <script src={assets.chartsJs} defer></script>}
        {props.progressRun && <script src={assets.progressJs} defer></script>}
      </body>
    </html>
  );
}
