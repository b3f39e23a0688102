/**
 * `deno task test`: runs the whole test suite. When `TEST_DATABASE_URL` is
 * not set but PostgreSQL is installed, it starts a throwaway cluster for the
 * real-PostgreSQL leg and stops it afterwards; with neither, that leg is
 * skipped and says so. Extra arguments go to `deno test`.
 *
 * @example
 * ```sh
 * deno task test
 * deno task test --filter suites
 * ```
 * @module
 */
import {
  type Cluster,
  findPostgresBin,
  startCluster,
} from "./dev/pg_cluster.ts";

const env = Deno.env.toObject();
let cluster: Cluster | undefined;
if (!env.TEST_DATABASE_URL) {
  const bin = await findPostgresBin();
  if (bin) {
    cluster = await startCluster(bin);
    env.TEST_DATABASE_URL = cluster.url;
    console.log(
      `real-PostgreSQL leg: throwaway cluster from ${bin} on port ${cluster.port}`,
    );
  } else {
    console.log(
      "real-PostgreSQL leg SKIPPED: no TEST_DATABASE_URL and PostgreSQL is not installed",
    );
  }
} else {
  console.log("real-PostgreSQL leg: TEST_DATABASE_URL");
}

let code = 1;
try {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", ...Deno.args],
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const stop = () => child.kill("SIGTERM");
  Deno.addSignalListener("SIGINT", stop);
  code = (await child.status).code;
  Deno.removeSignalListener("SIGINT", stop);
} finally {
  await cluster?.stop();
}
Deno.exit(code);
