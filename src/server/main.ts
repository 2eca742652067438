// Starting and stopping a server: used by the CLI and, in-process, by tests.

import { readFileSync } from "node:fs";
import { Engine } from "../engine/engine";
import { Config, findParam, normalize, splitArgs } from "./config";
import { Listener } from "./listener";
import { logger } from "./log";
import { Server } from "./server";
import { engineModule } from "./wasm-file";

export interface RunningServer {
  server: Server;
  listener: Listener;
  port: number;
  close(): Promise<void>;
}

/** A directive: name and arguments, from a config file line or CLI flags. */
export type Directive = string[];

export class ConfigError extends Error {}

/** Applies directives to a config, the way redis-server reads redis.conf. */
export function applyDirectives(config: Config, directives: readonly Directive[]): void {
  let saveSeen = false;
  for (const [rawName, ...args] of directives) {
    const name = rawName.toLowerCase();
    const p = findParam(name);
    if (p === undefined) {
      logger.warning(`Ignoring unsupported config directive '${rawName}'`);
      continue;
    }
    let value: string;
    if (p.type === "save") {
      // The first `save` replaces the defaults; later ones add points; `save ""` clears.
      const points = args.filter((a) => a !== "").join(" ");
      value = saveSeen && points !== "" ? `${config.get("save")} ${points}`.trim() : points;
      saveSeen = true;
    } else if (p.name === "bind") {
      value = args.join(" ");
    } else {
      if (args.length !== 1) throw new ConfigError(`'${rawName}' Bad directive or wrong number of arguments`);
      value = args[0];
    }
    const r = normalize(p, value);
    if ("error" in r) throw new ConfigError(`'${rawName} ${args.join(" ")}' ${r.error}`);
    config.setValue(p, r.value);
  }
}

/** Parses redis.conf text into directives. */
export function parseConfigText(text: string): Directive[] {
  const out: Directive[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const args = splitArgs(line);
    if (args === null) throw new ConfigError(`line ${i + 1}: Unbalanced quotes in configuration line`);
    if (args.length > 0) out.push(args);
  }
  return out;
}

/**
 * redis-server's command line: an optional config file, then `--name value
 * [value ...]` options (Redis joins the values after a flag until the next
 * `--`).
 */
export function parseCommandLine(argv: readonly string[]): { file: string | null; directives: Directive[] } {
  let i = 0;
  let file: string | null = null;
  if (argv.length > 0 && !argv[0].startsWith("--")) {
    file = argv[0];
    i = 1;
  }
  const directives: Directive[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new ConfigError(`Invalid argument '${a}'`);
    const d: Directive = [a.slice(2)];
    while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) d.push(argv[++i]);
    // `--save ""` arrives as one empty argument; `--save "900 1"` as one spaced argument.
    if (d.length === 2 && d[1].includes(" ")) d.splice(1, 1, ...d[1].split(/\s+/).filter((x) => x !== ""));
    if (d.length === 1) d.push("");
    directives.push(d);
  }
  return { file, directives };
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
