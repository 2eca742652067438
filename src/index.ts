// Redish for Node: the embedded API with the engine loaded from the package,
// and the server for programs that want to listen on a port.

import { openRedish, type Redish, type RedishOptions } from "./embedded";
import { engineModule } from "./server/wasm-file";

export { type Arg, Redish, type Reply, ReplyError } from "./embedded";
export { type RunningServer, startServer } from "./server/main";

/** Opens an in-process Redish; options as openRedish's, with the engine found next to the package. */
export function createRedish(opts: Partial<RedishOptions> = {}): Promise<Redish> {
  return openRedish({ ...opts, wasm: opts.wasm ?? engineModule() });
}
