import assert from "node:assert/strict";
import { escapeHtml, renderMarkdown, safeHref } from "./markdown.ts";

Deno.test("markdown: GFM tables and code, raw HTML escaped", () => {
  const html = renderMarkdown(
    "# T\n\n| a | b |\n|---|---|\n| `x` | 1 |\n\n<script>alert(1)</script>\n\ninline <img src=x onerror=alert(1)> tag\n",
  );
  assert.match(html, /<h1>T<\/h1>/);
  assert.match(html, /<table>/);
  assert.match(html, /<code>x<\/code>/);
  assert.ok(!html.includes("<script>"));
  assert.ok(!html.includes("<img"));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

Deno.test("markdown: unsafe link addresses are dropped", () => {
  const html = renderMarkdown(
    "[a](javascript:alert(1)) [b](https://example.org/x) [c](docs/x.md) ![d](data:image/svg+xml,1)",
  );
  assert.ok(!html.includes("javascript:"));
  assert.ok(!html.includes("data:"));
  assert.match(html, /href="https:\/\/example\.org\/x"/);
  assert.match(html, /href="docs\/x\.md"/);
  assert.equal(safeHref(" JaVa\tScript:alert(1)"), false);
  assert.equal(safeHref("mailto:a@b.c"), true);
  assert.equal(safeHref("#section"), true);
  assert.equal(escapeHtml(`<"'&>`), "&lt;&quot;&#39;&amp;&gt;");
});

Deno.test("markdown: the methodology renders", async () => {
  const text = await Deno.readTextFile(
    new URL("../../docs/methodology.md", import.meta.url),
  );
  const html = renderMarkdown(text);
  assert.match(html, /<h1>Methodology<\/h1>/);
  assert.match(html, /<h2>/);
});
