/**
 * The board of a server with no finished public run yet: what to do next,
 * with the exact commands (import a subset, create a target, start a
 * run), and the suites that already exist (the built-in `smoke` suite
 * among them), each linked to its page.
 *
 * @example
 * ```tsx
 * import { EmptyBoard } from "./empty_board.tsx";
 * <EmptyBoard suites={[{ id: "…", name: "smoke", version: 1, caseCount: 40 }]} />;
 * ```
 * @module
 */

/** A suite as the empty board lists it. */
export interface EmptyBoardSuite {
  id: string;
  name: string;
  version: number;
  caseCount: number;
}

/**
 * The empty state.
 *
 * @example
 * ```tsx
 * <EmptyBoard suites={[]} />
 * ```
 */
export function EmptyBoard(props: { suites: readonly EmptyBoardSuite[] }) {
  const smoke = props.suites.find((s) => s.name === "smoke");
  const suiteArg = smoke ? "smoke" : "NAME";
  return (
    <section aria-labelledby="get-started" id="empty-board">
      <h2 id="get-started">Nothing on the board yet</h2>
      <p>
        The board shows the latest finished public run of every target on every
        suite. No run has finished yet. Three steps put the first row here:
      </p>
      <ol class="steps">
        <li>
          <p>
            A suite to run: {smoke
              ? (
                <>
                  the built-in{" "}
                  <a href={`/suites/${encodeURIComponent(smoke.id)}`}>
                    smoke suite
                  </a>{" "}
                  ({smoke.caseCount}{" "}
                  cases) is here already, or import JSONSchemaBench subsets:
                </>
              )
              : "import JSONSchemaBench subsets (or post your own to POST /api/suites):"}
          </p>
          <pre><code>deno task import jsonschemabench --from hub --subsets Glaiveai2K --split test</code></pre>
        </li>
        <li>
          <p>
            A target (an admin token; a llama-server on port 8080 here):
          </p>
          <pre><code>{`curl -X POST -H "authorization: Bearer $ADMIN_TOKEN" -H "content-type: application/json" \\
  -d '{"name":"my-llama","kind":"llamacpp","base_url":"http://127.0.0.1:8080","mode":"json_schema"}' \\
  http://localhost:8000/api/targets`}</code></pre>
        </li>
        <li>
          <p>
            A public run of the suite on it (a token in ADMIN_TOKEN or
            EVAL_TOKEN):
          </p>
          <pre><code>{`deno task run --suite ${suiteArg} --target my-llama --public --server http://localhost:8000`}</code></pre>
          <p class="muted">
            or <code>POST /api/runs</code> with{" "}
            <code>{`{"suite_id": "…", "target_id": "…", "public": true}`}
            </code>.
          </p>
        </li>
      </ol>
      <h3>Suites on this server</h3>
      {props.suites.length === 0 ? <p>None yet.</p> : (
        <ul>
          {props.suites.map((s) => (
            <li>
              <a href={`/suites/${encodeURIComponent(s.id)}`}>
                {s.name} v{s.version}
              </a>{" "}
              <span class="muted">({s.caseCount} cases)</span>
            </li>
          ))}
        </ul>
      )}
      <p>
        All suites: <a href="/suites">/suites</a> · how the scores are defined:
        {" "}
        <a href="/methodology">methodology</a>
      </p>
    </section>
  );
}
