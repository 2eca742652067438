// Sorted-set ranges (Redis 7.0's zrangeGenericCommand and friends): ZRANGE
// with BYSCORE/BYLEX/REV/LIMIT/WITHSCORES, ZRANGESTORE, the older
// ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX, ZCOUNT, ZLEXCOUNT and
// ZREMRANGEBYRANK/SCORE/LEX. Every range is one engine walk feeding a sink:
// the item table a reply is written from, or a new zset ZRANGESTORE stores.

import { LOOKUP_READ, LOOKUP_WRITE } from "../engine/engine";
import type { Client } from "../server/client";
import { LIMIT_NEEDS_BYSCORE_OR_BYLEX, NOT_INTEGER, SYNTAX, WITHSCORES_WITH_BYLEX } from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef } from "./table";
import {
  argTokenIs,
  lexRangeOrReply,
  lookupZset,
  replyItems,
  replyItemsWithScores,
  scoreRangeOrReply,
  ZSINK_REPLY,
  ZSINK_STORE,
} from "./zsets-shared";

/** Range kinds and directions, "auto" until an option or the command fixes them (Redis's zrange_type). */
const RANGE_AUTO = 0;
const RANGE_RANK = 1;
const RANGE_SCORE = 2;
const RANGE_LEX = 3;
const DIR_AUTO = 0;
const DIR_FORWARD = 1;
const DIR_REVERSE = 2;

/** A long argument clamped to what an f64 carries exactly (beyond that the outcome is the same), or null. */
function longOrReply(c: Client, i: number): number | null {
  return c.intOrReply(i, NOT_INTEGER);
}

interface RangeOptions {
  type: number;
  direction: number;
  withScores: boolean;
  offset: number;
  /** -1 (or any negative) for no limit; Redis checks exactly -1 for "LIMIT given". */
  limit: number;
}

/** Step 1 of zrangeGenericCommand: the options after <src> <min> <max>, errors as met. */
function rangeOptionsOrReply(c: Client, from: number, store: boolean, o: RangeOptions): boolean {
  for (let j = from; j < c.argc; j++) {
    const leftargs = c.argc - j - 1;
    if (!store && argTokenIs(c, j, "withscores")) {
      o.withScores = true;
    } else if (argTokenIs(c, j, "limit") && leftargs >= 2) {
      const offset = longOrReply(c, j + 1);
      if (offset === null) return false;
      const limit = longOrReply(c, j + 2);
      if (limit === null) return false;
      o.offset = offset;
      o.limit = limit;
      j += 2;
    } else if (o.direction === DIR_AUTO && argTokenIs(c, j, "rev")) {
      o.direction = DIR_REVERSE;
    } else if (o.type === RANGE_AUTO && argTokenIs(c, j, "bylex")) {
      o.type = RANGE_LEX;
    } else if (o.type === RANGE_AUTO && argTokenIs(c, j, "byscore")) {
      o.type = RANGE_SCORE;
    } else {
      c.reply.error(SYNTAX);
      return false;
    }
  }
  return true;
}

/** Step 2 of zrangeGenericCommand: the range itself. Rank bounds are returned, score and lex ones go to the engine. */
function rangeBoundsOrReply(c: Client, o: RangeOptions, argStart: number): [number, number] | null {
  // BYSCORE and BYLEX ranges are given as max, min when reversed.
  const swap = o.direction === DIR_REVERSE && o.type !== RANGE_RANK;
  const minIdx = swap ? argStart + 2 : argStart + 1;
  const maxIdx = swap ? argStart + 1 : argStart + 2;
  if (o.type === RANGE_SCORE) return scoreRangeOrReply(c, minIdx, maxIdx) ? [0, 0] : null;
  if (o.type === RANGE_LEX) return lexRangeOrReply(c, minIdx, maxIdx) ? [0, 0] : null;
  const start = longOrReply(c, minIdx);
  if (start === null) return null;
  const end = longOrReply(c, maxIdx);
  return end === null ? null : [start, end];
}

/**
 * The ZRANGE family (zrangeGenericCommand): `argStart` is the source key's
 * argv index; with `store` the result goes to the key at argv[1].
 */
function zrangeGeneric(c: Client, argStart: number, store: boolean, type: number, direction: number): void {
  const o: RangeOptions = { type, direction, withScores: false, offset: 0, limit: -1 };
  if (!rangeOptionsOrReply(c, argStart + 3, store, o)) return;
  if (o.direction === DIR_AUTO) o.direction = DIR_FORWARD;
  if (o.type === RANGE_AUTO) o.type = RANGE_RANK;
  if (o.limit !== -1 && o.type === RANGE_RANK) return c.reply.error(LIMIT_NEEDS_BYSCORE_OR_BYLEX);
  if (o.withScores && o.type === RANGE_LEX) return c.reply.error(WITHSCORES_WITH_BYLEX);
  const bounds = rangeBoundsOrReply(c, o, argStart);
  if (bounds === null) return;
  const src = lookupZset(c, argStart, LOOKUP_READ);
  if (src < 0) return;
  if (src === 0) return store ? finishStore(c, 0, 0) : c.reply.array(0);
  const e = c.e;
  const sink = store ? ZSINK_STORE : ZSINK_REPLY;
  const reverse = o.direction === DIR_REVERSE ? 1 : 0;
  const scores = o.withScores ? 1 : 0;
  const n =
    o.type === RANGE_RANK
      ? e.x.zrangeByRank(src, bounds[0], bounds[1], reverse, sink, scores)
      : e.x.zrangeByScoreOrLex(src, o.type === RANGE_LEX ? 1 : 0, reverse, o.offset, o.limit, sink, scores);
  e.refresh();
  if (store) return finishStore(c, n, e.x.zrangeDst());
  if (o.withScores) return replyItemsWithScores(c, n);
  c.reply.array(n);
  replyItems(c, 0, n, false, false);
}

/**
 * ZRANGESTORE's ending (zrangeResultFinalizeStore): a non-empty result
 * replaces the destination (its TTL dropped); an empty one deletes it.
 * `dst` is the zset the walk filled, 0 when there was no walk.
 */
function finishStore(c: Client, n: number, dst: number): void {
  const e = c.e;
  if (n > 0) {
    e.x.dbSetValue(c.db, c.argPtr(1), c.argLen(1), dst, 0);
    signalModifiedKey(c, 1);
    c.server.dirty++;
    return c.reply.int(n);
  }
  if (dst !== 0) e.x.freeObject(dst);
  c.reply.int(0);
  if (e.x.dbDelete(c.db, c.argPtr(1), c.argLen(1))) {
    signalModifiedKey(c, 1);
    c.server.dirty++;
  }
}

// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
function zrange(c: Client): void {
  zrangeGeneric(c, 1, false, RANGE_AUTO, DIR_AUTO);
}

// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
function zrangestore(c: Client): void {
  zrangeGeneric(c, 2, true, RANGE_AUTO, DIR_AUTO);
}

// ZREVRANGE key start stop [WITHSCORES]
function zrevrange(c: Client): void {
  zrangeGeneric(c, 1, false, RANGE_RANK, DIR_REVERSE);
}

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
function zrangebyscore(c: Client): void {
  zrangeGeneric(c, 1, false, RANGE_SCORE, DIR_FORWARD);
}

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
function zrevrangebyscore(c: Client): void {
  zrangeGeneric(c, 1, false, RANGE_SCORE, DIR_REVERSE);
}

// ZRANGEBYLEX key min max [LIMIT offset count]
function zrangebylex(c: Client): void {
  zrangeGeneric(c, 1, false, RANGE_LEX, DIR_FORWARD);
}

// ZREVRANGEBYLEX key max min [LIMIT offset count]
function zrevrangebylex(c: Client): void {
  zrangeGeneric(c, 1, false, RANGE_LEX, DIR_REVERSE);
}

// ── Counting ─────────────────────────────────────────────────────────────────

// ZCOUNT key min max
function zcount(c: Client): void {
  if (!scoreRangeOrReply(c, 2, 3)) return;
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o === 0 ? 0 : c.e.x.zcountRange(o, 0));
}

// ZLEXCOUNT key min max
function zlexcount(c: Client): void {
  if (!lexRangeOrReply(c, 2, 3)) return;
  const o = lookupZset(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o === 0 ? 0 : c.e.x.zcountRange(o, 1));
}

// ── Range deletion ───────────────────────────────────────────────────────────

/** After a ZREMRANGEBY* deleted `n` members (zremrangeGenericCommand). */
function removedReply(c: Client, n: number): void {
  c.e.refresh();
  if (n > 0) signalModifiedKey(c, 1);
  c.server.dirty += n;
  c.reply.int(n);
}

// ZREMRANGEBYRANK key start stop
function zremrangebyrank(c: Client): void {
  const start = longOrReply(c, 2);
  if (start === null) return;
  const end = longOrReply(c, 3);
  if (end === null) return;
  const o = lookupZset(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.int(0);
  removedReply(c, c.e.x.zremRangeByRank(c.db, c.argPtr(1), c.argLen(1), o, start, end));
}

/** ZREMRANGEBYSCORE / ZREMRANGEBYLEX once the range is set in the engine. */
function zremrangeByScoreOrLex(c: Client, lex: boolean): void {
  const o = lookupZset(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.int(0);
  removedReply(c, c.e.x.zremRangeByScoreOrLex(c.db, c.argPtr(1), c.argLen(1), o, lex ? 1 : 0));
}

// ZREMRANGEBYSCORE key min max
function zremrangebyscore(c: Client): void {
  if (scoreRangeOrReply(c, 2, 3)) zremrangeByScoreOrLex(c, false);
}

// ZREMRANGEBYLEX key min max
function zremrangebylex(c: Client): void {
  if (lexRangeOrReply(c, 2, 3)) zremrangeByScoreOrLex(c, true);
}

export const zsetRangeCommands: CommandDef[] = [
  { name: "zrange", handler: zrange },
  { name: "zrangestore", handler: zrangestore },
  { name: "zrevrange", handler: zrevrange },
  { name: "zrangebyscore", handler: zrangebyscore },
  { name: "zrevrangebyscore", handler: zrevrangebyscore },
  { name: "zrangebylex", handler: zrangebylex },
  { name: "zrevrangebylex", handler: zrevrangebylex },
  { name: "zcount", handler: zcount },
  { name: "zlexcount", handler: zlexcount },
  { name: "zremrangebyrank", handler: zremrangebyrank },
  { name: "zremrangebyscore", handler: zremrangebyscore },
  { name: "zremrangebylex", handler: zremrangebylex },
];
