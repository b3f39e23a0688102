import assert from "node:assert/strict";
import net from "node:net";
import { type ServeLimits, serveNode } from "./node_serve.ts";

const LIMITS: ServeLimits = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 800,
  maxConnectionsPerClient: 3,
};

/** A raw connection from `from`: what it reads until the server closes it, and when. */
function connect(port: number, from: string, send: string) {
  const socket = net.connect({ host: "127.0.0.1", port, localAddress: from });
  const started = Date.now();
  let text = "";
  const opened = new Promise<void>((resolve) =>
    socket.once("connect", resolve)
  );
  const closed = new Promise<{ text: string; afterMs: number }>((resolve) => {
    socket.on(
      "data",
      (chunk: Uint8Array) => text += new TextDecoder().decode(chunk),
    );
    socket.on("error", () => {});
    socket.once(
      "close",
      () => resolve({ text, afterMs: Date.now() - started }),
    );
  });
  socket.write(send);
  return { socket, opened, closed };
}

async function withServer(fn: (port: number) => Promise<void>) {
  const server = await serveNode(
    async (request) => new Response(`read ${(await request.text()).length}`),
    { hostname: "127.0.0.1", port: 0, limits: LIMITS },
  );
  try {
    await fn(server.addr.port);
  } finally {
    await server.close();
  }
}

Deno.test("a connection that never finishes its headers is closed after the header timeout", async () => {
  await withServer(async (port) => {
    const slow = connect(port, "127.0.0.2", "GET / HTTP/1.1\r\nHost: x\r\n");
    const { text, afterMs } = await slow.closed;
    assert.match(text, /^HTTP\/1.1 408/);
    assert.ok(afterMs >= 250, `closed after ${afterMs} ms`);
    assert.ok(
      afterMs < LIMITS.requestTimeoutMs + 1500,
      `closed after ${afterMs} ms`,
    );
  });
});

Deno.test("a connection that stalls its body is closed after the request timeout", async () => {
  await withServer(async (port) => {
    const slow = connect(
      port,
      "127.0.0.3",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc",
    );
    const { text, afterMs } = await slow.closed;
    assert.match(text, /^HTTP\/1.1 408/);
    assert.ok(
      afterMs >= LIMITS.requestTimeoutMs - 50,
      `closed after ${afterMs} ms`,
    );
    // A whole request on time is answered.
    const ok = connect(
      port,
      "127.0.0.3",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
    );
    const answered = (await ok.closed).text;
    assert.match(
      answered,
      /^HTTP\/1.1 200[\s\S]*read 3/,
      JSON.stringify(answered),
    );
  });
});

Deno.test("one client address holds at most MAX_CONNECTIONS_PER_CLIENT connections", async () => {
  await withServer(async (port) => {
    const idle = Array.from(
      { length: 3 },
      () => connect(port, "127.0.0.4", ""),
    );
    await Promise.all(idle.map((c) => c.opened));
    await new Promise((r) => setTimeout(r, 50));
    // The fourth from the same address is closed at once, unanswered.
    const over = connect(
      port,
      "127.0.0.4",
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    const refused = await over.closed;
    assert.equal(refused.text, "");
    assert.ok(refused.afterMs < 250, `closed after ${refused.afterMs} ms`);
    // Another address is served meanwhile.
    const other = connect(
      port,
      "127.0.0.5",
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert.match((await other.closed).text, /^HTTP\/1.1 200/);
    for (const c of idle) c.socket.destroy();
  });
});

Deno.test("an event stream is sent as it comes; a whole body goes out with its length", async () => {
  let tick: ReadableStreamDefaultController<Uint8Array> | undefined;
  const server = await serveNode((request) => {
    if (new URL(request.url).pathname === "/page") {
      return new Response("<p>whole</p>", {
        headers: { "content-type": "text/html" },
      });
    }
    return new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          tick = controller;
          controller.enqueue(
            new TextEncoder().encode("event: progress\ndata: 1\n\n"),
          );
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  }, { hostname: "127.0.0.1", port: 0, limits: LIMITS });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const page = await fetch(`${base}/page`);
    assert.equal(page.headers.get("content-length"), "12");
    assert.equal(await page.text(), "<p>whole</p>");
    const events = await fetch(`${base}/events`);
    const reader = events.body!.getReader();
    // The first event arrives while the stream is still open.
    const first = await reader.read();
    assert.match(new TextDecoder().decode(first.value), /data: 1/);
    tick!.enqueue(new TextEncoder().encode("data: 2\n\n"));
    const second = await reader.read();
    assert.match(new TextDecoder().decode(second.value), /data: 2/);
    await reader.cancel();
  } finally {
    await server.close();
  }
});
