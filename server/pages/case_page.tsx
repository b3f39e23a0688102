/**
 * `/runs/:id/cases/:key`: one case of a run. The schema as the user wrote
 * it, the schema actually sent when the target had to adapt it, the raw
 * output (pretty-printed when it parses), and the validation errors with
 * instance path and schema keyword. Every schema and output is untrusted
 * text: it is only ever a text child, which hono/jsx escapes.
 *
 * @example
 * ```tsx
 * import { CasePage } from "./case_page.tsx";
 * import type { CaseView } from "./case_page.tsx";
 * declare const detail: CaseView;
 * declare const id: string;
 * <CasePage runId={id} runLabel="local on smoke v1" detail={detail} />;
 * ```
 * @module
 */
import { caseListHref, outcomeClass } from "./case_list.tsx";
import { formatMs, formatTime, formatUsd, NONE } from "./format.ts";
import type { CaseDetail } from "../runs/case_detail.ts";

/** One case of a run, in full (as the case query reads it). */
export type CaseView = CaseDetail;

/** What the case page shows. */
export interface CasePageProps {
  runId: string;
  /** How the run is named in the breadcrumb. */
  runLabel: string;
  detail: CaseView;
}

/**
 * The output as indented JSON when it parses (a surrounding Markdown code
 * fence is looked through, as the judge does), else null.
 *
 * @example
 * ```ts
 * prettyOutput('{"a":1}'); // '{\n  "a": 1\n}'
 * prettyOutput("not json"); // null
 * ```
 */
export function prettyOutput(raw: string | null): string | null {
  const parsed = parsedOutput(raw);
  return parsed === undefined ? null : JSON.stringify(parsed, null, 2);
}

/**
 * Whether a parsed output holds a number that JSON text cannot carry back
 * unchanged: one that overflowed a double (`1e3333` parses to Infinity,
 * which prints as `null`) or an integer beyond 2^53 (its digits change).
 * Such an output is shown as received, not pretty-printed. Walked without
 * recursion.
 *
 * @example
 * ```ts
 * numbersLost(JSON.parse("[1, 1e3333]")); // true
 * numbersLost({ a: 1.5 }); // false
 * ```
 */
export function numbersLost(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return true;
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) return true;
    } else if (v && typeof v === "object") {
      stack.push(...Object.values(v));
    }
  }
  return false;
}

function parsedOutput(raw: string | null): unknown {
  if (raw === null) return undefined;
  const fence = /^\s*```[\w-]*\s*\n([\s\S]*?)\n?\s*```\s*$/.exec(raw);
  for (const candidate of fence ? [raw, fence[1]] : [raw]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // not JSON; try the next candidate
    }
  }
  return undefined;
}

/** One validation error as the result stores it. */
interface StoredError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  message: string;
}

function readError(value: unknown): StoredError {
  const e = (value ?? {}) as Record<string, unknown>;
  const str = (v: unknown) =>
    typeof v === "string" ? v : v == null ? "" : String(v);
  return {
    keyword: str(e.keyword),
    instancePath: str(e.instance_path ?? e.instancePath),
    schemaPath: str(e.schema_path ?? e.schemaPath),
    message: str(e.message),
  };
}

function Json(props: { value: unknown; label: string }) {
  return (
    <pre
      aria-label={props.label}
    ><code>{JSON.stringify(props.value, null, 2)}</code></pre>
  );
}

function ErrorsTable(props: { errors: unknown[] }) {
  const errors = props.errors.map(readError);
  return (
    <div class="table-wrap">
      <table id="error-table">
        <caption>Validation errors (at most 20 are stored)</caption>
        <thead>
          <tr>
            <th scope="col">Instance path</th>
            <th scope="col">Keyword</th>
            <th scope="col">Schema path</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e) => (
            <tr>
              <td>
                <code>{e.instancePath || "(root)"}</code>
              </td>
              <td>
                <code>{e.keyword}</code>
              </td>
              <td>
                <code>{e.schemaPath}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The case page body.
 *
 * @example
 * ```tsx
 * import { Layout } from "./layout.tsx";
 * import type { PageAssets } from "../static/assets.ts";
 * import type { CasePageProps, CaseView } from "./case_page.tsx";
 * declare const assets: PageAssets;
 * declare const detail: CaseView;
 * declare const props: CasePageProps;
 * <Layout title={`Case ${detail.key}`} assets={assets}><CasePage {...props} /></Layout>
 * ```
 */
export function CasePage(props: CasePageProps) {
  const d = props.detail;
  const pretty = prettyOutput(d.rawOutput);
  const lossy = pretty !== null && numbersLost(parsedOutput(d.rawOutput));
  const sentDiffers = d.sentSchema !== null && d.sentSchema !== undefined &&
    JSON.stringify(d.sentSchema) !== JSON.stringify(d.schema);
  const errors = d.errors ?? [];
  return (
    <>
      <p>
        <a href={caseListHref(props.runId, {})}>← {props.runLabel}</a>
      </p>
      <h1>
        Case <code>{d.key}</code>
      </h1>
      <dl class="facts">
        <dt>Outcome</dt>
        <dd class={outcomeClass(d.outcome)}>{d.outcome ?? "pending"}</dd>
        <dt>Subset</dt>
        <dd>{d.subset ?? NONE}</dd>
        <dt>Draft</dt>
        <dd>
          {d.draft}
          {d.draftNote ? ` (${d.draftNote})` : ""}
        </dd>
        <dt>Keywords</dt>
        <dd>{d.keywords.join(", ") || NONE}</dd>
        <dt>Failing keywords</dt>
        <dd>{(d.failingKeywords ?? []).join(", ") || NONE}</dd>
        <dt>Finish reason</dt>
        <dd>{d.finishReason ?? NONE}</dd>
        {d.errorKind && (
          <>
            <dt>Error</dt>
            <dd>
              {d.errorKind}
              {d.errorMessage ? `: ${d.errorMessage}` : ""}
            </dd>
          </>
        )}
        <dt>Timing</dt>
        <dd>
          latency {formatMs(d.latencyMs)}, first token{" "}
          {formatMs(d.ttftMs)}, per token {formatMs(d.tpotMs)}
        </dd>
        <dt>Tokens</dt>
        <dd>
          {d.promptTokens ?? NONE} prompt, {d.completionTokens ?? NONE}{" "}
          completion; cost {formatUsd(d.costUsd)}; {d.attempts} attempt(s)
        </dd>
        {d.correct !== null && (
          <>
            <dt>Answer</dt>
            <dd>
              {JSON.stringify(d.answer)} ({d.correct ? "correct" : "wrong"})
            </dd>
          </>
        )}
        <dt>Finished</dt>
        <dd>{formatTime(d.finishedAt)}</dd>
      </dl>

      <h2>Output</h2>
      {d.rawOutput === null ? <p>No output.</p> : lossy
        ? (
          <>
            <p class="notice" id="lossy-output">
              This output parses as JSON, but it holds a number that does not
              survive as a JavaScript number (too large: it parses to Infinity,
              or an integer past 2^53 whose digits change), so it is shown as
              received. The validator judged the parsed value, where such a
              number is Infinity or rounded: an error such as {'"must be <= 6"'}
              is about that value.
            </p>
            <pre aria-label="Raw output"><code id="output">{d.rawOutput}</code></pre>
            <details>
              <summary>
                Parsed and pretty-printed (Infinity prints as null)
              </summary>
              <pre><code>{pretty}</code></pre>
            </details>
          </>
        )
        : pretty !== null
        ? (
          <>
            <pre aria-label="Output, pretty-printed"><code id="output">{pretty}</code></pre>
            {pretty !== d.rawOutput && (
              <details>
                <summary>Raw output as received</summary>
                <pre><code>{d.rawOutput}</code></pre>
              </details>
            )}
          </>
        )
        : (
          <>
            <p class="muted">
              The output does not parse as JSON
              {d.outputTruncated ? " (stored truncated)" : ""}; as received:
            </p>
            <pre aria-label="Raw output"><code id="output">{d.rawOutput}</code></pre>
          </>
        )}
      {d.fenced && (
        <p class="muted">
          It came inside a Markdown code fence, stripped before parsing.
        </p>
      )}
      {d.reasoning && (
        <details>
          <summary>Reasoning (moved out of the output)</summary>
          <pre><code>{d.reasoning}</code></pre>
        </details>
      )}

      <h2>Validation errors</h2>
      {errors.length > 0 ? <ErrorsTable errors={errors} /> : <p>None.</p>}

      {d.prompt && (
        <>
          <h2>Prompt</h2>
          <pre><code>{d.prompt}</code></pre>
        </>
      )}

      <h2>Schema</h2>
      <Json value={d.schema} label="The schema as written" />
      {sentDiffers && (
        <>
          <h2>Schema actually sent</h2>
          <p>The target had to adapt the schema; this is what it was given.</p>
          <Json value={d.sentSchema} label="The schema as sent" />
        </>
      )}
    </>
  );
}
