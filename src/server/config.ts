// One table of configuration parameters behind CLI flags, redis.conf files
// and CONFIG GET/SET/REWRITE (Redis's config.c standardConfig table).
// Each parameter has a type that knows how to parse and format its values
// the way Redis does, a default, whether CONFIG SET may change it, and an
// optional apply function run after a change.

export type ParamType = "bool" | "int" | "memory" | "string" | "enum" | "save";

export interface Param {
  name: string;
  alias?: string;
  type: ParamType;
  default: string;
  mutable: boolean;
  /** Allowed values of an enum. */
  values?: readonly string[];
  min?: number;
  max?: number;
}

const bool = (name: string, def: "yes" | "no", mutable = true, alias?: string): Param => ({
  name,
  type: "bool",
  default: def,
  mutable,
  alias,
});
const int = (name: string, def: number, min: number, max: number, mutable = true, alias?: string): Param => ({
  name,
  type: "int",
  default: String(def),
  mutable,
  min,
  max,
  alias,
});
const mem = (name: string, def: string, mutable = true, alias?: string): Param => ({
  name,
  type: "memory",
  default: def,
  mutable,
  alias,
});
const str = (name: string, def: string, mutable = true): Param => ({ name, type: "string", default: def, mutable });
const enm = (name: string, def: string, values: readonly string[], mutable = true): Param => ({
  name,
  type: "enum",
  default: def,
  mutable,
  values,
});

const LONG_MAX = Number.MAX_SAFE_INTEGER;

export const PARAMS: readonly Param[] = [
  int("port", 6379, 0, 65535, false),
  str("bind", "* -::*", false),
  str("unixsocket", "", false),
  int("tcp-backlog", 511, 0, 2147483647, false),
  int("timeout", 0, 0, 2147483647),
  int("tcp-keepalive", 300, 0, 2147483647),
  int("databases", 16, 1, 2147483647, false),
  str("requirepass", ""),
  str("masterauth", ""),
  str("masteruser", ""),
  str("dir", "", true),
  str("dbfilename", "dump.rdb"),
  { name: "save", type: "save", default: "3600 1 300 100 60 10000", mutable: true },
  bool("rdbcompression", "yes"),
  bool("rdbchecksum", "yes"),
  bool("stop-writes-on-bgsave-error", "yes"),
  bool("appendonly", "no"),
  str("appendfilename", "appendonly.aof", false),
  str("appenddirname", "appendonlydir", false),
  enm("appendfsync", "everysec", ["always", "everysec", "no"]),
  bool("no-appendfsync-on-rewrite", "no"),
  int("auto-aof-rewrite-percentage", 100, 0, 2147483647),
  mem("auto-aof-rewrite-min-size", "67108864"),
  bool("aof-load-truncated", "yes"),
  bool("aof-use-rdb-preamble", "yes"),
  bool("aof-timestamp-enabled", "no"),
  mem("maxmemory", "0"),
  enm("maxmemory-policy", "noeviction", [
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "noeviction",
  ]),
  int("maxmemory-samples", 5, 1, 64),
  int("maxmemory-eviction-tenacity", 10, 0, 100),
  int("lfu-log-factor", 10, 0, 2147483647),
  int("lfu-decay-time", 1, 0, 2147483647),
  enm("loglevel", "notice", ["debug", "verbose", "notice", "warning"]),
  str("logfile", "", false),
  bool("daemonize", "no", false),
  str("pidfile", "", false),
  int("maxclients", 10000, 1, 2147483647),
  int("hz", 10, 0, 2147483647),
  bool("dynamic-hz", "yes"),
  bool("activerehashing", "yes"),
  bool("lazyfree-lazy-eviction", "no"),
  bool("lazyfree-lazy-expire", "no"),
  bool("lazyfree-lazy-server-del", "no"),
  bool("lazyfree-lazy-user-del", "no"),
  bool("lazyfree-lazy-user-flush", "no"),
  int("slowlog-log-slower-than", 10000, -1, LONG_MAX),
  int("slowlog-max-len", 128, 0, LONG_MAX),
  int("latency-monitor-threshold", 0, 0, LONG_MAX),
  mem("proto-max-bulk-len", "536870912"),
  mem("client-query-buffer-limit", "1073741824"),
  int("active-expire-effort", 1, 1, 10),
  str("notify-keyspace-events", ""),
  bool("protected-mode", "yes"),
  bool("replica-read-only", "yes", true, "slave-read-only"),
  bool("replica-serve-stale-data", "yes", true, "slave-serve-stale-data"),
  str("replicaof", "", false),
  mem("repl-backlog-size", "1048576"),
  int("repl-backlog-ttl", 3600, 0, 2147483647),
  int("repl-timeout", 60, 1, 2147483647),
  int("repl-ping-replica-period", 10, 1, 2147483647, true),
  bool("repl-diskless-sync", "yes"),
  int("repl-diskless-sync-delay", 5, 0, 2147483647),
  int("replica-priority", 100, 0, 2147483647, true, "slave-priority"),
  mem("hash-max-listpack-entries", "128", true, "hash-max-ziplist-entries"),
  mem("hash-max-listpack-value", "64", true, "hash-max-ziplist-value"),
  int("list-max-listpack-size", -2, -2147483648, 2147483647, true, "list-max-ziplist-size"),
  int("list-compress-depth", 0, 0, 2147483647),
  mem("set-max-intset-entries", "512"),
  mem("zset-max-listpack-entries", "128", true, "zset-max-ziplist-entries"),
  mem("zset-max-listpack-value", "64", true, "zset-max-ziplist-value"),
  bool("cluster-enabled", "no", false),
  str("cluster-config-file", "nodes.conf", false),
  int("cluster-node-timeout", 15000, 0, LONG_MAX),
  str("enable-debug-command", "no", false),
  enm("supervised", "no", ["upstart", "systemd", "auto", "no"], false),
  bool("always-show-logo", "no", false),
  bool("set-proc-title", "yes", false),
  bool("crash-log-enabled", "yes"),
  bool("io-threads-do-reads", "no", false),
  int("io-threads", 1, 1, 128, false),
];

const BY_NAME = new Map<string, Param>();
for (const p of PARAMS) {
  BY_NAME.set(p.name, p);
  if (p.alias) BY_NAME.set(p.alias, p);
}

export function findParam(name: string): Param | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Parses "1gb", "100mb", "64k" etc. like Redis's memtoull; null when invalid. */
export function parseMemory(s: string): number | null {
  const m = /^(-?\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? "b").toLowerCase();
  const mult: Record<string, number> = {
    b: 1,
    k: 1000,
    kb: 1024,
    m: 1000 * 1000,
    mb: 1024 * 1024,
    g: 1000 * 1000 * 1000,
    gb: 1024 * 1024 * 1024,
  };
  return n * mult[unit];
}

/** Validates and normalizes a value for a parameter; returns an error string or the canonical value. */
export function normalize(p: Param, raw: string): { value: string } | { error: string } {
  switch (p.type) {
    case "bool": {
      const v = raw.toLowerCase();
      if (v !== "yes" && v !== "no") return { error: "argument must be 'yes' or 'no'" };
      return { value: v };
    }
    case "int": {
      if (!/^-?\d+$/.test(raw)) return { error: "argument couldn't be parsed into an integer" };
      const n = Number(raw);
      if (n < (p.min ?? -Infinity) || n > (p.max ?? Infinity)) {
        return { error: `argument must be between ${p.min} and ${p.max} inclusive` };
      }
      return { value: String(n) };
    }
    case "memory": {
      const n = parseMemory(raw);
      if (n === null) return { error: "argument must be a memory value" };
      if (n < 0) return { error: "argument must be a memory value" };
      return { value: String(n) };
    }
    case "enum": {
      const v = raw.toLowerCase();
      if (!p.values?.includes(v)) return { error: `argument(s) must be one of the following: ${p.values?.join(", ")}` };
      return { value: v };
    }
    case "save": {
      const parts = raw.trim() === "" ? [] : raw.trim().split(/\s+/);
      if (parts.length % 2 !== 0 || parts.some((x) => !/^\d+$/.test(x))) return { error: "Invalid save parameters" };
      return { value: parts.join(" ") };
    }
    default:
      return { value: raw };
  }
}

/** The live configuration: current values by canonical name. */
export class Config {
  private readonly values = new Map<string, string>();
  /** Path of the config file the server started with, for CONFIG REWRITE. */
  file: string | null = null;
  private readonly listeners = new Map<string, ((value: string) => void)[]>();

  constructor() {
    for (const p of PARAMS) this.values.set(p.name, p.default);
  }

  get(name: string): string {
    const p = findParam(name);
    if (!p) throw new Error(`unknown config '${name}'`);
    return this.values.get(p.name) ?? "";
  }

  int(name: string): number {
    return Number(this.get(name));
  }

  bool(name: string): boolean {
    return this.get(name) === "yes";
  }

  /** Sets a value already validated by normalize(), then runs the parameter's listeners. */
  setValue(p: Param, value: string): void {
    this.values.set(p.name, value);
    for (const fn of this.listeners.get(p.name) ?? []) fn(value);
  }

  /** Sets from raw text (CLI, file); throws with Redis's wording on a bad value. */
  set(name: string, raw: string): void {
    const p = findParam(name);
    if (!p) throw new Error(`Bad directive or wrong number of arguments`);
    const r = normalize(p, raw);
    if ("error" in r) throw new Error(r.error);
    this.setValue(p, r.value);
  }

  onChange(name: string, fn: (value: string) => void): void {
    const p = findParam(name);
    if (!p) throw new Error(`unknown config '${name}'`);
    const list = this.listeners.get(p.name) ?? [];
    list.push(fn);
    this.listeners.set(p.name, list);
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}

/**
 * Splits a config line into arguments like Redis's sdssplitargs: spaces
 * separate, "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes,
 * 'single quotes' take only \'. Returns null on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (true) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) return out;
    let cur = "";
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      if (inDq) {
        if (i >= n) return null;
        if (line[i] === "\\" && line[i + 1] === "x" && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (line[i] === "\\" && i + 1 < n) {
          i++;
          const m: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };
          cur += m[line[i]] ?? line[i];
        } else if (line[i] === '"') {
          // A closing quote must be followed by a space or nothing.
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else if (inSq) {
        if (i >= n) return null;
        if (line[i] === "\\" && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (line[i] === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else if (i >= n || /\s/.test(line[i])) {
        done = true;
      } else if (line[i] === '"') {
        inDq = true;
      } else if (line[i] === "'") {
        inSq = true;
      } else {
        cur += line[i];
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /[0-9a-fA-F]/.test(ch);
}
