// Redish for browsers (and any runtime without a file system): the engine's
// WASM is embedded in the bundle.

import wasm from "../build/redish.wasm";
import { openRedish, type Redish, type RedishOptions } from "./embedded";

export { type Arg, Redish, type Reply, ReplyError } from "./embedded";

export function createRedish(opts: Partial<RedishOptions> = {}): Promise<Redish> {
  return openRedish({ ...opts, wasm: opts.wasm ?? wasm });
}
