// The engine side of the generic keyspace commands (Redis's db.c): collecting
// keys for KEYS and SCAN, and moving objects between keys and databases for
// RENAME, MOVE and COPY.
//
//   results: a growable array of dict entry pointers, filled by keysCollect
//   or scanCollect and filtered in place by scanFilter
//   ┌─────────┬─────────┬─────┬─────────────┐
//   │ entry 0 │ entry 1 │ ... │ (spare cap) │   u32 each; resCount used
//   └─────────┴─────────┴─────┴─────────────┘
//
// The host reads each entry's key straight from memory (E_KEY, E_KLEN), so
// no key is copied. Entries stay valid until a key is deleted or the host
// calls back in; every deletion here removes only the entry it is looking at.

import {
  dictScan, scanCount, scanResults, dictAddOrFind, dictCreated, dictUnlink, dictFreeEntry,
  entryKey, entryKeyLen, entryVal, setEntryVal,
} from "./dict";
import {
  mainDict, lookupKey, getExpire, setExpire, removeExpire, dbDelete, expireIfNeeded,
  initialLru, nowMs, LOOKUP_WRITE, LOOKUP_NOTOUCH, LOOKUP_NOEXPIRE,
} from "./db";
import { objType, dupObject, setObjLru, freeObject } from "./object";
import { bytesEqual } from "./hash";
import { zmalloc, zfree } from "./mem";

/** scanFilter's `want`: no TYPE option. */
export const SCAN_ANY_TYPE: i32 = -1;
/** scanFilter's `want`: TYPE none, the name Redis gives a missing key. */
export const SCAN_TYPE_NONE: i32 = -2;
/** scanFilter's `want`: a type name no object has; keys are still looked up. */
export const SCAN_NO_TYPE: i32 = -3;

/** A results buffer above this many entries is freed after use (a KEYS on a big keyspace). */
// @ts-ignore: decorator
@inline const KEEP_CAP: u32 = 1024;

let resBuf: usize = 0;
let resCap: u32 = 0;
let resCount: u32 = 0;

export function keyspaceResultPtr(): usize {
  return resBuf;
}

export function keyspaceResultCount(): u32 {
  return resCount;
}

/** Gives back the memory of a large result list; the next collection reallocates. */
export function keyspaceResultsRelease(): void {
  resCount = 0;
  if (resCap <= KEEP_CAP) return;
  zfree(resBuf);
  resBuf = 0;
  resCap = 0;
}

function resPush(e: usize): void {
  if (resCount == resCap) {
    const cap = resCap == 0 ? <u32>64 : resCap << 1;
    const p = zmalloc(<usize>cap << 2);
    if (resBuf != 0) {
      memory.copy(p, resBuf, <usize>resCount << 2);
      zfree(resBuf);
    }
    resBuf = p;
    resCap = cap;
  }
  store<u32>(resBuf + (<usize>resCount << 2), <u32>e);
  resCount++;
}

// @ts-ignore: decorator
@inline function resAt(i: u32): usize {
  return <usize>load<u32>(resBuf + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function resSet(i: u32, e: usize): void {
  store<u32>(resBuf + (<usize>i << 2), <u32>e);
}

/** Redis's keyIsExpired: has a TTL that has passed (nothing is deleted). */
function entryIsExpired(db: u32, e: usize): bool {
  const when = getExpire(db, entryKey(e), entryKeyLen(e));
  return when >= 0 && nowMs > when;
}

/** Appends the entries of the dict bucket(s) at `cursor`; returns the next cursor. */
function scanStep(d: usize, cursor: u32): u32 {
  const next = dictScan(d, cursor, true);
  const n = scanCount;
  const out = scanResults();
  for (let i: u32 = 0; i < n; i++) resPush(<usize>load<u32>(out + (<usize>i << 2)));
  return next;
}

// ── KEYS and SCAN ────────────────────────────────────────────────────────────

/**
 * KEYS: every key of the database that is not logically expired, into the
 * results (Redis's keysCommand skips them with keyIsExpired, deleting
 * nothing). The main dict is not modified meanwhile, so a full cursor walk
 * visits each entry exactly once. Returns the count.
 */
export function keysCollect(db: u32): u32 {
  resCount = 0;
  const d = mainDict(db);
  let cursor: u32 = 0;
  do {
    cursor = scanStep(d, cursor);
  } while (cursor != 0);
  let live: u32 = 0;
  for (let i: u32 = 0; i < resCount; i++) {
    const e = resAt(i);
    if (!entryIsExpired(db, e)) resSet(live++, e);
  }
  resCount = live;
  return live;
}

/**
 * One SCAN call's walk (Redis's scanGenericCommand step 2): visits buckets
 * from `cursor` until `count` entries were collected, the iteration ended,
 * or `maxIter` more buckets were visited (Redis bounds a sparse table's walk
 * at ten times COUNT). Returns the next cursor; the entries are in the
 * results, unfiltered.
 */
export function scanCollect(db: u32, cursor: u32, count: u32, maxIter: u32): u32 {
  resCount = 0;
  const d = mainDict(db);
  let iter = maxIter;
  do {
    cursor = scanStep(d, cursor);
  } while (cursor != 0 && iter-- != 0 && resCount < count);
  return cursor;
}

/**
 * SCAN's filtering after the host cleared the slots whose key failed MATCH
 * (Redis's step 3): the TYPE check looks each key up without touching it
 * (counting a hit or a miss, deleting it if expired), then expired keys are
 * dropped. Compacts the results and returns how many remain.
 *
 * TYPE none keeps Redis's quirk: an expired key's lookup reports "none", so
 * the key is returned, then deleted by scanDeleteExpired once the host has
 * replied (here it must stay until then). A replica deletes nothing and
 * Redis's final expiry check drops it there.
 */
export function scanFilter(db: u32, want: i32, replica: bool): u32 {
  let live: u32 = 0;
  for (let i: u32 = 0; i < resCount; i++) {
    const e = resAt(i);
    if (e == 0 || !scanKeep(db, e, want, replica)) continue;
    resSet(live++, e);
  }
  resCount = live;
  return live;
}

function scanKeep(db: u32, e: usize, want: i32, replica: bool): bool {
  const kp = entryKey(e);
  const kl = entryKeyLen(e);
  if (want == SCAN_ANY_TYPE) return !expireIfNeeded(db, kp, kl, 0);
  if (want == SCAN_TYPE_NONE) {
    const o = lookupKey(db, kp, kl, LOOKUP_NOTOUCH | LOOKUP_NOEXPIRE);
    return o == 0 && !replica;
  }
  // A key that expires here is deleted by the lookup: its entry is gone.
  const o = lookupKey(db, kp, kl, LOOKUP_NOTOUCH);
  return o != 0 && <i32>objType(o) == want;
}

/** Deletes the expired keys SCAN ... TYPE none returned (see scanFilter). */
export function scanDeleteExpired(db: u32): void {
  for (let i: u32 = 0; i < resCount; i++) {
    const e = resAt(i);
    // The key bytes live in the entry being freed; dbDelete frees it last.
    expireIfNeeded(db, entryKey(e), entryKeyLen(e), 0);
  }
  resCount = 0;
}

// ── Moving objects ───────────────────────────────────────────────────────────

/**
 * Adds a key the lookups reported absent, holding `o` (Redis's dbAdd). On a
 * replica a logically expired key is reported absent but kept: it is
 * replaced whole, value and TTL.
 */
function dbAdd(db: u32, kp: usize, kl: u32, o: usize): void {
  const e = dictAddOrFind(mainDict(db), kp, kl);
  if (!dictCreated) {
    freeObject(<usize>entryVal(e));
    removeExpire(db, kp, kl);
  }
  setEntryVal(e, <u64>o);
}

/** Removes a key but not its object, which the caller re-homes. */
function dbDetach(db: u32, kp: usize, kl: u32): usize {
  const e = dictUnlink(mainDict(db), kp, kl);
  const o = <usize>entryVal(e);
  removeExpire(db, kp, kl);
  dictFreeEntry(e);
  return o;
}

/** renameKey results. */
export const RENAME_NO_KEY: i32 = -1;
export const RENAME_NOT_DONE: i32 = 0;
export const RENAME_DONE: i32 = 1;
export const RENAME_SAME_KEY: i32 = 2;

/**
 * RENAME / RENAMENX: moves the source's object and TTL to the destination,
 * replacing it unless `nx` (Redis's renameGenericCommand). The object itself
 * moves, so its encoding and LRU/LFU stamp go with it.
 */
export function renameKey(db: u32, sp: usize, sl: u32, dp: usize, dl: u32, nx: bool): i32 {
  const o = lookupKey(db, sp, sl, LOOKUP_WRITE);
  if (o == 0) return RENAME_NO_KEY;
  if (sl == dl && bytesEqual(sp, dp, sl)) return RENAME_SAME_KEY;
  const when = getExpire(db, sp, sl);
  if (lookupKey(db, dp, dl, LOOKUP_WRITE) != 0) {
    if (nx) return RENAME_NOT_DONE;
    dbDelete(db, dp, dl);
  }
  dbDetach(db, sp, sl);
  dbAdd(db, dp, dl, o);
  if (when >= 0) setExpire(db, dp, dl, when);
  return RENAME_DONE;
}

/**
 * MOVE: the key's object and TTL go to database `dst` unless the key is
 * missing or already there (Redis's moveCommand). Returns 1 when moved.
 */
export function moveKey(src: u32, dst: u32, kp: usize, kl: u32): i32 {
  const o = lookupKey(src, kp, kl, LOOKUP_WRITE);
  if (o == 0) return 0;
  const when = getExpire(src, kp, kl);
  if (lookupKey(dst, kp, kl, LOOKUP_WRITE) != 0) return 0;
  dbDetach(src, kp, kl);
  dbAdd(dst, kp, kl, o);
  if (when >= 0) setExpire(dst, kp, kl, when);
  return 1;
}

/** copyKey result for a value whose type dupObject cannot copy yet. */
export const COPY_UNKNOWN_TYPE: i32 = -1;

/**
 * COPY: a duplicate of the source's value, with its TTL, under the
 * destination key of database `dst`; replaces an existing destination only
 * with `replace` (Redis's copyCommand). Returns 1 when copied, 0 when not.
 */
export function copyKey(src: u32, dst: u32, sp: usize, sl: u32, dp: usize, dl: u32, replace: bool): i32 {
  const o = lookupKey(src, sp, sl, 0);
  if (o == 0) return 0;
  const when = getExpire(src, sp, sl);
  const exists = lookupKey(dst, dp, dl, LOOKUP_WRITE) != 0;
  if (exists && !replace) return 0;
  const n = dupObject(o);
  if (n == 0) return COPY_UNKNOWN_TYPE;
  // A new object gets a fresh LRU/LFU stamp, as createObject gives it.
  setObjLru(n, initialLru());
  if (exists) dbDelete(dst, dp, dl);
  dbAdd(dst, dp, dl, n);
  if (when >= 0) setExpire(dst, dp, dl, when);
  return 1;
}
