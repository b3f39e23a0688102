/**
 * `GET /api/docs`: the interactive reference of the API, Swagger UI reading
 * `/api/openapi.json`. Its script and stylesheet come from the installed
 * `swagger-ui-dist` package through `/static/` (no CDN), and the page's
 * own initializer is a file too (`static/api_docs.js`), so the page needs
 * no inline script.
 *
 * It goes out with the pages' own security headers: Swagger UI renders
 * under their content security policy as it is (no inline script or style
 * attribute, nothing from elsewhere), so the page needs no policy of its
 * own (`scripts/browser/api_docs_test.ts` checks it in a browser).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * declare const app: Hono;
 * app.route("/", apiDocsRoutes());
 * ```
 * @module
 */
import { Hono } from "hono";
import { findAsset } from "../../static/assets.ts";
import { SECURITY_HEADERS } from "./render.ts";

function assetUrl(name: string): string {
  return `/static/${name}?v=${findAsset(name)!.hash}`;
}

/**
 * The page's HTML.
 *
 * @example
 * ```ts
 * apiDocsHtml().includes('data-spec="/api/openapi.json"'); // true
 * ```
 */
export function apiDocsHtml(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference</title>
<link rel="stylesheet" href="${assetUrl("swagger-ui.css")}">
</head>
<body>
<noscript><p>The reference needs JavaScript; the document itself is <a href="/api/openapi.json">/api/openapi.json</a>.</p></noscript>
<p><a href="/">Leaderboard</a> · <a href="/api/openapi.json">openapi.json</a></p>
<main id="api-docs" data-spec="/api/openapi.json"></main>
<script src="${assetUrl("swagger-ui.js")}"></script>
<script src="${assetUrl("api_docs.js")}"></script>
</body>
</html>
`;
}

/**
 * The reference's sub-app (mounted at the root by the pages).
 *
 * @example
 * ```ts
 * const res = await apiDocsRoutes().request("/api/docs");
 * ```
 */
export function apiDocsRoutes(): Hono {
  const app = new Hono();
  app.get("/api/docs", (c) => c.html(apiDocsHtml(), 200, SECURITY_HEADERS));
  return app;
}
