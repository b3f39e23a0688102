import assert from "node:assert/strict";
import { acceptsGzip } from "./kept_body.ts";

Deno.test("Accept-Encoding: gzip only where it is listed (or *) with a quality above 0", () => {
  assert.equal(acceptsGzip("gzip, deflate, br, zstd"), true);
  assert.equal(acceptsGzip("br;q=1.0, GZIP;q=0.5"), true);
  assert.equal(acceptsGzip("*"), true);
  assert.equal(acceptsGzip("gzip;q=0, *"), false);
  assert.equal(acceptsGzip("*;q=0"), false);
  assert.equal(acceptsGzip("deflate, br"), false);
  assert.equal(acceptsGzip("identity"), false);
  assert.equal(acceptsGzip(""), false);
  assert.equal(acceptsGzip(undefined), false);
});
