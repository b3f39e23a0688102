/**
 * A run's case list: a GET form filtering by outcome, subset, keyword used
 * and keyword failed, a page of cases (each linked to its case page) and
 * the pager. All state is in the URL. Without an outcome in the URL it
 * shows the failures ({@link FAILURES}: every finished case that did not
 * end `valid` or `skipped`), the part a reader debugs; `outcome=all`
 * shows every case.
 *
 * @example
 * ```tsx
 * import { CaseList } from "./case_list.tsx";
 * import type { CaseLine } from "./case_list.tsx";
 * declare const id: string;
 * declare const rows: CaseLine[];
 * <CaseList runId={id} rows={rows} filter={{}} page={1} hasNext={false} subsets={[]} keywords={[]} />;
 * ```
 * @module
 */
import { OUTCOMES } from "../../evaluators/outcome.ts";
import { formatMs, NONE } from "./format.ts";
import { outcomeClassName, outcomeLook } from "./outcome_bar.tsx";
import { Pager } from "./pager.tsx";

/** One line of the list. */
export interface CaseLine {
  key: string;
  subset: string | null;
  outcome: string | null;
  failingKeywords: string[] | null;
  finishReason: string | null;
  errorKind: string | null;
  latencyMs: number | null;
}

/**
 * The case list's outcome choices besides the outcomes themselves and
 * `pending`: the failures (the default) and every case.
 *
 * @example
 * ```ts
 * FAILURES; // "failures"
 * ```
 */
export const FAILURES = "failures";
/** Every case, whatever its outcome. */
export const ALL_CASES = "all";

/**
 * Every value the list's outcome filter takes.
 *
 * @example
 * ```ts
 * CASE_OUTCOME_CHOICES.includes("pending"); // true
 * ```
 */
export const CASE_OUTCOME_CHOICES: readonly string[] = [
  FAILURES,
  ALL_CASES,
  ...OUTCOMES,
  "pending",
];

/** The list's filters, as query parameters. */
export interface CaseFilter {
  /** One of {@link CASE_OUTCOME_CHOICES}; unset means {@link FAILURES}. */
  outcome?: string;
  subset?: string;
  keyword?: string;
  failing?: string;
}

/** What the list shows. */
export interface CaseListProps {
  runId: string;
  rows: CaseLine[];
  filter: CaseFilter;
  page: number;
  hasNext: boolean;
  /** The run's subsets and keywords, for the filter choices. */
  subsets: string[];
  keywords: string[];
}

/**
 * The run page's URL with the case list's filters and page.
 *
 * @example
 * ```ts
 * caseListHref("abc", { outcome: "valid" }, 2); // "/runs/abc?outcome=valid&page=2#cases"
 * ```
 */
export function caseListHref(
  runId: string,
  filter: CaseFilter,
  page = 1,
): string {
  const params = new URLSearchParams();
  for (const name of ["outcome", "subset", "keyword", "failing"] as const) {
    const value = filter[name];
    if (value && !(name === "outcome" && value === FAILURES)) {
      params.set(name, value);
    }
  }
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return `/runs/${encodeURIComponent(runId)}${
    search ? `?${search}` : ""
  }#cases`;
}

/**
 * The URL of one case's page.
 *
 * @example
 * ```ts
 * caseHref("abc", "draft4/type/0"); // "/runs/abc/cases/draft4%2Ftype%2F0"
 * ```
 */
export function caseHref(runId: string, key: string): string {
  return `/runs/${encodeURIComponent(runId)}/cases/${encodeURIComponent(key)}`;
}

function Choice(
  props: {
    name: string;
    label: string;
    value?: string;
    choices: readonly string[];
    /** The first choice, selected when there is no value (default "All"). */
    any?: [string, string];
    labelOf?: (choice: string) => string;
  },
) {
  const id = `case-${props.name}`;
  const [anyValue, anyLabel] = props.any ?? ["", "All"];
  return (
    <label for={id}>
      {props.label}
      <select id={id} name={props.name}>
        <option
          value={anyValue}
          selected={!props.value || props.value === anyValue}
        >
          {anyLabel}
        </option>
        {props.choices.filter((c) => c !== anyValue).map((c) => (
          <option value={c} selected={c === props.value}>
            {props.labelOf?.(c) ?? c}
          </option>
        ))}
      </select>
    </label>
  );
}

function outcomeChoiceLabel(choice: string): string {
  if (choice === ALL_CASES) return "every case";
  return outcomeLook(choice).label;
}

/**
 * The outcome's CSS classes: its tone (valid stands out from the
 * failures) and its colour swatch's.
 *
 * @example
 * ```ts
 * outcomeClass("valid"); // "outcome-valid"
 * ```
 */
export function outcomeClass(outcome: string | null): string | undefined {
  if (outcome === null) return undefined;
  const tone = outcomeLook(outcome).tone;
  return tone === "good"
    ? "outcome-valid"
    : tone === "bad"
    ? "outcome-bad"
    : undefined;
}

/**
 * The case list section.
 *
 * @example
 * ```tsx
 * import type { CaseListProps } from "./case_list.tsx";
 * declare const props: CaseListProps;
 * <CaseList {...props} />
 * ```
 */
export function CaseList(props: CaseListProps) {
  const { filter } = props;
  const failures = !filter.outcome || filter.outcome === FAILURES;
  return (
    <section aria-labelledby="cases">
      <h2 id="cases">{failures ? "Failures" : "Cases"}</h2>
      {failures && (
        <p class="muted">
          The cases that did not end valid (skipped ones aside).{" "}
          <a
            href={caseListHref(props.runId, { ...filter, outcome: ALL_CASES })}
          >
            Show every case
          </a>
        </p>
      )}
      <form
        class="filters"
        method="get"
        action={`/runs/${encodeURIComponent(props.runId)}#cases`}
        aria-label="Filter the cases"
      >
        <Choice
          name="outcome"
          label="Outcome"
          value={filter.outcome}
          choices={CASE_OUTCOME_CHOICES}
          any={[FAILURES, "failures (not valid)"]}
          labelOf={outcomeChoiceLabel}
        />
        <Choice
          name="subset"
          label="Subset"
          value={filter.subset}
          choices={props.subsets}
        />
        <Choice
          name="keyword"
          label="Schema uses keyword"
          value={filter.keyword}
          choices={props.keywords}
        />
        <Choice
          name="failing"
          label="Keyword failed"
          value={filter.failing}
          choices={props.keywords}
        />
        <button type="submit">Filter cases</button>
        <a href={caseListHref(props.runId, {})}>Reset</a>
      </form>
      <div class="fold">
        <p class="more-toggle">
          <input type="checkbox" id="more-cases" class="show-more" />
          <label for="more-cases">Show every column</label>
        </p>
        <div class="table-wrap">
          <table id="case-table">
            <caption>
              {failures ? "Failures" : "Cases"} in suite order, page{" "}
              {props.page}
            </caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col" class="extra">Subset</th>
                <th scope="col">Outcome</th>
                <th scope="col">Failing keywords</th>
                <th scope="col">Finish / error</th>
                <th scope="col" class="num extra">Latency</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.length === 0 && (
                <tr>
                  <td colspan={6}>
                    {failures ? "No failures so far." : "No cases match."}
                  </td>
                </tr>
              )}
              {props.rows.map((row) => (
                <tr>
                  <th scope="row">
                    <a href={caseHref(props.runId, row.key)}>{row.key}</a>
                  </th>
                  <td class="extra">{row.subset ?? NONE}</td>
                  <td class={outcomeClass(row.outcome)}>
                    <span
                      class={`swatch ${
                        outcomeClassName(row.outcome ?? "pending")
                      }`}
                      aria-hidden="true"
                    >
                    </span>
                    {row.outcome ?? "pending"}
                  </td>
                  <td>{(row.failingKeywords ?? []).join(", ") || NONE}</td>
                  <td>{row.errorKind ?? row.finishReason ?? NONE}</td>
                  <td class="num extra">{formatMs(row.latencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <Pager
        label="Case pages"
        page={props.page}
        pages={null}
        hasNext={props.hasNext}
        href={(page) => caseListHref(props.runId, filter, page)}
      />
    </section>
  );
}
