/**
 * `deno task fidelity --refusals`: how many JSONSchemaBench schemas each
 * mode refuses (cannot compile, so their cases are `invalid_schema` in
 * declared mode), by kind, with the patterns RE2 cannot run listed apart
 * (kept: the linear-time engine is the time bound).
 *
 * @example
 * ```ts
 * import { countRefusals } from "./refusals.ts";
 * declare const dir: string;
 * const { refused, total } = await countRefusals(dir, "declared");
 * ```
 * @module
 */
import {
  SchemaValidator,
  type ValidationMode,
} from "../../evaluators/validation/validate.ts";

/** One mode's refusals. */
export interface Refusals {
  total: number;
  refused: number;
  byKind: Record<string, number>;
  /** `Subset/id: reason`, one per refused schema. */
  schemas: string[];
}

/**
 * Compiles every schema of the `<Subset>.jsonl` files in `dir`.
 *
 * @example
 * ```ts
 * declare const dir: string;
 * (await countRefusals(dir, "jsb")).byKind; // { unsupported_pattern: … }
 * ```
 */
export async function countRefusals(
  dir: string,
  mode: ValidationMode,
): Promise<Refusals> {
  const validator = new SchemaValidator({ mode });
  const out: Refusals = { total: 0, refused: 0, byKind: {}, schemas: [] };
  const files = [...Deno.readDirSync(dir)].map((e) => e.name)
    .filter((n) => n.endsWith(".jsonl")).sort();
  for (const file of files) {
    for (
      const line of (await Deno.readTextFile(`${dir}/${file}`)).split("\n")
    ) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as {
        unique_id: string;
        json_schema: string;
      };
      out.total++;
      let schema: unknown;
      try {
        schema = JSON.parse(record.json_schema);
      } catch {
        out.refused++;
        out.byKind.not_json = (out.byKind.not_json ?? 0) + 1;
        continue;
      }
      const compiled = validator.compile(schema);
      if (compiled.ok) continue;
      out.refused++;
      out.byKind[compiled.kind] = (out.byKind[compiled.kind] ?? 0) + 1;
      out.schemas.push(
        `${
          file.replace(/\.jsonl$/, "")
        }/${record.unique_id}: ${compiled.kind}: ${
          compiled.reason.slice(0, 160)
        }`,
      );
    }
  }
  return out;
}
