// SORT's engine half (Redis's sort.c): loading the elements of a list, a
// set or a sorted set into one list the host sorts, and resolving BY/GET patterns to values
// (lookupKeyByPattern). Sorting, LIMIT and the reply stay with the host.
//
//   element list: records padded to 4 bytes, integers printed in decimal
//   ┌─────────┬───────────────┬─────┬─────────┬───────────────┬─────┐
//   │ len u32 │ element bytes │ pad │ len u32 │ element bytes │ ... │
//   └─────────┴───────────────┴─────┴─────────┴───────────────┴─────┘
//   sortElementsPtr()                                   sortElementsRelease()
//
// Elements are copies, so the list stays valid whatever the lookups do.

import { zfree, zmalloc, zrealloc } from "./mem";
import { objType, objPtr, strBytes, strLen, OBJ_LIST, OBJ_SET, OBJ_ZSET, OBJ_STRING, OBJ_HASH } from "./object";
import { lookupKey } from "./db";
import { forEachMember } from "./t_set";
import { hashGet } from "./t_hash";
import { zsetZsl } from "./t_zset";
import {
  zslFirst, zslTail, zslLength, zslGetElementByRank, nodeForward, nodeBackward, nodeEle, nodeEleLen,
} from "./zskiplist";
import { qlIterAt, qlIterRelease, qlNext, qlCount, entValue, entSz, entLong, AL_START_HEAD, AL_START_TAIL } from "./quicklist";
import { ll2string, setRet, scratch, retArea } from "./util";

// @ts-ignore: decorator
@inline const MIN_CAP: usize = 256;
/** A list or key buffer larger than this is given back after the command. */
// @ts-ignore: decorator
@inline const KEEP_CAP: usize = 1 << 20;
/** Room for a printed int64. */
// @ts-ignore: decorator
@inline const LL_STR_SIZE: usize = 24;
// @ts-ignore: decorator
@inline const STAR: u8 = 0x2a;
// @ts-ignore: decorator
@inline const HASH_SIGN: u8 = 0x23;
// @ts-ignore: decorator
@inline const DASH: u8 = 0x2d;
// @ts-ignore: decorator
@inline const GT: u8 = 0x3e;

let list: usize = 0;
let listCap: usize = 0;
let listEnd: usize = 0;
let listCount: u32 = 0;

/** The substituted key of the last lookup. */
let keyBuf: usize = 0;
let keyCap: usize = 0;
/** Integers a lookup printed, kept until the next lookup. */
const numBuf: usize = memory.data(<i32>LL_STR_SIZE, 8);

export function sortElementsPtr(): usize {
  return list;
}

/** Empties the element list, freeing the buffers if a big sort grew them. */
export function sortElementsRelease(): void {
  listEnd = 0;
  listCount = 0;
  if (listCap > KEEP_CAP) {
    zfree(list);
    list = 0;
    listCap = 0;
  }
  if (keyCap > KEEP_CAP) {
    zfree(keyBuf);
    keyBuf = 0;
    keyCap = 0;
  }
}

// @ts-ignore: decorator
@inline function align4(n: usize): usize {
  return (n + 3) & ~(<usize>3);
}

function listEnsure(n: usize): void {
  if (listEnd + n <= listCap) return;
  listCap = max(max(listEnd + n, listCap << 1), MIN_CAP);
  list = zrealloc(list, listCap);
}

function pushBytes(p: usize, l: u32): bool {
  listEnsure(4 + align4(l));
  store<u32>(list + listEnd, l);
  memory.copy(list + listEnd + 4, p, l);
  listEnd += 4 + align4(l);
  listCount++;
  return true;
}

function pushInt(v: i64): bool {
  listEnsure(4 + LL_STR_SIZE);
  const l = ll2string(list + listEnd + 4, v);
  store<u32>(list + listEnd, l);
  listEnd += 4 + align4(l);
  listCount++;
  return true;
}

// ── Loading ──────────────────────────────────────────────────────────────────

/**
 * Up to `n` elements of a list from index `start` (0-based, from the head),
 * walking towards the tail, or from index `start` counted from the tail
 * towards the head when `desc` (SORT BY nosort on a list loads only its
 * LIMIT range, in the requested direction). Returns how many were loaded.
 */
export function sortLoadListRange(o: usize, start: f64, n: f64, desc: bool): u32 {
  listEnd = 0;
  listCount = 0;
  const ql = objPtr(o);
  const len = <i64>qlCount(ql);
  const from = <i64>start;
  const want = <u32>n;
  qlIterAt(ql, desc ? AL_START_TAIL : AL_START_HEAD, desc ? len - from - 1 : from);
  while (listCount < want && qlNext()) {
    if (entValue != 0) pushBytes(entValue, entSz);
    else pushInt(entLong);
  }
  qlIterRelease();
  return listCount;
}

/**
 * Up to `n` members of a skiplist-encoded sorted set from rank `start`
 * (0-based), in score order, or from the highest score down when `desc`
 * (SORT BY nosort on a sorted set). SORT converts a listpack zset first,
 * as Redis does. Returns how many were loaded.
 */
export function sortLoadZsetRange(o: usize, start: f64, n: f64, desc: bool): u32 {
  listEnd = 0;
  listCount = 0;
  const zsl = zsetZsl(o);
  const from = <u32>start;
  const want = <u32>n;
  let x: usize;
  if (desc) x = from > 0 ? zslGetElementByRank(zsl, zslLength(zsl) - from) : zslTail(zsl);
  else x = from > 0 ? zslGetElementByRank(zsl, from + 1) : zslFirst(zsl);
  while (listCount < want && x != 0) {
    pushBytes(nodeEle(x), nodeEleLen(x));
    x = desc ? nodeBackward(x) : nodeForward(x, 0);
  }
  return listCount;
}

/**
 * Every element of a list (head to tail), a set (in the set's order) or a
 * skiplist-encoded sorted set (in score order; Redis walks its dict, in an
 * order of its hash function). Returns the count.
 */
export function sortLoadAll(o: usize): u32 {
  listEnd = 0;
  listCount = 0;
  const t = objType(o);
  if (t == OBJ_LIST) return sortLoadListRange(o, 0, <f64>qlCount(objPtr(o)), false);
  if (t == OBJ_SET) forEachMember(o, pushInt, pushBytes);
  if (t == OBJ_ZSET) return sortLoadZsetRange(o, 0, <f64>zslLength(zsetZsl(o)), false);
  return listCount;
}

// ── Patterns ─────────────────────────────────────────────────────────────────

/** Length of the bytes as a C string: up to the first NUL. */
function cLength(p: usize, l: u32): u32 {
  for (let i: u32 = 0; i < l; i++) if (load<u8>(p + i) == 0) return i;
  return l;
}

function keyEnsure(n: usize): void {
  if (n <= keyCap) return;
  if (keyBuf != 0) zfree(keyBuf);
  keyCap = max(n, MIN_CAP);
  keyBuf = zmalloc(keyCap);
}

function found(p: usize, l: u32): usize {
  setRet(0, <i32>l);
  setRet(1, 1);
  return p;
}

/** A hash field's value; integers printed by hashGet are moved out of the shared scratch. */
function hashValue(o: usize, fp: usize, fl: u32): usize {
  const v = hashGet(o, fp, fl);
  if (v == 0) return 0;
  const l = <u32>load<i32>(retArea);
  if (v != scratch()) return found(v, l);
  memory.copy(numBuf, v, l);
  return found(numBuf, l);
}

/**
 * Redis's lookupKeyByPattern: the value named by a BY or GET pattern for
 * one element. "#" is the element itself; otherwise the first '*' is
 * replaced by the element, and a "->field" after it reads that field of a
 * hash instead of a string. The pattern is read as a C string for '#', '*'
 * and "->" (Redis uses strchr and strstr), while the key and field take the
 * bytes up to its real end. Returns the value's address with its length in
 * ret slot 0 and 1 in ret slot 1, or 0 with ret slot 1 = 0 when there is
 * none. The key is looked up for reading (expiry, LRU, hit/miss stats).
 */
export function sortLookup(db: u32, pp: usize, pl: u32, sp: usize, sl: u32): usize {
  setRet(1, 0);
  const cl = cLength(pp, pl);
  if (cl == 1 && load<u8>(pp) == HASH_SIGN) return found(sp, sl);
  let star: u32 = 0;
  while (star < cl && load<u8>(pp + star) != STAR) star++;
  if (star == cl) return 0;
  // "->" must lie in the C string and be followed by at least one byte of it.
  let arrow = star + 1;
  while (arrow + 1 < cl && !(load<u8>(pp + arrow) == DASH && load<u8>(pp + arrow + 1) == GT)) arrow++;
  const hasField = arrow + 2 < cl;
  const fieldLen: u32 = hasField ? pl - arrow - 2 : 0;
  const postLen: u32 = pl - star - 1 - (hasField ? fieldLen + 2 : 0);
  const kl = star + sl + postLen;
  keyEnsure(<usize>kl);
  memory.copy(keyBuf, pp, star);
  memory.copy(keyBuf + star, sp, sl);
  memory.copy(keyBuf + star + sl, pp + star + 1, postLen);
  const o = lookupKey(db, keyBuf, kl, 0);
  if (o == 0) return 0;
  if (hasField) return objType(o) == OBJ_HASH ? hashValue(o, pp + arrow + 2, fieldLen) : 0;
  if (objType(o) != OBJ_STRING) return 0;
  return found(strBytes(o, numBuf), strLen(o));
}
