// Generic keyspace commands (Redis's db.c and object.c): DEL, UNLINK, EXISTS,
// TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, DBSIZE, RENAME, RENAMENX, MOVE, COPY,
// SWAPDB, FLUSHDB, FLUSHALL and OBJECT. The expire family (Redis's expire.c)
// is in expire.ts and registered with this list.

import { ENC_INT, ENTRY_KEY, ENTRY_KLEN, LOOKUP_NOTOUCH, LOOKUP_READ } from "../engine/engine";
import type { ReplyWriter } from "../resp/writer";
import type { Client } from "../server/client";
import { stringMatchLen } from "../util/glob";
import { DB_INDEX_OUT_OF_RANGE, NO_SUCH_KEY, NOT_INTEGER, SAME_OBJECT, SYNTAX, valueOutOfRange } from "./errors";
import { cStringIs, expireCommands } from "./expire";
import { signalModifiedKey, signalModifiedKeyBytes } from "./keyspace-events";
import { type ScanPage, type ScanSource, scanCursorOrReply, scanGeneric } from "./scan";
import type { CommandDef } from "./table";

/** Re-exported for the other families' option parsing (SSCAN, HSCAN...). */
export { cStringIs };

const enc = new TextEncoder();
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

// ── Argument helpers ─────────────────────────────────────────────────────────

/**
 * Redis's getIntFromObjectOrReply: a 32-bit integer, or null after replying
 * `msg` (default: the generic not-an-integer / out-of-range errors).
 */
export function intArgOrReply(c: Client, i: number, msg?: string): number | null {
  const v = c.argI64(i);
  if (v === null) {
    c.reply.error(msg ?? NOT_INTEGER);
    return null;
  }
  if (v < INT_MIN || v > INT_MAX) {
    c.reply.error(msg ?? valueOutOfRange(INT_MIN, INT_MAX));
    return null;
  }
  return Number(v);
}

function validDb(c: Client, id: number): boolean {
  return id >= 0 && id < c.server.config.int("databases");
}

function clusterEnabled(c: Client): boolean {
  return c.server.config.bool("cluster-enabled");
}

/** Key length of a dict entry; the key's bytes start at entry + ENTRY_KEY. */
function entryKeyLen(c: Client, e: number): number {
  return c.e.u32[(e + ENTRY_KLEN) >> 2];
}

/**
 * Writes an array header for `n` elements at `mark`, in front of the
 * elements already written after it (Redis's setDeferredArrayLen), for
 * replies whose length is known only at the end.
 */
function setDeferredArrayLen(w: ReplyWriter, mark: number, n: number): void {
  const header = enc.encode(`*${n}\r\n`);
  w.ensure(header.length);
  w.buf.copyWithin(mark + header.length, mark, w.pos);
  w.buf.set(header, mark);
  w.pos += header.length;
}

// ── DEL, UNLINK, EXISTS, TYPE, TOUCH ─────────────────────────────────────────

/**
 * Deletes every key in argv[1..]; returns how many existed. Lazy expiry
 * runs first, as in Redis. `lazy` frees big values later (UNLINK).
 */
function delGeneric(c: Client, lazy: boolean): number {
  const x = c.e.x;
  let deleted = 0;
  for (let i = 1; i < c.argc; i++) {
    x.expireIfNeeded(c.db, c.argPtr(i), c.argLen(i), 0);
    const gone = lazy ? x.dbAsyncDelete(c.db, c.argPtr(i), c.argLen(i)) : x.dbDelete(c.db, c.argPtr(i), c.argLen(i));
    if (gone) {
      signalModifiedKey(c, i);
      deleted++;
    }
  }
  c.server.dirty += deleted;
  if (lazy) c.server.lazyfree.kick();
  return deleted;
}

// DEL key [key ...]
function del(c: Client): void {
  c.reply.int(delGeneric(c, c.server.config.bool("lazyfree-lazy-user-del")));
}

// UNLINK key [key ...]
function unlink(c: Client): void {
  c.reply.int(delGeneric(c, true));
}

// EXISTS key [key ...]
function exists(c: Client): void {
  const x = c.e.x;
  let n = 0;
  // Redis 7.0 looks keys up without touching their LRU/LFU stamp.
  for (let i = 1; i < c.argc; i++) {
    if (x.lookupKey(c.db, c.argPtr(i), c.argLen(i), LOOKUP_NOTOUCH) !== 0) n++;
  }
  c.reply.int(n);
}

// TOUCH key [key ...]
function touch(c: Client): void {
  const x = c.e.x;
  let n = 0;
  for (let i = 1; i < c.argc; i++) {
    if (x.lookupKey(c.db, c.argPtr(i), c.argLen(i), LOOKUP_READ) !== 0) n++;
  }
  c.reply.int(n);
}

/** Type names by object type (Redis's getObjectTypeName); 6 is OBJ_STREAM, 5 OBJ_MODULE. */
const TYPE_NAMES = ["string", "list", "set", "zset", "hash", "unknown", "stream"];

export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? "unknown";
}

// TYPE key
function type(c: Client): void {
  const o = c.e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_NOTOUCH);
  c.reply.simple(o === 0 ? "none" : typeName(c.e.objType(o)));
}

// ── KEYS, SCAN, RANDOMKEY, DBSIZE ────────────────────────────────────────────

// KEYS pattern
function keys(c: Client): void {
  const e = c.e;
  const pattern = c.argCopy(1);
  const all = pattern.length === 1 && pattern[0] === 0x2a;
  const n = e.x.keysCollect(c.db);
  e.refresh();
  const base = e.x.keyspaceResultPtr() >> 2;
  const w = c.reply;
  const mark = w.pos;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const entry = e.u32[base + i];
    const kl = entryKeyLen(c, entry);
    const kp = entry + ENTRY_KEY;
    if (all || stringMatchLen(pattern, 0, pattern.length, e.u8, kp, kl)) {
      w.bulkFrom(e.u8, kp, kl);
      count++;
    }
  }
  setDeferredArrayLen(w, mark, count);
  e.x.keyspaceResultsRelease();
}

/** scanFilter's `want` values (assembly/keyspace.ts). */
const SCAN_ANY_TYPE = -1;
const SCAN_TYPE_NONE = -2;
const SCAN_NO_TYPE = -3;

/** SCAN's TYPE argument as scanFilter's `want`: compared like strcasecmp with getObjectTypeName. */
function scanWantedType(c: Client, i: number): number {
  if (i < 0) return SCAN_ANY_TYPE;
  if (cStringIs(c, i, "none")) return SCAN_TYPE_NONE;
  for (let t = 0; t < TYPE_NAMES.length; t++) {
    if (TYPE_NAMES[t] !== "unknown" && cStringIs(c, i, TYPE_NAMES[t])) return t;
  }
  return SCAN_NO_TYPE;
}

/** Puts the engine's collected entries into the page as their keys. */
function pageFromResults(c: Client, page: ScanPage, n: number): void {
  const base = c.e.x.keyspaceResultPtr() >> 2;
  page.reset();
  for (let i = 0; i < n; i++) {
    const entry = c.e.u32[base + i];
    page.push(entry + ENTRY_KEY, entryKeyLen(c, entry));
  }
}

/**
 * The keyspace as a scan source. After MATCH, the engine's result list is
 * rewritten to the matching entries (the page's keys sit at entry +
 * ENTRY_KEY) so scanFilter applies TYPE and expiry to those only, in
 * Redis's order.
 */
const keyspaceScan: ScanSource = {
  stride: 1,
  collect(c, _o, cursor, opts, page) {
    const next = c.e.x.scanCollect(c.db, cursor, opts.count, opts.maxIter);
    c.e.refresh();
    pageFromResults(c, page, c.e.x.keyspaceResultCount());
    return next;
  },
  filter(c, opts, page) {
    const e = c.e;
    const base = e.x.keyspaceResultPtr() >> 2;
    const total = e.x.keyspaceResultCount();
    for (let i = 0; i < total; i++) e.u32[base + i] = i < page.n ? page.ptr[i] - ENTRY_KEY : 0;
    const n = e.x.scanFilter(c.db, scanWantedType(c, opts.typeIndex), c.server.masterHost !== null ? 1 : 0);
    e.refresh();
    pageFromResults(c, page, n);
  },
  finish(c, opts) {
    if (scanWantedType(c, opts.typeIndex) === SCAN_TYPE_NONE) c.e.x.scanDeleteExpired(c.db);
    c.e.x.keyspaceResultsRelease();
  },
};

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
function scan(c: Client): void {
  const cursor = scanCursorOrReply(c, 1);
  if (cursor === null) return;
  scanGeneric(c, 0, cursor, 2, keyspaceScan);
}

// RANDOMKEY
function randomkey(c: Client): void {
  const e = c.e;
  const entry = e.x.randomKeyEntry(c.db);
  e.refresh();
  if (entry === 0) return c.reply.nil();
  c.reply.bulkFrom(e.u8, entry + ENTRY_KEY, entryKeyLen(c, entry));
}

// DBSIZE
function dbsize(c: Client): void {
  c.reply.int(c.e.x.dbSize(c.db));
}

// ── RENAME, RENAMENX, MOVE, COPY, SWAPDB ─────────────────────────────────────

/** renameKey results (assembly/keyspace.ts). */
const RENAME_NO_KEY = -1;
const RENAME_NOT_DONE = 0;
const RENAME_SAME_KEY = 2;

function renameGeneric(c: Client, nx: boolean): void {
  const r = c.e.x.renameKey(c.db, c.argPtr(1), c.argLen(1), c.argPtr(2), c.argLen(2), nx ? 1 : 0);
  c.e.refresh();
  if (r === RENAME_NO_KEY) return c.reply.error(NO_SUCH_KEY);
  // Renaming a key to itself changes nothing and propagates nothing.
  if (r === RENAME_SAME_KEY) return nx ? c.reply.int(0) : c.reply.ok();
  if (r === RENAME_NOT_DONE) return c.reply.int(0);
  signalModifiedKey(c, 1);
  signalModifiedKey(c, 2);
  c.server.dirty++;
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

// RENAME key newkey
function rename(c: Client): void {
  renameGeneric(c, false);
}

// RENAMENX key newkey
function renamenx(c: Client): void {
  renameGeneric(c, true);
}

// MOVE key db
function move(c: Client): void {
  if (clusterEnabled(c)) return c.reply.error("ERR MOVE is not allowed in cluster mode");
  const dst = intArgOrReply(c, 2);
  if (dst === null) return;
  if (!validDb(c, dst)) return c.reply.error(DB_INDEX_OUT_OF_RANGE);
  if (dst === c.db) return c.reply.error(SAME_OBJECT);
  const moved = c.e.x.moveKey(c.db, dst, c.argPtr(1), c.argLen(1));
  c.e.refresh();
  if (moved === 0) return c.reply.int(0);
  signalModifiedKey(c, 1);
  signalModifiedKeyBytes(c, dst, c.arg(1));
  c.server.dirty++;
  c.reply.int(1);
}

/** copyKey's result for a type dupObject cannot copy yet (assembly/keyspace.ts). */
const COPY_UNKNOWN_TYPE = -1;

// COPY source destination [DB destination-db] [REPLACE]
function copy(c: Client): void {
  let dst = c.db;
  let replace = false;
  // Options are checked as they come: a bad DB replies before a later syntax error.
  for (let j = 3; j < c.argc; j++) {
    if (cStringIs(c, j, "replace")) {
      replace = true;
    } else if (cStringIs(c, j, "db") && c.argc - j - 1 >= 1) {
      const id = intArgOrReply(c, ++j);
      if (id === null) return;
      if (!validDb(c, id)) return c.reply.error(DB_INDEX_OUT_OF_RANGE);
      dst = id;
    } else {
      return c.reply.error(SYNTAX);
    }
  }
  if (clusterEnabled(c) && (c.db !== 0 || dst !== 0)) {
    return c.reply.error("ERR Copying to another database is not allowed in cluster mode");
  }
  if (dst === c.db && sameArg(c, 1, 2)) return c.reply.error(SAME_OBJECT);
  const r = c.e.x.copyKey(c.db, dst, c.argPtr(1), c.argLen(1), c.argPtr(2), c.argLen(2), replace ? 1 : 0);
  c.e.refresh();
  if (r === COPY_UNKNOWN_TYPE) return c.reply.error("ERR unknown type object");
  if (r === 0) return c.reply.int(0);
  signalModifiedKeyBytes(c, dst, c.arg(2));
  c.server.dirty++;
  c.reply.int(1);
}

function sameArg(c: Client, a: number, b: number): boolean {
  const x = c.arg(a);
  const y = c.arg(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

// SWAPDB index1 index2
function swapdb(c: Client): void {
  if (clusterEnabled(c)) return c.reply.error("ERR SWAPDB is not allowed in cluster mode");
  const a = intArgOrReply(c, 1, "ERR invalid first DB index");
  if (a === null) return;
  const b = intArgOrReply(c, 2, "ERR invalid second DB index");
  if (b === null) return;
  if (!validDb(c, a) || !validDb(c, b)) return c.reply.error(DB_INDEX_OUT_OF_RANGE);
  if (a !== b) {
    // Clients stay in their database, so what they WATCH there changes (checked before the swap).
    c.server.touchAllWatchedKeysInDb(a, b);
    c.server.touchAllWatchedKeysInDb(b, a);
    c.e.x.swapDb(a, b);
  }
  // Even swapping a database with itself counts as a change, as in Redis.
  c.server.dirty++;
  c.reply.ok();
}

// ── FLUSHDB, FLUSHALL ────────────────────────────────────────────────────────

/**
 * FLUSHDB/FLUSHALL's optional ASYNC|SYNC (Redis's getFlushCommandFlags):
 * whether to free lazily, lazyfree-lazy-user-flush deciding when neither is
 * given; null after replying a syntax error.
 */
function flushAsyncOrReply(c: Client): boolean | null {
  if (c.argc === 1) return c.server.config.bool("lazyfree-lazy-user-flush");
  if (c.argc === 2 && cStringIs(c, 1, "async")) return true;
  if (c.argc === 2 && cStringIs(c, 1, "sync")) return false;
  c.reply.error(SYNTAX);
  return null;
}

function flushDb(c: Client, db: number, lazy: boolean): void {
  c.server.dirty += c.e.x.dbSize(db);
  // Checked before the flush: only keys that existed are changes to their watchers.
  c.server.touchAllWatchedKeysInDb(db);
  if (lazy) c.e.x.emptyDbAsync(db);
  else c.e.x.flushDb(db);
}

// FLUSHDB [ASYNC | SYNC]
function flushdb(c: Client): void {
  const lazy = flushAsyncOrReply(c);
  if (lazy === null) return;
  const empty = c.e.x.dbSize(c.db) === 0;
  flushDb(c, c.db, lazy);
  c.e.refresh();
  c.server.lazyfree.kick();
  // Redis forces the propagation of a FLUSHDB of an empty database, which changes nothing.
  if (empty && c.server.propagating()) c.alsoPropagate.push({ db: c.db, args: c.argvCopy() });
  c.reply.ok();
}

// FLUSHALL [ASYNC | SYNC]
function flushall(c: Client): void {
  const lazy = flushAsyncOrReply(c);
  if (lazy === null) return;
  const dirty = c.server.dirty;
  const n = c.server.config.int("databases");
  for (let db = 0; db < n; db++) flushDb(c, db, lazy);
  c.e.refresh();
  c.server.lazyfree.kick();
  // With save points the empty dataset is saved at once, which clears the change count (Redis 7.0).
  c.server.rdb?.afterFlushAll();
  // Redis 7.0 forces the propagation of a FLUSHALL that changed no count (forceCommandPropagation).
  if (c.server.dirty === dirty && c.server.propagating()) c.alsoPropagate.push({ db: c.db, args: c.argvCopy() });
  c.reply.ok();
}

// ── OBJECT ───────────────────────────────────────────────────────────────────

/** Encoding names by OBJ_ENCODING_* value (Redis's strEncoding). */
const ENCODING_NAMES: Record<number, string> = {
  0: "raw",
  1: "int",
  2: "hashtable",
  6: "intset",
  7: "skiplist",
  8: "embstr",
  9: "quicklist",
  10: "stream",
  11: "listpack",
};

/** Redis's OBJ_SHARED_REFCOUNT: what OBJECT REFCOUNT reports for a shared object. */
const SHARED_REFCOUNT = 2147483647;
/** Redis shares the integers 0..OBJ_SHARED_INTEGERS-1. */
const SHARED_INTEGERS = 10000;

function maxmemoryPolicy(c: Client): string {
  return c.server.config.get("maxmemory-policy");
}

function lfuPolicy(c: Client): boolean {
  return maxmemoryPolicy(c).endsWith("-lfu");
}

/**
 * Whether Redis would hold this value as one of its shared integers: an
 * int-encoded 0..9999, unless maxmemory is set with an LRU/LFU policy
 * (those need a stamp per key, so Redis stops sharing).
 */
function isSharedInteger(c: Client, o: number): boolean {
  const e = c.e;
  if (e.objEncoding(o) !== ENC_INT) return false;
  const lo = e.u32[(o + 8) >> 2];
  const hi = e.i32[(o + 12) >> 2];
  if (hi !== 0 || lo >= SHARED_INTEGERS) return false;
  const policy = maxmemoryPolicy(c);
  return c.server.config.int("maxmemory") === 0 || !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
}

/** OBJECT's key lookup: no LRU/LFU touch; a missing key replies null. Returns 0 then. */
function objectLookupOrReply(c: Client): number {
  const o = c.e.x.lookupKey(c.db, c.argPtr(2), c.argLen(2), LOOKUP_NOTOUCH);
  if (o === 0) c.reply.nil();
  return o;
}

// OBJECT ENCODING key
function objectEncoding(c: Client): void {
  const o = objectLookupOrReply(c);
  if (o === 0) return;
  c.reply.bulkStr(ENCODING_NAMES[c.e.objEncoding(o)] ?? "unknown");
}

// OBJECT REFCOUNT key
function objectRefcount(c: Client): void {
  const o = objectLookupOrReply(c);
  if (o === 0) return;
  c.reply.int(isSharedInteger(c, o) ? SHARED_REFCOUNT : 1);
}

const LRU_CLOCK_MAX = 0xffffff;

// OBJECT IDLETIME key
function objectIdletime(c: Client): void {
  const o = objectLookupOrReply(c);
  if (o === 0) return;
  if (lfuPolicy(c)) {
    return c.reply.error(
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
  }
  // Redis's estimateObjectIdleTime over the 24-bit seconds clock, which wraps.
  const now = Math.floor(Date.now() / 1000) & LRU_CLOCK_MAX;
  const lru = c.e.objLru(o);
  c.reply.int(now >= lru ? now - lru : now + (LRU_CLOCK_MAX - lru));
}

// OBJECT FREQ key
function objectFreq(c: Client): void {
  const o = objectLookupOrReply(c);
  if (o === 0) return;
  if (!lfuPolicy(c)) {
    return c.reply.error(
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
    );
  }
  // Decayed as of now: the counter is only updated when the key is accessed.
  c.reply.int(c.e.x.lfuDecrAndReturn(o));
}

const OBJECT_HELP = [
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
];

/** Redis's addReplyHelp: a header, the lines, and HELP's own entry, as status replies. */
export function replyHelp(c: Client, command: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple("HELP");
  c.reply.simple("    Prints this help.");
}

// OBJECT HELP
function objectHelp(c: Client): void {
  replyHelp(c, "OBJECT", OBJECT_HELP);
}

export const keyspaceCommands: CommandDef[] = [
  { name: "flushdb", handler: flushdb },
  { name: "flushall", handler: flushall },
  { name: "del", handler: del },
  { name: "unlink", handler: unlink },
  { name: "exists", handler: exists },
  { name: "touch", handler: touch },
  { name: "type", handler: type },
  { name: "keys", handler: keys },
  { name: "scan", handler: scan },
  { name: "randomkey", handler: randomkey },
  { name: "dbsize", handler: dbsize },
  { name: "rename", handler: rename },
  { name: "renamenx", handler: renamenx },
  { name: "move", handler: move },
  { name: "copy", handler: copy },
  { name: "swapdb", handler: swapdb },
  { name: "object|encoding", handler: objectEncoding },
  { name: "object|refcount", handler: objectRefcount },
  { name: "object|idletime", handler: objectIdletime },
  { name: "object|freq", handler: objectFreq },
  { name: "object|help", handler: objectHelp },
  ...expireCommands,
];
