/**
 * The vocabulary of the OpenAPI description: how a route is written down
 * ({@link RouteSpec}, one entry per method and path) and the small helpers
 * that keep the response schemas short and closed ({@link closed},
 * {@link nullable}, {@link ref}, {@link page}).
 *
 * Adding a route to the document is one entry in the route group's file
 * under `server/openapi/` (`runs.ts`, `suites.ts`, …); security, path
 * parameters and the error answers are filled in from the entry
 * (`server/openapi.ts`).
 *
 * @example
 * ```ts
 * import { closed, type RouteSpec } from "./spec.ts";
 * const route: RouteSpec = {
 *   method: "delete",
 *   path: "/api/things/{id}",
 *   summary: "Delete a thing",
 *   ok: 200,
 *   response: closed({ deleted: { const: true } }),
 * };
 * ```
 * @module
 */
import type { ApiSchemaName } from "../http/request_body.ts";

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type Schema = Record<string, unknown>;

/** An object schema that allows no property it does not list. */
export interface ClosedSchema<P extends Record<string, Schema>> {
  type: "object";
  additionalProperties: false;
  required: string[];
  properties: P;
  [key: string]: unknown;
}

/** A query parameter. */
export interface QueryParam {
  name: string;
  description: string;
  /** Default: a string. */
  schema?: Schema;
  required?: boolean;
}

/** An answer that is not JSON: its content type and a schema of its text. */
export interface TextAnswer {
  contentType: string;
  schema?: Schema;
}

/** One operation: a method on a path, as the document describes it. */
export interface RouteSpec {
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI style: `{id}` for a path parameter. */
  path: string;
  summary: string;
  description?: string;
  /** Descriptions of the path parameters, by name (default: "id or name"). */
  pathParams?: Record<string, string>;
  query?: QueryParam[];
  /** A JSON body checked by one of `schemas/api/`. */
  body?: ApiSchemaName;
  /** Whether the JSON body may be left out (default: required). */
  bodyOptional?: boolean;
  /** A JSON body no schema of `schemas/api/` checks. */
  bodySchema?: Schema;
  /** A body that is not JSON. */
  textBody?: TextAnswer;
  /** The success status. */
  ok: number;
  /** The success answer: a JSON Schema, or a non-JSON content type. */
  response: Schema | TextAnswer;
  /** Other answers of the same route that are not errors, by status. */
  also?: Record<string, { description: string; schema: Schema | TextAnswer }>;
  /** Error statuses beyond those the entry implies (400, 401, 403, 404, 413, 429). */
  errors?: number[];
}

/**
 * A closed object: every property listed, all of them required unless
 * named in `optional`.
 *
 * @example
 * ```ts
 * closed({ id: { type: "string" }, note: { type: "string" } }, ["note"]);
 * // { type: "object", additionalProperties: false, required: ["id"], properties: {…} }
 * ```
 */
export function closed<P extends Record<string, Schema>>(
  properties: P,
  optional: readonly string[] = [],
): ClosedSchema<P> {
  return {
    type: "object",
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

/**
 * The schema, or null.
 *
 * @example
 * ```ts
 * nullable({ type: "string" }); // { anyOf: [{ type: "string" }, { type: "null" }] }
 * ```
 */
export function nullable(schema: Schema): Schema {
  const plain = Object.keys(schema).every((k) =>
    ["type", "format", "description"].includes(k)
  );
  if (typeof schema.type === "string" && plain) {
    return { ...schema, type: [schema.type, "null"] };
  }
  return { anyOf: [schema, { type: "null" }] };
}

/**
 * A reference to a component schema.
 *
 * @example
 * ```ts
 * ref("run"); // { $ref: "#/components/schemas/run" }
 * ```
 */
export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * A page of a list: `{ items, next_cursor }` (null on the last page).
 *
 * @example
 * ```ts
 * page(ref("suite")).required; // ["items", "next_cursor"]
 * ```
 */
export function page(item: Schema, extra: Record<string, Schema> = {}): Schema {
  return closed({
    ...extra,
    items: { type: "array", items: item },
    next_cursor: {
      type: ["string", "null"],
      description: "Pass as `cursor` for the next page; null on the last.",
    },
  });
}

/** Strings and numbers the response schemas use often. */
export const T = {
  string: { type: "string" },
  text: nullable({ type: "string" }),
  int: { type: "integer" },
  number: { type: "number" },
  maybeNumber: nullable({ type: "number" }),
  maybeInt: nullable({ type: "integer" }),
  bool: { type: "boolean" },
  uuid: { type: "string", format: "uuid" },
  time: { type: "string", format: "date-time" },
  maybeTime: nullable({ type: "string", format: "date-time" }),
  /** Stored JSON whose fields vary (engine identity, user options). */
  json: { type: "object", additionalProperties: true },
} as const satisfies Record<string, Schema>;

/**
 * The `limit` and `cursor` of a paginated list.
 *
 * @example
 * ```ts
 * pageParams(50, 500).map((p) => p.name); // ["limit", "cursor"]
 * ```
 */
export function pageParams(defaultLimit: number, max: number): QueryParam[] {
  return [
    {
      name: "limit",
      description: `Items a page (default ${defaultLimit}, at most ${max}).`,
      schema: { type: "integer", minimum: 1, maximum: max },
    },
    {
      name: "cursor",
      description: "The `next_cursor` of the page before.",
    },
  ];
}
