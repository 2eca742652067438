// Value objects: Redis's robj, packed into one block.
//
//   ┌─────────────────────────────────────┬──────────────┬──────────────────┐
//   │ type:4 │ encoding:4 │ lru/lfu:24    │ len or ptr   │ payload          │
//   └─────────────────────────────────────┴──────────────┴──────────────────┘
//     u32 at +0                             u32 at +4      +8
//
// Strings: `len` and the bytes inline (embstr and raw differ only in the
// encoding Redis would report; a raw string may have spare room at the end of
// its block for APPEND), or an i64 at +8 for the int encoding. Collections:
// +4 points at the structure (dict, quicklist, listpack, ...).

import { zfree, zmalloc, blockSize } from "./mem";
import { string2ll, parseOk, ll2string, digits10 } from "./util";
import { freeSetObject, setTypeDup } from "./t_set";
import { freeHashObject, hashDup } from "./t_hash";
import { freeListObject, listDup } from "./t_list";
import { freeZsetObject, zsetDup } from "./t_zset";

export const OBJ_STRING: u32 = 0;
export const OBJ_LIST: u32 = 1;
export const OBJ_SET: u32 = 2;
export const OBJ_ZSET: u32 = 3;
export const OBJ_HASH: u32 = 4;

export const ENC_RAW: u32 = 0;
export const ENC_INT: u32 = 1;
export const ENC_HT: u32 = 2;
export const ENC_INTSET: u32 = 6;
export const ENC_SKIPLIST: u32 = 7;
export const ENC_EMBSTR: u32 = 8;
export const ENC_QUICKLIST: u32 = 9;
export const ENC_LISTPACK: u32 = 11;

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
// @ts-ignore: decorator
@inline const EMBSTR_LIMIT: u32 = 44;
// @ts-ignore: decorator
@inline export const OBJ_HEADER: usize = 8;
/** sdsMakeRoomFor stops doubling past this and grows by it instead. */
// @ts-ignore: decorator
@inline const PREALLOC_MAX: u32 = 1024 * 1024;

/** The 24-bit LRU clock (seconds) or LFU stamp new objects get; set per tick. */
export let lruClock: u32 = 0;

export function setLruClock(v: u32): void {
  lruClock = v & 0xffffff;
}

// @ts-ignore: decorator
@inline export function objType(o: usize): u32 {
  return load<u32>(o) & 15;
}

// @ts-ignore: decorator
@inline export function objEncoding(o: usize): u32 {
  return (load<u32>(o) >> 4) & 15;
}

// @ts-ignore: decorator
@inline export function objLru(o: usize): u32 {
  return load<u32>(o) >> 8;
}

// @ts-ignore: decorator
@inline export function setObjLru(o: usize, lru: u32): void {
  store<u32>(o, (load<u32>(o) & 0xff) | (lru << 8));
}

// @ts-ignore: decorator
@inline function setHeader(o: usize, type: u32, enc: u32): void {
  store<u32>(o, type | (enc << 4) | (lruClock << 8));
}

// @ts-ignore: decorator
@inline export function strLen(o: usize): u32 {
  return load<u32>(o, 4);
}

// @ts-ignore: decorator
@inline export function objPtr(o: usize): usize {
  return <usize>load<u32>(o, 4);
}

export function createIntObject(v: i64): usize {
  const o = zmalloc(OBJ_HEADER + 8);
  setHeader(o, OBJ_STRING, ENC_INT);
  store<u32>(o, digits10(v), 4);
  store<i64>(o, v, OBJ_HEADER);
  return o;
}

/** A string object holding a copy of the bytes, encoded as Redis's tryObjectEncoding would. */
export function createStringObject(p: usize, len: u32): usize {
  if (len <= 20) {
    const v = string2ll(p, len);
    if (parseOk) return createIntObject(v);
  }
  return createRawObject(p, len, len <= EMBSTR_LIMIT ? ENC_EMBSTR : ENC_RAW);
}

export function createRawObject(p: usize, len: u32, enc: u32): usize {
  const o = zmalloc(OBJ_HEADER + <usize>len);
  setHeader(o, OBJ_STRING, enc);
  store<u32>(o, len, 4);
  memory.copy(o + OBJ_HEADER, p, len);
  return o;
}

/** Allocates a raw string of `len` bytes, zero-filled (SETRANGE/SETBIT on a new key). */
export function createZeroedString(len: u32): usize {
  const o = zmalloc(OBJ_HEADER + <usize>len);
  setHeader(o, OBJ_STRING, ENC_RAW);
  store<u32>(o, len, 4);
  memory.fill(o + OBJ_HEADER, 0, len);
  return o;
}

export function createCollection(type: u32, enc: u32, ptr: usize): usize {
  const o = zmalloc(OBJ_HEADER);
  setHeader(o, type, enc);
  store<u32>(o, <u32>ptr, 4);
  return o;
}

// @ts-ignore: decorator
@inline export function setEncoding(o: usize, enc: u32): void {
  store<u32>(o, (load<u32>(o) & ~(<u32>0xf0)) | (enc << 4));
}

// @ts-ignore: decorator
@inline export function setObjPtr(o: usize, ptr: usize, enc: u32): void {
  setEncoding(o, enc);
  store<u32>(o, <u32>ptr, 4);
}

/** Set by objectToI64: whether the string holds a valid int64. */
export let intOk = false;

/** Integer value of a string object (Redis's getLongLongFromObject); sets intOk. */
export function objectToI64(o: usize): i64 {
  if (objEncoding(o) == ENC_INT) {
    intOk = true;
    return load<i64>(o, OBJ_HEADER);
  }
  const v = string2ll(o + OBJ_HEADER, strLen(o));
  intOk = parseOk;
  return v;
}

/** Address of a string object's bytes; ints are printed into `buf` (20+ bytes). */
export function strBytes(o: usize, buf: usize): usize {
  if (objEncoding(o) == ENC_INT) {
    ll2string(buf, load<i64>(o, OBJ_HEADER));
    return buf;
  }
  return o + OBJ_HEADER;
}

// @ts-ignore: decorator
@inline export function isIntEncoded(o: usize): bool {
  return objEncoding(o) == ENC_INT;
}

// @ts-ignore: decorator
@inline export function intValue(o: usize): i64 {
  return load<i64>(o, OBJ_HEADER);
}

/**
 * Makes a string object writable at `newLen` bytes and returns it (possibly
 * moved): ints become raw text, and growth leaves spare room like
 * sdsMakeRoomFor so repeated APPENDs are amortized O(1).
 */
export function stringMakeRoom(o: usize, newLen: u32, buf: usize): usize {
  if (objEncoding(o) == ENC_INT) {
    const p = strBytes(o, buf);
    const len = strLen(o);
    const n = zmalloc(OBJ_HEADER + <usize>max(newLen, len));
    setHeader(n, OBJ_STRING, ENC_RAW);
    store<u32>(n, len, 4);
    memory.copy(n + OBJ_HEADER, p, len);
    zfree(o);
    o = n;
  }
  setEncoding(o, ENC_RAW);
  if (blockSize(o) >= OBJ_HEADER + <usize>newLen) return o;
  const grown = newLen < PREALLOC_MAX ? newLen * 2 : newLen + PREALLOC_MAX;
  const n = zmalloc(OBJ_HEADER + <usize>grown);
  memory.copy(n, o, OBJ_HEADER + <usize>strLen(o));
  zfree(o);
  return n;
}

// @ts-ignore: decorator
@inline export function stringFree(o: usize): void {
  zfree(o);
}

/**
 * Frees an object and everything it owns. Each collection type adds its case
 * here, calling the free function of its encoding's structure.
 */
export function freeObject(o: usize): void {
  switch (objType(o)) {
    case OBJ_STRING:
      break;
    case OBJ_SET:
      freeSetObject(o);
      break;
    case OBJ_HASH:
      freeHashObject(o);
      break;
    case OBJ_LIST:
      freeListObject(o);
      break;
    case OBJ_ZSET:
      freeZsetObject(o);
      break;
    default:
      // Collection types free their structure (objPtr) first.
      break;
  }
  zfree(o);
}

export function freeObjectVal(v: u64): void {
  freeObject(<usize>v);
}

/**
 * A deep copy of an object that shares nothing with it, same type and
 * encoding (COPY; Redis's dupStringObject, listTypeDup, setTypeDup,
 * zsetDup, hashTypeDup). Only strings are handled so far: each collection
 * type adds its case here, duplicating its encoding's structure, when it
 * lands. Returns 0 for a type without a case (COPY then replies Redis's
 * "unknown type object").
 */
export function dupObject(o: usize): usize {
  switch (objType(o)) {
    case OBJ_STRING:
      return dupStringObject(o);
    case OBJ_SET:
      return setTypeDup(o);
    case OBJ_HASH:
      return hashDup(o);
    case OBJ_LIST:
      return listDup(o);
    case OBJ_ZSET:
      return zsetDup(o);
    default:
      return 0;
  }
}

/** An int stays an int; embstr and raw copy their bytes exactly, dropping APPEND's spare room. */
function dupStringObject(o: usize): usize {
  if (objEncoding(o) == ENC_INT) return createIntObject(intValue(o));
  return createRawObject(o + OBJ_HEADER, strLen(o), objEncoding(o));
}
