/**
 * A chart as progressive enhancement: a `<figure>` whose data travels in a
 * `data-chart` attribute (escaped like any attribute) for the client-side
 * script to draw with uPlot. The same numbers are always in a table next to
 * it, so the figure is hidden from screen readers.
 *
 * @example
 * ```tsx
 * import { Chart } from "./chart.tsx";
 * <Chart caption="Outcomes" spec={{ kind: "bars", label: "cases", labels: ["valid"], values: [3] }} />;
 * ```
 * @module
 */

/** A bar per label. */
export interface BarsSpec {
  kind: "bars";
  label: string;
  labels: string[];
  values: number[];
}

/** Lines over time (x in seconds since the epoch). */
export interface HistorySpec {
  kind: "history";
  x: number[];
  /** Values in 0..1, drawn as percentages. */
  percent: boolean;
  series: {
    label: string;
    values: (number | null)[];
    style: "line" | "dashed" | "points";
  }[];
}

/** What the chart script draws. */
export type ChartSpec = BarsSpec | HistorySpec;

/**
 * The figure for one chart.
 *
 * @example
 * ```tsx
 * import type { HistorySpec } from "./chart.tsx";
 * declare const history: HistorySpec;
 * <Chart caption="Empirical coverage over time" spec={history} />
 * ```
 */
export function Chart(props: { caption: string; spec: ChartSpec }) {
  return (
    <figure class="chart" data-chart={JSON.stringify(props.spec)}>
      <div class="chart-canvas" aria-hidden="true"></div>
      <figcaption>{props.caption} (the table below has the numbers)</figcaption>
    </figure>
  );
}
