import assert from "node:assert/strict";
import dgram from "node:dgram";
import {
  assertBaseUrlAllowed,
  BaseUrlBlockedError,
  blockedAddressReason,
  type BlockRule,
  checkBaseUrl,
} from "./base_url_guard.ts";
import { createTarget } from "../registry.ts";

/** Every spelling a caller might try, and the rule that must refuse it. */
const BLOCKED: [string, BlockRule][] = [
  ["http://169.254.169.254/latest/meta-data/", "metadata"],
  ["http://2852039166/", "metadata"],
  ["http://0xa9.0xfe.0xa9.0xfe/", "metadata"],
  ["http://0251.0376.0251.0376/", "metadata"],
  ["http://169.254.43518/", "metadata"],
  ["http://%31%36%39.254.169.254/", "metadata"],
  ["http://[::ffff:169.254.169.254]/", "metadata"],
  ["http://[::ffff:a9fe:a9fe]/", "metadata"],
  ["http://[0:0:0:0:0:ffff:a9fe:a9fe]:80/", "metadata"],
  ["http://[::a9fe:a9fe]/", "metadata"],
  ["http://[64:ff9b::a9fe:a9fe]/", "metadata"],
  ["http://[2002:a9fe:a9fe::1]/", "metadata"],
  ["http://[fd00:ec2::254]/", "metadata"],
  ["http://[fd20:ce::254]/", "metadata"],
  ["http://[fd00:a9fe:a9fe::1]/", "metadata"],
  ["http://100.100.100.200/", "metadata"],
  ["http://192.0.0.192/", "metadata"],
  ["http://168.63.129.16/", "metadata"],
  ["http://169.254.170.2/v2/credentials", "metadata"],
  ["http://metadata.google.internal/computeMetadata/v1/", "metadata"],
  ["http://METADATA.Google.Internal./", "metadata"],
  ["http://metadata/", "metadata"],
  ["http://instance-data.ec2.internal/", "metadata"],
  ["http://169.254.1.1:8080/", "link_local"],
  ["http://[fe80::1]/", "link_local"],
  ["http://[febf:ffff::1]/", "link_local"],
  ["http://0.0.0.0:8080/", "unspecified"],
  ["http://0/", "unspecified"],
  ["http://[::]:8080/", "unspecified"],
  // Teredo (its server and client IPv4 inside) and deprecated site-local.
  ["http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "reserved"],
  ["http://[2001::1]/", "reserved"],
  ["http://[fec0::1]/", "reserved"],
  ["http://[feff:ffff::1]/", "reserved"],
  ["http://[::ffff:0.0.0.0]/", "unspecified"],
  ["http://224.0.0.1/", "multicast"],
  ["http://239.255.255.250:1900/", "multicast"],
  ["http://[ff02::1]/", "multicast"],
  ["http://255.255.255.255/", "reserved"],
  ["http://240.0.0.1/", "reserved"],
  ["ftp://127.0.0.1/", "scheme"],
  ["file:///etc/passwd", "scheme"],
  ["gopher://127.0.0.1:70/", "scheme"],
  ["http://user:secret@127.0.0.1:8080/", "credentials"],
  ["http://user@127.0.0.1/", "credentials"],
  ["not a url", "invalid_url"],
  ["http://[fe80::1%25eth0]/", "invalid_url"],
];

/** Loopback, private and public addresses stay allowed. */
const ALLOWED = [
  "http://127.0.0.1:8080",
  "http://127.1.2.3/",
  "http://localhost:8080/v1",
  "http://api.localhost/",
  "http://[::1]:8080/",
  "http://[::ffff:127.0.0.1]/",
  "http://10.0.0.5/",
  "http://172.16.0.1:8000/v1",
  "http://192.168.1.10/",
  "http://[fd12:3456::1]/",
  "http://[fd00:ec2::253]/",
  "http://100.64.0.1/",
  "http://169.253.255.255/",
  "http://169.255.0.1/",
  "http://8.8.8.8/",
  "https://[2001:db8::1]:443/v1",
];

Deno.test("base_url: every blocked spelling is refused by its rule", async () => {
  for (const [url, rule] of BLOCKED) {
    const verdict = await checkBaseUrl(url);
    assert.equal(verdict.ok, false, url);
    if (verdict.ok) continue;
    assert.equal(verdict.rule, rule, `${url}: ${verdict.message}`);
    assert.match(verdict.message, /^base_url .* is not allowed: /, url);
  }
});

Deno.test("base_url: loopback, private and public addresses are allowed", async () => {
  for (const url of ALLOWED) {
    const verdict = await checkBaseUrl(url);
    assert.equal(verdict.ok, true, `${url}: ${JSON.stringify(verdict)}`);
  }
});

Deno.test("base_url: messages say why and how an operator allows it", async () => {
  const metadata = await checkBaseUrl("http://0xa9.0xfe.0xa9.0xfe/");
  assert.ok(!metadata.ok);
  assert.match(metadata.message, /169\.254\.169\.254 is the cloud metadata/);
  assert.match(metadata.message, /TARGET_ALLOWED_HOSTS/);
  const mapped = await checkBaseUrl("http://[::ffff:169.254.1.1]/");
  assert.ok(!mapped.ok);
  assert.match(mapped.message, /an IPv6 form of 169\.254\.1\.1, a link-local/);
  // The allow-list cannot allow another scheme or credentials: no hint.
  const scheme = await checkBaseUrl("ftp://127.0.0.1/");
  assert.ok(!scheme.ok);
  assert.doesNotMatch(scheme.message, /TARGET_ALLOWED_HOSTS/);
  const credentials = await checkBaseUrl("http://a:b@127.0.0.1/");
  assert.ok(!credentials.ok);
  assert.match(credentials.message, /api_key_env/);
  assert.doesNotMatch(credentials.message, /secret|:b@/);
});

Deno.test("base_url: TARGET_ALLOWED_HOSTS allows hosts, addresses and CIDRs", async () => {
  const cases: [string[], string, boolean][] = [
    [["169.254.169.254"], "http://169.254.169.254/", true],
    [["169.254.169.254"], "http://2852039166/", true],
    [["169.254.169.254"], "http://[::ffff:169.254.169.254]/", true],
    [["169.254.169.254"], "http://169.254.169.253/", false],
    [["169.254.0.0/16"], "http://169.254.10.20:8080/", true],
    [["169.254.0.0/16"], "http://169.254.169.254/", true],
    [["fe80::/10"], "http://[fe80::1]/", true],
    [["fd00:ec2::254"], "http://[fd00:ec2::254]/", true],
    [["metadata.google.internal"], "http://metadata.google.internal/", true],
    [
      [" Metadata.Google.Internal. "],
      "http://metadata.google.internal./",
      true,
    ],
    [["10.0.0.0/8"], "http://169.254.169.254/", false],
    [["169.254.0.0/16"], "ftp://169.254.1.1/", false],
    [["127.0.0.1"], "http://user:pw@127.0.0.1/", false],
    [["not/a/cidr", "0.0.0.0/99"], "http://0.0.0.0/", false],
  ];
  for (const [allowedHosts, url, ok] of cases) {
    const verdict = await checkBaseUrl(url, { allowedHosts });
    assert.equal(verdict.ok, ok, `${allowedHosts} ${url}`);
  }
});

Deno.test("base_url: the address table on its own", () => {
  const table: [string, RegExp | null][] = [
    ["169.254.169.254", /cloud metadata/],
    ["100.100.100.200", /Alibaba/],
    ["192.0.0.192", /Oracle/],
    ["168.63.129.16", /Azure/],
    ["fd00:ec2::254", /AWS/],
    ["fd20:ce::254", /GCP/],
    ["169.254.0.1", /link-local/],
    ["fe80::abcd", /link-local/],
    ["0.1.2.3", /unspecified/],
    ["::", /unspecified/],
    ["::ffff:224.0.0.1", /multicast/],
    ["127.0.0.1", null],
    ["::1", null],
    ["10.1.2.3", null],
    ["fc00::1", null],
    ["not an address", null],
  ];
  for (const [address, reason] of table) {
    const got = blockedAddressReason(address);
    if (reason) assert.match(got ?? "", reason, address);
    else assert.equal(got, null, address);
  }
  assert.equal(blockedAddressReason("169.254.0.1", ["169.254.0.0/24"]), null);
  assert.match(
    blockedAddressReason("169.254.1.1", ["169.254.0.0/24"]) ?? "",
    /link-local/,
  );
});

/** A real DNS server on a UDP port that answers A and AAAA from `zone`. */
async function startDns(zone: Record<string, string[]>) {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((ok) => socket.bind(0, "127.0.0.1", () => ok()));
  socket.on("message", (query: Uint8Array, peer) => {
    let at = 12;
    const labels: string[] = [];
    while (query[at] !== 0) {
      const length = query[at];
      labels.push(
        new TextDecoder().decode(query.slice(at + 1, at + 1 + length)),
      );
      at += 1 + length;
    }
    const questionEnd = at + 5;
    const type = (query[at + 1] << 8) | query[at + 2];
    const name = labels.join(".").toLowerCase();
    const answers = (zone[name] ?? []).filter((a) =>
      type === 1 ? !a.includes(":") : type === 28 && a.includes(":")
    );
    const records = answers.map((address) => {
      const data = type === 1
        ? address.split(".").map(Number)
        : ipv6Bytes(address);
      return [0xc0, 12, 0, type, 0, 1, 0, 0, 0, 1, 0, data.length, ...data];
    });
    const header = [
      query[0],
      query[1],
      0x81,
      zone[name] ? 0x80 : 0x83,
      0,
      1,
      0,
      answers.length,
      0,
      0,
      0,
      0,
    ];
    const reply = Uint8Array.from([
      ...header,
      ...query.slice(12, questionEnd),
      ...records.flat(),
    ]);
    socket.send(reply, peer.port, peer.address);
  });
  return {
    nameServer: { ipAddr: "127.0.0.1", port: socket.address().port },
    close: () => new Promise<void>((ok) => socket.close(() => ok())),
  };
}

function ipv6Bytes(address: string): number[] {
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = [
    ...left,
    ...new Array(8 - left.length - right.length).fill("0"),
    ...right,
  ];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

Deno.test("base_url: a host name is blocked when any address it resolves to is", async () => {
  const dns = await startDns({
    "meta.test": ["169.254.169.254"],
    "six.test": ["fd00:ec2::254"],
    "mixed.test": ["10.0.0.1", "169.254.10.10"],
    "fine.test": ["127.0.0.1", "::1"],
  });
  try {
    const options = { nameServer: dns.nameServer };
    const meta = await checkBaseUrl("http://meta.test:8080/v1", options);
    assert.ok(!meta.ok);
    assert.equal(meta.rule, "metadata");
    assert.match(meta.message, /meta\.test resolves to 169\.254\.169\.254/);
    assert.match(meta.message, /"meta\.test".*TARGET_ALLOWED_HOSTS/);
    const six = await checkBaseUrl("http://six.test/", options);
    assert.ok(!six.ok);
    assert.match(six.message, /resolves to fd00:ec2::254/);
    const mixed = await checkBaseUrl("http://MIXED.test./", options);
    assert.ok(!mixed.ok);
    assert.equal(mixed.rule, "link_local");
    const fine = await checkBaseUrl("http://fine.test:8080/", options);
    assert.ok(fine.ok);
    assert.deepEqual([...fine.addresses].sort(), ["127.0.0.1", "::1"]);
    // A name that does not resolve is allowed: the request would fail
    // anyway, and the check runs again before every request.
    const nowhere = await checkBaseUrl("http://nowhere.test/", options);
    assert.ok(nowhere.ok);
    assert.deepEqual(nowhere.addresses, []);
    // The operator allows by name, or by the address's CIDR.
    for (const allowedHosts of [["meta.test"], ["169.254.169.254/32"]]) {
      const allowed = await checkBaseUrl("http://meta.test/", {
        ...options,
        allowedHosts,
      });
      assert.ok(allowed.ok, String(allowedHosts));
    }
    await assert.rejects(
      assertBaseUrlAllowed("http://meta.test/", options),
      BaseUrlBlockedError,
    );
    await assertBaseUrlAllowed("http://fine.test/", options);
  } finally {
    await dns.close();
  }
});

Deno.test("base_url: a target on a blocked URL answers infra_error and sends nothing", async () => {
  let requests = 0;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => {
      requests++;
      return Response.json({ error: "no" }, { status: 500 });
    },
  );
  const port = server.addr.port;
  const config = {
    name: "t",
    kind: "openai-compatible",
    model: "m",
    mode: "json_schema" as const,
    settings: {},
    params: {},
    apiKeyEnv: null,
  };
  const request = {
    schema: { type: "object" },
    messages: [{ role: "user" as const, content: "hi" }],
    mode: "json_schema" as const,
    params: { timeout_ms: 2000 },
    signal: AbortSignal.timeout(5000),
  };
  try {
    const open = createTarget(
      { ...config, baseUrl: `http://127.0.0.1:${port}/v1` },
      () => undefined,
    );
    await open.generate(request);
    assert.equal(requests, 1, "a loopback target reaches its server");
    for (
      const url of [
        `http://[::ffff:169.254.169.254]:${port}/v1`,
        `http://0.0.0.0:${port}/v1`,
      ]
    ) {
      const blocked = createTarget(
        { ...config, baseUrl: url },
        () => undefined,
      );
      const answer = await blocked.generate(request);
      assert.equal(answer.error?.kind, "infra_error");
      assert.equal(answer.error?.retryable, false);
      assert.match(answer.error?.message ?? "", /^no request made: base_url/);
      assert.match(answer.error?.message ?? "", /TARGET_ALLOWED_HOSTS/);
      await assert.rejects(blocked.describe(), BaseUrlBlockedError);
    }
    assert.equal(requests, 1, "no request left for a blocked target");
    const allowed = createTarget(
      { ...config, baseUrl: `http://0.0.0.0:${port}/v1` },
      () => undefined,
      { allowedHosts: ["0.0.0.0"] },
    );
    const answer = await allowed.generate(request);
    assert.notEqual(answer.error?.message?.startsWith("no request made"), true);
  } finally {
    await server.shutdown();
  }
});
