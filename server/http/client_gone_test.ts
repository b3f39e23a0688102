import assert from "node:assert/strict";
import net from "node:net";
import { createApp } from "../app.ts";
import { ADMIN_HEADERS, testEnv } from "../testing/api.ts";
import { dbTest } from "../testing/database.ts";
import { serveNode } from "./node_serve.ts";

dbTest(
  "a client that goes away mid-body is an info line, not a 500 with a stack",
  async (database) => {
    const env = testEnv();
    const server = await serveNode(createApp({ database, env }).fetch, {
      hostname: "127.0.0.1",
      port: 0,
      limits: env,
    });
    const lines: { level: string; text: string }[] = [];
    const { info, error } = console;
    console.info = (...args: unknown[]) =>
      lines.push({ level: "info", text: args.map(String).join(" ") });
    console.error = (...args: unknown[]) =>
      lines.push({ level: "error", text: args.map(String).join(" ") });
    try {
      const socket = net.connect({ host: "127.0.0.1", port: server.addr.port });
      socket.on("error", () => {});
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write(
        `POST /api/suites HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          `Authorization: ${ADMIN_HEADERS.authorization}\r\nContent-Length: 5000\r\n\r\n` +
          `{"name": "cut", "cases": [`,
      );
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      const deadline = Date.now() + 5000;
      while (!lines.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      console.info = info;
      console.error = error;
      await server.close();
    }
    assert.deepEqual(lines, [{
      level: "info",
      text: "POST /api/suites: the client went away mid-request",
    }]);
  },
);
