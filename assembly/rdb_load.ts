// The RDB loader: Redis's rdbLoadRio over bytes the host streams in (RDB
// files of versions 1 to 11), and RESTORE's payload checks. Every read is
// bounds-checked, so truncated or corrupt input ends in an error code the
// host turns into Redis's log lines, never in a trap.
//
//   input buffer (heap block the host fills through rdbLoadRoom/rdbLoadFill)
//   ┌──────────────┬───────────────────────────────┬─────────────┐
//   │ consumed     │ inStart ..... inEnd  (unread) │ free        │
//   └──────────────┴───────────────────────────────┴─────────────┘
//   A record (an opcode with its operands, or a whole key and value) is
//   parsed from inStart. When it runs past inEnd the step returns
//   LOAD_NEED_MORE, the host appends bytes, and the record is parsed again
//   from its start: nothing reaches the keyspace before a record is whole.
//
//   info record (rdbLoadInfoPtr): u64 slots the host reads after each step
//   ┌─────────┬────────┬────────┬─────────┬───────┬────────┬──────────┬─────┬────┬──────┬──────┬──────┬──────┬──────┬────────┐
//   │ version │ offset │ loaded │ expired │ empty │ reason │ expected │ got │ db │ nock │ ptrA │ lenA │ ptrB │ lenB │ detail │
//   └─────────┴────────┴────────┴─────────┴───────┴────────┴──────────┴─────┴────┴──────┴──────┴──────┴──────┴──────┴────────┘
//   offset: bytes consumed; reason: an RDB_BAD_* code or the unsupported
//   type; detail: the bad length, encoding or type; expected/got: the CRCs;
//   ptrA/lenA, ptrB/lenB: the strings of an AUX field, the key of a skipped
//   empty key or a duplicate, a function's code.
//
// Values are read by rdb_object.ts (a type it has no case for yet is refused
// with LOAD_ERR_TYPE), strings and lengths by rdb_read.ts.

import {
  RDB_VERSION, RDB_OPCODE_FUNCTION2, RDB_OPCODE_FUNCTION, RDB_OPCODE_MODULE_AUX, RDB_OPCODE_IDLE,
  RDB_OPCODE_FREQ, RDB_OPCODE_AUX, RDB_OPCODE_RESIZEDB, RDB_OPCODE_EXPIRETIME_MS, RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_SELECTDB, RDB_OPCODE_EOF, LRU_CLOCK_MAX,
} from "./rdb_format";
import {
  readerReset, readFailed, readShort, readBad, readOom, readDetail, corrupt, avail, skip, readByte, loadLen,
  loadString, slotsRelease, rp, strPtr, strLen, emptyKey, SLOT_KEY, SLOT_VAL, RDB_BAD_TYPE,
} from "./rdb_read";
import { rdbLoadObject, rdbCanLoadType, rdbIsObjectType } from "./rdb_object";
import { dictAddOrFind, dictCreated, setEntryVal } from "./dict";
import { mainDict, setExpire, dbDelete, dbTableCount, isLfuMode, initialLru, nowMs } from "./db";
import { freeObject, setObjLru, lruClock } from "./object";
import { crc64 } from "./crc64";

/** Step results: events (>= 0) and errors (< 0). */
export const LOAD_DONE: i32 = 0;
export const LOAD_NEED_MORE: i32 = 1;
export const LOAD_AUX: i32 = 2;
export const LOAD_EMPTY_KEY: i32 = 3;
export const LOAD_PROGRESS: i32 = 4;
export const LOAD_FUNCTION: i32 = 5;
export const LOAD_ERR_SIGNATURE: i32 = -1;
export const LOAD_ERR_VERSION: i32 = -2;
export const LOAD_ERR_CORRUPT: i32 = -3;
export const LOAD_ERR_CHECKSUM: i32 = -4;
export const LOAD_ERR_DB_INDEX: i32 = -5;
export const LOAD_ERR_DUP_KEY: i32 = -6;
export const LOAD_ERR_TYPE: i32 = -7;
export const LOAD_ERR_OOM: i32 = -8;
export const LOAD_ERR_MODULE_AUX: i32 = -9;

/** rdbLoadBegin flags. */
export const LOAD_VERIFY_CHECKSUM: u32 = 1;
/** A master drops keys that expired while the file sat on disk; a replica keeps them. */
export const LOAD_EXPIRE_KEYS: u32 = 2;
/** DEBUG RELOAD MERGE: a key already present is replaced. */
export const LOAD_ALLOW_DUP: u32 = 4;

// @ts-ignore: decorator
@inline const I_VERSION: usize = 0;
// @ts-ignore: decorator
@inline const I_OFFSET: usize = 1;
// @ts-ignore: decorator
@inline const I_LOADED: usize = 2;
// @ts-ignore: decorator
@inline const I_EXPIRED: usize = 3;
// @ts-ignore: decorator
@inline const I_EMPTY: usize = 4;
// @ts-ignore: decorator
@inline const I_REASON: usize = 5;
// @ts-ignore: decorator
@inline const I_EXPECTED: usize = 6;
// @ts-ignore: decorator
@inline const I_GOT: usize = 7;
// @ts-ignore: decorator
@inline const I_DB: usize = 8;
// @ts-ignore: decorator
@inline const I_NO_CHECKSUM: usize = 9;
// @ts-ignore: decorator
@inline const I_PTR_A: usize = 10;
// @ts-ignore: decorator
@inline const I_LEN_A: usize = 11;
// @ts-ignore: decorator
@inline const I_PTR_B: usize = 12;
// @ts-ignore: decorator
@inline const I_LEN_B: usize = 13;
// @ts-ignore: decorator
@inline const I_DETAIL: usize = 14;
// @ts-ignore: decorator
@inline const INFO_SLOTS: usize = 15;

/** A step returns LOAD_PROGRESS after consuming this much, so the host can log and yield. */
// @ts-ignore: decorator
@inline const PROGRESS_BYTES: u64 = 2 * 1024 * 1024;
/** Record parsed, nothing for the host: go on with the next. */
// @ts-ignore: decorator
@inline const CONTINUE: i32 = 100;

const info: usize = memory.data(<i32>(INFO_SLOTS << 3), 8);

export function rdbLoadInfoPtr(): usize {
  return info;
}

// @ts-ignore: decorator
@inline function setInfo(slot: usize, v: u64): void {
  store<u64>(info + (slot << 3), v);
}

// @ts-ignore: decorator
@inline function getInfo(slot: usize): u64 {
  return load<u64>(info + (slot << 3));
}

// ── LRU / LFU hints ──────────────────────────────────────────────────────────

/**
 * objectSetLRUOrLFU: an LFU counter under an LFU policy, else an idle time
 * in seconds turned into an access time on the 24-bit LRU clock. Negative
 * values mean "not given".
 */
export function objectSetLRUOrLFU(o: usize, lfuFreq: i32, lruIdle: f64, clock: u32): void {
  if (isLfuMode()) {
    if (lfuFreq >= 0) setObjLru(o, (<u32>((nowMs / 60000) & 0xffff) << 8) | (<u32>lfuFreq & 0xff));
    return;
  }
  if (lruIdle < 0) return;
  let abs = <i64>clock - <i64>lruIdle;
  if (abs < 0) abs = (<i64>clock + <i64>(LRU_CLOCK_MAX / 2)) % <i64>LRU_CLOCK_MAX;
  setObjLru(o, <u32>abs);
}

// ── The file (rdbLoadRio) ────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline const PHASE_HEADER: u32 = 0;
// @ts-ignore: decorator
@inline const PHASE_BODY: u32 = 1;
// @ts-ignore: decorator
@inline const PHASE_CHECKSUM: u32 = 2;
// @ts-ignore: decorator
@inline const PHASE_DONE: u32 = 3;

let inBuf: usize = 0;
let inCap: usize = 0;
let inStart: usize = 0;
let inEnd: usize = 0;
let phase: u32 = PHASE_HEADER;
let loadFlags: u32 = 0;
let rdbver: u32 = 0;
let curDb: u32 = 0;
let loadCrc: u64 = 0;
let loadNow: i64 = 0;
let loadClock: u32 = 0;
/** Key attributes set by the opcodes before a key (-1: none). */
let expiretime: i64 = -1;
let lruIdle: f64 = -1;
let lfuFreq: i32 = -1;

/** Starts loading a file into the current keyspace (LOAD_* flags). */
export function rdbLoadBegin(flags: u32): void {
  loadFlags = flags;
  phase = PHASE_HEADER;
  rdbver = 0;
  curDb = 0;
  loadCrc = 0;
  loadNow = nowMs;
  loadClock = lruClock;
  expiretime = -1;
  lruIdle = -1;
  lfuFreq = -1;
  inStart = inBuf;
  inEnd = inBuf;
  memory.fill(info, 0, INFO_SLOTS << 3);
}

/** Frees the input buffer and large scratch after a load. */
export function rdbLoadEnd(): void {
  if (inBuf != 0) heap.free(inBuf);
  inBuf = 0;
  inCap = 0;
  inStart = 0;
  inEnd = 0;
  slotsRelease();
}

/**
 * Moves the unread bytes to the front of the input buffer and makes room
 * for `want` more; returns where the host writes them (rdbLoadFill says how
 * many it wrote).
 */
export function rdbLoadRoom(want: u32): usize {
  const unread = inEnd - inStart;
  if (inStart != inBuf && unread != 0) memory.copy(inBuf, inStart, unread);
  if (unread + <usize>want > inCap) {
    const cap = max(unread + <usize>want, inCap << 1);
    inBuf = inBuf == 0 ? heap.alloc(cap) : heap.realloc(inBuf, cap);
    inCap = cap;
  }
  inStart = inBuf;
  inEnd = inBuf + unread;
  return inEnd;
}

export function rdbLoadFill(n: u32): void {
  inEnd += <usize>n;
}

/**
 * Parses complete records until an event for the host, the end of the
 * file, an error, or the end of the buffered input (LOAD_NEED_MORE).
 */
export function rdbLoadStep(): i32 {
  const mark = getInfo(I_OFFSET);
  while (true) {
    readerReset(inStart, inEnd);
    const r = loadNext();
    if (readShort) return LOAD_NEED_MORE;
    if (readBad != 0) {
      setInfo(I_REASON, <u64>readBad);
      setInfo(I_DETAIL, readDetail);
      return LOAD_ERR_CORRUPT;
    }
    if (readOom) {
      setInfo(I_DETAIL, readDetail);
      return LOAD_ERR_OOM;
    }
    if (r < 0) return r;
    commit();
    if (r != CONTINUE) return r;
    if (getInfo(I_OFFSET) - mark >= PROGRESS_BYTES) return LOAD_PROGRESS;
  }
}

/** The parsed record becomes consumed input, and part of the checksum. */
function commit(): void {
  const n = rp - inStart;
  if (phase != PHASE_DONE && (loadFlags & LOAD_VERIFY_CHECKSUM) != 0) loadCrc = crc64(loadCrc, inStart, n);
  setInfo(I_OFFSET, getInfo(I_OFFSET) + <u64>n);
  inStart = rp;
}

function loadNext(): i32 {
  if (phase == PHASE_HEADER) return loadHeader();
  if (phase == PHASE_CHECKSUM) return loadChecksum();
  if (phase == PHASE_DONE) return LOAD_DONE;
  return loadRecord();
}

/** "REDIS" and four version digits (read with atoi, as Redis does). */
function loadHeader(): i32 {
  if (!avail(9)) return 0;
  if (load<u32>(rp) != 0x49444552 || load<u8>(rp, 4) != 0x53) return LOAD_ERR_SIGNATURE;
  let v: u32 = 0;
  for (let i: usize = 5; i < 9; i++) {
    const d = <u32>load<u8>(rp + i) - 0x30;
    if (d > 9) break;
    v = v * 10 + d;
  }
  setInfo(I_VERSION, v);
  if (v < 1 || v > RDB_VERSION + 1) return LOAD_ERR_VERSION;
  rdbver = v;
  skip(9);
  phase = PHASE_BODY;
  return CONTINUE;
}

/** After EOF: files since version 5 end with the CRC64 of everything before it. */
function loadChecksum(): i32 {
  if (rdbver >= 5) {
    if (!avail(8)) return 0;
    const got = load<u64>(rp);
    skip(8);
    if ((loadFlags & LOAD_VERIFY_CHECKSUM) != 0) {
      if (got == 0) {
        setInfo(I_NO_CHECKSUM, 1);
      } else if (got != loadCrc) {
        setInfo(I_EXPECTED, loadCrc);
        setInfo(I_GOT, got);
        return LOAD_ERR_CHECKSUM;
      }
    }
  }
  phase = PHASE_DONE;
  return LOAD_DONE;
}

function loadRecord(): i32 {
  const type = readByte();
  if (readShort) return 0;
  switch (type) {
    case RDB_OPCODE_EXPIRETIME: {
      if (!avail(4)) return 0;
      expiretime = <i64>load<i32>(rp) * 1000;
      skip(4);
      return CONTINUE;
    }
    case RDB_OPCODE_EXPIRETIME_MS: {
      if (!avail(8)) return 0;
      expiretime = load<i64>(rp);
      skip(8);
      return CONTINUE;
    }
    case RDB_OPCODE_FREQ: {
      lfuFreq = <i32>readByte();
      return CONTINUE;
    }
    case RDB_OPCODE_IDLE: {
      lruIdle = <f64>loadLen();
      return CONTINUE;
    }
    case RDB_OPCODE_EOF: {
      phase = PHASE_CHECKSUM;
      return CONTINUE;
    }
    case RDB_OPCODE_SELECTDB:
      return loadSelectDb();
    case RDB_OPCODE_RESIZEDB: {
      loadLen();
      loadLen();
      return CONTINUE;
    }
    case RDB_OPCODE_AUX:
      return loadAux();
    case RDB_OPCODE_MODULE_AUX:
      return LOAD_ERR_MODULE_AUX;
    case RDB_OPCODE_FUNCTION2:
      return loadFunction2();
    case RDB_OPCODE_FUNCTION:
      return loadFunctionPreGa();
    default:
      return loadKeyValue(type);
  }
}

function loadSelectDb(): i32 {
  const id = loadLen();
  if (readFailed()) return 0;
  if (id >= <u64>dbTableCount()) {
    setInfo(I_DB, id);
    return LOAD_ERR_DB_INDEX;
  }
  curDb = <u32>id;
  return CONTINUE;
}

/** An AUX field: the host logs or applies it (ptrA/lenA = name, ptrB/lenB = value). */
function loadAux(): i32 {
  if (!loadString(SLOT_KEY)) return 0;
  setInfo(I_PTR_A, strPtr);
  setInfo(I_LEN_A, strLen);
  if (!loadString(SLOT_VAL)) return 0;
  setInfo(I_PTR_B, strPtr);
  setInfo(I_LEN_B, strLen);
  return LOAD_AUX;
}

/** A function library (its code in ptrB/lenB): the host decides what to do with it. */
function loadFunction2(): i32 {
  if (!loadString(SLOT_VAL)) return 0;
  setInfo(I_PTR_B, strPtr);
  setInfo(I_LEN_B, strLen);
  return LOAD_FUNCTION;
}

/** The 7.0 release candidates' library record: name, engine, optional description, code. */
function loadFunctionPreGa(): i32 {
  for (let i = 0; i < 2; i++) if (!loadString(SLOT_KEY)) return 0;
  const hasDesc = loadLen();
  if (readFailed()) return 0;
  if (hasDesc != 0 && !loadString(SLOT_KEY)) return 0;
  return loadFunction2();
}

function loadKeyValue(type: u32): i32 {
  if (!rdbIsObjectType(type)) {
    corrupt(RDB_BAD_TYPE, type);
    return 0;
  }
  if (!rdbCanLoadType(type)) {
    setInfo(I_REASON, type);
    setInfo(I_DETAIL, type);
    return LOAD_ERR_TYPE;
  }
  if (!loadString(SLOT_KEY)) return 0;
  const kp = strPtr;
  const kl = strLen;
  const o = rdbLoadObject(type);
  if (readFailed()) return 0;
  if (o == 0) return skipEmptyKey(kp, kl);
  const r = expiretime != -1 && expiretime < loadNow && (loadFlags & LOAD_EXPIRE_KEYS) != 0
    ? dropExpired(o)
    : dbAddLoaded(kp, kl, o);
  expiretime = -1;
  lruIdle = -1;
  lfuFreq = -1;
  return r;
}

function skipEmptyKey(kp: usize, kl: u32): i32 {
  setInfo(I_EMPTY, getInfo(I_EMPTY) + 1);
  setInfo(I_PTR_A, kp);
  setInfo(I_LEN_A, kl);
  expiretime = -1;
  lruIdle = -1;
  lfuFreq = -1;
  return LOAD_EMPTY_KEY;
}

function dropExpired(o: usize): i32 {
  freeObject(o);
  setInfo(I_EXPIRED, getInfo(I_EXPIRED) + 1);
  return CONTINUE;
}

/** dbAddRDBLoad: a key twice in one file is corrupt, unless DEBUG RELOAD MERGE asked to replace. */
function dbAddLoaded(kp: usize, kl: u32, o: usize): i32 {
  if (isLfuMode()) setObjLru(o, initialLru());
  let e = dictAddOrFind(mainDict(curDb), kp, kl);
  if (!dictCreated) {
    if ((loadFlags & LOAD_ALLOW_DUP) == 0) {
      freeObject(o);
      setInfo(I_DB, curDb);
      setInfo(I_PTR_A, kp);
      setInfo(I_LEN_A, kl);
      return LOAD_ERR_DUP_KEY;
    }
    dbDelete(curDb, kp, kl);
    e = dictAddOrFind(mainDict(curDb), kp, kl);
  }
  setEntryVal(e, <u64>o);
  if (expiretime != -1) setExpire(curDb, kp, kl, expiretime);
  objectSetLRUOrLFU(o, lfuFreq, lruIdle, loadClock);
  setInfo(I_LOADED, getInfo(I_LOADED) + 1);
  return CONTINUE;
}

// ── RESTORE ──────────────────────────────────────────────────────────────────

/** verifyDumpPayload: RDB version (not newer than ours) and CRC64 of a DUMP payload. */
export function verifyDumpPayload(p: usize, len: u32): bool {
  if (len < 10) return false;
  const footer = p + <usize>len - 10;
  if (<u32>load<u16>(footer) > RDB_VERSION) return false;
  return crc64(0, p, <usize>len - 8) == load<u64>(footer, 2);
}

/**
 * The object in a verified DUMP payload, or 0 when its data is bad (Redis
 * reads it like an RDB stream over the whole payload, footer included).
 */
export function restoreObject(p: usize, len: u32): usize {
  readerReset(p, p + <usize>len);
  const type = readByte();
  if (readFailed() || !rdbIsObjectType(type) || !rdbCanLoadType(type)) return 0;
  const o = rdbLoadObject(type);
  slotsRelease();
  return readFailed() ? 0 : o;
}
