import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createApp } from "./app.ts";
import { openDatabase } from "./db/client.ts";
import { readEnv } from "./env.ts";
import { API_SCHEMAS } from "./http/request_body.ts";
import { openApiDocument } from "./openapi.ts";
import { answerChecker, openApiPath } from "./testing/openapi.ts";

type Doc = ReturnType<typeof openApiDocument>;
type Operation = {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

/** Whether a mounted route is part of the API (the rest are HTML pages). */
function isApi(path: string): boolean {
  return path.startsWith("/api/") || path === "/metrics";
}

async function mountedRoutes() {
  const database = await openDatabase({ memory: true });
  try {
    const app = createApp({ database, env: readEnv({}) });
    const served = await app.request("/api/openapi.json");
    return {
      served: await served.json() as Doc,
      routes: app.routes
        // Middleware is mounted for ALL methods; every route is one method.
        .filter((r) => r.method !== "ALL")
        .map((r) => ({ method: r.method.toLowerCase(), path: r.path })),
    };
  } finally {
    await database.close();
  }
}

Deno.test("every route the app mounts is in the document, and nothing else", async () => {
  const { served, routes } = await mountedRoutes();
  assert.deepEqual(served, JSON.parse(JSON.stringify(openApiDocument())));
  const missing = routes
    .filter((r) => isApi(r.path))
    .filter((r) => !(served.paths[openApiPath(r.path)]?.[r.method]))
    .map((r) => `${r.method.toUpperCase()} ${r.path}`);
  assert.deepEqual(missing, [], "routes the document lacks");
  // What is not in the document is a page: HTML, read with GET.
  const pages = routes.filter((r) => !isApi(r.path));
  assert.ok(pages.length > 0);
  assert.deepEqual(pages.filter((r) => r.method !== "get"), []);
  const mounted = new Set(
    routes.map((r) => `${r.method} ${openApiPath(r.path)}`),
  );
  const stale = Object.entries(served.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method} ${path}`)
  ).filter((key) => !mounted.has(key));
  assert.deepEqual(stale, [], "documented operations no route serves");
});

Deno.test("the document is valid OpenAPI 3.1 and its schemas compile", async () => {
  const doc = openApiDocument();
  const validator = new Validator();
  const verdict = await validator.validate(doc);
  assert.deepEqual(verdict, { valid: true });
  assert.equal(validator.version, "3.1");
  // Every schema of every answer compiles: each $ref resolves.
  const check = answerChecker();
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as [string, Operation][]) {
      const id = (op as { operationId?: string }).operationId;
      assert.ok(id && !ids.has(id), `${method} ${path}: a unique operationId`);
      ids.add(id);
      for (const [status, answer] of Object.entries(op.responses)) {
        for (const type of Object.keys(answer.content ?? {})) {
          const problems = check(method, path, Number(status), null, type);
          assert.ok(
            !problems.some((p) => p.startsWith("no schema")),
            `${method} ${path} ${status} ${type}`,
          );
        }
      }
    }
  }
});

/**
 * The object schemas under `schema` (through $refs into the document) that
 * list properties yet allow others, or require what they do not list.
 */
function openObjects(
  doc: Doc,
  schema: unknown,
  where: string,
  seen: Set<unknown>,
): string[] {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [];
  seen.add(schema);
  const node = schema as Record<string, unknown>;
  const found: string[] = [];
  if (typeof node.$ref === "string") {
    let target: unknown = doc;
    for (const part of node.$ref.slice(2).split("/")) {
      target = (target as Record<string, unknown>)?.[part];
    }
    assert.ok(target, `${where}: ${node.$ref} resolves`);
    return openObjects(doc, target, node.$ref, seen);
  }
  if (node.properties) {
    if (node.additionalProperties !== false) found.push(`${where}: not closed`);
    const listed = Object.keys(node.properties);
    const required = node.required as string[] | undefined;
    if (!Array.isArray(required)) found.push(`${where}: no required list`);
    for (const key of required ?? []) {
      if (!listed.includes(key)) {
        found.push(`${where}: requires unlisted ${key}`);
      }
    }
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === "properties") {
      for (const [name, sub] of Object.entries(child as object)) {
        found.push(...openObjects(doc, sub, `${where}/${name}`, seen));
      }
    } else if (Array.isArray(child)) {
      child.forEach((sub, i) =>
        found.push(...openObjects(doc, sub, `${where}/${key}/${i}`, seen))
      );
    } else if (typeof child === "object") {
      found.push(...openObjects(doc, child, `${where}/${key}`, seen));
    }
  }
  return found;
}

Deno.test("every JSON answer's schema is closed where it lists its fields, with its required fields", () => {
  const doc = openApiDocument();
  const problems: string[] = [];
  let objects = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as [string, Operation][]) {
      for (const [status, answer] of Object.entries(op.responses)) {
        const schema = answer.content?.["application/json"]?.schema;
        if (!schema) continue;
        objects++;
        problems.push(
          ...openObjects(doc, schema, `${method} ${path} ${status}`, new Set()),
        );
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(objects > 50);
  // The records are closed: a field the route does not return is refused.
  const check = answerChecker();
  assert.deepEqual(
    check("get", "/api/health", 200, {
      status: "ok",
      database: { kind: "pglite" },
    }),
    [],
  );
  assert.notDeepEqual(
    check("get", "/api/health", 200, {
      status: "ok",
      database: { kind: "pglite" },
      extra: 1,
    }),
    [],
  );
  assert.notDeepEqual(check("get", "/api/health", 200, { status: "ok" }), []);
});

Deno.test("every operation says its security and its error body", () => {
  const doc = openApiDocument();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const operation = op as Operation & {
        security: unknown[];
        description: string;
      };
      assert.ok(Array.isArray(operation.security), `${method} ${path}`);
      assert.ok(operation.responses["500"], `${method} ${path}: 500`);
    }
  }
  const tokens = doc.paths["/api/tokens/{id}"].delete as {
    security: unknown[];
    responses: Record<string, unknown>;
  };
  assert.deepEqual(tokens.security, [{ bearer: [] }]);
  assert.ok(
    tokens.responses["401"] && tokens.responses["403"] &&
      tokens.responses["404"],
  );
  const board = doc.paths["/api/leaderboard.json"].get as {
    security: unknown[];
    responses: Record<string, unknown>;
  };
  assert.deepEqual(board.security, [{}, { bearer: [] }]);
  assert.equal(board.responses["403"], undefined);
  const runs = doc.paths["/api/runs"].get as { parameters: { name: string }[] };
  assert.deepEqual(runs.parameters.map((p) => p.name), [
    "suite_id",
    "suite",
    "suite_version",
    "target_id",
    "target",
    "matrix_id",
    "status",
    "limit",
    "cursor",
  ]);
});

Deno.test("request bodies are the schemas the routes check them with", () => {
  const doc = openApiDocument();
  for (const name of Object.keys(API_SCHEMAS)) {
    assert.ok(doc.components.schemas[name], name);
  }
  assert.equal(
    (doc.paths["/api/suites"].post as {
      requestBody: { content: Record<string, { schema: { $ref: string } }> };
    })
      .requestBody.content["application/json"].schema.$ref,
    "#/components/schemas/suite_create",
  );
  // The component schemas still work as JSON Schemas once their refs are rewritten.
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(doc, "doc");
  const validate = ajv.getSchema("doc#/components/schemas/suite_create")!;
  assert.equal(
    validate({ name: "x", cases: [{ key: "a", schema: {} }] }),
    true,
  );
  assert.equal(
    validate({ name: "x", cases: [{ key: "a", schema: 3 }] }),
    false,
  );
});

Deno.test("the target kinds the API accepts are the registry's", async () => {
  const { TARGET_KINDS } = await import("../evaluators/targets/registry.ts");
  const kinds =
    (API_SCHEMAS.target_create.properties.kind as { enum: string[] }).enum;
  assert.deepEqual([...kinds].sort(), [...TARGET_KINDS].sort());
});
