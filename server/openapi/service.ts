/**
 * The document's entries for the service itself: health, metrics, the
 * validator, this document and its interactive reference.
 *
 * @example
 * ```ts
 * import { SERVICE_ROUTES } from "./service.ts";
 * SERVICE_ROUTES.some((r) => r.path === "/api/health"); // true
 * ```
 * @module
 */
import { closed, type RouteSpec, type Schema, T } from "./spec.ts";

const problem = closed({ code: T.string, message: T.string });

const health: Schema = closed({
  status: { type: "string", enum: ["ok", "degraded", "migrations_pending"] },
  problems: {
    type: "array",
    description:
      "What makes it degraded: `database_unavailable`, `write_failed`, `disk_full` or `low_disk`",
    items: problem,
  },
  database: closed({
    kind: { type: "string", enum: ["pglite", "postgres"] },
    migrations: closed({
      applied: T.int,
      available: T.int,
      pending: T.int,
      latest: T.text,
    }),
  }, ["migrations"]),
}, ["problems"]);

const validateAnswer: Schema = closed({
  schema: {
    oneOf: [
      closed({
        ok: { const: true },
        draft: T.string,
        inferred: T.bool,
        note: T.text,
      }),
      closed({
        ok: { const: false },
        kind: T.string,
        message: T.string,
        draft: T.string,
      }),
    ],
  },
  results: {
    type: "array",
    items: closed({
      valid: T.bool,
      errors: {
        type: "array",
        items: closed({
          instance_path: T.string,
          keyword: T.string,
          message: T.string,
        }),
      },
      problem: {
        ...closed({ kind: T.string, message: T.string }),
        description:
          "Set when the instance could not be checked (`validation_timeout`, a crash).",
      },
    }, ["problem"]),
  },
});

/** Health, metrics, validate, the document and its reference. */
export const SERVICE_ROUTES: RouteSpec[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Database kind and migration state",
    description:
      "200 when all is well; 503 (same body) when degraded or while a migration is pending.",
    ok: 200,
    response: health,
    also: {
      "503": {
        description: "degraded, or migrations pending",
        schema: health,
      },
    },
  },
  {
    method: "post",
    path: "/api/validate",
    summary: "Check instances against a schema with the benchmark's validator",
    description:
      "Any valid token; rate limited like a write. At most 1,000 instances; numbers are judged as the body wrote them.",
    body: "validate_request",
    ok: 200,
    response: validateAnswer,
  },
  {
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics",
    ok: 200,
    response: {
      contentType: "text/plain; version=0.0.4",
      schema: { type: "string" },
    },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document (OpenAPI 3.1)",
    ok: 200,
    response: { type: "object", required: ["openapi", "info", "paths"] },
  },
  {
    method: "get",
    path: "/api/docs",
    summary: "An interactive reference of this document (HTML)",
    ok: 200,
    response: { contentType: "text/html", schema: { type: "string" } },
  },
];
