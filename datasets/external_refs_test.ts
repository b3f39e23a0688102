import assert from "node:assert/strict";
import { externalReferences } from "./external_refs.ts";

Deno.test("local pointers and anchors stay inside", () => {
  assert.deepEqual(
    externalReferences({
      $defs: { a: { $anchor: "x", type: "string" } },
      properties: { p: { $ref: "#/$defs/a" }, q: { $ref: "#x" } },
    }, "draft2020-12"),
    [],
  );
  // A data value that looks like a reference is not one.
  assert.deepEqual(
    externalReferences(
      { enum: [{ $ref: "http://localhost:1234/x.json" }] },
      "draft7",
    ),
    [],
  );
});

Deno.test("relative references resolve against the nearest $id", () => {
  assert.deepEqual(
    externalReferences({
      $id: "http://localhost:1234/root.json",
      items: { $id: "folder/", items: { $ref: "folderInteger.json" } },
    }, "draft2020-12"),
    [{
      keyword: "$ref",
      pointer: "/items/items",
      ref: "folderInteger.json",
      resolved: "http://localhost:1234/folder/folderInteger.json",
    }],
  );
});

Deno.test("references to embedded resources stay inside, by $id or draft 4's id", () => {
  assert.deepEqual(
    externalReferences({
      $id: "http://localhost:1234/tree",
      properties: { nodes: { items: { $ref: "node" } } },
      $defs: { node: { $id: "http://localhost:1234/node", $ref: "tree" } },
    }, "draft2020-12"),
    [],
  );
  assert.deepEqual(
    externalReferences({
      id: "http://localhost:1234/root",
      allOf: [{ $ref: "http://localhost:1234/nested.json#foo" }],
      definitions: {
        A: { id: "nested.json", definitions: { B: { id: "#foo" } } },
      },
    }, "draft4"),
    [],
  );
});

Deno.test("in drafts 4 to 7 a $ref silences a sibling $id; later drafts honour it", () => {
  const schema = {
    $id: "http://localhost:1234/sibling_id/base/",
    definitions: {
      base_foo: { $id: "foo.json", type: "number" },
    },
    allOf: [{ $id: "http://localhost:1234/sibling_id/", $ref: "foo.json" }],
  };
  assert.deepEqual(externalReferences(schema, "draft7"), []);
  assert.deepEqual(
    externalReferences(schema, "draft2020-12").map((r) => r.resolved),
    ["http://localhost:1234/sibling_id/foo.json"],
  );
});

Deno.test("$schema is always listed; an unresolvable reference is listed unresolved", () => {
  assert.deepEqual(
    externalReferences({
      $schema:
        "http://localhost:1234/draft2020-12/metaschema-no-validation.json",
      $dynamicRef: "#meta",
    }, "draft2020-12"),
    [{
      keyword: "$schema",
      pointer: "",
      ref: "http://localhost:1234/draft2020-12/metaschema-no-validation.json",
      resolved:
        "http://localhost:1234/draft2020-12/metaschema-no-validation.json",
    }],
  );
  assert.deepEqual(
    externalReferences(
      { $id: "urn:example:root", $ref: "other.json" },
      "draft2020-12",
    ),
    [{ keyword: "$ref", pointer: "", ref: "other.json", resolved: null }],
  );
});
