// The Node host: real process and OS facts, and CONFIG REWRITE on disk.

import * as os from "node:os";
import { rewriteConfigFile } from "./config-rewrite";
import type { Host } from "./host";

export const nodeHost: Host = {
  os: () => `${os.type()} ${os.release()} ${os.machine()}`,
  platform: () => process.platform,
  pid: () => process.pid,
  executable: () => process.argv[1] ?? process.execPath,
  cwd: () => process.cwd(),
  rssBytes: () => process.memoryUsage().rss,
  totalMemory: () => os.totalmem(),
  cpuUsage: () => process.cpuUsage(),
  rewriteConfig: (config, file) => rewriteConfigFile(config, file, process.cwd()),
};
