/**
 * `/keywords?suite=`: which JSON Schema keywords each engine enforces on
 * one suite. A column per target of the board on that suite, a row per
 * keyword (grouped: applicators, validation, formats with a row per
 * format value, references, the rest); each cell says *refused*,
 * *unsound*, *adapted*, or the empirical coverage among the cases using
 * the keyword as a heat colour, with n and the interval in its text (for
 * screen readers) and shown on hover or focus. Every state is written in
 * words too: colour is never the only cue.
 *
 * @example
 * ```tsx
 * import { KeywordMatrixPage } from "./keyword_matrix_page.tsx";
 * import type { KeywordMatrix } from "../board/keyword_matrix.ts";
 * declare const matrix: KeywordMatrix;
 * <KeywordMatrixPage suite={{ id: "…", name: "smoke", version: 1 }} validation="declared" matrix={matrix} suites={[]} />;
 * ```
 * @module
 */
import type { CellVerdict } from "../../evaluators/metrics/keyword_matrix.ts";
import type { KeywordMatrix } from "../board/keyword_matrix.ts";
import { formatInterval, formatPercent } from "./format.ts";

/** A suite as the page names it. */
export interface MatrixSuite {
  id: string;
  name: string;
  version: number;
}

/** What the page shows. */
export interface KeywordMatrixPageProps {
  suite: MatrixSuite;
  validation: string;
  matrix: KeywordMatrix;
  /** Every suite, for the chooser. */
  suites: readonly MatrixSuite[];
}

/** Heat steps of the coverage colour (`heat-0` … `heat-8` in the stylesheet). */
export const HEAT_STEPS = 9;

/**
 * The heat class of a coverage value.
 *
 * @example
 * ```ts
 * heatClass(0.95); // "heat-8"
 * heatClass(0); // "heat-0"
 * ```
 */
export function heatClass(value: number): string {
  const step = Math.min(HEAT_STEPS - 1, Math.floor(value * HEAT_STEPS));
  return `heat-${Math.max(0, step)}`;
}

const STATE_WORDS = {
  refused: "refused",
  unsound: "unsound",
  adapted: "adapted",
} as const;

function Cell(props: { cell: CellVerdict | null; label: string }) {
  const { cell } = props;
  if (!cell) {
    return <td class="cell cell-none" title={`${props.label}: not used`}>·</td>;
  }
  const t = cell.tally;
  const cov = cell.coverage;
  const coverage = cov.value === null
    ? "nothing counted"
    : `${formatPercent(cov.value)} [${formatInterval(cov)}]`;
  const detail =
    `empirical coverage ${coverage}, n=${t.e}; ${t.cases} cases use it, ${t.unsupported} refused, ${t.violations} violated it, ${t.adapted} adapted`;
  const title = `${props.label}: ${detail}`;
  if (cell.state !== "coverage") {
    return (
      <td
        class={`cell cell-${cell.state}`}
        data-state={cell.state}
        title={title}
        tabindex={0}
      >
        {STATE_WORDS[cell.state]}
        <span class="cell-detail">{detail}</span>
      </td>
    );
  }
  return (
    <td
      class={`cell ${cov.value === null ? "cell-none" : heatClass(cov.value)}`}
      data-state="coverage"
      title={title}
      tabindex={0}
    >
      {cov.value === null ? "–" : `${Math.round(cov.value * 100)}%`}
      <span class="cell-detail">{detail}</span>
    </td>
  );
}

/**
 * The page body.
 *
 * @example
 * ```tsx
 * import type { KeywordMatrixPageProps } from "./keyword_matrix_page.tsx";
 * declare const props: KeywordMatrixPageProps;
 * <KeywordMatrixPage {...props} />
 * ```
 */
export function KeywordMatrixPage(props: KeywordMatrixPageProps) {
  const { suite, matrix } = props;
  const q = `suite=${encodeURIComponent(suite.id)}&validation=${
    encodeURIComponent(props.validation)
  }`;
  const th = matrix.thresholds;
  return (
    <>
      <h1>
        Keywords × targets: {suite.name} v{suite.version}
      </h1>
      <p>
        Which JSON Schema keywords each target enforces, from the latest public
        run of every target on the{" "}
        <a href={`/?suite=${encodeURIComponent(suite.id)}`}>board</a>{" "}
        (validation {props.validation}). A cell is <strong>refused</strong>{" "}
        when at least{" "}
        {Math.round(th.refusedShare * 100)}% of the cases using the keyword were
        refused (<code>unsupported_schema</code>); <strong>adapted</strong>{" "}
        when our adapt step dropped or rewrote the keyword before sending (at
        least half the cases); <strong>unsound</strong>{" "}
        when the target constrains and at least {th.unsoundMinCases}{" "}
        cases using it (and {Math.round(th.unsoundShare * 100)}%) ended{" "}
        <code>schema_violation</code>{" "}
        at this keyword: the engine accepted the constraint and did not enforce
        it. Otherwise the cell is the empirical coverage among the cases using
        the keyword. <code>prompt_only</code> targets show coverage only.
      </p>
      <form
        class="filters"
        method="get"
        action="/keywords"
        aria-label="Choose a suite"
      >
        <label for="matrix-suite">
          Suite
          <select id="matrix-suite" name="suite">
            {props.suites.map((s) => (
              <option value={s.id} selected={s.id === suite.id}>
                {s.name} v{s.version}
              </option>
            ))}
          </select>
        </label>
        <input type="hidden" name="validation" value={props.validation} />
        <button type="submit">Show</button>
      </form>
      {matrix.columns.length === 0
        ? (
          <p class="notice" id="no-targets">
            No target has a finished public run of this suite yet.
          </p>
        )
        : (
          <div class="table-wrap">
            <table id="keyword-matrix" class="matrix">
              <caption>
                {matrix.columns.length} targets,{" "}
                {matrix.groups.reduce((n, g) => n + g.rows.length, 0)} keywords
              </caption>
              <thead>
                <tr>
                  <th scope="col">Keyword</th>
                  <th scope="col" class="num">Cases</th>
                  {matrix.columns.map((c) => (
                    <th scope="col">
                      <a href={`/runs/${encodeURIComponent(c.runId)}`}>
                        {c.targetName}
                      </a>
                      <span class="target-meta">
                        {c.mode}
                        {c.engineVersion ? ` · ${c.engineVersion}` : ""}
                        {c.tallied ? "" : " · not tallied yet"}
                      </span>
                    </th>
                  ))}
                </tr>
              </thead>
              {matrix.groups.map((g) => (
                <tbody>
                  <tr class="group">
                    <th scope="rowgroup" colspan={2 + matrix.columns.length}>
                      {g.group}
                    </th>
                  </tr>
                  {g.rows.map((row) => (
                    <tr>
                      <th scope="row">
                        <code>{row.keyword}</code>
                      </th>
                      <td class="num">{row.cases}</td>
                      {row.cells.map((cell, i) => (
                        <Cell
                          cell={cell}
                          label={`${row.keyword} on ${
                            matrix.columns[i].targetName
                          }`}
                        />
                      ))}
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        )}
      <p>
        Download: <a href={`/api/keywords.json?${q}`}>JSON</a> ·{" "}
        <a href={`/api/keywords.csv?${q}`}>CSV</a>
      </p>
    </>
  );
}
