/**
 * A database connection that drops (PostgreSQL restarted, the network cut)
 * can reject a promise inside the driver that no caller awaits, such as the
 * rollback of a transaction whose connection is gone. Uncaught, that would
 * end the process, though every query the server itself awaits already
 * reports the failure and is retried (leases make that safe). This installs
 * a handler that logs such connection errors and keeps the process alive;
 * any other unhandled rejection still ends it.
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
 * Installs the handler (once per process).
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
}
