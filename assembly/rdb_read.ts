// Reading RDB input: the bounded reader every loader parses through, and
// RDB strings (plain, INT8/16/32, LZF) decoded into scratch slots
// (rdbLoadLen, rdbGenericLoadStringObject). A read past the end sets
// `readShort` and yields zeros; a malformed field sets `readBad` with a
// reason. Parsers check readFailed() after each read, so corrupt input ends
// in an error code, never in a trap.
//
//   scratch slots (heap blocks, grown on demand, released after a load)
//   ┌──────────┬──────────┬────────────┐
//   │ SLOT_KEY │ SLOT_VAL │ SLOT_FIELD │   a plain string is returned in place
//   └──────────┴──────────┴────────────┘   (a view of the input), the others here

import {
  RDB_6BITLEN, RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_ENCVAL, RDB_ENC_INT8, RDB_ENC_INT16, RDB_ENC_INT32,
  RDB_ENC_LZF,
} from "./rdb_format";
import { lzfDecompress } from "./lzf";
import { ll2string } from "./util";
import { zzlStrtod } from "./d2string";

/** What corrupt input was found (readBad, the reason of LOAD_ERR_CORRUPT). */
export const RDB_BAD_LENGTH: u32 = 1;
export const RDB_BAD_STRING_ENCODING: u32 = 2;
export const RDB_BAD_LZF: u32 = 3;
export const RDB_BAD_SET_DUP: u32 = 4;
export const RDB_BAD_INTSET: u32 = 5;
export const RDB_BAD_SET_LISTPACK: u32 = 6;
export const RDB_BAD_TYPE: u32 = 7;
export const RDB_BAD_HASH_DUP: u32 = 8;
export const RDB_BAD_HASH_LISTPACK: u32 = 9;
export const RDB_BAD_HASH_ZIPLIST: u32 = 10;
export const RDB_BAD_HASH_ZIPMAP: u32 = 11;
export const RDB_BAD_QUICKLIST: u32 = 12;
export const RDB_BAD_LISTPACK: u32 = 13;
export const RDB_BAD_ZIPLIST: u32 = 14;
export const RDB_BAD_LIST_ZIPLIST: u32 = 15;
export const RDB_BAD_ZSET_NAN: u32 = 16;
export const RDB_BAD_ZSET_DUP: u32 = 17;
export const RDB_BAD_ZSET_LISTPACK: u32 = 18;
export const RDB_BAD_ZSET_ZIPLIST: u32 = 19;

/** Larger strings are refused as an allocation failure rather than risking the memory limit. */
// @ts-ignore: decorator
@inline const MAX_STRING: u64 = 1 << 30;
/** LZF expands at most 88 times (a 3-byte reference yields 264 bytes); past this the header lies. */
// @ts-ignore: decorator
@inline const LZF_MAX_RATIO: u64 = 128;

// ── Reader ───────────────────────────────────────────────────────────────────
// rp..re is what may be read.

export let rp: usize = 0;
let re: usize = 0;
export let readShort = false;
export let readBad: u32 = 0;
export let readOom = false;
/** The bad length, encoding or type behind readBad, or the size readOom refused. */
export let readDetail: u64 = 0;

/** Set when the value just read was an empty collection: Redis skips such a key. */
export let emptyKey = false;

export function setEmptyKey(): void {
  emptyKey = true;
}

export function clearEmptyKey(): void {
  emptyKey = false;
}

/** Starts reading [p, end). */
export function readerReset(p: usize, end: usize): void {
  rp = p;
  re = end;
  readShort = false;
  readBad = 0;
  readOom = false;
}

// @ts-ignore: decorator
@inline export function readFailed(): bool {
  return readShort || readBad != 0 || readOom;
}

export function corrupt(reason: u32, detail: u64): void {
  if (readBad == 0) {
    readBad = reason;
    readDetail = detail;
  }
}

function outOfMemory(size: u64): void {
  readOom = true;
  readDetail = size;
}

export function avail(n: u64): bool {
  if (<u64>(re - rp) < n) {
    readShort = true;
    return false;
  }
  return true;
}

/** Moves past n bytes known to be available. */
export function skip(n: usize): void {
  rp += n;
}

export function readByte(): u32 {
  if (!avail(1)) return 0;
  return <u32>load<u8>(rp++);
}

/** Set by loadLen: the length byte announced a special string encoding instead. */
export let lenEncoded = false;

/** rdbLoadLen: a 6/14/32/64-bit length, or a string encoding type (lenEncoded). */
export function loadLen(): u64 {
  lenEncoded = false;
  const b = readByte();
  if (readShort) return 0;
  const type = b >> 6;
  if (type == RDB_ENCVAL) {
    lenEncoded = true;
    return <u64>(b & 0x3f);
  }
  if (type == RDB_6BITLEN) return <u64>(b & 0x3f);
  if (type == RDB_14BITLEN) return (<u64>(b & 0x3f) << 8) | <u64>readByte();
  if (b == RDB_32BITLEN) {
    if (!avail(4)) return 0;
    const v = bswap<u32>(load<u32>(rp));
    rp += 4;
    return <u64>v;
  }
  if (b == RDB_64BITLEN) {
    if (!avail(8)) return 0;
    const v = bswap<u64>(load<u64>(rp));
    rp += 8;
    return v;
  }
  corrupt(RDB_BAD_LENGTH, <u64>type);
  return 0;
}

// ── Strings ──────────────────────────────────────────────────────────────────
// Separate slots, so a key stays valid while its value is read, and a hash
// field while its value is.

export const SLOT_KEY: u32 = 0;
export const SLOT_VAL: u32 = 1;
export const SLOT_FIELD: u32 = 2;
// @ts-ignore: decorator
@inline const SLOTS: usize = 3;
/** Scratch larger than this is given back at the end of a load. */
// @ts-ignore: decorator
@inline const SLOT_KEEP: usize = 64 * 1024;

const slotPtr: usize = memory.data(<i32>(SLOTS << 3), 8);
const slotCap: usize = memory.data(<i32>(SLOTS << 3), 8);
/** Where members held as integers are printed to be added as bytes. */
export const numBuf: usize = memory.data(32, 8);

/** Result of loadString: where the bytes are and how many. */
export let strPtr: usize = 0;
export let strLen: u32 = 0;

/** Sets loadString's result (a string some loader produced itself). */
export function setStr(p: usize, len: u32): void {
  strPtr = p;
  strLen = len;
}

export function slotReserve(slot: u32, n: usize): usize {
  const at = <usize>slot << 3;
  let p = load<usize>(slotPtr + at);
  if (n > load<usize>(slotCap + at)) {
    if (p != 0) heap.free(p);
    const cap = max(n, 64);
    p = heap.alloc(cap);
    store<usize>(slotPtr + at, p);
    store<usize>(slotCap + at, cap);
  }
  return p;
}

export function slotsRelease(): void {
  for (let s: usize = 0; s < SLOTS; s++) {
    if (load<usize>(slotCap + (s << 3)) <= SLOT_KEEP) continue;
    heap.free(load<usize>(slotPtr + (s << 3)));
    store<usize>(slotPtr + (s << 3), 0);
    store<usize>(slotCap + (s << 3), 0);
  }
}

/** rdbGenericLoadStringObject: sets strPtr/strLen; false on failure. */
export function loadString(slot: u32): bool {
  const len = loadLen();
  if (readFailed()) return false;
  if (lenEncoded) {
    if (len == RDB_ENC_INT8 || len == RDB_ENC_INT16 || len == RDB_ENC_INT32) return loadIntegerString(<u32>len, slot);
    if (len == RDB_ENC_LZF) return loadLzfString(slot);
    corrupt(RDB_BAD_STRING_ENCODING, len);
    return false;
  }
  if (len > MAX_STRING) {
    outOfMemory(len);
    return false;
  }
  if (!avail(len)) return false;
  strPtr = rp;
  strLen = <u32>len;
  rp += <usize>len;
  return true;
}

/** An INT8/16/32 string, printed in decimal (rdbLoadIntegerObject). */
function loadIntegerString(enc: u32, slot: u32): bool {
  let v: i64 = 0;
  if (enc == RDB_ENC_INT8) {
    if (!avail(1)) return false;
    v = <i64>load<i8>(rp);
    rp += 1;
  } else if (enc == RDB_ENC_INT16) {
    if (!avail(2)) return false;
    v = <i64>load<i16>(rp);
    rp += 2;
  } else {
    if (!avail(4)) return false;
    v = <i64>load<i32>(rp);
    rp += 4;
  }
  strPtr = slotReserve(slot, 24);
  strLen = ll2string(strPtr, v);
  return true;
}

/** rdbLoadLzfStringObject: compressed length, plain length, then the LZF bytes. */
function loadLzfString(slot: u32): bool {
  const clen = loadLen();
  const len = loadLen();
  if (readFailed()) return false;
  if (len > MAX_STRING || clen > MAX_STRING) {
    outOfMemory(max(len, clen));
    return false;
  }
  if (!avail(clen)) return false;
  if (len > clen * LZF_MAX_RATIO + 256) {
    corrupt(RDB_BAD_LZF, len);
    return false;
  }
  const dst = slotReserve(slot, <usize>len);
  // Redis compares lzf_decompress's result with the length, failures (0) included.
  if (<u64>lzfDecompress(rp, <u32>clen, dst, <u32>len) != len) {
    corrupt(RDB_BAD_LZF, len);
    return false;
  }
  rp += <usize>clen;
  strPtr = dst;
  strLen = <u32>len;
  return true;
}

// ── Doubles ──────────────────────────────────────────────────────────────────

/** rdbLoadBinaryDoubleValue: 8 bytes, little endian (sorted set scores since version 8). */
export function loadBinaryDouble(): f64 {
  if (!avail(8)) return 0;
  const v = load<f64>(rp);
  rp += 8;
  return v;
}

/** rdbLoadDoubleValue: a length byte (253 NaN, 254 +inf, 255 -inf) and the number as text. */
export function loadTextDouble(): f64 {
  const len = readByte();
  if (readShort) return 0;
  if (len == 255) return -Infinity;
  if (len == 254) return Infinity;
  if (len == 253) return NaN;
  if (!avail(len)) return 0;
  const v = zzlStrtod(rp, len);
  rp += <usize>len;
  return v;
}
