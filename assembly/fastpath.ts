// The fast path: a run of the hottest commands (GET, SET key value, INCR,
// DECR, PING) framed and executed in one call, replies written into an
// output buffer, with no crossing into JS per command.
//
// It is the same work the dispatcher and the handlers would do, for the
// cases where nothing else has to happen: the host enables it for a batch
// only when no MONITOR, propagation (AOF, replicas), WATCH, maxmemory,
// MULTI, auth or reply-mode rule is in play. Anything unusual — another
// command, a wrong type, an overflow, an incomplete or malformed request —
// stops the run before that command, and the host handles it the normal way.
//
//   output buffer: RESP reply bytes for every command run, in order.

import { frame, argvPtr } from "./resp";
import { lookupKey, LOOKUP_WRITE, dbSetValue, dbDelete } from "./db";
import { objType, objEncoding, OBJ_STRING, OBJ_LIST, ENC_INT, strLen, OBJ_HEADER, intValue } from "./object";
import { listCreate, listPushArgv, listPopReply, listLength } from "./t_list";
import { rbPtr } from "./replybuf";
import { saddArgv, SET_WRONGTYPE } from "./t_set";
import { hsetArgv, HASH_WRONGTYPE } from "./t_hash";
import { setString, incrBy } from "./t_string";
import { ll2string, digits10, retArea } from "./util";
import { zmalloc, zfree } from "./mem";

// @ts-ignore: decorator
@inline const KIND_GET: u8 = 1;
// @ts-ignore: decorator
@inline const KIND_SET: u8 = 2;
// @ts-ignore: decorator
@inline const KIND_INCR: u8 = 3;
// @ts-ignore: decorator
@inline const KIND_DECR: u8 = 4;
// @ts-ignore: decorator
@inline const KIND_PING: u8 = 5;
// @ts-ignore: decorator
@inline const KIND_LPUSH: u8 = 6;
// @ts-ignore: decorator
@inline const KIND_RPUSH: u8 = 7;
// @ts-ignore: decorator
@inline const KIND_LPOP: u8 = 8;
// @ts-ignore: decorator
@inline const KIND_RPOP: u8 = 9;
// @ts-ignore: decorator
@inline const KIND_SADD: u8 = 10;
// @ts-ignore: decorator
@inline const KIND_HSET: u8 = 11;

/** List ends as t_list.ts takes them. */
// @ts-ignore: decorator
@inline const LIST_HEAD: i32 = 0;
// @ts-ignore: decorator
@inline const LIST_TAIL: i32 = 1;

/**
 * Values past this size go through the host's path, where the slowlog can
 * time the copy; below it a GET is as cheap as any fast command.
 */
// @ts-ignore: decorator
@inline const MAX_FAST_VALUE: u32 = 1 << 20;

/** Command ids are small; the host registers which ids are which kinds. */
// @ts-ignore: decorator
@inline const MAX_IDS: u32 = 1024;

const kinds = heap.alloc(MAX_IDS);
memory.fill(kinds, 0, MAX_IDS);
/** Calls per command id run here, for the host's command statistics. */
const calls = heap.alloc(MAX_IDS * 4);
memory.fill(calls, 0, MAX_IDS * 4);

/**
 * What the last runFast did, for the host: [reply bytes, commands run,
 * writes, last command id run, end of the framed command it stopped at (0
 * when it stopped without one)]. Apart from the ret area, whose slots hold
 * the stopped command's argc, argv and id for the host to run it directly.
 */
const info = heap.alloc(20);
// @ts-ignore: decorator
@inline const INFO_OUT_LEN: usize = 0;
// @ts-ignore: decorator
@inline const INFO_RAN: usize = 4;
// @ts-ignore: decorator
@inline const INFO_WRITES: usize = 8;
// @ts-ignore: decorator
@inline const INFO_LAST_ID: usize = 12;
// @ts-ignore: decorator
@inline const INFO_FRAMED: usize = 16;

let out: usize = 0;
let outCap: u32 = 0;
let outLen: u32 = 0;
/** Commands run and keys written by the last runFast, for the host's counters. */
let ran: u32 = 0;
let writes: u32 = 0;
let lastId: i32 = -1;

export function fastRegister(id: i32, kind: u8): void {
  if (<u32>id < MAX_IDS) store<u8>(kinds + <usize>id, kind);
}

export function fastCallsPtr(): usize {
  return calls;
}

export function fastInfoPtr(): usize {
  return info;
}

export function fastOutPtr(): usize {
  return out;
}

function reserve(n: u32): void {
  if (outLen + n <= outCap) return;
  let cap = outCap == 0 ? <u32>65536 : outCap * 2;
  while (cap < outLen + n) cap *= 2;
  const p = zmalloc(cap);
  if (out != 0) {
    memory.copy(p, out, outLen);
    zfree(out);
  }
  out = p;
  outCap = cap;
}

// @ts-ignore: decorator
@inline function put(b: u8): void {
  store<u8>(out + outLen, b);
  outLen++;
}

function putCRLF(): void {
  store<u16>(out + outLen, 0x0a0d);
  outLen += 2;
}

function putInt(prefix: u8, v: i64): void {
  reserve(24);
  put(prefix);
  outLen += ll2string(out + outLen, v);
  putCRLF();
}

function putBulk(p: usize, len: u32): void {
  reserve(len + 16);
  put(0x24);
  outLen += ll2string(out + outLen, <i64>len);
  putCRLF();
  memory.copy(out + outLen, p, len);
  outLen += len;
  putCRLF();
}

function putSimple(a: u32, n: u32): void {
  // a = up to four ASCII bytes of the status, little-endian ("OK", "PONG").
  reserve(8);
  put(0x2b);
  store<u32>(out + outLen, a);
  outLen += n;
  putCRLF();
}

/** GET's reply, or false to let the host handle it (a wrong type). */
function runGet(db: u32, argv: usize, resp3: bool): bool {
  const kp = <usize>load<u32>(argv, 8);
  const kl = load<u32>(argv, 12);
  const o = lookupKey(db, kp, kl, 0);
  if (o == 0) {
    putNil(resp3);
    return true;
  }
  if (objType(o) != OBJ_STRING || strLen(o) > MAX_FAST_VALUE) return false;
  if (objEncoding(o) == ENC_INT) {
    const v = intValue(o);
    reserve(48);
    put(0x24);
    outLen += ll2string(out + outLen, <i64>digits10(v));
    putCRLF();
    outLen += ll2string(out + outLen, v);
    putCRLF();
    return true;
  }
  putBulk(o + OBJ_HEADER, strLen(o));
  return true;
}

/** INCR/DECR, or false when the host must reply an error (wrong type, not an integer, overflow). */
function runIncr(db: u32, argv: usize, delta: i32): bool {
  const kp = <usize>load<u32>(argv, 8);
  const kl = load<u32>(argv, 12);
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o != 0) {
    if (objType(o) != OBJ_STRING || objEncoding(o) != ENC_INT) return false;
    const v = intValue(o);
    if ((delta > 0 && v == i64.MAX_VALUE) || (delta < 0 && v == i64.MIN_VALUE)) return false;
  }
  incrBy(db, kp, kl, <u32>delta, delta < 0 ? -1 : 0);
  putInt(0x3a, load<i64>(retArea, 32));
  return true;
}

/** LPUSH/RPUSH: the new length, or false for another type (the host replies WRONGTYPE). */
function runPush(db: u32, argv: usize, argc: u32, where: i32): bool {
  const kp = <usize>load<u32>(argv, 8);
  const kl = load<u32>(argv, 12);
  let o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o != 0 && objType(o) != OBJ_LIST) return false;
  if (o == 0) {
    o = listCreate();
    dbSetValue(db, kp, kl, o, false);
  }
  putInt(0x3a, <i64>listPushArgv(o, argv, 2, argc, where));
  writes += argc - 2;
  return true;
}

/** LPOP/RPOP without a count: the element or nil; an emptied list is deleted. */
function runPop(db: u32, argv: usize, where: i32, resp3: bool): bool {
  const kp = <usize>load<u32>(argv, 8);
  const kl = load<u32>(argv, 12);
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o == 0) {
    putNil(resp3);
    return true;
  }
  if (objType(o) != OBJ_LIST) return false;
  const n = listPopReply(o, where);
  reserve(n);
  memory.copy(out + outLen, rbPtr(), n);
  outLen += n;
  if (listLength(o) == 0) dbDelete(db, kp, kl);
  writes++;
  return true;
}

/** SADD: the number added, or false for another type. */
function runSadd(db: u32, argv: usize, argc: u32): bool {
  const added = saddArgv(db, <usize>load<u32>(argv, 8), load<u32>(argv, 12), argv + 16, argc - 2);
  if (added == SET_WRONGTYPE) return false;
  putInt(0x3a, <i64>added);
  writes += <u32>added;
  return true;
}

/** HSET with whole field/value pairs: the number of new fields, or false for another type. */
function runHset(db: u32, argv: usize, argc: u32): bool {
  const pairs = (argc - 2) / 2;
  const added = hsetArgv(db, <usize>load<u32>(argv, 8), load<u32>(argv, 12), argv + 16, pairs, false);
  if (added == HASH_WRONGTYPE) return false;
  putInt(0x3a, <i64>added);
  writes += pairs;
  return true;
}

function putNil(resp3: bool): void {
  reserve(8);
  if (resp3) {
    put(0x5f);
    putCRLF();
  } else {
    store<u32>(out + outLen, 0x0d312d24); // "$-1\r"
    outLen += 4;
    put(0x0a);
  }
}

/**
 * Runs commands from buf+pos while they are fast-path commands; returns the
 * position of the first one it did not run (or the end); see `info`.
 */
export function runFast(buf: usize, len: u32, pos: u32, maxBulk: f64, db: u32, resp3: bool): u32 {
  outLen = 0;
  ran = 0;
  writes = 0;
  lastId = -1;
  let framed: i32 = 0;
  while (pos < len) {
    const next = frame(buf, len, pos, maxBulk, true);
    if (next <= 0) break;
    framed = next;
    const argc = load<i32>(retArea, 8);
    const id = load<i32>(retArea, 16);
    if (argc <= 0) {
      // An empty `*0` is skipped, as the host would.
      pos = <u32>next;
      framed = 0;
      continue;
    }
    if (<u32>id >= MAX_IDS) break;
    const kind = load<u8>(kinds + <usize>id);
    const argv = argvPtr();
    let done = false;
    if (kind == KIND_GET && argc == 2) {
      done = runGet(db, argv, resp3);
    } else if (kind == KIND_SET && argc == 3 && load<u32>(argv, 20) <= MAX_FAST_VALUE) {
      setString(db, <usize>load<u32>(argv, 8), load<u32>(argv, 12), <usize>load<u32>(argv, 16), load<u32>(argv, 20), false, -1);
      putSimple(0x4b4f, 2); // "OK"
      writes++;
      done = true;
    } else if ((kind == KIND_INCR || kind == KIND_DECR) && argc == 2) {
      done = runIncr(db, argv, kind == KIND_INCR ? 1 : -1);
      if (done) writes++;
    } else if (kind == KIND_PING && argc == 1) {
      putSimple(0x474e4f50, 4); // "PONG"
      done = true;
    } else if ((kind == KIND_LPUSH || kind == KIND_RPUSH) && argc >= 3) {
      done = runPush(db, argv, <u32>argc, kind == KIND_LPUSH ? LIST_HEAD : LIST_TAIL);
    } else if ((kind == KIND_LPOP || kind == KIND_RPOP) && argc == 2) {
      done = runPop(db, argv, kind == KIND_LPOP ? LIST_HEAD : LIST_TAIL, resp3);
    } else if (kind == KIND_SADD && argc >= 3) {
      done = runSadd(db, argv, <u32>argc);
    } else if (kind == KIND_HSET && argc >= 4 && (argc & 1) == 0) {
      done = runHset(db, argv, <u32>argc);
    }
    if (!done) break;
    framed = 0;
    store<u32>(calls + (<usize>id << 2), load<u32>(calls + (<usize>id << 2)) + 1);
    ran++;
    lastId = id;
    pos = <u32>next;
  }
  store<u32>(info, outLen, INFO_OUT_LEN);
  store<u32>(info, ran, INFO_RAN);
  store<u32>(info, writes, INFO_WRITES);
  store<i32>(info, lastId, INFO_LAST_ID);
  store<i32>(info, framed, INFO_FRAMED);
  return pos;
}

