import assert from "node:assert/strict";
import { createTarget } from "../registry.ts";
import type { TargetConfig } from "../target.ts";
import { BaseUrlBlockedError } from "./base_url_guard.ts";
import { closePinnedClients, pinnedFetch } from "./pinned_fetch.ts";

/** A llama-server's `/props` and `/v1/models`, naming who answered. */
function engineNamed(name: string, seen: string[]) {
  return (req: Request) => {
    seen.push(
      `${name} ${new URL(req.url).pathname} host=${req.headers.get("host")}`,
    );
    return Response.json(
      new URL(req.url).pathname === "/props"
        ? { build_info: name, total_slots: 1 }
        : { data: [] },
    );
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test({
  name:
    "DNS rebinding: requests connect to the address the guard checked, never to a later answer",
  sanitizeResources: false,
}, async () => {
  const seen: string[] = [];
  // The engine the name first points at (allowed: loopback), and the
  // address it is switched to afterwards: 0.0.0.0, which the guard
  // refuses and which Linux connects to this host's 127.0.0.1.
  const engine = Deno.serve(
    { hostname: "127.0.0.2", port: 0, onListen: () => {} },
    engineNamed("engine", seen),
  );
  const port = engine.addr.port;
  const blocked = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    engineNamed("blocked", seen),
  );
  let answers = ["127.0.0.2"];
  let flipAfterCheck = false;
  const resolver = (hostname: string) => {
    assert.equal(hostname, "rebind.test");
    const now = answers;
    // The attacker's move: right after the check's lookup, the name
    // points somewhere else.
    if (flipAfterCheck) answers = ["0.0.0.0"];
    return Promise.resolve(now);
  };
  const config: TargetConfig = {
    name: "rebinding",
    kind: "llamacpp",
    baseUrl: `http://rebind.test:${port}`,
    model: null,
    mode: "json_schema",
    settings: {},
    params: {},
    apiKeyEnv: null,
  };
  const target = createTarget(config, () => undefined, {
    resolver,
    recheckMs: 100,
  });
  try {
    // The name is never resolved by the system (it could not be): the
    // connection goes to the checked address, with the name as Host.
    const first = await target.describe();
    assert.equal(first.version, "engine");
    assert.equal(seen[0], `engine /props host=rebind.test:${port}`);

    // The name flips right after a check: requests still go where the
    // check looked, until the next check refuses the new address.
    await sleep(150);
    flipAfterCheck = true;
    assert.equal((await target.describe()).version, "engine");
    await sleep(150);
    await assert.rejects(target.describe(), BaseUrlBlockedError);
    const answer = await target.generate({
      schema: { type: "object" },
      messages: [{ role: "user", content: "hi" }],
      mode: "json_schema",
      params: { timeout_ms: 2000 },
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(answer.error?.kind, "infra_error");
    assert.match(answer.error?.message ?? "", /^no request made: .*0\.0\.0\.0/);

    // A name that resolves to nothing gets no request either.
    answers = [];
    flipAfterCheck = false;
    await sleep(150);
    await assert.rejects(target.describe(), /resolved to no address/);

    assert.ok(
      !seen.some((line) => line.startsWith("blocked")),
      seen.join("\n"),
    );
  } finally {
    closePinnedClients();
    await engine.shutdown();
    await blocked.shutdown();
  }
});

Deno.test("pinned fetch: http to a resolved name is pinned; https, literals and other hosts are not", async () => {
  const sent: { url: string; pinned: boolean }[] = [];
  const send: typeof fetch = (input, init) => {
    sent.push({
      url: String(input),
      pinned: (init as { client?: unknown } | undefined)?.client !== undefined,
    });
    return Promise.resolve(new Response("ok"));
  };
  const resolved = (host: string) => () =>
    Promise.resolve({
      ok: true as const,
      host,
      addresses: ["127.0.0.2"],
      resolved: true,
    });
  try {
    await pinnedFetch("http://engine.test:8080", resolved("engine.test"), send)(
      "http://engine.test:8080/props",
    );
    // https: the certificate check binds the connection to the name (and
    // Deno's TCP transport carries no TLS), so it goes out as it is.
    await pinnedFetch("https://engine.test/v1", resolved("engine.test"), send)(
      "https://engine.test/v1/models",
    );
    await pinnedFetch("http://127.0.0.1:9", () =>
      Promise.resolve({
        ok: true as const,
        host: "127.0.0.1",
        addresses: ["127.0.0.1"],
        resolved: false,
      }), send)("http://127.0.0.1:9/props");
    await pinnedFetch("http://engine.test:8080", resolved("engine.test"), send)(
      "http://elsewhere.test/x",
    );
    assert.deepEqual(sent.map((s) => s.pinned), [true, false, false, false]);
  } finally {
    closePinnedClients();
  }
});

Deno.test({
  name:
    "pinned fetch: a name that resolves to an IPv6 address is reached there",
  sanitizeResources: false,
}, async () => {
  const seen: string[] = [];
  const engine = Deno.serve(
    { hostname: "::1", port: 0, onListen: () => {} },
    engineNamed("six", seen),
  );
  try {
    const target = createTarget(
      {
        name: "six",
        kind: "llamacpp",
        baseUrl: `http://six.test:${engine.addr.port}`,
        model: null,
        mode: "json_schema",
        settings: {},
        params: {},
        apiKeyEnv: null,
      },
      () => undefined,
      { resolver: () => Promise.resolve(["::1"]) },
    );
    assert.equal((await target.describe()).version, "six");
    assert.match(seen[0], /host=six\.test:/);
  } finally {
    closePinnedClients();
    await engine.shutdown();
  }
});

Deno.test({
  name:
    "pinned fetch: a name only the hosts file knows is resolved as fetch would, and reached",
  sanitizeResources: false,
}, async (t) => {
  const { lookup } = await import("node:dns/promises");
  const name = Deno.hostname();
  const known = await lookup(name, { all: true }).catch(() => []);
  const local = known.map((a) => a.address).filter((a) => a.startsWith("127."));
  if (!local.length || local.length !== known.length) {
    await t.step({
      name: "this host's name is not a loopback hosts entry here",
      ignore: true,
      fn: () => {},
    });
    return;
  }
  const seen: string[] = [];
  const engine = Deno.serve(
    { hostname: "0.0.0.0", port: 0, onListen: () => {} },
    engineNamed("hosts", seen),
  );
  try {
    const target = createTarget({
      name: "hosts",
      kind: "llamacpp",
      baseUrl: `http://${name}:${engine.addr.port}`,
      model: null,
      mode: "json_schema",
      settings: {},
      params: {},
      apiKeyEnv: null,
    }, () => undefined);
    assert.equal((await target.describe()).version, "hosts");
  } finally {
    closePinnedClients();
    await engine.shutdown();
  }
});
