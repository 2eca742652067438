// Set objects: the encoding half of Redis's t_set.c. A set is an OBJ_SET
// whose payload is an intset while every member is an integer and there are
// at most set-max-intset-entries of them, and a dict (members as keys, no
// values) from then on. Like Redis, a set never converts back, except that
// SPOP's "keep the few survivors" strategy builds a fresh set.
//
//   set object                    ENC_INTSET (intset.ts)
//   ┌────────┬─────┐              ┌──────────┬────────┬─────────────────────┐
//   │ header │ ptr ┼─────────────▶│ encoding │ length │ sorted int16/32/64  │
//   └────────┴─────┘              └──────────┴────────┴─────────────────────┘
//                                 ENC_HT (dict.ts): entries keyed by member bytes, value 0
//
//   member list (what replies read): records, each padded to 4 bytes
//   ┌──────────────┬──────────────┬─────┐
//   │ len u32      │ member bytes │ pad │ ...
//   └──────────────┴──────────────┴─────┘
//
// Command-level operations (SADD, SREM, SPOP, SRANDMEMBER, SSCAN) run here
// in one call each, set algebra in t_set_algebra.ts; the command layer does
// option parsing, errors, propagation and the reply.

import {
  intsetNew, intsetAdd, intsetRemove, intsetFind, intsetLen, intsetGet, intsetRandom, intsetSuccess, intsetDup,
  intsetFree,
} from "./intset";
import {
  dictCreate, dictAddOrFind, dictCreated, dictFind, dictUnlink, dictFreeEntry, dictShrinkIfNeeded, dictSize,
  dictRelease, dictRandomEntry, dictScan, scanCount, scanResults, entryKey, entryKeyLen,
} from "./dict";
import {
  createCollection, objPtr, objEncoding, setObjPtr, objType, freeObject, objLru, setObjLru, OBJ_SET, ENC_INTSET,
  ENC_HT,
} from "./object";
import { lookupKey, dbSetValue, dbDelete, dbReplaceObject, isLfuMode, LOOKUP_WRITE } from "./db";
import { zfree, zrealloc } from "./mem";
import { string2ll, parseOk, ll2string, setRet } from "./util";

export const SET_WRONGTYPE: i32 = -1;

/** Redis caps set-max-intset-entries here because of intset internals. */
// @ts-ignore: decorator
@inline const MAX_INTSET_ENTRIES_CAP: u32 = 1 << 30;
/** SPOP with count keeps the survivors instead when count ≥ remaining × this (SPOP_MOVE_STRATEGY_MUL). */
// @ts-ignore: decorator
@inline const SPOP_MOVE_STRATEGY_MUL: u64 = 5;
/** SRANDMEMBER copies the set and drops members when count × this > size (SRANDMEMBER_SUB_STRATEGY_MUL). */
// @ts-ignore: decorator
@inline const SRANDMEMBER_SUB_STRATEGY_MUL: u64 = 3;
/** Room for a printed int64 ("-9223372036854775808"). */
// @ts-ignore: decorator
@inline const LL_STR_SIZE: usize = 20;
// @ts-ignore: decorator
@inline const LIST_MIN_CAP: usize = 256;
/** A member list larger than this is released after use rather than kept for the next reply. */
// @ts-ignore: decorator
@inline const LIST_KEEP_CAP: usize = 1 << 20;
// @ts-ignore: decorator
@inline const ARGV_PAIR: usize = 8;

let maxIntsetEntries: u32 = 512;

/** set-max-intset-entries changed (CONFIG SET, config file). */
export function setMaxIntsetEntries(n: u32): void {
  maxIntsetEntries = min(n, MAX_INTSET_ENTRIES_CAP);
}

/** Scratch for printing an intset member to compare or store it as bytes. */
const numBuf: usize = memory.data(<i32>LL_STR_SIZE, 8);

// @ts-ignore: decorator
@inline function argPtr(argv: usize, i: u32): usize {
  return <usize>load<u32>(argv + <usize>i * ARGV_PAIR);
}

// @ts-ignore: decorator
@inline function argLen(argv: usize, i: u32): u32 {
  return load<u32>(argv + <usize>i * ARGV_PAIR, 4);
}

// @ts-ignore: decorator
@inline function isIntset(o: usize): bool {
  return objEncoding(o) == ENC_INTSET;
}

// ── Member list ──────────────────────────────────────────────────────────────
// Members are copied, so the list stays valid after they leave the set (SPOP).

let list: usize = 0;
let listCap: usize = 0;
let listEnd: usize = 0;
let listCount: u32 = 0;

export function setListPtr(): usize {
  return list;
}

export function listReset(): void {
  listEnd = 0;
  listCount = 0;
  if (listCap > LIST_KEEP_CAP) {
    zfree(list);
    list = 0;
    listCap = 0;
  }
}

// @ts-ignore: decorator
@inline function align4(n: usize): usize {
  return (n + 3) & ~(<usize>3);
}

function listEnsure(n: usize): void {
  if (listEnd + n <= listCap) return;
  listCap = max(max(listEnd + n, listCap << 1), LIST_MIN_CAP);
  list = zrealloc(list, listCap);
}

export function listPush(p: usize, l: u32): bool {
  listEnsure(4 + align4(l));
  store<u32>(list + listEnd, l);
  memory.copy(list + listEnd + 4, p, l);
  listEnd += 4 + align4(l);
  listCount++;
  return true;
}

export function listPushInt(v: i64): bool {
  listEnsure(4 + LL_STR_SIZE);
  const l = ll2string(list + listEnd + 4, v);
  store<u32>(list + listEnd, l);
  listEnd += 4 + align4(l);
  listCount++;
  return true;
}

// ── Iteration ────────────────────────────────────────────────────────────────

/**
 * Calls onInt for each member of an intset, or onBytes for each member of a
 * dict set, in the set's order, until a call returns false. The callbacks
 * must not change this set (a full SCAN of an unchanging dict returns each
 * member once) nor scan another dict (the scan buffer is shared).
 */
export function forEachMember(o: usize, onInt: (v: i64) => bool, onBytes: (p: usize, l: u32) => bool): void {
  if (isIntset(o)) {
    const is = objPtr(o);
    const n = intsetLen(is);
    for (let i: u32 = 0; i < n; i++) if (!onInt(intsetGet(is, i))) return;
    return;
  }
  const d = objPtr(o);
  let cursor: u32 = 0;
  do {
    cursor = dictScan(d, cursor, true);
    const n = scanCount;
    const found = scanResults();
    for (let i: u32 = 0; i < n; i++) {
      const e = <usize>load<u32>(found + (<usize>i << 2));
      if (!onBytes(entryKey(e), entryKeyLen(e))) return;
    }
  } while (cursor != 0);
}

export function listAllMembers(o: usize): void {
  forEachMember(o, listPushInt, listPush);
}

// ── Set type ─────────────────────────────────────────────────────────────────

export function createIntsetObject(): usize {
  return createCollection(OBJ_SET, ENC_INTSET, intsetNew());
}

export function createSetObject(): usize {
  return createCollection(OBJ_SET, ENC_HT, dictCreate());
}

/** An empty set able to hold the member: an intset when it is an integer (Redis's setTypeCreate). */
export function setTypeCreate(p: usize, l: u32): usize {
  string2ll(p, l);
  return parseOk ? createIntsetObject() : createSetObject();
}

export function setTypeSize(o: usize): u32 {
  return isIntset(o) ? intsetLen(objPtr(o)) : dictSize(objPtr(o));
}

/** Turns an intset into a dict of the members printed in decimal (Redis's setTypeConvert). */
function setTypeConvert(o: usize): void {
  const is = objPtr(o);
  const d = dictCreate();
  const n = intsetLen(is);
  for (let i: u32 = 0; i < n; i++) dictAddOrFind(d, numBuf, ll2string(numBuf, intsetGet(is, i)));
  intsetFree(is);
  setObjPtr(o, d, ENC_HT);
}

function addToDict(d: usize, p: usize, l: u32): bool {
  dictAddOrFind(d, p, l);
  return dictCreated;
}

function addToIntset(o: usize, v: i64): bool {
  const is = intsetAdd(objPtr(o), v);
  setObjPtr(o, is, ENC_INTSET);
  if (!intsetSuccess) return false;
  if (intsetLen(is) > maxIntsetEntries) setTypeConvert(o);
  return true;
}

/** Adds a member; true when it was new. Converts at the threshold or on a non-integer. */
export function setTypeAdd(o: usize, p: usize, l: u32): bool {
  if (!isIntset(o)) return addToDict(objPtr(o), p, l);
  const v = string2ll(p, l);
  if (parseOk) return addToIntset(o, v);
  setTypeConvert(o);
  return addToDict(objPtr(o), p, l);
}

/** setTypeAdd for a member already known as an integer: no round trip through text for intsets. */
export function setTypeAddInt(o: usize, v: i64): bool {
  if (isIntset(o)) return addToIntset(o, v);
  return addToDict(objPtr(o), numBuf, ll2string(numBuf, v));
}

function removeFromDict(d: usize, p: usize, l: u32): bool {
  const e = dictUnlink(d, p, l);
  if (e == 0) return false;
  dictFreeEntry(e);
  dictShrinkIfNeeded(d);
  return true;
}

function removeFromIntset(o: usize, v: i64): bool {
  setObjPtr(o, intsetRemove(objPtr(o), v), ENC_INTSET);
  return intsetSuccess;
}

/** Removes a member; true when it was there. */
export function setTypeRemove(o: usize, p: usize, l: u32): bool {
  if (!isIntset(o)) return removeFromDict(objPtr(o), p, l);
  const v = string2ll(p, l);
  return parseOk && removeFromIntset(o, v);
}

export function setTypeRemoveInt(o: usize, v: i64): bool {
  if (isIntset(o)) return removeFromIntset(o, v);
  return removeFromDict(objPtr(o), numBuf, ll2string(numBuf, v));
}

export function setTypeIsMember(o: usize, p: usize, l: u32): bool {
  if (!isIntset(o)) return dictFind(objPtr(o), p, l) != 0;
  const v = string2ll(p, l);
  return parseOk && intsetFind(objPtr(o), v);
}

export function isMemberInt(o: usize, v: i64): bool {
  if (isIntset(o)) return intsetFind(objPtr(o), v);
  return dictFind(objPtr(o), numBuf, ll2string(numBuf, v)) != 0;
}

/** Frees a set's structure; freeObject frees the object itself (Redis's freeSetObject). */
export function freeSetObject(o: usize): void {
  if (isIntset(o)) intsetFree(objPtr(o));
  else dictRelease(objPtr(o), noFree);
}

function noFree(v: u64): void {}

/** For walks over sets known to be dicts. */
function noInt(v: i64): bool {
  return true;
}

let dupTarget: usize = 0;

function dupAddBytes(p: usize, l: u32): bool {
  addToDict(objPtr(dupTarget), p, l);
  return true;
}

/** A deep copy of a set, same encoding (Redis's dupSetObject). */
export function setTypeDup(o: usize): usize {
  if (isIntset(o)) return createCollection(OBJ_SET, ENC_INTSET, intsetDup(objPtr(o)));
  dupTarget = createSetObject();
  forEachMember(o, noInt, dupAddBytes);
  return dupTarget;
}

// ── Random members ───────────────────────────────────────────────────────────

/** Appends a random member of a non-empty set to the list. */
function listRandomMember(o: usize): void {
  if (isIntset(o)) {
    listPushInt(intsetRandom(objPtr(o)));
    return;
  }
  const e = dictRandomEntry(objPtr(o));
  listPush(entryKey(e), entryKeyLen(e));
}

/** SRANDMEMBER with a negative count: n random members, repeats allowed. Returns n. */
export function setRandomMembers(o: usize, n: u32): u32 {
  listReset();
  for (let i: u32 = 0; i < n; i++) listRandomMember(o);
  return listCount;
}

/** Every member in the set's order (SMEMBERS, SRANDMEMBER/SPOP with count ≥ size). */
export function setListMembers(o: usize): u32 {
  listReset();
  listAllMembers(o);
  return listCount;
}

let pick: usize = 0;

function pickAddInt(v: i64): bool {
  addToDict(pick, numBuf, ll2string(numBuf, v));
  return true;
}

function pickAddBytes(p: usize, l: u32): bool {
  addToDict(pick, p, l);
  return true;
}

/**
 * SRANDMEMBER with 0 < count < size: count distinct random members.
 * Redis's cases 3 and 4: when count is close to the size, copy the set and
 * drop random members until count remain; otherwise draw random members
 * until count distinct ones were seen.
 */
export function srandmemberDistinct(o: usize, count: u32): u32 {
  listReset();
  pick = dictCreate();
  if (<u64>count * SRANDMEMBER_SUB_STRATEGY_MUL > <u64>setTypeSize(o)) {
    forEachMember(o, pickAddInt, pickAddBytes);
    while (dictSize(pick) > count) {
      const e = dictRandomEntry(pick);
      removeFromDict(pick, entryKey(e), entryKeyLen(e));
    }
  } else {
    while (dictSize(pick) < count) {
      if (isIntset(o)) pickAddInt(intsetRandom(objPtr(o)));
      else {
        const e = dictRandomEntry(objPtr(o));
        pickAddBytes(entryKey(e), entryKeyLen(e));
      }
    }
  }
  const tmp = createCollection(OBJ_SET, ENC_HT, pick);
  forEachMember(tmp, noInt, listPush);
  freeObject(tmp);
  pick = 0;
  return listCount;
}

/** Moves a random member of o into the list, or into `into` when non-zero, removing it from o. */
function popRandom(o: usize, into: usize): void {
  if (isIntset(o)) {
    const v = intsetRandom(objPtr(o));
    if (into == 0) listPushInt(v);
    else setTypeAddInt(into, v);
    removeFromIntset(o, v);
    return;
  }
  const e = dictRandomEntry(objPtr(o));
  const p = entryKey(e);
  const l = entryKeyLen(e);
  if (into == 0) listPush(p, l);
  else setTypeAdd(into, p, l);
  removeFromDict(objPtr(o), p, l);
}

/** SPOP key: pops one random member into the list; returns 1 when the set became empty and was deleted. */
export function spopOne(db: u32, kp: usize, kl: u32, o: usize): u32 {
  listReset();
  popRandom(o, 0);
  if (setTypeSize(o) != 0) return 0;
  dbDelete(db, kp, kl);
  return 1;
}

/**
 * SPOP key count with count < size; the popped members land in the list.
 * Few to pop: pop them one by one. Most of the set: move the `size - count`
 * survivors into a new set, reply what is left of the old one and put the
 * new set under the key (Redis's cases 2 and 3, with dbOverwrite keeping
 * the TTL).
 */
export function spopCount(db: u32, kp: usize, kl: u32, o: usize, count: u32): u32 {
  listReset();
  const remaining = setTypeSize(o) - count;
  if (<u64>remaining * SPOP_MOVE_STRATEGY_MUL > <u64>count) {
    for (let i: u32 = 0; i < count; i++) popRandom(o, 0);
    return listCount;
  }
  const survivors = survivorSet(o, remaining);
  listAllMembers(o);
  if (isLfuMode()) setObjLru(survivors, objLru(o));
  dbReplaceObject(db, kp, kl, survivors);
  freeObject(o);
  return listCount;
}

function survivorSet(o: usize, n: u32): usize {
  // Redis creates the new set from the first member drawn; drawing it here
  // and popping it on the first iteration keeps that choice.
  if (isIntset(o)) {
    const s = createIntsetObject();
    for (let i: u32 = 0; i < n; i++) popRandom(o, s);
    return s;
  }
  const e = dictRandomEntry(objPtr(o));
  const s = setTypeCreate(entryKey(e), entryKeyLen(e));
  setTypeAdd(s, entryKey(e), entryKeyLen(e));
  removeFromDict(objPtr(o), entryKey(e), entryKeyLen(e));
  for (let i: u32 = 1; i < n; i++) popRandom(o, s);
  return s;
}

// ── Commands that loop over argv ─────────────────────────────────────────────
// `argv` is the address of the first (ptr, len) pair of the members in the
// argv table (assembly/resp.ts).

/** SADD key member...: returns how many were new, or SET_WRONGTYPE. */
export function saddArgv(db: u32, kp: usize, kl: u32, argv: usize, n: u32): i32 {
  let o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o == 0) {
    o = setTypeCreate(argPtr(argv, 0), argLen(argv, 0));
    dbSetValue(db, kp, kl, o, false);
  } else if (objType(o) != OBJ_SET) {
    return SET_WRONGTYPE;
  }
  let added: i32 = 0;
  for (let i: u32 = 0; i < n; i++) if (setTypeAdd(o, argPtr(argv, i), argLen(argv, i))) added++;
  return added;
}

/**
 * SREM key member...: returns how many were removed, or SET_WRONGTYPE. Ret
 * slot 0 says whether the set became empty and was deleted; Redis stops
 * looking at the remaining members then.
 */
export function sremArgv(db: u32, kp: usize, kl: u32, argv: usize, n: u32): i32 {
  setRet(0, 0);
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o == 0) return 0;
  if (objType(o) != OBJ_SET) return SET_WRONGTYPE;
  let removed: i32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    if (!setTypeRemove(o, argPtr(argv, i), argLen(argv, i))) continue;
    removed++;
    if (setTypeSize(o) == 0) {
      dbDelete(db, kp, kl);
      setRet(0, 1);
      break;
    }
  }
  return removed;
}

// ── SSCAN ────────────────────────────────────────────────────────────────────

/**
 * One SSCAN step into the list; returns the next cursor, and the number of
 * members listed in ret slot 0. An intset is returned whole with cursor 0,
 * as Redis does for compact encodings. A dict is scanned until `count`
 * members were collected, the iteration ended, or count × 10 buckets were
 * visited (Redis's scanGenericCommand).
 */
export function sscan(o: usize, cursor: u32, count: u32): u32 {
  listReset();
  if (isIntset(o)) {
    listAllMembers(o);
    setRet(0, <i32>listCount);
    return 0;
  }
  const d = objPtr(o);
  let budget = <u64>count * 10;
  do {
    cursor = dictScan(d, cursor, true);
    const n = scanCount;
    const found = scanResults();
    for (let i: u32 = 0; i < n; i++) {
      const e = <usize>load<u32>(found + (<usize>i << 2));
      listPush(entryKey(e), entryKeyLen(e));
    }
  } while (cursor != 0 && budget-- > 0 && listCount < count);
  setRet(0, <i32>listCount);
  return cursor;
}
