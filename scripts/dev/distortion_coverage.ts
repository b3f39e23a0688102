/**
 * Measures how often the distortion estimators' 95% intervals cover the
 * exact values, on the in-process reference sampler over the closed-form
 * bigram model (the figures docs/methodology.md quotes): for each tiny
 * language and N, `--trials` seeded trials of locally constrained decoding
 * against the exact Z, gap and TV.
 *
 * With `--suite`, it prints instead each `distortion/basic` case's Z under
 * the bigram model: exact, over the valid outputs found in 20,000
 * unconstrained draws (a lower bound).
 *
 * @example
 * ```sh
 * deno run -A scripts/dev/distortion_coverage.ts --trials 100
 * deno run -A scripts/dev/distortion_coverage.ts --suite
 * ```
 * @module
 */
import {
  exactZ,
  finiteLanguage,
  referenceSampler,
  seededRandom,
} from "../../evaluators/targets/testing/reference_sampler.ts";
import { SchemaValidator } from "../../evaluators/validation/validate.ts";
import { BUILTIN_DIR, readBuiltinSuite } from "../../server/suites/builtin.ts";
import { coverage } from "../../evaluators/targets/testing/reference_trials.ts";

const LANGUAGES = {
  shared_prefix: finiteLanguage(["pa", "pb", "q"].map((v) => `{"v":"${v}"}`)),
  first_property_3: finiteLanguage([
    ...Array.from({ length: 3 }, (_, n) => `{"kind":"a","n":${n}}`),
    '{"kind":"b","ok":true}',
    '{"kind":"b","ok":false}',
  ]),
  first_property_10: finiteLanguage([
    ...Array.from({ length: 10 }, (_, n) => `{"kind":"a","n":${n}}`),
    '{"kind":"b","ok":true}',
    '{"kind":"b","ok":false}',
  ]),
};

async function suiteZ(): Promise<void> {
  const suite = await readBuiltinSuite(`${BUILTIN_DIR}/distortion_basic`);
  const sampler = referenceSampler();
  const uniform = seededRandom(20);
  const texts = new Set<string>();
  for (let i = 0; i < 20000; i++) {
    const draw = sampler.unconstrained(uniform);
    if (draw.ended) texts.add(draw.text);
  }
  const validator = new SchemaValidator();
  for (const c of suite.cases) {
    const valid = [...texts].filter((text) => {
      try {
        return validator.validate(c.schema, JSON.parse(text)).status ===
          "valid";
      } catch {
        return false;
      }
    });
    console.log(`${c.key}\t${exactZ(finiteLanguage(valid)).toFixed(4)}`);
  }
}

if (import.meta.main && Deno.args.includes("--suite")) await suiteZ();
else if (import.meta.main) {
  const at = Deno.args.indexOf("--trials");
  const trials = at >= 0 ? Number(Deno.args[at + 1]) : 100;
  if (!Number.isInteger(trials) || trials < 1) {
    console.error(
      "usage: deno run -A scripts/dev/distortion_coverage.ts [--trials N]",
    );
    Deno.exit(2);
  }
  console.log(
    "language\tN\tvalid/trial\tZ\tgap\tdivergence (covered of trials)",
  );
  for (const [name, language] of Object.entries(LANGUAGES)) {
    for (const n of [500, 2000, 8000]) {
      const c = coverage(language, { n, trials, seed: 90_000 });
      console.log(
        `${name}\t${n}\t${
          c.validMean.toFixed(0)
        }\t${c.z}\t${c.gap}\t${c.divergence}`,
      );
    }
  }
}
