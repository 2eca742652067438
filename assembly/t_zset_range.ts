// Range operations on sorted sets (Redis 7.0's genericZrangeby*Command,
// zcount/zlexcount and zremrangeGenericCommand): one walk per range kind
// that feeds a sink, either the item table a reply is written from or a
// destination zset (ZRANGESTORE), so ZRANGE and ZRANGESTORE share it.
//
//   range spec (set by zrangeSetScore / zrangeSetLex before a walk)
//   ┌──────────────────────────────────────┬──────────────────────────────────────────┐
//   │ score: min, max (f64), minex, maxex  │ lex: min, max as (kind, ptr, len) bounds │
//   └──────────────────────────────────────┴──────────────────────────────────────────┘
//   lex bound kinds: LEX_INCL "[x", LEX_EXCL "(x", LEX_MIN "-", LEX_MAX "+";
//   the bound bytes stay where the host put them (the argv) for the call.
//
// The predicates below read the spec from module state because the
// skiplist searches take plain function references (no closures here).

import { lpFirst, lpLast, lpNext, lpPrev, lpSeek, lpDeleteRange, lpDeleteRangeWithEntry, lpPos } from "./listpack";
import { dictShrinkIfNeeded, dictUnlink, dictFreeEntry, entryKey, entryKeyLen } from "./dict";
import { objPtr, setObjPtr, ENC_LISTPACK } from "./object";
import { dbDelete } from "./db";
import {
  zslFirst, zslTail, zslLength, zslFirstWith, zslLastWith, zslGetElementByRank, zslNodeRank, zslDeleteRangeWith,
  zslDeleteRangeByRank, nodeForward, nodeBackward, nodeScore, nodeEle, nodeEleLen, memberCmp,
} from "./zskiplist";
import {
  isListpack, zsetLength, zsetZsl, zsetDict, zzlGetScore, zzlEle, zzlEleLen, zsetAdd, zsetCreateFor,
} from "./t_zset";
import { zitemsReset, zitemPush, zitemPushLpEntry, zitemCount } from "./t_zset_items";

export const LEX_INCL: u32 = 0;
export const LEX_EXCL: u32 = 1;
export const LEX_MIN: u32 = 2;
export const LEX_MAX: u32 = 3;

/** Where a walk sends what it finds. */
export const ZSINK_REPLY: u32 = 0;
export const ZSINK_STORE: u32 = 1;

let sMin: f64 = 0;
let sMax: f64 = 0;
let sMinEx = false;
let sMaxEx = false;

let lMinKind: u32 = LEX_INCL;
let lMinP: usize = 0;
let lMinL: u32 = 0;
let lMaxKind: u32 = LEX_INCL;
let lMaxP: usize = 0;
let lMaxL: u32 = 0;

let sink: u32 = ZSINK_REPLY;
let withScores = true;
let dst: usize = 0;
let emitted: u32 = 0;
/** The dict whose entries a skiplist range deletion frees. */
let delDict: usize = 0;

const memberBuf: usize = memory.data(24);

/** ZRANGEBYSCORE-style range: [min, max], either end exclusive. */
export function zrangeSetScore(min: f64, minex: bool, max: f64, maxex: bool): void {
  sMin = min;
  sMinEx = minex;
  sMax = max;
  sMaxEx = maxex;
}

/** ZRANGEBYLEX-style range; the bound bytes must stay valid until the operation returns. */
export function zrangeSetLex(minKind: u32, minP: usize, minL: u32, maxKind: u32, maxP: usize, maxL: u32): void {
  lMinKind = minKind;
  lMinP = minP;
  lMinL = minL;
  lMaxKind = maxKind;
  lMaxP = maxP;
  lMaxL = maxL;
}

/** The destination zset a ZSINK_STORE walk filled (0 when it found nothing to create). */
export function zrangeDst(): usize {
  return dst;
}

// ── Predicates ───────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function scoreGteMin(v: f64): bool {
  return sMinEx ? v > sMin : v >= sMin;
}

// @ts-ignore: decorator
@inline function scoreLteMax(v: f64): bool {
  return sMaxEx ? v < sMax : v <= sMax;
}

function scoreRangeEmpty(): bool {
  return sMin > sMax || (sMin == sMax && (sMinEx || sMaxEx));
}

/** sdscmplex of a member with a bound: "-" is below and "+" above every member. */
function lexCmp(p: usize, l: u32, kind: u32, bp: usize, bl: u32): i32 {
  if (kind == LEX_MIN) return 1;
  if (kind == LEX_MAX) return -1;
  return memberCmp(p, l, bp, bl);
}

function lexGteMin(p: usize, l: u32): bool {
  const c = lexCmp(p, l, lMinKind, lMinP, lMinL);
  return lMinKind == LEX_INCL ? c >= 0 : c > 0;
}

function lexLteMax(p: usize, l: u32): bool {
  const c = lexCmp(p, l, lMaxKind, lMaxP, lMaxL);
  return lMaxKind == LEX_INCL ? c <= 0 : c < 0;
}

/** zslIsInLexRange's first test: min above max, or equal with an exclusive end ("-" and "+" are exclusive). */
function lexRangeEmpty(): bool {
  let c: i32;
  if (lMinKind == lMaxKind && (lMinKind == LEX_MIN || lMinKind == LEX_MAX)) c = 0;
  else if (lMinKind == LEX_MIN || lMaxKind == LEX_MAX) c = -1;
  else if (lMinKind == LEX_MAX || lMaxKind == LEX_MIN) c = 1;
  else c = memberCmp(lMinP, lMinL, lMaxP, lMaxL);
  return c > 0 || (c == 0 && (lMinKind != LEX_INCL || lMaxKind != LEX_INCL));
}

function nodeGteMin(x: usize): bool {
  return scoreGteMin(nodeScore(x));
}

function nodeLteMax(x: usize): bool {
  return scoreLteMax(nodeScore(x));
}

function nodeLexGteMin(x: usize): bool {
  return lexGteMin(nodeEle(x), nodeEleLen(x));
}

function nodeLexLteMax(x: usize): bool {
  return lexLteMax(nodeEle(x), nodeEleLen(x));
}

/** Whether the listpack pair at eptr is at or above the range's start. */
function lpGteMin(lp: usize, eptr: usize, lex: bool): bool {
  if (lex) return lexGteMin(zzlEle(eptr, memberBuf), zzlEleLen);
  return scoreGteMin(zzlGetScore(lpNext(lp, eptr)));
}

function lpLteMax(lp: usize, eptr: usize, lex: bool): bool {
  if (lex) return lexLteMax(zzlEle(eptr, memberBuf), zzlEleLen);
  return scoreLteMax(zzlGetScore(lpNext(lp, eptr)));
}

function rangeEmpty(lex: bool): bool {
  return lex ? lexRangeEmpty() : scoreRangeEmpty();
}

// ── First / last in range ────────────────────────────────────────────────────

/** zzlIsInRange / zzlIsInLexRange: the range is not empty and overlaps the listpack's ends. */
function lpIsInRange(lp: usize, lex: bool): bool {
  if (rangeEmpty(lex)) return false;
  const last = lpLast(lp);
  if (last == 0) return false;
  if (!lpGteMin(lp, lpPrev(lp, last), lex)) return false;
  return lpLteMax(lp, lpFirst(lp), lex);
}

/** The member entry of the first pair in range, or 0 (zzlFirstInRange / zzlFirstInLexRange). */
function lpFirstInRange(lp: usize, lex: bool): usize {
  if (!lpIsInRange(lp, lex)) return 0;
  for (let eptr = lpFirst(lp); eptr != 0; eptr = lpNext(lp, lpNext(lp, eptr))) {
    if (lpGteMin(lp, eptr, lex)) return lpLteMax(lp, eptr, lex) ? eptr : 0;
  }
  return 0;
}

/** The member entry of the last pair in range, or 0 (zzlLastInRange / zzlLastInLexRange). */
function lpLastInRange(lp: usize, lex: bool): usize {
  if (!lpIsInRange(lp, lex)) return 0;
  let sptr = lpLast(lp);
  while (sptr != 0) {
    const eptr = lpPrev(lp, sptr);
    if (lpLteMax(lp, eptr, lex)) return lpGteMin(lp, eptr, lex) ? eptr : 0;
    sptr = lpPrev(lp, eptr);
  }
  return 0;
}

/** zslIsInRange / zslIsInLexRange. */
function zslIsInRange(zsl: usize, lex: bool): bool {
  if (rangeEmpty(lex)) return false;
  const tail = zslTail(zsl);
  if (tail == 0 || !(lex ? nodeLexGteMin(tail) : nodeGteMin(tail))) return false;
  const first = zslFirst(zsl);
  return lex ? nodeLexLteMax(first) : nodeLteMax(first);
}

/** zslFirstInRange / zslFirstInLexRange. */
function zslFirstInRange(zsl: usize, lex: bool): usize {
  if (!zslIsInRange(zsl, lex)) return 0;
  const x = lex ? zslFirstWith(zsl, nodeLexGteMin) : zslFirstWith(zsl, nodeGteMin);
  if (x == 0) return 0;
  return (lex ? nodeLexLteMax(x) : nodeLteMax(x)) ? x : 0;
}

/** zslLastInRange / zslLastInLexRange. */
function zslLastInRange(zsl: usize, lex: bool): usize {
  if (!zslIsInRange(zsl, lex)) return 0;
  const x = lex ? zslLastWith(zsl, nodeLexLteMax) : zslLastWith(zsl, nodeLteMax);
  if (x == 0) return 0;
  return (lex ? nodeLexGteMin(x) : nodeGteMin(x)) ? x : 0;
}

// ── Sinks ────────────────────────────────────────────────────────────────────

function beginEmission(s: u32, scores: bool, lengthHint: i64): void {
  sink = s;
  withScores = scores || s == ZSINK_STORE;
  emitted = 0;
  dst = 0;
  if (s == ZSINK_REPLY) zitemsReset();
  // ZRANGESTORE makes its destination in the encoding the range's length suggests.
  else dst = zsetCreateFor(lengthHint > 0 ? <u32>min(lengthHint, <i64>u32.MAX_VALUE) : 0, 0);
}

function emitNode(x: usize): void {
  emitted++;
  if (sink == ZSINK_REPLY) zitemPush(nodeEle(x), nodeEleLen(x), nodeScore(x));
  else zsetAdd(dst, nodeScore(x), nodeEle(x), nodeEleLen(x), 0);
}

function emitLp(lp: usize, eptr: usize, score: f64): void {
  emitted++;
  if (sink == ZSINK_REPLY) {
    zitemPushLpEntry(eptr, score, false);
    return;
  }
  const p = zzlEle(eptr, memberBuf);
  zsetAdd(dst, score, p, zzlEleLen, 0);
}

// @ts-ignore: decorator
@inline function lpScore(lp: usize, eptr: usize): f64 {
  return withScores ? zzlGetScore(lpNext(lp, eptr)) : NaN;
}

// ── Walks ────────────────────────────────────────────────────────────────────

/**
 * Z[REV]RANGE by rank (genericZrangebyrankCommand): start/end as given
 * (negative from the end), clamped like Redis. Returns the count emitted;
 * replies read the items (zitemsPtr), stores take zrangeDst().
 */
export function zrangeByRank(o: usize, start: f64, end: f64, reverse: bool, s: u32, scores: bool): u32 {
  const llen = <f64>zsetLength(o);
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    beginEmission(s, scores, 0);
    return 0;
  }
  if (end >= llen) end = llen - 1;
  const first = <u32>start;
  const n = <u32>end - first + 1;
  beginEmission(s, scores, <i64>n);
  if (isListpack(o)) rankWalkListpack(objPtr(o), first, n, reverse);
  else rankWalkSkiplist(zsetZsl(o), first, n, reverse);
  return emitted;
}

function rankWalkListpack(lp: usize, first: u32, n: u32, reverse: bool): void {
  let eptr = lpSeek(lp, reverse ? -2 - 2 * <i32>first : 2 * <i32>first);
  while (n-- > 0 && eptr != 0) {
    emitLp(lp, eptr, lpScore(lp, eptr));
    eptr = reverse ? prevPair(lp, eptr) : lpNext(lp, lpNext(lp, eptr));
  }
}

function rankWalkSkiplist(zsl: usize, first: u32, n: u32, reverse: bool): void {
  let x: usize;
  if (reverse) x = first > 0 ? zslGetElementByRank(zsl, zslLength(zsl) - first) : zslTail(zsl);
  else x = first > 0 ? zslGetElementByRank(zsl, first + 1) : zslFirst(zsl);
  while (n-- > 0 && x != 0) {
    emitNode(x);
    x = reverse ? nodeBackward(x) : nodeForward(x, 0);
  }
}

// @ts-ignore: decorator
@inline function prevPair(lp: usize, eptr: usize): usize {
  const sptr = lpPrev(lp, eptr);
  return sptr == 0 ? 0 : lpPrev(lp, sptr);
}

/**
 * Z[REV]RANGEBYSCORE / Z[REV]RANGEBYLEX over the range set before, with
 * LIMIT offset count (count < 0: no limit). As in Redis, the offset skips
 * elements without checking the range, and a negative offset skips all.
 */
export function zrangeByScoreOrLex(o: usize, lex: bool, reverse: bool, offset: f64, limit: f64, s: u32, scores: bool): u32 {
  beginEmission(s, scores, -1);
  if (offset > 0 && offset >= <f64>zsetLength(o)) return 0;
  if (isListpack(o)) rangeWalkListpack(objPtr(o), lex, reverse, offset, limit);
  else rangeWalkSkiplist(zsetZsl(o), lex, reverse, offset, limit);
  return emitted;
}

function rangeWalkListpack(lp: usize, lex: bool, reverse: bool, offset: f64, limit: f64): void {
  let eptr = reverse ? lpLastInRange(lp, lex) : lpFirstInRange(lp, lex);
  while (eptr != 0 && offset != 0) {
    offset--;
    eptr = reverse ? prevPair(lp, eptr) : lpNext(lp, lpNext(lp, eptr));
  }
  while (eptr != 0 && limit != 0) {
    limit--;
    if (reverse ? !lpGteMin(lp, eptr, lex) : !lpLteMax(lp, eptr, lex)) break;
    emitLp(lp, eptr, lpScore(lp, eptr));
    eptr = reverse ? prevPair(lp, eptr) : lpNext(lp, lpNext(lp, eptr));
  }
}

function rangeWalkSkiplist(zsl: usize, lex: bool, reverse: bool, offset: f64, limit: f64): void {
  let x = reverse ? zslLastInRange(zsl, lex) : zslFirstInRange(zsl, lex);
  while (x != 0 && offset != 0) {
    offset--;
    x = reverse ? nodeBackward(x) : nodeForward(x, 0);
  }
  while (x != 0 && limit != 0) {
    limit--;
    if (reverse) {
      if (!(lex ? nodeLexGteMin(x) : nodeGteMin(x))) break;
    } else if (!(lex ? nodeLexLteMax(x) : nodeLteMax(x))) {
      break;
    }
    emitNode(x);
    x = reverse ? nodeBackward(x) : nodeForward(x, 0);
  }
}

// ── Counting ─────────────────────────────────────────────────────────────────

/** ZCOUNT / ZLEXCOUNT over the range set before. */
export function zcountRange(o: usize, lex: bool): u32 {
  if (isListpack(o)) {
    const lp = objPtr(o);
    let count: u32 = 0;
    for (let eptr = lpFirstInRange(lp, lex); eptr != 0 && lpLteMax(lp, eptr, lex); eptr = lpNext(lp, lpNext(lp, eptr))) {
      count++;
    }
    return count;
  }
  // Ranks of the first and last nodes in range, as Redis counts in O(log N).
  const zsl = zsetZsl(o);
  const first = zslFirstInRange(zsl, lex);
  if (first == 0) return 0;
  const len = zslLength(zsl);
  let count = len - (zslNodeRank(zsl, first) - 1);
  const last = zslLastInRange(zsl, lex);
  if (last != 0) count -= len - zslNodeRank(zsl, last);
  return count;
}

// ── Range deletion ───────────────────────────────────────────────────────────

function freeDeleted(e: usize): void {
  dictFreeEntry(dictUnlink(delDict, entryKey(e), entryKeyLen(e)));
}

/** After a range deletion: shrink the dict like Redis, delete the key once empty. */
function afterRemove(db: u32, kp: usize, kl: u32, o: usize): void {
  if (!isListpack(o)) dictShrinkIfNeeded(zsetDict(o));
  if (zsetLength(o) == 0) dbDelete(db, kp, kl);
}

/** ZREMRANGEBYRANK with Redis's index clamping; returns how many were removed. */
export function zremRangeByRank(db: u32, kp: usize, kl: u32, o: usize, start: f64, end: f64): u32 {
  const llen = <f64>zsetLength(o);
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return 0;
  if (end >= llen) end = llen - 1;
  const first = <u32>start;
  const n = <u32>end - first + 1;
  let removed: u32;
  if (isListpack(o)) {
    setObjPtr(o, lpDeleteRange(objPtr(o), 2 * <i32>first, 2 * n), ENC_LISTPACK);
    removed = n;
  } else {
    delDict = zsetDict(o);
    removed = zslDeleteRangeByRank(zsetZsl(o), first + 1, first + n, freeDeleted);
  }
  afterRemove(db, kp, kl, o);
  return removed;
}

/** ZREMRANGEBYSCORE / ZREMRANGEBYLEX over the range set before. */
export function zremRangeByScoreOrLex(db: u32, kp: usize, kl: u32, o: usize, lex: bool): u32 {
  let removed: u32 = 0;
  if (isListpack(o)) {
    let lp = objPtr(o);
    let eptr = lpFirstInRange(lp, lex);
    while (eptr != 0 && lpLteMax(lp, eptr, lex)) {
      lp = lpDeleteRangeWithEntry(lp, eptr, 2);
      removed++;
      eptr = lpPos;
    }
    setObjPtr(o, lp, ENC_LISTPACK);
  } else if (!rangeEmpty(lex)) {
    delDict = zsetDict(o);
    const zsl = zsetZsl(o);
    removed = lex
      ? zslDeleteRangeWith(zsl, nodeLexGteMin, nodeLexLteMax, freeDeleted)
      : zslDeleteRangeWith(zsl, nodeGteMin, nodeLteMax, freeDeleted);
  }
  afterRemove(db, kp, kl, o);
  return removed;
}
