// DEBUG SLEEP / SET-ACTIVE-EXPIRE / OBJECT / HELP. Like Redis, DEBUG is
// refused unless enable-debug-command allows it (yes, or local for loopback
// clients).

import { ENC_INT, LOOKUP_NOSTATS, LOOKUP_NOTOUCH, OBJ_STRING } from "../engine/engine";
import type { Client } from "../server/client";
import { cString } from "./errors";
import { debugReload } from "./save";
import type { CommandDef } from "./table";

const HELP = [
  "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "AOF-FLUSH-SLEEP <microsec>",
  "    Server will sleep before flushing the AOF, this is used for testing.",
  "ASSERT",
  "    Crash by assertion failed.",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "    Dangerous: should be used only for testing the replication subsystem.",
  "CONFIG-REWRITE-FORCE-ALL",
  "    Like CONFIG REWRITE but writes all configuration options, including",
  "    keywords not listed in original configuration file or default values.",
  "CRASH-AND-RECOVER [<milliseconds>]",
  "    Hard crash and restart after a <milliseconds> delay (default 0).",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LEAK <string>",
  "    Create a memory leak of the input string.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "HTSTATS <dbid>",
  "    Return hash table statistics of the specified Redis database.",
  "HTSTATS-KEY <key>",
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  "LOADAOF",
  "    Flush the AOF buffers on disk and reload the AOF in memory.",
  "REPLICATE <string>",
  "    Replicates the provided string to replicas, allowing data divergence.",
  "MALLCTL <key> [<val>]",
  "    Get or set a malloc tuning integer.",
  "MALLCTL-STR <key> [<val>]",
  "    Get or set a malloc tuning string.",
  "OBJECT <key>",
  "    Show low level info about `key` and associated value.",
  "DROP-CLUSTER-PACKET-FILTER <packet-type>",
  "    Drop all packets that match the filtered type. Set to -1 allow all packets.",
  "OOM",
  "    Crash the server simulating an out-of-memory error.",
  "PANIC",
  "    Crash the server simulating a panic.",
  "POPULATE <count> [<prefix>] [<size>]",
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  "    replicas. Cluster slots are not respected so keys not belonging to the",
  "    current node can be created in cluster mode.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "RELOAD [option ...]",
  "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
  "    * MERGE: conflicting keys will be loaded from RDB.",
  "    * NOFLUSH: the existing database will not be removed before load, but",
  "      conflicting keys will generate an exception and kill the server.",
  "    * NOSAVE: the database will be loaded from an existing RDB file.",
  "    Examples:",
  "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
  "      the database.",
  "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
  "      existing RDB file.",
  "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
  "      file to the database.",
  "RESTART [<milliseconds>]",
  "    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
  "SDSLEN <key>",
  "    Show low level SDS string info representing `key` and value.",
  "SEGFAULT",
  "    Crash the server with sigsegv.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "QUICKLIST-PACKED-THRESHOLD <size>",
  "    Sets the threshold for elements to be inserted as plain vs packed nodes",
  "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
  "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "STRINGMATCH-TEST",
  "    Run a fuzz tester against the stringmatchlen() function.",
  "STRUCTSIZE",
  "    Return the size of different Redis core C structures.",
  "LISTPACK <key>",
  "    Show low level info about the listpack encoding of <key>.",
  "QUICKLIST <key> [<0|1>]",
  "    Show low level info about the quicklist encoding of <key>.",
  "    The optional argument (0 by default) sets the level of detail",
  "CLIENT-EVICTION",
  "    Show low level client eviction pools info (maxmemory-clients).",
  "PAUSE-CRON <0|1>",
  "    Stop periodic cron job processing.",
  "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
  "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
  "    In case NEVER is provided the last observed peak will never be reset",
  "    In case RESET is provided the peak reset time will be restored to the default value",
  "REPLYBUFFER RESIZING <0|1>",
  "    Enable or disable the reply buffer resize cron job",
  "CLUSTERLINK KILL <to|from|all> <node-id>",
  "    Kills the link based on the direction to/from (both) with the provided node.",
  "HELP",
  "    Prints this help.",
];

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/** Encoding names as OBJECT ENCODING and DEBUG OBJECT print them (Redis's strEncoding). */
const ENCODINGS = [
  "raw",
  "int",
  "hashtable",
  "zipmap",
  "linkedlist",
  "ziplist",
  "intset",
  "skiplist",
  "embstr",
  "quicklist",
  "stream",
  "listpack",
];

/** Redis keeps integers 0..9999 as shared objects unless an LRU/LFU policy needs per-key stamps. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;
const LRU_CLOCK_MAX = (1 << 24) - 1;

/** rdbEncodedLen: bytes of an RDB length prefix. */
function lenBytes(n: number): number {
  if (n < 1 << 6) return 1;
  if (n < 1 << 14) return 2;
  return n <= 0xffffffff ? 5 : 9;
}

/** Bytes of an integer in RDB's int encodings, or 0 when it needs a string. */
function intEncodedLen(v: bigint): number {
  if (v >= -128n && v <= 127n) return 2;
  if (v >= -32768n && v <= 32767n) return 3;
  if (v >= -2147483648n && v <= 2147483647n) return 5;
  return 0;
}

/** rdbSaveRawString's size: int encoding for short integers, LZF when it pays, else length + bytes. */
function serializedStringLen(c: Client, bytes: Uint8Array): number {
  const len = bytes.length;
  const text = String.fromCharCode(...bytes.subarray(0, Math.min(len, 21)));
  if (len <= 11 && /^(0|-?[1-9][0-9]*)$/.test(text)) {
    const n = intEncodedLen(BigInt(text));
    if (n > 0) return n;
  }
  if (len > 20 && c.server.config.bool("rdbcompression")) {
    const compressed = lzfLength(c, bytes);
    if (compressed > 0) return 1 + lenBytes(compressed) + lenBytes(len) + compressed;
  }
  return lenBytes(len) + len;
}

/** LZF output size with room for len-4 bytes (0 when it does not fit), as rdbSaveLzfStringObject. */
function lzfLength(c: Client, bytes: Uint8Array): number {
  const e = c.e;
  const input = e.x.zmalloc(bytes.length);
  const out = e.x.zmalloc(bytes.length);
  e.refresh();
  e.u8.set(bytes, input);
  const n = e.x.lzfCompress(input, bytes.length, out, bytes.length - 4);
  e.x.zfree(input);
  e.x.zfree(out);
  return n;
}

function serializedLength(c: Client, o: number): number {
  const e = c.e;
  if (e.objType(o) !== OBJ_STRING) return 0;
  if (e.objEncoding(o) === ENC_INT) {
    const text = String.fromCharCode(...e.stringBytes(o));
    const n = intEncodedLen(BigInt(text));
    return n > 0 ? n : lenBytes(text.length) + text.length;
  }
  return serializedStringLen(c, e.stringBytes(o).slice());
}

function isSharedInteger(c: Client, o: number): boolean {
  const e = c.e;
  if (e.objType(o) !== OBJ_STRING || e.objEncoding(o) !== ENC_INT) return false;
  const policy = c.server.config.get("maxmemory-policy");
  if (c.server.config.int("maxmemory") !== 0 && /lru|lfu/.test(policy)) return false;
  const v = Number(String.fromCharCode(...e.stringBytes(o)));
  return v >= 0 && v < SHARED_INTEGERS;
}

// DEBUG OBJECT key
function debugObject(c: Client): void {
  const e = c.e;
  const o = e.x.lookupKey(c.db, c.argPtr(2), c.argLen(2), LOOKUP_NOTOUCH | LOOKUP_NOSTATS);
  e.refresh();
  if (o === 0) return c.reply.error("ERR no such key");
  const lru = e.objLru(o);
  const clock = Math.floor(Date.now() / 1000) & LRU_CLOCK_MAX;
  const idle = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
  const refcount = isSharedInteger(c, o) ? SHARED_REFCOUNT : 1;
  const encoding = ENCODINGS[e.objEncoding(o)] ?? "unknown";
  const len = serializedLength(c, o);
  c.reply.simple(
    `Value at:0x${o.toString(16)} refcount:${refcount} encoding:${encoding} serializedlength:${len} lru:${lru} lru_seconds_idle:${idle}`,
  );
}

/** C's strtod prefix: the leading number, 0 when there is none. */
function strtod(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return m === null ? 0 : Number(m[0]);
}

// DEBUG SLEEP seconds
function debugSleep(c: Client): void {
  const ms = strtod(c.argStr(2)) * 1000;
  // A blocking sleep, as Redis's: the whole server stops for the duration.
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  c.reply.ok();
}

// DEBUG SET-ACTIVE-EXPIRE 0|1
function debugSetActiveExpire(c: Client): void {
  c.server.activeExpireEnabled = (Number.parseInt(c.argStr(2), 10) || 0) !== 0;
  c.reply.ok();
}

// DEBUG subcommand [arg ...]
function debug(c: Client): void {
  if (!allowProtectedAction(c, "enable-debug-command")) return c.reply.error(NOT_ALLOWED);
  if (c.argc === 2 && c.argIs(1, "HELP")) {
    c.reply.array(HELP.length);
    for (const l of HELP) c.reply.simple(l);
    return;
  }
  if (c.argc === 3 && c.argIs(1, "OBJECT")) return debugObject(c);
  if (c.argc === 3 && c.argIs(1, "SLEEP")) return debugSleep(c);
  if (c.argc === 3 && c.argIs(1, "SET-ACTIVE-EXPIRE")) return debugSetActiveExpire(c);
  if (c.argIs(1, "RELOAD")) return debugReload(c);
  subcommandSyntaxError(c);
}

/** Redis's addReplySubcommandSyntaxError: names the subcommand and the command as typed. */
export function subcommandSyntaxError(c: Client): void {
  const sub = cString(c.arg(1), 128);
  const cmd = cString(c.arg(0), 1 << 30).toUpperCase();
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${cmd} HELP.`);
}

/** enable-protected-configs / enable-debug-command: yes, or local for loopback clients. */
export function allowProtectedAction(c: Client, setting: string): boolean {
  const v = c.server.config.get(setting);
  if (v === "yes") return true;
  if (v !== "local") return false;
  if (c.conn === null) return true;
  const host = c.conn.remote.slice(0, c.conn.remote.lastIndexOf(":"));
  return host === "127.0.0.1" || host === "::1" || c.conn.remote.startsWith("/");
}

export const debugCommands: CommandDef[] = [{ name: "debug", handler: debug }];
