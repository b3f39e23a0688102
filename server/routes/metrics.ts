/**
 * `GET /metrics`: Prometheus text format. Public runs by status, queue
 * depth (pending cases of active runs), results of public runs by outcome,
 * engine request latency per target (p50/p90 over the last hour, public
 * runs), and the workers holding leases now. Private runs are counted only
 * in the machine's load (queue depth, cases in flight).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/metrics", metricsRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import {
  type OperationalFigures,
  operationalFigures,
} from "../db/queries/metrics.ts";
import type { AppDeps } from "../app.ts";

function label(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll(
    "\n",
    "\\n",
  );
}

/**
 * The exposition text for a set of figures.
 *
 * @example
 * ```ts
 * import type { OperationalFigures } from "../db/queries/metrics.ts";
 * declare const figures: OperationalFigures;
 * prometheusText(figures); // "# HELP evalserver_runs …"
 * ```
 */
export function prometheusText(f: OperationalFigures): string {
  const lines: string[] = [];
  const metric = (
    name: string,
    type: string,
    help: string,
    samples: [string, number | null][],
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      if (value !== null) lines.push(`${name}${labels} ${value}`);
    }
  };
  metric(
    "evalserver_runs",
    "gauge",
    "Public runs by status.",
    f.runsByStatus.map((r) => [`{status="${label(r.status)}"}`, r.n]),
  );
  metric(
    "evalserver_queue_depth",
    "gauge",
    "Cases of active runs not done yet (private runs included).",
    [["", f.queueDepth]],
  );
  metric(
    "evalserver_results",
    "gauge",
    "Stored results of public runs by outcome.",
    f.resultsByOutcome.map((r) => [`{outcome="${label(r.outcome)}"}`, r.n]),
  );
  metric(
    "evalserver_engine_request_latency_ms",
    "summary",
    "Engine request latency over the last hour, by target (public runs).",
    f.latencyByTarget.flatMap((t) => {
      const base = `target="${label(t.target)}",kind="${label(t.kind)}"`;
      return [
        [`{${base},quantile="0.5"}`, t.p50],
        [`{${base},quantile="0.9"}`, t.p90],
      ] as [string, number | null][];
    }),
  );
  lines.push(
    "# HELP evalserver_engine_request_latency_ms_count Requests in the window.",
  );
  for (const t of f.latencyByTarget) {
    lines.push(
      `evalserver_engine_request_latency_ms_count{target="${
        label(t.target)
      }",kind="${label(t.kind)}"} ${t.n}`,
    );
  }
  metric("evalserver_workers", "gauge", "Workers holding leases now.", [[
    "",
    f.workers,
  ]]);
  metric(
    "evalserver_cases_in_flight",
    "gauge",
    "Cases claimed by workers now (private runs included).",
    [["", f.casesInFlight]],
  );
  return lines.join("\n") + "\n";
}

/**
 * The metrics sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * await metricsRoutes(deps).request("/");
 * ```
 */
export function metricsRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const text = prometheusText(await operationalFigures(deps.database));
    return c.text(text, 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });
  return app;
}
