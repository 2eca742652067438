// Sorted set commands (Redis 7.0's t_zset.c): ZADD, ZINCRBY, ZREM, ZCARD,
// ZSCORE, ZMSCORE, ZRANK, ZREVRANK, the pops (ZPOPMIN, ZPOPMAX, ZMPOP and
// their blocking forms), ZRANDMEMBER and ZSCAN. Ranges are in
// zsets-range.ts, ZUNION/ZINTER/ZDIFF in zsets-algebra.ts. The encodings
// (listpack, then skiplist + dict) and every walk over them live in the
// engine (assembly/t_zset*.ts); here are argument checks, replies and
// propagation.

import { type Engine, LOOKUP_READ, LOOKUP_WRITE, OBJ_ZSET } from "../engine/engine";
import { timeoutOrReply } from "../server/blocking";
import type { Client } from "../server/client";
import { formatDouble, parseDouble } from "../util/numbers";
import {
  COUNT_NOT_POSITIVE,
  MUST_BE_POSITIVE,
  NOT_FLOAT,
  NOT_INTEGER,
  NUMKEYS_NOT_POSITIVE,
  OUT_OF_LONG_RANGE,
  SYNTAX,
  VALUE_OUT_OF_RANGE,
  WRONGTYPE,
  ZADD_GT_LT_NX,
  ZADD_INCR_PAIR,
  ZADD_XX_AND_NX,
  ZSET_SCORE_NAN,
} from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import { type ScanSource, scanCursorOrReply, scanGeneric } from "./scan";
import type { CommandDef, EngineParam } from "./table";
import { zsetAlgebraCommands } from "./zsets-algebra";
import { zsetRangeCommands } from "./zsets-range";
import {
  argTokenIs,
  argvAt,
  lookupZset,
  replyItems,
  replyItemsWithScores,
  ZSET_NAN,
  ZSET_WRONGTYPE,
} from "./zsets-shared";

const enc = new TextEncoder();
const ZPOPMIN = enc.encode("ZPOPMIN");
const ZPOPMAX = enc.encode("ZPOPMAX");
const ONE = enc.encode("1");

/** zsetAdd flags (assembly/t_zset.ts ZADD_IN_*). */
const ZADD_INCR = 1;
const ZADD_NX = 2;
const ZADD_XX = 4;
const ZADD_GT = 8;
const ZADD_LT = 16;

const LONG_MAX = 9223372036854775807n;
const U32_MAX = 0xffffffff;
/** ZRANDMEMBER with a negative count draws members in batches of this many. */
const RANDOM_BATCH = 1024;

// ── ZADD / ZINCRBY ───────────────────────────────────────────────────────────

interface ZaddArgs {
  flags: number;
  ch: boolean;
  /** argv index of the first score. */
  first: number;
  pairs: number;
}

/** CH is a reply option, not a zsetAdd flag. */
const ZADD_CH = 32;

/**
 * Which ZADD flag argv[i] is, or 0: compared as a C string in any case
 * (strcasecmp), read in place since this runs for every ZADD.
 */
function zaddFlagOf(c: Client, i: number): number {
  const u8 = c.e.u8;
  const p = c.argPtr(i);
  let n = c.argLen(i);
  for (let k = 0; k < n && k < 5; k++) {
    if (u8[p + k] === 0) n = k;
  }
  if (n < 2 || n > 4) return 0;
  const a = u8[p] | 0x20;
  const b = u8[p + 1] | 0x20;
  if (n === 4)
    return a === 0x69 && b === 0x6e && (u8[p + 2] | 0x20) === 0x63 && (u8[p + 3] | 0x20) === 0x72 ? ZADD_INCR : 0;
  if (n !== 2) return 0;
  if (a === 0x6e && b === 0x78) return ZADD_NX;
  if (a === 0x78 && b === 0x78) return ZADD_XX;
  if (a === 0x63 && b === 0x68) return ZADD_CH;
  if (a === 0x67 && b === 0x74) return ZADD_GT;
  if (a === 0x6c && b === 0x74) return ZADD_LT;
  return 0;
}

/** The flags before the first score, as zaddGenericCommand reads them. */
function zaddFlags(c: Client, flags: number): ZaddArgs {
  let i = 2;
  for (; i < c.argc; i++) {
    const f = zaddFlagOf(c, i);
    if (f === 0) break;
    flags |= f;
  }
  return { flags: flags & ~ZADD_CH, ch: (flags & ZADD_CH) !== 0, first: i, pairs: (c.argc - i) / 2 };
}

/** A score: canonical integers straight from the argv bytes, anything else through strtod's rules. */
function scoreArg(c: Client, i: number): number | null {
  const v = c.argI64(i);
  return typeof v === "number" ? v : parseDouble(c.arg(i));
}

/** The option conflicts Redis refuses, in its order; null when the combination is fine. */
function zaddConflict(a: ZaddArgs): string | null {
  const f = a.flags;
  if (f & ZADD_NX && f & ZADD_XX) return ZADD_XX_AND_NX;
  if ((f & ZADD_GT && f & ZADD_NX) || (f & ZADD_LT && f & ZADD_NX) || (f & ZADD_GT && f & ZADD_LT)) {
    return ZADD_GT_LT_NX;
  }
  if (f & ZADD_INCR && a.pairs > 1) return ZADD_INCR_PAIR;
  return null;
}

/** An engine block per engine for ZADD's parsed scores, grown as needed (kept, not freed per call). */
const scoreBlocks = new WeakMap<Engine, { ptr: number; cap: number }>();

function scoreBlock(e: Engine, n: number): number {
  let b = scoreBlocks.get(e);
  if (b === undefined || b.cap < n) {
    if (b !== undefined) e.x.zfree(b.ptr);
    const cap = Math.max(n, 16, (b?.cap ?? 0) * 2);
    b = { ptr: e.x.zmalloc(cap * 8), cap };
    scoreBlocks.set(e, b);
    e.refresh();
  }
  return b.ptr;
}

/** Parses every score into engine memory; returns its address, or null after replying. */
function scoresOrReply(c: Client, a: ZaddArgs): number | null {
  const e = c.e;
  const ptr = scoreBlock(e, a.pairs);
  for (let j = 0; j < a.pairs; j++) {
    const v = scoreArg(c, a.first + 2 * j);
    if (v === null) {
      c.reply.error(NOT_FLOAT);
      return null;
    }
    e.f64[(ptr >> 3) + j] = v;
  }
  return ptr;
}

/** ZADD and ZINCRBY (zaddGenericCommand). */
function zaddGeneric(c: Client, inFlags: number): void {
  const a = zaddFlags(c, inFlags);
  const elements = c.argc - a.first;
  if (elements % 2 !== 0 || elements === 0) return c.reply.error(SYNTAX);
  const conflict = zaddConflict(a);
  if (conflict !== null) return c.reply.error(conflict);
  const scores = scoresOrReply(c, a);
  if (scores === null) return;
  const e = c.e;
  const added = e.x.zaddGeneric(c.db, c.argPtr(1), c.argLen(1), argvAt(c, a.first), scores, a.pairs, a.flags);
  e.refresh();
  if (added === ZSET_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (added === ZSET_NAN) return c.reply.error(ZSET_SCORE_NAN);
  const updated = e.x.zaddUpdated();
  if (added + updated > 0) signalModifiedKey(c, 1);
  c.server.dirty += added + updated;
  if ((a.flags & ZADD_INCR) === 0) return c.reply.int(a.ch ? added + updated : added);
  if (e.x.zaddProcessed() > 0) c.reply.double(formatDouble(e.x.zsetLastScore()));
  else c.reply.nil();
}

// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
function zadd(c: Client): void {
  zaddGeneric(c, 0);
}

// ZINCRBY key increment member
function zincrby(c: Client): void {
  zaddGeneric(c, ZADD_INCR);
}

// ── Single-member reads and ZREM ─────────────────────────────────────────────

// ZREM key member [member ...]
function zrem(c: Client): void {
  const o = lookupZset(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.int(0);
  const removed = c.e.x.zremArgv(c.db, c.argPtr(1), c.argLen(1), o, argvAt(c, 2), c.argc - 2);
  c.e.refresh();
  if (removed > 0) {
    signalModifiedKey(c, 1);
    c.server.dirty += removed;
  }
  c.reply.int(removed);
}

// ZCARD key
function zcard(c: Client): void {
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o === 0 ? 0 : c.e.x.zsetLength(o));
}

/** Replies the member's score at argv[i] as a double, or null. */
function replyScore(c: Client, o: number, i: number): void {
  if (o === 0 || c.e.x.zsetScoreOf(o, c.argPtr(i), c.argLen(i)) === 0) return c.reply.nil();
  c.reply.double(formatDouble(c.e.x.zsetScoreFound()));
}

// ZSCORE key member
function zscore(c: Client): void {
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  replyScore(c, o, 2);
}

// ZMSCORE key member [member ...]
function zmscore(c: Client): void {
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.array(c.argc - 2);
  for (let i = 2; i < c.argc; i++) replyScore(c, o, i);
}

/** ZRANK / ZREVRANK (zrankGenericCommand). */
function zrankGeneric(c: Client, reverse: boolean): void {
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.nil();
  const rank = c.e.x.zsetRank(o, c.argPtr(2), c.argLen(2), reverse ? 1 : 0);
  if (rank < 0) return c.reply.nil();
  c.reply.int(rank);
}

// ZRANK key member
function zrank(c: Client): void {
  zrankGeneric(c, false);
}

// ZREVRANK key member
function zrevrank(c: Client): void {
  zrankGeneric(c, true);
}

// ── Pops ─────────────────────────────────────────────────────────────────────

/** getRangeLongFromObjectOrReply(lo, LONG_MAX, msg): `msg` for a non-integer too. */
function rangeLongOrReply(c: Client, i: number, lo: number, msg: string): number | null {
  const v = c.argI64(i);
  if (v === null || v < lo) {
    c.reply.error(msg);
    return null;
  }
  return typeof v === "bigint" ? Number.MAX_SAFE_INTEGER : v;
}

/** How a pop replies (genericZpopCommand's emitkey and use_nested_array). */
interface PopReply {
  /** Reply the key first (BZPOPMIN, ZMPOP). */
  withKey: boolean;
  /** Each member/score pair is an array of its own. */
  nested: boolean;
}

/**
 * Pops from the zset `o` at argv[keyIdx] and replies (genericZpopCommand
 * once a candidate is found); count -1 is the plain single pop.
 */
function popAndReply(c: Client, o: number, keyIdx: number, max: boolean, count: number, how: PopReply): void {
  const e = c.e;
  const n = e.x.zpop(
    c.db,
    c.argPtr(keyIdx),
    c.argLen(keyIdx),
    o,
    max ? 1 : 0,
    Math.min(count < 0 ? 1 : count, U32_MAX),
  );
  e.refresh();
  if (how.withKey && how.nested) {
    c.reply.array(2);
    c.reply.bulk(c.arg(keyIdx));
    c.reply.array(n);
  } else if (how.withKey) {
    c.reply.array(n * 2 + 1);
    c.reply.bulk(c.arg(keyIdx));
  } else {
    c.reply.array(how.nested ? n : n * 2);
  }
  replyItems(c, 0, n, true, how.nested);
  signalModifiedKey(c, keyIdx);
  c.server.dirty += n;
}

/** Propagate a pop as ZPOPMIN/ZPOPMAX key [count] (the blocking and multi-key forms are rewritten so). */
function rewriteAsPop(c: Client, max: boolean, keyIdx: number, count: number | null): void {
  if (!c.server.propagating()) return;
  const args = [max ? ZPOPMAX : ZPOPMIN, c.argCopy(keyIdx)];
  if (count !== null) args.push(enc.encode(String(count)));
  c.rewritten = args;
}

/** ZPOPMIN / ZPOPMAX (zpopMinMaxCommand). */
function zpopMinMax(c: Client, max: boolean): void {
  if (c.argc > 3) return c.reply.error(SYNTAX);
  let count = -1;
  if (c.argc === 3) {
    const v = rangeLongOrReply(c, 2, 0, MUST_BE_POSITIVE);
    if (v === null) return;
    count = v;
  }
  const o = lookupZset(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0 || count === 0) return c.reply.array(0);
  popAndReply(c, o, 1, max, count, { withKey: false, nested: c.resp === 3 && count !== -1 });
}

// ZPOPMIN key [count]
function zpopmin(c: Client): void {
  zpopMinMax(c, false);
}

// ZPOPMAX key [count]
function zpopmax(c: Client): void {
  zpopMinMax(c, true);
}

interface MpopArgs {
  numkeys: number;
  max: boolean;
  count: number;
}

/** ZMPOP/BZMPOP arguments after numkeys at argv[numkeysIdx] (zmpopGenericCommand). */
function mpopArgsOrReply(c: Client, numkeysIdx: number): MpopArgs | null {
  const numkeys = rangeLongOrReply(c, numkeysIdx, 1, NUMKEYS_NOT_POSITIVE);
  if (numkeys === null) return null;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= c.argc) return syntaxError(c);
  let max: boolean;
  if (argTokenIs(c, whereIdx, "min")) max = false;
  else if (argTokenIs(c, whereIdx, "max")) max = true;
  else return syntaxError(c);
  let count = -1;
  for (let j = whereIdx + 1; j < c.argc; j++) {
    if (count === -1 && argTokenIs(c, j, "count") && j < c.argc - 1) {
      j++;
      const v = rangeLongOrReply(c, j, 1, COUNT_NOT_POSITIVE);
      if (v === null) return null;
      count = v;
    } else {
      return syntaxError(c);
    }
  }
  return { numkeys, max, count: count === -1 ? 1 : count };
}

function syntaxError(c: Client): null {
  c.reply.error(SYNTAX);
  return null;
}

/** The first of numkeys keys from argv[first] that exists: its object and index, or o 0; o -1 after WRONGTYPE. */
function firstExisting(c: Client, first: number, numkeys: number): { o: number; keyIdx: number } {
  for (let i = first; i < first + numkeys; i++) {
    const o = lookupZset(c, i, LOOKUP_WRITE);
    if (o !== 0) return { o, keyIdx: i };
  }
  return { o: 0, keyIdx: -1 };
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
function zmpop(c: Client): void {
  const a = mpopArgsOrReply(c, 1);
  if (a === null) return;
  const { o, keyIdx } = firstExisting(c, 2, a.numkeys);
  if (o < 0) return;
  if (o === 0) return c.reply.nilArray();
  popAndReply(c, o, keyIdx, a.max, a.count, { withKey: true, nested: true });
  rewriteAsPop(c, a.max, keyIdx, a.count);
}

/** Blocking is refused in MULTI (EXEC runs with CLIENT_MULTI set) and for in-process clients. */
function denyBlocking(c: Client): boolean {
  return c.isMulti() || c.embedded || c.conn === null;
}

/**
 * BZPOPMIN/BZPOPMAX/BZMPOP (blockingGenericZpopCommand): pops from the
 * first key holding a zset, else blocks on all of them. `count` is null for
 * the single-element forms.
 */
function blockingPop(
  c: Client,
  first: number,
  numkeys: number,
  max: boolean,
  timeoutIdx: number,
  count: number | null,
): void {
  const deadline = timeoutOrReply(c, timeoutIdx);
  if (deadline === null) return;
  const { o, keyIdx } = firstExisting(c, first, numkeys);
  if (o < 0) return;
  if (o > 0) {
    popAndReply(c, o, keyIdx, max, count ?? -1, { withKey: true, nested: count !== null });
    return rewriteAsPop(c, max, keyIdx, count);
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
  const srv = c.server;
  const cmd = srv.table.commands.get(srv.currentCommandName);
  if (cmd === undefined) return c.reply.nilArray();
  srv.blocking.block(c, cmd, { keys, type: OBJ_ZSET, deadline, rerun });
}

// BZPOPMIN key [key ...] timeout
function bzpopmin(c: Client): void {
  blockingPop(c, 1, c.argc - 2, false, c.argc - 1, null);
}

// BZPOPMAX key [key ...] timeout
function bzpopmax(c: Client): void {
  blockingPop(c, 1, c.argc - 2, true, c.argc - 1, null);
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
function bzmpop(c: Client): void {
  const a = mpopArgsOrReply(c, 2);
  if (a === null) return;
  blockingPop(c, 3, a.numkeys, a.max, 1, a.count);
}

// ── ZRANDMEMBER ──────────────────────────────────────────────────────────────

// ZRANDMEMBER key [count [WITHSCORES]]
function zrandmember(c: Client): void {
  if (c.argc === 2) return zrandmemberOne(c);
  const raw = c.argI64(2);
  if (raw === null) return c.reply.error(NOT_INTEGER);
  const count = BigInt(raw);
  if (count < -LONG_MAX) return c.reply.error(OUT_OF_LONG_RANGE);
  if (c.argc > 4 || (c.argc === 4 && !argTokenIs(c, 3, "withscores"))) return c.reply.error(SYNTAX);
  const withScores = c.argc === 4;
  // The reply doubles the count for the scores, which must not overflow a long.
  if (withScores && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) return c.reply.error(VALUE_OUT_OF_RANGE);
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0 || count === 0n) return c.reply.array(0);
  if (count < 0n) return zrandmemberRepeats(c, o, -count, withScores);
  const wanted = Number(count > BigInt(U32_MAX) ? BigInt(U32_MAX) : count);
  const n = c.e.x.zsetRandom(o, wanted, 0);
  if (!withScores) {
    c.reply.array(n);
    return replyItems(c, 0, n, false, false);
  }
  replyItemsWithScores(c, n);
}

/** A negative count: independent draws, made in batches so the engine's item table stays small. */
function zrandmemberRepeats(c: Client, o: number, count: bigint, withScores: boolean): void {
  const nested = withScores && c.resp === 3;
  const total = Number(count);
  c.reply.array(withScores && !nested ? total * 2 : total);
  for (let left = total; left > 0; left -= RANDOM_BATCH) {
    const n = c.e.x.zsetRandom(o, Math.min(left, RANDOM_BATCH), 1);
    replyItems(c, 0, n, withScores, nested);
  }
}

function zrandmemberOne(c: Client): void {
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.nil();
  c.e.x.zsetRandom(o, 1, 1);
  replyItems(c, 0, 1, false, false);
}

// ── ZSCAN ────────────────────────────────────────────────────────────────────

/** A zset as a scan source: member, score-text pairs (a listpack whole, cursor 0). */
const zsetScan: ScanSource = {
  stride: 2,
  collect(c, o, cursor, opts, page) {
    const e = c.e;
    const n = e.x.zscanStep(o, cursor, opts.count, opts.maxIter);
    e.refresh();
    const u32 = e.u32;
    const base = e.x.zitemsPtr() >> 2;
    for (let i = 0; i < n; i++) page.push(u32[base + 4 * i], u32[base + 4 * i + 1]);
    return e.x.zscanCursor() >>> 0;
  },
};

// ZSCAN key cursor [MATCH pattern] [COUNT count]
function zscan(c: Client): void {
  const cursor = scanCursorOrReply(c, 2);
  if (cursor === null) return;
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) {
    c.reply.array(2);
    c.reply.bulkStr("0");
    return c.reply.array(0);
  }
  scanGeneric(c, o, cursor, 3, zsetScan);
}

export const zsetCommands: CommandDef[] = [
  { name: "zadd", handler: zadd },
  { name: "zincrby", handler: zincrby },
  { name: "zrem", handler: zrem },
  { name: "zcard", handler: zcard },
  { name: "zscore", handler: zscore },
  { name: "zmscore", handler: zmscore },
  { name: "zrank", handler: zrank },
  { name: "zrevrank", handler: zrevrank },
  { name: "zpopmin", handler: zpopmin },
  { name: "zpopmax", handler: zpopmax },
  { name: "zmpop", handler: zmpop },
  { name: "bzpopmin", handler: bzpopmin },
  { name: "bzpopmax", handler: bzpopmax },
  { name: "bzmpop", handler: bzmpop },
  { name: "zrandmember", handler: zrandmember },
  { name: "zscan", handler: zscan },
  ...zsetRangeCommands,
  ...zsetAlgebraCommands,
];

/** The listpack limits the engine enforces, kept in step with the config. */
export const zsetEngineParams: EngineParam[] = [
  {
    names: ["zset-max-listpack-entries", "zset-max-listpack-value"],
    apply: (e, config) =>
      e.x.setZsetLimits(
        Math.min(config.int("zset-max-listpack-entries"), U32_MAX),
        Math.min(config.int("zset-max-listpack-value"), U32_MAX),
      ),
  },
];
