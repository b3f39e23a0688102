/**
 * `/`: the leaderboard. One suite and one validation mode at a time (the
 * defaults: `server/board/view.ts`), so ranks compare like with like; or
 * every suite, grouped under a heading per suite. One row per target from
 * its latest public finished run that is not hidden; sortable columns
 * (links), filters (a GET form listing every suite that exists), pages,
 * a trend line per row, and checkboxes that send two runs to `/compare`.
 * A board with nothing on it says what to do next. Everything works
 * without JavaScript; all state is in the URL.
 *
 * @example
 * ```tsx
 * import { LeaderboardPage } from "./leaderboard_page.tsx";
 * import type { Board, BoardQuery } from "../board/model.ts";
 * declare const board: Board;
 * declare const query: BoardQuery;
 * <LeaderboardPage board={board} query={query} hiddenRuns={2} suites={[]} />;
 * ```
 * @module
 */
import { type Board, boardHref, type BoardQuery } from "../board/model.ts";
import { ALL_SUITES, groupBySuite } from "../board/view.ts";
import { BoardTable } from "./board_table.tsx";
import { EmptyBoard } from "./empty_board.tsx";
import { Pager } from "./pager.tsx";

/** A suite the filter offers. */
export interface SuiteChoice {
  id: string;
  name: string;
  version: number;
  caseCount: number;
}

/** What the leaderboard shows. */
export interface LeaderboardProps {
  board: Board;
  query: BoardQuery;
  /** Public finished runs an operator hid (within the filters). */
  hiddenRuns: number;
  /** Every suite that exists, for the filter and the empty state. */
  suites: readonly SuiteChoice[];
}

function Select(
  props: {
    name: string;
    label: string;
    value?: string;
    choices: { value: string; label: string }[];
    /** The first choice (default: every value). */
    any?: { value: string; label: string } | null;
  },
) {
  const id = `filter-${props.name}`;
  const any = props.any === undefined ? { value: "", label: "All" } : props.any;
  return (
    <label for={id}>
      {props.label}
      <select id={id} name={props.name}>
        {any && (
          <option value={any.value} selected={props.value === any.value}>
            {any.label}
          </option>
        )}
        {props.choices.map((c) => (
          <option value={c.value} selected={c.value === props.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Filters(
  props: { board: Board; query: BoardQuery; suites: readonly SuiteChoice[] },
) {
  const { board, query } = props;
  const plain = (values: string[]) =>
    values.map((v) => ({ value: v, label: v }));
  const rowsOf = new Map<string, number>();
  for (const e of board.all) {
    rowsOf.set(e.suiteId, (rowsOf.get(e.suiteId) ?? 0) + 1);
  }
  const validations = [
    ...new Set([...board.options.validations, query.validation ?? "declared"]),
  ]
    .sort();
  return (
    <form class="filters" method="get" action="/" aria-label="Filter the board">
      <Select
        name="suite"
        label="Suite"
        value={query.suite}
        any={{ value: ALL_SUITES, label: "All suites (grouped)" }}
        choices={props.suites.map((s) => {
          const n = rowsOf.get(s.id) ?? 0;
          return {
            value: s.id,
            label: `${s.name} v${s.version} (${n} ${n === 1 ? "row" : "rows"})`,
          };
        })}
      />
      <Select
        name="validation"
        label="Validation"
        value={query.validation}
        any={null}
        choices={plain(validations)}
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
  if (board.all.length === 0 && !query.kind && !query.mode) {
    return (
      <>
        <h1>Leaderboard</h1>
        <EmptyBoard suites={props.suites} />
      </>
    );
  }
  const all = query.suite === ALL_SUITES;
  const suite = props.suites.find((s) => s.id === query.suite);
  const rows = (n: number) => `${n} ${n === 1 ? "row" : "rows"}`;
  return (
    <>
      <h1>
        Leaderboard{all
          ? ": every suite"
          : suite
          ? `: ${suite.name} v${suite.version}`
          : ""}
      </h1>
      <Filters board={board} query={query} suites={props.suites} />
      <form method="get" action="/compare">
        {board.items.length === 0 && (
          <p class="notice" id="no-rows">
            No finished public runs match these filters.{" "}
            <a
              href={boardHref({
                ...query,
                kind: undefined,
                mode: undefined,
                page: 1,
              })}
            >
              Clear the engine and mode filters
            </a>{" "}
            or <a href={`/?suite=${ALL_SUITES}`}>show every suite</a>.
          </p>
        )}
        {all
          ? groupBySuite(board.items).map((group, i) => (
            <section aria-labelledby={`suite-${i}`}>
              <h2 id={`suite-${i}`}>
                <a
                  href={boardHref({ ...query, suite: group.suiteId, page: 1 })}
                >
                  {group.suiteName} v{group.suiteVersion}
                </a>
                {group.validation !== "declared" &&
                  ` (${group.validation} validation)`}
              </h2>
              <BoardTable
                entries={group.entries}
                query={query}
                caption={rows(group.entries.length)}
                id={String(i)}
              />
            </section>
          ))
          : board.items.length > 0 && (
            <BoardTable
              entries={board.items}
              query={query}
              caption={rows(board.rows.length)}
            />
          )}
        <div class="actions">
          <button type="submit">Compare the two checked runs</button>
          <span class="muted">Both must be on the same suite.</span>
        </div>
      </form>
      <p class="board-intro">
        How often each engine's output conforms to the JSON Schema it was given:
        the latest public run of every target
        {all ? " on every suite" : " on this suite"}, validated{" "}
        <strong>{query.validation ?? "declared"}</strong>. Ranks are tie-aware
        within a suite: 1 + the number of targets whose empirical-coverage
        interval lies entirely above this one's. {suite && (
          <>
            <a href={`/suites/${encodeURIComponent(suite.id)}`}>
              The suite's {suite.caseCount} cases
            </a>
            {" · "}
            <a href={`/keywords?suite=${encodeURIComponent(suite.id)}`}>
              which keywords each target enforces
            </a>
          </>
        )}
      </p>
      <p class="muted" data-hidden-runs={String(props.hiddenRuns)}>
        {props.hiddenRuns === 0
          ? "No runs are hidden."
          : `${props.hiddenRuns} hidden ${
            props.hiddenRuns === 1 ? "run is" : "runs are"
          } not shown (taken off the board by an operator).`}
      </p>
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
        {" · "}
        <a href="/suites">every suite</a>
      </p>
    </>
  );
}
