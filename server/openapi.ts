/**
 * `GET /api/openapi.json`: an OpenAPI 3.1 description of the API, built
 * from the request-body schemas in `schemas/api/` (the same documents that
 * check the bodies) and a table of the routes.
 *
 * @example
 * ```ts
 * import { openApiDocument } from "./openapi.ts";
 * openApiDocument().paths["/api/suites"].post; // { requestBody, responses, … }
 * ```
 * @module
 */
import { requiredScope } from "./auth/guard.ts";
import { API_SCHEMAS, type ApiSchemaName } from "./http/request_body.ts";

interface Route {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  body?: ApiSchemaName;
  /** A non-JSON body (JSONL). */
  text?: string;
  query?: string[];
  ok: number;
}

const ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Database kind and migration state",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/suites",
    summary: "Create a suite (content-addressed)",
    body: "suite_create",
    ok: 201,
  },
  {
    method: "post",
    path: "/api/suites/import",
    summary: "Create a suite from JSONL in JSONSchemaBench's hub record format",
    text: "application/jsonl",
    query: ["name", "subset", "description"],
    ok: 201,
  },
  {
    method: "get",
    path: "/api/suites",
    summary: "List suites (retired ones with retired=true)",
    query: ["name", "retired", "limit", "cursor"],
    ok: 200,
  },
  {
    method: "post",
    path: "/api/suites/{id}/retire",
    summary: "Retire a suite version: off the lists and the board, runs kept",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/suites/{id}/unretire",
    summary: "Bring a retired suite version back",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/suites/{id}",
    summary: "One suite and a page of its cases",
    query: ["limit", "cursor"],
    ok: 200,
  },
  {
    method: "post",
    path: "/api/targets",
    summary: "Create a target",
    body: "target_create",
    ok: 201,
  },
  {
    method: "get",
    path: "/api/targets",
    summary: "List targets (retired ones with retired=true)",
    query: ["retired", "limit", "cursor"],
    ok: 200,
  },
  {
    method: "get",
    path: "/api/targets/{id}",
    summary: "One target, by id or name",
    ok: 200,
  },
  {
    method: "patch",
    path: "/api/targets/{id}",
    summary:
      "Change a target's name, description or max_concurrency (nothing its results depend on)",
    body: "target_update",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/targets/{id}/copy",
    summary:
      "A new target from this one with the fields that change (kind, base_url, model, mode, params, …) and a new name",
    body: "target_create",
    ok: 201,
  },
  {
    method: "post",
    path: "/api/targets/{id}/retire",
    summary: "Retire a target: off the lists, hints and board, history kept",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/targets/{id}/unretire",
    summary: "Bring a retired target back",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/runs",
    summary: "Start a run",
    body: "run_create",
    ok: 202,
  },
  {
    method: "get",
    path: "/api/runs",
    summary: "List runs, newest first (suite and target by id or name)",
    query: [
      "suite_id",
      "suite",
      "suite_version",
      "target_id",
      "target",
      "status",
      "limit",
      "cursor",
    ],
    ok: 200,
  },
  {
    method: "get",
    path: "/api/runs/{id}",
    summary:
      "A run: status (queued, running, waiting_for_engine with waiting_since and engine_waited_ms, done, failed with its failure_reason, cancelled, budget_exceeded), engine, progress, scores",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/runs/{id}/results",
    summary: "A page of a run's results",
    query: ["outcome", "subset", "limit", "cursor"],
    ok: 200,
  },
  {
    method: "get",
    path: "/api/leaderboard.json",
    summary: "The leaderboard's rows",
    query: ["suite", "validation", "kind", "mode", "sort", "dir"],
    ok: 200,
  },
  {
    method: "get",
    path: "/api/leaderboard.csv",
    summary: "The leaderboard's rows as CSV",
    query: ["suite", "validation", "kind", "mode", "sort", "dir"],
    ok: 200,
  },
  {
    method: "get",
    path: "/api/keywords.json",
    summary:
      "A suite's keyword x engine matrix: one record per keyword and target (refused, adapted, unsound or coverage, with the counts)",
    query: ["suite", "validation"],
    ok: 200,
  },
  {
    method: "get",
    path: "/api/keywords.csv",
    summary: "The keyword x engine matrix as CSV",
    query: ["suite", "validation"],
    ok: 200,
  },
  {
    method: "get",
    path: "/api/runs/{id}/results.jsonl",
    summary: "Every result of a run, one JSON object a line",
    ok: 200,
  },
  {
    method: "get",
    path: "/api/runs/{id}/results.csv",
    summary: "Every result of a run as CSV",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/runs/{id}/hide",
    summary: "Take a run off the leaderboard (kept)",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/runs/{id}/unhide",
    summary: "Put a hidden run back on the leaderboard",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/runs/{id}/cancel",
    summary: "Cancel a queued, running or waiting run (its token, or admin)",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/tokens",
    summary: "Create an API token (shown once)",
    body: "token_create",
    ok: 201,
  },
  {
    method: "get",
    path: "/api/tokens",
    summary: "List tokens: names, scopes, last use (never a token)",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/tokens/{id}/revoke",
    summary: "Revoke a token",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/tokens/{id}/rotate",
    summary: "Give a token a new secret under the same id",
    ok: 200,
  },
  {
    method: "post",
    path: "/api/runs/{id}/rejudge",
    summary:
      "Re-judge a done run's stored outputs under today's validator into a new run (admin)",
    ok: 201,
  },
  {
    method: "post",
    path: "/api/validate",
    summary:
      "Check instances against a schema with the benchmark's validator (any token)",
    body: "validate_request",
    ok: 200,
  },
  { method: "get", path: "/metrics", summary: "Prometheus metrics", ok: 200 },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    ok: 200,
  },
];

function componentSchema(name: ApiSchemaName): Record<string, unknown> {
  const { $id: _id, $schema: _schema, ...rest } = API_SCHEMAS[name] as Record<
    string,
    unknown
  >;
  const text = JSON.stringify(rest)
    .replaceAll('"#/$defs/', `"#/components/schemas/${name}/$defs/`)
    .replace(/"(\w+)#\//g, '"#/components/schemas/$1/');
  return JSON.parse(text);
}

const ERROR = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        path: { type: "string" },
        details: { type: "array", items: { type: "object" } },
      },
    },
  },
};

/**
 * The OpenAPI document.
 *
 * @example
 * ```ts
 * Object.keys(openApiDocument().components.schemas); // ["suite_create", "target_create", "run_create", "error"]
 * ```
 */
export function openApiDocument() {
  const schemas: Record<string, unknown> = {};
  for (const name of Object.keys(API_SCHEMAS) as ApiSchemaName[]) {
    schemas[name] = componentSchema(name);
  }
  schemas.error = ERROR;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      })),
      ...(route.query ?? []).map((name) => ({
        name,
        in: "query",
        required: false,
        schema: { type: "string" },
      })),
    ];
    const scope = requiredScope(
      route.method,
      route.path.replaceAll(/\{\w+\}/g, "x"),
    );
    const operation: Record<string, unknown> = {
      summary: route.summary,
      ...(scope
        ? {
          security: [{ bearer: [] }],
          description: `Needs a bearer token with the \`${scope}\` scope.`,
        }
        : {}),
      ...(parameters.length ? { parameters } : {}),
      responses: {
        [String(route.ok)]: {
          description: "success",
          content: { "application/json": { schema: { type: "object" } } },
        },
        "4XX": {
          description: "the caller's mistake",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/error" },
            },
          },
        },
      },
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: {
          "application/json": {
            schema: { $ref: `#/components/schemas/${route.body}` },
          },
        },
      };
    } else if (route.text) {
      operation.requestBody = {
        required: true,
        content: { [route.text]: { schema: { type: "string" } } },
      };
    }
    paths[route.path] ??= {};
    paths[route.path][route.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Structured-generation evaluation server",
      version: "1",
      description:
        "Measures how well language-model engines produce JSON that conforms to a JSON Schema.",
    },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "An API token (`deno task token create`, or ADMIN_TOKEN). Scopes: read < write < admin.",
        },
      },
    },
  };
}
