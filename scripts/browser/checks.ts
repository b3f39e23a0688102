/**
 * Checks run inside a page by the browser test (and the screenshots
 * script): accessibility basics, whether elements lie inside the
 * viewport, and whether hostile model output turned into markup. Each sends a function to the
 * page; the DOM types it needs are declared here, since the project is
 * type-checked without the DOM library.
 *
 * @example
 * ```ts
 * import { accessibilityProblems } from "./checks.ts";
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * declare const url: string;
 * await page.goto(url);
 * console.log(await accessibilityProblems(page)); // []
 * ```
 * @module
 */
import type { Page } from "playwright-core";

/**
 * The little of the DOM that in-page functions use: the project is
 * type-checked with Deno's libraries, which have no DOM. An in-page
 * function reaches the document through `globalThis`, since it is sent to
 * the browser as source and cannot see its module.
 *
 * @example
 * ```ts
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * const text = await page.evaluate(() => {
 *   const doc = (globalThis as unknown as { document: PageDocument }).document;
 *   return doc.querySelector("h1")?.textContent ?? "";
 * });
 * ```
 */
export interface PageElement {
  readonly id: string;
  readonly tagName: string;
  readonly textContent: string | null;
  readonly firstChild: PageElement | null;
  /** Form controls: their type, and the labels that name them. */
  readonly type?: string;
  readonly labels?: Iterable<PageElement> | null;
  /** Canvases: the bitmap's size and its 2D context. */
  readonly width?: number;
  readonly height?: number;
  getContext?(kind: "2d"): {
    getImageData(x: number, y: number, w: number, h: number): {
      data: ArrayLike<number>;
    };
  } | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): {
    left: number;
    right: number;
    top: number;
    bottom: number;
    width: number;
    height: number;
  };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(
    selector: string,
  ): Iterable<PageElement> & ArrayLike<PageElement>;
}

/**
 * The document, as in-page functions see it.
 *
 * @example
 * ```ts
 * const doc = (globalThis as unknown as { document: PageDocument }).document;
 * ```
 */
export interface PageDocument extends PageElement {
  readonly scripts: Iterable<PageElement>;
}

/**
 * Accessibility basics of the current page: every table has header cells,
 * and every form control a label (`<label for>`, a wrapping label, or
 * `aria-label`/`aria-labelledby`), hidden inputs aside. Each problem is
 * one line naming the table or control.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * assert.deepEqual(await accessibilityProblems(page), []);
 * ```
 */
export function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    const problems: string[] = [];
    for (const [i, table] of [...doc.querySelectorAll("table")].entries()) {
      if (!table.querySelector("th")) {
        problems.push(`table #${i} (${table.id || "no id"}) has no <th>`);
      }
    }
    for (const control of doc.querySelectorAll("input, select, textarea")) {
      if (control.tagName === "INPUT" && control.type === "hidden") continue;
      const labelled =
        (control.getAttribute("aria-label") ?? "").trim() !== "" ||
        (control.getAttribute("aria-labelledby") ?? "").trim() !== "" ||
        [...(control.labels ?? [])].some((l) =>
          (l.textContent ?? "").trim() !== ""
        );
      if (!labelled) {
        problems.push(
          `<${control.tagName.toLowerCase()} name="${
            control.getAttribute("name")
          }" id="${control.id}"> has no label`,
        );
      }
    }
    return problems;
  });
}

/**
 * Markup that hostile output would have produced had it not been escaped:
 * `<img src=x>` or any element with an `onerror` attribute, and scripts
 * that call `alert`. Empty when the page is clean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * assert.deepEqual(await injectedMarkup(page), []);
 * ```
 */
export function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    const found: string[] = [];
    for (const el of doc.querySelectorAll('img[src="x"], [onerror]')) {
      found.push(`<${el.tagName.toLowerCase()}> with src=x or onerror`);
    }
    for (const script of doc.scripts) {
      if ((script.textContent ?? "").includes("alert")) {
        found.push(`<script> calling alert`);
      }
    }
    return found;
  });
}

/**
 * The elements, of those the selectors find, that do not lie wholly inside
 * the viewport as the page is first shown (scrolled to the top): inside
 * its width always, and inside its height too with `firstScreen`. A
 * selector that finds nothing is reported too, so a check cannot pass on
 * a page that lost the element. Each line names the selector, the
 * element's text and its box.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Page } from "playwright-core";
 * declare const page: Page;
 * assert.deepEqual(await outsideViewport(page, ["thead th"], { firstScreen: false }), []);
 * ```
 */
export function outsideViewport(
  page: Page,
  selectors: readonly string[],
  options: { firstScreen: boolean },
): Promise<string[]> {
  return page.evaluate(({ selectors, firstScreen }) => {
    const g = globalThis as unknown as {
      document: PageDocument;
      innerWidth: number;
      innerHeight: number;
      scrollTo(x: number, y: number): void;
    };
    g.scrollTo(0, 0);
    const out: string[] = [];
    for (const selector of selectors) {
      const found = [...g.document.querySelectorAll(selector)];
      if (found.length === 0) out.push(`${selector}: not on the page`);
      for (const el of found) {
        const r = el.getBoundingClientRect();
        const wide = r.left < -0.5 || r.right > g.innerWidth + 0.5;
        const low = firstScreen &&
          (r.top < -0.5 || r.bottom > g.innerHeight + 0.5);
        if (wide || low || r.width === 0) {
          out.push(
            `${selector} "${(el.textContent ?? "").trim().slice(0, 40)}": ${
              Math.round(r.left)
            }..${Math.round(r.right)} x ${Math.round(r.top)}..${
              Math.round(r.bottom)
            } in ${g.innerWidth}x${g.innerHeight}`,
          );
        }
      }
    }
    return out;
  }, { selectors: [...selectors], firstScreen: options.firstScreen });
}
