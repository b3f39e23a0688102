/**
 * The suite pages: `/suites` (every suite with its version, hash, source,
 * case count, subsets and keyword count, linked to its board), and
 * `/suites/:id` (the same facts, every keyword with its case count, links
 * to its board and keyword matrix, and its cases, a page at a time, each
 * opening its schema at `/suites/:id/cases/:key`). Everything escaped.
 *
 * @example
 * ```tsx
 * import { SuitesPage } from "./suites_page.tsx";
 * <SuitesPage suites={[]} />;
 * ```
 * @module
 */
import { formatCount, formatTime, NONE } from "./format.ts";
import { Pager } from "./pager.tsx";

/** A suite as the pages show it. */
export interface SuiteLine {
  id: string;
  name: string;
  version: number;
  hash: string;
  caseCount: number;
  description: string | null;
  source: Record<string, unknown> | null;
  createdAt: Date;
  subsets: { subset: string | null; cases: number }[];
  keywordCount: number;
}

/**
 * Where a suite came from, in a few words.
 *
 * @example
 * ```ts
 * sourceText({ kind: "jsonschemabench", from: "hub", revision: "abc" }); // "jsonschemabench, from hub, revision abc"
 * ```
 */
export function sourceText(source: Record<string, unknown> | null): string {
  if (!source) return NONE;
  const parts: string[] = [];
  for (const key of ["kind", "from", "split", "revision"]) {
    const v = source[key];
    if (typeof v === "string" || typeof v === "number") {
      parts.push(key === "kind" ? String(v) : `${key} ${v}`);
    }
  }
  return parts.join(", ") || NONE;
}

function subsetsText(subsets: SuiteLine["subsets"]): string {
  const named = subsets.filter((s) => s.subset !== null);
  if (named.length === 0) return NONE;
  return named.map((s) => `${s.subset} (${s.cases})`).join(", ");
}

/**
 * `/suites`.
 *
 * @example
 * ```tsx
 * import type { SuiteLine } from "./suites_page.tsx";
 * declare const suites: SuiteLine[];
 * <SuitesPage suites={suites} />
 * ```
 */
export function SuitesPage(props: { suites: readonly SuiteLine[] }) {
  return (
    <>
      <h1>Suites</h1>
      <p>
        Every suite on this server. A suite is immutable and addressed by its
        content: new content under a known name is its next version.
      </p>
      <div class="table-wrap">
        <table id="suite-table">
          <caption>{props.suites.length} suites</caption>
          <thead>
            <tr>
              <th scope="col">Suite</th>
              <th scope="col" class="num">Cases</th>
              <th scope="col">Subsets</th>
              <th scope="col" class="num">Keywords</th>
              <th scope="col">Source</th>
              <th scope="col">Hash</th>
              <th scope="col">Board</th>
            </tr>
          </thead>
          <tbody>
            {props.suites.length === 0 && (
              <tr>
                <td colspan={7}>
                  No suites yet: <code>deno task import …</code> or{" "}
                  <code>POST /api/suites</code>.
                </td>
              </tr>
            )}
            {props.suites.map((s) => (
              <tr>
                <th scope="row">
                  <a href={`/suites/${encodeURIComponent(s.id)}`}>{s.name}</a>
                  {" "}
                  <span class="muted">v{s.version}</span>
                </th>
                <td class="num">{formatCount(s.caseCount)}</td>
                <td>{subsetsText(s.subsets)}</td>
                <td class="num">{formatCount(s.keywordCount)}</td>
                <td>{sourceText(s.source)}</td>
                <td>
                  <code title={s.hash}>{s.hash.slice(0, 12)}</code>
                </td>
                <td>
                  <a href={`/?suite=${encodeURIComponent(s.id)}`}>board</a>
                  {" · "}
                  <a href={`/keywords?suite=${encodeURIComponent(s.id)}`}>
                    keywords
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** What `/suites/:id` shows. */
export interface SuiteDetailProps {
  suite: SuiteLine;
  keywords: { keyword: string; cases: number }[];
  cases: {
    key: string;
    subset: string | null;
    draft: string;
    keywords: string[];
    hasPrompt: boolean;
  }[];
  page: number;
  hasNext: boolean;
}

/**
 * The URL of a suite's case.
 *
 * @example
 * ```ts
 * suiteCaseHref("s1", "draft4/type/0"); // "/suites/s1/cases/draft4%2Ftype%2F0"
 * ```
 */
export function suiteCaseHref(suiteId: string, key: string): string {
  return `/suites/${encodeURIComponent(suiteId)}/cases/${
    encodeURIComponent(key)
  }`;
}

/**
 * `/suites/:id`.
 *
 * @example
 * ```tsx
 * import type { SuiteDetailProps } from "./suites_page.tsx";
 * declare const props: SuiteDetailProps;
 * <SuiteDetailPage {...props} />
 * ```
 */
export function SuiteDetailPage(props: SuiteDetailProps) {
  const { suite } = props;
  const id = encodeURIComponent(suite.id);
  return (
    <>
      <h1>
        Suite {suite.name} <span class="muted">v{suite.version}</span>
      </h1>
      {suite.description && <p>{suite.description}</p>}
      <p>
        <a href={`/?suite=${id}`}>Its board</a> ·{" "}
        <a href={`/keywords?suite=${id}`}>
          which keywords each target enforces
        </a>
        {" · "}
        <a href="/suites">every suite</a>
      </p>
      <dl class="facts">
        <dt>Cases</dt>
        <dd>{formatCount(suite.caseCount)}</dd>
        <dt>Subsets</dt>
        <dd>{subsetsText(suite.subsets)}</dd>
        <dt>Source</dt>
        <dd>{sourceText(suite.source)}</dd>
        <dt>Hash</dt>
        <dd>
          <code>{suite.hash}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(suite.createdAt)}</dd>
      </dl>
      <details>
        <summary>{props.keywords.length} keywords used by its schemas</summary>
        <ul class="legend">
          {props.keywords.map((k) => (
            <li>
              <code>{k.keyword}</code> <strong>{formatCount(k.cases)}</strong>
            </li>
          ))}
        </ul>
      </details>
      <h2 id="cases">Cases</h2>
      <div class="table-wrap">
        <table id="suite-cases">
          <caption>Cases in suite order, page {props.page}</caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Subset</th>
              <th scope="col">Draft</th>
              <th scope="col">Keywords</th>
            </tr>
          </thead>
          <tbody>
            {props.cases.length === 0 && (
              <tr>
                <td colspan={4}>No cases on this page.</td>
              </tr>
            )}
            {props.cases.map((c) => (
              <tr>
                <th scope="row">
                  <a href={suiteCaseHref(suite.id, c.key)}>{c.key}</a>
                </th>
                <td>{c.subset ?? NONE}</td>
                <td class="nowrap">{c.draft}</td>
                <td>{c.keywords.join(", ") || NONE}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="Case pages"
        page={props.page}
        pages={null}
        hasNext={props.hasNext}
        href={(page) => `/suites/${id}${page > 1 ? `?page=${page}` : ""}#cases`}
      />
    </>
  );
}

/**
 * `/suites/:id/cases/:key`: one case's schema (as written), prompt and facts.
 *
 * @example
 * ```tsx
 * <SuiteCasePage suite={{ id: "s", name: "smoke", version: 1 }} detail={{ key: "k", subset: null, tags: [], draft: "draft2020-12", draftNote: null, keywords: [], prompt: null, schema: {} }} />
 * ```
 */
export function SuiteCasePage(
  props: {
    suite: { id: string; name: string; version: number };
    detail: {
      key: string;
      subset: string | null;
      tags: string[];
      draft: string;
      draftNote: string | null;
      keywords: string[];
      prompt: string | null;
      schema: unknown;
    };
  },
) {
  const { suite, detail } = props;
  return (
    <>
      <h1>
        Case <code>{detail.key}</code>
      </h1>
      <p>
        Of{" "}
        <a href={`/suites/${encodeURIComponent(suite.id)}`}>
          {suite.name} v{suite.version}
        </a>
      </p>
      <dl class="facts">
        <dt>Subset</dt>
        <dd>{detail.subset ?? NONE}</dd>
        <dt>Tags</dt>
        <dd>{detail.tags.join(", ") || NONE}</dd>
        <dt>Draft</dt>
        <dd>
          {detail.draft}
          {detail.draftNote ? ` (${detail.draftNote})` : ""}
        </dd>
        <dt>Keywords</dt>
        <dd>{detail.keywords.join(", ") || NONE}</dd>
      </dl>
      {detail.prompt && (
        <>
          <h2>Prompt</h2>
          <pre><code>{detail.prompt}</code></pre>
        </>
      )}
      <h2>Schema</h2>
      <pre
        id="schema"
        aria-label="The case's schema"
      ><code>{JSON.stringify(detail.schema, null, 2)}</code></pre>
    </>
  );
}
