/**
 * The document's entries for the operator's resources: schedules and API
 * tokens (every route here needs `admin`).
 *
 * @example
 * ```ts
 * import { ADMIN_ROUTES } from "./admin.ts";
 * ADMIN_ROUTES.some((r) => r.method === "delete"); // true
 * ```
 * @module
 */
import { closed, page, pageParams, ref, type RouteSpec, T } from "./spec.ts";

/** Schedules and tokens. */
export const ADMIN_ROUTES: RouteSpec[] = [
  {
    method: "post",
    path: "/api/schedules",
    summary: "Create a schedule",
    description:
      "A cron expression (UTC; 5 fields, or 6 with seconds) that enqueues one public run per target of a suite.",
    body: "schedule_create",
    ok: 201,
    response: ref("schedule"),
    // An unknown suite or target.
    errors: [404],
  },
  {
    method: "get",
    path: "/api/schedules",
    summary: "List schedules, oldest first",
    query: pageParams(50, 500),
    ok: 200,
    response: page(ref("schedule")),
  },
  {
    method: "get",
    path: "/api/schedules/{id}",
    summary: "One schedule",
    pathParams: { id: "The schedule's id." },
    ok: 200,
    response: ref("schedule"),
  },
  {
    method: "patch",
    path: "/api/schedules/{id}",
    summary: "Change a schedule (only the fields given)",
    pathParams: { id: "The schedule's id." },
    body: "schedule_update",
    ok: 200,
    response: ref("schedule"),
  },
  {
    method: "delete",
    path: "/api/schedules/{id}",
    summary: "Delete a schedule (its runs stay)",
    pathParams: { id: "The schedule's id." },
    ok: 200,
    response: closed({ deleted: { const: true } }),
  },
  {
    method: "post",
    path: "/api/tokens",
    summary: "Create an API token (shown once)",
    description:
      "Only the token's hash is kept: `token` is in this answer alone.",
    body: "token_create",
    ok: 201,
    response: ref("token_secret"),
  },
  {
    method: "get",
    path: "/api/tokens",
    summary: "List tokens: names, scopes, last use (never a token)",
    ok: 200,
    response: page(ref("token")),
  },
  {
    method: "post",
    path: "/api/tokens/{id}/revoke",
    summary: "Revoke a token",
    description:
      "It stops working at once on this server, within seconds on others.",
    pathParams: { id: "The token's id." },
    ok: 200,
    response: closed({ id: T.uuid, revoked: { const: true } }),
  },
  {
    method: "delete",
    path: "/api/tokens/{id}",
    summary: "Revoke a token (the same as POST …/revoke)",
    pathParams: { id: "The token's id." },
    ok: 200,
    response: closed({ id: T.uuid, revoked: { const: true } }),
  },
  {
    method: "post",
    path: "/api/tokens/{id}/rotate",
    summary: "Give a token a new secret under the same id",
    description:
      "The old secret stops working; the runs it started stay its own.",
    pathParams: { id: "The token's id." },
    ok: 200,
    response: ref("token_secret"),
  },
];
