// One table of configuration parameters behind CLI flags, redis.conf files
// and CONFIG GET/SET/REWRITE (Redis's config.c standardConfig table).
// Each parameter has a type that knows how to parse and format its values
// the way Redis does, a default, whether CONFIG SET may change it, and
// listeners run after a change (Config.onChange).
//
// Values are kept as the canonical text CONFIG GET replies with: memory
// sizes in bytes, enums and booleans lower-cased, save points as
// "3600 1 300 100 60 10000".

export type ParamType = "bool" | "int" | "memory" | "string" | "enum" | "save" | "special";

export interface Param {
  name: string;
  /** The pre-7.0 name ("slave-read-only"); CONFIG GET patterns list both. */
  alias?: string;
  type: ParamType;
  default: string;
  /** CONFIG SET may change it (Redis's MODIFIABLE_CONFIG). */
  mutable: boolean;
  /** CONFIG SET refused unless enable-protected-configs allows it. */
  protected?: boolean;
  /** Redacted in SLOWLOG and MONITOR when given to CONFIG SET. */
  sensitive?: boolean;
  /** Allowed values of an enum, in Redis's order (its error lists them so). */
  values?: readonly string[];
  /** An enum of flags: several values separated by spaces. */
  multiValue?: boolean;
  min?: bigint;
  max?: bigint;
  /** Memory values above LLONG_MAX are valid (unsigned long long configs). */
  unsigned?: boolean;
  /** Memory or "N%" (maxmemory-clients). */
  percent?: boolean;
  /** Takes several words in a config file line (save, bind, client-output-buffer-limit...). */
  multiArg?: boolean;
  /** Validates and canonicalizes a string or special value. */
  parse?: (raw: string) => Parsed;
}

export type Parsed = { value: string } | { error: string };

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LLONG_MIN = -9223372036854775808n;
const LLONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

interface Opts {
  alias?: string;
  immutable?: boolean;
  protected?: boolean;
  sensitive?: boolean;
  parse?: (raw: string) => Parsed;
  multiArg?: boolean;
}

function param(name: string, type: ParamType, def: string, o: Opts = {}): Param {
  return {
    name,
    type,
    default: def,
    mutable: !o.immutable,
    alias: o.alias,
    protected: o.protected,
    sensitive: o.sensitive,
    parse: o.parse,
    multiArg: o.multiArg,
  };
}

const bool = (name: string, def: "yes" | "no", o?: Opts): Param => param(name, "bool", def, o);
const str = (name: string, def: string, o?: Opts): Param => param(name, "string", def, o);
const int = (name: string, def: number, min: bigint, max: bigint, o?: Opts): Param => ({
  ...param(name, "int", String(def), o),
  min,
  max,
});
const mem = (name: string, def: string, min: bigint, max: bigint, o?: Opts & { percent?: boolean }): Param => ({
  ...param(name, "memory", def, o),
  min,
  max,
  unsigned: max > LLONG_MAX,
  percent: o?.percent,
});
const enm = (name: string, def: string, values: readonly string[], o?: Opts & { multiValue?: boolean }): Param => ({
  ...param(name, "enum", def, o),
  values,
  multiValue: o?.multiValue,
});
const special = (name: string, def: string, parse: (raw: string) => Parsed, o?: Opts): Param =>
  param(name, "special", def, { multiArg: true, ...o, parse });

const YES_NO_LOCAL = ["no", "yes", "local"];
const SHUTDOWN_FLAGS = ["default", "save", "nosave", "now", "force"];
const POLICIES = [
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "noeviction",
];
const FACILITIES = ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"];

const IMM: Opts = { immutable: true };

// ── Value parsers ───────────────────────────────────────────────────────────

/** Redis's string2ll: optional '-', no '+', no leading zeros, no spaces, within i64. */
export function parseI64(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  return v < LLONG_MIN || v > LLONG_MAX ? null : v;
}

const UNITS: Record<string, bigint> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * Redis's memtoull: digits then an optional unit (k, kb, m, mb, g, gb, any
 * case); no sign. strtoull clamps an overflowing number and the multiply
 * wraps at 64 bits, as in C. An empty number is 0.
 */
export function parseMemoryU64(s: string): bigint | null {
  const m = /^([0-9]*)([a-zA-Z]*)$/.exec(s);
  if (m === null) return null;
  const mul = UNITS[m[2].toLowerCase()];
  if (mul === undefined || m[1].length >= 128) return null;
  let n = m[1] === "" ? 0n : BigInt(m[1]);
  if (n > ULLONG_MAX) n = ULLONG_MAX;
  return (n * mul) & ULLONG_MAX;
}

/** Parses "1gb", "100mb", "64k" etc. like Redis's memtoull; null when invalid. */
export function parseMemory(s: string): number | null {
  const v = parseMemoryU64(s);
  return v === null ? null : Number(v);
}

function inRange(p: Param, v: bigint): Parsed {
  const min = p.min ?? LLONG_MIN;
  const max = p.max ?? LLONG_MAX;
  if (v < min || v > max) return { error: `argument must be between ${min} and ${max} inclusive` };
  return { value: String(v) };
}

function parseIntParam(p: Param, raw: string): Parsed {
  const v = parseI64(raw);
  if (v === null) return { error: "argument couldn't be parsed into an integer" };
  return inRange(p, v);
}

function parseMemoryParam(p: Param, raw: string): Parsed {
  const pctError = "argument must be a memory or percent value";
  if (p.percent && raw.length > 1 && raw.endsWith("%")) {
    const pct = parseI64(raw.slice(0, -1));
    if (pct === null || pct < 0n) return { error: pctError };
    if (pct > 100n) return { error: "percentage argument must be less or equal to 100" };
    return { value: `${pct}%` };
  }
  const u = parseMemoryU64(raw);
  if (u === null) return { error: p.percent ? pctError : "argument must be a memory value" };
  // Signed configs see the 64-bit value as a long long, so huge values turn negative.
  return inRange(p, p.unsigned || u <= LLONG_MAX ? u : u - (ULLONG_MAX + 1n));
}

function parseEnum(p: Param, raw: string): Parsed {
  const values = p.values ?? [];
  const words = p.multiValue ? raw.split(" ").filter((w) => w !== "") : [raw];
  const chosen = new Set<string>();
  for (const w of words) {
    const v = w.toLowerCase();
    if (!values.includes(v)) return { error: `argument(s) must be one of the following: ${values.join(", ")}` };
    chosen.add(v);
  }
  if (words.length === 0) return { error: `argument(s) must be one of the following: ${values.join(", ")}` };
  // A flags enum lists its set flags in table order; the zero flag only alone.
  const set = values.filter((v) => chosen.has(v) && (v !== values[0] || chosen.size === 1));
  return { value: set.join(" ") };
}

/** `save <seconds> <changes> [...]`: seconds >= 1, changes >= 0, as strtoll reads them. */
function parseSave(raw: string): Parsed {
  const args = splitArgs(raw);
  if (args === null) return { error: "Invalid save parameters" };
  const parts = args.length === 1 && args[0] === "" ? [] : args;
  if (parts.length % 2 !== 0) return { error: "Invalid save parameters" };
  const out: string[] = [];
  for (let j = 0; j < parts.length; j++) {
    const m = /^\s*([+-]?\d+)$/.exec(parts[j]);
    const v = m === null ? null : Number(m[1]);
    if (v === null || (j % 2 === 0 && v < 1) || (j % 2 === 1 && v < 0)) return { error: "Invalid save parameters" };
    out.push(String(v));
  }
  return { value: out.join(" ") };
}

const KEYSPACE_EVENT_ORDER = "g$lshzxetdn";

/** notify-keyspace-events: Redis's flag letters, shown back in its canonical order. */
function parseKeyspaceEvents(raw: string): Parsed {
  const flags = new Set<string>();
  for (const ch of raw) {
    if (ch === "A") for (const f of "g$lshzxetd") flags.add(f);
    else if ("g$lshzxeKEtmdn".includes(ch)) flags.add(ch);
    else return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  }
  let out = [..."g$lshzxetd"].every((f) => flags.has(f))
    ? `A${flags.has("n") ? "n" : ""}`
    : [...KEYSPACE_EVENT_ORDER].filter((f) => flags.has(f)).join("");
  for (const f of "KEm") if (flags.has(f)) out += f;
  return { value: out };
}

const TITLE_VARS = new Set(["title", "listen-addr", "server-mode", "port", "tls-port", "unixsocket", "config-file"]);

function parseProcTitleTemplate(raw: string): Parsed {
  const bad = { error: "template format is invalid or contains unknown variables" };
  for (const m of raw.matchAll(/\{([^{}]*)\}/g)) if (!TITLE_VARS.has(m[1])) return bad;
  if (!raw.includes("{title}") || raw.replace(/\{[^{}]*\}/g, "").match(/[{}]/)) return bad;
  return { value: raw };
}

const CLIENT_CLASSES = ["normal", "slave", "pubsub"];

/** client-output-buffer-limit <class> <hard> <soft> <seconds> [...]; classes not named keep their limits. */
function parseClientOutputBufferLimit(raw: string, current = PARAM_DEFAULTS.cobl): Parsed {
  const args = splitArgs(raw) ?? [];
  if (args.length === 0 || args.length % 4 !== 0) {
    return { error: "Wrong number of arguments in buffer limit configuration." };
  }
  const limits = new Map<string, string>();
  const words = current.split(" ");
  for (let i = 0; i < words.length; i += 4) limits.set(words[i], words.slice(i + 1, i + 4).join(" "));
  for (let i = 0; i < args.length; i += 4) {
    let cls = args[i].toLowerCase();
    if (cls === "replica") cls = "slave";
    if (!CLIENT_CLASSES.includes(cls)) {
      return { error: "Invalid client class specified in buffer limit configuration." };
    }
    const hard = parseMemoryU64(args[i + 1]);
    const soft = parseMemoryU64(args[i + 2]);
    const secs = /^-?\d+$/.test(args[i + 3]) ? BigInt(args[i + 3]) : null;
    if (hard === null || soft === null || secs === null || secs < 0n) {
      return { error: "Error in hard, soft or soft_seconds setting in buffer limit configuration." };
    }
    limits.set(cls, `${hard} ${soft} ${secs}`);
  }
  return { value: CLIENT_CLASSES.map((c) => `${c} ${limits.get(c)}`).join(" ") };
}

function parseOomScoreAdjValues(raw: string): Parsed {
  const args = splitArgs(raw) ?? [];
  if (args.length !== 3) return { error: "wrong number of arguments" };
  const out: number[] = [];
  for (const a of args) {
    const v = parseI64(a);
    if (v === null || v < -2000n || v > 2000n) {
      return { error: "Invalid oom-score-adj-values, elements must be between -2000 and 2000." };
    }
    out.push(Number(v));
  }
  return { value: out.join(" ") };
}

function parsePercentiles(raw: string): Parsed {
  const args = splitArgs(raw) ?? [];
  const list = args.length === 1 && args[0] === "" ? [] : args;
  const out: string[] = [];
  for (const a of list) {
    const v = Number(a);
    if (a.trim() === "" || Number.isNaN(v)) return { error: "Invalid latency-tracking-info-percentiles parameters" };
    if (v < 0 || v > 100) {
      return { error: "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]" };
    }
    out.push(String(v));
  }
  return { value: out.join(" ") };
}

function parseBind(raw: string): Parsed {
  const args = splitArgs(raw) ?? [];
  const list = args.length === 1 && args[0] === "" ? [] : args;
  if (list.length > 16) return { error: "Too many bind addresses specified." };
  return { value: list.join(" ") };
}

/** replicaof <host> <port> | no one. */
function parseReplicaOf(raw: string): Parsed {
  const args = splitArgs(raw) ?? [];
  if (args.length === 1 && args[0] === "") return { value: "" };
  if (args.length !== 2) return { error: "wrong number of arguments" };
  if (args[0].toLowerCase() === "no" && args[1].toLowerCase() === "one") return { value: "" };
  const port = parseI64(args[1]);
  if (port === null || port < 0n || port > 65535n) return { error: "Invalid master port" };
  return { value: `${args[0]} ${port}` };
}

/** unixsocketperm is written in octal. */
function parseOctal(raw: string): Parsed {
  if (!/^[0-7]+$/.test(raw)) return { error: "Invalid socket file permissions" };
  return { value: Number.parseInt(raw, 8).toString(8) };
}

const PARAM_DEFAULTS = { cobl: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60" };

/** Validates and canonicalizes a value for a parameter (CONFIG SET, CLI flags, config files). */
export function normalize(p: Param, raw: string, current?: string): Parsed {
  switch (p.type) {
    case "bool": {
      const v = raw.toLowerCase();
      if (v !== "yes" && v !== "no") return { error: "argument must be 'yes' or 'no'" };
      return { value: v };
    }
    case "int":
      return parseIntParam(p, raw);
    case "memory":
      return parseMemoryParam(p, raw);
    case "enum":
      return parseEnum(p, raw);
    case "save":
      return parseSave(raw);
    default:
      if (p.name === "client-output-buffer-limit") return parseClientOutputBufferLimit(raw, current);
      return p.parse ? p.parse(raw) : { value: raw };
  }
}

export const PARAMS: readonly Param[] = [
  special("bind", "* -::*", parseBind),
  int("port", 6379, 0n, 65535n),
  int("tls-port", 0, 0n, 65535n),
  int("cluster-port", 0, 0n, 65535n, IMM),
  str("unixsocket", "", IMM),
  str("logfile", "", IMM),
  str("dir", "", { protected: true }),
  str("requirepass", "", { sensitive: true }),
  special("replicaof", "", parseReplicaOf, { immutable: true, alias: "slaveof" }),
  enm("acl-pubsub-default", "resetchannels", ["allchannels", "resetchannels"]),
  str("aclfile", "", IMM),
  int("acllog-max-len", 128, 0n, LLONG_MAX),
  int("active-defrag-cycle-max", 25, 1n, 99n),
  int("active-defrag-cycle-min", 1, 1n, 99n),
  mem("active-defrag-ignore-bytes", "104857600", 1n, LLONG_MAX),
  int("active-defrag-max-scan-fields", 1000, 1n, LLONG_MAX),
  int("active-defrag-threshold-lower", 10, 0n, 1000n),
  int("active-defrag-threshold-upper", 100, 0n, 1000n),
  int("active-expire-effort", 1, 1n, 10n),
  bool("activedefrag", "no"),
  bool("activerehashing", "yes"),
  bool("always-show-logo", "no", IMM),
  bool("aof-disable-auto-gc", "no"),
  bool("aof-load-truncated", "yes"),
  bool("aof-rewrite-incremental-fsync", "yes"),
  bool("aof-timestamp-enabled", "no"),
  bool("aof-use-rdb-preamble", "yes"),
  str("aof_rewrite_cpulist", "", IMM),
  str("appenddirname", "appendonlydir", IMM),
  str("appendfilename", "appendonly.aof", IMM),
  enm("appendfsync", "everysec", ["everysec", "always", "no"]),
  bool("appendonly", "no"),
  mem("auto-aof-rewrite-min-size", "67108864", 0n, LLONG_MAX),
  int("auto-aof-rewrite-percentage", 100, 0n, INT_MAX),
  str("bgsave_cpulist", "", IMM),
  str("bind-source-addr", ""),
  str("bio_cpulist", "", IMM),
  int("busy-reply-threshold", 5000, 0n, LLONG_MAX, { alias: "lua-time-limit" }),
  special(
    "client-output-buffer-limit",
    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    parseClientOutputBufferLimit,
  ),
  mem("client-query-buffer-limit", "1073741824", 1048576n, LLONG_MAX),
  bool("cluster-allow-pubsubshard-when-down", "yes"),
  bool("cluster-allow-reads-when-down", "no"),
  bool("cluster-allow-replica-migration", "yes"),
  int("cluster-announce-bus-port", 0, 0n, 65535n),
  str("cluster-announce-hostname", ""),
  str("cluster-announce-ip", ""),
  int("cluster-announce-port", 0, 0n, 65535n),
  int("cluster-announce-tls-port", 0, 0n, 65535n),
  str("cluster-config-file", "nodes.conf", IMM),
  bool("cluster-enabled", "no", IMM),
  mem("cluster-link-sendbuf-limit", "0", 0n, ULLONG_MAX),
  int("cluster-migration-barrier", 1, 0n, INT_MAX),
  int("cluster-node-timeout", 15000, 0n, LLONG_MAX),
  enm("cluster-preferred-endpoint-type", "ip", ["ip", "hostname", "unknown-endpoint"]),
  bool("cluster-replica-no-failover", "no", { alias: "cluster-slave-no-failover" }),
  int("cluster-replica-validity-factor", 10, 0n, INT_MAX, { alias: "cluster-slave-validity-factor" }),
  bool("cluster-require-full-coverage", "yes"),
  bool("crash-log-enabled", "yes"),
  bool("crash-memcheck-enabled", "yes"),
  bool("daemonize", "no", IMM),
  int("databases", 16, 1n, INT_MAX, IMM),
  str("dbfilename", "dump.rdb", { protected: true }),
  bool("disable-thp", "yes", IMM),
  bool("dynamic-hz", "yes"),
  enm("enable-debug-command", "no", YES_NO_LOCAL, IMM),
  enm("enable-module-command", "no", YES_NO_LOCAL, IMM),
  enm("enable-protected-configs", "no", YES_NO_LOCAL, IMM),
  int("hash-max-listpack-entries", 512, 0n, LLONG_MAX, { alias: "hash-max-ziplist-entries" }),
  mem("hash-max-listpack-value", "64", 0n, LLONG_MAX, { alias: "hash-max-ziplist-value" }),
  mem("hll-sparse-max-bytes", "3000", 0n, LLONG_MAX),
  int("hz", 10, 0n, INT_MAX),
  str("ignore-warnings", ""),
  int("io-threads", 1, 1n, 128n, IMM),
  bool("io-threads-do-reads", "no", IMM),
  bool("jemalloc-bg-thread", "yes"),
  int("latency-monitor-threshold", 0, 0n, LLONG_MAX),
  bool("latency-tracking", "yes"),
  special("latency-tracking-info-percentiles", "50 99 99.9", parsePercentiles),
  bool("lazyfree-lazy-eviction", "no"),
  bool("lazyfree-lazy-expire", "no"),
  bool("lazyfree-lazy-server-del", "no"),
  bool("lazyfree-lazy-user-del", "no"),
  bool("lazyfree-lazy-user-flush", "no"),
  int("lfu-decay-time", 1, 0n, INT_MAX),
  int("lfu-log-factor", 10, 0n, INT_MAX),
  int("list-compress-depth", 0, 0n, INT_MAX),
  int("list-max-listpack-size", -2, INT_MIN, INT_MAX, { alias: "list-max-ziplist-size" }),
  enm("loglevel", "notice", ["debug", "verbose", "notice", "warning"]),
  str("masterauth", "", { sensitive: true }),
  str("masteruser", ""),
  int("maxclients", 10000, 1n, UINT_MAX),
  mem("maxmemory", "0", 0n, ULLONG_MAX),
  mem("maxmemory-clients", "0", 0n, LLONG_MAX, { percent: true }),
  int("maxmemory-eviction-tenacity", 10, 0n, 100n),
  enm("maxmemory-policy", "noeviction", POLICIES),
  int("maxmemory-samples", 5, 1n, INT_MAX),
  int("min-replicas-max-lag", 10, 0n, INT_MAX, { alias: "min-slaves-max-lag" }),
  int("min-replicas-to-write", 0, 0n, INT_MAX, { alias: "min-slaves-to-write" }),
  bool("no-appendfsync-on-rewrite", "no"),
  str("notify-keyspace-events", "", { parse: parseKeyspaceEvents }),
  enm("oom-score-adj", "no", ["no", "yes", "relative", "absolute"]),
  special("oom-score-adj-values", "0 200 800", parseOomScoreAdjValues),
  str("pidfile", "", IMM),
  str("proc-title-template", "{title} {listen-addr} {server-mode}", { parse: parseProcTitleTemplate }),
  enm("propagation-error-behavior", "ignore", ["ignore", "panic", "panic-on-replicas"]),
  bool("protected-mode", "yes"),
  mem("proto-max-bulk-len", "536870912", 1048576n, LLONG_MAX),
  bool("rdb-del-sync-files", "no"),
  bool("rdb-save-incremental-fsync", "yes"),
  bool("rdbchecksum", "yes", IMM),
  bool("rdbcompression", "yes"),
  mem("repl-backlog-size", "1048576", 1n, LLONG_MAX),
  int("repl-backlog-ttl", 3600, 0n, LLONG_MAX),
  bool("repl-disable-tcp-nodelay", "no"),
  enm("repl-diskless-load", "disabled", ["disabled", "on-empty-db", "swapdb"]),
  bool("repl-diskless-sync", "yes"),
  int("repl-diskless-sync-delay", 5, 0n, INT_MAX),
  int("repl-diskless-sync-max-replicas", 0, 0n, INT_MAX),
  int("repl-ping-replica-period", 10, 1n, INT_MAX, { alias: "repl-ping-slave-period" }),
  int("repl-timeout", 60, 1n, INT_MAX),
  str("replica-announce-ip", "", { alias: "slave-announce-ip" }),
  int("replica-announce-port", 0, 0n, 65535n, { alias: "slave-announce-port" }),
  bool("replica-announced", "yes"),
  bool("replica-ignore-disk-write-errors", "no"),
  bool("replica-ignore-maxmemory", "yes", { alias: "slave-ignore-maxmemory" }),
  bool("replica-lazy-flush", "no", { alias: "slave-lazy-flush" }),
  int("replica-priority", 100, 0n, INT_MAX, { alias: "slave-priority" }),
  bool("replica-read-only", "yes", { alias: "slave-read-only" }),
  bool("replica-serve-stale-data", "yes", { alias: "slave-serve-stale-data" }),
  enm("sanitize-dump-payload", "no", ["no", "yes", "clients"]),
  param("save", "save", "3600 1 300 100 60 10000", { multiArg: true }),
  str("server_cpulist", "", IMM),
  int("set-max-intset-entries", 512, 0n, LLONG_MAX),
  bool("set-proc-title", "yes", IMM),
  enm("shutdown-on-sigint", "default", SHUTDOWN_FLAGS, { multiValue: true }),
  enm("shutdown-on-sigterm", "default", SHUTDOWN_FLAGS, { multiValue: true }),
  int("shutdown-timeout", 10, 0n, INT_MAX),
  int("slowlog-log-slower-than", 10000, -1n, LLONG_MAX),
  int("slowlog-max-len", 128, 0n, LLONG_MAX),
  int("socket-mark-id", 0, 0n, UINT_MAX, IMM),
  bool("stop-writes-on-bgsave-error", "yes"),
  mem("stream-node-max-bytes", "4096", 0n, LLONG_MAX),
  int("stream-node-max-entries", 100, 0n, LLONG_MAX),
  enm("supervised", "no", ["upstart", "systemd", "auto", "no"], IMM),
  bool("syslog-enabled", "no", IMM),
  enm("syslog-facility", "local0", FACILITIES, IMM),
  str("syslog-ident", "redis", IMM),
  int("tcp-backlog", 511, 0n, INT_MAX, IMM),
  int("tcp-keepalive", 300, 0n, INT_MAX),
  int("timeout", 0, 0n, INT_MAX),
  enm("tls-auth-clients", "yes", ["no", "yes", "optional"]),
  str("tls-ca-cert-dir", ""),
  str("tls-ca-cert-file", ""),
  str("tls-cert-file", ""),
  str("tls-ciphers", ""),
  str("tls-ciphersuites", ""),
  str("tls-client-cert-file", ""),
  str("tls-client-key-file", ""),
  str("tls-client-key-file-pass", "", { sensitive: true }),
  bool("tls-cluster", "no"),
  str("tls-dh-params-file", ""),
  str("tls-key-file", ""),
  str("tls-key-file-pass", "", { sensitive: true }),
  bool("tls-prefer-server-ciphers", "no"),
  str("tls-protocols", ""),
  bool("tls-replication", "no"),
  int("tls-session-cache-size", 20480, 0n, INT_MAX),
  int("tls-session-cache-timeout", 300, 0n, INT_MAX),
  bool("tls-session-caching", "yes"),
  int("tracking-table-max-keys", 1000000, 0n, LLONG_MAX),
  special("unixsocketperm", "0", parseOctal, { immutable: true, multiArg: false }),
  int("zset-max-listpack-entries", 128, 0n, LLONG_MAX, { alias: "zset-max-ziplist-entries" }),
  mem("zset-max-listpack-value", "64", 0n, LLONG_MAX, { alias: "zset-max-ziplist-value" }),
];

const BY_NAME = new Map<string, Param>();
for (const p of PARAMS) {
  BY_NAME.set(p.name, p);
  if (p.alias) BY_NAME.set(p.alias, p);
}

export function findParam(name: string): Param | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name CONFIG GET patterns match against: canonical names and aliases. */
export function allParamNames(): IterableIterator<string> {
  return BY_NAME.keys();
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
    const r = normalize(p, raw, this.values.get(p.name));
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
