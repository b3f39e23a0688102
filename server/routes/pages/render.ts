/**
 * The shell of every public page: the layout around a body, the doctype,
 * the security headers, and the plain message page.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * import { message } from "./render.ts";
 * declare const c: Context;
 * await message(c, 404, "Not found", "There is no such target.");
 * ```
 * @module
 */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Layout, type LayoutProps } from "../../pages/layout.tsx";
import { MessagePage } from "../../pages/message_page.tsx";
import { pageAssets } from "../../static/assets.ts";

/**
 * The headers every page goes out with: a strict content security policy
 * (no inline script, nothing from elsewhere), no sniffing, no referrer
 * outside the site.
 *
 * @example
 * ```ts
 * import { SECURITY_HEADERS } from "./render.ts";
 * new Response("<!DOCTYPE html>", { headers: SECURITY_HEADERS });
 * ```
 */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

/**
 * A page body inside the layout, with the doctype, as text.
 *
 * @example
 * ```ts
 * import { pageHtml } from "./render.ts";
 * const html = await pageHtml({ title: "Hello" }, "hello");
 * ```
 */
export async function pageHtml(
  layout: Omit<LayoutProps, "assets" | "children">,
  body: Child,
): Promise<string> {
  const html = await Layout({ ...layout, assets: pageAssets(), children: body })
    .toString();
  return `<!DOCTYPE html>${html}`;
}

/**
 * Renders a page body inside the layout, with the doctype and the
 * {@link SECURITY_HEADERS}.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * import { render } from "./render.ts";
 * declare const c: Context;
 * await render(c, { title: "Hello" }, "hello");
 * ```
 */
export async function render(
  c: Context,
  layout: Omit<LayoutProps, "assets" | "children">,
  body: Child,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  return c.html(await pageHtml(layout, body), status, SECURITY_HEADERS);
}

/**
 * A page that only says something (not found, not allowed), with its status.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * import { message } from "./render.ts";
 * declare const c: Context;
 * await message(c, 404, "Not found", "There is no such run.");
 * ```
 */
export function message(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  text: string,
): Promise<Response> {
  return render(c, { title }, MessagePage({ title, message: text }), status);
}
