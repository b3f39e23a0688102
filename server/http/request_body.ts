/**
 * Checks request bodies against the JSON Schemas in `schemas/api/`, the
 * same documents that describe the API. A failure is an {@link ApiError}
 * (400) whose `path` points into the body.
 *
 * @example
 * ```ts
 * import { checkBody } from "./request_body.ts";
 * import type { Context } from "hono";
 * import type { SuiteInput } from "../suites/prepare.ts";
 * declare const c: Context;
 * const body = checkBody<SuiteInput>("suite_create", await c.req.json());
 * ```
 * @module
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { addFormats } from "../../evaluators/validation/ajv_instances.ts";
import runCreate from "../../schemas/api/run_create.json" with { type: "json" };
import scheduleCreate from "../../schemas/api/schedule_create.json" with {
  type: "json",
};
import scheduleUpdate from "../../schemas/api/schedule_update.json" with {
  type: "json",
};
import suiteCreate from "../../schemas/api/suite_create.json" with {
  type: "json",
};
import tokenCreate from "../../schemas/api/token_create.json" with {
  type: "json",
};
import targetCreate from "../../schemas/api/target_create.json" with {
  type: "json",
};
import targetUpdate from "../../schemas/api/target_update.json" with {
  type: "json",
};
import validateRequest from "../../schemas/api/validate_request.json" with {
  type: "json",
};
import type { Context } from "hono";
import { ApiError } from "../errors.ts";

/** The request-body schemas by name (the file name without `.json`). */
export const API_SCHEMAS = {
  suite_create: suiteCreate,
  target_create: targetCreate,
  target_update: targetUpdate,
  run_create: runCreate,
  schedule_create: scheduleCreate,
  schedule_update: scheduleUpdate,
  token_create: tokenCreate,
  validate_request: validateRequest,
} as const;

/** A request-body schema's name. */
export type ApiSchemaName = keyof typeof API_SCHEMAS;

const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormats(ajv);
// Registered together, so one schema may refer to another by its $id.
for (const schema of Object.values(API_SCHEMAS)) ajv.addSchema(schema);
const compiled = new Map<ApiSchemaName, ValidateFunction>();

function pointerOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const extra = params.missingProperty ?? params.additionalProperty;
  return typeof extra === "string"
    ? `${error.instancePath}/${extra}`
    : error.instancePath;
}

/**
 * One schema error in words, its place a JSON pointer ("the body" at the
 * root): what a 400 answer says, and what `deno task run --config` says of
 * its file.
 *
 * @example
 * ```ts
 * import type { ErrorObject } from "ajv";
 * declare const error: ErrorObject;
 * describeSchemaError(error); // "/cases is required"
 * ```
 */
export function describeSchemaError(error: ErrorObject): string {
  const path = pointerOf(error) || "the body";
  if (error.keyword === "additionalProperties") {
    return `${path} is not an accepted field`;
  }
  if (error.keyword === "required") return `${path} is required`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    const allowed = params.allowedValues.map((v) => JSON.stringify(v));
    return `${path} must be one of ${allowed.join(", ")}`;
  }
  if (error.keyword === "const") {
    return `${path} must be ${JSON.stringify(params.allowedValue)}`;
  }
  if (error.keyword === "minItems" && params.limit === 1) {
    return `${path} is empty: give at least one item`;
  }
  return `${path} ${error.message ?? "is invalid"}`;
}

/**
 * The deepest nesting a request body may have. Deeper bodies are refused
 * before anything walks them: `JSON.stringify` and the other recursive
 * walks overflow the stack a few thousand levels down. It leaves room for
 * a case schema at `MAX_SCHEMA_DEPTH` up to 996.
 */
export const MAX_BODY_DEPTH = 1000;

/** Where a suite body holds a case's schema (NUL allowed there). */
const SCHEMA_PATH = /^\/cases\/\d+\/schema(\/|$)/;

/**
 * The first thing in `value` that the server cannot take: a string (value
 * or key) holding a NUL character (PostgreSQL text refuses it; allowed
 * inside a case's `schema`, which is stored as json) or a lone
 * UTF-16 surrogate (jsonb refuses its escape), or nesting deeper than
 * {@link MAX_BODY_DEPTH}. Null when there is none. Walks without
 * recursion, so any depth is safe.
 *
 * @example
 * ```ts
 * unstorableBody({ a: ["ok", "x\u0000"] }); // { path: "/a/1", problem: "holds a NUL character (\\u0000), which cannot be stored" }
 * ```
 */
export function unstorableBody(
  value: unknown,
): { path: string; problem: string } | null {
  const stack: [unknown, string, number][] = [[value, "", 0]];
  const check = (text: string, path: string) => {
    // A case's schema is stored as json (not jsonb), which keeps a \u0000
    // escape: real schemas carry one in patterns such as "[^\u0000-\u001f]".
    if (text.includes("\u0000") && !SCHEMA_PATH.test(path)) {
      return {
        path,
        problem: "holds a NUL character (\\u0000), which cannot be stored",
      };
    }
    if (!text.isWellFormed()) {
      return {
        path,
        problem: "holds a lone UTF-16 surrogate, which is not Unicode",
      };
    }
    return null;
  };
  while (stack.length) {
    const [node, path, depth] = stack.pop()!;
    if (typeof node === "string") {
      const found = check(node, path);
      if (found) return found;
    } else if (node && typeof node === "object") {
      if (depth >= MAX_BODY_DEPTH) {
        // The field it is under: a pointer that deep would be unreadable.
        const second = path.indexOf("/", 1);
        return {
          path: second === -1 ? path : path.slice(0, second),
          problem: `is nested more than ${MAX_BODY_DEPTH} levels deep`,
        };
      }
      for (const [key, child] of Object.entries(node)) {
        const at = `${path}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
        const found = check(key, at);
        if (found) {
          return { ...found, problem: `has a key that ${found.problem}` };
        }
        stack.push([child, at, depth + 1]);
      }
    }
  }
  return null;
}

function refuseUnstorable(body: unknown): void {
  const unstorable = unstorableBody(body);
  if (!unstorable) return;
  const where = unstorable.path || "the body";
  throw new ApiError(
    400,
    "invalid_body",
    `${where} ${unstorable.problem}`,
    unstorable.path,
  );
}

/**
 * Returns `body` typed as `T` when it conforms to the named schema; throws a
 * 400 {@link ApiError} naming the first problem (all of them in `details`).
 * A string the database cannot store, or nesting deeper than
 * {@link MAX_BODY_DEPTH} (see {@link unstorableBody}), is a 400 too,
 * whatever the schema says.
 *
 * @example
 * ```ts
 * checkBody("suite_create", { name: "x" }); // throws: /cases is required
 * ```
 */
export function checkBody<T>(name: ApiSchemaName, body: unknown): T {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.getSchema(name)!;
    compiled.set(name, validate);
  }
  refuseUnstorable(body);
  if (validate(body)) return body as T;
  const errors = (validate.errors ?? []).filter((e) =>
    !["if", "anyOf", "oneOf", "$ref"].includes(e.keyword)
  );
  const first = errors[0] ?? validate.errors![0];
  throw new ApiError(
    400,
    "invalid_body",
    describeSchemaError(first),
    pointerOf(first),
    errors.slice(0, 20).map((e) => ({
      path: pointerOf(e),
      message: describeSchemaError(e),
    })),
  );
}

/**
 * The request body parsed as JSON; a body that is not JSON, or that
 * {@link unstorableBody} refuses, is a 400.
 *
 * @example
 * ```ts
 * import type { Context } from "hono";
 * declare const c: Context;
 * const body = await readJson(c);
 * ```
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      "invalid_json",
      `the body is not JSON: ${(error as Error).message}`,
    );
  }
  refuseUnstorable(body);
  return body;
}
