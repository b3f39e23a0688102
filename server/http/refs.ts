/**
 * A suite or target named in a request body or a query, by id or by name:
 * `suite_id` (a uuid) or `suite` (a name or an id), with `suite_version`
 * apart (a name alone means its latest version); `target_id` or `target`.
 * Unknown or ambiguous is a 400 that lists the matches, in `details` too.
 *
 * @example
 * ```ts
 * import { resolveSuite, resolveTarget } from "./refs.ts";
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const suite = await resolveSuite(database, { suite: "smoke", suite_version: 2 });
 * const target = await resolveTarget(database, { target: "tiny-local" });
 * console.log(suite?.id, target?.id);
 * ```
 * @module
 */
import type { Database } from "../db/client.ts";
import {
  nearSuiteNames,
  nearTargetNames,
  suitesNamed,
  targetsNamed,
} from "../db/queries/refs.ts";
import type { SuiteRow } from "../db/queries/suites.ts";
import type { TargetRow } from "../db/queries/targets.ts";
import { ApiError } from "../errors.ts";

/** How a request names a suite (all optional: none names no suite). */
export interface SuiteRefInput {
  suite_id?: string;
  suite?: string;
  suite_version?: number;
}

/** How a request names a target. */
export interface TargetRefInput {
  target_id?: string;
  target?: string;
}

/**
 * Where the fields are: `"/"` for a body (JSON Pointers), `""` for a query
 * (parameter names).
 */
export type RefPlace = "/" | "";

function both(place: RefPlace, idField: string, nameField: string): ApiError {
  return new ApiError(
    400,
    "invalid_reference",
    `give ${idField} or ${nameField}, not both`,
    `${place}${nameField}`,
  );
}

function listed(names: string[], what: string): string {
  return names.length
    ? ` (${what}: ${names.join(", ")})`
    : ` (no ${what} stored)`;
}

/**
 * The suite the input names, or undefined when it names none. 400 for
 * both fields at once, an unknown name or id, or a version the suite does
 * not have.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await resolveSuite(database, { suite: "smoke" }); // its latest version
 * ```
 */
export async function resolveSuite(
  database: Database,
  input: SuiteRefInput,
  place: RefPlace = "/",
): Promise<SuiteRow | undefined> {
  if (input.suite_id !== undefined && input.suite !== undefined) {
    throw both(place, "suite_id", "suite");
  }
  const ref = input.suite_id ?? input.suite;
  const field = input.suite_id !== undefined ? "suite_id" : "suite";
  if (ref === undefined) {
    if (input.suite_version === undefined) return undefined;
    throw new ApiError(
      400,
      "invalid_reference",
      "suite_version needs suite (a name)",
      `${place}suite_version`,
    );
  }
  const rows = await suitesNamed(database, ref);
  if (!rows.length) {
    const near = await nearSuiteNames(database, ref);
    throw new ApiError(
      400,
      "unknown_suite",
      `no suite with the name or id "${ref}"${listed(near, "suites")}`,
      `${place}${field}`,
      near.map((name) => ({ path: `${place}${field}`, message: name })),
    );
  }
  if (input.suite_version === undefined) return rows[0];
  const found = rows.find((r) => r.version === input.suite_version);
  if (found) return found;
  const versions = rows.map((r) => `v${r.version}`);
  throw new ApiError(
    400,
    "unknown_suite",
    `suite "${rows[0].name}" has no version ${input.suite_version} (it has ${
      versions.join(", ")
    })`,
    `${place}suite_version`,
    rows.map((r) => ({
      path: `${place}suite_version`,
      message: `${r.name} v${r.version} (${r.id})`,
    })),
  );
}

/**
 * The target `ref` names (by id or by name); 400 when none or more than
 * one does. `field` is where the reference was given.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await targetByRef(database, "tiny-local", "/targets/0");
 * ```
 */
export async function targetByRef(
  database: Database,
  ref: string,
  field: string,
): Promise<TargetRow> {
  const rows = await targetsNamed(database, ref);
  if (rows.length === 1) return rows[0];
  if (!rows.length) {
    const near = await nearTargetNames(database, ref);
    throw new ApiError(
      400,
      "unknown_target",
      `no target with the name or id "${ref}"${listed(near, "targets")}`,
      field,
      near.map((name) => ({ path: field, message: name })),
    );
  }
  const matches = rows.map((r) => `"${r.name}" (${r.id})`);
  throw new ApiError(
    400,
    "ambiguous_target",
    `"${ref}" names more than one target: ${
      matches.join(", ")
    }; give target_id`,
    field,
    matches.map((message) => ({ path: field, message })),
  );
}

/**
 * The target the input names, or undefined when it names none; 400 for
 * both fields at once and for what {@link targetByRef} refuses.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * await resolveTarget(database, { target: "tiny-local" });
 * ```
 */
export async function resolveTarget(
  database: Database,
  input: TargetRefInput,
  place: RefPlace = "/",
): Promise<TargetRow | undefined> {
  if (input.target_id !== undefined && input.target !== undefined) {
    throw both(place, "target_id", "target");
  }
  const ref = input.target_id ?? input.target;
  if (ref === undefined) return undefined;
  const field = input.target_id !== undefined ? "target_id" : "target";
  return await targetByRef(database, ref, `${place}${field}`);
}

/**
 * Like {@link resolveSuite}, but a request without a suite is a 400.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const suite = await requireSuite(database, { suite_id: "…" });
 * ```
 */
export async function requireSuite(
  database: Database,
  input: SuiteRefInput,
  place: RefPlace = "/",
): Promise<SuiteRow> {
  const suite = await resolveSuite(database, input, place);
  if (suite) return suite;
  throw new ApiError(
    400,
    "invalid_body",
    `${place}suite is required (a suite name or id; or suite_id)`,
    `${place}suite`,
  );
}

/**
 * Like {@link resolveTarget}, but a request without a target is a 400.
 *
 * @example
 * ```ts
 * import type { Database } from "../db/client.ts";
 * declare const database: Database;
 * const target = await requireTarget(database, { target: "tiny-local" });
 * ```
 */
export async function requireTarget(
  database: Database,
  input: TargetRefInput,
  place: RefPlace = "/",
): Promise<TargetRow> {
  const target = await resolveTarget(database, input, place);
  if (target) return target;
  throw new ApiError(
    400,
    "invalid_body",
    `${place}target is required (a target name or id; or target_id)`,
    `${place}target`,
  );
}
