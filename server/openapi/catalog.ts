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
import {
  closed,
  page,
  pageParams,
  type QueryParam,
  ref,
  type RouteSpec,
} from "./spec.ts";

const RETIRED: QueryParam = {
  name: "retired",
  description: "`true`: the retired ones too.",
  schema: { type: "string", enum: ["true", "1", "false", "0"] },
};

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
    response: ref("suite_created"),
    also: {
      "200": {
        description: "the same suite, already stored",
        schema: ref("suite_created"),
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
    response: ref("suite_created"),
    also: {
      "200": {
        description: "the same suite, already stored",
        schema: ref("suite_created"),
      },
    },
    errors: [409],
  },
  {
    method: "get",
    path: "/api/suites",
    summary: "List suites (retired ones with retired=true)",
    query: [
      { name: "name", description: "Only the versions of this suite." },
      RETIRED,
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
    summary: "List targets (retired ones with retired=true)",
    query: [RETIRED, ...pageParams(50, 500)],
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
  {
    method: "patch",
    path: "/api/targets/{id}",
    summary: "Rename or describe a target, or change its max_concurrency",
    description:
      "Only what its results do not depend on; any other field is a 400 `changes_meaning` (make a new target with copy). A target renamed here must be renamed in the schedules file too.",
    pathParams: { id: "The target's id or name." },
    body: "target_update",
    ok: 200,
    response: ref("target"),
    errors: [409],
  },
  {
    method: "post",
    path: "/api/targets/{id}/copy",
    summary: "A new target from this one, with the fields that change",
    description:
      "The body names what changes (kind, base_url, model, mode, params, …) and a new name; the rest is the original's.",
    pathParams: { id: "The target's id or name." },
    bodySchema: {
      type: "object",
      description:
        "The fields of `target_create` that change, a new name among them.",
    },
    ok: 201,
    response: ref("target"),
    errors: [409],
  },
  ...lifecycle(
    "targets",
    "target",
    "Off the lists, hints and the board; its runs kept.",
  ),
  ...lifecycle(
    "suites",
    "suite",
    "Off the lists and the board; its runs kept.",
  ),
];

/** `POST …/retire` and `…/unretire` of a target or a suite. */
function lifecycle(
  plural: string,
  record: "target" | "suite",
  effect: string,
): RouteSpec[] {
  return [["retire", `Retire a ${record}. ${effect}`], [
    "unretire",
    `Bring a retired ${record} back.`,
  ]].map(([action, summary]) => ({
    method: "post",
    path: `/api/${plural}/{id}/${action}`,
    summary,
    pathParams: {
      id: `The ${record}'s id${record === "target" ? " or name" : ""}.`,
    },
    ok: 200,
    response: ref(record),
  }));
}
