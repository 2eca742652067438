// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis 7.0's
// zunionInterDiffGenericCommand). Inputs are sorted sets or plain sets
// (every member scoring 1); the host looks the keys up, checks their types,
// parses WEIGHTS and fills the operand table. The result is built as a
// skiplist zset, as in Redis, and the store forms turn it back into a
// listpack when it fits (zsetOpFinishStore).
//
//   operand table (OPERAND_SIZE bytes each)
//   ┌────────────────────────┬───────┬──────────────┐
//   │ object (0 for missing) │ (pad) │ weight (f64) │
//   └────────────────────────┴───────┴──────────────┘
//
// A union accumulates straight into the result's dict (member → score) and
// links the skiplist once every input was read; intersections and
// differences add members as they qualify.

import { zrealloc } from "./mem";
import { dictAddOrFind, dictCreated, dictScan, scanCount, scanResults, entryVal, setEntryVal } from "./dict";
import { objType, OBJ_SET } from "./object";
import { ll2string } from "./util";
import { forEachMember, setTypeSize, setTypeIsMember } from "./t_set";
import { zslInsert, zslFirst, nodeForward, nodeScore, nodeEle, nodeEleLen } from "./zskiplist";
import {
  isListpack, zsetLength, zsetZsl, zsetDict, zsetScore, zsetFoundScore, zzlEle, zzlEleLen, zzlGetScore,
  zsetCreateSkiplist, zsetConvertToListpackIfNeeded,
} from "./t_zset";
import { lpFirst, lpNext } from "./listpack";
import { objPtr } from "./object";

export const ZOP_UNION: u32 = 0;
export const ZOP_INTER: u32 = 1;
export const ZOP_DIFF: u32 = 2;
export const AGGR_SUM: u32 = 0;
export const AGGR_MIN: u32 = 1;
export const AGGR_MAX: u32 = 2;

// @ts-ignore: decorator
@inline const OPERAND_SIZE: usize = 16;

let table: usize = 0;
let tableCap: u32 = 0;
let opCount: u32 = 0;
let aggregate: u32 = AGGR_SUM;
let result: usize = 0;
let cardinality: u32 = 0;
let countOnly = false;
let limit: u32 = 0;
let maxelelen: u32 = 0;
let totelelen: u64 = 0;
/** The weight of the input being iterated. */
let curWeight: f64 = 1;
let visitor: (p: usize, l: u32, score: f64) => bool = visitUnion;

const intBuf: usize = memory.data(24);

/** Room for n operands; the host fills it before zsetOpRun. */
export function zsetOpTable(n: u32): usize {
  if (n > tableCap) {
    tableCap = max(n, tableCap << 1);
    table = zrealloc(table, <usize>tableCap * OPERAND_SIZE);
  }
  return table;
}

// @ts-ignore: decorator
@inline function operand(i: u32): usize {
  return <usize>load<u32>(table + <usize>i * OPERAND_SIZE);
}

// @ts-ignore: decorator
@inline function weight(i: u32): f64 {
  return load<f64>(table + <usize>i * OPERAND_SIZE, 8);
}

function operandLength(o: usize): u32 {
  if (o == 0) return 0;
  return objType(o) == OBJ_SET ? setTypeSize(o) : zsetLength(o);
}

/** Orders the inputs by size, smallest first, keeping the order of equals (glibc's qsort merges). */
function sortBySize(n: u32): void {
  for (let i: u32 = 1; i < n; i++) {
    const o = operand(i);
    const w = weight(i);
    const len = operandLength(o);
    let j = i;
    while (j > 0 && operandLength(operand(j - 1)) > len) {
      memory.copy(table + <usize>j * OPERAND_SIZE, table + <usize>(j - 1) * OPERAND_SIZE, OPERAND_SIZE);
      j--;
    }
    store<u32>(table + <usize>j * OPERAND_SIZE, <u32>o);
    store<f64>(table + <usize>j * OPERAND_SIZE, w, 8);
  }
}

// ── Iterating an input ───────────────────────────────────────────────────────

function setOnInt(v: i64): bool {
  const l = ll2string(intBuf, v);
  return visitor(intBuf, l, 1.0);
}

function setOnBytes(p: usize, l: u32): bool {
  return visitor(p, l, 1.0);
}

/** Calls the visitor with every (member, score) of an input until it returns false (zuiNext). */
function forEachElement(o: usize): void {
  if (objType(o) == OBJ_SET) {
    forEachMember(o, setOnInt, setOnBytes);
    return;
  }
  if (isListpack(o)) {
    const lp = objPtr(o);
    for (let eptr = lpFirst(lp); eptr != 0; ) {
      const sptr = lpNext(lp, eptr);
      const p = zzlEle(eptr, intBuf);
      if (!visitor(p, zzlEleLen, zzlGetScore(sptr))) return;
      eptr = lpNext(lp, sptr);
    }
    return;
  }
  for (let x = zslFirst(zsetZsl(o)); x != 0; x = nodeForward(x, 0)) {
    if (!visitor(nodeEle(x), nodeEleLen(x), nodeScore(x))) return;
  }
}

/** The member's score in an input (1 for a set member), or NaN when absent (zuiFind). */
function findIn(o: usize, p: usize, l: u32): f64 {
  if (objType(o) == OBJ_SET) return setTypeIsMember(o, p, l) ? 1.0 : NaN;
  return zsetScore(o, p, l) ? zsetFoundScore : NaN;
}

/** zunionInterAggregate: a SUM of +inf and -inf is 0; MIN/MAX keep the target against NaN. */
function aggregateWith(target: f64, v: f64): f64 {
  if (aggregate == AGGR_SUM) {
    const s = target + v;
    return isNaN(s) ? 0 : s;
  }
  if (aggregate == AGGR_MIN) return v < target ? v : target;
  return v > target ? v : target;
}

// @ts-ignore: decorator
@inline function weighted(score: f64, w: f64): f64 {
  const s = score * w;
  return isNaN(s) ? 0 : s;
}

function noteLength(l: u32): void {
  if (l > maxelelen) maxelelen = l;
  totelelen += <u64>l;
}

/** Adds a member known to be new to the result. */
function addToResult(p: usize, l: u32, score: f64): void {
  const e = dictAddOrFind(zsetDict(result), p, l);
  setEntryVal(e, reinterpret<u64>(score));
  zslInsert(zsetZsl(result), score, e);
  noteLength(l);
}

// ── Visitors ─────────────────────────────────────────────────────────────────

function visitUnion(p: usize, l: u32, score: f64): bool {
  const s = weighted(score, curWeight);
  const e = dictAddOrFind(zsetDict(result), p, l);
  if (dictCreated) {
    setEntryVal(e, reinterpret<u64>(s));
    noteLength(l);
  } else {
    setEntryVal(e, reinterpret<u64>(aggregateWith(reinterpret<f64>(entryVal(e)), s)));
  }
  return true;
}

function visitInter(p: usize, l: u32, score: f64): bool {
  let s = weighted(score, weight(0));
  for (let j: u32 = 1; j < opCount; j++) {
    const o = operand(j);
    // The input being walked is not looked into (Redis uses the walked score).
    const v = o == operand(0) ? score : findIn(o, p, l);
    if (isNaN(v)) return true;
    s = aggregateWith(s, v * weight(j));
  }
  if (countOnly) {
    cardinality++;
    return limit == 0 || cardinality < limit;
  }
  addToResult(p, l, s);
  return true;
}

function visitDiff(p: usize, l: u32, score: f64): bool {
  for (let j: u32 = 1; j < opCount; j++) {
    const o = operand(j);
    if (o == operand(0) || !isNaN(findIn(o, p, l))) return true;
  }
  addToResult(p, l, score);
  return true;
}

// ── Running an operation ─────────────────────────────────────────────────────

/**
 * Runs op over the n operands in the table. With countOnly (ZINTERCARD)
 * returns the intersection's size, stopping at `lim` when it is not 0;
 * otherwise builds the result (zsetOpResult, a skiplist zset the caller
 * stores or replies from and frees) and returns its length.
 */
export function zsetOpRun(n: u32, op: u32, aggr: u32, onlyCount: bool, lim: u32): u32 {
  opCount = n;
  aggregate = aggr;
  countOnly = onlyCount;
  limit = lim;
  cardinality = 0;
  maxelelen = 0;
  totelelen = 0;
  result = onlyCount ? 0 : zsetCreateSkiplist();
  if (op != ZOP_DIFF) sortBySize(n);
  if (op == ZOP_UNION) runUnion();
  else if (operandLength(operand(0)) > 0) {
    visitor = op == ZOP_INTER ? visitInter : visitDiff;
    forEachElement(operand(0));
  }
  return onlyCount ? cardinality : zsetLength(result);
}

function runUnion(): void {
  visitor = visitUnion;
  for (let i: u32 = 0; i < opCount; i++) {
    const o = operand(i);
    if (operandLength(o) == 0) continue;
    curWeight = weight(i);
    forEachElement(o);
  }
  // Every member is in the dict with its final score: link the skiplist.
  const d = zsetDict(result);
  const zsl = zsetZsl(result);
  let cursor: u32 = 0;
  do {
    cursor = dictScan(d, cursor, true);
    for (let i: u32 = 0; i < scanCount; i++) {
      const e = <usize>load<u32>(scanResults() + (<usize>i << 2));
      zslInsert(zsl, reinterpret<f64>(entryVal(e)), e);
    }
  } while (cursor != 0);
}

export function zsetOpResult(): usize {
  return result;
}

/** Before storing the result: back to a listpack when it fits (zsetConvertToListpackIfNeeded). */
export function zsetOpFinishStore(o: usize): void {
  zsetConvertToListpackIfNeeded(o, maxelelen, totelelen);
}
