// ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and
// ZINTERCARD (Redis 7.0's zunionInterDiffGenericCommand): inputs may be
// sorted sets or plain sets (members scoring 1), with WEIGHTS and
// AGGREGATE SUM|MIN|MAX for unions and intersections. The engine builds the
// result (assembly/t_zset_algebra.ts); here are the checks, in Redis's
// order, and the reply or the store.

import { LOOKUP_READ, OBJ_SET, OBJ_ZSET } from "../engine/engine";
import type { Client } from "../server/client";
import { parseDouble } from "../util/numbers";
import { atLeastOneInputKey, LIMIT_NEGATIVE, NOT_INTEGER, SYNTAX, WEIGHT_NOT_FLOAT, WRONGTYPE } from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef } from "./table";
import { argTokenIs, replyItems, replyItemsWithScores } from "./zsets-shared";

const ZOP_UNION = 0;
const ZOP_INTER = 1;
const ZOP_DIFF = 2;
const AGGR_SUM = 0;
const AGGR_MIN = 1;
const AGGR_MAX = 2;
/** Bytes per operand in the engine's table: object u32, pad, weight f64. */
const OPERAND_SIZE = 16;
const U32_MAX = 0xffffffff;

interface OpRequest {
  op: number;
  /** argv index of the destination key, or -1 when the result is replied. */
  dstIdx: number;
  numkeysIdx: number;
  /** ZINTERCARD: only the size of the intersection. */
  cardinalityOnly: boolean;
}

interface OpOptions {
  weights: number[];
  aggregate: number;
  withScores: boolean;
  limit: number;
}

/** numkeys: at least 1 and no more than the arguments that follow. */
function numkeysOrReply(c: Client, r: OpRequest): number | null {
  const v = c.argI64(r.numkeysIdx);
  if (v === null) return replyNull(c, NOT_INTEGER);
  if (v < 1) return replyNull(c, atLeastOneInputKey(c.server.currentCommandName));
  if (BigInt(v) > BigInt(c.argc - (r.numkeysIdx + 1))) return replyNull(c, SYNTAX);
  return Number(v);
}

function replyNull(c: Client, msg: string): null {
  c.reply.error(msg);
  return null;
}

/**
 * The input objects (0 for a missing key); null after WRONGTYPE. Read
 * before the options, and as reads even by the STORE forms (7.0 counts
 * their keyspace hits and misses).
 */
function inputsOrReply(c: Client, r: OpRequest, n: number): number[] | null {
  const objs: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = r.numkeysIdx + 1 + i;
    const o = c.e.x.lookupKey(c.db, c.argPtr(k), c.argLen(k), LOOKUP_READ);
    if (o !== 0 && c.e.objType(o) !== OBJ_ZSET && c.e.objType(o) !== OBJ_SET) return replyNull(c, WRONGTYPE);
    objs.push(o);
  }
  return objs;
}

/** WEIGHTS, AGGREGATE, WITHSCORES and LIMIT, each allowed only where Redis allows it. */
function opOptionsOrReply(c: Client, r: OpRequest, n: number): OpOptions | null {
  const o: OpOptions = { weights: new Array<number>(n).fill(1), aggregate: AGGR_SUM, withScores: false, limit: 0 };
  const weighted = r.op !== ZOP_DIFF && !r.cardinalityOnly;
  let j = r.numkeysIdx + 1 + n;
  while (j < c.argc) {
    const remaining = c.argc - j;
    if (weighted && remaining >= n + 1 && argTokenIs(c, j, "weights")) {
      j++;
      for (let i = 0; i < n; i++, j++) {
        const w = parseDouble(c.arg(j));
        if (w === null) return replyNull(c, WEIGHT_NOT_FLOAT);
        o.weights[i] = w;
      }
    } else if (weighted && remaining >= 2 && argTokenIs(c, j, "aggregate")) {
      const a = aggregateOf(c, j + 1);
      if (a < 0) return replyNull(c, SYNTAX);
      o.aggregate = a;
      j += 2;
    } else if (remaining >= 1 && r.dstIdx < 0 && !r.cardinalityOnly && argTokenIs(c, j, "withscores")) {
      o.withScores = true;
      j++;
    } else if (r.cardinalityOnly && remaining >= 2 && argTokenIs(c, j, "limit")) {
      const v = c.argI64(j + 1);
      if (v === null || v < 0) return replyNull(c, LIMIT_NEGATIVE);
      o.limit = v > U32_MAX ? U32_MAX : Number(v);
      j += 2;
    } else {
      return replyNull(c, SYNTAX);
    }
  }
  return o;
}

function aggregateOf(c: Client, i: number): number {
  if (argTokenIs(c, i, "sum")) return AGGR_SUM;
  if (argTokenIs(c, i, "min")) return AGGR_MIN;
  if (argTokenIs(c, i, "max")) return AGGR_MAX;
  return -1;
}

/** Puts the inputs and their weights in the engine's operand table. */
function fillOperands(c: Client, objs: number[], weights: number[]): void {
  const e = c.e;
  const table = e.x.zsetOpTable(objs.length);
  e.refresh();
  for (let i = 0; i < objs.length; i++) {
    const at = table + i * OPERAND_SIZE;
    e.u32[at >> 2] = objs[i];
    e.f64[(at + 8) >> 3] = weights[i];
  }
}

/** zunionInterDiffGenericCommand. */
function zsetOpGeneric(c: Client, r: OpRequest): void {
  const n = numkeysOrReply(c, r);
  if (n === null) return;
  const objs = inputsOrReply(c, r, n);
  if (objs === null) return;
  const o = opOptionsOrReply(c, r, n);
  if (o === null) return;
  fillOperands(c, objs, o.weights);
  const e = c.e;
  const len = e.x.zsetOpRun(n, r.op, o.aggregate, r.cardinalityOnly ? 1 : 0, o.limit);
  e.refresh();
  if (r.cardinalityOnly) return c.reply.int(len);
  const result = e.x.zsetOpResult();
  if (r.dstIdx >= 0) return storeResult(c, r.dstIdx, result, len);
  const items = e.x.zsetCollect(result, 1);
  if (o.withScores) replyItemsWithScores(c, items);
  else {
    c.reply.array(items);
    replyItems(c, 0, items, false, false);
  }
  e.x.freeObject(result);
}

/** A non-empty result replaces the destination (as a listpack when it fits); an empty one deletes it. */
function storeResult(c: Client, dstIdx: number, result: number, len: number): void {
  const e = c.e;
  if (len > 0) {
    e.x.zsetOpFinishStore(result);
    e.x.dbSetValue(c.db, c.argPtr(dstIdx), c.argLen(dstIdx), result, 0);
    e.refresh();
    signalModifiedKey(c, dstIdx);
    c.server.dirty++;
    return c.reply.int(len);
  }
  e.x.freeObject(result);
  c.reply.int(0);
  if (e.x.dbDelete(c.db, c.argPtr(dstIdx), c.argLen(dstIdx))) {
    signalModifiedKey(c, dstIdx);
    c.server.dirty++;
  }
}

// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
function zunion(c: Client): void {
  zsetOpGeneric(c, { op: ZOP_UNION, dstIdx: -1, numkeysIdx: 1, cardinalityOnly: false });
}

// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
function zinter(c: Client): void {
  zsetOpGeneric(c, { op: ZOP_INTER, dstIdx: -1, numkeysIdx: 1, cardinalityOnly: false });
}

// ZDIFF numkeys key [key ...] [WITHSCORES]
function zdiff(c: Client): void {
  zsetOpGeneric(c, { op: ZOP_DIFF, dstIdx: -1, numkeysIdx: 1, cardinalityOnly: false });
}

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
function zunionstore(c: Client): void {
  zsetOpGeneric(c, { op: ZOP_UNION, dstIdx: 1, numkeysIdx: 2, cardinalityOnly: false });
}

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
function zinterstore(c: Client): void {
  zsetOpGeneric(c, { op: ZOP_INTER, dstIdx: 1, numkeysIdx: 2, cardinalityOnly: false });
}

// ZDIFFSTORE destination numkeys key [key ...]
function zdiffstore(c: Client): void {
  zsetOpGeneric(c, { op: ZOP_DIFF, dstIdx: 1, numkeysIdx: 2, cardinalityOnly: false });
}

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
function zintercard(c: Client): void {
  zsetOpGeneric(c, { op: ZOP_INTER, dstIdx: -1, numkeysIdx: 1, cardinalityOnly: true });
}

export const zsetAlgebraCommands: CommandDef[] = [
  { name: "zunion", handler: zunion },
  { name: "zinter", handler: zinter },
  { name: "zdiff", handler: zdiff },
  { name: "zunionstore", handler: zunionstore },
  { name: "zinterstore", handler: zinterstore },
  { name: "zdiffstore", handler: zdiffstore },
  { name: "zintercard", handler: zintercard },
];
