// Rendered once on the server, so lists need no keys (and precompiled
// hono/jsx would print `key` as an HTML attribute).
// deno-lint-ignore-file jsx-key
/**
 * `/`: the leaderboard. One row per target per suite, from the latest
 * public finished run that is not hidden; sortable columns (links), filters
 * (a GET form), pages, a trend line per row, and checkboxes that send two
 * runs to `/compare`. Everything works without JavaScript; all state is in
 * the URL.
 *
 * @example
 * ```tsx
 * import { LeaderboardPage } from "./leaderboard_page.tsx";
 * import type { Board, BoardQuery } from "../board/model.ts";
 * declare const board: Board;
 * declare const query: BoardQuery;
 * <LeaderboardPage board={board} query={query} hiddenRuns={2} />;
 * ```
 * @module
 */
import type { Proportion } from "../../evaluators/metrics/stats.ts";
import {
  formatInterval,
  formatMs,
  formatPercent,
  formatTime,
  formatUsd,
  NONE,
} from "./format.ts";
import {
  type Board,
  type BoardEntry,
  boardHref,
  type BoardQuery,
} from "../board/model.ts";
import {
  BOARD_SCORES,
  type BoardScore,
  SORT_COLUMNS,
  type SortColumn,
  type SortKey,
} from "../board/columns.ts";
import { Pager } from "./pager.tsx";
import { Sparkline } from "./sparkline.tsx";

/** What the leaderboard shows. */
export interface LeaderboardProps {
  board: Board;
  query: BoardQuery;
  /** Public finished runs an operator hid (within the filters). */
  hiddenRuns: number;
}

function SortHeader(
  props: { column: SortKey; query: BoardQuery; num?: boolean },
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
  return (
    <th
      scope="col"
      class={props.num ? "num" : undefined}
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

function Score(props: { p: Proportion | null }) {
  if (!props.p || props.p.value === null) return <td class="num">{NONE}</td>;
  return (
    <td class="num">
      {formatPercent(props.p.value)}
      <span class="interval">
        {formatInterval(props.p)} <span class="muted">n={props.p.n}</span>
      </span>
    </td>
  );
}

function ScoreValue(props: { score: BoardScore; entry: BoardEntry }) {
  const { score } = props;
  const value = score.value(props.entry);
  if (typeof value !== "number" && value !== null) return <Score p={value} />;
  const text = score.format === "usd" ? formatUsd(value) : formatMs(value);
  return <td class="num">{text}</td>;
}

function targetMeta(e: BoardEntry): string {
  const parts = [
    e.targetKind,
    e.targetModel ?? e.engineModel ?? "model not stated",
    e.targetMode,
    e.engineVersion ? `build ${e.engineVersion}` : "build not reported",
  ];
  // The default validation goes unsaid; another is a row of its own.
  if (e.validation !== "declared") parts.push(`${e.validation} validation`);
  return parts.join(" · ");
}

function Row(props: { entry: BoardEntry }) {
  const e = props.entry;
  const checkboxId = `compare-${e.runId}`;
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
      <td class="nowrap">
        {e.suiteName} <span class="muted">v{e.suiteVersion}</span>
      </td>
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
      {BOARD_SCORES.map((score) => <ScoreValue score={score} entry={e} />)}
      <td class="nowrap">
        <a href={`/runs/${e.runId}`}>
          <time datetime={e.finishedAt.toISOString()}>
            {formatTime(e.finishedAt)}
          </time>
        </a>
      </td>
      <td>
        <Sparkline
          values={e.trend}
          label={`Empirical coverage of ${e.targetName}'s recent runs`}
        />
      </td>
    </tr>
  );
}

function Select(
  props: {
    name: string;
    label: string;
    value?: string;
    choices: { value: string; label: string }[];
  },
) {
  const id = `filter-${props.name}`;
  return (
    <label for={id}>
      {props.label}
      <select id={id} name={props.name}>
        <option value="">All</option>
        {props.choices.map((c) => (
          <option value={c.value} selected={c.value === props.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Filters(props: { board: Board; query: BoardQuery }) {
  const { board, query } = props;
  const plain = (values: string[]) =>
    values.map((v) => ({ value: v, label: v }));
  return (
    <form class="filters" method="get" action="/" aria-label="Filter the board">
      <Select
        name="suite"
        label="Suite"
        value={query.suite}
        choices={board.options.suites.map((s) => ({
          value: s.id,
          label: s.label,
        }))}
      />
      <Select
        name="kind"
        label="Engine kind"
        value={query.kind}
        choices={plain(board.options.kinds)}
      />
      <Select
        name="mode"
        label="Mode"
        value={query.mode}
        choices={plain(board.options.modes)}
      />
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <button type="submit">Apply filters</button>
      <a href="/">Reset</a>
    </form>
  );
}

/**
 * The leaderboard page body.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * import type { LeaderboardProps } from "./leaderboard_page.tsx";
 * declare const assets: PageAssets;
 * declare const props: LeaderboardProps;
 * <Layout title="Leaderboard" assets={assets}><LeaderboardPage {...props} /></Layout>
 * ```
 */
export function LeaderboardPage(props: LeaderboardProps) {
  const { board, query } = props;
  const downloadQuery = { ...query, page: 1 };
  return (
    <>
      <h1>Leaderboard</h1>
      <p>
        How often each engine's output conforms to the JSON Schema it was given:
        the latest public run of every target on every suite. Ranks are
        tie-aware within a suite: 1 + the number of targets whose
        empirical-coverage interval lies entirely above this one's.
      </p>
      <Filters board={board} query={query} />
      <p class="notice" data-hidden-runs={String(props.hiddenRuns)}>
        {props.hiddenRuns === 0
          ? "No runs are hidden."
          : `${props.hiddenRuns} hidden ${
            props.hiddenRuns === 1 ? "run is" : "runs are"
          } not shown (taken off the board by an operator).`}
      </p>
      <form method="get" action="/compare">
        <div class="table-wrap">
          <table>
            <caption>
              {board.rows.length} {board.rows.length === 1 ? "row" : "rows"}
              {" "}
              <span class="note">
                (intervals are 95%; TTFT = time to first token, TPOT = time per
                output token)
              </span>
            </caption>
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <SortHeader column="rank" query={query} num />
                <SortHeader column="suite" query={query} />
                <SortHeader column="target" query={query} />
                {BOARD_SCORES.map((score) => (
                  <SortHeader column={score.sort} query={query} num />
                ))}
                <SortHeader column="finished" query={query} />
                <th scope="col">Trend</th>
              </tr>
            </thead>
            <tbody>
              {board.items.length === 0
                ? (
                  <tr>
                    <td colspan={6 + BOARD_SCORES.length}>
                      No finished public runs match.
                    </td>
                  </tr>
                )
                : board.items.map((e) => <Row entry={e} />)}
            </tbody>
          </table>
        </div>
        <div class="actions">
          <button type="submit">Compare the two checked runs</button>
          <span class="muted">Both must be on the same suite.</span>
        </div>
      </form>
      <Pager
        label="Leaderboard pages"
        page={board.page}
        pages={board.pages}
        href={(page) => boardHref(query, { page })}
      />
      <p>
        Download these rows:{" "}
        <a href={boardHref(downloadQuery, {}, "/api/leaderboard.json")}>JSON</a>
        {" · "}
        <a href={boardHref(downloadQuery, {}, "/api/leaderboard.csv")}>CSV</a>
      </p>
    </>
  );
}
