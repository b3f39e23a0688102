/**
 * `deno task llama`: a local llama-server (Debian's llama.cpp, extracted by
 * `scripts/dev/setup_llama_server.sh`, run first when missing) serving the
 * project's tiny random-weight model (`--model tiny`, the default) or its
 * closed-form bigram model (`--model bigram`, for distortion runs), until
 * Ctrl-C.
 *
 * @example
 * ```sh
 * deno task llama --port 8091 --slots 4
 * deno task llama --model bigram
 * ```
 * @module
 */
import {
  llamaServerPaths,
  startLlamaServer,
} from "../../evaluators/targets/testing/llama_server.ts";
import { exitOnHelp } from "../../server/cli_help.ts";

const REPO = decodeURIComponent(new URL("../../", import.meta.url).pathname)
  .replace(/\/$/, "");

const MODELS = ["tiny", "bigram"];

function parseArgs(
  args: string[],
): { numbers: Record<string, number>; model: string } {
  const out: Record<string, number> = {};
  let model = "tiny";
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, "");
    if (name === "model" && MODELS.includes(args[i + 1])) {
      model = args[i + 1];
      continue;
    }
    const value = Number(args[i + 1]);
    if (
      !["port", "slots", "ctx", "threads", "seed"].includes(name) ||
      !Number.isInteger(value) || value < 0
    ) {
      console.error(
        "usage: deno task llama [--model tiny|bigram] [--port N] [--slots N] [--ctx N_PER_SLOT] [--threads N] [--seed N]",
      );
      Deno.exit(2);
    }
    out[name] = value;
  }
  return { numbers: out, model };
}

if (import.meta.main) {
  exitOnHelp(
    `usage: deno task llama [--model tiny|bigram] [--port N] [--slots N] [--ctx N_PER_SLOT] [--threads N] [--seed N]

A local llama-server serving the project's tiny random-weight model (tiny,
the default) or its closed-form bigram model (bigram, for distortion runs).`,
  );
  const { numbers: args, model } = parseArgs(Deno.args);
  if (!await llamaServerPaths()) {
    console.log("llama-server is not set up yet: running the setup script");
    const setup = await new Deno.Command("bash", {
      args: [`${REPO}/scripts/dev/setup_llama_server.sh`],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!setup.success) Deno.exit(setup.code || 1);
  }
  const options = {
    model,
    port: args.port,
    slots: args.slots,
    ctxPerSlot: args.ctx,
    threads: args.threads,
    seed: args.seed,
  };
  const started = Date.now();
  let server = await startLlamaServer(options);
  console.log(`llama-server ${server.buildInfo} at ${server.url}`);
  console.log(
    `healthy after ${Date.now() - started} ms; log: ${server.logPath}`,
  );
  console.log(
    "Ctrl-C stops it. If it dies (llama.cpp can crash on a schema), it is started again.",
  );
  let stopping = false;
  const { promise, resolve } = Promise.withResolvers<void>();
  const stop = () => {
    stopping = true;
    resolve();
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  // Supervise: a server that stops answering /health twice in a row
  // is replaced on the same port, as a service manager would.
  (async () => {
    let misses = 0;
    while (!stopping) {
      await new Promise((r) => setTimeout(r, 250));
      if (stopping) break;
      const alive = await fetch(`${server.url}/health`, {
        signal: AbortSignal.timeout(5000),
      })
        .then(async (r) => (await r.body?.cancel(), true)).catch(() => false);
      misses = alive ? 0 : misses + 1;
      if (misses < 2 || stopping) continue;
      console.log(
        `${
          new Date().toISOString()
        } llama-server stopped answering (see ${server.logPath}); starting it again`,
      );
      await server.stop().catch(() => {});
      server = await startLlamaServer({ ...options, port: server.port });
      misses = 0;
    }
  })();
  await promise;
  await server.stop();
  console.log("stopped");
  Deno.exit(0);
}
