/**
 * The document's entries for what runs are made of: suites (create,
 * import, list, read) and targets (create, list, read).
 *
 * @example
 * ```ts
 * import { CATALOG_ROUTES } from "./catalog.ts";
 * CATALOG_ROUTES.filter((r) => r.method === "post").length; // 3
 * ```
 * @module
 */
import { RECORD_SCHEMAS } from "./components.ts";
import { closed, page, pageParams, ref, type RouteSpec } from "./spec.ts";

/** Suites and targets. */
export const CATALOG_ROUTES: RouteSpec[] = [
  {
    method: "post",
    path: "/api/suites",
    summary: "Create a suite (content-addressed)",
    description:
      "The same name and cases again answer 200 with the existing suite; new content under a known name is its next version (201).",
    body: "suite_create",
    ok: 201,
    response: ref("suite"),
    also: {
      "200": {
        description: "the same suite, already stored",
        schema: ref("suite"),
      },
    },
    errors: [409],
  },
  {
    method: "post",
    path: "/api/suites/import",
    summary: "Create a suite from JSONL in JSONSchemaBench's hub record format",
    description:
      "A bad line is reported by its number (`/lines/N`) and nothing is stored.",
    textBody: { contentType: "application/jsonl", schema: { type: "string" } },
    query: [
      { name: "name", description: "The suite's name.", required: true },
      { name: "subset", description: "The subset every case is put in." },
      { name: "description", description: "A description of the suite." },
    ],
    ok: 201,
    response: ref("suite"),
    also: {
      "200": {
        description: "the same suite, already stored",
        schema: ref("suite"),
      },
    },
    errors: [409],
  },
  {
    method: "get",
    path: "/api/suites",
    summary: "List suites",
    query: [
      { name: "name", description: "Only the versions of this suite." },
      ...pageParams(50, 500),
    ],
    ok: 200,
    response: page(ref("suite")),
  },
  {
    method: "get",
    path: "/api/suites/{id}",
    summary: "One suite and a page of its cases",
    pathParams: { id: "The suite's id." },
    query: pageParams(100, 1000),
    ok: 200,
    response: closed({
      ...RECORD_SCHEMAS.suite.properties,
      cases: page(ref("case")),
    }),
  },
  {
    method: "post",
    path: "/api/targets",
    summary: "Create a target",
    description:
      "A target fixes engine, model and mode. Its API key is never stored: only the name of the environment variable holding it (on the allow-list `SECRET_ENV_ALLOWLIST`).",
    body: "target_create",
    ok: 201,
    response: ref("target"),
    errors: [409],
  },
  {
    method: "get",
    path: "/api/targets",
    summary: "List targets",
    query: pageParams(50, 500),
    ok: 200,
    response: page(ref("target")),
  },
  {
    method: "get",
    path: "/api/targets/{id}",
    summary: "One target, by id or name",
    pathParams: { id: "The target's id or name." },
    ok: 200,
    response: ref("target"),
  },
];
