/**
 * Markdown to HTML for our own documents (the methodology), with marked.
 * Even though the text is ours, raw HTML in it is escaped, not passed
 * through, and a link or image whose address is not http(s), mailto, a
 * fragment or a relative path loses its address.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./markdown.ts";
 * renderMarkdown("# Title\n\n<script>x</script>");
 * // "<h1>Title</h1>\n<p>&lt;script&gt;x&lt;/script&gt;</p>\n"
 * ```
 * @module
 */
import { Marked, type Token } from "marked";

/**
 * Escapes the five characters that matter in HTML text and attributes.
 *
 * @example
 * ```ts
 * escapeHtml(`<a href="x">`); // "&lt;a href=&quot;x&quot;&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/**
 * Whether a link address is safe to keep: http(s), mailto, a fragment, or
 * relative (no scheme).
 *
 * @example
 * ```ts
 * safeHref("javascript:alert(1)"); // false
 * safeHref("docs/decisions.md"); // true
 * ```
 */
export function safeHref(href: string): boolean {
  const trimmed = href.trim();
  // deno-lint-ignore no-control-regex
  const compact = trimmed.replace(/[\u0000-\u0020]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return !scheme || ["http", "https", "mailto"].includes(scheme[1]);
}

const marked = new Marked({
  gfm: true,
  renderer: {
    html(token) {
      const escaped = escapeHtml(token.text);
      return token.block ? `<p>${escaped.trimEnd()}</p>\n` : escaped;
    },
  },
  walkTokens(token: Token) {
    if (
      (token.type === "link" || token.type === "image") && !safeHref(token.href)
    ) {
      token.href = "#";
    }
  },
});

/**
 * The HTML of a Markdown document (GitHub-flavoured), raw HTML escaped.
 *
 * @example
 * ```ts
 * renderMarkdown("| a |\n|---|\n| 1 |"); // a <table>
 * ```
 */
export function renderMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
