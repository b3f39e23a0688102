/**
 * `POST /api/validate`: the benchmark's validator from outside. Body
 * `{ schema, instances: [… up to 1,000], validation?: "declared" | "jsb" }`
 * (`schemas/api/validate_request.json`); answer 200 `{ schema: { ok, draft,
 * inferred } | { ok: false, kind, message }, results: [{ valid, errors }] }`.
 * Any valid token may call it (the guard asks for `read`) and it is rate
 * limited per token and address like a write; checks run in the app's
 * validation pool, within `COMPILE_TIMEOUT_MS` and `VALIDATION_TIMEOUT_MS`
 * a check (and ten times that for the whole request: the instances left
 * are answered unchecked, `problem.kind` `validation_timeout`);
 * the body is held to `MAX_BODY_BYTES` (413). Numbers are judged as the
 * body wrote them.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/api/validate", validateRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import type { AppDeps } from "../app.ts";
import { poolOf } from "../runs/validation_pool.ts";
import { ApiError } from "../errors.ts";
import { checkBody } from "../http/request_body.ts";
import {
  literalsUnder,
  MAX_BATCH_INSTANCES,
  validateBatch,
} from "../../evaluators/validation/batch.ts";
import { numberLiterals } from "../../evaluators/validation/number_literals.ts";
import type { ValidationMode } from "../../evaluators/validation/validate.ts";

interface ValidateRequest {
  schema: unknown;
  instances: unknown[];
  validation?: ValidationMode;
}

/**
 * The validate sub-app. Its pool is `deps.validationPool`, or one of its
 * own started on first use (closed with the process).
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const deps: AppDeps;
 * const res = await validateRoutes(deps).request("/", { method: "POST", body: "{}" });
 * ```
 */
export function validateRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const pool = () => poolOf(deps);
  app.post("/", async (c) => {
    const text = await c.req.text();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ApiError(
        400,
        "invalid_json",
        `the body is not JSON: ${(error as Error).message}`,
      );
    }
    if (
      typeof raw === "object" && raw !== null &&
      Array.isArray((raw as { instances?: unknown }).instances) &&
      (raw as { instances: unknown[] }).instances.length > MAX_BATCH_INSTANCES
    ) {
      throw new ApiError(
        400,
        "too_many_instances",
        `at most ${MAX_BATCH_INSTANCES} instances a request`,
        "/instances",
      );
    }
    const body = checkBody<ValidateRequest>("validate_request", raw);
    const literals = numberLiterals(text);
    const validator = pool().forMode(body.validation ?? "declared");
    const answer = await validateBatch(
      validator,
      body.schema,
      body.instances.map((value, i) => ({
        value,
        literals: literalsUnder(literals, `/instances/${i}`),
      })),
      // A request is bounded as a whole: ten checks' worth of time.
      10 * deps.env.validationTimeoutMs,
    );
    return c.json(answer);
  });
  return app;
}
