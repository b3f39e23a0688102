/**
 * The validator's version: bumped by every change that can change a
 * verdict (or the keywords and draft derived from a schema). Every run
 * records the version that judged it; the board, ranks, drift flags and
 * compare set side by side only runs of one version, and stored cases'
 * derived columns are recomputed at start-up when theirs is older.
 *
 * History: 1, before issue 16; 2, issue 16 (declared mode follows each
 * draft's text, exact numbers, `jsb` as the paper's harness).
 *
 * @example
 * ```ts
 * import { VALIDATOR_VERSION } from "./version.ts";
 * console.log(`validator v${VALIDATOR_VERSION}`);
 * ```
 * @module
 */

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * VALIDATOR_VERSION >= 2; // true
 * ```
 */
export const VALIDATOR_VERSION = 2;
