/**
 * The outcome bar: a run's cases in one row, a segment per outcome in the
 * outcome's colour, with a legend that names every outcome and its count
 * (colour is never the only cue). Every page that shows outcomes takes
 * their look from {@link OUTCOME_LOOK}, the one list; an outcome it does
 * not know is drawn neutral under its own name. The bar is SVG (widths are
 * attributes, so the strict content security policy, which forbids inline
 * styles, lets it render without JavaScript); `progress.js` moves its
 * segments as a live run's counts change.
 *
 * @example
 * ```tsx
 * import { OutcomeBar } from "./outcome_bar.tsx";
 * <OutcomeBar byOutcome={{ valid: 7, schema_violation: 2 }} pending={1} />;
 * ```
 * @module
 */
import { OUTCOMES } from "../../evaluators/outcome.ts";
import { formatCount, formatPercent } from "./format.ts";

/** How an outcome reads on the pages. */
export interface OutcomeLook {
  /** Words for it, in the legend and the case list. */
  label: string;
  /** What it means for the engine: good, held against it, or not counted. */
  tone: "good" | "bad" | "excluded";
}

/**
 * Every outcome's label and tone; the colour is the CSS class
 * {@link outcomeClassName}. Cases without an outcome yet are `pending`.
 *
 * @example
 * ```ts
 * OUTCOME_LOOK.truncated.label; // "truncated"
 * ```
 */
export const OUTCOME_LOOK: Readonly<Record<string, OutcomeLook>> = {
  valid: { label: "valid", tone: "good" },
  schema_violation: { label: "schema violation", tone: "bad" },
  invalid_json: { label: "invalid JSON", tone: "bad" },
  truncated: { label: "truncated", tone: "bad" },
  unsupported_schema: { label: "unsupported schema", tone: "bad" },
  refusal: { label: "refusal", tone: "bad" },
  context_exceeded: { label: "context exceeded", tone: "bad" },
  invalid_schema: { label: "invalid schema", tone: "excluded" },
  engine_error: { label: "engine error", tone: "bad" },
  infra_error: { label: "infrastructure error", tone: "excluded" },
  skipped: { label: "skipped", tone: "excluded" },
  pending: { label: "pending", tone: "excluded" },
};

/**
 * The look of an outcome, known or not.
 *
 * @example
 * ```ts
 * outcomeLook("engine_error").tone; // "bad"
 * outcomeLook("something_new").label; // "something_new"
 * ```
 */
export function outcomeLook(outcome: string): OutcomeLook {
  return Object.hasOwn(OUTCOME_LOOK, outcome)
    ? OUTCOME_LOOK[outcome]
    : { label: outcome, tone: "excluded" };
}

/**
 * The CSS class that colours an outcome (`o-other` for one the stylesheet
 * does not know).
 *
 * @example
 * ```ts
 * outcomeClassName("valid"); // "o-valid"
 * ```
 */
export function outcomeClassName(outcome: string): string {
  return Object.hasOwn(OUTCOME_LOOK, outcome) && /^[a-z_]+$/.test(outcome)
    ? `o-${outcome}`
    : "o-other";
}

/**
 * The outcomes to draw, in the table's order (then any unknown ones, then
 * pending), with their counts; zero counts are left out.
 *
 * @example
 * ```ts
 * outcomeRows({ schema_violation: 1, valid: 2 }, 0); // [["valid", 2], ["schema_violation", 1]]
 * ```
 */
export function outcomeRows(
  byOutcome: Record<string, number>,
  pending = 0,
): [string, number][] {
  const known = new Set<string>(OUTCOMES);
  const names = [
    ...OUTCOMES,
    ...Object.keys(byOutcome).filter((o) => !known.has(o)).sort(),
  ];
  const rows: [string, number][] = names.map((o) => [o, byOutcome[o] ?? 0]);
  if (pending > 0) rows.push(["pending", pending]);
  return rows.filter(([, n]) => n > 0);
}

/**
 * What `progress.js` needs to redraw the bar: the outcomes in order, with
 * their labels and classes.
 */
const LOOKS_FOR_SCRIPT = [...OUTCOMES, "pending"].map((o) => [
  o,
  outcomeLook(o).label,
  outcomeClassName(o),
]);

/** The bar's drawing width (the SVG's coordinate space, not pixels). */
const SPAN = 1000;

/**
 * The bar and its legend.
 *
 * @example
 * ```tsx
 * <OutcomeBar byOutcome={{ valid: 3, truncated: 1 }} />
 * ```
 */
export function OutcomeBar(
  props: { byOutcome: Record<string, number>; pending?: number },
) {
  const rows = outcomeRows(props.byOutcome, props.pending ?? 0);
  const total = rows.reduce((sum, [, n]) => sum + n, 0);
  const words = rows.map(([o, n]) => `${outcomeLook(o).label} ${n}`).join(
    ", ",
  );
  let x = 0;
  return (
    <div
      class="outcome-bar"
      data-outcome-bar=""
      data-looks={JSON.stringify(LOOKS_FOR_SCRIPT)}
    >
      <svg
        viewBox={`0 0 ${SPAN} 20`}
        preserveAspectRatio="none"
        width="100%"
        height="20"
        role="img"
        aria-label={`Cases by outcome: ${words || "none yet"}`}
      >
        <rect class="o-track" x="0" y="0" width={SPAN} height="20" />
        {rows.map(([outcome, n]) => {
          const width = total ? (n / total) * SPAN : 0;
          const rect = (
            <rect
              class={outcomeClassName(outcome)}
              data-outcome={outcome}
              x={round(x)}
              y="0"
              width={round(width)}
              height="20"
            >
              <title>{`${outcomeLook(outcome).label}: ${n}`}</title>
            </rect>
          );
          x += width;
          return rect;
        })}
      </svg>
      <ul class="legend">
        {rows.map(([outcome, n]) => (
          <li data-outcome={outcome}>
            <span
              class={`swatch ${outcomeClassName(outcome)}`}
              aria-hidden="true"
            >
            </span>
            {outcomeLook(outcome).label}{" "}
            <strong data-count="">{formatCount(n)}</strong>{" "}
            <span class="muted">
              ({total ? formatPercent(n / total) : "–"})
            </span>
          </li>
        ))}
        {rows.length === 0 && <li class="muted">No cases yet.</li>}
      </ul>
    </div>
  );
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
