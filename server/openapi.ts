/**
 * `GET /api/openapi.json`: an OpenAPI 3.1 description of the whole API,
 * built from the route entries of `server/openapi/` (one file per route
 * group), the request-body schemas in `schemas/api/` (the same documents
 * that check the bodies) and the response schemas beside the entries.
 *
 * Each entry says its success answer; the rest is filled in here: path
 * parameters, `operationId`, the security (from the guard's one table of
 * scopes, {@link requiredScope}) and the error answers the entry implies
 * (400 for a body or query, 401 always (a bad token), 403 for a scope,
 * 404 for a path parameter, 413 for a body, 429 and 507 for a write, 500
 * always).
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
import { ADMIN_ROUTES } from "./openapi/admin.ts";
import { BOARD_ROUTES } from "./openapi/boards.ts";
import { CATALOG_ROUTES } from "./openapi/catalog.ts";
import { RECORD_SCHEMAS } from "./openapi/components.ts";
import { DISTORTION_ROUTES, DISTORTION_SCHEMAS } from "./openapi/distortion.ts";
import { REPORT_SCHEMAS } from "./openapi/reports.ts";
import { RUN_ROUTES } from "./openapi/runs.ts";
import { SERVICE_ROUTES } from "./openapi/service.ts";
import {
  ref,
  type RouteSpec,
  type Schema,
  type TextAnswer,
} from "./openapi/spec.ts";

/** The route groups, each a tag of the document. */
const GROUPS: ReadonlyArray<readonly [string, string, RouteSpec[]]> = [
  ["service", "Health, metrics, the validator, this document", SERVICE_ROUTES],
  ["catalog", "Suites and targets", CATALOG_ROUTES],
  ["runs", "Runs and their results", RUN_ROUTES],
  [
    "boards",
    "The leaderboard, keyword matrix, rankings, comparisons",
    [...BOARD_ROUTES, ...DISTORTION_ROUTES],
  ],
  ["admin", "Schedules and API tokens", ADMIN_ROUTES],
];

/**
 * Every route entry of the document, with its group.
 *
 * @example
 * ```ts
 * documentedRoutes().some((r) => r.path === "/api/runs/{id}"); // true
 * ```
 */
export function documentedRoutes(): (RouteSpec & { tag: string })[] {
  return GROUPS.flatMap(([tag, , routes]) =>
    routes.map((route) => ({ ...route, tag }))
  );
}

function componentSchema(name: ApiSchemaName): Schema {
  const { $id: _id, $schema: _schema, ...rest } = API_SCHEMAS[name] as Schema;
  const text = JSON.stringify(rest)
    .replaceAll('"#/$defs/', `"#/components/schemas/${name}/$defs/`)
    .replace(/"(\w+)#\//g, '"#/components/schemas/$1/');
  return JSON.parse(text);
}

const ERROR_MEANINGS: Record<string, string> = {
  "400": "the request is malformed: `error.path` says where",
  "401": "no token, or an unknown or revoked one",
  "403": "the token lacks the scope",
  "404": "nothing with that id (or not visible to the caller)",
  "409": "the request conflicts with what is stored",
  "413": "the body is over MAX_BODY_BYTES",
  "429": "over the rate limit: see `Retry-After`",
  "500": "an internal error (details in the server's log)",
  "507": "the server's disk is full: nothing was stored",
};

function isText(answer: Schema | TextAnswer): answer is TextAnswer {
  return typeof answer.contentType === "string";
}

function content(answer: Schema | TextAnswer) {
  return isText(answer)
    ? { [answer.contentType]: { schema: answer.schema ?? { type: "string" } } }
    : { "application/json": { schema: answer } };
}

function errorStatuses(route: RouteSpec, scope: string | null): string[] {
  const write = route.method !== "get";
  const hasBody = Boolean(route.body || route.bodySchema || route.textBody);
  const statuses = new Set<number>([
    ...(hasBody || route.query?.length ? [400] : []),
    // A token that is unknown or revoked is a 401 on any route.
    401,
    ...(scope ? [403] : []),
    ...(route.path.includes("{") ? [404] : []),
    ...(hasBody ? [413] : []),
    ...(write && route.path.startsWith("/api/") ? [429, 507] : []),
    ...(route.errors ?? []),
    500,
  ]);
  return [...statuses].sort((a, b) => a - b).map(String);
}

function operationId(route: RouteSpec): string {
  const words = route.path.replace(/^\/api\//, "/").split("/").filter(Boolean)
    .map((part) => part.replace(/^\{(\w+)\}$/, "by_$1").replaceAll(".", "_"));
  return [route.method, ...words].join("_").replaceAll("-", "_");
}

function operation(route: RouteSpec & { tag: string }) {
  const scope = requiredScope(
    route.method,
    route.path.replaceAll(/\{\w+\}/g, "x"),
  );
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      description: route.pathParams?.[m[1]] ?? "An id.",
      schema: { type: "string" },
    })),
    ...(route.query ?? []).map((q) => ({
      name: q.name,
      in: "query",
      required: q.required ?? false,
      description: q.description,
      schema: q.schema ?? { type: "string" },
    })),
  ];
  const responses: Record<string, unknown> = {
    [String(route.ok)]: {
      description: "success",
      content: content(route.response),
    },
  };
  for (const [status, other] of Object.entries(route.also ?? {})) {
    responses[status] = {
      description: other.description,
      content: content(other.schema),
    };
  }
  for (const status of errorStatuses(route, scope)) {
    responses[status] = {
      description: ERROR_MEANINGS[status] ?? "an error",
      content: { "application/json": { schema: ref("error") } },
    };
  }
  const body = route.body ? ref(route.body) : route.bodySchema;
  return {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    description: [
      route.description,
      scope
        ? `Needs a bearer token with the \`${scope}\` scope.`
        : "Open; a token (or a share link) also shows the caller's private runs.",
    ].filter(Boolean).join("\n\n"),
    // Open routes: no token, or one (it widens what a caller may see).
    security: scope ? [{ bearer: [] }] : [{}, { bearer: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? {
        requestBody: {
          required: !route.bodyOptional,
          content: { "application/json": { schema: body } },
        },
      }
      : route.textBody
      ? {
        requestBody: { required: true, content: content(route.textBody) },
      }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI document.
 *
 * @example
 * ```ts
 * Object.keys(openApiDocument().components.schemas).includes("run_report"); // true
 * ```
 */
export function openApiDocument() {
  const schemas: Record<string, unknown> = {};
  for (const name of Object.keys(API_SCHEMAS) as ApiSchemaName[]) {
    schemas[name] = componentSchema(name);
  }
  Object.assign(schemas, RECORD_SCHEMAS, REPORT_SCHEMAS, DISTORTION_SCHEMAS);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of documentedRoutes()) {
    paths[route.path] ??= {};
    paths[route.path][route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "Structured-generation evaluation server",
      version: "1",
      description:
        "Measures how well language-model engines produce JSON that conforms to a JSON Schema. Errors are `{ error: { code, message, path?, details? } }`.",
    },
    tags: GROUPS.map(([name, description]) => ({ name, description })),
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
