/**
 * How the pages write numbers, intervals, durations, money and times.
 * Every function takes null (no value) and answers "—".
 *
 * @example
 * ```ts
 * import { formatPercent } from "./format.ts";
 * formatPercent(0.8234); // "82.3%"
 * ```
 * @module
 */
import type { Proportion } from "../../evaluators/metrics/stats.ts";

/**
 * What the pages print for a missing value.
 *
 * @example
 * ```ts
 * formatMs(null) === NONE; // true
 * ```
 */
export const NONE = "—";

/**
 * A share as a percentage with one decimal.
 *
 * @example
 * ```ts
 * formatPercent(1); // "100.0%"
 * formatPercent(null); // "—"
 * ```
 */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  return `${(value * 100).toFixed(1)}%`;
}

/**
 * The 95% interval of a proportion, in percent.
 *
 * @example
 * ```ts
 * formatInterval({ value: 0.5, low: 0.2, high: 0.8, n: 10 }); // "20.0–80.0"
 * ```
 */
export function formatInterval(p: Proportion | null | undefined): string {
  if (!p || p.low === null || p.high === null) return NONE;
  return `${(p.low * 100).toFixed(1)}–${(p.high * 100).toFixed(1)}`;
}

/**
 * A duration in milliseconds, with fewer decimals as it grows: the one
 * rule for the pages, the downloads and the CLI (which passes `-` as
 * `none`, to keep its tables ASCII).
 *
 * @example
 * ```ts
 * formatMs(1.234); // "1.23 ms"
 * formatMs(812.4); // "812 ms"
 * formatMs(2400); // "2.40 s"
 * formatMs(null, "-"); // "-"
 * ```
 */
export function formatMs(
  value: number | null | undefined,
  none: string = NONE,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return none;
  }
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/**
 * Dollars: cents for amounts of a dollar or more, four significant digits
 * below.
 *
 * @example
 * ```ts
 * formatUsd(12.5); // "$12.50"
 * formatUsd(0.001234); // "$0.001234"
 * formatUsd(0); // "$0"
 * ```
 */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  if (value === 0) return "$0";
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  return `$${Number(value.toPrecision(4))}`;
}

/**
 * A point in time, to the minute, in UTC.
 *
 * @example
 * ```ts
 * formatTime(new Date("2025-03-01T12:34:56Z")); // "2025-03-01 12:34 UTC"
 * ```
 */
export function formatTime(value: Date | null | undefined): string {
  if (!value) return NONE;
  return `${value.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(12345); // "12,345"
 * ```
 */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  return value.toLocaleString("en-US");
}

/**
 * A p-value: four decimals, or "< 0.0001".
 *
 * @example
 * ```ts
 * formatP(0.03125); // "0.0313"
 * formatP(1e-9); // "< 0.0001"
 * ```
 */
export function formatP(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  return value < 0.0001 ? "< 0.0001" : value.toFixed(4);
}

/**
 * A signed difference of proportions, in percentage points.
 *
 * @example
 * ```ts
 * formatPoints(0.052); // "+5.2 pp"
 * ```
 */
export function formatPoints(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  const points = value * 100;
  return `${points > 0 ? "+" : ""}${points.toFixed(1)} pp`;
}
