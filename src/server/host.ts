// What the server needs from the platform it runs on: process and OS facts
// for INFO, the working directory, and config-file rewriting. The Node host
// (host-node.ts) fills it in; the embedded API in a browser gets the neutral
// defaults below, so command code never imports a platform module.

import type { Config } from "./config";

export interface Host {
  /** INFO server's `os:` line. */
  os(): string;
  platform(): string;
  pid(): number;
  executable(): string;
  cwd(): string;
  rssBytes(): number;
  totalMemory(): number;
  /** CPU time used, in microseconds. */
  cpuUsage(): { user: number; system: number };
  /** CONFIG REWRITE; absent where there is no file system. */
  rewriteConfig?(config: Config, file: string): void;
}

export const neutralHost: Host = {
  os: () => "unknown",
  platform: () => "unknown",
  pid: () => 0,
  executable: () => "",
  cwd: () => "/",
  rssBytes: () => 0,
  totalMemory: () => 0,
  cpuUsage: () => ({ user: 0, system: 0 }),
};
