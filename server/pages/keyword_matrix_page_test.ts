// The colours the pages ship, read from the stylesheet itself: every heat
// step and cell state of the keyword matrix has text at 4.5:1 or more
// against its background (WCAG AA), and every outcome colour stands at
// 3:1 or more against white (graphics), as the bar and legend need.
import assert from "node:assert/strict";
import { HEAT_STEPS, heatClass } from "./keyword_matrix_page.tsx";
import { OUTCOME_LOOK, outcomeClassName } from "./outcome_bar.tsx";

const CSS = await Deno.readTextFile(
  new URL("../static/site.css", import.meta.url),
);

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(n >> 16 & 255) + 0.7152 * channel(n >> 8 & 255) +
    0.0722 * channel(n & 255);
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The declarations of one class's rule: `.name { … }`. */
function rule(name: string): Record<string, string> {
  const m = CSS.match(new RegExp(`\\.${name}\\s*\\{([^}]*)\\}`));
  assert.ok(m, `no rule for .${name}`);
  return Object.fromEntries(
    m[1].split(";").map((d) => d.split(":").map((s) => s.trim()))
      .filter((d) => d.length === 2),
  );
}

Deno.test("keyword matrix: every heat step and state keeps its text readable", () => {
  const names = [
    ...Array.from({ length: HEAT_STEPS }, (_, i) => `heat-${i}`),
    "cell-refused",
    "cell-unsound",
    "cell-adapted",
  ];
  for (const name of names) {
    const { background, color } = rule(name);
    assert.match(background, /^#[0-9a-f]{6}$/i, name);
    assert.match(color, /^#[0-9a-f]{6}$/i, name);
    const ratio = contrast(background, color);
    assert.ok(ratio >= 4.5, `${name}: ${ratio.toFixed(2)}:1`);
  }
  // The steps run light to dark: a higher coverage is a darker cell.
  const lum = Array.from(
    { length: HEAT_STEPS },
    (_, i) => luminance(rule(`heat-${i}`).background),
  );
  assert.deepEqual(lum, [...lum].sort((a, b) => b - a));
  assert.equal(heatClass(0), "heat-0");
  assert.equal(heatClass(1), `heat-${HEAT_STEPS - 1}`);
  assert.equal(heatClass(0.5), "heat-4");
});

Deno.test("outcome colours: distinct, and 3:1 against white", () => {
  const seen = new Set<string>();
  for (const outcome of Object.keys(OUTCOME_LOOK)) {
    const colour = rule(outcomeClassName(outcome))["--o"];
    assert.ok(!seen.has(colour), `${outcome} shares ${colour}`);
    seen.add(colour);
    // Pending is the unfilled part of the bar, drawn on a bordered track.
    if (outcome === "pending") continue;
    const ratio = contrast(colour, "#ffffff");
    assert.ok(ratio >= 3, `${outcome}: ${ratio.toFixed(2)}:1`);
  }
  // An outcome the pages do not know yet is drawn, neutral, under its name.
  assert.equal(outcomeClassName("brand_new"), "o-other");
});
