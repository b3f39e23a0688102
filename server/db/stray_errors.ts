/**
 * A database connection that drops (PostgreSQL restarted, the network cut)
 * can reject a promise inside the driver that no caller awaits, such as the
 * rollback of a transaction whose connection is gone, or throw from a
 * timer of its own (postgres.js writes a queued chunk on a socket that has
 * just closed: "Cannot read properties of null (reading 'write')").
 * Uncaught, that would end the process, though every query the server
 * itself awaits already reports the failure and is retried (leases make
 * that safe). This installs handlers that log such connection errors and
 * keep the process alive; any other unhandled rejection or exception still
 * ends it.
 *
 * @example
 * ```ts
 * import { survivePostgresDrops } from "./stray_errors.ts";
 * survivePostgresDrops("worker w1");
 * ```
 * @module
 */

const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

/**
 * Whether `error` is a dropped database connection.
 *
 * @example
 * ```ts
 * isConnectionDrop(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })); // true
 * ```
 */
export function isConnectionDrop(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === "string" && CONNECTION_CODES.has(e.code)) return true;
  return typeof e?.message === "string" &&
    /\b(ECONNRESET|ECONNREFUSED|EPIPE)\b|the database system is (shutting down|starting up)/
      .test(e.message);
}

/**
 * Whether an uncaught exception is the driver writing on a connection that
 * has just closed (thrown from its own timer, in postgres.js's
 * `connection.js`), not a bug of ours.
 *
 * @example
 * ```ts
 * isDriverWriteAfterClose(new TypeError("x is undefined")); // false
 * ```
 */
export function isDriverWriteAfterClose(error: unknown): boolean {
  return error instanceof TypeError &&
    /reading 'write'/.test(error.message) &&
    /postgres\/src\/connection\.js/.test(error.stack ?? "");
}

/**
 * Installs the handlers (once per process).
 *
 * @example
 * ```ts
 * survivePostgresDrops("server");
 * ```
 */
export function survivePostgresDrops(who: string): void {
  globalThis.addEventListener("unhandledrejection", (event) => {
    if (!isConnectionDrop(event.reason)) return;
    event.preventDefault();
    console.error(
      `${who}: database connection dropped: ${
        (event.reason as Error)?.message ?? event.reason
      }`,
    );
  });
  globalThis.addEventListener("error", (event) => {
    if (!isDriverWriteAfterClose(event.error)) return;
    event.preventDefault();
    console.error(
      `${who}: database connection dropped while the driver wrote to it`,
    );
  });
}
