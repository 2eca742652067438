// Eviction under maxmemory (Redis's evict.c, approximated the same way):
// sample a few keys per database, evict the best candidate for the policy,
// repeat until memory is below the limit or nothing can go.
//
// Redis keeps a pool of the best candidates between calls; here each call
// samples afresh, which gives the same approximation of LRU/LFU/TTL order
// with `maxmemory-samples` keys per database.

import { dbTableCount, mainDict, expiresDict, dbDelete, logEvicted, lfuDecrAndReturn, getExpire } from "./db";
import { dictSize, dictRandomEntry, entryKey, entryKeyLen, entryVal, dictFind } from "./dict";
import { objLru, lruClock } from "./object";
import { zfree, zmalloc } from "./mem";

export const POLICY_VOLATILE_LRU: u32 = 0;
export const POLICY_VOLATILE_LFU: u32 = 1;
export const POLICY_VOLATILE_RANDOM: u32 = 2;
export const POLICY_VOLATILE_TTL: u32 = 3;
export const POLICY_ALLKEYS_LRU: u32 = 4;
export const POLICY_ALLKEYS_LFU: u32 = 5;
export const POLICY_ALLKEYS_RANDOM: u32 = 6;

/** LRU clock wrap-around, as Redis's estimateObjectIdleTime. */
// @ts-ignore: decorator
@inline const LRU_CLOCK_MAX: u32 = 0xffffff;

export let statEvicted: u64 = 0;

function idleScore(o: usize): u64 {
  const lru = objLru(o);
  return <u64>(lruClock >= lru ? lruClock - lru : LRU_CLOCK_MAX - lru + lruClock);
}

/** Higher is a better eviction candidate. */
function score(policy: u32, db: u32, e: usize, o: usize): u64 {
  if (policy == POLICY_VOLATILE_LRU || policy == POLICY_ALLKEYS_LRU) return idleScore(o);
  if (policy == POLICY_VOLATILE_LFU || policy == POLICY_ALLKEYS_LFU) return <u64>(255 - lfuDecrAndReturn(o));
  if (policy == POLICY_VOLATILE_TTL) {
    // The sooner it expires, the better.
    const when = getExpire(db, entryKey(e), entryKeyLen(e));
    return when < 0 ? 0 : u64.MAX_VALUE - <u64>when;
  }
  return 1;
}

/**
 * Evicts one key chosen by the policy from `samples` keys sampled per
 * database; returns false when no database has a candidate (volatile
 * policies with no TTL keys).
 */
export function evictOne(policy: u32, samples: u32): bool {
  const volatile = policy <= POLICY_VOLATILE_TTL;
  let bestDb: u32 = 0;
  let bestKey: usize = 0;
  let bestLen: u32 = 0;
  let bestScore: u64 = 0;
  let found = false;
  const n = dbTableCount();
  for (let db: u32 = 0; db < n; db++) {
    const sampleDict = volatile ? expiresDict(db) : mainDict(db);
    if (dictSize(sampleDict) == 0) continue;
    for (let i: u32 = 0; i < samples; i++) {
      const e = dictRandomEntry(sampleDict);
      // Volatile policies sample the expires dict; the value lives in the main one.
      const me = volatile ? dictFind(mainDict(db), entryKey(e), entryKeyLen(e)) : e;
      if (me == 0) continue;
      const s = score(policy, db, me, <usize>entryVal(me));
      if (!found || s > bestScore) {
        found = true;
        bestScore = s;
        bestDb = db;
        bestKey = entryKey(me);
        bestLen = entryKeyLen(me);
      }
      if (policy == POLICY_ALLKEYS_RANDOM || policy == POLICY_VOLATILE_RANDOM) break;
    }
  }
  if (!found) return false;
  // The key lives in the entry dbDelete frees: copy it for the log and the delete.
  const key = zmalloc(<usize>bestLen);
  memory.copy(key, bestKey, bestLen);
  logEvicted(bestDb, key, bestLen);
  dbDelete(bestDb, key, bestLen);
  zfree(key);
  statEvicted++;
  return true;
}

export function evictedKeys(): u64 {
  return statEvicted;
}
