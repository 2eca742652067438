// List operations over the quicklist encoding: Redis's t_list.c, the parts
// that walk or change the structure. Key lookup, argument parsing, errors,
// notifications and propagation stay in the command layer
// (src/commands/lists.ts); multi-element replies are written here as RESP
// into the reply buffer (replybuf.ts) in one pass.
//
//   list object: ┌────────────────────────────────┬───────────┐
//                │ type LIST | enc QUICKLIST | lru │ quicklist │
//                └────────────────────────────────┴───────────┘
//
// Redis 7.0 encodes every list as a quicklist, so OBJECT ENCODING always
// says "quicklist". Indexes and counts arrive as f64 (exact up to 2^53,
// which is all a list index can need) so the host passes no BigInts.

import {
  qlCreate, qlRelease, qlCount, qlPush, qlIterAt, qlIterStart, qlIterRelease, qlNext, qlDelEntry,
  qlReplaceAtIndex, qlAt, qlInsertAfter, qlInsertBefore, qlDelRange, qlDup, qlPeek, qlDelPeeked,
  entValue, entSz, entLong, entZi, QL_HEAD_SIDE, QL_TAIL_SIDE, AL_START_HEAD, AL_START_TAIL,
} from "./quicklist";
import { lpCompare } from "./listpack";
import { createCollection, objPtr, OBJ_LIST, ENC_QUICKLIST } from "./object";
import { zfree, zmalloc } from "./mem";
import { rbReset, rbLen, rbArray, rbBulk, rbBulkInt, rbInt } from "./replybuf";
import { ll2string, setRet } from "./util";

/** Which end of a list (Redis's LIST_HEAD / LIST_TAIL). */
export const LIST_HEAD: i32 = 0;
export const LIST_TAIL: i32 = 1;

/** list-max-listpack-size and list-compress-depth, applied to lists created from now on. */
let listFill: i32 = -2;
let listCompress: i32 = 0;

export function setListOptions(fill: i32, compress: i32): void {
  listFill = fill;
  listCompress = compress;
}

// @ts-ignore: decorator
@inline function side(where: i32): i32 {
  return where == LIST_HEAD ? QL_HEAD_SIDE : QL_TAIL_SIDE;
}

// @ts-ignore: decorator
@inline function ql(o: usize): usize {
  return objPtr(o);
}

export function listCreate(): usize {
  return createCollection(OBJ_LIST, ENC_QUICKLIST, qlCreate(listFill, listCompress));
}

export function freeListObject(o: usize): void {
  qlRelease(ql(o));
}

export function listDup(o: usize): usize {
  return createCollection(OBJ_LIST, ENC_QUICKLIST, qlDup(ql(o)));
}

export function listLength(o: usize): u32 {
  return qlCount(ql(o));
}

// ── Push and pop ─────────────────────────────────────────────────────────────

export function listPush(o: usize, p: usize, len: u32, where: i32): u32 {
  qlPush(ql(o), p, len, side(where));
  return qlCount(ql(o));
}

/** Pushes argv[from..to) (the argv table's (ptr,len) pairs) one by one; returns the new length. */
export function listPushArgv(o: usize, argv: usize, from: u32, to: u32, where: i32): u32 {
  const q = ql(o);
  const s = side(where);
  for (let i = from; i < to; i++) {
    const a = argv + (<usize>i << 3);
    qlPush(q, <usize>load<u32>(a), load<u32>(a, 4), s);
  }
  return qlCount(q);
}

/** Writes the loaded element (ent*) as a bulk string. */
// @ts-ignore: decorator
@inline function replyEntry(): void {
  if (entValue != 0) rbBulk(entValue, entSz);
  else rbBulkInt(entLong);
}

/** Pops one element into the reply buffer as a bulk string; returns the reply's length. */
export function listPopReply(o: usize, where: i32): u32 {
  rbReset();
  qlPeek(ql(o), side(where));
  replyEntry();
  qlDelPeeked(ql(o));
  return rbLen;
}

let copyBuf: usize = 0;
let copyCap: u32 = 0;

/**
 * Pops one element into a copy that outlives the list (LMOVE pushes it
 * next, maybe onto the same list). Returns the copy's address; its length
 * is in ret slot 0.
 */
export function listPopCopy(o: usize, where: i32): usize {
  qlPeek(ql(o), side(where));
  const len = entValue != 0 ? entSz : 20;
  if (len > copyCap) {
    if (copyBuf != 0) zfree(copyBuf);
    copyCap = max(len, 64);
    copyBuf = zmalloc(copyCap);
  }
  const n = entValue != 0 ? entSz : ll2string(copyBuf, entLong);
  if (entValue != 0) memory.copy(copyBuf, entValue, n);
  qlDelPeeked(ql(o));
  setRet(0, <i32>n);
  return copyBuf;
}

// ── Ranges ───────────────────────────────────────────────────────────────────

/**
 * Writes the elements start..end (inclusive, negative from the tail) as an
 * array, reversed when asked (addListRangeReply). Returns the reply's length.
 */
export function listRangeReply(o: usize, startF: f64, endF: f64, reverse: bool): u32 {
  rbReset();
  let start = <i64>startF;
  let end = <i64>endF;
  const llen = <i64>listLength(o);
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    rbArray(0);
    return rbLen;
  }
  if (end >= llen) end = llen - 1;
  let n = end - start + 1;
  rbArray(n);
  qlIterAt(ql(o), reverse ? AL_START_TAIL : AL_START_HEAD, reverse ? end : start);
  while (n-- > 0 && qlNext()) replyEntry();
  qlIterRelease();
  return rbLen;
}

/** Deletes count elements from start on (listTypeDelRange). */
export function listDelRange(o: usize, start: f64, count: f64): void {
  qlDelRange(ql(o), <i64>start, <i64>count);
}

/**
 * LPOP/RPOP with a count: replies up to count elements from one end (in pop
 * order) and deletes them. Returns the reply's length.
 */
export function listPopRangeReply(o: usize, where: i32, count: f64): u32 {
  const llen = <i64>listLength(o);
  const n = <i64>count > llen ? llen : <i64>count;
  const start: i64 = where == LIST_HEAD ? 0 : -n;
  const end: i64 = where == LIST_HEAD ? n - 1 : -1;
  const len = listRangeReply(o, <f64>start, <f64>end, where == LIST_TAIL);
  qlDelRange(ql(o), start, n);
  return len;
}

/** LINDEX: the element as a bulk string, or 0 when out of range. */
export function listIndexReply(o: usize, index: f64): u32 {
  rbReset();
  if (!qlAt(ql(o), <i64>index)) return 0;
  replyEntry();
  qlIterRelease();
  return rbLen;
}

/** LSET: false when the index is out of range. */
export function listSet(o: usize, index: f64, p: usize, len: u32): bool {
  return qlReplaceAtIndex(ql(o), <i64>index, p, len);
}

/** LINSERT: inserts next to the first element equal to the pivot; false when there is none. */
export function listInsert(o: usize, after: bool, pp: usize, pl: u32, vp: usize, vl: u32): bool {
  qlIterStart(ql(o), AL_START_HEAD);
  let found = false;
  while (qlNext()) {
    if (lpCompare(entZi, pp, pl)) {
      if (after) qlInsertAfter(vp, vl);
      else qlInsertBefore(vp, vl);
      found = true;
      break;
    }
  }
  qlIterRelease();
  return found;
}

/**
 * LPOS: scans from the head (rank > 0) or the tail (rank < 0) for elements
 * equal to the bytes at p. Without COUNT (count < 0) returns the index of
 * the |rank|-th match or -1; with COUNT writes up to count matches (0 =
 * all) as integers into the reply buffer and returns how many.
 */
export function listPos(o: usize, p: usize, len: u32, rankF: f64, countF: f64, maxlenF: f64): f64 {
  rbReset();
  let rank = <i64>rankF;
  const count = <i64>countF;
  const maxlen = <i64>maxlenF;
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const llen = <i64>listLength(o);
  qlIterAt(ql(o), fromTail ? AL_START_TAIL : AL_START_HEAD, fromTail ? -1 : 0);
  let index: i64 = 0;
  let matches: i64 = 0;
  let matchIndex: i64 = -1;
  let found: i64 = 0;
  while (qlNext() && (maxlen == 0 || index < maxlen)) {
    if (lpCompare(entZi, p, len)) {
      matches++;
      matchIndex = fromTail ? llen - index - 1 : index;
      if (matches >= rank) {
        if (count < 0) break;
        found++;
        rbInt(matchIndex);
        if (count != 0 && matches - rank + 1 >= count) break;
      }
    }
    index++;
    matchIndex = -1;
  }
  qlIterRelease();
  return <f64>(count < 0 ? matchIndex : found);
}

/** LREM: removes up to |toremove| matches (all when 0), from the tail when negative. */
export function listRem(o: usize, toremoveF: f64, p: usize, len: u32): u32 {
  let toremove = <i64>toremoveF;
  if (toremove < 0) {
    toremove = -toremove;
    qlIterAt(ql(o), AL_START_TAIL, -1);
  } else {
    qlIterAt(ql(o), AL_START_HEAD, 0);
  }
  let removed: i64 = 0;
  while (qlNext()) {
    if (lpCompare(entZi, p, len)) {
      qlDelEntry();
      removed++;
      if (toremove != 0 && removed == toremove) break;
    }
  }
  qlIterRelease();
  return <u32>removed;
}

/** LTRIM: keeps start..end; returns how many elements were removed. */
export function listTrim(o: usize, startF: f64, endF: f64): u32 {
  let start = <i64>startF;
  let end = <i64>endF;
  const llen = <i64>listLength(o);
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  let ltrim: i64;
  let rtrim: i64;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  qlDelRange(ql(o), 0, ltrim);
  qlDelRange(ql(o), -rtrim, rtrim);
  return <u32>(ltrim + rtrim);
}
