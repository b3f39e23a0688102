/**
 * Which environment variables a target may name as its API key. Only names
 * on the operator's allow-list (`SECRET_ENV_ALLOWLIST`, glob patterns,
 * default `*_API_KEY,*_TOKEN`) qualify, and never the server's own secrets
 * (`DATABASE_URL`, `ADMIN_TOKEN`, `TEST_DATABASE_URL`), whatever the list
 * says. The key is read at call time and never stored.
 *
 * @example
 * ```ts
 * import { isAllowedSecretName, secretReader } from "./secrets.ts";
 * isAllowedSecretName("OPENAI_API_KEY", ["*_API_KEY"]); // true
 * isAllowedSecretName("ADMIN_TOKEN", ["*_TOKEN"]);     // false
 * const secret = secretReader(["*_API_KEY"], (n) => Deno.env.get(n));
 * ```
 * @module
 */

/** The default allow-list. */
export const DEFAULT_SECRET_ALLOWLIST = ["*_API_KEY", "*_TOKEN"];

/** Never readable by a target. */
export const SERVER_SECRETS: ReadonlySet<string> = new Set([
  "DATABASE_URL",
  "ADMIN_TOKEN",
  "TEST_DATABASE_URL",
]);

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll(
    "*",
    "[A-Z0-9_]*",
  );
  return new RegExp(`^${escaped}$`);
}

/**
 * Whether a target may name `name` as its key variable.
 *
 * @example
 * ```ts
 * isAllowedSecretName("HF_TOKEN", DEFAULT_SECRET_ALLOWLIST); // true
 * ```
 */
export function isAllowedSecretName(
  name: string,
  allowlist: readonly string[],
): boolean {
  if (!/^[A-Z][A-Z0-9_]{0,127}$/.test(name) || SERVER_SECRETS.has(name)) {
    return false;
  }
  return allowlist.some((glob) =>
    globToRegExp(glob.trim().toUpperCase()).test(name)
  );
}

/**
 * A reader that returns a variable's value only for allowed names.
 *
 * @example
 * ```ts
 * secretReader(["*_API_KEY"], () => "x")("DATABASE_URL"); // undefined
 * ```
 */
export function secretReader(
  allowlist: readonly string[],
  read: (name: string) => string | undefined,
): (name: string) => string | undefined {
  return (
    name,
  ) => (isAllowedSecretName(name, allowlist) ? read(name) : undefined);
}
