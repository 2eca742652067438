// Set commands (Redis's t_set.c): SADD, SREM, SCARD, SISMEMBER, SMISMEMBER,
// SMEMBERS, SRANDMEMBER, SPOP, SMOVE, SINTER, SINTERCARD, SINTERSTORE,
// SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN. Members stay bytes in the
// engine (assembly/t_set.ts), which hands back a list of [len][bytes]
// records for replies; argument checks, errors, propagation and the reply
// shapes live here.

import {
  LOOKUP_READ,
  LOOKUP_WRITE,
  OBJ_SET,
  OP_DIFF,
  OP_UNION,
  SET_WRONGTYPE,
  SINK_COUNT,
  SINK_LIST,
  SINK_STORE,
} from "../engine/engine";
import type { Client } from "../server/client";
import {
  LIMIT_NEGATIVE,
  MUST_BE_POSITIVE,
  NOT_INTEGER,
  NUMKEYS_NOT_POSITIVE,
  NUMKEYS_OVER_ARGS,
  OUT_OF_LONG_RANGE,
  SYNTAX,
  WRONGTYPE,
} from "./errors";
import { cStringIs } from "./keyspace";
import { signalModifiedKey } from "./keyspace-events";
import { type ScanSource, scanCursorOrReply, scanGeneric } from "./scan";
import type { CommandDef, EngineParam } from "./table";

const enc = new TextEncoder();
const SREM_BYTES = enc.encode("SREM");
const DEL_BYTES = enc.encode("DEL");
const EMPTY_SCAN = enc.encode("*2\r\n$1\r\n0\r\n*0\r\n");

const LONG_MAX = 9223372036854775807n;
const U32_MAX = 0xffffffff;
/** Redis caps set-max-intset-entries at 2^30 (intset internals). */
const MAX_INTSET_ENTRIES = 2 ** 30;
/** SRANDMEMBER with a negative count draws members in batches of this many, to bound the list. */
const RANDOM_BATCH = 1024;

// ── Engine plumbing ──────────────────────────────────────────────────────────

/** Engine address of argv[i]'s (ptr, len) pair, for engine calls that walk the arguments. */
function argvAt(c: Client, i: number): number {
  return (c.argvBase + 2 * i) << 2;
}

/** Replies the first `n` records of the engine's member list as bulk strings. */
function replyMemberList(c: Client, n: number): void {
  const e = c.e;
  e.refresh();
  let p = e.x.setListPtr();
  for (let i = 0; i < n; i++) {
    const len = e.u32[p >> 2];
    c.reply.bulkFrom(e.u8, p + 4, len);
    p += 4 + ((len + 3) & ~3);
  }
}

/** Kept copies of the first `n` records of the member list (for propagation). */
function memberListCopies(c: Client, n: number): Uint8Array[] {
  const e = c.e;
  e.refresh();
  const out = new Array<Uint8Array>(n);
  let p = e.x.setListPtr();
  for (let i = 0; i < n; i++) {
    const len = e.u32[p >> 2];
    out[i] = e.u8.slice(p + 4, p + 4 + len);
    p += 4 + ((len + 3) & ~3);
  }
  return out;
}

/** Looks up a key; 0 when missing, -1 after replying WRONGTYPE for a non-set. */
function lookupSet(c: Client, i: number, flags: number): number {
  const o = c.e.x.lookupKey(c.db, c.argPtr(i), c.argLen(i), flags);
  if (o !== 0 && c.e.objType(o) !== OBJ_SET) {
    c.reply.error(WRONGTYPE);
    return -1;
  }
  return o;
}

// ── Single-set commands ──────────────────────────────────────────────────────

// SADD key member [member ...]
function sadd(c: Client): void {
  const added = c.e.x.saddArgv(c.db, c.argPtr(1), c.argLen(1), argvAt(c, 2), c.argc - 2);
  if (added === SET_WRONGTYPE) return c.reply.error(WRONGTYPE);
  c.e.refresh();
  if (added > 0) signalModifiedKey(c, 1);
  c.server.dirty += added;
  c.reply.int(added);
}

// SREM key member [member ...]
function srem(c: Client): void {
  const removed = c.e.x.sremArgv(c.db, c.argPtr(1), c.argLen(1), argvAt(c, 2), c.argc - 2);
  if (removed === SET_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (removed > 0) {
    signalModifiedKey(c, 1);
    c.server.dirty += removed;
  }
  c.reply.int(removed);
}

// SCARD key
function scard(c: Client): void {
  const o = lookupSet(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o === 0 ? 0 : c.e.x.setTypeSize(o));
}

// SISMEMBER key member
function sismember(c: Client): void {
  const o = lookupSet(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o !== 0 && c.e.x.setTypeIsMember(o, c.argPtr(2), c.argLen(2)) ? 1 : 0);
}

// SMISMEMBER key member [member ...]
function smismember(c: Client): void {
  const o = lookupSet(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.array(c.argc - 2);
  for (let i = 2; i < c.argc; i++) {
    c.reply.int(o !== 0 && c.e.x.setTypeIsMember(o, c.argPtr(i), c.argLen(i)) ? 1 : 0);
  }
}

// SMOVE source destination member
function smove(c: Client): void {
  const x = c.e.x;
  // Argument addresses stay valid across engine calls; the views to read them may not.
  const [sp, sl, dp, dl, mp, ml] = [c.argPtr(1), c.argLen(1), c.argPtr(2), c.argLen(2), c.argPtr(3), c.argLen(3)];
  const src = x.lookupKey(c.db, sp, sl, LOOKUP_WRITE);
  let dst = x.lookupKey(c.db, dp, dl, LOOKUP_WRITE);
  if (src === 0) return c.reply.int(0);
  if (c.e.objType(src) !== OBJ_SET || (dst !== 0 && c.e.objType(dst) !== OBJ_SET)) return c.reply.error(WRONGTYPE);
  if (src === dst) return c.reply.int(x.setTypeIsMember(src, mp, ml) ? 1 : 0);
  if (!x.setTypeRemove(src, mp, ml)) return c.reply.int(0);
  if (x.setTypeSize(src) === 0) x.dbDelete(c.db, sp, sl);
  if (dst === 0) {
    dst = x.setTypeCreate(mp, ml);
    x.dbSetValue(c.db, dp, dl, dst, 0);
  }
  c.e.refresh();
  signalModifiedKey(c, 1);
  c.server.dirty++;
  // The destination changed only if the member was new there.
  if (x.setTypeAdd(dst, mp, ml)) {
    c.e.refresh();
    signalModifiedKey(c, 2);
    c.server.dirty++;
  }
  c.reply.int(1);
}

// ── SPOP / SRANDMEMBER ───────────────────────────────────────────────────────

// SPOP key [count]
function spop(c: Client): void {
  if (c.argc === 3) return spopWithCount(c);
  if (c.argc > 3) return c.reply.error(SYNTAX);
  const o = lookupSet(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.nil();
  const key = c.server.propagating() ? c.argCopy(1) : null;
  c.e.x.spopOne(c.db, c.argPtr(1), c.argLen(1), o);
  replyMemberList(c, 1);
  // Replicas and the AOF get the effect: which member went.
  if (key !== null) c.rewritten = [SREM_BYTES, key, memberListCopies(c, 1)[0]];
  signalModifiedKey(c, 1);
  c.server.dirty++;
}

/**
 * SPOP key count: the whole set when count ≥ size (propagated as DEL),
 * otherwise count random members (propagated as one SREM each), as in
 * Redis 7.0's spopWithCountCommand.
 */
function spopWithCount(c: Client): void {
  const count = c.argI64(2);
  if (count === null || count < 0) return c.reply.error(MUST_BE_POSITIVE);
  const o = lookupSet(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0 || count === 0) return c.reply.set(0);
  const x = c.e.x;
  const size = x.setTypeSize(o);
  c.server.dirty += count >= size ? size : Number(count);
  if (count >= size) {
    sunionDiffGeneric(c, 1, 1, OP_UNION, -1);
    x.dbDelete(c.db, c.argPtr(1), c.argLen(1));
    c.e.refresh();
    if (c.server.propagating()) c.rewritten = [DEL_BYTES, c.argCopy(1)];
    signalModifiedKey(c, 1);
    return;
  }
  const n = x.spopCount(c.db, c.argPtr(1), c.argLen(1), o, Number(count));
  c.reply.set(n);
  replyMemberList(c, n);
  if (c.server.propagating()) {
    const key = c.argCopy(1);
    for (const m of memberListCopies(c, n)) c.alsoPropagate.push({ db: c.db, args: [SREM_BYTES, key, m] });
  }
  c.preventPropagation = true;
  signalModifiedKey(c, 1);
}

// SRANDMEMBER key [count]
function srandmember(c: Client): void {
  if (c.argc === 3) return srandmemberWithCount(c);
  if (c.argc > 3) return c.reply.error(SYNTAX);
  const o = lookupSet(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.nil();
  c.e.x.setRandomMembers(o, 1);
  replyMemberList(c, 1);
}

/**
 * SRANDMEMBER key count: a negative count draws with repeats, a positive
 * one returns distinct members (all of them when count ≥ size). Redis 7.0
 * replies an array in every case, also in RESP3.
 */
function srandmemberWithCount(c: Client): void {
  const l = c.argI64(2);
  if (l === null) return c.reply.error(NOT_INTEGER);
  if (l < -LONG_MAX) return c.reply.error(OUT_OF_LONG_RANGE);
  const o = lookupSet(c, 1, LOOKUP_READ);
  if (o < 0) return;
  const count = Number(l < 0 ? -l : l);
  if (o === 0 || count === 0) return c.reply.array(0);
  const x = c.e.x;
  if (l < 0 || count === 1) {
    c.reply.array(count);
    for (let left = count; left > 0; left -= RANDOM_BATCH) {
      const n = x.setRandomMembers(o, Math.min(left, RANDOM_BATCH));
      replyMemberList(c, n);
    }
    return;
  }
  const n = count >= x.setTypeSize(o) ? x.setListMembers(o) : x.srandmemberDistinct(o, count);
  c.reply.array(n);
  replyMemberList(c, n);
}

// ── Set algebra ──────────────────────────────────────────────────────────────

/**
 * Looks up argv[from..from+n) into the engine's operand table (0 for a
 * missing key). Returns how many were missing, or -1 after replying
 * WRONGTYPE: every key is checked, a missing one does not stop the checks.
 */
function loadOperands(c: Client, from: number, n: number, flags: number): number {
  const e = c.e;
  const table = e.x.setOpTable(n) >> 2;
  let missing = 0;
  for (let j = 0; j < n; j++) {
    e.refresh();
    const o = lookupSet(c, from + j, flags);
    if (o < 0) return -1;
    if (o === 0) missing++;
    e.refresh();
    e.u32[table + j] = o;
  }
  return missing;
}

/**
 * Puts the set the engine just built under argv[dstIdx], or deletes the
 * destination when the result is empty (Redis 7.0: a write only counts if
 * something changed). Replies the cardinality.
 */
function storeResult(c: Client, dstIdx: number, card: number): void {
  const x = c.e.x;
  const kp = c.argPtr(dstIdx);
  const kl = c.argLen(dstIdx);
  if (card > 0) {
    // setKey's lookupKeyWrite: an expired destination is deleted first.
    x.lookupKey(c.db, kp, kl, LOOKUP_WRITE);
    x.dbSetValue(c.db, kp, kl, x.setOpDst(), 0);
    c.e.refresh();
    signalModifiedKey(c, dstIdx);
    c.server.dirty++;
    return c.reply.int(card);
  }
  if (x.dbDelete(c.db, kp, kl)) {
    c.e.refresh();
    signalModifiedKey(c, dstIdx);
    c.server.dirty++;
  }
  c.reply.int(0);
}

type InterMode = "reply" | "card" | "store";

/** SINTER, SMEMBERS, SINTERCARD and SINTERSTORE (Redis's sinterGenericCommand). */
function sinterGeneric(c: Client, from: number, n: number, mode: InterMode, dstIdx = -1, limit = 0): void {
  const missing = loadOperands(c, from, n, LOOKUP_READ);
  if (missing < 0) return;
  const x = c.e.x;
  // An intersection with an empty set is empty.
  if (missing > 0) {
    if (mode === "store") return storeResult(c, dstIdx, 0);
    return mode === "card" ? c.reply.int(0) : c.reply.set(0);
  }
  if (mode === "card") return c.reply.int(x.sinter(n, SINK_COUNT, limit));
  if (mode === "store") return storeResult(c, dstIdx, x.sinter(n, SINK_STORE, 0));
  const card = x.sinter(n, SINK_LIST, 0);
  c.reply.set(card);
  replyMemberList(c, card);
}

/** SUNION, SDIFF and their STORE forms (Redis's sunionDiffGenericCommand); dstIdx < 0 replies the members. */
function sunionDiffGeneric(c: Client, from: number, n: number, op: number, dstIdx: number): void {
  if (loadOperands(c, from, n, LOOKUP_READ) < 0) return;
  const x = c.e.x;
  if (dstIdx >= 0) return storeResult(c, dstIdx, x.sunionDiff(n, op, SINK_STORE));
  const card = x.sunionDiff(n, op, SINK_LIST);
  c.reply.set(card);
  replyMemberList(c, card);
}

// SMEMBERS key
function smembers(c: Client): void {
  sinterGeneric(c, 1, 1, "reply");
}

// SINTER key [key ...]
function sinter(c: Client): void {
  sinterGeneric(c, 1, c.argc - 1, "reply");
}

// SINTERSTORE destination key [key ...]
function sinterstore(c: Client): void {
  sinterGeneric(c, 2, c.argc - 2, "store", 1);
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
function sintercard(c: Client): void {
  const numkeys = c.argI64(1);
  if (numkeys === null || numkeys < 1) return c.reply.error(NUMKEYS_NOT_POSITIVE);
  if (numkeys > c.argc - 2) return c.reply.error(NUMKEYS_OVER_ARGS);
  const n = Number(numkeys);
  let limit = 0;
  // Parsed left to right like Redis: a bad LIMIT value is reported before a later bad token.
  for (let j = 2 + n; j < c.argc; j++) {
    if (!cStringIs(c, j, "limit") || j + 1 >= c.argc) return c.reply.error(SYNTAX);
    const v = c.argI64(++j);
    if (v === null || v < 0) return c.reply.error(LIMIT_NEGATIVE);
    limit = v > U32_MAX ? U32_MAX : Number(v);
  }
  sinterGeneric(c, 2, n, "card", -1, limit);
}

// SUNION key [key ...]
function sunion(c: Client): void {
  sunionDiffGeneric(c, 1, c.argc - 1, OP_UNION, -1);
}

// SUNIONSTORE destination key [key ...]
function sunionstore(c: Client): void {
  sunionDiffGeneric(c, 2, c.argc - 2, OP_UNION, 1);
}

// SDIFF key [key ...]
function sdiff(c: Client): void {
  sunionDiffGeneric(c, 1, c.argc - 1, OP_DIFF, -1);
}

// SDIFFSTORE destination key [key ...]
function sdiffstore(c: Client): void {
  sunionDiffGeneric(c, 2, c.argc - 2, OP_DIFF, 1);
}

// ── SSCAN ────────────────────────────────────────────────────────────────────

/** A set as a scan source: the engine lists one step's members (an intset whole, cursor 0). */
const setScan: ScanSource = {
  stride: 1,
  collect(c, o, cursor, opts, page) {
    const e = c.e;
    const next = e.x.sscan(o, cursor, opts.count);
    const n = e.retI32(0);
    e.refresh();
    let p = e.x.setListPtr();
    for (let i = 0; i < n; i++) {
      const len = e.u32[p >> 2];
      page.push(p + 4, len);
      p += 4 + ((len + 3) & ~3);
    }
    return next;
  },
};

// SSCAN key cursor [MATCH pattern] [COUNT count]
function sscan(c: Client): void {
  const cursor = scanCursorOrReply(c, 2);
  if (cursor === null) return;
  const o = lookupSet(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.raw(EMPTY_SCAN);
  scanGeneric(c, o, cursor, 3, setScan);
}

export const setCommands: CommandDef[] = [
  { name: "sadd", handler: sadd },
  { name: "srem", handler: srem },
  { name: "scard", handler: scard },
  { name: "sismember", handler: sismember },
  { name: "smismember", handler: smismember },
  { name: "smembers", handler: smembers },
  { name: "srandmember", handler: srandmember },
  { name: "spop", handler: spop },
  { name: "smove", handler: smove },
  { name: "sinter", handler: sinter },
  { name: "sintercard", handler: sintercard },
  { name: "sinterstore", handler: sinterstore },
  { name: "sunion", handler: sunion },
  { name: "sunionstore", handler: sunionstore },
  { name: "sdiff", handler: sdiff },
  { name: "sdiffstore", handler: sdiffstore },
  { name: "sscan", handler: sscan },
];

/** The intset threshold the engine enforces, kept in step with the config (Redis caps it at 2^30). */
export const setEngineParams: EngineParam[] = [
  {
    names: ["set-max-intset-entries"],
    apply: (e, config) => e.x.setMaxIntsetEntries(Math.min(config.int("set-max-intset-entries"), MAX_INTSET_ENTRIES)),
  },
];
