// List commands (Redis 7.0's t_list.c): pushes, pops (with counts, from
// several keys, blocking), indexes, ranges, LINSERT, LPOS, LREM, LSET,
// LTRIM, LMOVE. The quicklist lives in the engine (assembly/t_list.ts);
// replies with many elements come back from it as ready RESP bytes.
//
// Every write signals the key (which also serves clients blocked on it) and
// counts its changes in server.dirty; a list left empty is deleted. Pops
// that came from a blocking command or a multi-key pop propagate as the
// plain pop they performed, as Redis rewrites them.

import { type Engine, LOOKUP_READ, LOOKUP_WRITE, OBJ_LIST } from "../engine/engine";
import { blockForKeys, denyBlocking, timeoutOrReply } from "../server/blocking";
import type { Client } from "../server/client";
import type { Config } from "../server/config";
import {
  INDEX_OUT_OF_RANGE,
  MUST_BE_POSITIVE,
  NO_SUCH_KEY,
  NOT_INTEGER,
  SYNTAX,
  WRONGTYPE,
  wrongArity,
} from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef, EngineParam } from "./table";

const LIST_HEAD = 0;
const LIST_TAIL = 1;
/** The largest double below 2^63: the engine truncates index arguments to int64. */
const I64_MAX_F64 = 2 ** 63 - 1024;
const LLONG_MIN = -(2n ** 63n);
/** A reply buffer that grew past this is given back once copied. */
const RB_KEEP = 1 << 20;

const enc = new TextEncoder();
const LPOP = enc.encode("LPOP");
const RPOP = enc.encode("RPOP");
const LMOVE = enc.encode("LMOVE");
const RPOPLPUSH = enc.encode("RPOPLPUSH");
const ONE = enc.encode("1");

const RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const COUNT_NEGATIVE = "ERR COUNT can't be negative";
const MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
const NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";
const COUNT_NOT_POSITIVE = "ERR count should be greater than 0";

// ── Helpers ──────────────────────────────────────────────────────────────────

/** Copies the reply the engine wrote into its reply buffer. */
function replyFromEngine(c: Client, len: number): void {
  const e = c.e;
  const p = e.x.rbPtr();
  e.refresh();
  c.reply.raw(e.u8.subarray(p, p + len));
  if (len > RB_KEEP) e.x.rbShrink();
}

/** The list at argv[i]: its object, 0 when missing, or -1 after replying WRONGTYPE. */
function lookupList(c: Client, i: number, flags: number): number {
  const o = c.e.x.lookupKey(c.db, c.argPtr(i), c.argLen(i), flags);
  if (o !== 0 && c.e.objType(o) !== OBJ_LIST) {
    c.reply.error(WRONGTYPE);
    return -1;
  }
  return o;
}

/** A new list stored at argv[i] (Redis's createQuicklistObject + dbAdd). */
function createList(c: Client, i: number): number {
  const o = c.e.x.listCreate();
  c.e.x.dbSetValue(c.db, c.argPtr(i), c.argLen(i), o, 0);
  return o;
}

/**
 * A signed 64-bit argument as a number the engine can take (Redis's
 * getLongFromObjectOrReply). Beyond 2^53 only LLONG_MIN must stay exact
 * (LPOS RANK negates it); other values just need to stay out of range.
 */
function longOrReply(c: Client, i: number, msg = NOT_INTEGER): number | null {
  const v = c.argI64(i);
  if (v === null) {
    c.reply.error(msg);
    return null;
  }
  if (typeof v === "number") return v;
  if (v === LLONG_MIN) return -(2 ** 63);
  return Math.max(-I64_MAX_F64, Math.min(Number(v), I64_MAX_F64));
}

/** getPositiveLongFromObjectOrReply: one message for "not an integer" and "negative". */
function positiveOrReply(c: Client, i: number, msg = MUST_BE_POSITIVE): number | null {
  const v = longOrReply(c, i, msg);
  if (v !== null && v < 0) {
    c.reply.error(msg);
    return null;
  }
  return v;
}

/** getRangeLongFromObjectOrReply(1, LONG_MAX, msg): `msg` for anything not a positive integer. */
function atLeastOneOrReply(c: Client, i: number, msg: string): number | null {
  const v = longOrReply(c, i, msg);
  if (v !== null && v < 1) {
    c.reply.error(msg);
    return null;
  }
  return v;
}

/** LEFT / RIGHT (getListPositionFromObjectOrReply). */
function positionOrReply(c: Client, i: number): number | null {
  if (c.argIs(i, "LEFT")) return LIST_HEAD;
  if (c.argIs(i, "RIGHT")) return LIST_TAIL;
  c.reply.error(SYNTAX);
  return null;
}

/**
 * After elements left the list at argv[keyIdx]: deletes it when empty,
 * signals the key, counts the change (Redis's listElementsRemoved).
 */
function elementsRemoved(c: Client, keyIdx: number, o: number, count: number): void {
  if (c.e.x.listLength(o) === 0) c.e.x.dbDelete(c.db, c.argPtr(keyIdx), c.argLen(keyIdx));
  signalModifiedKey(c, keyIdx);
  c.server.dirty += count;
}

/** Propagate the command as [LR]POP key [count] instead. */
function rewriteAsPop(c: Client, where: number, keyIdx: number, count: number | null): void {
  if (!c.server.propagating()) return;
  const args = [where === LIST_HEAD ? LPOP : RPOP, c.argCopy(keyIdx)];
  if (count !== null) args.push(enc.encode(String(count)));
  c.rewritten = args;
}

// ── Push ─────────────────────────────────────────────────────────────────────

/** LPUSH/RPUSH/LPUSHX/RPUSHX; `xx` pushes only onto an existing list (pushGenericCommand). */
function pushGeneric(c: Client, where: number, xx: boolean): void {
  let o = lookupList(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) {
    if (xx) return c.reply.int(0);
    o = createList(c, 1);
  }
  const len = c.e.x.listPushArgv(o, c.argvBase << 2, 2, c.argc, where);
  c.server.dirty += c.argc - 2;
  c.reply.int(len);
  signalModifiedKey(c, 1);
}

// LPUSH key element [element ...]
function lpush(c: Client): void {
  pushGeneric(c, LIST_HEAD, false);
}

// RPUSH key element [element ...]
function rpush(c: Client): void {
  pushGeneric(c, LIST_TAIL, false);
}

// LPUSHX key element [element ...]
function lpushx(c: Client): void {
  pushGeneric(c, LIST_HEAD, true);
}

// RPUSHX key element [element ...]
function rpushx(c: Client): void {
  pushGeneric(c, LIST_TAIL, true);
}

// ── Pop ──────────────────────────────────────────────────────────────────────

/** LPOP/RPOP key [count] (popGenericCommand). */
function popGeneric(c: Client, where: number): void {
  // The arity allows any number of arguments; Redis checks here.
  if (c.argc > 3) return c.reply.error(wrongArity(c.server.currentCommandName));
  const hasCount = c.argc === 3;
  let count = 0;
  if (hasCount) {
    const v = positiveOrReply(c, 2);
    if (v === null) return;
    count = v;
  }
  const o = lookupList(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return hasCount ? c.reply.nilArray() : c.reply.nil();
  if (hasCount && count === 0) return c.reply.array(0);
  if (!hasCount) {
    replyFromEngine(c, c.e.x.listPopReply(o, where));
    return elementsRemoved(c, 1, o, 1);
  }
  const n = Math.min(count, c.e.x.listLength(o));
  replyFromEngine(c, c.e.x.listPopRangeReply(o, where, n));
  elementsRemoved(c, 1, o, n);
}

// LPOP key [count]
function lpop(c: Client): void {
  popGeneric(c, LIST_HEAD);
}

// RPOP key [count]
function rpop(c: Client): void {
  popGeneric(c, LIST_TAIL);
}

/**
 * Pops up to count elements from the list at argv[keyIdx] replying
 * [key, [elements]] (listPopRangeAndReplyWithKey); propagates as
 * [LR]POP key count.
 */
function popRangeWithKey(c: Client, o: number, keyIdx: number, where: number, count: number): void {
  const n = Math.min(count, c.e.x.listLength(o));
  c.reply.array(2);
  c.reply.bulk(c.arg(keyIdx));
  replyFromEngine(c, c.e.x.listPopRangeReply(o, where, n));
  elementsRemoved(c, keyIdx, o, n);
  rewriteAsPop(c, where, keyIdx, n);
}

/** The first non-empty list among argv[first..first+numkeys); 0 when none, -1 after WRONGTYPE. */
function firstNonEmpty(c: Client, first: number, numkeys: number): { o: number; keyIdx: number } {
  for (let j = first; j < first + numkeys; j++) {
    const o = lookupList(c, j, LOOKUP_WRITE);
    if (o < 0) return { o: -1, keyIdx: j };
    if (o !== 0 && c.e.x.listLength(o) > 0) return { o, keyIdx: j };
  }
  return { o: 0, keyIdx: -1 };
}

// ── Reads ────────────────────────────────────────────────────────────────────

// LLEN key
function llen(c: Client): void {
  const o = lookupList(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o === 0 ? 0 : c.e.x.listLength(o));
}

// LINDEX key index
function lindex(c: Client): void {
  const o = lookupList(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.nil();
  const index = longOrReply(c, 2);
  if (index === null) return;
  const len = c.e.x.listIndexReply(o, index);
  if (len === 0) return c.reply.nil();
  replyFromEngine(c, len);
}

// LRANGE key start stop
function lrange(c: Client): void {
  const start = longOrReply(c, 2);
  if (start === null) return;
  const end = longOrReply(c, 3);
  if (end === null) return;
  const o = lookupList(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.array(0);
  replyFromEngine(c, c.e.x.listRangeReply(o, start, end, 0));
}

const LPOS_OPTIONS = ["RANK", "COUNT", "MAXLEN"];

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
function lpos(c: Client): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < c.argc; j++) {
    const opt = LPOS_OPTIONS.find((t) => c.argIs(j, t));
    if (opt === undefined || j === c.argc - 1) return c.reply.error(SYNTAX);
    j++;
    if (opt === "RANK") {
      const v = longOrReply(c, j);
      if (v === null) return;
      if (v === 0) return c.reply.error(RANK_ZERO);
      rank = v;
    } else {
      const v = positiveOrReply(c, j, opt === "COUNT" ? COUNT_NEGATIVE : MAXLEN_NEGATIVE);
      if (v === null) return;
      if (opt === "COUNT") count = v;
      else maxlen = v;
    }
  }
  const o = lookupList(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return count !== -1 ? c.reply.array(0) : c.reply.nil();
  const r = c.e.x.listPos(o, c.argPtr(2), c.argLen(2), rank, count, maxlen);
  if (count === -1) return r < 0 ? c.reply.nil() : c.reply.int(r);
  // The engine wrote the matches as integers; the array header is ours.
  c.reply.array(r);
  if (r > 0) replyFromEngine(c, c.e.x.rbSize());
}

// ── Writes ───────────────────────────────────────────────────────────────────

// LINSERT key BEFORE|AFTER pivot element
function linsert(c: Client): void {
  let after: boolean;
  if (c.argIs(2, "AFTER")) after = true;
  else if (c.argIs(2, "BEFORE")) after = false;
  else return c.reply.error(SYNTAX);
  const o = lookupList(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.int(0);
  const inserted = c.e.x.listInsert(o, after ? 1 : 0, c.argPtr(3), c.argLen(3), c.argPtr(4), c.argLen(4));
  if (!inserted) return c.reply.int(-1);
  signalModifiedKey(c, 1);
  c.server.dirty++;
  c.reply.int(c.e.x.listLength(o));
}

// LSET key index element
function lset(c: Client): void {
  const o = lookupList(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.error(NO_SUCH_KEY);
  const index = longOrReply(c, 2);
  if (index === null) return;
  if (!c.e.x.listSet(o, index, c.argPtr(3), c.argLen(3))) return c.reply.error(INDEX_OUT_OF_RANGE);
  c.reply.ok();
  signalModifiedKey(c, 1);
  c.server.dirty++;
}

// LTRIM key start stop
function ltrim(c: Client): void {
  const start = longOrReply(c, 2);
  if (start === null) return;
  const end = longOrReply(c, 3);
  if (end === null) return;
  const o = lookupList(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.ok();
  const removed = c.e.x.listTrim(o, start, end);
  if (c.e.x.listLength(o) === 0) c.e.x.dbDelete(c.db, c.argPtr(1), c.argLen(1));
  // Redis signals the key even when nothing was trimmed.
  signalModifiedKey(c, 1);
  c.server.dirty += removed;
  c.reply.ok();
}

// LREM key count element
function lrem(c: Client): void {
  const toremove = longOrReply(c, 2);
  if (toremove === null) return;
  const o = lookupList(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.int(0);
  const removed = c.e.x.listRem(o, toremove, c.argPtr(3), c.argLen(3));
  c.server.dirty += removed;
  if (removed > 0) signalModifiedKey(c, 1);
  if (c.e.x.listLength(o) === 0) c.e.x.dbDelete(c.db, c.argPtr(1), c.argLen(1));
  c.reply.int(removed);
}

// ── Moves ────────────────────────────────────────────────────────────────────

/**
 * LMOVE/RPOPLPUSH and their blocking forms once the source has elements
 * (lmoveGenericCommand): pops from argv[1], pushes onto argv[2], replies
 * the element.
 */
function lmoveGeneric(c: Client, from: number, to: number): void {
  const src = lookupList(c, 1, LOOKUP_WRITE);
  if (src < 0) return;
  if (src === 0) return c.reply.nil();
  let dst = lookupList(c, 2, LOOKUP_WRITE);
  if (dst < 0) return;
  const e = c.e;
  // A copy: the push may go to the same list the element came from.
  const vp = e.x.listPopCopy(src, from);
  const vl = e.retI32(0);
  if (dst === 0) dst = createList(c, 2);
  signalModifiedKey(c, 2);
  e.x.listPush(dst, vp, vl, to);
  e.refresh();
  c.reply.bulkFrom(e.u8, vp, vl);
  if (e.x.listLength(src) === 0) e.x.dbDelete(c.db, c.argPtr(1), c.argLen(1));
  signalModifiedKey(c, 1);
  c.server.dirty++;
  rewriteMove(c);
}

/** BLMOVE propagates as LMOVE, BRPOPLPUSH as RPOPLPUSH. */
function rewriteMove(c: Client): void {
  if (!c.server.propagating()) return;
  const name = c.server.currentCommandName;
  if (name === "blmove") c.rewritten = [LMOVE, c.argCopy(1), c.argCopy(2), c.argCopy(3), c.argCopy(4)];
  else if (name === "brpoplpush") c.rewritten = [RPOPLPUSH, c.argCopy(1), c.argCopy(2)];
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
function lmove(c: Client): void {
  const from = positionOrReply(c, 3);
  if (from === null) return;
  const to = positionOrReply(c, 4);
  if (to === null) return;
  lmoveGeneric(c, from, to);
}

// RPOPLPUSH source destination
function rpoplpush(c: Client): void {
  lmoveGeneric(c, LIST_TAIL, LIST_HEAD);
}

// ── Multi-key and blocking pops ──────────────────────────────────────────────

interface MpopArgs {
  numkeys: number;
  where: number;
  count: number;
}

/** LMPOP/BLMPOP arguments after numkeys at argv[numkeysIdx] (lmpopGenericCommand). */
function mpopArgsOrReply(c: Client, numkeysIdx: number): MpopArgs | null {
  const numkeys = atLeastOneOrReply(c, numkeysIdx, NUMKEYS_NOT_POSITIVE);
  if (numkeys === null) return null;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= c.argc) {
    c.reply.error(SYNTAX);
    return null;
  }
  const where = positionOrReply(c, whereIdx);
  if (where === null) return null;
  let count = -1;
  for (let j = whereIdx + 1; j < c.argc; j++) {
    if (count === -1 && c.argIs(j, "COUNT") && j < c.argc - 1) {
      j++;
      const v = atLeastOneOrReply(c, j, COUNT_NOT_POSITIVE);
      if (v === null) return null;
      count = v;
    } else {
      c.reply.error(SYNTAX);
      return null;
    }
  }
  return { numkeys, where, count: count === -1 ? 1 : count };
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
function lmpop(c: Client): void {
  const a = mpopArgsOrReply(c, 1);
  if (a === null) return;
  const { o, keyIdx } = firstNonEmpty(c, 2, a.numkeys);
  if (o < 0) return;
  if (o === 0) return c.reply.nilArray();
  popRangeWithKey(c, o, keyIdx, a.where, a.count);
}

/**
 * BLPOP/BRPOP/BLMPOP (blockingPopGenericCommand): pops from the first
 * non-empty key, else blocks on all of them. `count` is null for the
 * single-element forms.
 */
function blockingPop(
  c: Client,
  first: number,
  numkeys: number,
  where: number,
  timeoutIdx: number,
  count: number | null,
): void {
  const deadline = timeoutOrReply(c, timeoutIdx);
  if (deadline === null) return;
  const { o, keyIdx } = firstNonEmpty(c, first, numkeys);
  if (o < 0) return;
  if (o > 0) {
    if (count !== null) return popRangeWithKey(c, o, keyIdx, where, count);
    c.reply.array(2);
    c.reply.bulk(c.arg(keyIdx));
    replyFromEngine(c, c.e.x.listPopReply(o, where));
    elementsRemoved(c, keyIdx, o, 1);
    return rewriteAsPop(c, where, keyIdx, null);
  }
  // Not allowed to wait: treated as an immediate timeout.
  if (denyBlocking(c)) return c.reply.nilArray();
  const args = c.argvCopy();
  const keys = args.slice(first, first + numkeys);
  // Served later on the key that became ready, as if it had been the only one given.
  const rerun =
    count === null
      ? (key: Uint8Array) => [args[0], key, args[timeoutIdx]]
      : (key: Uint8Array) => [args[0], args[1], ONE, key, ...args.slice(first + numkeys)];
  blockForKeys(c, keys, OBJ_LIST, deadline, rerun);
}

// BLPOP key [key ...] timeout
function blpop(c: Client): void {
  blockingPop(c, 1, c.argc - 2, LIST_HEAD, c.argc - 1, null);
}

// BRPOP key [key ...] timeout
function brpop(c: Client): void {
  blockingPop(c, 1, c.argc - 2, LIST_TAIL, c.argc - 1, null);
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
function blmpop(c: Client): void {
  const a = mpopArgsOrReply(c, 2);
  if (a === null) return;
  blockingPop(c, 3, a.numkeys, a.where, 1, a.count);
}

/** BLMOVE/BRPOPLPUSH (blmoveGenericCommand): moves now, or blocks on the source. */
function blmoveGeneric(c: Client, from: number, to: number, deadline: number): void {
  const src = lookupList(c, 1, LOOKUP_WRITE);
  if (src < 0) return;
  if (src > 0) return lmoveGeneric(c, from, to);
  // Refused blocking replies a plain null here, unlike the pops.
  if (denyBlocking(c)) return c.reply.nil();
  const args = c.argvCopy();
  blockForKeys(c, [args[1]], OBJ_LIST, deadline, () => args);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
function blmove(c: Client): void {
  const from = positionOrReply(c, 3);
  if (from === null) return;
  const to = positionOrReply(c, 4);
  if (to === null) return;
  const deadline = timeoutOrReply(c, 5);
  if (deadline === null) return;
  blmoveGeneric(c, from, to, deadline);
}

// BRPOPLPUSH source destination timeout
function brpoplpush(c: Client): void {
  const deadline = timeoutOrReply(c, 3);
  if (deadline === null) return;
  blmoveGeneric(c, LIST_TAIL, LIST_HEAD, deadline);
}

export const listCommands: CommandDef[] = [
  { name: "lpush", handler: lpush },
  { name: "rpush", handler: rpush },
  { name: "lpushx", handler: lpushx },
  { name: "rpushx", handler: rpushx },
  { name: "lpop", handler: lpop },
  { name: "rpop", handler: rpop },
  { name: "llen", handler: llen },
  { name: "lindex", handler: lindex },
  { name: "lrange", handler: lrange },
  { name: "lpos", handler: lpos },
  { name: "linsert", handler: linsert },
  { name: "lset", handler: lset },
  { name: "ltrim", handler: ltrim },
  { name: "lrem", handler: lrem },
  { name: "lmove", handler: lmove },
  { name: "rpoplpush", handler: rpoplpush },
  { name: "lmpop", handler: lmpop },
  { name: "blpop", handler: blpop },
  { name: "brpop", handler: brpop },
  { name: "blmpop", handler: blmpop },
  { name: "blmove", handler: blmove },
  { name: "brpoplpush", handler: brpoplpush },
];

/** list-max-listpack-size and list-compress-depth, which new lists take from the engine. */
export const listEngineParams: EngineParam[] = [
  {
    names: ["list-max-listpack-size", "list-compress-depth"],
    apply: (e: Engine, config: Config) =>
      e.x.setListOptions(
        Math.max(-2147483648, Math.min(config.int("list-max-listpack-size"), 2147483647)),
        Math.min(config.int("list-compress-depth"), 2147483647),
      ),
  },
];
