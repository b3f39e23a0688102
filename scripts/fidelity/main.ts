/**
 * `deno task fidelity`: the validator against an oracle nobody here wrote,
 * Debian's `python3-jsonschema` run by `/usr/bin/python3` (installed with
 * apt when missing), on every JSON Schema Test Suite case and on instances
 * derived from the JSONSchemaBench schemas in the shared data folder, in
 * declared mode first and `jsb` mode second (against `oracle.py`'s
 * rendering of the paper's harness). Prints the oracle's version, the
 * formats it checks and those it cannot, agreement per mode and source,
 * the disagreements counted by cause, and each disagreement (up to `--show`
 * per cause; `--show 0` prints every one).
 *
 * Options: `--per-schema N` derived instances per schema (12), `--show N`,
 * `--mode declared|jsb`, `--suite DIR`, `--bench DIR`; `--refusals` only
 * counts the JSONSchemaBench schemas each mode refuses.
 *
 * @example
 * ```ts
 * import { parseFidelityArgs } from "./main.ts";
 * parseFidelityArgs(["--mode", "jsb"]).modes; // ["jsb"]
 * ```
 * @module
 */
import { loadRemotes } from "../../evaluators/validation/conformance.ts";
import { type Draft, DRAFTS } from "../../evaluators/validation/draft.ts";
import { errorKeywords } from "../../evaluators/validation/attribution.ts";
import {
  SchemaValidator,
  type ValidationMode,
} from "../../evaluators/validation/validate.ts";
import { sharedPath } from "../../evaluators/testing/shared_dir.ts";
import { derivedItems, type Item, suiteItems } from "./corpus.ts";
import { causeOf, type OurVerdict } from "./causes.ts";
import { countRefusals } from "./refusals.ts";
import { numberLiterals } from "../../evaluators/validation/number_literals.ts";
import { exitOnHelp } from "../../server/cli_help.ts";

/** The command's settings. */
export interface FidelityArgs {
  modes: ValidationMode[];
  perSchema: number;
  show: number;
  suiteDir: string;
  benchDir: string;
  /** Only count the schemas each mode refuses (`refusals.ts`). */
  refusals: boolean;
}

/**
 * Reads the options (see the module doc).
 *
 * @example
 * ```ts
 * parseFidelityArgs([]).perSchema; // 12
 * ```
 */
export function parseFidelityArgs(args: readonly string[]): FidelityArgs {
  const out: FidelityArgs = {
    modes: ["declared", "jsb"],
    perSchema: 12,
    show: 20,
    suiteDir: sharedPath("datasets/json-schema-test-suite"),
    benchDir: sharedPath("datasets/jsonschemabench"),
    refusals: false,
  };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (args[i] === "--refusals") {
      out.refusals = true;
      continue;
    }
    if (args[i] === "--mode") out.modes = [value as ValidationMode];
    else if (args[i] === "--per-schema") out.perSchema = Number(value);
    else if (args[i] === "--show") out.show = Number(value);
    else if (args[i] === "--suite") out.suiteDir = value;
    else if (args[i] === "--bench") out.benchDir = value;
    else throw new Error(`unknown option ${args[i]}`);
    i++;
  }
  return out;
}

const PYTHON = "/usr/bin/python3";

async function run(cmd: string, args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(cmd, {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** Makes sure the oracle can run: installs python3-jsonschema when missing. */
async function ensureOracle(): Promise<void> {
  if (await run(PYTHON, ["-c", "import jsonschema"])) return;
  console.log(
    "python3-jsonschema is missing: apt-get install -y python3-jsonschema",
  );
  const ok = await run("apt-get", ["install", "-y", "python3-jsonschema"]);
  if (!ok || !await run(PYTHON, ["-c", "import jsonschema"])) {
    throw new Error(
      "could not install python3-jsonschema (run `apt-get install -y python3-jsonschema` as root)",
    );
  }
}

interface OracleAnswer {
  sid: number;
  results: (boolean | null)[];
  errors: (string | null)[];
  why: string[][];
  schema_error: string | null;
}

interface OracleHello {
  version: string;
  checked: string[];
  not_checked: string[];
}

async function askOracle(
  lines: string[],
  remotes: Record<string, unknown>,
): Promise<{ hello: OracleHello; answers: Map<number, OracleAnswer> }> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/remotes.json`, JSON.stringify(remotes));
    await Deno.writeTextFile(
      `${dir}/in.jsonl`,
      [JSON.stringify({ hello: true }), ...lines].join("\n") + "\n",
    );
    const script = new URL("./oracle.py", import.meta.url).pathname;
    const input = await Deno.open(`${dir}/in.jsonl`);
    const output = await new Deno.Command(PYTHON, {
      args: [script, `${dir}/remotes.json`],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const piping = input.readable.pipeTo(output.stdin);
    const { stdout, success } = await output.output();
    await piping.catch(() => {});
    if (!success) throw new Error("the oracle failed");
    const [first, ...rest] = new TextDecoder().decode(stdout).trim().split(
      "\n",
    );
    const answers = new Map<number, OracleAnswer>();
    for (const line of rest) {
      const answer = JSON.parse(line) as OracleAnswer;
      answers.set(answer.sid, answer);
    }
    return { hello: JSON.parse(first), answers };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

interface Allowed {
  draft: string;
  file: string;
  group: string;
  test: string;
  reason: string;
}

/** One mode's figures, per source. */
interface Tally {
  judged: number;
  agreed: number;
  refusedHere: Map<string, number>;
  notJudgedThere: number;
  causes: Map<string, string[]>;
}

const tally = (): Tally => ({
  judged: 0,
  agreed: 0,
  refusedHere: new Map(),
  notJudgedThere: 0,
  causes: new Map(),
});

async function main(args: FidelityArgs): Promise<void> {
  await ensureOracle();
  const allowList = JSON.parse(
    await Deno.readTextFile(
      new URL(
        "../../evaluators/validation/conformance_allowlist.json",
        import.meta.url,
      ),
    ),
  ) as Allowed[];
  const allowed = new Map(
    allowList.map((
      a,
    ) => [`${a.draft}|${a.file}|${a.group}|${a.test}`, a.reason]),
  );
  const items = [
    ...await suiteItems(args.suiteDir),
    ...await derivedItems(args.benchDir, args.perSchema),
  ];
  const remotesByDraft = new Map<Draft, Record<string, unknown>>();
  const allRemotes: Record<string, unknown> = {};
  for (const draft of DRAFTS) {
    const remotes = await loadRemotes(args.suiteDir, draft);
    remotesByDraft.set(draft, remotes);
    Object.assign(allRemotes, remotes);
  }
  const validators = new Map<string, SchemaValidator>();
  const validatorFor = (mode: ValidationMode, item: Item) => {
    const key = `${mode}|${item.source === "suite" ? item.draft : ""}`;
    let v = validators.get(key);
    if (!v) {
      const remotes = item.source === "suite"
        ? remotesByDraft.get(mode === "jsb" ? "draft2020-12" : item.draft!)!
        : {};
      v = new SchemaValidator({ mode, remotes });
      validators.set(key, v);
    }
    return v;
  };
  type Ours = {
    verdicts: (OurVerdict | string)[];
    note: string | null;
    declared: string | null;
  };
  const ours = new Map<number, Ours>();
  const lines: string[] = [];
  const sids: [ValidationMode, Item][] = [];
  for (const mode of args.modes) {
    for (const item of items) {
      const sid = sids.length;
      sids.push([mode, item]);
      const draft = mode === "declared" && item.draft ? item.draft : undefined;
      const compiled = validatorFor(mode, item).compile(item.schema, { draft });
      const verdicts = item.instances.map((instance): OurVerdict | string => {
        if (!compiled.ok) return `${compiled.kind}`;
        // Both sides read the same text (the oracle gets JSON.stringify's).
        const text = JSON.stringify(instance);
        const verdict = compiled.check(instance, numberLiterals(text));
        if (verdict.status === "invalid_schema") return verdict.kind;
        return {
          status: verdict.status,
          keywords: [...new Set(errorKeywords(verdict.errors))],
          formats: verdict.errors.filter((e) => !e.branch && e.format)
            .map((e) => e.format!),
        };
      });
      ours.set(sid, {
        verdicts,
        note: compiled.draft.note,
        declared: compiled.draft.declared,
      });
      lines.push(JSON.stringify({
        sid,
        mode,
        draft: draft ?? null,
        schema: item.schema,
        instances: item.instances.map((i) => JSON.stringify(i)),
      }));
    }
  }
  const { hello, answers } = await askOracle(lines, allRemotes);
  console.log(
    `oracle: Debian python3-jsonschema ${hello.version} (${PYTHON}); the paper pinned 4.23 (dialect switching at a nested $schema arrived in 4.18)`,
  );
  console.log(`formats the oracle checks: ${hello.checked.join(", ")}`);
  console.log(
    `formats NOT independently checked: ${hello.not_checked.join(", ")}`,
  );
  console.log(
    "regex dialect: patterns are ECMA-262 here, as the spec names; Python's re differs (\\d matches Unicode digits, $ matches before a final newline)",
  );
  const tallies = new Map<string, Tally>();
  for (const [sid, [mode, item]] of sids.entries()) {
    const key = `${mode}|${item.source}`;
    const t = tallies.get(key) ?? tallies.set(key, tally()).get(key)!;
    const mine = ours.get(sid)!;
    const theirs = answers.get(sid);
    mine.verdicts.forEach((verdict, i) => {
      const oracle = theirs?.results[i] ?? null;
      if (oracle === null) {
        t.notJudgedThere++;
        return;
      }
      if (typeof verdict === "string") {
        t.refusedHere.set(verdict, (t.refusedHere.get(verdict) ?? 0) + 1);
        return;
      }
      t.judged++;
      if ((verdict.status === "valid") === oracle) {
        t.agreed++;
        return;
      }
      const label = item.labels?.[i];
      const cause = causeOf({
        mode,
        ours: verdict,
        oracle: {
          valid: oracle,
          why: theirs!.why[i] ?? [],
          error: theirs!.errors[i] ?? theirs!.schema_error,
        },
        file: item.file,
        notChecked: hello.not_checked,
        allowListed: label
          ? allowed.get(
            `${item.draft}|${item.file}|${item.group}|${label.description}`,
          ) ?? null
          : null,
        schemaText: JSON.stringify(item.schema),
        note: mine.note,
        declared: mine.declared,
      });
      const where = label
        ? `${item.id} | ${label.description}`
        : `${item.id} #${i}`;
      const list = t.causes.get(cause) ?? t.causes.set(cause, []).get(cause)!;
      list.push(
        `${where}: here ${verdict.status}, Python ${
          oracle ? "valid" : "invalid"
        }; instance ${JSON.stringify(item.instances[i]).slice(0, 120)}`,
      );
    });
  }
  for (const mode of args.modes) {
    for (const source of ["suite", "derived"]) {
      const t = tallies.get(`${mode}|${source}`);
      if (!t) continue;
      const pct = t.judged ? (100 * t.agreed / t.judged).toFixed(2) : "-";
      const name = source === "suite"
        ? "JSON Schema Test Suite"
        : "JSONSchemaBench-derived";
      console.log(
        `\n${mode} mode, ${name}: ${t.agreed}/${t.judged} agree (${pct}%); refused here ${
          [...t.refusedHere.values()].reduce((a, b) => a + b, 0)
        } (${
          [...t.refusedHere].map(([k, n]) => `${k} ${n}`).join(", ") || "none"
        }); not judged by the oracle ${t.notJudgedThere}`,
      );
      const causes = [...t.causes].sort((a, b) => b[1].length - a[1].length);
      for (const [cause, list] of causes) {
        console.log(`  ${list.length} × ${cause}`);
        const shown = args.show === 0 ? list : list.slice(0, args.show);
        for (const line of shown) console.log(`      ${line}`);
        if (shown.length < list.length) {
          console.log(
            `      … ${list.length - shown.length} more (--show 0 prints all)`,
          );
        }
      }
    }
  }
}

async function printRefusals(args: FidelityArgs): Promise<void> {
  for (const mode of args.modes) {
    const r = await countRefusals(args.benchDir, mode);
    const kinds = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`);
    console.log(
      `${mode}: ${r.refused} of ${r.total} schemas refused (${
        kinds.join(", ") || "none"
      })`,
    );
    const re2 = r.schemas.filter((s) => s.includes(": unsupported_pattern: "));
    for (const line of r.schemas.filter((s) => !re2.includes(s))) {
      console.log(`  ${line}`);
    }
    if (re2.length) console.log(`  patterns RE2 cannot run (kept):`);
    for (const line of re2) console.log(`    ${line}`);
  }
}

if (import.meta.main) {
  exitOnHelp(
    `usage: deno task fidelity [--per-schema N] [--show N] [--mode declared|jsb]
  [--suite DIR] [--bench DIR] [--refusals]

The validator against python3-jsonschema on the JSON Schema Test Suite and on
instances derived from the JSONSchemaBench schemas.`,
  );
  const args = parseFidelityArgs(Deno.args);
  if (args.refusals) await printRefusals(args);
  else await main(args);
}
