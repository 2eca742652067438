// A hash table keyed by byte strings, with incremental rehashing: Redis's
// dict.c, in linear memory. The keyspace, the expires table, and the
// hashtable encodings of sets and hashes are all dicts.
//
//   Dict (DICT_SIZE bytes)
//   ┌────────┬────────┬────────┬────────┬────────┬────────┬───────────┐
//   │ table0 │ size0  │ used0  │ table1 │ size1  │ used1  │ rehashIdx │
//   └────────┴────────┴────────┴────────┴────────┴────────┴───────────┘
//   table = array of `size` bucket heads (u32 entry pointers), size a power of two
//
//   Entry (ENTRY_HEADER + key bytes, one block)
//   ┌──────┬──────┬─────────────┬──────┬───────────┐
//   │ next │ hash │ value (u64) │ klen │ key bytes │
//   └──────┴──────┴─────────────┴──────┴───────────┘
//
// The value is 64 bits so one layout serves every use: an object pointer
// (keyspace), an absolute expire time in ms (expires), a score (sets of
// doubles) or a string pointer (hash fields).
//
// While rehashing, every operation moves one bucket from table0 to table1 and
// new entries go to table1, so no single command pays for a whole resize.

import { hashBytes, bytesEqual, randomU32 } from "./hash";
import { zcalloc, zfree, zmalloc } from "./mem";

// @ts-ignore: decorator
@inline const T0: usize = 0;
// @ts-ignore: decorator
@inline const S0: usize = 4;
// @ts-ignore: decorator
@inline const U0: usize = 8;
// @ts-ignore: decorator
@inline const T1: usize = 12;
// @ts-ignore: decorator
@inline const S1: usize = 16;
// @ts-ignore: decorator
@inline const U1: usize = 20;
// @ts-ignore: decorator
@inline const REHASH: usize = 24;
// @ts-ignore: decorator
@inline const DICT_SIZE: usize = 28;

// @ts-ignore: decorator
@inline export const E_NEXT: usize = 0;
// @ts-ignore: decorator
@inline export const E_HASH: usize = 4;
// @ts-ignore: decorator
@inline export const E_VAL: usize = 8;
// @ts-ignore: decorator
@inline export const E_KLEN: usize = 16;
// @ts-ignore: decorator
@inline export const E_KEY: usize = 20;

/** Smallest table, as Redis's DICT_HT_INITIAL_SIZE. */
// @ts-ignore: decorator
@inline const INITIAL_SIZE: u32 = 4;
/** Shrink when fewer than 1 in MIN_FILL_INV buckets are used (Redis: 10%). */
// @ts-ignore: decorator
@inline const MIN_FILL_INV: u32 = 10;
/** A rehash step gives up after visiting this many empty buckets per bucket moved. */
// @ts-ignore: decorator
@inline const EMPTY_VISITS: i32 = 10;

/** Set by dictAddOrFind: whether the returned entry was just created. */
export let dictCreated = false;

export function dictCreate(): usize {
  const d = zcalloc(DICT_SIZE);
  store<i32>(d, -1, REHASH);
  return d;
}

// @ts-ignore: decorator
@inline export function dictSize(d: usize): u32 {
  return load<u32>(d, U0) + load<u32>(d, U1);
}

// @ts-ignore: decorator
@inline export function dictBuckets(d: usize): u32 {
  return load<u32>(d, S0) + load<u32>(d, S1);
}

// @ts-ignore: decorator
@inline export function dictIsRehashing(d: usize): bool {
  return load<i32>(d, REHASH) >= 0;
}

// @ts-ignore: decorator
@inline export function entryKey(e: usize): usize {
  return e + E_KEY;
}

// @ts-ignore: decorator
@inline export function entryKeyLen(e: usize): u32 {
  return load<u32>(e, E_KLEN);
}

// @ts-ignore: decorator
@inline export function entryVal(e: usize): u64 {
  return load<u64>(e, E_VAL);
}

// @ts-ignore: decorator
@inline export function setEntryVal(e: usize, v: u64): void {
  store<u64>(e, v, E_VAL);
}

function nextPow2(n: u32): u32 {
  if (n <= INITIAL_SIZE) return INITIAL_SIZE;
  return <u32>1 << (32 - clz<u32>(n - 1));
}

/** Starts a resize to a table of at least `want` buckets (Redis's _dictExpand). */
function dictResize(d: usize, want: u32): void {
  const size = nextPow2(want);
  const table = zcalloc(<usize>size << 2);
  if (load<u32>(d, S0) == 0) {
    store<u32>(d, table, T0);
    store<u32>(d, size, S0);
    return;
  }
  store<u32>(d, table, T1);
  store<u32>(d, size, S1);
  store<u32>(d, 0, U1);
  store<i32>(d, 0, REHASH);
}

/** Moves up to n buckets from table0 to table1. Returns true while work remains. */
export function dictRehash(d: usize, n: i32): bool {
  let idx = load<i32>(d, REHASH);
  if (idx < 0) return false;
  const t0 = <usize>load<u32>(d, T0);
  const t1 = <usize>load<u32>(d, T1);
  const size0 = load<u32>(d, S0);
  const mask1 = load<u32>(d, S1) - 1;
  let used0 = load<u32>(d, U0);
  let used1 = load<u32>(d, U1);
  let emptyVisits = n * EMPTY_VISITS;
  while (n-- > 0 && used0 != 0) {
    while (load<u32>(t0 + (<usize>idx << 2)) == 0) {
      idx++;
      if (--emptyVisits == 0) {
        // Save the counts of the buckets already moved: a stale used0 would
        // send the next step searching past the end of table0.
        store<u32>(d, used0, U0);
        store<u32>(d, used1, U1);
        store<i32>(d, idx, REHASH);
        return true;
      }
    }
    let e = <usize>load<u32>(t0 + (<usize>idx << 2));
    while (e != 0) {
      const next = <usize>load<u32>(e, E_NEXT);
      const slot = t1 + (<usize>(load<u32>(e, E_HASH) & mask1) << 2);
      store<u32>(e, load<u32>(slot), E_NEXT);
      store<u32>(slot, <u32>e);
      used0--;
      used1++;
      e = next;
    }
    store<u32>(t0 + (<usize>idx << 2), 0);
    idx++;
  }
  store<u32>(d, used0, U0);
  store<u32>(d, used1, U1);
  if (used0 == 0 || <u32>idx >= size0) {
    // table1 becomes table0.
    zfree(t0);
    store<u32>(d, <u32>t1, T0);
    store<u32>(d, load<u32>(d, S1), S0);
    store<u32>(d, used1, U0);
    store<u32>(d, 0, T1);
    store<u32>(d, 0, S1);
    store<u32>(d, 0, U1);
    store<i32>(d, -1, REHASH);
    return false;
  }
  store<i32>(d, idx, REHASH);
  return true;
}

// @ts-ignore: decorator
@inline function rehashStep(d: usize): void {
  if (load<i32>(d, REHASH) >= 0) dictRehash(d, 1);
}

function findInTable(table: usize, mask: u32, h: u32, kp: usize, kl: u32): usize {
  let e = <usize>load<u32>(table + (<usize>(h & mask) << 2));
  while (e != 0) {
    if (load<u32>(e, E_HASH) == h && load<u32>(e, E_KLEN) == kl && bytesEqual(e + E_KEY, kp, kl)) return e;
    e = <usize>load<u32>(e, E_NEXT);
  }
  return 0;
}

export function dictFind(d: usize, kp: usize, kl: u32): usize {
  if (dictSize(d) == 0) return 0;
  rehashStep(d);
  const h = hashBytes(kp, kl);
  const e = findInTable(<usize>load<u32>(d, T0), load<u32>(d, S0) - 1, h, kp, kl);
  if (e != 0 || !dictIsRehashing(d)) return e;
  return findInTable(<usize>load<u32>(d, T1), load<u32>(d, S1) - 1, h, kp, kl);
}

/** Finds the entry for a key or inserts one with value 0; sets dictCreated. */
export function dictAddOrFind(d: usize, kp: usize, kl: u32): usize {
  rehashStep(d);
  const h = hashBytes(kp, kl);
  if (load<u32>(d, S0) != 0) {
    let e = findInTable(<usize>load<u32>(d, T0), load<u32>(d, S0) - 1, h, kp, kl);
    if (e == 0 && dictIsRehashing(d)) e = findInTable(<usize>load<u32>(d, T1), load<u32>(d, S1) - 1, h, kp, kl);
    if (e != 0) {
      dictCreated = false;
      return e;
    }
  }
  expandIfNeeded(d);
  const e = zmalloc(E_KEY + <usize>kl);
  store<u32>(e, h, E_HASH);
  store<u64>(e, 0, E_VAL);
  store<u32>(e, kl, E_KLEN);
  memory.copy(e + E_KEY, kp, kl);
  const t = dictIsRehashing(d) ? T1 : T0;
  const s = dictIsRehashing(d) ? S1 : S0;
  const u = dictIsRehashing(d) ? U1 : U0;
  const slot = <usize>load<u32>(d + t) + (<usize>(h & (load<u32>(d + s) - 1)) << 2);
  store<u32>(e, load<u32>(slot), E_NEXT);
  store<u32>(slot, <u32>e);
  store<u32>(d + u, load<u32>(d + u) + 1);
  dictCreated = true;
  return e;
}

function expandIfNeeded(d: usize): void {
  if (dictIsRehashing(d)) return;
  const size = load<u32>(d, S0);
  if (size == 0) dictResize(d, INITIAL_SIZE);
  else if (load<u32>(d, U0) >= size) dictResize(d, load<u32>(d, U0) + 1);
}

function unlinkFromTable(d: usize, t: usize, s: usize, u: usize, h: u32, kp: usize, kl: u32): usize {
  const size = load<u32>(d + s);
  if (size == 0) return 0;
  let prevSlot = <usize>load<u32>(d + t) + (<usize>(h & (size - 1)) << 2);
  let e = <usize>load<u32>(prevSlot);
  while (e != 0) {
    if (load<u32>(e, E_HASH) == h && load<u32>(e, E_KLEN) == kl && bytesEqual(e + E_KEY, kp, kl)) {
      store<u32>(prevSlot, load<u32>(e, E_NEXT));
      store<u32>(d + u, load<u32>(d + u) - 1);
      return e;
    }
    prevSlot = e + E_NEXT;
    e = <usize>load<u32>(e, E_NEXT);
  }
  return 0;
}

/** Removes a key's entry from the table and returns it (the caller frees it), or 0. */
export function dictUnlink(d: usize, kp: usize, kl: u32): usize {
  if (dictSize(d) == 0) return 0;
  rehashStep(d);
  const h = hashBytes(kp, kl);
  const e = unlinkFromTable(d, T0, S0, U0, h, kp, kl);
  if (e != 0 || !dictIsRehashing(d)) return e;
  return unlinkFromTable(d, T1, S1, U1, h, kp, kl);
}

// @ts-ignore: decorator
@inline export function dictFreeEntry(e: usize): void {
  zfree(e);
}

/** Shrinks a table that fell below 10% fill (Redis's htNeedsResize + dictResize). */
export function dictShrinkIfNeeded(d: usize): void {
  if (dictIsRehashing(d)) return;
  const size = load<u32>(d, S0);
  const used = load<u32>(d, U0);
  if (size > INITIAL_SIZE && used * MIN_FILL_INV < size) dictResize(d, used);
}

/** Frees every entry (calling freeVal on each value) and the tables; keeps the dict. */
export function dictClear(d: usize, freeVal: (v: u64) => void): void {
  for (let t: usize = 0; t < 2; t++) {
    const table = <usize>load<u32>(d + (t == 0 ? T0 : T1));
    const size = load<u32>(d + (t == 0 ? S0 : S1));
    for (let i: u32 = 0; i < size; i++) {
      let e = <usize>load<u32>(table + (<usize>i << 2));
      while (e != 0) {
        const next = <usize>load<u32>(e, E_NEXT);
        freeVal(load<u64>(e, E_VAL));
        zfree(e);
        e = next;
      }
    }
    zfree(table);
  }
  memory.fill(d, 0, DICT_SIZE);
  store<i32>(d, -1, REHASH);
}

export function dictRelease(d: usize, freeVal: (v: u64) => void): void {
  dictClear(d, freeVal);
  zfree(d);
}

/** Where the last dictDrainEntry stopped: the bucket to resume from. */
export let dictDrainAt: u32 = 0;

/**
 * Unlinks and returns the first entry at or after bucket `from` of a dict
 * that is being taken apart a little at a time (lazy freeing), or 0 when
 * none is left. The buckets of table0 come first, then table1's, as one
 * run; dictDrainAt says where to resume. Nothing else may use the dict.
 */
export function dictDrainEntry(d: usize, from: u32): usize {
  const size0 = load<u32>(d, S0);
  const total = size0 + load<u32>(d, S1);
  for (let i = from; i < total; i++) {
    const first = i < size0;
    const slot = <usize>load<u32>(d + (first ? T0 : T1)) + (<usize>(first ? i : i - size0) << 2);
    const e = <usize>load<u32>(slot);
    if (e == 0) continue;
    store<u32>(slot, load<u32>(e, E_NEXT));
    const u = first ? U0 : U1;
    store<u32>(d + u, load<u32>(d + u) - 1);
    dictDrainAt = i;
    return e;
  }
  dictDrainAt = total;
  return 0;
}

/** A random entry, uniform over buckets then over the chain (Redis's dictGetRandomKey). */
export function dictRandomEntry(d: usize): usize {
  if (dictSize(d) == 0) return 0;
  rehashStep(d);
  let e: usize = 0;
  if (dictIsRehashing(d)) {
    // Buckets below rehashIdx in table0 are empty: skip them.
    const idx = <u32>load<i32>(d, REHASH);
    const size0 = load<u32>(d, S0);
    const span = size0 + load<u32>(d, S1) - idx;
    do {
      const r = idx + randomU32() % span;
      e = r >= size0
        ? <usize>load<u32>(<usize>load<u32>(d, T1) + (<usize>(r - size0) << 2))
        : <usize>load<u32>(<usize>load<u32>(d, T0) + (<usize>r << 2));
    } while (e == 0);
  } else {
    const mask = load<u32>(d, S0) - 1;
    const t0 = <usize>load<u32>(d, T0);
    do {
      e = <usize>load<u32>(t0 + (<usize>(randomU32() & mask) << 2));
    } while (e == 0);
  }
  let len: u32 = 0;
  for (let x = e; x != 0; x = <usize>load<u32>(x, E_NEXT)) len++;
  let pick = randomU32() % len;
  while (pick-- > 0) e = <usize>load<u32>(e, E_NEXT);
  return e;
}

// ── SCAN ─────────────────────────────────────────────────────────────────────
// Redis's reverse-binary cursor: incrementing the cursor's reversed bits visits
// buckets so that a resize between calls never skips an element that was
// present for the whole iteration (it may return some twice).

/** Entries visited by the last dictScan call, as a growable u32 array. */
let scanOut: usize = 0;
let scanCap: u32 = 0;
export let scanCount: u32 = 0;

export function dictScanReset(): void {
  scanCount = 0;
}

export function scanResults(): usize {
  return scanOut;
}

function scanPush(e: usize): void {
  if (scanCount == scanCap) {
    const cap = scanCap == 0 ? <u32>64 : scanCap << 1;
    const p = zmalloc(<usize>cap << 2);
    if (scanOut != 0) {
      memory.copy(p, scanOut, <usize>scanCount << 2);
      zfree(scanOut);
    }
    scanOut = p;
    scanCap = cap;
  }
  store<u32>(scanOut + (<usize>scanCount << 2), <u32>e);
  scanCount++;
}

function scanBucket(table: usize, idx: u32): void {
  let e = <usize>load<u32>(table + (<usize>idx << 2));
  while (e != 0) {
    scanPush(e);
    e = <usize>load<u32>(e, E_NEXT);
  }
}

// @ts-ignore: decorator
@inline function nextCursor(v: u32, mask: u32): u32 {
  v |= ~mask;
  v = bswap<u32>(v);
  v = ((v >> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v++;
  v = bswap<u32>(v);
  v = ((v >> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  return v;
}

/**
 * Collects the entries of the bucket(s) at `cursor` into scanResults() and
 * returns the next cursor (0 when the iteration is complete). `reset` says
 * whether to start a fresh result list or append to it.
 */
export function dictScan(d: usize, cursor: u32, reset: bool): u32 {
  if (reset) scanCount = 0;
  if (dictSize(d) == 0) return 0;
  let v = cursor;
  if (!dictIsRehashing(d)) {
    const mask = load<u32>(d, S0) - 1;
    scanBucket(<usize>load<u32>(d, T0), v & mask);
    return nextCursor(v, mask);
  }
  // Visit the small table's bucket, then every bucket of the large table
  // that expands it.
  let small = <usize>load<u32>(d, T0);
  let large = <usize>load<u32>(d, T1);
  let mask0 = load<u32>(d, S0) - 1;
  let mask1 = load<u32>(d, S1) - 1;
  if (mask0 > mask1) {
    const t = small;
    small = large;
    large = t;
    const m = mask0;
    mask0 = mask1;
    mask1 = m;
  }
  scanBucket(small, v & mask0);
  do {
    scanBucket(large, v & mask1);
    v = nextCursor(v, mask1);
  } while ((v & (mask0 ^ mask1)) != 0);
  return v;
}
