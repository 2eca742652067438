// The keyspace: numbered databases, each a main dict (key → object) and an
// expires dict (key → absolute ms), as in Redis's db.c and expire.c.
//
//   dbs: array of DB_SIZE records
//   ┌──────┬─────────┬───────────────┬───────┬────────────────┐
//   │ main │ expires │ expire cursor │ (pad) │ avg_ttl (f64)  │
//   └──────┴─────────┴───────────────┴───────┴────────────────┘
//
// Every command reaches keys through lookupKey, which does lazy expiry, the
// LRU/LFU stamp and the hit/miss counters: no command bypasses it.

import {
  dictCreate, dictFind, dictAddOrFind, dictUnlink, dictFreeEntry, dictSize,
  dictCreated, entryVal, setEntryVal, dictClear, dictRandomEntry, dictScan,
  scanCount, scanResults, entryKey, entryKeyLen, dictShrinkIfNeeded, dictRehash,
  dictIsRehashing, dictScanReset, E_VAL,
} from "./dict";
import { freeObject, freeObjectVal, setObjLru, lruClock, objLru } from "./object";
import { zmalloc, zfree } from "./mem";

// @ts-ignore: decorator
@inline const DB_MAIN: usize = 0;
// @ts-ignore: decorator
@inline const DB_EXPIRES: usize = 4;
// @ts-ignore: decorator
@inline const DB_CURSOR: usize = 8;
// @ts-ignore: decorator
@inline const DB_AVG_TTL: usize = 16;
// @ts-ignore: decorator
@inline const DB_SIZE: usize = 24;

export const LOOKUP_WRITE: u32 = 1;
export const LOOKUP_NOTOUCH: u32 = 2;
export const LOOKUP_NOSTATS: u32 = 4;
/** Report a logically expired key as missing without deleting it (replicas, Redis's LOOKUP_NOEXPIRE). */
export const LOOKUP_NOEXPIRE: u32 = 8;

/** Keys sampled per database per active-expire loop, as ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
// @ts-ignore: decorator
@inline const KEYS_PER_LOOP: u32 = 20;
/** Keep looping while more than this percentage of sampled keys were expired. */
// @ts-ignore: decorator
@inline const ACCEPTABLE_STALE: u32 = 10;

let dbs: usize = 0;
let dbCount: u32 = 0;

/** Cached time of the current command, in ms (Redis's server.mstime). */
export let nowMs: i64 = 0;
export let statHits: u64 = 0;
export let statMisses: u64 = 0;
export let statExpired: u64 = 0;
/** A replica does not expire keys itself; its master sends DELs (Redis's masterhost check). */
let replicaMode = false;

/** Takes a double so the host passes Date.now() without making a BigInt. */
export function setClock(ms: f64): void {
  nowMs = <i64>ms;
}

export function setReplicaMode(on: bool): void {
  replicaMode = on;
}

export function resetStats(): void {
  statHits = 0;
  statMisses = 0;
  statExpired = 0;
}

export function dbInit(n: u32): void {
  dbs = zmalloc(<usize>n * DB_SIZE);
  dbCount = n;
  for (let i: u32 = 0; i < n; i++) {
    const r = dbs + <usize>i * DB_SIZE;
    store<u32>(r, <u32>dictCreate(), DB_MAIN);
    store<u32>(r, <u32>dictCreate(), DB_EXPIRES);
    store<u32>(r, 0, DB_CURSOR);
    store<f64>(r, 0, DB_AVG_TTL);
  }
}

/** The database table's address, for a snapshot worker to find the keyspace in copied memory. */
export function dbTable(): usize {
  return dbs;
}

export function dbTableCount(): u32 {
  return dbCount;
}

/** Points this instance at a database table that is already in memory (a snapshot copy). */
export function dbRestoreTable(table: usize, n: u32): void {
  dbs = table;
  dbCount = n;
}

// @ts-ignore: decorator
@inline function rec(db: u32): usize {
  return dbs + <usize>db * DB_SIZE;
}

// @ts-ignore: decorator
@inline export function mainDict(db: u32): usize {
  return <usize>load<u32>(rec(db), DB_MAIN);
}

// @ts-ignore: decorator
@inline export function expiresDict(db: u32): usize {
  return <usize>load<u32>(rec(db), DB_EXPIRES);
}

export function dbSize(db: u32): u32 {
  return dictSize(mainDict(db));
}

export function dbExpiresSize(db: u32): u32 {
  return dictSize(expiresDict(db));
}

export function dbAvgTtl(db: u32): f64 {
  return load<f64>(rec(db), DB_AVG_TTL);
}

// ── Expired-key log ──────────────────────────────────────────────────────────
// Keys deleted by expiry must be propagated as DELs (AOF, replicas,
// notifications). When the host asks for it, their names are appended here as
// [u32 db][u32 length][bytes] records for it to drain.

let logOn = false;
let logBuf: usize = 0;
let logCap: u32 = 0;
export let logLen: u32 = 0;

export function setExpireLog(on: bool): void {
  logOn = on;
  logLen = 0;
}

export function expireLogPtr(): usize {
  return logBuf;
}

export function expireLogClear(): void {
  logLen = 0;
}

/** Evicted keys are propagated as DELs too, through the same log. */
export function logEvicted(db: u32, kp: usize, kl: u32): void {
  if (logOn) logExpired(db, kp, kl);
}

function logExpired(db: u32, kp: usize, kl: u32): void {
  const need = logLen + 8 + kl;
  if (need > logCap) {
    const cap = max(need, logCap * 2 + 256);
    const p = zmalloc(cap);
    if (logBuf != 0) {
      memory.copy(p, logBuf, logLen);
      zfree(logBuf);
    }
    logBuf = p;
    logCap = cap;
  }
  store<u32>(logBuf + logLen, db);
  store<u32>(logBuf + logLen + 4, kl);
  memory.copy(logBuf + logLen + 8, kp, kl);
  logLen = need;
}

// ── Lookup ───────────────────────────────────────────────────────────────────

/** Absolute expire time of a key in ms, or -1. */
export function getExpire(db: u32, kp: usize, kl: u32): i64 {
  const ex = expiresDict(db);
  if (dictSize(ex) == 0) return -1;
  const e = dictFind(ex, kp, kl);
  return e == 0 ? -1 : <i64>entryVal(e);
}

function keyIsExpired(db: u32, kp: usize, kl: u32): bool {
  const when = getExpire(db, kp, kl);
  return when >= 0 && nowMs > when;
}

/** Deletes the key if its time has passed; true when the key is (logically) gone. */
export function expireIfNeeded(db: u32, kp: usize, kl: u32, flags: u32): bool {
  if (!keyIsExpired(db, kp, kl)) return false;
  if (replicaMode || (flags & LOOKUP_NOEXPIRE) != 0) return true;
  statExpired++;
  if (logOn) logExpired(db, kp, kl);
  dbDelete(db, kp, kl);
  return true;
}

/** The one way commands find a key: lazy expiry, LRU stamp, hit/miss stats. */
export function lookupKey(db: u32, kp: usize, kl: u32, flags: u32): usize {
  const e = dictFind(mainDict(db), kp, kl);
  let o: usize = e == 0 ? 0 : <usize>entryVal(e);
  if (o != 0 && expireIfNeeded(db, kp, kl, flags)) o = 0;
  if ((flags & (LOOKUP_WRITE | LOOKUP_NOSTATS)) == 0) {
    if (o == 0) statMisses++;
    else statHits++;
  }
  if (o != 0 && (flags & LOOKUP_NOTOUCH) == 0) touchObject(o);
  return o;
}

// ── LRU / LFU ────────────────────────────────────────────────────────────────

let lfuMode = false;
let lfuLogFactor: u32 = 10;
let lfuDecayTime: u32 = 1;
/** Initial LFU counter of new keys (Redis's LFU_INIT_VAL). */
// @ts-ignore: decorator
@inline const LFU_INIT_VAL: u32 = 5;

export function setLfu(on: bool, logFactor: u32, decayTime: u32): void {
  lfuMode = on;
  lfuLogFactor = logFactor;
  lfuDecayTime = decayTime;
}

export function isLfuMode(): bool {
  return lfuMode;
}

/** Minutes since epoch, 16 bits, as Redis's LFUGetTimeInMinutes. */
// @ts-ignore: decorator
@inline function lfuMinutes(): u32 {
  return <u32>((nowMs / 60000) & 0xffff);
}

/** The stamp a new object gets: LRU seconds, or LFU minutes + initial counter. */
export function initialLru(): u32 {
  return lfuMode ? (lfuMinutes() << 8) | LFU_INIT_VAL : lruClock;
}

export function lfuDecrAndReturn(o: usize): u32 {
  const lru = objLru(o);
  const ldt = lru >> 8;
  const counter = lru & 255;
  const now = lfuMinutes();
  const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  const periods = lfuDecayTime != 0 ? elapsed / lfuDecayTime : 0;
  return periods != 0 ? (periods > counter ? 0 : counter - periods) : counter;
}

function lfuLogIncr(counter: u32): u32 {
  if (counter == 255) return 255;
  const r = <f64>randomFloat();
  const base = counter > LFU_INIT_VAL ? <f64>(counter - LFU_INIT_VAL) : 0;
  const p = 1.0 / (base * <f64>lfuLogFactor + 1);
  return r < p ? counter + 1 : counter;
}

function randomFloat(): f64 {
  return <f64>(randomBits() >> 11) / <f64>(<u64>1 << 53);
}

let rng: u64 = 0x2545f4914f6cdd1d;
function randomBits(): u64 {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

export function touchObject(o: usize): void {
  if (lfuMode) {
    const counter = lfuLogIncr(lfuDecrAndReturn(o));
    setObjLru(o, (lfuMinutes() << 8) | counter);
  } else {
    setObjLru(o, lruClock);
  }
}

// ── Mutation ─────────────────────────────────────────────────────────────────

/** Stores `o` under the key, freeing any previous value; drops the TTL unless keepTtl. */
export function dbSetValue(db: u32, kp: usize, kl: u32, o: usize, keepTtl: bool): void {
  if (lfuMode) setObjLru(o, initialLru());
  const e = dictAddOrFind(mainDict(db), kp, kl);
  if (!dictCreated) {
    const old = <usize>entryVal(e);
    setEntryVal(e, <u64>o);
    freeObject(old);
    if (!keepTtl) removeExpire(db, kp, kl);
  } else {
    setEntryVal(e, <u64>o);
  }
}

/** Replaces the object of an existing key in place (a string that moved when it grew). */
export function dbReplaceObject(db: u32, kp: usize, kl: u32, o: usize): void {
  const e = dictFind(mainDict(db), kp, kl);
  store<u64>(e, <u64>o, E_VAL);
}

export function dbDelete(db: u32, kp: usize, kl: u32): bool {
  const e = dictUnlink(mainDict(db), kp, kl);
  if (e == 0) return false;
  const ex = expiresDict(db);
  if (dictSize(ex) != 0) {
    const x = dictUnlink(ex, kp, kl);
    if (x != 0) dictFreeEntry(x);
  }
  freeObject(<usize>entryVal(e));
  dictFreeEntry(e);
  return true;
}

export function setExpire(db: u32, kp: usize, kl: u32, when: i64): void {
  const e = dictAddOrFind(expiresDict(db), kp, kl);
  setEntryVal(e, <u64>when);
}

export function removeExpire(db: u32, kp: usize, kl: u32): bool {
  const ex = expiresDict(db);
  if (dictSize(ex) == 0) return false;
  const x = dictUnlink(ex, kp, kl);
  if (x == 0) return false;
  dictFreeEntry(x);
  return true;
}

export function flushDb(db: u32): void {
  dictClear(mainDict(db), freeObjectVal);
  dictClear(expiresDict(db), noFree);
  store<u32>(rec(db), 0, DB_CURSOR);
  store<f64>(rec(db), 0, DB_AVG_TTL);
}

function noFree(v: u64): void {}

/** The expires dict dbDetachDicts took out with the main dict. */
export let detachedExpires: usize = 0;

/**
 * Gives the database fresh empty dicts and returns its old main dict (the
 * old expires dict is in detachedExpires): FLUSHDB ASYNC frees them later,
 * as Redis's emptyDbAsync hands them to a background thread.
 */
export function dbDetachDicts(db: u32): usize {
  const main = mainDict(db);
  detachedExpires = expiresDict(db);
  store<u32>(rec(db), <u32>dictCreate(), DB_MAIN);
  store<u32>(rec(db), <u32>dictCreate(), DB_EXPIRES);
  store<u32>(rec(db), 0, DB_CURSOR);
  store<f64>(rec(db), 0, DB_AVG_TTL);
  return main;
}

export function swapDb(a: u32, b: u32): void {
  const ra = rec(a);
  const rb = rec(b);
  for (let off: usize = 0; off < DB_SIZE; off += 8) {
    const t = load<u64>(ra + off);
    store<u64>(ra + off, load<u64>(rb + off));
    store<u64>(rb + off, t);
  }
}

/** A random live key's entry, or 0 (Redis's dbRandomKey: expired picks are deleted and retried). */
export function randomKeyEntry(db: u32): usize {
  const main = mainDict(db);
  const allVolatile = dictSize(expiresDict(db)) == dictSize(main);
  // A replica cannot delete expired keys, so bound the retries when all may be stale.
  let maxTries: u32 = 100;
  while (dictSize(main) != 0) {
    const e = dictRandomEntry(main);
    const kp = entryKey(e);
    const kl = entryKeyLen(e);
    if (getExpire(db, kp, kl) >= 0) {
      if (allVolatile && replicaMode && --maxTries == 0) return e;
      if (expireIfNeeded(db, kp, kl, 0)) continue;
    }
    return e;
  }
  return 0;
}

/** One SCAN step over the main dict; entries land in scanResults(). */
export function dbScan(db: u32, cursor: u32): u32 {
  return dictScan(mainDict(db), cursor, true);
}

export function scanResultCount(): u32 {
  return scanCount;
}

export function scanResultPtr(): usize {
  return scanResults();
}

// ── Active expiry ────────────────────────────────────────────────────────────

/**
 * Samples keys with a TTL across all databases and deletes the expired ones,
 * looping on a database while more than 10% of a sample was expired, up to
 * `budget` keys sampled in all (Redis's activeExpireCycle, with a key budget
 * standing in for its time limit). Returns the number of keys deleted.
 */
export function activeExpireCycle(budget: u32): u32 {
  if (replicaMode) return 0;
  let deleted: u32 = 0;
  for (let db: u32 = 0; db < dbCount && budget > 0; db++) {
    const ex = expiresDict(db);
    let ttlSum: f64 = 0;
    let ttlSamples: u32 = 0;
    while (dictSize(ex) != 0 && budget > 0) {
      let sampled: u32 = 0;
      let expired: u32 = 0;
      let cursor = load<u32>(rec(db), DB_CURSOR);
      dictScanReset();
      do {
        cursor = dictScan(ex, cursor, false);
      } while (cursor != 0 && scanCount < KEYS_PER_LOOP);
      store<u32>(rec(db), cursor, DB_CURSOR);
      const n = scanCount;
      // dictScan's buffer is reused by deletions below only through lookups
      // that do not scan, so the entries stay valid until we delete them.
      for (let i: u32 = 0; i < n; i++) {
        const e = <usize>load<u32>(scanResults() + (<usize>i << 2));
        const when = <i64>entryVal(e);
        sampled++;
        if (nowMs > when) {
          const kl = entryKeyLen(e);
          if (logOn) logExpired(db, entryKey(e), kl);
          // Copy the key out: deleting frees the expires entry that holds it.
          const tmp = zmalloc(<usize>kl);
          memory.copy(tmp, entryKey(e), kl);
          dbDelete(db, tmp, kl);
          zfree(tmp);
          statExpired++;
          expired++;
          deleted++;
        } else {
          ttlSum += <f64>(when - nowMs);
          ttlSamples++;
        }
      }
      budget = budget > sampled ? budget - sampled : 0;
      if (cursor == 0 || sampled == 0 || expired * 100 <= sampled * ACCEPTABLE_STALE) break;
    }
    if (ttlSamples > 0) {
      // Running average weighted like Redis's (2% new sample per cycle).
      const avg = ttlSum / <f64>ttlSamples;
      const old = load<f64>(rec(db), DB_AVG_TTL);
      store<f64>(rec(db), old == 0 ? avg : (old / 50) * 49 + avg / 50, DB_AVG_TTL);
    }
    if (dictSize(ex) == 0) store<f64>(rec(db), 0, DB_AVG_TTL);
  }
  return deleted;
}


/** Background upkeep from the server's cron: shrink sparse tables, rehash a little. */
export function databasesCron(rehashSteps: i32): void {
  for (let db: u32 = 0; db < dbCount; db++) {
    dictShrinkIfNeeded(mainDict(db));
    dictShrinkIfNeeded(expiresDict(db));
    if (dictIsRehashing(mainDict(db))) dictRehash(mainDict(db), rehashSteps);
    if (dictIsRehashing(expiresDict(db))) dictRehash(expiresDict(db), rehashSteps);
  }
}
