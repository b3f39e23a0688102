/**
 * The reproducibility block of a run report, folded in a `<details>`:
 * suite and hash, target, model (the engine's own when the target states
 * none), hardware, validation and mode, status and times (UTC), the
 * engine as it described itself (nested objects such as llama.cpp's
 * `model_meta` as definition lists, never raw JSON), every stored option
 * and the prompt template.
 *
 * @example
 * ```tsx
 * import { Reproducibility } from "./run_reproduce.tsx";
 * import type { ReproducibilityProps } from "./run_reproduce.tsx";
 * declare const props: ReproducibilityProps;
 * <Reproducibility {...props} />;
 * ```
 * @module
 */
import type { Child } from "hono/jsx";
import type { EngineDescription } from "../../evaluators/targets/target.ts";
import type { RunOptions } from "../runs/options.ts";
import { formatTime, NONE } from "./format.ts";
import { statusLabel } from "./run_status.ts";

/** What the block shows. */
export interface ReproducibilityProps {
  run: {
    id: string;
    status: string;
    failureReason?: string | null;
    waitingSince?: Date | null;
    engineWaitedMs?: number;
    trigger: string;
    public: boolean;
    engine: EngineDescription | null;
    options: RunOptions;
    createdAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
  };
  suite:
    | { name: string; version: number; hash: string; caseCount: number }
    | null;
  target: {
    name: string;
    kind: string;
    model: string | null;
    mode: string;
    hardware: string | null;
  } | null;
}

/** Nesting shown as lists; deeper than this is written as JSON. */
const MAX_DEPTH = 3;

/**
 * A value as the block shows it: text for scalars, a definition list for
 * an object, a list for an array of scalars.
 *
 * @example
 * ```tsx
 * <Value value={{ n_params: 1000, vocab: { n: 98 } }} />
 * ```
 */
export function Value(props: { value: unknown; depth?: number }): Child {
  const { value } = props;
  const depth = props.depth ?? 0;
  if (value === null || value === undefined) return NONE;
  if (typeof value === "number") {
    return Number.isInteger(value) ? value.toLocaleString("en") : String(value);
  }
  if (typeof value !== "object") return String(value);
  if (depth >= MAX_DEPTH) return <code>{JSON.stringify(value)}</code>;
  if (Array.isArray(value)) {
    if (value.length === 0) return NONE;
    return (
      <ul class="plain">
        {value.map((v) => (
          <li>
            <Value value={v} depth={depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <Facts
      entries={sortedEntries(value as Record<string, unknown>)}
      depth={depth + 1}
    />
  );
}

function sortedEntries(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record).sort((a, b) => a[0].localeCompare(b[0]));
}

function Facts(props: { entries: [string, unknown][]; depth?: number }) {
  if (props.entries.length === 0) return NONE;
  return (
    <dl class="facts">
      {props.entries.map(([name, value]) => (
        <>
          <dt>{name}</dt>
          <dd>
            <Value value={value} depth={props.depth ?? 0} />
          </dd>
        </>
      ))}
    </dl>
  );
}

function text(value: unknown): string {
  if (value === null || value === undefined) return NONE;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function PromptTemplate(props: { template: unknown }) {
  const t = props.template as Record<string, unknown> | null | undefined;
  if (!t || typeof t !== "object") return <p>No prompt template stored.</p>;
  return (
    <details>
      <summary>Prompt template</summary>
      {(["system", "user", "user_with_prompt"] as const).map((part) => (
        <>
          <h4>{part}</h4>
          <pre><code>{text(t[part])}</code></pre>
        </>
      ))}
      <p>
        Few-shot examples: {Array.isArray(t.few_shot) ? t.few_shot.length : 0}
      </p>
    </details>
  );
}

/**
 * The model a run (or a target) answered with: the target's, else the
 * engine's own (llama-server names the file it serves), else "not stated".
 *
 * @example
 * ```ts
 * modelOf(null, "tiny-0.gguf"); // "tiny-0.gguf (as the engine reports it)"
 * modelOf("gpt-x", "gpt-x-2025"); // "gpt-x"
 * ```
 */
export function modelOf(
  targetModel: string | null | undefined,
  engineModel: unknown,
): string {
  if (targetModel) return targetModel;
  if (typeof engineModel === "string" && engineModel) {
    return `${engineModel} (as the engine reports it)`;
  }
  return "not stated";
}

/**
 * The folded block.
 *
 * @example
 * ```tsx
 * import type { ReproducibilityProps } from "./run_reproduce.tsx";
 * declare const props: ReproducibilityProps;
 * <Reproducibility {...props} />
 * ```
 */
export function Reproducibility(props: ReproducibilityProps) {
  const { run, suite, target } = props;
  const { prompt_template: template, ...scalars } = run.options;
  return (
    <section aria-labelledby="reproduce">
      <h2 id="reproduce">Reproducibility</h2>
      <details>
        <summary>
          What was run: suite, engine, model, options, prompt (all times UTC)
        </summary>
        <Facts
          entries={[
            [
              "Suite",
              suite
                ? `${suite.name} v${suite.version} (${suite.caseCount} cases)`
                : null,
            ],
            ["Suite hash", suite?.hash ?? null],
            [
              "Target",
              target
                ? `${target.name}: ${target.kind}, mode ${target.mode}`
                : null,
            ],
            ["Model", modelOf(target?.model, run.engine?.model)],
            ["Hardware", target?.hardware ?? null],
            ["Validation", run.options.validation ?? null],
            ["Mode", run.options.mode ?? target?.mode ?? null],
            ["Status", statusLabel(run)],
            ["Visibility", run.public ? "public" : "private"],
            ["Trigger", run.trigger],
            ["Created", formatTime(run.createdAt)],
            ["Started", formatTime(run.startedAt)],
            ["Finished", formatTime(run.finishedAt)],
          ]}
        />
        <h3>Engine</h3>
        {run.engine
          ? <Facts entries={sortedEntries(run.engine)} />
          : <p>The engine has not described itself yet.</p>}
        <h3>Options</h3>
        <Facts entries={sortedEntries(scalars)} />
        <PromptTemplate template={template} />
      </details>
    </section>
  );
}
