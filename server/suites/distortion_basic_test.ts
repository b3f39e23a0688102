/**
 * The built-in "distortion/basic" suite (schemas/suites/distortion_basic/):
 * every case is documented, its examples get the verdict they claim, it
 * is small-support where intended (so the value divergence is computed),
 * and the closed-form bigram model puts real mass on its valid outputs
 * (Z > 0, computed exactly over the valid outputs it is found to write).
 */
import assert from "node:assert/strict";
import { SchemaValidator } from "../../evaluators/validation/validate.ts";
import { smallSupport } from "../../evaluators/metrics/distortion.ts";
import {
  exactZ,
  finiteLanguage,
  referenceSampler,
  seededRandom,
} from "../../evaluators/targets/testing/reference_sampler.ts";
import { BUILTIN_DIR, readBuiltinSuite } from "./builtin.ts";

const DIR = `${BUILTIN_DIR}/distortion_basic`;

interface CaseFile {
  description: string;
  tags: string[];
  schema: Record<string, unknown>;
  valid: unknown[];
  invalid: unknown[];
}

function caseFiles(): [string, CaseFile][] {
  return [...Deno.readDirSync(DIR)]
    .map((e) => e.name)
    .filter((name) => /^\d{2}_[a-z0-9_]+\.json$/.test(name))
    .sort()
    .map((name) => [
      name,
      JSON.parse(Deno.readTextFileSync(`${DIR}/${name}`)) as CaseFile,
    ]);
}

Deno.test("distortion/basic: a built-in suite of documented cases", async () => {
  const suite = await readBuiltinSuite(DIR);
  assert.equal(suite.name, "distortion/basic");
  assert.equal(suite.cases.length, 7);
  const validator = new SchemaValidator();
  for (const [name, c] of caseFiles()) {
    assert.ok(c.description.length > 40, `${name}: describe the case`);
    assert.ok(c.tags.includes("distortion"), `${name}: tagged distortion`);
    for (const example of c.valid) {
      assert.equal(
        validator.validate(c.schema, example).status,
        "valid",
        `${name}: ${JSON.stringify(example)} is valid`,
      );
    }
    for (const example of c.invalid) {
      assert.equal(
        validator.validate(c.schema, example).status,
        "invalid",
        `${name}: ${JSON.stringify(example)} is invalid`,
      );
    }
  }
});

Deno.test("distortion/basic: small-support except the free string", () => {
  for (const [name, c] of caseFiles()) {
    assert.equal(
      smallSupport(c.schema),
      !c.tags.includes("free-string"),
      `${name}: smallSupport`,
    );
  }
});

Deno.test("distortion/basic: the bigram model gives every case Z > 0 in closed form", () => {
  // Find the valid outputs the model writes, then sum their exact
  // probability (every token path of each): a lower bound on Z.
  const sampler = referenceSampler();
  const uniform = seededRandom(20);
  const texts = new Set<string>();
  for (let i = 0; i < 20000; i++) {
    const draw = sampler.unconstrained(uniform);
    if (draw.ended) texts.add(draw.text);
  }
  const parsed = [...texts].flatMap((text) => {
    try {
      return [{ text, value: JSON.parse(text) as unknown }];
    } catch {
      return [];
    }
  });
  const validator = new SchemaValidator();
  let total = 0;
  for (const [name, c] of caseFiles()) {
    const valid = parsed.filter((p) =>
      validator.validate(c.schema, p.value).status === "valid"
    ).map((p) => p.text);
    const z = exactZ(finiteLanguage(valid));
    assert.ok(z > 0.01, `${name}: Z ≥ ${z}`);
    total += z;
  }
  assert.ok(
    total < 1,
    `the cases' valid outputs are disjoint enough: ${total}`,
  );
});
