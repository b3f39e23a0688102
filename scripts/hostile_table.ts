/**
 * Prints the hostile-schema corpus's answers (`schemas/hostile/*.json`, run
 * through a `ValidationPool` the way a run judges a case) as a Markdown
 * table ready to paste: case, what it is, the answer, milliseconds.
 *
 * @example
 * ```sh
 * deno run -A scripts/hostile_table.ts [--validation-ms 1000] [--compile-ms 5000]
 * ```
 * @module
 */
import {
  type HostileRow,
  hostileTable,
  loadHostileCases,
  runHostileCase,
  withListener,
} from "../evaluators/validation/testing/hostile.ts";
import { ValidationPool } from "../evaluators/validation/pool.ts";

function flag(name: string, fallback: number): number {
  const at = Deno.args.indexOf(name);
  const value = at === -1 ? fallback : Number(Deno.args[at + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name} wants a positive whole number of ms`);
    Deno.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const validationTimeoutMs = flag("--validation-ms", 1000);
  const compileTimeoutMs = flag("--compile-ms", 5000);
  const pool = new ValidationPool({ validationTimeoutMs, compileTimeoutMs });
  try {
    await withListener(async (listenerUrl, connections) => {
      await pool.warmUp();
      const rows: HostileRow[] = [];
      for (const kase of await loadHostileCases({ listenerUrl })) {
        rows.push(await runHostileCase(kase, pool));
      }
      const after = await pool.validate({ type: "integer" }, 1);
      console.log(hostileTable(rows));
      console.log(
        `\n${pool.options.size} validation workers; bounds: ${validationTimeoutMs} ms to check an output, ${compileTimeoutMs} ms to compile; workers stopped and replaced: ${pool.restarts}; connections to the listener: ${connections()}; a validation afterwards: ${after.status}`,
      );
    });
  } finally {
    pool.close();
  }
}

if (import.meta.main) await main();
