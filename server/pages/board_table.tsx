// Rendered once on the server, so lists need no keys (and precompiled
// hono/jsx would print `key` as an HTML attribute).
// deno-lint-ignore-file jsx-key
/**
 * One table of the leaderboard: the rows of one suite in one validation
 * mode (the page shows one, or one per suite under headings). Sortable
 * headers (links), a tie-aware rank, the target with its engine, model,
 * mode and build, coverage cells with a bar and the 95% interval drawn as
 * whiskers, the other scores, the last run and a trend line. On a narrow
 * screen only the checkbox, rank, target and empirical coverage show; a
 * toggle (a checkbox, no script) brings back the rest. Score columns that
 * no row has a value for are left out, so the table fits.
 *
 * @example
 * ```tsx
 * import { BoardTable } from "./board_table.tsx";
 * import type { BoardEntry, BoardQuery } from "../board/model.ts";
 * declare const entries: BoardEntry[];
 * declare const query: BoardQuery;
 * <BoardTable entries={entries} query={query} caption="3 rows" />;
 * ```
 * @module
 */
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import {
  formatInterval,
  formatMs,
  formatPercent,
  formatUsd,
  NONE,
} from "./format.ts";
import { type BoardEntry, boardHref, type BoardQuery } from "../board/model.ts";
import {
  BOARD_SCORES,
  type BoardScore,
  SORT_COLUMNS,
  type SortColumn,
  type SortKey,
} from "../board/columns.ts";
import { Sparkline } from "./sparkline.tsx";

/** What a table shows. */
export interface BoardTableProps {
  entries: readonly BoardEntry[];
  query: BoardQuery;
  caption: string;
  /** Makes the toggle's id unique when the page has several tables. */
  id?: string;
}

function SortHeader(
  props: { column: SortKey; query: BoardQuery; num?: boolean; extra?: boolean },
) {
  const { column, query } = props;
  const spec: SortColumn = SORT_COLUMNS[column];
  const active = query.sort === column;
  const next = active ? (query.dir === "asc" ? "desc" : "asc") : spec.dir;
  const better = spec.text
    ? "alphabetical"
    : spec.dir === "asc"
    ? "lower is better"
    : "higher is better";
  const classes = [props.num ? "num" : "", props.extra ? "extra" : ""]
    .filter(Boolean).join(" ");
  return (
    <th
      scope="col"
      class={classes || undefined}
      aria-sort={active
        ? (query.dir === "asc" ? "ascending" : "descending")
        : undefined}
    >
      <a
        href={boardHref(query, { sort: column, dir: next, page: 1 })}
        title={`Sort by ${spec.label.toLowerCase()} (${better})`}
      >
        {spec.label}
        {active ? (query.dir === "asc" ? " ▲" : " ▼") : ""}
      </a>
    </th>
  );
}

/** The bar's drawing size (SVG units = pixels). */
const BAR_W = 72;
const BAR_H = 10;

/**
 * A proportion drawn as a bar, with its interval as whiskers; colour is
 * never the only cue (the number and interval are written beside it).
 *
 * @example
 * ```tsx
 * <CoverageBar p={{ value: 0.6, low: 0.4, high: 0.8, n: 20 }} />
 * ```
 */
export function CoverageBar(props: { p: Proportion }) {
  const { p } = props;
  if (p.value === null) return null;
  const x = (v: number | null) =>
    Math.round(Math.min(1, Math.max(0, v ?? 0)) * BAR_W * 10) / 10;
  const low = x(p.low);
  const high = x(p.high);
  return (
    <svg
      class="cov-bar"
      width={BAR_W}
      height={BAR_H}
      viewBox={`0 0 ${BAR_W} ${BAR_H}`}
      aria-hidden="true"
    >
      <rect class="cov-track" x="0" y="2" width={BAR_W} height={BAR_H - 4} />
      <rect
        class="cov-fill"
        x="0"
        y="2"
        width={x(p.value)}
        height={BAR_H - 4}
      />
      <line
        class="cov-whisker"
        x1={low}
        x2={high}
        y1={BAR_H / 2}
        y2={BAR_H / 2}
      />
      <line class="cov-whisker" x1={low} x2={low} y1="0" y2={BAR_H} />
      <line class="cov-whisker" x1={high} x2={high} y1="0" y2={BAR_H} />
    </svg>
  );
}

function Score(props: { p: Proportion | null; bar: boolean; extra: boolean }) {
  const cls = props.extra ? "num extra" : "num";
  if (!props.p || props.p.value === null) return <td class={cls}>{NONE}</td>;
  return (
    <td class={cls}>
      {props.bar && <CoverageBar p={props.p} />}
      <span class="value">{formatPercent(props.p.value)}</span>
      <span class="interval">
        {formatInterval(props.p)} <span class="muted">n={props.p.n}</span>
      </span>
    </td>
  );
}

function ScoreValue(props: { score: BoardScore; entry: BoardEntry }) {
  const { score } = props;
  const value = score.value(props.entry);
  const extra = score.sort !== "empirical";
  if (typeof value !== "number" && value !== null) {
    return (
      <Score p={value} bar={score.format === "proportion"} extra={extra} />
    );
  }
  const text = score.format === "usd" ? formatUsd(value) : formatMs(value);
  return <td class={extra ? "num extra" : "num"}>{text}</td>;
}

/**
 * The line under a target's name: kind, model (the engine's own when the
 * target states none), mode, build, and a validation mode other than the
 * default.
 *
 * @example
 * ```ts
 * import type { BoardEntry } from "../board/model.ts";
 * declare const e: BoardEntry;
 * targetMeta(e); // "llamacpp · tiny-0.gguf · json_schema · build b11669"
 * ```
 */
export function targetMeta(e: BoardEntry): string {
  const parts = [
    e.targetKind,
    e.targetModel ?? e.engineModel ?? "model not stated",
    e.targetMode,
    e.engineVersion ? `build ${e.engineVersion}` : "build not reported",
  ];
  // The default validation goes unsaid; another is a row of its own.
  if (e.validation !== "declared") parts.push(`${e.validation} validation`);
  // So is thinking: on and off are two targets, two rows.
  if (e.engineReasoning === "on" || e.engineReasoning === "off") {
    parts.push(`reasoning ${e.engineReasoning}`);
  }
  return parts.join(" · ");
}

/** The score columns that at least one row has a value for. */
function shownScores(entries: readonly BoardEntry[]): BoardScore[] {
  return BOARD_SCORES.filter((score) =>
    score.sort === "empirical" || entries.some((e) => {
      const v = score.value(e);
      return v !== null && (typeof v === "number" || v.value !== null);
    })
  );
}

function Row(props: { entry: BoardEntry; scores: readonly BoardScore[] }) {
  const e = props.entry;
  const checkboxId = `compare-${e.runId}`;
  const day = e.finishedAt.toISOString().slice(0, 10);
  const time = e.finishedAt.toISOString().slice(11, 16);
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          name="run"
          value={e.runId}
          id={checkboxId}
          aria-label={`Compare ${e.targetName} on ${e.suiteName} v${e.suiteVersion}`}
        />
      </td>
      <td class="num">{e.rank}</td>
      <td class="target">
        <a href={`/targets/${e.targetId}`}>{e.targetName}</a>
        <span class="target-meta">{targetMeta(e)}</span>
        {e.pairRole === "prompt_only" && e.pairRunId && (
          <span class="target-meta">
            quality twin of{" "}
            <a href={`/runs/${e.pairRunId}`}>a constrained run</a>
          </span>
        )}
      </td>
      {props.scores.map((score) => <ScoreValue score={score} entry={e} />)}
      <td class="nowrap extra">
        <a href={`/runs/${e.runId}`}>
          <time datetime={e.finishedAt.toISOString()}>
            {day}
            <span class="interval">{time} UTC</span>
          </time>
        </a>
      </td>
      <td class="extra">
        <Sparkline
          values={e.trend}
          label={`Empirical coverage of ${e.targetName}'s recent runs`}
        />
      </td>
    </tr>
  );
}

/**
 * The table, with its narrow-screen toggle.
 *
 * @example
 * ```tsx
 * import type { BoardEntry, BoardQuery } from "../board/model.ts";
 * declare const entries: BoardEntry[];
 * declare const query: BoardQuery;
 * <BoardTable entries={entries} query={query} caption="2 rows" id="all-1" />
 * ```
 */
export function BoardTable(props: BoardTableProps) {
  const { entries, query } = props;
  const scores = shownScores(entries);
  const toggle = `more-${props.id ?? "board"}`;
  return (
    <div class="board fold">
      <p class="more-toggle">
        <input type="checkbox" id={toggle} class="show-more" />
        <label for={toggle}>Show every column</label>
      </p>
      <div class="table-wrap">
        <table class="board-table">
          <caption>
            {props.caption}{" "}
            <span class="note">
              (bars: a score with its 95% interval as whiskers; TTFT = time to
              first token, TPOT = time per output token; times UTC)
            </span>
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">Compare</span>
                <span aria-hidden="true">Pick</span>
              </th>
              <SortHeader column="rank" query={query} num />
              <SortHeader column="target" query={query} />
              {scores.map((score) => (
                <SortHeader
                  column={score.sort}
                  query={query}
                  num
                  extra={score.sort !== "empirical"}
                />
              ))}
              <SortHeader column="finished" query={query} extra />
              <th scope="col" class="extra">Trend</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => <Row entry={e} scores={scores} />)}
          </tbody>
        </table>
      </div>
    </div>
  );
}
