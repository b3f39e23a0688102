import assert from "node:assert/strict";
import { runValidate } from "./validate.ts";

Deno.test("deno task validate: verdicts, exit codes and the API's JSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const write = async (name: string, text: string) => {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      return `${dir}/${name}`;
    };
    const schema = await write(
      "s.json",
      '{"type": "integer", "maximum": 9223372036854776000}',
    );
    const good = await write("good.json", "9223372036854776000");
    const bad = await write("bad.json", "9223372036854776001");
    const lines: string[] = [];
    assert.equal(await runValidate([schema, good], (l) => lines.push(l)), 0);
    assert.match(lines[0], /draft2020-12 \(inferred/);
    assert.match(lines[1], /good\.json: valid$/);
    lines.length = 0;
    assert.equal(
      await runValidate([schema, good, bad], (l) => lines.push(l)),
      1,
    );
    assert.match(lines[2], /bad\.json: invalid$/);
    assert.match(lines[3], /maximum/);
    lines.length = 0;
    const uuid = await write("u.json", '{"format": "uuid"}');
    const id = await write("id.json", '"6ba7b810-9dad-11d1-80b4-00c04fd430c8"');
    assert.equal(await runValidate([uuid, id], () => {}), 0);
    assert.equal(
      await runValidate(
        ["--validation", "jsb", "--json", uuid, id],
        (l) => lines.push(l),
      ),
      1,
    );
    assert.equal(JSON.parse(lines.join("\n")).results[0].valid, false);
    const broken = await write("b.json", '{"type": "strin"}');
    assert.equal(await runValidate([broken, good], () => {}), 2);
    assert.equal(await runValidate([schema], () => {}), 2);
    assert.equal(
      await runValidate([schema, `${dir}/missing.json`], () => {}),
      2,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
