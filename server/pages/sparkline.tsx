/**
 * The small trend line of a leaderboard row: an inline SVG polyline drawn
 * from the stored scores of the target's recent runs, computed on the
 * server. Its label gives the values in words.
 *
 * @example
 * ```tsx
 * import { Sparkline } from "./sparkline.tsx";
 * <Sparkline values={[0.7, 0.74, 0.8]} label="Empirical coverage" />;
 * ```
 * @module
 */
import { formatPercent, NONE } from "./format.ts";

const WIDTH = 80;
const HEIGHT = 20;
const PAD = 2;

/**
 * The SVG points of `values` scaled into the box (y grows downwards).
 *
 * @example
 * ```ts
 * sparkPoints([0, 1]); // [[2, 18], [78, 2]]
 * ```
 */
export function sparkPoints(values: readonly number[]): [number, number][] {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = values.length > 1 ? (WIDTH - 2 * PAD) / (values.length - 1) : 0;
  const round = (x: number) => Math.round(x * 10) / 10;
  return values.map((v, i) => [
    round(values.length > 1 ? PAD + i * step : WIDTH / 2),
    round(
      max === min
        ? HEIGHT / 2
        : HEIGHT - PAD - ((v - min) / span) * (HEIGHT - 2 * PAD),
    ),
  ]);
}

/**
 * The trend, or a dash when there is one point or none.
 *
 * @example
 * ```tsx
 * declare const trend: number[];
 * <Sparkline values={trend} label="Empirical coverage, last 20 runs" />
 * ```
 */
export function Sparkline(props: { values: readonly number[]; label: string }) {
  if (props.values.length < 2) return <span class="muted">{NONE}</span>;
  const points = sparkPoints(props.values);
  const [lastX, lastY] = points[points.length - 1];
  const words = props.values.map((v) => formatPercent(v)).join(", ");
  return (
    <svg
      class="spark"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${props.label}: ${words}`}
    >
      <title>{`${props.label}: ${words}`}</title>
      <polyline
        points={points.map(([x, y]) => `${x},${y}`).join(" ")}
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
      />
      <circle cx={lastX} cy={lastY} r="2" fill="currentColor" />
    </svg>
  );
}
