// The RDB writer: Redis 7.0's rdbSaveRio, byte for byte, walking the
// keyspace dicts in linear memory. The host drains the output buffer to a
// file (SAVE, BGSAVE in a worker over a memory snapshot) or a reply (DUMP).
//
//   RDB file, version 10
//   ┌───────────┬─────────────────┬───────────────────────────────────────┬──────┬──────────┐
//   │ REDIS0010 │ AUX k v (×5)    │ per non-empty db:                      │ 0xFF │ CRC64 LE │
//   │           │ 0xFA string ×2  │  SELECTDB n · RESIZEDB keys expires   │ EOF  │ (0: off) │
//   │           │                 │  [EXPIRETIME_MS i64][IDLE len|FREQ u8] │      │          │
//   │           │                 │  type · key string · value            │      │          │
//   └───────────┴─────────────────┴───────────────────────────────────────┴──────┴──────────┘
//
//   length:  00xxxxxx │ 01xxxxxx yyyyyyyy │ 0x80 u32 BE │ 0x81 u64 BE
//   string:  length + bytes │ 0xC0 i8 │ 0xC1 i16 LE │ 0xC2 i32 LE │ 0xC3 clen len lzf-bytes
//
//   output buffer (bytes produced since the host last drained it)
//   ┌───────────────────────────┬───────────┐
//   │ out[0 .. outLen)          │ spare     │  grows to hold at least one whole record
//   └───────────────────────────┴───────────┘
//
//   DUMP payload: type · value · RDB version u16 LE · CRC64 LE of everything before it
//
// Each object type has its case in rdbSaveObjectType / rdbSaveObject; a type
// without one makes the save fail (RDB_ERR_UNSUPPORTED_TYPE) rather than
// write a file Redis cannot read.

import { dictScan, dictSize, scanCount, scanResults, entryKey, entryKeyLen, entryVal } from "./dict";
import { mainDict, expiresDict, getExpire, lfuDecrAndReturn, dbTableCount } from "./db";
import {
  objType, objEncoding, objLru, objPtr, strLen, intValue, OBJ_HEADER, OBJ_STRING, OBJ_LIST, OBJ_SET, OBJ_ZSET,
  OBJ_HASH, ENC_INT, ENC_INTSET, ENC_HT, ENC_LISTPACK, ENC_QUICKLIST, ENC_SKIPLIST,
} from "./object";
import { zsetZsl } from "./t_zset";
import { zslLength, zslTail, nodeBackward, nodeScore, nodeEle, nodeEleLen } from "./zskiplist";
import { intsetBlobLen } from "./intset";
import { lpBytes } from "./listpack";
import { qlHead, qlLen, nodeNext, nodeEntry, nodeSz, nodeIsCompressed, nodeLzfSize, nodeLzfData } from "./quicklist";
import { string2ll, parseOk, ll2string } from "./util";
import { lzfCompress } from "./lzf";
import { crc64 } from "./crc64";
import {
  LRU_CLOCK_MAX, RDB_14BITLEN, RDB_32BITLEN, RDB_64BITLEN, RDB_6BITLEN, RDB_ENCVAL, RDB_ENC_INT16, RDB_ENC_INT32,
  RDB_ENC_INT8, RDB_ENC_LZF, RDB_OPCODE_AUX, RDB_OPCODE_EOF, RDB_OPCODE_EXPIRETIME_MS, RDB_OPCODE_FREQ,
  RDB_OPCODE_IDLE, RDB_OPCODE_RESIZEDB, RDB_OPCODE_SELECTDB, RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_STRING, RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK, RDB_VERSION,
} from "./rdb_format";

/** rdbSaveBegin flags. */
export const RDB_SAVE_COMPRESS: u32 = 1;
export const RDB_SAVE_CHECKSUM: u32 = 2;
export const RDB_SAVE_LRU: u32 = 4;
export const RDB_SAVE_LFU: u32 = 8;
export const RDB_SAVE_AOF_BASE: u32 = 16;

/** Why a save stopped (rdbSaveError). */
export const RDB_ERR_NONE: i32 = 0;
export const RDB_ERR_UNSUPPORTED_TYPE: i32 = 1;

/** A save step returns once this many bytes are ready for the host. */
// @ts-ignore: decorator
@inline const CHUNK: usize = 256 * 1024;
/** Strings up to this long may be saved as an INT8/16/32 (rdbSaveRawString). */
// @ts-ignore: decorator
@inline const INT_ENCODING_MAX_LEN: u32 = 11;
/** Under this, LZF cannot win even on "aaaa..." (rdbSaveRawString). */
// @ts-ignore: decorator
@inline const LZF_MIN_LEN: u32 = 20;

// ── Output buffer ────────────────────────────────────────────────────────────
// Outside zmalloc's accounting: it is I/O state, not dataset (Redis's rio
// buffers are not in a key's cost either).

let out: usize = 0;
let outCap: usize = 0;
let outLen: usize = 0;
let lzfBuf: usize = 0;
let lzfCap: usize = 0;
/** Scratch for numbers and ASCII names (an i64 prints in 20 bytes). */
const numBuf: usize = memory.data(64, 8);

export function rdbOutPtr(): usize {
  return out;
}

/** Room for n more bytes; returns where they go. */
function reserve(n: usize): usize {
  if (outLen + n > outCap) {
    const cap = max(outLen + n, max(outCap << 1, CHUNK + (CHUNK >> 1)));
    out = out == 0 ? heap.alloc(cap) : heap.realloc(out, cap);
    outCap = cap;
  }
  return out + outLen;
}

// @ts-ignore: decorator
@inline function putByte(b: u32): void {
  store<u8>(reserve(1), <u8>b);
  outLen++;
}

function putBytes(p: usize, n: usize): void {
  memory.copy(reserve(n), p, n);
  outLen += n;
}

/** Gives the output buffer back when a large object made it grow far past a chunk. */
export function rdbOutRelease(): void {
  if (outCap <= CHUNK * 2) return;
  heap.free(out);
  out = 0;
  outCap = 0;
  outLen = 0;
}

// ── Primitives (rdbSaveType, rdbSaveLen, rdbSaveRawString ...) ───────────────

export function rdbSaveLen(len: u64): void {
  if (len < 1 << 6) {
    putByte(<u32>len | (RDB_6BITLEN << 6));
  } else if (len < 1 << 14) {
    putByte(<u32>(len >> 8) | (RDB_14BITLEN << 6));
    putByte(<u32>len & 0xff);
  } else if (len <= <u64>u32.MAX_VALUE) {
    putByte(RDB_32BITLEN);
    store<u32>(reserve(4), bswap<u32>(<u32>len));
    outLen += 4;
  } else {
    putByte(RDB_64BITLEN);
    store<u64>(reserve(8), bswap<u64>(len));
    outLen += 8;
  }
}

function rdbSaveMillisecondTime(t: i64): void {
  store<i64>(reserve(8), t);
  outLen += 8;
}

/** INT8/16/32 encoding of v, or false when it does not fit 32 bits (rdbEncodeInteger). */
function rdbEncodeInteger(v: i64): bool {
  if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
    putByte((RDB_ENCVAL << 6) | RDB_ENC_INT8);
    putByte(<u32>v & 0xff);
  } else if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
    putByte((RDB_ENCVAL << 6) | RDB_ENC_INT16);
    store<i16>(reserve(2), <i16>v);
    outLen += 2;
  } else if (v >= i32.MIN_VALUE && v <= i32.MAX_VALUE) {
    putByte((RDB_ENCVAL << 6) | RDB_ENC_INT32);
    store<i32>(reserve(4), <i32>v);
    outLen += 4;
  } else {
    return false;
  }
  return true;
}

let compress = false;

/** An already compressed blob (rdbSaveLzfBlob): a compressed quicklist node as it is. */
function rdbSaveLzfBlob(data: usize, clen: u32, len: u32): void {
  putByte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
  rdbSaveLen(clen);
  rdbSaveLen(len);
  putBytes(data, clen);
}

/** LZF form when it saves at least four bytes (rdbSaveLzfStringObject). */
function rdbSaveLzfStringObject(p: usize, len: u32): bool {
  if (len <= 4) return false;
  const room = len - 4;
  if (<usize>room + 1 > lzfCap) {
    if (lzfBuf != 0) heap.free(lzfBuf);
    lzfCap = <usize>room + 1;
    lzfBuf = heap.alloc(lzfCap);
  }
  const clen = lzfCompress(p, len, lzfBuf, room);
  if (clen == 0) return false;
  rdbSaveLzfBlob(lzfBuf, clen, len);
  return true;
}

/** A string as an int, LZF blob or length + bytes, whichever Redis would pick. */
export function rdbSaveRawString(p: usize, len: u32): void {
  if (len <= INT_ENCODING_MAX_LEN) {
    const v = string2ll(p, len);
    if (parseOk && rdbEncodeInteger(v)) return;
  }
  if (compress && len > LZF_MIN_LEN && rdbSaveLzfStringObject(p, len)) return;
  rdbSaveLen(len);
  putBytes(p, len);
}

function rdbSaveLongLongAsStringObject(v: i64): void {
  if (rdbEncodeInteger(v)) return;
  const n = ll2string(numBuf, v);
  rdbSaveLen(n);
  putBytes(numBuf, n);
}

function rdbSaveStringObject(o: usize): void {
  if (objEncoding(o) == ENC_INT) rdbSaveLongLongAsStringObject(intValue(o));
  else rdbSaveRawString(o + OBJ_HEADER, strLen(o));
}

// ── Objects ──────────────────────────────────────────────────────────────────
// The per-type switch: each type and encoding Redis 7.0 writes, with the
// same RDB type. A type added to the engine adds its case here and in
// rdb_object.ts.

/** Redis's QUICKLIST_NODE_CONTAINER_PACKED: a node holding a listpack. */
// @ts-ignore: decorator
@inline const QUICKLIST_NODE_CONTAINER_PACKED: u32 = 2;

/** RDB type byte of an object, or -1 when this writer cannot save it yet. */
export function rdbObjectType(o: usize): i32 {
  const enc = objEncoding(o);
  switch (objType(o)) {
    case OBJ_STRING:
      return <i32>RDB_TYPE_STRING;
    case OBJ_LIST:
      return enc == ENC_QUICKLIST ? <i32>RDB_TYPE_LIST_QUICKLIST_2 : -1;
    case OBJ_SET:
      if (enc == ENC_INTSET) return <i32>RDB_TYPE_SET_INTSET;
      if (enc == ENC_HT) return <i32>RDB_TYPE_SET;
      return -1;
    case OBJ_ZSET:
      if (enc == ENC_LISTPACK) return <i32>RDB_TYPE_ZSET_LISTPACK;
      if (enc == ENC_SKIPLIST) return <i32>RDB_TYPE_ZSET_2;
      return -1;
    case OBJ_HASH:
      if (enc == ENC_LISTPACK) return <i32>RDB_TYPE_HASH_LISTPACK;
      if (enc == ENC_HT) return <i32>RDB_TYPE_HASH;
      return -1;
    default:
      return -1;
  }
}

function rdbSaveObject(o: usize): void {
  switch (objType(o)) {
    case OBJ_STRING:
      rdbSaveStringObject(o);
      break;
    case OBJ_LIST:
      rdbSaveListObject(o);
      break;
    case OBJ_SET:
      rdbSaveSetObject(o);
      break;
    case OBJ_ZSET:
      rdbSaveZsetObject(o);
      break;
    case OBJ_HASH:
      rdbSaveHashObject(o);
      break;
  }
}

/**
 * A listpack zset as its blob; a skiplist one as a count and member,
 * binary score pairs from the highest score down, so that loading inserts
 * each at the head of the skiplist (Redis's order).
 */
function rdbSaveZsetObject(o: usize): void {
  if (objEncoding(o) == ENC_LISTPACK) {
    const lp = objPtr(o);
    rdbSaveRawString(lp, lpBytes(lp));
    return;
  }
  const zsl = zsetZsl(o);
  rdbSaveLen(zslLength(zsl));
  for (let x = zslTail(zsl); x != 0; x = nodeBackward(x)) {
    rdbSaveRawString(nodeEle(x), nodeEleLen(x));
    store<f64>(reserve(8), nodeScore(x));
    outLen += 8;
  }
}

/** The quicklist's nodes, compressed ones as their LZF blob, the others as listpack strings. */
function rdbSaveListObject(o: usize): void {
  const ql = objPtr(o);
  rdbSaveLen(qlLen(ql));
  for (let n = qlHead(ql); n != 0; n = nodeNext(n)) {
    rdbSaveLen(QUICKLIST_NODE_CONTAINER_PACKED);
    if (nodeIsCompressed(n)) rdbSaveLzfBlob(nodeLzfData(n), nodeLzfSize(n), nodeSz(n));
    else rdbSaveRawString(nodeEntry(n), nodeSz(n));
  }
}

/** A listpack hash as its blob; a dict hash as a count and field, value strings. */
function rdbSaveHashObject(o: usize): void {
  if (objEncoding(o) == ENC_LISTPACK) {
    const lp = objPtr(o);
    rdbSaveRawString(lp, lpBytes(lp));
    return;
  }
  const d = objPtr(o);
  rdbSaveLen(dictSize(d));
  const it = iterNew();
  for (let e = iterNext(it, d); e != 0; e = iterNext(it, d)) {
    rdbSaveRawString(entryKey(e), entryKeyLen(e));
    // Dict values are blocks of a u32 length and the bytes (assembly/t_hash.ts).
    const v = <usize>entryVal(e);
    rdbSaveRawString(v + 4, load<u32>(v));
  }
  iterFree(it);
}

function rdbSaveSetObject(o: usize): void {
  if (objEncoding(o) == ENC_INTSET) {
    const is = objPtr(o);
    rdbSaveRawString(is, <u32>intsetBlobLen(is));
    return;
  }
  const d = objPtr(o);
  rdbSaveLen(dictSize(d));
  const it = iterNew();
  for (let e = iterNext(it, d); e != 0; e = iterNext(it, d)) rdbSaveRawString(entryKey(e), entryKeyLen(e));
  iterFree(it);
}

// ── Dict iteration ───────────────────────────────────────────────────────────
// A dictScan cursor walk that copies each bucket's entries into the
// iterator's own array, so walks can nest (a set's members inside the
// keyspace walk) while sharing dictScan's result buffer. Nothing modifies
// the dicts during a save, so every entry is visited exactly once.
//
//   iterator: ┌────────┬──────┬─────┬─────┬─────┬─────────┐
//             │ cursor │ done │ pos │ len │ cap │ entries ┼──▶ u32 × cap (one bucket's entries)
//             └────────┴──────┴─────┴─────┴─────┴─────────┘

// @ts-ignore: decorator
@inline const IT_CURSOR: usize = 0;
// @ts-ignore: decorator
@inline const IT_DONE: usize = 4;
// @ts-ignore: decorator
@inline const IT_POS: usize = 8;
// @ts-ignore: decorator
@inline const IT_LEN: usize = 12;
// @ts-ignore: decorator
@inline const IT_CAP: usize = 16;
// @ts-ignore: decorator
@inline const IT_ENTRIES: usize = 20;
// @ts-ignore: decorator
@inline const IT_SIZE: usize = 24;
// @ts-ignore: decorator
@inline const IT_INITIAL_CAP: u32 = 16;

export function iterNew(): usize {
  const it = heap.alloc(IT_SIZE);
  memory.fill(it, 0, IT_SIZE);
  store<u32>(it, IT_INITIAL_CAP, IT_CAP);
  store<u32>(it, <u32>heap.alloc(<usize>IT_INITIAL_CAP << 2), IT_ENTRIES);
  return it;
}

export function iterFree(it: usize): void {
  heap.free(<usize>load<u32>(it, IT_ENTRIES));
  heap.free(it);
}

/** Starts the iterator over again (a new dict). */
function iterReset(it: usize): void {
  store<u32>(it, 0, IT_CURSOR);
  store<u32>(it, 0, IT_DONE);
  store<u32>(it, 0, IT_POS);
  store<u32>(it, 0, IT_LEN);
}

/** The next entry of d, or 0 at the end. */
export function iterNext(it: usize, d: usize): usize {
  while (load<u32>(it, IT_POS) == load<u32>(it, IT_LEN)) {
    if (load<u32>(it, IT_DONE) != 0) return 0;
    iterFill(it, d);
  }
  const pos = load<u32>(it, IT_POS);
  store<u32>(it, pos + 1, IT_POS);
  return <usize>load<u32>(<usize>load<u32>(it, IT_ENTRIES) + (<usize>pos << 2));
}

function iterFill(it: usize, d: usize): void {
  const cursor = dictScan(d, load<u32>(it, IT_CURSOR), true);
  const n = scanCount;
  if (n > load<u32>(it, IT_CAP)) {
    heap.free(<usize>load<u32>(it, IT_ENTRIES));
    store<u32>(it, <u32>heap.alloc(<usize>n << 2), IT_ENTRIES);
    store<u32>(it, n, IT_CAP);
  }
  memory.copy(<usize>load<u32>(it, IT_ENTRIES), scanResults(), <usize>n << 2);
  store<u32>(it, 0, IT_POS);
  store<u32>(it, n, IT_LEN);
  store<u32>(it, cursor, IT_CURSOR);
  if (cursor == 0) store<u32>(it, 1, IT_DONE);
}

// ── Key/value pairs and the keyspace walk (rdbSaveRio) ──────────────────────

let saveFlags: u32 = 0;
let saveLruClock: u32 = 0;
let crc: u64 = 0;
/** Bytes of the buffer before this offset are already in `crc`. */
let crcFrom: usize = 0;
/** The host consumed the buffer: the next step starts it over. */
let drained = false;
let auxDone = false;
let finished = false;
let saveError: i32 = RDB_ERR_NONE;
let walkDb: u32 = 0;
let walkIt: usize = 0;
/** SELECTDB was written for walkDb and walkIt runs over its dict. */
let walkOpen = false;
/** Keys written so far (INFO's current_save_keys_processed). */
export let rdbKeysSaved: f64 = 0;

/** Seconds since the object was last touched, from the 24-bit LRU clock (estimateObjectIdleTime). */
function estimateIdleSeconds(o: usize): u64 {
  const lru = objLru(o);
  const clock = saveLruClock;
  return clock >= lru ? <u64>(clock - lru) : <u64>(clock + (LRU_CLOCK_MAX - lru));
}

/** Writes one key with its expire and LRU/LFU hint; false when the value's type has no writer. */
function rdbSaveKeyValuePair(db: u32, e: usize): bool {
  const o = <usize>entryVal(e);
  const type = rdbObjectType(o);
  if (type < 0) {
    saveError = RDB_ERR_UNSUPPORTED_TYPE;
    return false;
  }
  const kp = entryKey(e);
  const kl = entryKeyLen(e);
  const expire = getExpire(db, kp, kl);
  if (expire != -1) {
    putByte(RDB_OPCODE_EXPIRETIME_MS);
    rdbSaveMillisecondTime(expire);
  }
  if ((saveFlags & RDB_SAVE_LRU) != 0) {
    putByte(RDB_OPCODE_IDLE);
    rdbSaveLen(estimateIdleSeconds(o));
  }
  if ((saveFlags & RDB_SAVE_LFU) != 0) {
    putByte(RDB_OPCODE_FREQ);
    putByte(lfuDecrAndReturn(o));
  }
  putByte(<u32>type);
  rdbSaveRawString(kp, kl);
  rdbSaveObject(o);
  return true;
}

/** An ASCII literal's bytes in numBuf (names of aux fields); returns the length. */
function ascii(s: string): u32 {
  const n = <u32>s.length;
  for (let i: u32 = 0; i < n; i++) store<u8>(numBuf + i, <u8>s.charCodeAt(i));
  return n;
}

function rdbSaveAuxFieldStrStr(k: string, v: string): void {
  putByte(RDB_OPCODE_AUX);
  rdbSaveRawString(numBuf, ascii(k));
  rdbSaveRawString(numBuf, ascii(v));
}

function rdbSaveAuxFieldStrInt(k: string, v: i64): void {
  putByte(RDB_OPCODE_AUX);
  rdbSaveRawString(numBuf, ascii(k));
  rdbSaveRawString(numBuf, ll2string(numBuf, v));
}

/**
 * Starts a save: the magic and the aux fields Redis 7.0 writes first
 * (rdbSaveInfoAuxFields). The host may add fields with rdbSaveAux (the
 * replication ones) before the first rdbSaveStep, which writes aof-base.
 */
export function rdbSaveBegin(flags: u32, ctime: f64, usedMem: f64, lruClock: u32): void {
  saveFlags = flags;
  compress = (flags & RDB_SAVE_COMPRESS) != 0;
  saveLruClock = lruClock;
  outLen = 0;
  crc = 0;
  crcFrom = 0;
  drained = false;
  auxDone = false;
  finished = false;
  saveError = RDB_ERR_NONE;
  walkDb = 0;
  walkOpen = false;
  rdbKeysSaved = 0;
  if (walkIt == 0) walkIt = iterNew();
  putBytes(numBuf, ascii("REDIS0010"));
  rdbSaveAuxFieldStrStr("redis-ver", "7.0.15");
  rdbSaveAuxFieldStrInt("redis-bits", 64);
  rdbSaveAuxFieldStrInt("ctime", <i64>ctime);
  rdbSaveAuxFieldStrInt("used-mem", <i64>usedMem);
}

/** An extra aux field (key and value bytes in engine memory). */
export function rdbSaveAux(kp: usize, kl: u32, vp: usize, vl: u32): void {
  putByte(RDB_OPCODE_AUX);
  rdbSaveRawString(kp, kl);
  rdbSaveRawString(vp, vl);
}

/**
 * Produces the next chunk of the file at rdbOutPtr() and returns its
 * length; the host writes it out before calling again. Done when
 * rdbSaveFinished() (the last chunk ends with the checksum), or failed when
 * rdbSaveError() != 0.
 */
export function rdbSaveStep(): u32 {
  if (drained) {
    outLen = 0;
    crcFrom = 0;
  }
  drained = true;
  if (!auxDone) {
    rdbSaveAuxFieldStrInt("aof-base", (saveFlags & RDB_SAVE_AOF_BASE) != 0 ? 1 : 0);
    auxDone = true;
  }
  while (outLen < CHUNK && !finished && saveError == RDB_ERR_NONE) saveNext();
  updateChecksum();
  return <u32>outLen;
}

export function rdbSaveFinished(): bool {
  return finished;
}

export function rdbSaveError(): i32 {
  return saveError;
}

function updateChecksum(): void {
  if ((saveFlags & RDB_SAVE_CHECKSUM) != 0 && crcFrom < outLen) crc = crc64(crc, out + crcFrom, outLen - crcFrom);
  crcFrom = outLen;
}

/** One step of the walk: a key, a database header, or the end of the file. */
function saveNext(): void {
  if (walkDb >= dbTableCount()) {
    rdbSaveEof();
    return;
  }
  const d = mainDict(walkDb);
  if (!walkOpen) {
    if (dictSize(d) == 0) {
      walkDb++;
      return;
    }
    putByte(RDB_OPCODE_SELECTDB);
    rdbSaveLen(walkDb);
    putByte(RDB_OPCODE_RESIZEDB);
    rdbSaveLen(dictSize(d));
    rdbSaveLen(dictSize(expiresDict(walkDb)));
    iterReset(walkIt);
    walkOpen = true;
  }
  const e = iterNext(walkIt, d);
  if (e == 0) {
    walkOpen = false;
    walkDb++;
    return;
  }
  if (rdbSaveKeyValuePair(walkDb, e)) rdbKeysSaved++;
}

/** EOF opcode, then the CRC64 of everything before it (zero when checksums are off). */
function rdbSaveEof(): void {
  putByte(RDB_OPCODE_EOF);
  updateChecksum();
  store<u64>(reserve(8), (saveFlags & RDB_SAVE_CHECKSUM) != 0 ? crc : 0);
  outLen += 8;
  crcFrom = outLen;
  finished = true;
}

// ── DUMP ─────────────────────────────────────────────────────────────────────

/**
 * DUMP's payload of o (createDumpPayload) at rdbOutPtr(); returns its
 * length, or -1 when the object's type has no writer yet.
 */
export function rdbDumpObject(o: usize, compressOn: bool): i32 {
  const type = rdbObjectType(o);
  if (type < 0) return -1;
  compress = compressOn;
  outLen = 0;
  putByte(<u32>type);
  rdbSaveObject(o);
  store<u16>(reserve(2), <u16>RDB_VERSION);
  outLen += 2;
  const sum = crc64(0, out, outLen);
  store<u64>(reserve(8), sum);
  outLen += 8;
  return <i32>outLen;
}
