/**
 * The Hugging Face hub's public roots, in one place for every importer that
 * reads the hub at run time: the hub itself (its API tells a dataset's
 * revision) and the dataset viewer's API (it serves the rows).
 *
 * @example
 * ```ts
 * import { DATASET_VIEWER_URL, HUB_URL } from "./hub_urls.ts";
 * `${HUB_URL}/api/datasets/epfl-dlab/JSONSchemaBench`;
 * `${DATASET_VIEWER_URL}/splits?dataset=epfl-dlab/JSONSchemaBench`;
 * ```
 * @module
 */

/**
 * The Hugging Face hub.
 *
 * @example
 * ```ts
 * await fetch(`${HUB_URL}/api/datasets/epfl-dlab/JSONSchemaBench`);
 * ```
 */
export const HUB_URL = "https://huggingface.co";

/**
 * The hub's dataset viewer API.
 *
 * @example
 * ```ts
 * await fetch(`${DATASET_VIEWER_URL}/rows?dataset=d&config=c&split=test&offset=0&length=100`);
 * ```
 */
export const DATASET_VIEWER_URL = "https://datasets-server.huggingface.co";
