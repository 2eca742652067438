// Starting and stopping a server: used by the CLI and, in-process, by tests.

import { readFileSync } from "node:fs";
import { Engine } from "../engine/engine";
import { Config } from "./config";
import { applyDirectives, type Directive, parseConfigText } from "./directives";
import { nodeHost } from "./host-node";
import { Listener } from "./listener";
import { logger } from "./log";
import { Server } from "./server";
import { engineModule } from "./wasm-file";
import { attachAof } from "../persistence/aof-setup";
import { attachRdb } from "../persistence/save";

export { ConfigError, type Directive, parseCommandLine } from "./directives";

export interface RunningServer {
  server: Server;
  listener: Listener;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Directives applied over the defaults (and over a config file when given). */
  directives?: Directive[];
  configFile?: string | null;
  /** Log lines to stdout (CLI) or drop them (tests). */
  quiet?: boolean;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const config = new Config();
  if (opts.configFile) {
    config.file = opts.configFile;
    applyDirectives(config, parseConfigText(readFileSync(opts.configFile, "utf8")));
  }
  applyDirectives(config, opts.directives ?? []);
  if (opts.quiet) logger.sink = () => {};
  logger.level = config.get("loglevel") as typeof logger.level;
  config.onChange("loglevel", (v) => {
    logger.level = v as typeof logger.level;
  });
  if (config.get("dir") !== "") process.chdir(config.get("dir"));

  const engine = Engine.fromModule(engineModule(), config.int("databases"));
  const server = new Server(engine, config);
  server.host = nodeHost;
  const rdb = attachRdb(server);
  const aofLoaded = attachAof(server, {
    snapshot: (_server, file) => rdb.snapshotTo(file, true),
    loadRdb: (_server, file) => rdb.loadAofBase(file),
  });
  if (!aofLoaded) rdb.loadAtStartup();
  const listener = new Listener(server);
  const hosts = bindAddresses(config.get("bind"));
  for (const host of hosts) await listener.listen({ port: listener.port || config.int("port"), host });
  server.shutdownHooks.push(() => listener.close());
  server.startCron();
  logger.notice(`Server initialized`);
  logger.notice(`Ready to accept connections tcp`);
  let closed = false;
  return {
    server,
    listener,
    port: listener.port,
    async close() {
      if (closed) return;
      closed = true;
      server.stopCron();
      rdb.close();
      await listener.close();
    },
  };
}

/** Redis's default `bind * -::*` means all interfaces; a leading '-' marks an optional address. */
function bindAddresses(bind: string): string[] {
  const out: string[] = [];
  for (const raw of bind.split(/\s+/).filter((x) => x !== "")) {
    const addr = raw.startsWith("-") ? raw.slice(1) : raw;
    if (addr === "*") out.push("0.0.0.0");
    else if (addr === "::*") continue;
    else out.push(addr);
  }
  return out.length > 0 ? [...new Set(out)] : ["0.0.0.0"];
}
