// Hash objects: the encoding half of Redis's t_hash.c. A hash is an OBJ_HASH
// whose payload is a listpack of alternating field, value entries while it
// is small (at most hash-max-listpack-entries fields, every field and value
// at most hash-max-listpack-value bytes), and a dict from then on. Like
// Redis, a hash never converts back.
//
//   hash object                    ENC_LISTPACK (listpack.ts)
//   ┌────────┬─────┐               ┌─────┬───────┬───────┬───────┬───────┬─────┐
//   │ header │ ptr ┼──────────────▶│ hdr │ field │ value │ field │ value │ EOF │
//   └────────┴─────┘               └─────┴───────┴───────┴───────┴───────┴─────┘
//                                  ENC_HT (dict.ts): field → value block
//                                  value block: ┌─────────┬───────┐
//                                               │ len u32 │ bytes │
//                                               └─────────┴───────┘
//
//   collected pairs (hashCollect, what replies read): u32 (ptr, len) pairs
//   into the listpack / dict / a text arena where ints were printed.

import {
  lpNew, lpFree, lpBytes, lpLength, lpFirst, lpNext, lpSeek, lpGet, lpFind, lpAppend, lpReplace,
  lpDeleteRangeWithEntry, lpLen, lpInt, LP_INTBUF_SIZE,
} from "./listpack";
import {
  dictCreate, dictAddOrFind, dictCreated, dictFind, dictUnlink, dictFreeEntry, dictShrinkIfNeeded, dictSize,
  dictRelease, dictRandomEntry, dictScan, scanCount, scanResults, entryKey, entryKeyLen, entryVal, setEntryVal,
} from "./dict";
import { createCollection, objPtr, objEncoding, setObjPtr, objType, OBJ_HASH, ENC_LISTPACK, ENC_HT } from "./object";
import { lookupKey, dbSetValue, dbDelete, LOOKUP_WRITE } from "./db";
import { zfree, zmalloc } from "./mem";
import { string2ll, parseOk, ll2string, setRet, setRetI64, scratch, retArea } from "./util";
import { randomU32 } from "./hash";

export const HASH_WRONGTYPE: i32 = -1;
export const HASH_NOT_INT: i32 = -2;
export const HASH_OVERFLOW: i32 = -3;

let maxListpackEntries: u32 = 128;
let maxListpackValue: u32 = 64;

export function setHashLimits(entries: u32, value: u32): void {
  maxListpackEntries = entries;
  maxListpackValue = value;
}

// ── Value blocks (dict encoding) ────────────────────────────────────────────

function valueNew(p: usize, len: u32): usize {
  const v = zmalloc(4 + <usize>len);
  store<u32>(v, len);
  memory.copy(v + 4, p, len);
  return v;
}

function valueFree(v: u64): void {
  zfree(<usize>v);
}

// ── Object lifecycle ────────────────────────────────────────────────────────

export function hashNew(): usize {
  return createCollection(OBJ_HASH, ENC_LISTPACK, lpNew(0));
}

export function freeHashObject(o: usize): void {
  if (objEncoding(o) == ENC_LISTPACK) lpFree(objPtr(o));
  else dictRelease(objPtr(o), valueFree);
}

export function hashDup(o: usize): usize {
  if (objEncoding(o) == ENC_LISTPACK) {
    const lp = objPtr(o);
    const n = zmalloc(<usize>lpBytes(lp));
    memory.copy(n, lp, lpBytes(lp));
    return createCollection(OBJ_HASH, ENC_LISTPACK, n);
  }
  const src = objPtr(o);
  const d = dictCreate();
  let cursor: u32 = 0;
  do {
    cursor = dictScan(src, cursor, true);
    for (let i: u32 = 0; i < scanCount; i++) {
      const e = <usize>load<u32>(scanResults() + (<usize>i << 2));
      const v = <usize>entryVal(e);
      const ne = dictAddOrFind(d, entryKey(e), entryKeyLen(e));
      setEntryVal(ne, <u64>valueNew(v + 4, load<u32>(v)));
    }
  } while (cursor != 0);
  return createCollection(OBJ_HASH, ENC_HT, d);
}

export function hashLength(o: usize): u32 {
  return objEncoding(o) == ENC_LISTPACK ? lpLength(objPtr(o)) / 2 : dictSize(objPtr(o));
}

/** Converts a listpack hash to a dict (Redis's hashTypeConvertListpack). */
function convertToDict(o: usize): void {
  const lp = objPtr(o);
  const d = dictCreate();
  const buf = scratch();
  let p = lpFirst(lp);
  while (p != 0) {
    const f = entryBytes(p, buf);
    const flen = entryLen;
    // The field may have been printed into buf: copy it out before reading the value.
    const fcopy = zmalloc(<usize>flen);
    memory.copy(fcopy, f, flen);
    p = lpNext(lp, p);
    const v = entryBytes(p, buf);
    const e = dictAddOrFind(d, fcopy, flen);
    setEntryVal(e, <u64>valueNew(v, entryLen));
    zfree(fcopy);
    p = lpNext(lp, p);
  }
  lpFree(lp);
  setObjPtr(o, d, ENC_HT);
}

/** Length of the bytes entryBytes returned last. */
let entryLen: u32 = 0;

/** Bytes of a listpack entry (ints printed into buf); length in entryLen. */
function entryBytes(p: usize, buf: usize): usize {
  const s = lpGet(p);
  if (s != 0) {
    entryLen = lpLen;
    return s;
  }
  entryLen = ll2string(buf, lpInt);
  return buf;
}

// ── Field access ────────────────────────────────────────────────────────────

/** Address of a field's entry in a listpack hash, or 0. */
function lpFindField(lp: usize, fp: usize, fl: u32): usize {
  const first = lpFirst(lp);
  if (first == 0) return 0;
  // Fields sit at even positions: skip one entry (the value) between compares.
  return lpFind(lp, first, fp, fl, 1);
}

/**
 * A field's value: returns its address and puts the length in ret slot 0,
 * or returns 0 when the field is missing. Ints stored in a listpack are
 * printed into the scratch area.
 */
export function hashGet(o: usize, fp: usize, fl: u32): usize {
  if (objEncoding(o) == ENC_LISTPACK) {
    const lp = objPtr(o);
    const f = lpFindField(lp, fp, fl);
    if (f == 0) return 0;
    const v = entryBytes(lpNext(lp, f), scratch());
    setRet(0, <i32>entryLen);
    return v;
  }
  const e = dictFind(objPtr(o), fp, fl);
  if (e == 0) return 0;
  const v = <usize>entryVal(e);
  setRet(0, <i32>load<u32>(v));
  return v + 4;
}

export function hashExists(o: usize, fp: usize, fl: u32): bool {
  if (objEncoding(o) == ENC_LISTPACK) return lpFindField(objPtr(o), fp, fl) != 0;
  return dictFind(objPtr(o), fp, fl) != 0;
}

/** Sets a field; returns 1 when the field is new, 0 when it was updated. */
export function hashSetField(o: usize, fp: usize, fl: u32, vp: usize, vl: u32): i32 {
  if (objEncoding(o) == ENC_LISTPACK && (fl > maxListpackValue || vl > maxListpackValue)) convertToDict(o);
  if (objEncoding(o) == ENC_LISTPACK) {
    let lp = objPtr(o);
    const f = lpFindField(lp, fp, fl);
    if (f != 0) {
      lp = lpReplace(lp, lpNext(lp, f), vp, vl);
      setObjPtr(o, lp, ENC_LISTPACK);
      return 0;
    }
    lp = lpAppend(lp, fp, fl);
    lp = lpAppend(lp, vp, vl);
    setObjPtr(o, lp, ENC_LISTPACK);
    if (lpLength(lp) / 2 > maxListpackEntries) convertToDict(o);
    return 1;
  }
  const e = dictAddOrFind(objPtr(o), fp, fl);
  if (!dictCreated) zfree(<usize>entryVal(e));
  setEntryVal(e, <u64>valueNew(vp, vl));
  return dictCreated ? 1 : 0;
}

/** Deletes a field; returns whether it existed. */
export function hashDelete(o: usize, fp: usize, fl: u32): bool {
  if (objEncoding(o) == ENC_LISTPACK) {
    const lp = objPtr(o);
    const f = lpFindField(lp, fp, fl);
    if (f == 0) return false;
    setObjPtr(o, lpDeleteRangeWithEntry(lp, f, 2), ENC_LISTPACK);
    return true;
  }
  const d = objPtr(o);
  const e = dictUnlink(d, fp, fl);
  if (e == 0) return false;
  zfree(<usize>entryVal(e));
  dictFreeEntry(e);
  dictShrinkIfNeeded(d);
  return true;
}

// ── Command-level operations ────────────────────────────────────────────────

/** The hash at a key for writing, created when missing; 0 for another type. */
function hashForWrite(db: u32, kp: usize, kl: u32): usize {
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o != 0) return objType(o) == OBJ_HASH ? o : 0;
  const n = hashNew();
  dbSetValue(db, kp, kl, n, false);
  return n;
}

/**
 * HSET/HMSET/HSETNX over argv pairs (argv = u32 (ptr,len) pairs, field then
 * value): returns how many fields were new, or HASH_WRONGTYPE. With nx, an
 * existing field is left alone.
 */
export function hsetArgv(db: u32, kp: usize, kl: u32, argv: usize, pairs: u32, nx: bool): i32 {
  const o = hashForWrite(db, kp, kl);
  if (o == 0) return HASH_WRONGTYPE;
  // Like hashTypeTryConversion: one long field or value converts before any insert.
  if (objEncoding(o) == ENC_LISTPACK) {
    for (let i: u32 = 0; i < pairs * 2; i++) {
      if (load<u32>(argv + (<usize>i << 3), 4) > maxListpackValue) {
        convertToDict(o);
        break;
      }
    }
  }
  let added: i32 = 0;
  for (let i: u32 = 0; i < pairs; i++) {
    const f = argv + (<usize>i << 4);
    const fp = <usize>load<u32>(f);
    const fl = load<u32>(f, 4);
    if (nx && hashExists(o, fp, fl)) continue;
    added += hashSetField(o, fp, fl, <usize>load<u32>(f, 8), load<u32>(f, 12));
  }
  return added;
}

/** HDEL over argv fields: returns how many were removed; deletes the key when empty. */
export function hdelArgv(db: u32, kp: usize, kl: u32, o: usize, argv: usize, n: u32): i32 {
  let removed: i32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const a = argv + (<usize>i << 3);
    if (hashDelete(o, <usize>load<u32>(a), load<u32>(a, 4))) removed++;
    if (hashLength(o) == 0) {
      dbDelete(db, kp, kl);
      break;
    }
  }
  return removed;
}

/** HINCRBY: STR-style codes; the new value in the ret i64. */
export function hashIncrBy(db: u32, kp: usize, kl: u32, fp: usize, fl: u32, lo: u32, hi: i32): i32 {
  const delta = (<i64>hi << 32) | <i64>lo;
  const o = hashForWrite(db, kp, kl);
  if (o == 0) return HASH_WRONGTYPE;
  let value: i64 = 0;
  const cur = hashGet(o, fp, fl);
  if (cur != 0) {
    value = string2ll(cur, <usize>load<i32>(retArea));
    if (!parseOk) return HASH_NOT_INT;
  }
  if ((delta < 0 && value < 0 && delta < i64.MIN_VALUE - value) ||
      (delta > 0 && value > 0 && delta > i64.MAX_VALUE - value)) return HASH_OVERFLOW;
  value += delta;
  const buf = scratch() + 32;
  const len = ll2string(buf, value);
  hashSetField(o, fp, fl, buf, len);
  setRetI64(value);
  return 0;
}

// ── Collecting pairs for replies ────────────────────────────────────────────
// One call fills a table of (ptr,len) items the host reads; ints in a
// listpack are printed into a text arena first. Valid until the next call.

let items: usize = 0;
let itemsCap: u32 = 0;
let itemCount: u32 = 0;
let text: usize = 0;
let textCap: u32 = 0;
let textLen: u32 = 0;

function pushItem(p: usize, len: u32): void {
  if (itemCount == itemsCap) {
    const cap = itemsCap == 0 ? <u32>64 : itemsCap * 2;
    const n = zmalloc(<usize>cap << 3);
    if (items != 0) {
      memory.copy(n, items, <usize>itemCount << 3);
      zfree(items);
    }
    items = n;
    itemsCap = cap;
  }
  store<u32>(items + (<usize>itemCount << 3), <u32>p);
  store<u32>(items + (<usize>itemCount << 3), len, 4);
  itemCount++;
}

/**
 * Reserves text room for every int a listpack could hold, before any item
 * points into the arena (growing it later would move printed ints).
 */
function reserveText(n: u32): void {
  textLen = 0;
  const need = n * LP_INTBUF_SIZE;
  if (need <= textCap) return;
  if (text != 0) zfree(text);
  text = zmalloc(<usize>need);
  textCap = need;
}

function pushLpEntry(p: usize): void {
  const s = lpGet(p);
  if (s != 0) {
    pushItem(s, lpLen);
    return;
  }
  const at = text + <usize>textLen;
  const len = ll2string(at, lpInt);
  textLen += len;
  pushItem(at, len);
}

function pushDictEntry(e: usize, fields: bool, values: bool): void {
  if (fields) pushItem(entryKey(e), entryKeyLen(e));
  if (values) {
    const v = <usize>entryVal(e);
    pushItem(v + 4, load<u32>(v));
  }
}

export function hashItems(): usize {
  return items;
}

/** Collects fields and/or values of the whole hash (HGETALL, HKEYS, HVALS); returns the item count. */
export function hashCollect(o: usize, fields: bool, values: bool): u32 {
  itemCount = 0;
  if (objEncoding(o) == ENC_LISTPACK) {
    const lp = objPtr(o);
    reserveText(lpLength(lp));
    let p = lpFirst(lp);
    let isField = true;
    while (p != 0) {
      if ((isField && fields) || (!isField && values)) pushLpEntry(p);
      isField = !isField;
      p = lpNext(lp, p);
    }
    return itemCount;
  }
  const d = objPtr(o);
  let cursor: u32 = 0;
  do {
    cursor = dictScan(d, cursor, true);
    for (let i: u32 = 0; i < scanCount; i++) pushDictEntry(<usize>load<u32>(scanResults() + (<usize>i << 2)), fields, values);
  } while (cursor != 0);
  return itemCount;
}

/**
 * One HSCAN step: a listpack hash returns everything with cursor 0 (as
 * Redis does for small encodings); a dict one bucket run. Items are field,
 * value pairs; the next cursor is in ret slot 1.
 */
export function hashScan(o: usize, cursor: u32, count: u32): u32 {
  if (objEncoding(o) == ENC_LISTPACK) {
    setRet(1, 0);
    return hashCollect(o, true, true);
  }
  itemCount = 0;
  const d = objPtr(o);
  // Like Redis: keep scanning buckets until roughly COUNT elements were seen.
  let maxIterations = <u64>count * 10;
  do {
    cursor = dictScan(d, cursor, true);
    for (let i: u32 = 0; i < scanCount; i++) pushDictEntry(<usize>load<u32>(scanResults() + (<usize>i << 2)), true, true);
  } while (cursor != 0 && maxIterations-- > 0 && itemCount / 2 < count);
  setRet(1, <i32>cursor);
  return itemCount;
}

/**
 * HRANDFIELD picks: `count` random fields (with values when withValues),
 * distinct unless allowRepeats. Items as in hashCollect.
 */
export function hashRandom(o: usize, count: u32, allowRepeats: bool, withValues: bool): u32 {
  itemCount = 0;
  const size = hashLength(o);
  if (!allowRepeats && count >= size) return hashCollect(o, true, withValues);
  if (objEncoding(o) == ENC_LISTPACK) {
    const lp = objPtr(o);
    reserveText(allowRepeats ? count * 2 : lpLength(lp));
    if (allowRepeats) {
      for (let i: u32 = 0; i < count; i++) pushLpPair(lp, randomU32() % size, withValues);
      return itemCount;
    }
    // Distinct picks by selection sampling: each field is kept with
    // probability (still needed / still left), which yields exactly count.
    let needed = count;
    for (let i: u32 = 0; i < size && needed > 0; i++) {
      if (randomU32() % (size - i) < needed) {
        pushLpPair(lp, i, withValues);
        needed--;
      }
    }
    return itemCount;
  }
  const d = objPtr(o);
  if (allowRepeats) {
    for (let i: u32 = 0; i < count; i++) pushDictEntry(dictRandomEntry(d), true, withValues);
    return itemCount;
  }
  // Distinct picks from a large hash: random entries, skipping repeats
  // (count < size here; a small marker dict remembers what was taken).
  const seen = dictCreate();
  while (dictSize(seen) < count) {
    const e = dictRandomEntry(d);
    dictAddOrFind(seen, entryKey(e), entryKeyLen(e));
    if (dictCreated) pushDictEntry(e, true, withValues);
  }
  dictRelease(seen, noFree);
  return itemCount;
}

function noFree(v: u64): void {}

function pushLpPair(lp: usize, index: u32, withValues: bool): void {
  const f = lpSeek(lp, <i32>(index * 2));
  pushLpEntry(f);
  if (withValues) pushLpEntry(lpNext(lp, f));
}
