/**
 * Which methods a path answers, from the routes an app registered: what a
 * 405 lists in its `Allow` header when a known path is asked with a method
 * it does not take (a 404 would say the path does not exist).
 *
 * @example
 * ```ts
 * import { allowedMethodsOf } from "./allowed_methods.ts";
 * const allowed = allowedMethodsOf([
 *   { method: "GET", path: "/api/targets/:id" },
 *   { method: "PATCH", path: "/api/targets/:id" },
 * ]);
 * allowed("/api/targets/tiny"); // ["GET", "HEAD", "PATCH"]
 * ```
 * @module
 */

/** A registered route as Hono lists it (`app.routes`). */
export interface RouteEntry {
  method: string;
  path: string;
}

const ESCAPE = /[.+?^${}()|[\]\\]/g;

/** A Hono route path as a regular expression over whole paths. */
function pathPattern(path: string): RegExp {
  const source = path.split("/").map((segment) => {
    if (segment === "*") return ".*";
    const param = /^:[A-Za-z0-9_]+(?:\{(.+)\})?(\?)?$/.exec(segment);
    if (param) return `(?:${param[1] ?? "[^/]+"})${param[2] ? "?" : ""}`;
    return segment.replace(ESCAPE, "\\$&").replace(/\\\*|\*/g, ".*");
  }).join("/");
  return new RegExp(`^${source}/?$`);
}

/**
 * A function from a path to the methods some route takes there (sorted;
 * `HEAD` with `GET`), leaving out middleware (`ALL`). The patterns are
 * built on the first call, once every route is registered.
 *
 * @example
 * ```ts
 * const allowed = allowedMethodsOf([{ method: "POST", path: "/api/runs" }]);
 * allowed("/api/runs"); // ["POST"]
 * allowed("/nowhere"); // []
 * ```
 */
export function allowedMethodsOf(
  routes: readonly RouteEntry[],
): (path: string) => string[] {
  let compiled: { method: string; pattern: RegExp }[] | undefined;
  return (path) => {
    compiled ??= routes.filter((r) => r.method !== "ALL").map((r) => ({
      method: r.method,
      pattern: pathPattern(r.path),
    }));
    const methods = new Set<string>();
    for (const route of compiled) {
      if (!route.pattern.test(path)) continue;
      methods.add(route.method);
      if (route.method === "GET") methods.add("HEAD");
    }
    return [...methods].sort();
  };
}
