/**
 * The server as `deno task bench` runs it: exactly what `server/main.ts`
 * starts (through `server/boot.ts`, so it honours the same environment),
 * plus one Hono hello-world route, `GET /bench/hello`, in front of the
 * product's app. That route is the baseline of `leaderboard_rps_ratio`:
 * the same process, the same router, no work. The product app never has
 * it.
 *
 * @example
 * ```sh
 * PORT=8123 DATA_DIR=/tmp/bench-db deno run -A scripts/bench/server.ts
 * curl http://127.0.0.1:8123/bench/hello   # Hello, World!
 * ```
 * @module
 */
import { Hono } from "hono";
import { openServices, serveUntilSignal } from "../../server/boot.ts";
import { readEnvOrExit } from "../../server/env.ts";

/**
 * The hello-world route's path.
 *
 * @example
 * ```ts
 * declare const base: string; // the bench server, e.g. "http://127.0.0.1:8123"
 * await fetch(`${base}${HELLO_PATH}`); // "Hello, World!"
 * ```
 */
export const HELLO_PATH = "/bench/hello";

/**
 * Wraps an app with the hello-world route in front of it.
 *
 * @example
 * ```ts
 * import { type AppDeps, createApp } from "../../server/app.ts";
 * declare const deps: AppDeps;
 * const app = withHello(createApp(deps));
 * (await app.request("/bench/hello")).status; // 200
 * ```
 */
export function withHello(app: Hono): Hono {
  const outer = new Hono();
  outer.get(HELLO_PATH, (c) => c.text("Hello, World!"));
  outer.route("/", app);
  return outer;
}

if (import.meta.main) {
  await serveUntilSignal(
    await openServices(readEnvOrExit(), { wrapApp: withHello }),
  );
}
