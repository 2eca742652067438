// Reads and removals of sorted-set members that are not ranges: ZPOPMIN /
// ZPOPMAX and the multi-key pops built on them (genericZpopCommand),
// ZRANDMEMBER (zrandmemberWithCountCommand) and ZSCAN's step. Results go to
// the item table (t_zset_items.ts); popped members are copied there, since
// their entries are freed.
//
//   ZRANDMEMBER picks (item table order)
//   ┌─────────────────────────────┬───────────────────────────────────────┐
//   │ count < 0 (repeats allowed) │ independent draws, in draw order      │
//   │ count >= size               │ the whole zset, highest first         │
//   │ otherwise, listpack         │ selection sampling, in listpack order │
//   │ skiplist, count*3 > size    │ all, then random ones dropped         │
//   │ otherwise, skiplist         │ distinct draws, in draw order         │
//   └─────────────────────────────┴───────────────────────────────────────┘

import { lpFirst, lpNext, lpSeek, lpDeleteRangeWithEntry } from "./listpack";
import {
  dictCreate, dictAddOrFind, dictCreated, dictRelease, dictSize, dictRandomEntry, dictScan, scanCount, scanResults,
  entryKey, entryKeyLen, entryVal,
} from "./dict";
import { objPtr, setObjPtr, ENC_LISTPACK } from "./object";
import { dbDelete } from "./db";
import { randomU32 } from "./hash";
import { zslFirst, zslTail, nodeForward, nodeBackward, nodeScore, nodeEle, nodeEleLen, nodeEntry } from "./zskiplist";
import { isListpack, zsetLength, zsetZsl, zsetDict, zzlGetScore, zzlPrevEle, zsetDelEntry } from "./t_zset";
import {
  zitemsReset, zitemPush, zitemPushCopy, zitemPushLpEntry, zitemPushScoreText, zitemSwapRemove, zitemCount,
} from "./t_zset_items";

/** Set by zscanStep: the cursor to return to the client. */
let nextCursor: u32 = 0;

export function zscanCursor(): u32 {
  return nextCursor;
}

// ── Pops ─────────────────────────────────────────────────────────────────────

/**
 * Pops up to `count` members from the low (or, with max, the high) end into
 * the item table, in pop order; deletes the key once empty. Returns how
 * many were popped.
 */
export function zpop(db: u32, kp: usize, kl: u32, o: usize, max: bool, count: u32): u32 {
  zitemsReset();
  const n = min(count, zsetLength(o));
  for (let i: u32 = 0; i < n; i++) {
    if (isListpack(o)) popListpack(o, max);
    else popSkiplist(o, max);
  }
  if (zsetLength(o) == 0) dbDelete(db, kp, kl);
  return n;
}

function popListpack(o: usize, max: bool): void {
  const lp = objPtr(o);
  const eptr = max ? lpSeek(lp, -2) : lpFirst(lp);
  zitemPushLpEntry(eptr, zzlGetScore(lpNext(lp, eptr)), true);
  setObjPtr(o, lpDeleteRangeWithEntry(lp, eptr, 2), ENC_LISTPACK);
}

function popSkiplist(o: usize, max: bool): void {
  const zsl = zsetZsl(o);
  const x = max ? zslTail(zsl) : zslFirst(zsl);
  zitemPushCopy(nodeEle(x), nodeEleLen(x), nodeScore(x));
  zsetDelEntry(o, nodeEntry(x));
}

// ── Whole-zset and random reads ──────────────────────────────────────────────

/** Every member in order into the item table (scores read when asked); returns the count. */
export function zsetCollect(o: usize, scores: bool): u32 {
  zitemsReset();
  if (isListpack(o)) {
    const lp = objPtr(o);
    for (let eptr = lpFirst(lp); eptr != 0; eptr = lpNext(lp, lpNext(lp, eptr))) {
      zitemPushLpEntry(eptr, scores ? zzlGetScore(lpNext(lp, eptr)) : NaN, false);
    }
  } else {
    for (let x = zslFirst(zsetZsl(o)); x != 0; x = nodeForward(x, 0)) zitemPush(nodeEle(x), nodeEleLen(x), nodeScore(x));
  }
  return zitemCount;
}

/**
 * Every member from the highest down, the order Redis's zset iterator
 * (zuiInitIterator/zuiNext) walks in, which ZRANDMEMBER shows when the
 * count covers the whole zset.
 */
function zsetCollectReverse(o: usize): u32 {
  zitemsReset();
  if (isListpack(o)) {
    const lp = objPtr(o);
    for (let eptr = lpSeek(lp, -2); eptr != 0; eptr = zzlPrevEle(lp, eptr)) {
      zitemPushLpEntry(eptr, zzlGetScore(lpNext(lp, eptr)), false);
    }
  } else {
    for (let x = zslTail(zsetZsl(o)); x != 0; x = nodeBackward(x)) zitemPush(nodeEle(x), nodeEleLen(x), nodeScore(x));
  }
  return zitemCount;
}

function pushLpPair(lp: usize, index: u32): void {
  const eptr = lpSeek(lp, <i32>(index * 2));
  zitemPushLpEntry(eptr, zzlGetScore(lpNext(lp, eptr)), false);
}

function pushEntry(e: usize): void {
  zitemPush(entryKey(e), entryKeyLen(e), reinterpret<f64>(entryVal(e)));
}

/**
 * ZRANDMEMBER's picks into the item table (see the table at the top):
 * `count` members, distinct unless allowRepeats. Returns the item count.
 */
export function zsetRandom(o: usize, count: u32, allowRepeats: bool): u32 {
  const size = zsetLength(o);
  if (!allowRepeats && count >= size) return zsetCollectReverse(o);
  zitemsReset();
  if (isListpack(o)) {
    const lp = objPtr(o);
    if (allowRepeats) {
      for (let i: u32 = 0; i < count; i++) pushLpPair(lp, randomU32() % size);
      return zitemCount;
    }
    // Selection sampling: each pair is kept with probability needed/left, which yields exactly count.
    let needed = count;
    for (let i: u32 = 0; i < size && needed > 0; i++) {
      if (randomU32() % (size - i) < needed) {
        pushLpPair(lp, i);
        needed--;
      }
    }
    return zitemCount;
  }
  const d = zsetDict(o);
  if (allowRepeats) {
    for (let i: u32 = 0; i < count; i++) pushEntry(dictRandomEntry(d));
    return zitemCount;
  }
  // Most of the zset wanted: take it all and drop random members (Redis's CASE 3),
  // as drawing distinct members one by one would keep hitting ones already taken.
  if (<u64>count * 3 > <u64>size) {
    collectEntries(d);
    while (zitemCount > count) zitemSwapRemove(randomU32() % zitemCount);
    return zitemCount;
  }
  const seen = dictCreate();
  while (dictSize(seen) < count) {
    const e = dictRandomEntry(d);
    dictAddOrFind(seen, entryKey(e), entryKeyLen(e));
    if (dictCreated) pushEntry(e);
  }
  dictRelease(seen, noFree);
  return zitemCount;
}

function noFree(v: u64): void {}

/** Every dict entry of a skiplist zset into the item table, in the dict's order. */
function collectEntries(d: usize): void {
  let cursor: u32 = 0;
  do {
    cursor = dictScan(d, cursor, true);
    for (let i: u32 = 0; i < scanCount; i++) pushEntry(<usize>load<u32>(scanResults() + (<usize>i << 2)));
  } while (cursor != 0);
}

// ── ZSCAN ────────────────────────────────────────────────────────────────────

/**
 * One ZSCAN step, two items per element (member, score as text): a
 * listpack zset returns everything and cursor 0, as Redis does for compact
 * encodings, its scores exactly as the listpack holds them; a skiplist zset
 * scans its dict until about `count` members were seen (at most maxIter
 * buckets), printing scores as Redis's scanCallback does. The next cursor
 * is in zscanCursor().
 */
export function zscanStep(o: usize, cursor: u32, count: u32, maxIter: u32): u32 {
  zitemsReset();
  if (isListpack(o)) {
    nextCursor = 0;
    const lp = objPtr(o);
    for (let eptr = lpFirst(lp); eptr != 0; eptr = lpNext(lp, lpNext(lp, eptr))) {
      zitemPushLpEntry(eptr, 0, false);
      zitemPushLpEntry(lpNext(lp, eptr), 0, false);
    }
    return zitemCount;
  }
  const d = zsetDict(o);
  let iterations = maxIter;
  do {
    cursor = dictScan(d, cursor, true);
    for (let i: u32 = 0; i < scanCount; i++) {
      const e = <usize>load<u32>(scanResults() + (<usize>i << 2));
      zitemPush(entryKey(e), entryKeyLen(e), 0);
      zitemPushScoreText(reinterpret<f64>(entryVal(e)));
    }
  } while (cursor != 0 && zitemCount / 2 < count && iterations-- > 0);
  nextCursor = cursor;
  return zitemCount;
}
