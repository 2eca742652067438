// Sorted set objects: the encoding half of Redis 7.0's t_zset.c. A zset is
// an OBJ_ZSET whose payload is a listpack of member, score pairs sorted by
// (score, member) while it is small (at most zset-max-listpack-entries
// members of at most zset-max-listpack-value bytes), and a dict plus a
// skiplist from then on. Scores in a listpack are listpack integers when
// integral (up to ±2^62) and d2string text otherwise, exactly the bytes
// Redis writes, since RDB files carry listpacks as they lie in memory.
//
//   zset object                 ENC_LISTPACK (listpack.ts)
//   ┌────────┬─────┐            ┌─────┬────────┬───────┬────────┬───────┬─────┬─────┐
//   │ header │ ptr ┼──────────▶ │ hdr │ member │ score │ member │ score │ ... │ EOF │
//   └────────┴─────┘            └─────┴────────┴───────┴────────┴───────┴─────┴─────┘
//                               ENC_SKIPLIST: zset block (ZS_SIZE)
//                               ┌──────┬─────┐
//                               │ dict │ zsl │
//                               └──┬───┴──┬──┘
//              member → score bits ▼      ▼ zskiplist.ts: nodes point at the dict entries
//
// Range walks, counts and range deletions are in t_zset_range.ts, pops,
// random members and ZSCAN in t_zset_pop.ts, ZUNION/ZINTER/ZDIFF in
// t_zset_algebra.ts; the command layer (src/commands/zsets*.ts) parses
// arguments, replies and propagates.

import {
  lpNew, lpFree, lpBytes, lpLength, lpFirst, lpNext, lpPrev, lpGet, lpFind, lpAppend, lpInsertString,
  lpInsertInteger, lpDeleteRangeWithEntry, lpSafeToAdd, lpLen, lpInt, lpPos, LP_BEFORE, LP_AFTER,
} from "./listpack";
import {
  dictCreate, dictAddOrFind, dictCreated, dictFind, dictUnlink, dictFreeEntry, dictRelease, dictSize, entryVal,
  setEntryVal, entryKey, entryKeyLen,
} from "./dict";
import { createCollection, objPtr, objEncoding, setObjPtr, objType, OBJ_ZSET, ENC_LISTPACK, ENC_SKIPLIST } from "./object";
import { lookupKey, dbSetValue, dbDelete, LOOKUP_WRITE } from "./db";
import { zfree, zmalloc } from "./mem";
import { ll2string } from "./util";
import { d2string, zzlStrtod } from "./d2string";
import {
  zslCreate, zslFree, zslInsert, zslDelete, zslUpdateScore, zslGetRank, zslFirst, zslTail, zslLength,
  nodeForward, nodeBackward, nodeScore, nodeEle, nodeEleLen, memberCmp, zslValidate,
} from "./zskiplist";

export const ZSET_WRONGTYPE: i32 = -1;
export const ZSET_NAN: i32 = -2;

/** zsetAdd input flags (Redis's ZADD_IN_*). */
export const ZADD_IN_INCR: u32 = 1;
export const ZADD_IN_NX: u32 = 2;
export const ZADD_IN_XX: u32 = 4;
export const ZADD_IN_GT: u32 = 8;
export const ZADD_IN_LT: u32 = 16;
/** zsetAdd output flags (Redis's ZADD_OUT_*). */
export const ZADD_OUT_NOP: u32 = 1;
export const ZADD_OUT_NAN: u32 = 2;
export const ZADD_OUT_ADDED: u32 = 4;
export const ZADD_OUT_UPDATED: u32 = 8;

// @ts-ignore: decorator
@inline const ZS_DICT: usize = 0;
// @ts-ignore: decorator
@inline const ZS_ZSL: usize = 4;
// @ts-ignore: decorator
@inline const ZS_SIZE: usize = 8;

/** double2ll's range: (double)(LLONG_MAX/2), which rounds to 2^62. */
// @ts-ignore: decorator
@inline const DOUBLE2LL_LIMIT: f64 = 4611686018427387904.0;

let maxListpackEntries: u32 = 128;
let maxListpackValue: u32 = 64;

export function setZsetLimits(entries: u32, value: u32): void {
  maxListpackEntries = entries;
  maxListpackValue = value;
}

/** Set by zsetScore / zzlFind: the score of the member found. */
export let zsetFoundScore: f64 = 0;
/** Set by zsetAdd: the member's score after the call (Redis's *newscore). */
export let zsetNewScore: f64 = 0;

const scoreBuf: usize = memory.data(40);
/** Where zzlEle prints integer members; a second buffer for comparisons that hold one already. */
const eleBuf: usize = memory.data(24);
const eleBuf2: usize = memory.data(24);

// ── Encodings ────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function zsetDict(o: usize): usize {
  return <usize>load<u32>(objPtr(o), ZS_DICT);
}

// @ts-ignore: decorator
@inline export function zsetZsl(o: usize): usize {
  return <usize>load<u32>(objPtr(o), ZS_ZSL);
}

// @ts-ignore: decorator
@inline export function isListpack(o: usize): bool {
  return objEncoding(o) == ENC_LISTPACK;
}

function newZsetBlock(): usize {
  const zs = zmalloc(ZS_SIZE);
  store<u32>(zs, <u32>dictCreate(), ZS_DICT);
  store<u32>(zs, <u32>zslCreate(), ZS_ZSL);
  return zs;
}

export function zsetCreateListpack(): usize {
  return createCollection(OBJ_ZSET, ENC_LISTPACK, lpNew(0));
}

export function zsetCreateSkiplist(): usize {
  return createCollection(OBJ_ZSET, ENC_SKIPLIST, newZsetBlock());
}

/**
 * An empty zset in the encoding that fits `sizeHint` members, the longest
 * `maxLen` bytes (ZADD's check of its first member, ZRANGESTORE's length).
 */
export function zsetCreateFor(sizeHint: u32, maxLen: u32): usize {
  if (sizeHint > maxListpackEntries || maxLen > maxListpackValue) return zsetCreateSkiplist();
  return zsetCreateListpack();
}

function noFree(v: u64): void {}

export function freeZsetObject(o: usize): void {
  if (isListpack(o)) {
    lpFree(objPtr(o));
    return;
  }
  const zs = objPtr(o);
  zslFree(<usize>load<u32>(zs, ZS_ZSL));
  dictRelease(<usize>load<u32>(zs, ZS_DICT), noFree);
  zfree(zs);
}

/** A deep copy, same encoding (zsetDup, for COPY). */
export function zsetDup(o: usize): usize {
  if (isListpack(o)) {
    const lp = objPtr(o);
    const n = zmalloc(<usize>lpBytes(lp));
    memory.copy(n, lp, lpBytes(lp));
    return createCollection(OBJ_ZSET, ENC_LISTPACK, n);
  }
  const copy = zsetCreateSkiplist();
  const d = zsetDict(copy);
  const zsl = zsetZsl(copy);
  // From the tail, so every insert lands at the head of the copy.
  for (let x = zslTail(zsetZsl(o)); x != 0; x = nodeBackward(x)) {
    const e = dictAddOrFind(d, nodeEle(x), nodeEleLen(x));
    setEntryVal(e, reinterpret<u64>(nodeScore(x)));
    zslInsert(zsl, nodeScore(x), e);
  }
  return copy;
}

export function zsetLength(o: usize): u32 {
  return isListpack(o) ? lpLength(objPtr(o)) >> 1 : zslLength(zsetZsl(o));
}

// ── Listpack encoding (zzl*) ─────────────────────────────────────────────────

/** Length of the bytes zzlEle returned. */
export let zzlEleLen: u32 = 0;

/** The bytes of a listpack entry, integers printed into buf (24 bytes); length in zzlEleLen. */
export function zzlEle(eptr: usize, buf: usize): usize {
  const s = lpGet(eptr);
  if (s != 0) {
    zzlEleLen = lpLen;
    return s;
  }
  zzlEleLen = ll2string(buf, lpInt);
  return buf;
}

/** The score entry's value: integers exactly, text through strtod (zzlGetScore). */
export function zzlGetScore(sptr: usize): f64 {
  const s = lpGet(sptr);
  return s != 0 ? zzlStrtod(s, lpLen) : <f64>lpInt;
}

/** sdscmp of the member at eptr with p[0..l) (zzlCompareElements). */
export function zzlCompareElements(eptr: usize, p: usize, l: u32): i32 {
  const s = zzlEle(eptr, eleBuf2);
  return memberCmp(s, zzlEleLen, p, l);
}

/** The member's entry, or 0; its score in zsetFoundScore (zzlFind). */
export function zzlFind(lp: usize, p: usize, l: u32): usize {
  const first = lpFirst(lp);
  if (first == 0) return 0;
  const eptr = lpFind(lp, first, p, l, 1);
  if (eptr != 0) zsetFoundScore = zzlGetScore(lpNext(lp, eptr));
  return eptr;
}

/** Removes the pair at eptr; returns the listpack (zzlDelete). */
// @ts-ignore: decorator
@inline export function zzlDelete(lp: usize, eptr: usize): usize {
  return lpDeleteRangeWithEntry(lp, eptr, 2);
}

/**
 * Inserts (member, score) before eptr, or at the end when eptr is 0
 * (zzlInsertAt). As in 7.0.15, a score that double2ll takes (integral,
 * within ±2^62; -0 included, which is why a listpack reads it back as 0)
 * goes in as a listpack integer, any other as d2string text.
 */
export function zzlInsertAt(lp: usize, eptr: usize, p: usize, l: u32, score: f64): usize {
  lp = eptr == 0 ? lpAppend(lp, p, l) : lpInsertString(lp, p, l, eptr, LP_BEFORE);
  const sptr = lpPos;
  if (score >= -DOUBLE2LL_LIMIT && score <= DOUBLE2LL_LIMIT && score == <f64><i64>score) {
    return lpInsertInteger(lp, <i64>score, sptr, LP_AFTER);
  }
  // "inf" and "%.17g" text of a non-integer never parse as listpack integers.
  const len = d2string(scoreBuf, score);
  return lpInsertString(lp, scoreBuf, len, sptr, LP_AFTER);
}

/** Inserts (member, score) at its place in the order; the member must be absent (zzlInsert). */
export function zzlInsert(lp: usize, p: usize, l: u32, score: f64): usize {
  let eptr = lpFirst(lp);
  while (eptr != 0) {
    const sptr = lpNext(lp, eptr);
    const s = zzlGetScore(sptr);
    if (s > score || (s == score && zzlCompareElements(eptr, p, l) > 0)) return zzlInsertAt(lp, eptr, p, l, score);
    eptr = lpNext(lp, sptr);
  }
  return zzlInsertAt(lp, 0, p, l, score);
}

/** The pair before eptr's pair: its member entry, or 0. */
export function zzlPrevEle(lp: usize, eptr: usize): usize {
  const sptr = lpPrev(lp, eptr);
  return sptr == 0 ? 0 : lpPrev(lp, sptr);
}

/** The pair after the pair at eptr: its member entry, or 0. */
export function zzlNextEle(lp: usize, eptr: usize): usize {
  return lpNext(lp, lpNext(lp, eptr));
}

// ── Conversion ───────────────────────────────────────────────────────────────

function convertToSkiplist(o: usize): void {
  const lp = objPtr(o);
  const zs = newZsetBlock();
  const d = <usize>load<u32>(zs, ZS_DICT);
  const zsl = <usize>load<u32>(zs, ZS_ZSL);
  let eptr = lpFirst(lp);
  while (eptr != 0) {
    const sptr = lpNext(lp, eptr);
    const score = zzlGetScore(sptr);
    const ele = zzlEle(eptr, eleBuf);
    const e = dictAddOrFind(d, ele, zzlEleLen);
    setEntryVal(e, reinterpret<u64>(score));
    zslInsert(zsl, score, e);
    eptr = lpNext(lp, sptr);
  }
  lpFree(lp);
  setObjPtr(o, zs, ENC_SKIPLIST);
}

function convertToListpack(o: usize): void {
  const zs = objPtr(o);
  const zsl = <usize>load<u32>(zs, ZS_ZSL);
  let lp = lpNew(0);
  for (let x = zslFirst(zsl); x != 0; x = nodeForward(x, 0)) {
    lp = zzlInsertAt(lp, 0, nodeEle(x), nodeEleLen(x), nodeScore(x));
  }
  zslFree(zsl);
  dictRelease(<usize>load<u32>(zs, ZS_DICT), noFree);
  zfree(zs);
  setObjPtr(o, lp, ENC_LISTPACK);
}

/** zsetConvert to the other encoding. */
export function zsetConvert(o: usize, enc: u32): void {
  if (objEncoding(o) == enc) return;
  if (enc == ENC_SKIPLIST) convertToSkiplist(o);
  else convertToListpack(o);
}

/**
 * A skiplist zset that fits the listpack limits goes back to a listpack
 * (zsetConvertToListpackIfNeeded: results of ZUNIONSTORE and friends).
 */
export function zsetConvertToListpackIfNeeded(o: usize, maxelelen: u32, totelelen: u64): void {
  if (isListpack(o)) return;
  if (zslLength(zsetZsl(o)) <= maxListpackEntries && maxelelen <= maxListpackValue && lpSafeToAdd(0, totelelen)) {
    convertToListpack(o);
  }
}

// ── Element access ───────────────────────────────────────────────────────────

/** Whether the member is in the zset; its score in zsetFoundScore (zsetScore). */
export function zsetScore(o: usize, p: usize, l: u32): bool {
  if (isListpack(o)) return zzlFind(objPtr(o), p, l) != 0;
  const e = dictFind(zsetDict(o), p, l);
  if (e == 0) return false;
  zsetFoundScore = reinterpret<f64>(entryVal(e));
  return true;
}

/** 0-based rank of the member, from the top when reverse; -1 when absent (zsetRank). */
export function zsetRank(o: usize, p: usize, l: u32, reverse: bool): i32 {
  const llen = <i32>zsetLength(o);
  if (isListpack(o)) {
    const lp = objPtr(o);
    let r: i32 = 0;
    for (let eptr = lpFirst(lp); eptr != 0; eptr = zzlNextEle(lp, eptr)) {
      if (zzlCompareElements(eptr, p, l) == 0) return reverse ? llen - r - 1 : r;
      r++;
    }
    return -1;
  }
  const e = dictFind(zsetDict(o), p, l);
  if (e == 0) return -1;
  const r = <i32>zslGetRank(zsetZsl(o), reinterpret<f64>(entryVal(e)), p, l);
  return reverse ? llen - r : r - 1;
}

/**
 * Adds or updates a member (zsetAdd): flags are ZADD_IN_*; returns the
 * ZADD_OUT_* outcome, ZADD_OUT_NAN when the (incremented) score is NaN.
 * The resulting score is in zsetNewScore unless nothing was done.
 */
export function zsetAdd(o: usize, score: f64, p: usize, l: u32, flags: u32): u32 {
  if (isNaN(score)) return ZADD_OUT_NAN;
  if (isListpack(o)) {
    const r = zzlAdd(o, score, p, l, flags);
    if (r != u32.MAX_VALUE) return r;
  }
  return zslAdd(o, score, p, l, flags);
}

/** The new score of an existing member under INCR/GT/LT, or NaN for "leave it" (NOP) with outcome set. */
let addOutcome: u32 = 0;

function updatedScore(cur: f64, score: f64, flags: u32): f64 {
  if ((flags & ZADD_IN_NX) != 0) {
    addOutcome = ZADD_OUT_NOP;
    return NaN;
  }
  if ((flags & ZADD_IN_INCR) != 0) {
    score += cur;
    if (isNaN(score)) {
      addOutcome = ZADD_OUT_NAN;
      return NaN;
    }
  }
  if (((flags & ZADD_IN_LT) != 0 && score >= cur) || ((flags & ZADD_IN_GT) != 0 && score <= cur)) {
    addOutcome = ZADD_OUT_NOP;
    return NaN;
  }
  addOutcome = 0;
  zsetNewScore = score;
  return score;
}

/** zsetAdd on a listpack; u32.MAX_VALUE when it converted to a skiplist first and the caller goes on there. */
function zzlAdd(o: usize, score: f64, p: usize, l: u32, flags: u32): u32 {
  let lp = objPtr(o);
  const eptr = zzlFind(lp, p, l);
  if (eptr != 0) {
    const cur = zsetFoundScore;
    const s = updatedScore(cur, score, flags);
    if (isNaN(s)) return addOutcome;
    if (s != cur) {
      lp = zzlInsert(zzlDelete(lp, eptr), p, l, s);
      setObjPtr(o, lp, ENC_LISTPACK);
      return ZADD_OUT_UPDATED;
    }
    return 0;
  }
  if ((flags & ZADD_IN_XX) != 0) return ZADD_OUT_NOP;
  if (zzlLength(lp) + 1 > maxListpackEntries || l > maxListpackValue || !lpSafeToAdd(lp, l)) {
    convertToSkiplist(o);
    return u32.MAX_VALUE;
  }
  setObjPtr(o, zzlInsert(lp, p, l, score), ENC_LISTPACK);
  zsetNewScore = score;
  return ZADD_OUT_ADDED;
}

// @ts-ignore: decorator
@inline function zzlLength(lp: usize): u32 {
  return lpLength(lp) >> 1;
}

function zslAdd(o: usize, score: f64, p: usize, l: u32, flags: u32): u32 {
  const d = zsetDict(o);
  // One hash lookup: XX never adds, anything else finds or makes the entry.
  const e = (flags & ZADD_IN_XX) != 0 ? dictFind(d, p, l) : dictAddOrFind(d, p, l);
  if (e == 0) return ZADD_OUT_NOP;
  if ((flags & ZADD_IN_XX) != 0 || !dictCreated) {
    const cur = reinterpret<f64>(entryVal(e));
    const s = updatedScore(cur, score, flags);
    if (isNaN(s)) return addOutcome;
    if (s != cur) {
      zslUpdateScore(zsetZsl(o), cur, p, l, s);
      setEntryVal(e, reinterpret<u64>(s));
      return ZADD_OUT_UPDATED;
    }
    return 0;
  }
  setEntryVal(e, reinterpret<u64>(score));
  zslInsert(zsetZsl(o), score, e);
  zsetNewScore = score;
  return ZADD_OUT_ADDED;
}

/** Removes a member; returns whether it was there (zsetDel). */
export function zsetDel(o: usize, p: usize, l: u32): bool {
  if (isListpack(o)) {
    const lp = objPtr(o);
    const eptr = zzlFind(lp, p, l);
    if (eptr == 0) return false;
    setObjPtr(o, zzlDelete(lp, eptr), ENC_LISTPACK);
    return true;
  }
  const d = zsetDict(o);
  const e = dictFind(d, p, l);
  if (e == 0) return false;
  zslDelete(zsetZsl(o), reinterpret<f64>(entryVal(e)), p, l);
  dictFreeEntry(dictUnlink(d, p, l));
  return true;
}

/** Removes the member of a dict entry of this zset (the bytes live in the entry itself). */
export function zsetDelEntry(o: usize, e: usize): void {
  const p = entryKey(e);
  const l = entryKeyLen(e);
  zslDelete(zsetZsl(o), reinterpret<f64>(entryVal(e)), p, l);
  dictFreeEntry(dictUnlink(zsetDict(o), p, l));
}

// ── Command-level operations ─────────────────────────────────────────────────

/** Set by zaddGeneric: members whose score changed, and members not left alone (NOP). */
let zaddUpdatedCount: u32 = 0;
let zaddProcessedCount: u32 = 0;

export function zaddUpdated(): u32 {
  return zaddUpdatedCount;
}

export function zaddProcessed(): u32 {
  return zaddProcessedCount;
}

export function zsetLastScore(): f64 {
  return zsetNewScore;
}

export function zsetScoreFound(): f64 {
  return zsetFoundScore;
}

/**
 * ZADD/ZINCRBY after the host parsed the flags and scores: `args` points at
 * the argv entries of the first score, `scores` at n f64 values, one per
 * (score, member) pair. Creates the key unless XX (a skiplist when the first
 * member is too long for a listpack, as 7.0's zaddGenericCommand). Returns
 * how many members were added, ZSET_WRONGTYPE, or ZSET_NAN.
 */
export function zaddGeneric(db: u32, kp: usize, kl: u32, args: usize, scores: usize, n: u32, flags: u32): i32 {
  zaddUpdatedCount = 0;
  zaddProcessedCount = 0;
  let o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o != 0 && objType(o) != OBJ_ZSET) return ZSET_WRONGTYPE;
  if (o == 0) {
    if ((flags & ZADD_IN_XX) != 0) return 0;
    o = zsetCreateFor(1, load<u32>(args, 12));
    dbSetValue(db, kp, kl, o, false);
  }
  let added: i32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const m = args + (<usize>(2 * i + 1) << 3);
    const out = zsetAdd(o, load<f64>(scores + (<usize>i << 3)), <usize>load<u32>(m), load<u32>(m, 4), flags);
    if ((out & ZADD_OUT_NAN) != 0) return ZSET_NAN;
    if ((out & ZADD_OUT_ADDED) != 0) added++;
    if ((out & ZADD_OUT_UPDATED) != 0) zaddUpdatedCount++;
    if ((out & ZADD_OUT_NOP) == 0) zaddProcessedCount++;
  }
  return added;
}

/** ZREM over argv members: how many were removed; deletes the key once empty. */
export function zremArgv(db: u32, kp: usize, kl: u32, o: usize, args: usize, n: u32): i32 {
  let removed: i32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const a = args + (<usize>i << 3);
    if (zsetDel(o, <usize>load<u32>(a), load<u32>(a, 4))) removed++;
    if (zsetLength(o) == 0) {
      dbDelete(db, kp, kl);
      break;
    }
  }
  return removed;
}

/** ZSCORE/ZMSCORE: 1 and the score (zsetScoreFound) when present, else 0. */
export function zsetScoreOf(o: usize, p: usize, l: u32): i32 {
  return zsetScore(o, p, l) ? 1 : 0;
}

/** zslValidate of a skiplist zset plus dict/list agreement; 0 for a listpack. */
export function zsetValidate(o: usize): i32 {
  if (isListpack(o)) return 0;
  const r = zslValidate(zsetZsl(o));
  if (r != 0) return r;
  return dictSize(zsetDict(o)) == zslLength(zsetZsl(o)) ? 0 : 7;
}
