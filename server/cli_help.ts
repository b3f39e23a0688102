/**
 * `--help` (or `-h`) for every command of the README's task table: prints
 * the command's usage on stdout and exits 0 before anything else happens
 * (no database opened, no server started, no work done). The one exit
 * convention of the CLIs: 0 ok, 1 a failure or a failed threshold, 2 a
 * usage error or an unreachable engine or server, 130 on Ctrl-C.
 *
 * @example
 * ```ts
 * import { exitOnHelp } from "./cli_help.ts";
 * exitOnHelp("usage: deno task start (configured by the environment)");
 * ```
 * @module
 */

/**
 * Whether `args` asks for help.
 *
 * @example
 * ```ts
 * wantsHelp(["--limit", "3", "-h"]); // true
 * ```
 */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}

/**
 * Prints `usage` and exits 0 when `args` (default: the process's) asks for
 * help; returns otherwise.
 *
 * @example
 * ```ts
 * exitOnHelp("usage: deno task worker", ["--help"]); // prints, exits 0
 * ```
 */
export function exitOnHelp(
  usage: string,
  args: readonly string[] = Deno.args,
): void {
  if (!wantsHelp(args)) return;
  console.log(usage);
  Deno.exit(0);
}
