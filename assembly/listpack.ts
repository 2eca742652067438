// Listpack: Redis 7.0's compact list of strings and integers (listpack.c),
// byte for byte, so RDB files can carry listpacks exactly as they lie in
// memory. Lists (inside quicklist nodes), small hashes and small sorted sets
// are listpacks.
//
//   ┌─────────────┬───────────┬─────────┬─────────┬─────┬──────┐
//   │ total bytes │ num elems │ entry 0 │ entry 1 │ ... │ 0xFF │
//   │ u32 LE      │ u16 LE    │         │         │     │ EOF  │
//   └─────────────┴───────────┴─────────┴─────────┴─────┴──────┘
//     +0            +4          +6 (LP_HDR_SIZE)
//
//   entry:  ┌──────────┬──────┬─────────┐
//           │ encoding │ data │ backlen │
//           └──────────┴──────┴─────────┘
//   backlen = size of encoding + data in 1..5 bytes, parsed right to left:
//   7 bits per byte, the rightmost byte holds the low bits, bit 7 set on
//   every byte but the leftmost.
//
//   first byte               element
//   0xxxxxxx                 uint 0..127
//   10xxxxxx data            string, length < 64
//   110xxxxx yyyyyyyy        int 13 bits, two's complement, high bits first
//   1110xxxx yyyyyyyy data   string, length < 4096 (length high bits first)
//   0xF0 len:u32 data        string
//   0xF1 i16 | 0xF2 i24 | 0xF3 i32 | 0xF4 i64   little-endian ints
//   0xFF                     end of the listpack
//
// The element count saturates at 65535 ("unknown"): lpLength then counts
// entries and stores the count again once it fits.
//
// API (an entry `p` is an address inside the listpack; every call that may
// change the listpack returns its new address, and old entry addresses are
// invalid afterwards):
//   lpNew(capacity)                                   → lp
//   lpFree(lp)  lpBytes(lp)  lpLength(lp)
//   lpFirst(lp) lpLast(lp) lpNext(lp,p) lpPrev(lp,p)  → p or 0
//   lpSeek(lp, index)                                 → p or 0 (negative from the tail)
//   lpGet(p)        → string address (length in lpLen) or 0 for an int (in lpInt)
//   lpGetString(p, buf) → string address, ints printed into buf (LP_INTBUF_SIZE)
//   lpEntryIsInt(p)
//   lpInsertString(lp, s, slen, p, where) / lpInsertInteger(lp, v, p, where)
//                   where = LP_BEFORE | LP_AFTER | LP_REPLACE; lpPos = the new entry
//   lpAppend / lpPrepend / lpAppendInteger / lpPrependInteger
//   lpReplace(lp, p, s, slen) / lpReplaceInteger(lp, p, v); lpPos = the entry
//   lpDelete(lp, p)                     lpPos = the next entry or 0
//   lpDeleteRange(lp, index, num)       lpDeleteRangeWithEntry(lp, p, num) (lpPos as lpDelete)
//   lpMerge(first, second)              → one listpack, first's entries then second's; frees the other
//   lpCompare(p, s, slen)  lpFind(lp, p, s, slen, skip) → p or 0
//   lpValidate(lp, size, deep)          integrity of untrusted bytes (RDB payloads)
//   lpSafeToAdd(lp, add)

import { zfree, zmalloc, zrealloc, blockSize } from "./mem";
import { ll2string, string2ll, parseOk } from "./util";

// @ts-ignore: decorator
@inline export const LP_HDR_SIZE: u32 = 6;
// @ts-ignore: decorator
@inline const LP_HDR_NUMELE_UNKNOWN: u32 = 0xffff;
// @ts-ignore: decorator
@inline const LP_MAX_INT_ENCODING_LEN: u32 = 9;
// @ts-ignore: decorator
@inline const LP_MAX_BACKLEN_SIZE: u32 = 5;
/** Room a caller gives lpGetString for an integer printed in decimal. */
// @ts-ignore: decorator
@inline export const LP_INTBUF_SIZE: u32 = 21;
/** Redis's LISTPACK_MAX_SAFETY_SIZE: callers convert to a bigger encoding past it. */
// @ts-ignore: decorator
@inline const LP_MAX_SAFETY_SIZE: u64 = 1 << 30;

export const LP_BEFORE: i32 = 0;
export const LP_AFTER: i32 = 1;
export const LP_REPLACE: i32 = 2;

// @ts-ignore: decorator
@inline const ENC_7BIT_UINT_MASK: u32 = 0x80;
// @ts-ignore: decorator
@inline const ENC_6BIT_STR: u32 = 0x80;
// @ts-ignore: decorator
@inline const ENC_6BIT_STR_MASK: u32 = 0xc0;
// @ts-ignore: decorator
@inline const ENC_13BIT_INT: u32 = 0xc0;
// @ts-ignore: decorator
@inline const ENC_13BIT_INT_MASK: u32 = 0xe0;
// @ts-ignore: decorator
@inline const ENC_12BIT_STR: u32 = 0xe0;
// @ts-ignore: decorator
@inline const ENC_12BIT_STR_MASK: u32 = 0xf0;
// @ts-ignore: decorator
@inline const ENC_16BIT_INT: u32 = 0xf1;
// @ts-ignore: decorator
@inline const ENC_24BIT_INT: u32 = 0xf2;
// @ts-ignore: decorator
@inline const ENC_32BIT_INT: u32 = 0xf3;
// @ts-ignore: decorator
@inline const ENC_64BIT_INT: u32 = 0xf4;
// @ts-ignore: decorator
@inline const ENC_32BIT_STR: u32 = 0xf0;
// @ts-ignore: decorator
@inline export const LP_EOF: u32 = 0xff;

/** Entry address left by the last insert/replace (the entry) or delete (the next one, or 0). */
export let lpPos: usize = 0;
/** Length of the string lpGet/lpGetString returned. */
export let lpLen: u32 = 0;
/** Value of the integer entry when lpGet returned 0. */
export let lpInt: i64 = 0;

// ── Header ───────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function lpBytes(lp: usize): u32 {
  return load<u32>(lp);
}

// @ts-ignore: decorator
@inline function setTotalBytes(lp: usize, v: u32): void {
  store<u32>(lp, v);
}

// @ts-ignore: decorator
@inline function numElements(lp: usize): u32 {
  return <u32>load<u16>(lp, 4);
}

// @ts-ignore: decorator
@inline function setNumElements(lp: usize, v: u32): void {
  store<u16>(lp, <u16>v, 4);
}

export function lpNew(capacity: u32): usize {
  const lp = zmalloc(max(<usize>capacity, <usize>LP_HDR_SIZE + 1));
  setTotalBytes(lp, LP_HDR_SIZE + 1);
  setNumElements(lp, 0);
  store<u8>(lp + LP_HDR_SIZE, <u8>LP_EOF);
  return lp;
}

export function lpFree(lp: usize): void {
  zfree(lp);
}

function shrinkToFit(lp: usize): usize {
  const size = lpBytes(lp);
  return <usize>size < blockSize(lp) ? zrealloc(lp, size) : lp;
}

/** Whether `add` more bytes keep the listpack under Redis's safety limit. */
export function lpSafeToAdd(lp: usize, add: u64): bool {
  const len: u64 = lp != 0 ? <u64>lpBytes(lp) : 0;
  return len + add <= LP_MAX_SAFETY_SIZE;
}

// ── Entry sizes ──────────────────────────────────────────────────────────────

/** Bytes of an entry's encoding and data, without backlen; 0 for an unknown encoding byte. */
function encodedSize(p: usize): u64 {
  const b = <u32>load<u8>(p);
  if ((b & ENC_7BIT_UINT_MASK) == 0) return 1;
  if ((b & ENC_6BIT_STR_MASK) == ENC_6BIT_STR) return 1 + <u64>(b & 0x3f);
  if ((b & ENC_13BIT_INT_MASK) == ENC_13BIT_INT) return 2;
  if (b == ENC_16BIT_INT) return 3;
  if (b == ENC_24BIT_INT) return 4;
  if (b == ENC_32BIT_INT) return 5;
  if (b == ENC_64BIT_INT) return 9;
  if ((b & ENC_12BIT_STR_MASK) == ENC_12BIT_STR) return 2 + <u64>(((b & 0xf) << 8) | <u32>load<u8>(p, 1));
  if (b == ENC_32BIT_STR) return 5 + <u64>load<u32>(p, 1);
  if (b == LP_EOF) return 1;
  return 0;
}

/** Bytes of the encoding header alone (what must be readable before encodedSize). */
function encodingHeaderSize(b: u32): u32 {
  if ((b & ENC_12BIT_STR_MASK) == ENC_12BIT_STR) return 2;
  if (b == ENC_32BIT_STR) return 5;
  if (b > ENC_64BIT_INT && b != LP_EOF) return 0;
  return 1;
}

/** Bytes the backlen of an entry of `l` encoded bytes takes. */
// @ts-ignore: decorator
@inline function backlenSize(l: u64): u32 {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function writeBacklen(buf: usize, l: u64): u32 {
  const n = backlenSize(l);
  // The leftmost byte holds the remaining high bits and no continuation bit;
  // each byte to its right holds the next 7 bits with bit 7 set.
  store<u8>(buf, <u8>(l >> <u64>(7 * (n - 1))));
  for (let i: u32 = 1; i < n; i++) {
    store<u8>(buf + i, <u8>(((l >> <u64>(7 * (n - 1 - i))) & 127) | 128));
  }
  return n;
}

/** Reads a backlen whose last byte is at p; u64.MAX_VALUE when longer than 5 bytes. */
function readBacklen(p: usize): u64 {
  let val: u64 = 0;
  let shift: u64 = 0;
  let b = <u64>load<u8>(p);
  val |= b & 127;
  while ((b & 128) != 0) {
    shift += 7;
    if (shift > 28) return u64.MAX_VALUE;
    p--;
    b = <u64>load<u8>(p);
    val |= (b & 127) << shift;
  }
  return val;
}

// @ts-ignore: decorator
@inline function entryTotalSize(p: usize): u64 {
  const l = encodedSize(p);
  return l + <u64>backlenSize(l);
}

/** The entry after p (possibly the EOF byte). */
// @ts-ignore: decorator
@inline function skip(p: usize): usize {
  return p + <usize>entryTotalSize(p);
}

// ── Navigation ───────────────────────────────────────────────────────────────

export function lpFirst(lp: usize): usize {
  const p = lp + LP_HDR_SIZE;
  return <u32>load<u8>(p) == LP_EOF ? 0 : p;
}

export function lpNext(lp: usize, p: usize): usize {
  const n = skip(p);
  return <u32>load<u8>(n) == LP_EOF ? 0 : n;
}

export function lpPrev(lp: usize, p: usize): usize {
  if (p - lp == LP_HDR_SIZE) return 0;
  const prevlen = readBacklen(p - 1);
  return p - <usize>(prevlen + <u64>backlenSize(prevlen));
}

export function lpLast(lp: usize): usize {
  return lpPrev(lp, lp + <usize>lpBytes(lp) - 1);
}

export function lpLength(lp: usize): u32 {
  const n = numElements(lp);
  if (n != LP_HDR_NUMELE_UNKNOWN) return n;
  let count: u32 = 0;
  for (let p = lpFirst(lp); p != 0; p = lpNext(lp, p)) count++;
  if (count < LP_HDR_NUMELE_UNKNOWN) setNumElements(lp, count);
  return count;
}

/** The entry at a zero-based index, negative from the tail (-1 = last); 0 when out of range. */
export function lpSeek(lp: usize, index: i32): usize {
  let forward = true;
  const n = <i32>numElements(lp);
  if (n != <i32>LP_HDR_NUMELE_UNKNOWN) {
    if (index < 0) index = n + index;
    if (index < 0 || index >= n) return 0;
    // Walk from whichever end is nearer, as Redis does.
    if (index > n / 2) {
      forward = false;
      index -= n;
    }
  } else if (index < 0) {
    forward = false;
  }
  if (forward) {
    let p = lpFirst(lp);
    while (index > 0 && p != 0) {
      p = lpNext(lp, p);
      index--;
    }
    return p;
  }
  let p = lpLast(lp);
  while (index < -1 && p != 0) {
    p = lpPrev(lp, p);
    index++;
  }
  return p;
}

// ── Reading entries ──────────────────────────────────────────────────────────

export function lpEntryIsInt(p: usize): bool {
  const b = <u32>load<u8>(p);
  return (b & ENC_7BIT_UINT_MASK) == 0 || (b & ENC_13BIT_INT_MASK) == ENC_13BIT_INT ||
    (b >= ENC_16BIT_INT && b <= ENC_64BIT_INT);
}

/** Sign-extends the low `bits` bits of u. */
// @ts-ignore: decorator
@inline function signExtend(u: u64, bits: u64): i64 {
  const shift = 64 - bits;
  return (<i64>(u << shift)) >> shift;
}

/** Integer value of an integer entry. */
function readInt(p: usize): i64 {
  const b = <u32>load<u8>(p);
  if ((b & ENC_7BIT_UINT_MASK) == 0) return <i64>b;
  if ((b & ENC_13BIT_INT_MASK) == ENC_13BIT_INT) {
    return signExtend(<u64>(((b & 0x1f) << 8) | <u32>load<u8>(p, 1)), 13);
  }
  if (b == ENC_16BIT_INT) return <i64>load<i16>(p, 1);
  if (b == ENC_24BIT_INT) return signExtend(<u64>load<u16>(p, 1) | (<u64>load<u8>(p, 3) << 16), 24);
  if (b == ENC_32BIT_INT) return <i64>load<i32>(p, 1);
  if (b == ENC_64BIT_INT) return load<i64>(p, 1);
  // A corrupt encoding reads like Redis's marker value rather than trapping.
  return <i64>(12345678900000000 + <u64>b);
}

/**
 * The element at p: returns the address of its bytes and sets lpLen, or
 * returns 0 for an integer element and sets lpInt.
 */
export function lpGet(p: usize): usize {
  const b = <u32>load<u8>(p);
  if ((b & ENC_6BIT_STR_MASK) == ENC_6BIT_STR) {
    lpLen = b & 0x3f;
    return p + 1;
  }
  if ((b & ENC_12BIT_STR_MASK) == ENC_12BIT_STR) {
    lpLen = ((b & 0xf) << 8) | <u32>load<u8>(p, 1);
    return p + 2;
  }
  if (b == ENC_32BIT_STR) {
    lpLen = load<u32>(p, 1);
    return p + 5;
  }
  lpInt = readInt(p);
  return 0;
}

/** The element at p as bytes (sets lpLen); integers are printed into buf. */
export function lpGetString(p: usize, buf: usize): usize {
  const s = lpGet(p);
  if (s != 0) return s;
  lpLen = ll2string(buf, lpInt);
  return buf;
}

/** Whether the element at p equals the bytes s[0..slen). */
export function lpCompare(p: usize, s: usize, slen: u32): bool {
  if (<u32>load<u8>(p) == LP_EOF) return false;
  const v = lpGet(p);
  if (v != 0) return lpLen == slen && memory.compare(v, s, slen) == 0;
  // Integers are stored only in canonical form, so comparing parsed values is
  // the same as comparing their decimal text.
  const n = string2ll(s, slen);
  return parseOk && n == lpInt;
}

/** From p on, the first entry equal to s, looking at every (skip+1)-th entry; 0 when none. */
export function lpFind(lp: usize, p: usize, s: usize, slen: u32, skipCount: u32): usize {
  let left: u32 = 0;
  while (p != 0) {
    if (left == 0) {
      if (lpCompare(p, s, slen)) return p;
      left = skipCount;
    } else {
      left--;
    }
    p = lpNext(lp, p);
  }
  return 0;
}

// ── Encoding ─────────────────────────────────────────────────────────────────

/** The encoded form of the element being inserted, when it is an integer. */
const intenc: usize = memory.data(16);
const backlenBuf: usize = memory.data(8);
let encIsInt = false;
let encLen: u64 = 0;

/** Encodes v into intenc (Redis's integer encodings, smallest that fits). */
function encodeInt(v: i64): void {
  encIsInt = true;
  if (v >= 0 && v <= 127) {
    store<u8>(intenc, <u8>v);
    encLen = 1;
  } else if (v >= -4096 && v <= 4095) {
    const u = <u32>(v & 0x1fff);
    store<u8>(intenc, <u8>((u >> 8) | ENC_13BIT_INT));
    store<u8>(intenc, <u8>(u & 0xff), 1);
    encLen = 2;
  } else if (v >= -32768 && v <= 32767) {
    store<u8>(intenc, <u8>ENC_16BIT_INT);
    store<i16>(intenc, <i16>v, 1);
    encLen = 3;
  } else if (v >= -8388608 && v <= 8388607) {
    store<u8>(intenc, <u8>ENC_24BIT_INT);
    store<u16>(intenc, <u16>v, 1);
    store<u8>(intenc, <u8>(v >> 16), 3);
    encLen = 4;
  } else if (v >= -2147483648 && v <= 2147483647) {
    store<u8>(intenc, <u8>ENC_32BIT_INT);
    store<i32>(intenc, <i32>v, 1);
    encLen = 5;
  } else {
    store<u8>(intenc, <u8>ENC_64BIT_INT);
    store<i64>(intenc, v, 1);
    encLen = 9;
  }
}

/** Chooses the encoding of a string element: an integer when it parses as one (lpEncodeGetType). */
function encodeString(s: usize, slen: u32): void {
  const v = string2ll(s, slen);
  if (parseOk) return encodeInt(v);
  encIsInt = false;
  encLen = slen < 64 ? 1 + <u64>slen : slen < 4096 ? 2 + <u64>slen : 5 + <u64>slen;
}

function writeString(dst: usize, s: usize, slen: u32): void {
  if (slen < 64) {
    store<u8>(dst, <u8>(slen | ENC_6BIT_STR));
    memory.copy(dst + 1, s, slen);
  } else if (slen < 4096) {
    store<u8>(dst, <u8>((slen >> 8) | ENC_12BIT_STR));
    store<u8>(dst, <u8>(slen & 0xff), 1);
    memory.copy(dst + 2, s, slen);
  } else {
    store<u8>(dst, <u8>ENC_32BIT_STR);
    store<u32>(dst, slen, 1);
    memory.copy(dst + 5, s, slen);
  }
}

// ── Insertion and deletion ───────────────────────────────────────────────────

/**
 * Inserts the element prepared by encodeInt/encodeString (or deletes the
 * entry at p when `del`) before, after or in place of p (Redis's lpInsert).
 * The string bytes must not lie inside this listpack. Returns the new
 * listpack, or 0 when it would pass 4 GB.
 */
function insertPrepared(lp: usize, s: usize, slen: u32, p: usize, where: i32, del: bool): usize {
  if (del) where = LP_REPLACE;
  if (where == LP_AFTER) {
    p = skip(p);
    where = LP_BEFORE;
  }
  const poff = p - lp;
  const enclen: u64 = del ? 0 : encLen;
  const blen: u64 = del ? 0 : <u64>writeBacklen(backlenBuf, enclen);
  const oldBytes = <u64>lpBytes(lp);
  const replaced: u64 = where == LP_REPLACE ? entryTotalSize(p) : 0;
  const newBytes = oldBytes + enclen + blen - replaced;
  if (newBytes > <u64>u32.MAX_VALUE) return 0;
  // Grow before moving bytes right; shrink after moving them left.
  if (newBytes > oldBytes && <usize>newBytes > blockSize(lp)) lp = zrealloc(lp, <usize>newBytes);
  let dst = lp + poff;
  if (where == LP_BEFORE) {
    memory.copy(dst + <usize>(enclen + blen), dst, <usize>(oldBytes - <u64>poff));
  } else {
    memory.copy(dst + <usize>(enclen + blen), dst + <usize>replaced, <usize>(oldBytes - <u64>poff - replaced));
  }
  if (newBytes < oldBytes) {
    lp = zrealloc(lp, <usize>newBytes);
    dst = lp + poff;
  }
  lpPos = dst;
  if (del) {
    if (<u32>load<u8>(dst) == LP_EOF) lpPos = 0;
  } else {
    if (encIsInt) memory.copy(dst, intenc, <usize>enclen);
    else writeString(dst, s, slen);
    memory.copy(dst + <usize>enclen, backlenBuf, <usize>blen);
  }
  if (where != LP_REPLACE || del) {
    const n = numElements(lp);
    if (n != LP_HDR_NUMELE_UNKNOWN) setNumElements(lp, del ? n - 1 : n + 1);
  }
  setTotalBytes(lp, <u32>newBytes);
  return lp;
}

export function lpInsertString(lp: usize, s: usize, slen: u32, p: usize, where: i32): usize {
  encodeString(s, slen);
  return insertPrepared(lp, s, slen, p, where, false);
}

export function lpInsertInteger(lp: usize, v: i64, p: usize, where: i32): usize {
  encodeInt(v);
  return insertPrepared(lp, 0, 0, p, where, false);
}

// @ts-ignore: decorator
@inline function eofPtr(lp: usize): usize {
  return lp + <usize>lpBytes(lp) - 1;
}

export function lpAppend(lp: usize, s: usize, slen: u32): usize {
  return lpInsertString(lp, s, slen, eofPtr(lp), LP_BEFORE);
}

export function lpPrepend(lp: usize, s: usize, slen: u32): usize {
  const p = lpFirst(lp);
  return lpInsertString(lp, s, slen, p != 0 ? p : eofPtr(lp), LP_BEFORE);
}

export function lpAppendInteger(lp: usize, v: i64): usize {
  return lpInsertInteger(lp, v, eofPtr(lp), LP_BEFORE);
}

export function lpPrependInteger(lp: usize, v: i64): usize {
  const p = lpFirst(lp);
  return lpInsertInteger(lp, v, p != 0 ? p : eofPtr(lp), LP_BEFORE);
}

export function lpReplace(lp: usize, p: usize, s: usize, slen: u32): usize {
  return lpInsertString(lp, s, slen, p, LP_REPLACE);
}

export function lpReplaceInteger(lp: usize, p: usize, v: i64): usize {
  return lpInsertInteger(lp, v, p, LP_REPLACE);
}

export function lpDelete(lp: usize, p: usize): usize {
  return insertPrepared(lp, 0, 0, p, LP_REPLACE, true);
}

/** Deletes up to num entries starting at p; lpPos is the entry after them, or 0. */
export function lpDeleteRangeWithEntry(lp: usize, p: usize, num: u32): usize {
  if (num == 0) {
    lpPos = p;
    return lp;
  }
  const bytes = lpBytes(lp);
  const eof = lp + <usize>bytes - 1;
  let tail = p;
  let deleted: u32 = 0;
  while (num-- > 0) {
    deleted++;
    tail = skip(tail);
    if (<u32>load<u8>(tail) == LP_EOF) break;
  }
  const poff = p - lp;
  memory.copy(p, tail, eof - tail + 1);
  setTotalBytes(lp, bytes - <u32>(tail - p));
  const n = numElements(lp);
  if (n != LP_HDR_NUMELE_UNKNOWN) setNumElements(lp, n - deleted);
  lp = shrinkToFit(lp);
  lpPos = <u32>load<u8>(lp + poff) == LP_EOF ? 0 : lp + poff;
  return lp;
}

/** Deletes num entries from index on (negative from the tail), fewer when the listpack ends first. */
export function lpDeleteRange(lp: usize, index: i32, num: u32): usize {
  const len = lpLength(lp);
  const p = lpSeek(lp, index);
  if (p == 0) return lp;
  if (num == 0) return shrinkToFit(lp);
  if (index < 0) index = <i32>len + index;
  if (<u32>(<i32>len - index) <= num) {
    store<u8>(p, <u8>LP_EOF);
    setTotalBytes(lp, <u32>(p - lp) + 1);
    setNumElements(lp, <u32>min(<u32>index, LP_HDR_NUMELE_UNKNOWN));
    return shrinkToFit(lp);
  }
  return lpDeleteRangeWithEntry(lp, p, num);
}

/**
 * Joins two listpacks: first's entries, then second's. Keeps the longer one's
 * block (fewer bytes to move, as Redis's lpMerge) and frees the other.
 */
export function lpMerge(first: usize, second: usize): usize {
  const fb = lpBytes(first);
  const sb = lpBytes(second);
  const len = lpLength(first) + lpLength(second);
  const total = fb + sb - LP_HDR_SIZE - 1;
  let target: usize;
  if (lpLength(first) >= lpLength(second)) {
    target = zrealloc(first, total);
    memory.copy(target + fb - 1, second + LP_HDR_SIZE, sb - LP_HDR_SIZE);
    zfree(second);
  } else {
    target = zrealloc(second, total);
    memory.copy(target + fb - 1, target + LP_HDR_SIZE, sb - LP_HDR_SIZE);
    memory.copy(target, first, fb - 1);
    zfree(first);
  }
  setTotalBytes(target, total);
  setNumElements(target, min(len, LP_HDR_NUMELE_UNKNOWN));
  return target;
}

// ── Validation ───────────────────────────────────────────────────────────────

/**
 * Validates the entry at p within a listpack of `bytes` bytes and returns the
 * next entry's address, or 0 when the entry is corrupt (lpValidateNext).
 */
function validateNext(lp: usize, p: usize, bytes: u32): usize {
  const last = <u64>lp + <u64>bytes - 1;
  const hdr = encodingHeaderSize(<u32>load<u8>(p));
  if (hdr == 0 || <u64>p + <u64>hdr > last) return 0;
  const l = encodedSize(p);
  const bl = <u64>backlenSize(l);
  const total = l + bl;
  if (<u64>p + total > last) return 0;
  const next = p + <usize>total;
  if (readBacklen(next - 1) + bl != total) return 0;
  return next;
}

/**
 * Checks untrusted bytes at lp (`size` of them) are a well-formed listpack:
 * header, terminator and, when deep, every entry and the element count
 * (lpValidateIntegrity).
 */
export function lpValidate(lp: usize, size: u32, deep: bool): bool {
  if (size < LP_HDR_SIZE + 1) return false;
  if (lpBytes(lp) != size) return false;
  if (<u32>load<u8>(lp + size - 1) != LP_EOF) return false;
  let p = lp + LP_HDR_SIZE;
  if (!deep) return <u32>load<u8>(p) == LP_EOF || validateNext(lp, p, size) != 0;
  let count: u32 = 0;
  while (<u32>load<u8>(p) != LP_EOF) {
    p = validateNext(lp, p, size);
    if (p == 0) return false;
    count++;
  }
  // The terminator found must be the last byte, not a stray 0xFF inside.
  if (p != lp + size - 1) return false;
  const n = numElements(lp);
  return n == LP_HDR_NUMELE_UNKNOWN || n == count;
}
