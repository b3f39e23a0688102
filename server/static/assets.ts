/**
 * The files the public pages load: the project's own stylesheet and
 * scripts (this folder) and uPlot's browser build and stylesheet, served by
 * the project itself from the installed npm package (no CDN), and Swagger
 * UI's for the API reference (`/api/docs`). Each is read
 * once and addressed by a content hash (`/static/<name>?v=<hash>`), so it
 * can be cached for a year.
 *
 * @example
 * ```ts
 * import { findAsset, pageAssets } from "./assets.ts";
 * pageAssets().css; // "/static/site.css?v=1a2b3c4d"
 * findAsset("site.css")?.type; // "text/css; charset=utf-8"
 * ```
 * @module
 */
// Importing the package makes Deno install it; its browser build is then
// read from the package's own folder.
import "uplot";
// Swagger UI's entry point would load its browser bundle into the server:
// its small path helper installs the package without that.
import "swagger-ui-dist/absolute-path.js";

/** One servable file. */
export interface StaticAsset {
  name: string;
  /** The Content-Type header. */
  type: string;
  body: Uint8Array;
  /** A short hash of the content, for cache-busting URLs. */
  hash: string;
}

/** The URLs a page's layout links to. */
export interface PageAssets {
  css: string;
  uplotJs: string;
  uplotCss: string;
  chartsJs: string;
  progressJs: string;
}

const CSS = "text/css; charset=utf-8";
const JS = "text/javascript; charset=utf-8";

const SOURCES: Record<string, { url: URL; type: string }> = {
  "site.css": { url: new URL("./site.css", import.meta.url), type: CSS },
  "charts.js": { url: new URL("./charts.js", import.meta.url), type: JS },
  "progress.js": { url: new URL("./progress.js", import.meta.url), type: JS },
  "uplot.js": {
    url: new URL(import.meta.resolve("uplot/dist/uPlot.iife.min.js")),
    type: JS,
  },
  "uplot.css": {
    url: new URL(import.meta.resolve("uplot/dist/uPlot.min.css")),
    type: CSS,
  },
  "api_docs.js": { url: new URL("./api_docs.js", import.meta.url), type: JS },
  "swagger-ui.js": {
    url: new URL(import.meta.resolve("swagger-ui-dist/swagger-ui-bundle.js")),
    type: JS,
  },
  "swagger-ui.css": {
    url: new URL(import.meta.resolve("swagger-ui-dist/swagger-ui.css")),
    type: CSS,
  },
};

/**
 * FNV-1a over the bytes, as 8 hex digits: enough to tell versions apart.
 *
 * @example
 * ```ts
 * contentHash(new TextEncoder().encode("a")); // "e40c292c"
 * ```
 */
export function contentHash(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

let loaded: Map<string, StaticAsset> | undefined;

function assets(): Map<string, StaticAsset> {
  if (!loaded) {
    loaded = new Map();
    for (const [name, source] of Object.entries(SOURCES)) {
      const body = Deno.readFileSync(source.url);
      loaded.set(name, {
        name,
        type: source.type,
        body,
        hash: contentHash(body),
      });
    }
  }
  return loaded;
}

/**
 * A servable file by name, or undefined.
 *
 * @example
 * ```ts
 * findAsset("uplot.js")?.body.length; // 51081
 * ```
 */
export function findAsset(name: string): StaticAsset | undefined {
  return assets().get(name);
}

/**
 * The versioned URLs of every file a layout may link to.
 *
 * @example
 * ```ts
 * pageAssets().uplotJs; // "/static/uplot.js?v=…"
 * ```
 */
export function pageAssets(): PageAssets {
  const url = (name: string) => `/static/${name}?v=${findAsset(name)!.hash}`;
  return {
    css: url("site.css"),
    uplotJs: url("uplot.js"),
    uplotCss: url("uplot.css"),
    chartsJs: url("charts.js"),
    progressJs: url("progress.js"),
  };
}
