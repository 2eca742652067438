// Values of an RDB file or DUMP payload as objects (Redis's rdbLoadObject):
// one case per RDB type, old encodings (ziplist, zipmap, linked list,
// ziplist quicklist) converted to today's, each value held to the encoding
// limits the configuration sets.
//
//   type byte ─▶ rdbLoadObject ─┬─ STRING ─────────────────▶ string object
//                               ├─ SET / SET_INTSET / SET_LISTPACK ─▶ intset or dict set
//                               ├─ HASH / HASH_LISTPACK / HASH_ZIPLIST / HASH_ZIPMAP
//                               │                            ─▶ listpack or dict hash
//                               ├─ ZSET_2 / ZSET / ZSET_LISTPACK / ZSET_ZIPLIST
//                               │                            ─▶ listpack or skiplist zset
//                               └─ LIST_QUICKLIST_2 / LIST_QUICKLIST / LIST_ZIPLIST / LIST
//                                                            ─▶ quicklist (rdb_list.ts)

import {
  RDB_TYPE_STRING, RDB_TYPE_LIST, RDB_TYPE_SET, RDB_TYPE_HASH, RDB_TYPE_HASH_ZIPMAP, RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_SET_INTSET, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET_LISTPACK, RDB_TYPE_MODULE_2, RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_ZIPLIST, RDB_TYPE_ZSET_LISTPACK,
} from "./rdb_format";
import {
  readFailed, corrupt, loadLen, loadString, slotReserve, strPtr, strLen, setStr, numBuf, SLOT_VAL, SLOT_FIELD,
  RDB_BAD_SET_DUP, RDB_BAD_INTSET, RDB_BAD_SET_LISTPACK, RDB_BAD_HASH_DUP, RDB_BAD_HASH_LISTPACK,
  RDB_BAD_HASH_ZIPLIST, RDB_BAD_HASH_ZIPMAP, RDB_BAD_ZSET_NAN, RDB_BAD_ZSET_DUP, RDB_BAD_ZSET_LISTPACK,
  RDB_BAD_ZSET_ZIPLIST,
  loadBinaryDouble, loadTextDouble, setEmptyKey, clearEmptyKey,
} from "./rdb_read";
import { loadQuicklistObject, loadListZiplistObject, loadLinkedListObject } from "./rdb_list";
import { dictCreate, dictAddOrFind, dictCreated, dictRelease } from "./dict";
import {
  createStringObject, createCollection, freeObject, OBJ_SET, OBJ_ZSET, OBJ_HASH, ENC_INTSET, ENC_LISTPACK, ENC_SKIPLIST,
} from "./object";
import {
  zsetCreateSkiplist, zsetAdd, zsetConvert, zsetConvertToListpackIfNeeded, zzlGetScore, zzlCompareElements,
  ZADD_OUT_ADDED,
} from "./t_zset";
import { createIntsetObject, createSetObject, setTypeAdd } from "./t_set";
import { hashNew, hashSetField } from "./t_hash";
import { INTSET_HEADER, INTSET_ENC_INT16, INTSET_ENC_INT32, INTSET_ENC_INT64, intsetLen, intsetGet } from "./intset";
import { lpNew, lpFree, lpAppend, lpLength, lpValidate, lpFirst, lpNext, lpGet, lpLen, lpInt } from "./listpack";
import { zlValidate, zlFirst, zlNext, zlGet, zlLen, zlInt } from "./ziplist";
import { zmValidate, zmFirst, zmNext, zmField, zmFieldLen, zmValue, zmValueLen } from "./zipmap";
import { zmalloc } from "./mem";
import { ll2string } from "./util";

let maxIntsetEntries: u32 = 512;
let maxHashEntries: u32 = 128;
let maxHashValue: u32 = 64;
let maxZsetEntries: u32 = 128;

/** The limits that decide a loaded value's encoding (set-max-intset-entries, hash- and zset-max-listpack-*). */
export function rdbLoadSetLimits(intsetEntries: u32, hashEntries: u32, hashValue: u32, zsetEntries: u32): void {
  maxIntsetEntries = intsetEntries;
  maxHashEntries = hashEntries;
  maxHashValue = hashValue;
  maxZsetEntries = zsetEntries;
}

/**
 * The value of an RDB type as a new object, or 0 when it could not be read
 * (readFailed()) or was an empty collection (emptyKey). Frees what it built on
 * failure, so a record parsed again after LOAD_NEED_MORE leaks nothing.
 */
export function rdbLoadObject(type: u32): usize {
  clearEmptyKey();
  switch (type) {
    case RDB_TYPE_STRING:
      return loadStringObject();
    case RDB_TYPE_SET:
      return loadSetObject();
    case RDB_TYPE_SET_INTSET:
      return loadIntsetObject();
    case RDB_TYPE_SET_LISTPACK:
      return loadSetListpackObject();
    case RDB_TYPE_HASH:
      return loadHashObject();
    case RDB_TYPE_HASH_LISTPACK:
      return loadHashListpackObject();
    case RDB_TYPE_HASH_ZIPLIST:
      return loadHashZiplistObject();
    case RDB_TYPE_HASH_ZIPMAP:
      return loadHashZipmapObject();
    case RDB_TYPE_LIST_QUICKLIST_2:
    case RDB_TYPE_LIST_QUICKLIST:
      return loadQuicklistObject(type == RDB_TYPE_LIST_QUICKLIST_2);
    case RDB_TYPE_LIST_ZIPLIST:
      return loadListZiplistObject();
    case RDB_TYPE_LIST:
      return loadLinkedListObject();
    case RDB_TYPE_ZSET_2:
    case RDB_TYPE_ZSET:
      return loadZsetObject(type == RDB_TYPE_ZSET_2);
    case RDB_TYPE_ZSET_LISTPACK:
      return loadZsetListpackObject();
    case RDB_TYPE_ZSET_ZIPLIST:
      return loadZsetZiplistObject();
    default:
      return 0;
  }
}

/** Types this loader has a case for; the others are refused with LOAD_ERR_TYPE. */
export function rdbCanLoadType(type: u32): bool {
  switch (type) {
    case RDB_TYPE_STRING:
    case RDB_TYPE_SET:
    case RDB_TYPE_SET_INTSET:
    case RDB_TYPE_SET_LISTPACK:
    case RDB_TYPE_HASH:
    case RDB_TYPE_HASH_LISTPACK:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_LIST_QUICKLIST_2:
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_ZIPLIST:
    case RDB_TYPE_LIST:
    case RDB_TYPE_ZSET_2:
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_ZSET_ZIPLIST:
      return true;
    default:
      return false;
  }
}

/** Redis 7.2's rdbIsObjectType: what may follow as a value type. */
export function rdbIsObjectType(type: u32): bool {
  return type <= RDB_TYPE_MODULE_2 || (type >= 9 && type <= RDB_TYPE_STREAM_LISTPACKS_3);
}

function loadStringObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  return createStringObject(strPtr, strLen);
}

/** RDB_TYPE_SET: a count and the members; an intset while they are few integers. */
function loadSetObject(): usize {
  const len = loadLen();
  if (readFailed()) return 0;
  if (len == 0) {
    setEmptyKey();
    return 0;
  }
  const o = len > <u64>maxIntsetEntries ? createSetObject() : createIntsetObject();
  for (let i: u64 = 0; i < len; i++) {
    if (!loadString(SLOT_VAL)) break;
    if (!setTypeAdd(o, strPtr, strLen)) {
      corrupt(RDB_BAD_SET_DUP, 0);
      break;
    }
  }
  if (!readFailed()) return o;
  freeObject(o);
  return 0;
}

/** RDB_TYPE_SET_INTSET: Redis's intset blob, kept as it is unless it has too many members. */
function loadIntsetObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  if (!intsetValidateIntegrity(strPtr, strLen)) {
    corrupt(RDB_BAD_INTSET, 0);
    return 0;
  }
  const n = intsetLen(strPtr);
  if (n > maxIntsetEntries) return intsetToDictSet(strPtr, n);
  const is = zmalloc(strLen);
  memory.copy(is, strPtr, strLen);
  return createCollection(OBJ_SET, ENC_INTSET, is);
}

/** intsetValidateIntegrity with deep checking: header, size, and strictly ascending members. */
function intsetValidateIntegrity(p: usize, size: u32): bool {
  if (<usize>size < INTSET_HEADER) return false;
  const enc = load<u32>(p);
  if (enc != INTSET_ENC_INT16 && enc != INTSET_ENC_INT32 && enc != INTSET_ENC_INT64) return false;
  const count = <u64>load<u32>(p, 4);
  if (<u64>INTSET_HEADER + count * <u64>enc != <u64>size) return false;
  if (count == 0) return false;
  let prev = intsetGet(p, 0);
  for (let i: u32 = 1; i < <u32>count; i++) {
    const cur = intsetGet(p, i);
    if (cur <= prev) return false;
    prev = cur;
  }
  return true;
}

function intsetToDictSet(is: usize, n: u32): usize {
  const o = createSetObject();
  for (let i: u32 = 0; i < n; i++) setTypeAdd(o, numBuf, ll2string(numBuf, intsetGet(is, i)));
  return o;
}

/** RDB_TYPE_SET_LISTPACK (Redis 7.2): members in a listpack, re-encoded as an intset or dict set. */
function loadSetListpackObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  const lp = strPtr;
  if (!lpValidate(lp, strLen, true)) {
    corrupt(RDB_BAD_SET_LISTPACK, 0);
    return 0;
  }
  let p = lpFirst(lp);
  if (p == 0) {
    setEmptyKey();
    return 0;
  }
  const o = createIntsetObject();
  for (; p != 0; p = lpNext(lp, p)) {
    const s = lpGet(p);
    const added = s != 0 ? setTypeAdd(o, s, lpLen) : setTypeAdd(o, numBuf, ll2string(numBuf, lpInt));
    if (!added) {
      corrupt(RDB_BAD_SET_LISTPACK, 0);
      freeObject(o);
      return 0;
    }
  }
  return o;
}

// ── Hashes ───────────────────────────────────────────────────────────────────

/** RDB_TYPE_HASH: a count and field, value strings, added as HSET would (a listpack until a limit). */
function loadHashObject(): usize {
  const len = loadLen();
  if (readFailed()) return 0;
  if (len == 0) {
    setEmptyKey();
    return 0;
  }
  const o = hashNew();
  for (let i: u64 = 0; i < len; i++) {
    if (!loadString(SLOT_FIELD)) break;
    const fp = strPtr;
    const fl = strLen;
    if (!loadString(SLOT_VAL)) break;
    if (hashSetField(o, fp, fl, strPtr, strLen) == 0) {
      corrupt(RDB_BAD_HASH_DUP, 0);
      break;
    }
  }
  if (!readFailed()) return o;
  freeObject(o);
  return 0;
}

// Pairs of an old or blob encoding gathered into a new listpack, checking
// field names are unique (Redis's dup search dict) and noting the longest
// element, so the hash can be kept as a listpack or rebuilt as a dict.

let pairsLp: usize = 0;
let pairsFields: usize = 0;
let pairsCount: u32 = 0;
let pairsMaxLen: u32 = 0;
let pairsDup = false;

function pairsBegin(): void {
  pairsLp = lpNew(0);
  pairsFields = dictCreate();
  pairsCount = 0;
  pairsMaxLen = 0;
  pairsDup = false;
}

function pairsAdd(p: usize, len: u32): void {
  if ((pairsCount & 1) == 0) {
    dictAddOrFind(pairsFields, p, len);
    if (!dictCreated) pairsDup = true;
  }
  pairsLp = lpAppend(pairsLp, p, len);
  if (len > pairsMaxLen) pairsMaxLen = len;
  pairsCount++;
}

function pairsAddInt(v: i64): void {
  pairsAdd(numBuf, ll2string(numBuf, v));
}

/** The gathered listpack, or 0 (freed) when a field repeated or a value is missing. */
function pairsEnd(): usize {
  dictRelease(pairsFields, noFree);
  if (!pairsDup && (pairsCount & 1) == 0) return pairsLp;
  lpFree(pairsLp);
  return 0;
}

function noFree(v: u64): void {}

/**
 * A hash holding the listpack's pairs: the listpack itself while within
 * hash-max-listpack-entries (and, for a zipmap, the value limit), else a
 * dict built field by field. Takes ownership of lp.
 */
function hashFromListpack(lp: usize, checkValues: bool): usize {
  const n = lpLength(lp) / 2;
  if (n == 0) {
    lpFree(lp);
    setEmptyKey();
    return 0;
  }
  if (n <= maxHashEntries && (!checkValues || pairsMaxLen <= maxHashValue)) {
    return createCollection(OBJ_HASH, ENC_LISTPACK, lp);
  }
  const o = hashNew();
  let p = lpFirst(lp);
  while (p != 0) {
    const f = entryCopy(p, SLOT_FIELD);
    const fl = strLen;
    p = lpNext(lp, p);
    const v = entryCopy(p, SLOT_VAL);
    hashSetField(o, f, fl, v, strLen);
    p = lpNext(lp, p);
  }
  lpFree(lp);
  return o;
}

/** A listpack entry's bytes in a scratch slot (integers printed); length in strLen. */
function entryCopy(p: usize, slot: u32): usize {
  const s = lpGet(p);
  if (s == 0) {
    const dst = slotReserve(slot, 24);
    setStr(dst, ll2string(dst, lpInt));
    return dst;
  }
  const dst = slotReserve(slot, lpLen);
  memory.copy(dst, s, lpLen);
  setStr(dst, lpLen);
  return dst;
}

/** RDB_TYPE_HASH_LISTPACK: kept as it is unless it has too many fields. */
function loadHashListpackObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  const src = strPtr;
  const size = strLen;
  if (!lpValidate(src, size, true)) {
    corrupt(RDB_BAD_HASH_LISTPACK, 0);
    return 0;
  }
  pairsBegin();
  for (let p = lpFirst(src); p != 0; p = lpNext(src, p)) {
    const s = lpGet(p);
    if (s != 0) pairsAdd(s, lpLen);
    else pairsAddInt(lpInt);
  }
  const lp = pairsEnd();
  if (lp == 0) {
    corrupt(RDB_BAD_HASH_LISTPACK, 0);
    return 0;
  }
  return hashFromListpack(lp, false);
}

/** RDB_TYPE_HASH_ZIPLIST (before 7.0): pairs converted to a listpack. */
function loadHashZiplistObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  const zl = strPtr;
  if (!zlValidate(zl, strLen)) {
    corrupt(RDB_BAD_HASH_ZIPLIST, 0);
    return 0;
  }
  pairsBegin();
  for (let p = zlFirst(zl); p != 0; p = zlNext(zl, p)) {
    const s = zlGet(zl, p);
    if (s != 0) pairsAdd(s, zlLen);
    else pairsAddInt(zlInt);
  }
  const lp = pairsEnd();
  if (lp == 0) {
    corrupt(RDB_BAD_HASH_ZIPLIST, 0);
    return 0;
  }
  return hashFromListpack(lp, false);
}

/** RDB_TYPE_HASH_ZIPMAP (Redis 2.4 and older): pairs converted, then the entry and value limits apply. */
function loadHashZipmapObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  const zm = strPtr;
  if (!zmValidate(zm, strLen)) {
    corrupt(RDB_BAD_HASH_ZIPMAP, 0);
    return 0;
  }
  pairsBegin();
  for (let p = zmNext(zmFirst(zm)); p != 0; p = zmNext(p)) {
    pairsAdd(zmField, zmFieldLen);
    pairsAdd(zmValue, zmValueLen);
  }
  const lp = pairsEnd();
  if (lp == 0) {
    corrupt(RDB_BAD_HASH_ZIPMAP, 0);
    return 0;
  }
  return hashFromListpack(lp, true);
}

// ── Sorted sets ──────────────────────────────────────────────────────────────

/**
 * RDB_TYPE_ZSET_2 (binary scores) and RDB_TYPE_ZSET (scores as text, before
 * version 8): a skiplist zset, turned into a listpack when it fits the
 * limits, since the file does not keep members in order.
 */
function loadZsetObject(binary: bool): usize {
  const len = loadLen();
  if (readFailed()) return 0;
  if (len == 0) {
    setEmptyKey();
    return 0;
  }
  const o = zsetCreateSkiplist();
  let maxLen: u32 = 0;
  let totalLen: u64 = 0;
  for (let i: u64 = 0; i < len; i++) {
    if (!loadString(SLOT_FIELD)) break;
    const p = strPtr;
    const l = strLen;
    const score = binary ? loadBinaryDouble() : loadTextDouble();
    if (readFailed()) break;
    if (isNaN(score)) {
      corrupt(RDB_BAD_ZSET_NAN, 0);
      break;
    }
    if ((zsetAdd(o, score, p, l, 0) & ZADD_OUT_ADDED) == 0) {
      corrupt(RDB_BAD_ZSET_DUP, 0);
      break;
    }
    if (l > maxLen) maxLen = l;
    totalLen += l;
  }
  if (readFailed()) {
    freeObject(o);
    return 0;
  }
  zsetConvertToListpackIfNeeded(o, maxLen, totalLen);
  return o;
}

/**
 * A zset listpack as Redis keeps it: member, score pairs in (score, member)
 * order, each member once. Redis only checks pairs and duplicates; the
 * order is checked too, since the zset code relies on it.
 */
function zsetListpackValid(lp: usize): bool {
  if ((lpLength(lp) & 1) != 0) return false;
  const members = dictCreate();
  let ok = true;
  let prev: usize = 0;
  let prevScore: f64 = 0;
  for (let e = lpFirst(lp); e != 0 && ok; e = lpNext(lp, lpNext(lp, e))) {
    const s = lpGet(e);
    const m = s != 0 ? s : numBuf;
    const ml = s != 0 ? lpLen : ll2string(numBuf, lpInt);
    dictAddOrFind(members, m, ml);
    const score = zzlGetScore(lpNext(lp, e));
    ok = dictCreated && !isNaN(score);
    if (ok && prev != 0) ok = prevScore < score || (prevScore == score && zzlCompareElements(prev, m, ml) < 0);
    prev = e;
    prevScore = score;
  }
  dictRelease(members, noFree);
  return ok;
}

/** A listpack zset over lp (which it takes), or a skiplist one past zset-max-listpack-entries. */
function zsetFromListpack(lp: usize): usize {
  const n = lpLength(lp) / 2;
  if (n == 0) {
    lpFree(lp);
    setEmptyKey();
    return 0;
  }
  const o = createCollection(OBJ_ZSET, ENC_LISTPACK, lp);
  if (n > maxZsetEntries) zsetConvert(o, ENC_SKIPLIST);
  return o;
}

/** RDB_TYPE_ZSET_LISTPACK: kept as it is unless it has too many members. */
function loadZsetListpackObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  if (!lpValidate(strPtr, strLen, true) || !zsetListpackValid(strPtr)) {
    corrupt(RDB_BAD_ZSET_LISTPACK, 0);
    return 0;
  }
  const lp = zmalloc(strLen);
  memory.copy(lp, strPtr, strLen);
  return zsetFromListpack(lp);
}

/** RDB_TYPE_ZSET_ZIPLIST (before 7.0): pairs converted to a listpack. */
function loadZsetZiplistObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  const zl = strPtr;
  if (!zlValidate(zl, strLen)) {
    corrupt(RDB_BAD_ZSET_ZIPLIST, 0);
    return 0;
  }
  pairsBegin();
  for (let p = zlFirst(zl); p != 0; p = zlNext(zl, p)) {
    const s = zlGet(zl, p);
    if (s != 0) pairsAdd(s, zlLen);
    else pairsAddInt(zlInt);
  }
  const lp = pairsEnd();
  if (lp == 0 || !zsetListpackValid(lp)) {
    if (lp != 0) lpFree(lp);
    corrupt(RDB_BAD_ZSET_ZIPLIST, 0);
    return 0;
  }
  return zsetFromListpack(lp);
}
