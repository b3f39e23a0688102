/**
 * What the OpenAPI tests share: the document compiled by the project's
 * Ajv (draft 2020-12, the dialect of OpenAPI 3.1, formats checked), a
 * checker of one answer against the response schema of its operation and
 * status, and the translation of a Hono route path to the document's.
 *
 * @example
 * ```ts
 * import { answerChecker, openApiPath } from "./openapi.ts";
 * openApiPath("/api/runs/:id/results"); // "/api/runs/{id}/results"
 * const check = answerChecker();
 * check("get", "/api/health", 200, { status: "ok" }); // a list of problems
 * ```
 * @module
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { addFormats } from "../../evaluators/validation/ajv_instances.ts";
import { openApiDocument } from "../openapi.ts";

/**
 * A Hono route path as the document writes it: `:id` and `:key{.+}`
 * become `{id}` and `{key}`.
 *
 * @example
 * ```ts
 * openApiPath("/suites/:id/cases/:key{.+}"); // "/suites/{id}/cases/{key}"
 * ```
 */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");
}

function pointer(...parts: string[]): string {
  return parts.map((p) =>
    encodeURIComponent(p.replaceAll("~", "~0").replaceAll("/", "~1"))
  ).join("/");
}

/**
 * Checks answers against the document: `check(method, path, status,
 * body)` is the list of what does not conform (empty when it does);
 * a status the operation does not describe is a problem too.
 */
export type AnswerChecker = (
  method: string,
  path: string,
  status: number,
  body: unknown,
  contentType?: string,
) => string[];

/**
 * An {@link AnswerChecker} of the current document; also checks a
 * component by name with `path` `#/components/schemas/NAME`.
 *
 * @example
 * ```ts
 * const check = answerChecker();
 * check("get", "#/components/schemas/run_report", 200, {}); // ["must have required property 'id'", …]
 * ```
 */
export function answerChecker(): AnswerChecker {
  const doc = openApiDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi");
  return (method, path, status, body, contentType = "application/json") => {
    let ref: string;
    if (path.startsWith("#/components/schemas/")) {
      ref = `openapi${path}`;
    } else {
      const operation = (doc.paths[path] as Record<string, {
        responses: Record<string, { content?: Record<string, unknown> }>;
      }>)?.[method];
      if (!operation) return [`${method} ${path} is not in the document`];
      const answer = operation.responses[String(status)];
      if (!answer?.content?.[contentType]) {
        return [`${method} ${path} has no ${status} ${contentType} answer`];
      }
      ref = `openapi#/${
        pointer(
          "paths",
          path,
          method,
          "responses",
          String(status),
          "content",
          contentType,
          "schema",
        )
      }`;
    }
    const validate = ajv.getSchema(ref);
    if (!validate) return [`no schema at ${ref}`];
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 10).map((e) =>
      `${method} ${path} ${status}: ${
        e.instancePath || "(root)"
      } ${e.message} ${JSON.stringify(e.params)}`
    );
  };
}
