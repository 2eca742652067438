// Configuration directives from redis.conf text or redis-server style
// command lines, applied to the config table. Platform-neutral: the file is
// read by the host.

import { type Config, findParam, normalize, splitArgs } from "./config";
import { logger } from "./log";

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
