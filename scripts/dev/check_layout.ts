/**
 * `deno task check:layout`: keeps the data flow one way. It reads every
 * `.ts`/`.tsx` file under `evaluators/`, `datasets/`, `server/` and
 * `scripts/`, parses their static `import … from`, `export … from` and
 * `import("…")` specifiers, resolves the relative ones, and prints each
 * import that breaks a rule of the layout, and each source file over 400
 * lines (tests and migrations aside). It exits 1 when there is any.
 *
 * The rules:
 * - `evaluators/` imports nothing of `server/`, `datasets/` or `scripts/`;
 * - `datasets/` imports nothing of `server/` or `scripts/`;
 * - `server/` imports nothing of `scripts/`;
 * - `server/pages/` (components) import no `server/db/queries/` module;
 * - `server/db/queries/` know nothing of caches (`server/board/`);
 * - a module of `server/routes/` imports no other route module (a route's
 *   own folder, `server/routes/NAME/`, belongs to `server/routes/NAME.ts`;
 *   a test is not a route module).
 *
 * A test file may also import the `testing/` helpers of its own layer or a
 * layer below it (evaluators < datasets < server < scripts).
 *
 * @example
 * ```sh
 * deno task check:layout
 * ```
 * @module
 */
import { exitOnHelp } from "../../server/cli_help.ts";

/** The folders the check reads, in layer order (lowest first). */
export const LAYERS = ["evaluators", "datasets", "server", "scripts"] as const;

/** Lines a source file may have. */
export const MAX_LINES = 400;

/** One import that breaks a rule. */
export interface Violation {
  /** The importing file, relative to the repository root. */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** Which rule it breaks. */
  rule: string;
}

/**
 * The module specifiers a source imports or re-exports: static
 * `import … from "x"`, `import "x"`, `export … from "x"` and dynamic
 * `import("x")` with a literal. Lines of comments are skipped, so the
 * imports of a JSDoc example do not count.
 *
 * @example
 * ```ts
 * import { importSpecifiers } from "./check_layout.ts";
 * importSpecifiers('import { a } from "./a.ts";\nexport * from "./b.ts";');
 * // ["./a.ts", "./b.ts"]
 * ```
 */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const code = source
    .split("\n")
    .map((line) => (/^\s*(\*|\/\/|\/\*)/.test(line) ? "" : line))
    .join("\n");
  const statement =
    /^[ \t]*(?:import|export)\b(?:[^;"'`]*?\bfrom\s*)?\s*["']([^"'\n]+)["']/gm;
  for (const match of code.matchAll(statement)) found.push(match[1]);
  const dynamic = /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g;
  for (const match of code.matchAll(dynamic)) found.push(match[1]);
  return found;
}

/**
 * The repository-relative path a relative specifier names, seen from
 * `file` (itself repository-relative); `undefined` for a bare or `npm:`
 * specifier, or one that leaves the repository.
 *
 * @example
 * ```ts
 * import { resolveSpecifier } from "./check_layout.ts";
 * resolveSpecifier("server/routes/runs.ts", "../db/client.ts");
 * // "server/db/client.ts"
 * ```
 */
export function resolveSpecifier(
  file: string,
  specifier: string,
): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) {
    return undefined;
  }
  const parts = file.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "." || part === "") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

function layerOf(path: string): number {
  return LAYERS.indexOf(path.split("/")[0] as typeof LAYERS[number]);
}

function isTest(path: string): boolean {
  return /_test\.tsx?$/.test(path);
}

/** `server/routes/NAME.ts` and `server/routes/NAME/…` → `NAME`. */
function routeOf(path: string): string | undefined {
  const match = /^server\/routes\/([^/]+?)(?:\.tsx?$|\/)/.exec(path);
  return match?.[1];
}

/**
 * The rule an import from `file` of `target` (both repository-relative)
 * breaks, or `undefined` when it keeps them all.
 *
 * @example
 * ```ts
 * import { importRule } from "./check_layout.ts";
 * importRule("evaluators/run_case.ts", "datasets/quality/task.ts");
 * // "evaluators/ imports nothing of datasets/"
 * importRule("server/routes/runs.ts", "evaluators/run_case.ts"); // undefined
 * ```
 */
export function importRule(file: string, target: string): string | undefined {
  const from = layerOf(file);
  const to = layerOf(target);
  if (
    isTest(file) && to >= 0 && to <= from && target.includes("/testing/")
  ) {
    return undefined;
  }
  const top = target.split("/")[0];
  if (file.startsWith("evaluators/") && to > 0) {
    return `evaluators/ imports nothing of ${top}/`;
  }
  if (file.startsWith("datasets/") && to > 1) {
    return `datasets/ imports nothing of ${top}/`;
  }
  if (file.startsWith("server/") && top === "scripts") {
    return "server/ imports nothing of scripts/";
  }
  if (
    file.startsWith("server/pages/") && target.startsWith("server/db/queries/")
  ) {
    return "server/pages/ import no server/db/queries/ module";
  }
  if (
    file.startsWith("server/db/queries/") && target.startsWith("server/board/")
  ) {
    return "server/db/queries/ know nothing of caches (server/board/)";
  }
  const route = isTest(file) ? undefined : routeOf(file);
  const other = routeOf(target);
  if (route !== undefined && other !== undefined && route !== other) {
    return "a route module imports no other route module";
  }
  return undefined;
}

/**
 * The layout's findings over a set of sources (repository-relative path →
 * text): each breaking import, and each non-test source file over
 * {@linkcode MAX_LINES} lines.
 *
 * @example
 * ```ts
 * import { checkLayout } from "./check_layout.ts";
 * const { violations, oversized } = checkLayout(
 *   new Map([["datasets/a.ts", 'import { b } from "../server/b.ts";\n']]),
 * );
 * // violations: [{ file: "datasets/a.ts", specifier: "../server/b.ts", … }]
 * // oversized: []
 * ```
 */
export function checkLayout(sources: Map<string, string>): {
  violations: Violation[];
  oversized: { file: string; lines: number }[];
} {
  const violations: Violation[] = [];
  const oversized: { file: string; lines: number }[] = [];
  for (const [file, source] of sources) {
    for (const specifier of importSpecifiers(source)) {
      const target = resolveSpecifier(file, specifier);
      if (target === undefined) continue;
      const rule = importRule(file, target);
      if (rule) violations.push({ file, specifier, rule });
    }
    const lines = source.split("\n").length - (source.endsWith("\n") ? 1 : 0);
    if (
      lines > MAX_LINES && !isTest(file) && !file.split("/").includes(
        "migrations",
      )
    ) {
      oversized.push({ file, lines });
    }
  }
  return { violations, oversized };
}

async function readSources(
  root: URL,
  dir: string,
  into: Map<string, string>,
): Promise<void> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(new URL(dir, root))) {
    entries.push(entry);
  }
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) await readSources(root, path, into);
    else if (entry.isFile && /\.tsx?$/.test(entry.name)) {
      into.set(path, await Deno.readTextFile(new URL(path, root)));
    }
  }
}

if (import.meta.main) {
  exitOnHelp(`usage: deno task check:layout

Checks the import graph against the data flow and the 400-line rule for source
files. Exit status: 0 ok, 1 a rule is broken.`);
  const root = new URL("../../", import.meta.url);
  const sources = new Map<string, string>();
  for (const layer of LAYERS) await readSources(root, layer, sources);
  const { violations, oversized } = checkLayout(sources);
  for (const { file, specifier, rule } of violations) {
    console.log(`${file}: imports "${specifier}": ${rule}`);
  }
  for (const { file, lines } of oversized) {
    console.log(`${file}: ${lines} lines (at most ${MAX_LINES})`);
  }
  const count = violations.length + oversized.length;
  if (count > 0) {
    console.log(
      `check:layout: ${violations.length} import(s) against the data flow, ` +
        `${oversized.length} file(s) over ${MAX_LINES} lines`,
    );
    Deno.exit(1);
  }
  console.log(`check:layout: ${sources.size} files, data flows one way`);
}
