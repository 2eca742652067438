// Redis's intset (intset.c): a sorted array of distinct integers stored at
// the narrowest width that holds every member, widened in place when a wider
// value arrives and never narrowed again. The block is Redis's layout byte
// for byte, so the RDB writer dumps it as is (intsetBlobLen bytes).
//
//   ┌──────────────┬────────────┬───────────────────────────────────────────┐
//   │ encoding u32 │ length u32 │ contents: length × encoding bytes          │
//   └──────────────┴────────────┴───────────────────────────────────────────┘
//     +0 (2, 4, 8)   +4           +8: little-endian int16/int32/int64, ascending
//
// Every insert or removal reallocates the block to its exact size, as Redis
// does, so an intset never carries spare room.

import { zfree, zmalloc, zrealloc } from "./mem";
import { randomU32 } from "./hash";

// @ts-ignore: decorator
@inline const IS_ENCODING: usize = 0;
// @ts-ignore: decorator
@inline const IS_LENGTH: usize = 4;
// @ts-ignore: decorator
@inline export const INTSET_HEADER: usize = 8;

// @ts-ignore: decorator
@inline export const INTSET_ENC_INT16: u32 = 2;
// @ts-ignore: decorator
@inline export const INTSET_ENC_INT32: u32 = 4;
// @ts-ignore: decorator
@inline export const INTSET_ENC_INT64: u32 = 8;

/** Set by intsetAdd / intsetRemove: whether the set changed. */
export let intsetSuccess = false;

/** The narrowest encoding that holds v (Redis's _intsetValueEncoding). */
// @ts-ignore: decorator
@inline function valueEncoding(v: i64): u32 {
  if (v < <i64>i32.MIN_VALUE || v > <i64>i32.MAX_VALUE) return INTSET_ENC_INT64;
  if (v < <i64>i16.MIN_VALUE || v > <i64>i16.MAX_VALUE) return INTSET_ENC_INT32;
  return INTSET_ENC_INT16;
}

// @ts-ignore: decorator
@inline export function intsetLen(is: usize): u32 {
  return load<u32>(is, IS_LENGTH);
}

// @ts-ignore: decorator
@inline export function intsetEncoding(is: usize): u32 {
  return load<u32>(is, IS_ENCODING);
}

/** Bytes of the whole intset, header included (what RDB stores). */
// @ts-ignore: decorator
@inline export function intsetBlobLen(is: usize): usize {
  return INTSET_HEADER + <usize>intsetLen(is) * <usize>intsetEncoding(is);
}

/** The i-th member read at a given encoding (Redis's _intsetGetEncoded). */
// @ts-ignore: decorator
@inline function getEncoded(is: usize, i: u32, enc: u32): i64 {
  const p = is + INTSET_HEADER + <usize>i * <usize>enc;
  if (enc == INTSET_ENC_INT64) return load<i64>(p);
  if (enc == INTSET_ENC_INT32) return <i64>load<i32>(p);
  return <i64>load<i16>(p);
}

/** The i-th member in ascending order; i < intsetLen. */
// @ts-ignore: decorator
@inline export function intsetGet(is: usize, i: u32): i64 {
  return getEncoded(is, i, intsetEncoding(is));
}

// @ts-ignore: decorator
@inline function setAt(is: usize, i: u32, v: i64): void {
  const enc = intsetEncoding(is);
  const p = is + INTSET_HEADER + <usize>i * <usize>enc;
  if (enc == INTSET_ENC_INT64) store<i64>(p, v);
  else if (enc == INTSET_ENC_INT32) store<i32>(p, <i32>v);
  else store<i16>(p, <i16>v);
}

export function intsetNew(): usize {
  const is = zmalloc(INTSET_HEADER);
  store<u32>(is, INTSET_ENC_INT16, IS_ENCODING);
  store<u32>(is, 0, IS_LENGTH);
  return is;
}

/** Reallocates to hold exactly `len` members at the current encoding. */
function resize(is: usize, len: u32): usize {
  return zrealloc(is, INTSET_HEADER + <usize>len * <usize>intsetEncoding(is));
}

/** Set by search: where the value is, or where it would be inserted. */
let searchPos: u32 = 0;

/** Binary search with Redis's shortcuts for values past either end. */
function search(is: usize, v: i64): bool {
  const len = intsetLen(is);
  if (len == 0) {
    searchPos = 0;
    return false;
  }
  if (v > intsetGet(is, len - 1)) {
    searchPos = len;
    return false;
  }
  if (v < intsetGet(is, 0)) {
    searchPos = 0;
    return false;
  }
  let lo: i32 = 0;
  let hi: i32 = <i32>len - 1;
  while (hi >= lo) {
    const mid = <i32>((<u32>lo + <u32>hi) >> 1);
    const cur = intsetGet(is, <u32>mid);
    if (v > cur) lo = mid + 1;
    else if (v < cur) hi = mid - 1;
    else {
      searchPos = <u32>mid;
      return true;
    }
  }
  searchPos = <u32>lo;
  return false;
}

export function intsetFind(is: usize, v: i64): bool {
  return valueEncoding(v) <= intsetEncoding(is) && search(is, v);
}

/** Moves members [from, len) to start at `to` (Redis's intsetMoveTail). */
// @ts-ignore: decorator
@inline function moveTail(is: usize, from: u32, to: u32): void {
  const enc = <usize>intsetEncoding(is);
  const n = <usize>(intsetLen(is) - from) * enc;
  memory.copy(is + INTSET_HEADER + <usize>to * enc, is + INTSET_HEADER + <usize>from * enc, n);
}

/**
 * Widens every member to v's encoding and adds v, which lies beyond one end
 * of the set since it did not fit the old width: negative values go first,
 * positive ones last (Redis's intsetUpgradeAndAdd).
 */
function upgradeAndAdd(is: usize, v: i64): usize {
  const oldEnc = intsetEncoding(is);
  const len = intsetLen(is);
  const prepend: u32 = v < 0 ? 1 : 0;
  store<u32>(is, valueEncoding(v), IS_ENCODING);
  is = resize(is, len + 1);
  // Back to front, so no member is overwritten before it is moved.
  for (let i = len; i > 0; i--) setAt(is, i - 1 + prepend, getEncoded(is, i - 1, oldEnc));
  setAt(is, prepend != 0 ? 0 : len, v);
  store<u32>(is, len + 1, IS_LENGTH);
  return is;
}

/** Adds v and returns the (possibly moved) intset; intsetSuccess says whether v was new. */
export function intsetAdd(is: usize, v: i64): usize {
  if (valueEncoding(v) > intsetEncoding(is)) {
    intsetSuccess = true;
    return upgradeAndAdd(is, v);
  }
  if (search(is, v)) {
    intsetSuccess = false;
    return is;
  }
  const pos = searchPos;
  const len = intsetLen(is);
  is = resize(is, len + 1);
  if (pos < len) moveTail(is, pos, pos + 1);
  setAt(is, pos, v);
  store<u32>(is, len + 1, IS_LENGTH);
  intsetSuccess = true;
  return is;
}

/** Removes v and returns the (possibly moved) intset; intsetSuccess says whether v was there. */
export function intsetRemove(is: usize, v: i64): usize {
  if (valueEncoding(v) > intsetEncoding(is) || !search(is, v)) {
    intsetSuccess = false;
    return is;
  }
  const pos = searchPos;
  const len = intsetLen(is);
  if (pos < len - 1) moveTail(is, pos + 1, pos);
  store<u32>(is, len - 1, IS_LENGTH);
  intsetSuccess = true;
  return resize(is, len - 1);
}

/** A uniformly random member of a non-empty intset. */
export function intsetRandom(is: usize): i64 {
  return intsetGet(is, randomU32() % intsetLen(is));
}

export function intsetDup(is: usize): usize {
  const n = intsetBlobLen(is);
  const copy = zmalloc(n);
  memory.copy(copy, is, n);
  return copy;
}

// @ts-ignore: decorator
@inline export function intsetFree(is: usize): void {
  zfree(is);
}
