/**
 * The suites API:
 * - `POST /api/suites`: create from JSON (content-addressed: the same name
 *   and cases again answer 200 with the existing suite, new content under a
 *   known name is its next version, 201).
 * - `POST /api/suites/import?name=&subset=&description=`: create from JSONL
 *   in JSONSchemaBench's hub record format; a bad line is reported by its
 *   number and nothing is stored.
 * - Both answer `warnings: [{ path, kind, message }]`, one per case whose
 *   schema our validator cannot read (the suite is kept).
 * - `GET /api/suites[?name=&retired=true]` and `GET /api/suites/:id`
 *   (cases paginated).
 * - `POST /api/suites/:id/retire` and `…/unretire`: off the lists and the
 *   board, its runs kept.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppDeps } from "../app.ts";
 * declare const app: Hono;
 * declare const deps: AppDeps;
 * app.route("/api/suites", suiteRoutes(deps));
 * ```
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { parseHubJsonlStream } from "../../datasets/jsonschemabench.ts";
import {
  type CaseRow,
  getSuite,
  listCases,
  listSuites,
  retireSuite,
  saveSuite,
  type SuiteCursor,
  type SuiteRow,
  VersionTakenError,
} from "../db/queries/suites.ts";
import { ApiError } from "../errors.ts";
import {
  CURSOR_FIELDS,
  decodeCursorOf,
  encodeCursor,
  parseLimit,
} from "../http/pagination.ts";
import { checkBody, readJson } from "../http/request_body.ts";
import { prepareSuite, type SuiteInput } from "../suites/prepare.ts";
import type { AppDeps } from "../app.ts";
import { boardChanged } from "../board/cache.ts";
import { poolOf } from "../runs/validation_pool.ts";
import { schemaWarnings } from "../../evaluators/validation/schema_warnings.ts";

/**
 * A suite as the API returns it.
 *
 * @example
 * ```ts
 * import type { SuiteRow } from "../db/queries/suites.ts";
 * declare const row: SuiteRow;
 * suiteJson(row); // { id, name, version, hash, case_count, ... }
 * ```
 */
export function suiteJson(suite: SuiteRow) {
  return {
    id: suite.id,
    name: suite.name,
    version: suite.version,
    hash: suite.hash,
    case_count: suite.caseCount,
    description: suite.description,
    source: suite.source,
    retired_at: suite.retiredAt?.toISOString() ?? null,
    created_at: suite.createdAt.toISOString(),
  };
}

function caseJson(row: CaseRow) {
  return {
    key: row.key,
    subset: row.subset,
    tags: row.tags,
    draft: row.draft,
    declared_schema: row.declaredSchema,
    draft_note: row.draftNote,
    keywords: row.keywords,
    schema_hash: row.schemaHash,
    prompt: row.prompt,
    schema: row.schema,
  };
}

/**
 * The suites sub-app.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app.ts";
 * declare const body: string;
 * declare const deps: AppDeps;
 * const res = await suiteRoutes(deps).request("/", { method: "POST", body });
 * ```
 */
export function suiteRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  const store = async (
    c: Context,
    input: SuiteInput,
    source: Record<string, unknown>,
  ) => {
    const prepared = prepareSuite(input, source, deps.env);
    try {
      const { suite, created } = await saveSuite(deps.database, prepared);
      const warnings = await schemaWarnings(
        poolOf(deps).forMode("declared"),
        prepared.cases,
      );
      return c.json({ ...suiteJson(suite), warnings }, created ? 201 : 200);
    } catch (error) {
      if (error instanceof VersionTakenError) {
        throw new ApiError(409, "version_taken", error.message, "/version");
      }
      throw error;
    }
  };

  app.post("/", async (c) => {
    const { source, ...input } = checkBody<
      SuiteInput & { source?: Record<string, unknown> }
    >("suite_create", await readJson(c));
    return await store(c, input, source ?? { kind: "api" });
  });

  app.post("/import", async (c) => {
    const name = c.req.query("name");
    if (!name) {
      throw new ApiError(400, "invalid_query", "name is required", "name");
    }
    const subset = c.req.query("subset") || undefined;
    // Parsed line by line as the body arrives: never held whole.
    const { cases, errors } = await parseHubJsonlStream(c.req.raw.body, subset);
    if (errors.length) {
      throw new ApiError(
        400,
        "invalid_jsonl",
        `line ${errors[0].line}: ${errors[0].message}${
          errors.length > 1 ? ` (and ${errors.length - 1} more bad lines)` : ""
        }`,
        `/lines/${errors[0].line}`,
        errors.slice(0, 50).map((e) => ({
          path: `/lines/${e.line}`,
          message: `line ${e.line}: ${e.message}`,
        })),
      );
    }
    if (cases.length === 0) {
      throw new ApiError(
        400,
        "empty_import",
        "the body holds no cases: nothing was imported (send one JSON case a line)",
        "/cases",
      );
    }
    const input = checkBody<SuiteInput>("suite_create", {
      name,
      cases,
      ...(c.req.query("description")
        ? { description: c.req.query("description") }
        : {}),
    });
    return await store(c, input, {
      kind: "jsonl",
      format: "jsonschemabench-hub",
      ...(subset ? { subset } : {}),
    });
  });

  app.get("/", async (c) => {
    const limit = parseLimit(c.req.query("limit"), 50, 500);
    const cursor = c.req.query("cursor");
    const after = cursor
      ? decodeCursorOf<SuiteCursor>(cursor, {
        name: CURSOR_FIELDS.text,
        version: CURSOR_FIELDS.int,
      })
      : undefined;
    const rows = await listSuites(deps.database, {
      limit: limit + 1,
      after,
      name: c.req.query("name"),
      retired: ["1", "true"].includes(c.req.query("retired") ?? ""),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({
      items: page.map(suiteJson),
      next_cursor: rows.length > limit
        ? encodeCursor({ name: last.name, version: last.version })
        : null,
    });
  });

  app.get("/:id", async (c) => {
    const suite = await getSuite(deps.database, c.req.param("id"));
    if (!suite) throw new ApiError(404, "not_found", "no suite with that id");
    const limit = parseLimit(c.req.query("limit"), 100, 1000);
    const cursor = c.req.query("cursor");
    const after = cursor
      ? decodeCursorOf<{ ordinal: number }>(cursor, {
        ordinal: CURSOR_FIELDS.int,
      })
      : undefined;
    const rows = await listCases(deps.database, suite.id, {
      limit: limit + 1,
      afterOrdinal: after?.ordinal,
    });
    const page = rows.slice(0, limit);
    return c.json({
      ...suiteJson(suite),
      cases: {
        items: page.map(caseJson),
        next_cursor: rows.length > limit
          ? encodeCursor({ ordinal: page[page.length - 1].ordinal })
          : null,
      },
    });
  });

  for (const [action, retired] of [["retire", true], ["unretire", false]]) {
    app.post(`/:id/${action}`, async (c) => {
      const suite = await retireSuite(
        deps.database,
        c.req.param("id"),
        !!retired,
      );
      if (!suite) throw new ApiError(404, "not_found", "no suite with that id");
      boardChanged();
      return c.json(suiteJson(suite));
    });
  }

  return app;
}
