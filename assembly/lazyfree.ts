// Lazy freeing (Redis's lazyfree.c): UNLINK, FLUSHDB/FLUSHALL ASYNC and the
// lazyfree-lazy-* options take big values and whole databases out of the
// keyspace at once but free their memory later. Redis hands them to a
// background thread; here they wait on a queue and the host frees them a
// bounded amount of work at a time (lazyfreeStep) between event-loop turns
// and from its cron, so no client waits behind a million frees.
//
//   job queue: JOB_SIZE-byte records, served in order from `head`
//   ┌──────┬─────┬─────────┬────────┬───────┬─────────┬─────┬────────────┬───────────┐
//   │ kind │ ptr │ expires │ cursor │ phase │ objects │ sub │ sub cursor │ sub phase │
//   └──────┴─────┴─────────┴────────┴───────┴─────────┴─────┴────────────┴───────────┘
//     +0     +4    +8        +12      +16     +20       +24   +28          +32
//   JOB_OBJECT: ptr is a value object; (cursor, phase) say how far freeing
//               it got: the next quicklist node, the next bucket of a set or
//               hash table, or for a sorted set the next skiplist node
//               (phase 0) then the next bucket of its dict (phase 1).
//   JOB_DB:     ptr/expires are the dicts a flushed database had; cursor is
//               the next bucket; sub is a big value met on the way, freed
//               step by step (its own cursor and phase) before the walk
//               goes on.
//   objects:    what the job counts in lazyfree_pending_objects (1 for a
//               value, the number of keys for a database), moved to
//               lazyfreed_objects when the job is done.
//
// A work unit is one block freed or one empty bucket visited.

import { zfree, zmalloc } from "./mem";
import {
  objType, objEncoding, objPtr, freeObject, OBJ_LIST, OBJ_SET, OBJ_ZSET, OBJ_HASH, ENC_HT, ENC_QUICKLIST,
  ENC_SKIPLIST,
} from "./object";
import { dictSize, dictDrainEntry, dictDrainAt, dictRelease, dictFreeEntry, dictUnlink, entryVal } from "./dict";
import { mainDict, expiresDict, dbDetachDicts, detachedExpires } from "./db";
import { qlHead, qlLen, nodeNext, nodeEntry } from "./quicklist";
import { zslFirst, zslHeader, zslLength, nodeForward } from "./zskiplist";
import { zsetZsl, zsetDict } from "./t_zset";

/** Values whose freeing takes more allocations than this are freed lazily (Redis's LAZYFREE_THRESHOLD). */
// @ts-ignore: decorator
@inline const LAZYFREE_THRESHOLD: u32 = 64;

// @ts-ignore: decorator
@inline const JOB_OBJECT: u32 = 0;
// @ts-ignore: decorator
@inline const JOB_DB: u32 = 1;

// @ts-ignore: decorator
@inline const J_KIND: usize = 0;
// @ts-ignore: decorator
@inline const J_PTR: usize = 4;
// @ts-ignore: decorator
@inline const J_EXPIRES: usize = 8;
// @ts-ignore: decorator
@inline const J_CURSOR: usize = 12;
// @ts-ignore: decorator
@inline const J_OBJECTS: usize = 20;
// @ts-ignore: decorator
@inline const J_SUB: usize = 24;
// @ts-ignore: decorator
@inline const J_SUB_CURSOR: usize = 28;
// @ts-ignore: decorator
@inline const JOB_SIZE: usize = 36;
/** The phase word follows the cursor word of an object's freeing state. */
// @ts-ignore: decorator
@inline const PHASE: usize = 4;
// @ts-ignore: decorator
@inline const MIN_JOBS: u32 = 16;

let jobs: usize = 0;
let jobsCap: u32 = 0;
let head: u32 = 0;
let tail: u32 = 0;
/** Work left in the current lazyfreeStep. */
let work: i64 = 0;

/** INFO's lazyfree_pending_objects and lazyfreed_objects. */
let pendingObjects: u64 = 0;
let freedObjects: u64 = 0;

export function lazyfreePendingObjects(): f64 {
  return <f64>pendingObjects;
}

export function lazyfreedObjects(): f64 {
  return <f64>freedObjects;
}

/** CONFIG RESETSTAT (Redis's lazyfreeResetStats): the pending count is a state, not a statistic. */
export function lazyfreeResetStats(): void {
  freedObjects = 0;
}

/** Whether jobs are waiting (the host keeps stepping while true). */
export function lazyfreePending(): bool {
  return head != tail;
}

// ── Queue ────────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function job(i: u32): usize {
  return jobs + <usize>i * JOB_SIZE;
}

function pushJob(kind: u32, ptr: usize, expires: usize, objects: u64): usize {
  if (tail == jobsCap) {
    // Move the live jobs to the front, growing when more than half are live.
    const live = tail - head;
    const cap = live * 2 >= jobsCap ? max(jobsCap * 2, MIN_JOBS) : jobsCap;
    const p = zmalloc(<usize>cap * JOB_SIZE);
    if (jobs != 0) {
      memory.copy(p, job(head), <usize>live * JOB_SIZE);
      zfree(jobs);
    }
    jobs = p;
    jobsCap = cap;
    head = 0;
    tail = live;
  }
  const j = job(tail++);
  store<u32>(j, kind, J_KIND);
  store<u32>(j, <u32>ptr, J_PTR);
  store<u32>(j, <u32>expires, J_EXPIRES);
  memory.fill(j + J_CURSOR, 0, JOB_SIZE - J_CURSOR);
  store<u32>(j, <u32>objects, J_OBJECTS);
  pendingObjects += objects;
  return j;
}

function finishJob(j: usize): void {
  const n = <u64>load<u32>(j, J_OBJECTS);
  pendingObjects -= n;
  freedObjects += n;
  head++;
  if (head == tail) {
    head = 0;
    tail = 0;
  }
}

// ── Objects ──────────────────────────────────────────────────────────────────

/**
 * Redis's lazyfreeGetFreeEffort: quicklist nodes for a list, entries for a
 * set or hash table, skiplist length for a sorted set, 1 for every
 * single-allocation encoding.
 */
function freeEffort(o: usize): u32 {
  const t = objType(o);
  const enc = objEncoding(o);
  if (t == OBJ_LIST && enc == ENC_QUICKLIST) return qlLen(objPtr(o));
  if ((t == OBJ_SET || t == OBJ_HASH) && enc == ENC_HT) return dictSize(objPtr(o));
  if (t == OBJ_ZSET && enc == ENC_SKIPLIST) return zslLength(zsetZsl(o));
  return 1;
}

/** Where freeing a value starts: its quicklist's or skiplist's first node, or bucket 0. */
function startCursor(o: usize): u32 {
  const t = objType(o);
  if (t == OBJ_LIST) return <u32>qlHead(objPtr(o));
  if (t == OBJ_ZSET) return <u32>zslFirst(zsetZsl(o));
  return 0;
}

/** Frees list nodes from the one at `cur`; true once the whole list is gone. */
function listStep(o: usize, cur: usize): bool {
  let n = <usize>load<u32>(cur);
  while (n != 0 && work > 0) {
    const next = nodeNext(n);
    zfree(nodeEntry(n));
    zfree(n);
    n = next;
    work -= 2;
  }
  store<u32>(cur, <u32>n);
  if (n != 0) return false;
  zfree(objPtr(o));
  zfree(o);
  return true;
}

/**
 * Drains a dict from the bucket at `cur`, freeing each entry (and a hash
 * value block when `values`); true once it is empty and released.
 */
function drainTable(d: usize, cur: usize, values: bool): bool {
  let at = load<u32>(cur);
  while (work > 0) {
    const e = dictDrainEntry(d, at);
    work -= <i64>(dictDrainAt - at) + 1;
    at = dictDrainAt;
    if (e == 0) {
      dictRelease(d, noFree);
      return true;
    }
    if (values) zfree(<usize>entryVal(e));
    dictFreeEntry(e);
  }
  store<u32>(cur, at);
  return false;
}

/** Frees set or hash table entries from the bucket at `cur`; true once all is gone. */
function tableStep(o: usize, cur: usize): bool {
  if (!drainTable(objPtr(o), cur, objType(o) == OBJ_HASH)) return false;
  zfree(o);
  return true;
}

/**
 * A sorted set: the skiplist nodes first (phase 0, from the node at `cur`),
 * then the dict whose entries hold the members (phase 1, from a bucket).
 */
function zsetStep(o: usize, cur: usize): bool {
  const zsl = zsetZsl(o);
  if (load<u32>(cur, PHASE) == 0) {
    let x = <usize>load<u32>(cur);
    while (x != 0 && work > 0) {
      const next = nodeForward(x, 0);
      zfree(x);
      x = next;
      work--;
    }
    store<u32>(cur, <u32>x);
    if (x != 0) return false;
    zfree(zslHeader(zsl));
    zfree(zsl);
    store<u32>(cur, 1, PHASE);
  }
  if (!drainTable(zsetDict(o), cur, false)) return false;
  zfree(objPtr(o));
  zfree(o);
  return true;
}

function noFree(v: u64): void {}

/** One bounded step of freeing a value; true once it is completely gone. */
function objectStep(o: usize, cur: usize): bool {
  const t = objType(o);
  const enc = objEncoding(o);
  if (t == OBJ_LIST && enc == ENC_QUICKLIST) return listStep(o, cur);
  if ((t == OBJ_SET || t == OBJ_HASH) && enc == ENC_HT) return tableStep(o, cur);
  if (t == OBJ_ZSET && enc == ENC_SKIPLIST) return zsetStep(o, cur);
  // No incremental way known for this encoding: free it whole.
  freeObject(o);
  work--;
  return true;
}

/** Redis's freeObjAsync: a big value goes on the queue, anything else is freed now. */
export function freeObjAsync(o: usize): void {
  if (freeEffort(o) <= LAZYFREE_THRESHOLD) {
    freeObject(o);
    return;
  }
  const j = pushJob(JOB_OBJECT, o, 0, 1);
  store<u32>(j, startCursor(o), J_CURSOR);
}

// ── Keys and databases ───────────────────────────────────────────────────────

/**
 * Redis's dbAsyncDelete: the key leaves the keyspace (and the expires
 * table) now, its value is freed lazily when big. Returns whether the key
 * existed.
 */
export function dbAsyncDelete(db: u32, kp: usize, kl: u32): bool {
  const e = dictUnlink(mainDict(db), kp, kl);
  if (e == 0) return false;
  const ex = expiresDict(db);
  if (dictSize(ex) != 0) {
    const x = dictUnlink(ex, kp, kl);
    if (x != 0) dictFreeEntry(x);
  }
  const o = <usize>entryVal(e);
  dictFreeEntry(e);
  freeObjAsync(o);
  return true;
}

/** Redis's emptyDbAsync: the database is empty at once, its old dicts are freed lazily. */
export function emptyDbAsync(db: u32): void {
  const keys = <u64>dictSize(mainDict(db));
  const main = dbDetachDicts(db);
  pushJob(JOB_DB, main, detachedExpires, keys);
}

/**
 * One step of a flushed database: keys and their values, big values step
 * by step (as `sub`), then the expires entries. True once all is gone.
 */
function dbStep(j: usize): bool {
  while (work > 0) {
    const sub = <usize>load<u32>(j, J_SUB);
    if (sub != 0) {
      if (!objectStep(sub, j + J_SUB_CURSOR)) return false;
      store<u32>(j, 0, J_SUB);
      continue;
    }
    const main = <usize>load<u32>(j, J_PTR);
    const d = main != 0 ? main : <usize>load<u32>(j, J_EXPIRES);
    const at = load<u32>(j, J_CURSOR);
    const e = dictDrainEntry(d, at);
    work -= <i64>(dictDrainAt - at) + 1;
    store<u32>(j, dictDrainAt, J_CURSOR);
    if (e == 0) {
      dictRelease(d, noFree);
      store<u32>(j, 0, J_CURSOR);
      if (main == 0) return true;
      store<u32>(j, 0, J_PTR);
      continue;
    }
    if (main != 0) takeValue(j, <usize>entryVal(e));
    dictFreeEntry(e);
  }
  return false;
}

/** A flushed key's value: small ones are freed at once, a big one becomes the job's `sub`. */
function takeValue(j: usize, o: usize): void {
  if (freeEffort(o) <= LAZYFREE_THRESHOLD) {
    freeObject(o);
    return;
  }
  store<u32>(j, <u32>o, J_SUB);
  store<u32>(j, startCursor(o), J_SUB_CURSOR);
  store<u32>(j, 0, J_SUB_CURSOR + PHASE);
}

/**
 * Does up to `budget` units of freeing, oldest job first. Returns whether
 * jobs remain.
 */
export function lazyfreeStep(budget: u32): bool {
  work = <i64>budget;
  while (head != tail && work > 0) {
    const j = job(head);
    const done = load<u32>(j, J_KIND) == JOB_DB
      ? dbStep(j)
      : objectStep(<usize>load<u32>(j, J_PTR), j + J_CURSOR);
    if (done) finishJob(j);
  }
  return head != tail;
}
