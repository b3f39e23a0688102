/**
 * Checks request bodies against the JSON Schemas in `schemas/api/`, the
 * same documents that describe the API. A failure is an {@link ApiError}
 * (400) whose `path` points into the body.
 *
 * @example
 * ```ts
 * import { checkBody } from "./request_body.ts";
 * const body = checkBody<SuiteInput>("suite_create", await c.req.json());
 * ```
 * @module
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import runCreate from "../schemas/api/run_create.json" with { type: "json" };
import scheduleCreate from "../schemas/api/schedule_create.json" with {
  type: "json",
};
import scheduleUpdate from "../schemas/api/schedule_update.json" with {
  type: "json",
};
import suiteCreate from "../schemas/api/suite_create.json" with {
  type: "json",
};
import targetCreate from "../schemas/api/target_create.json" with {
  type: "json",
};
import type { Context } from "hono";
import { ApiError } from "./errors.ts";

/** The request-body schemas by name (the file name without `.json`). */
export const API_SCHEMAS = {
  suite_create: suiteCreate,
  target_create: targetCreate,
  run_create: runCreate,
  schedule_create: scheduleCreate,
  schedule_update: scheduleUpdate,
} as const;

/** A request-body schema's name. */
export type ApiSchemaName = keyof typeof API_SCHEMAS;

const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
(addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default(ajv);
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

function describe(error: ErrorObject): string {
  const path = pointerOf(error) || "the body";
  if (error.keyword === "additionalProperties") {
    return `${path} is not an accepted field`;
  }
  if (error.keyword === "required") return `${path} is required`;
  return `${path} ${error.message ?? "is invalid"}`;
}

/**
 * Returns `body` typed as `T` when it conforms to the named schema; throws a
 * 400 {@link ApiError} naming the first problem (all of them in `details`).
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
  if (validate(body)) return body as T;
  const errors = (validate.errors ?? []).filter((e) =>
    !["if", "anyOf", "oneOf", "$ref"].includes(e.keyword)
  );
  const first = errors[0] ?? validate.errors![0];
  throw new ApiError(
    400,
    "invalid_body",
    describe(first),
    pointerOf(first),
    errors.slice(0, 20).map((e) => ({
      path: pointerOf(e),
      message: describe(e),
    })),
  );
}

/**
 * The request body parsed as JSON; a body that is not JSON is a 400.
 *
 * @example
 * ```ts
 * const body = await readJson(c);
 * ```
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      "invalid_json",
      `the body is not JSON: ${(error as Error).message}`,
    );
  }
}
