// Hash commands (Redis's t_hash.c). The encodings (listpack, then dict) live
// in assembly/t_hash.ts; here are argument checks, replies and propagation.

import { LOOKUP_READ, LOOKUP_WRITE, OBJ_HASH } from "../engine/engine";
import type { Client } from "../server/client";
import {
  addLongDouble,
  formatLongDoubleHuman,
  isFiniteLD,
  longDoubleFromInt,
  parseI64,
  parseLongDouble,
} from "../util/numbers";
import { NAN_OR_INF, NOT_FLOAT, NOT_INTEGER, OVERFLOW, SYNTAX, WRONGTYPE, wrongArity } from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import { type ScanSource, scanCursorOrReply, scanGeneric } from "./scan";
import type { CommandDef, EngineParam } from "./table";

const HASH_WRONGTYPE = -1;
const HASH_NOT_INT = -2;
const HASH_OVERFLOW = -3;
const enc = new TextEncoder();
const HSET = enc.encode("HSET");

/** Address of argv entry i in the engine's argv table (for calls that walk argv in WASM). */
function argvAt(c: Client, i: number): number {
  return (c.argvBase + 2 * i) << 2;
}

/** The hash at argv[i], 0 when missing, -1 after replying WRONGTYPE. */
function lookupHash(c: Client, i: number, flags: number): number {
  const o = c.e.x.lookupKey(c.db, c.argPtr(i), c.argLen(i), flags);
  if (o !== 0 && c.e.objType(o) !== OBJ_HASH) {
    c.reply.error(WRONGTYPE);
    return -1;
  }
  return o;
}

/** Replies `n` collected items (bulk strings) from the engine's item table. */
function replyItems(c: Client, from: number, n: number): void {
  const e = c.e;
  e.refresh();
  const base = (e.x.hashItems() >> 2) + from * 2;
  for (let i = 0; i < n; i++) c.reply.bulkFrom(e.u8, e.u32[base + 2 * i], e.u32[base + 2 * i + 1]);
}

function hsetGeneric(c: Client): number | null {
  if (c.argc % 2 === 1) {
    c.reply.error(wrongArity(c.server.currentCommandName));
    return null;
  }
  const added = c.e.x.hsetArgv(c.db, c.argPtr(1), c.argLen(1), argvAt(c, 2), (c.argc - 2) / 2, 0);
  c.e.refresh();
  if (added === HASH_WRONGTYPE) {
    c.reply.error(WRONGTYPE);
    return null;
  }
  signalModifiedKey(c, 1);
  c.server.dirty += (c.argc - 2) / 2;
  return added;
}

// HSET key field value [field value ...]
function hset(c: Client): void {
  const added = hsetGeneric(c);
  if (added !== null) c.reply.int(added);
}

// HMSET key field value [field value ...]
function hmset(c: Client): void {
  if (hsetGeneric(c) !== null) c.reply.ok();
}

// HSETNX key field value
function hsetnx(c: Client): void {
  const added = c.e.x.hsetArgv(c.db, c.argPtr(1), c.argLen(1), argvAt(c, 2), 1, 1);
  c.e.refresh();
  if (added === HASH_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (added > 0) {
    signalModifiedKey(c, 1);
    c.server.dirty++;
  }
  c.reply.int(added);
}

/** Replies a field's value or nil. */
function replyField(c: Client, o: number, f: number): void {
  const e = c.e;
  const v = e.x.hashGet(o, c.argPtr(f), c.argLen(f));
  if (v === 0) return c.reply.nil();
  c.reply.bulkFrom(e.u8, v, e.retI32(0));
}

// HGET key field
function hget(c: Client): void {
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.nil();
  replyField(c, o, 2);
}

// HMGET key field [field ...]
function hmget(c: Client): void {
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.array(c.argc - 2);
  for (let i = 2; i < c.argc; i++) {
    if (o === 0) c.reply.nil();
    else replyField(c, o, i);
  }
}

// HDEL key field [field ...]
function hdel(c: Client): void {
  const o = lookupHash(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  if (o === 0) return c.reply.int(0);
  const removed = c.e.x.hdelArgv(c.db, c.argPtr(1), c.argLen(1), o, argvAt(c, 2), c.argc - 2);
  c.e.refresh();
  if (removed > 0) {
    signalModifiedKey(c, 1);
    c.server.dirty += removed;
  }
  c.reply.int(removed);
}

// HEXISTS key field
function hexists(c: Client): void {
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o !== 0 && c.e.x.hashExists(o, c.argPtr(2), c.argLen(2)) ? 1 : 0);
}

// HLEN key
function hlen(c: Client): void {
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  c.reply.int(o === 0 ? 0 : c.e.x.hashLength(o));
}

// HSTRLEN key field
function hstrlen(c: Client): void {
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.int(0);
  c.reply.int(c.e.x.hashGet(o, c.argPtr(2), c.argLen(2)) === 0 ? 0 : c.e.retI32(0));
}

/** HKEYS, HVALS, HGETALL (Redis's genericHgetallCommand). */
function getallGeneric(c: Client, fields: boolean, values: boolean): void {
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) {
    if (fields && values) c.reply.map(0);
    else c.reply.array(0);
    return;
  }
  const n = c.e.x.hashCollect(o, fields ? 1 : 0, values ? 1 : 0);
  if (fields && values) c.reply.map(n / 2);
  else c.reply.array(n);
  replyItems(c, 0, n);
}

// HKEYS key
function hkeys(c: Client): void {
  getallGeneric(c, true, false);
}

// HVALS key
function hvals(c: Client): void {
  getallGeneric(c, false, true);
}

// HGETALL key
function hgetall(c: Client): void {
  getallGeneric(c, true, true);
}

// HINCRBY key field increment
function hincrby(c: Client): void {
  const v = c.argI64(3);
  if (v === null) return c.reply.error(NOT_INTEGER);
  const d = BigInt.asUintN(64, BigInt(v));
  const r = c.e.x.hashIncrBy(
    c.db,
    c.argPtr(1),
    c.argLen(1),
    c.argPtr(2),
    c.argLen(2),
    Number(d & 0xffffffffn),
    Number(BigInt.asIntN(32, d >> 32n)),
  );
  c.e.refresh();
  if (r === HASH_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (r === HASH_NOT_INT) return c.reply.error("ERR hash value is not an integer");
  if (r === HASH_OVERFLOW) return c.reply.error(OVERFLOW);
  signalModifiedKey(c, 1);
  c.server.dirty++;
  c.reply.int(c.e.retI64());
}

// HINCRBYFLOAT key field increment
function hincrbyfloat(c: Client): void {
  const incr = parseLongDouble(c.arg(3));
  if (incr === null) return c.reply.error(NOT_FLOAT);
  if (!isFiniteLD(incr)) return c.reply.error("ERR value is NaN or Infinity");
  const e = c.e;
  let o = lookupHash(c, 1, LOOKUP_WRITE);
  if (o < 0) return;
  let value = longDoubleFromInt(0);
  if (o !== 0) {
    const p = e.x.hashGet(o, c.argPtr(2), c.argLen(2));
    if (p !== 0) {
      const bytes = e.u8.subarray(p, p + e.retI32(0));
      const asInt = parseI64(bytes);
      const parsed = asInt !== null ? longDoubleFromInt(asInt) : parseLongDouble(bytes);
      if (parsed === null) return c.reply.error("ERR hash value is not a float");
      value = parsed;
    }
  }
  const sum = addLongDouble(value, incr);
  if (!isFiniteLD(sum)) return c.reply.error(NAN_OR_INF);
  const text = enc.encode(formatLongDoubleHuman(sum));
  if (o === 0) {
    o = e.x.hashNew();
    e.x.dbSetValue(c.db, c.argPtr(1), c.argLen(1), o, 0);
  }
  const vp = e.copyIn(text);
  e.x.hashSetField(o, c.argPtr(2), c.argLen(2), vp, text.length);
  e.refresh();
  signalModifiedKey(c, 1);
  c.server.dirty++;
  c.reply.bulk(text);
  // Replicas and the AOF get the result, not the float arithmetic (which may differ across machines).
  if (c.server.propagating()) c.rewritten = [HSET, c.argCopy(1), c.argCopy(2), text];
}

/** Redis's -LONG_MAX..LONG_MAX range for HRANDFIELD's count. */
const LONG_MAX = 9223372036854775807n;

// HRANDFIELD key [count [WITHVALUES]]
function hrandfield(c: Client): void {
  if (c.argc === 2) return hrandfieldOne(c);
  if (c.argc > 4 || (c.argc === 4 && !c.argIs(3, "WITHVALUES"))) return c.reply.error(SYNTAX);
  const withValues = c.argc === 4;
  const raw = c.argI64(2);
  if (raw === null) return c.reply.error(NOT_INTEGER);
  if (BigInt(raw) < -LONG_MAX) {
    return c.reply.error(`ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
  }
  const count = BigInt(raw);
  // Doubling a huge negative count for the values would overflow a long.
  if (withValues && count < -LONG_MAX / 2n) return c.reply.error("ERR value is out of range");
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0 || count === 0n) return c.reply.array(0);
  const allowRepeats = count < 0n;
  const abs = allowRepeats ? -count : count;
  const size = c.e.x.hashLength(o);
  const wanted = !allowRepeats && abs >= BigInt(size) ? size : Number(abs > 0xffffffffn ? 0xffffffffn : abs);
  const n = c.e.x.hashRandom(o, wanted, allowRepeats ? 1 : 0, withValues ? 1 : 0);
  c.e.refresh();
  if (!withValues) {
    c.reply.array(n);
    return replyItems(c, 0, n);
  }
  // RESP3 pairs each field with its value; RESP2 flattens them.
  if (c.resp === 3) {
    c.reply.array(n / 2);
    for (let i = 0; i < n; i += 2) {
      c.reply.array(2);
      replyItems(c, i, 2);
    }
  } else {
    c.reply.array(n);
    replyItems(c, 0, n);
  }
}

function hrandfieldOne(c: Client): void {
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) return c.reply.nil();
  c.e.x.hashRandom(o, 1, 1, 0);
  replyItems(c, 0, 1);
}

/** A hash as a scan source: field, value pairs (a listpack whole, cursor 0). */
const hashScan: ScanSource = {
  stride: 2,
  collect(c, o, cursor, opts, page) {
    const e = c.e;
    const n = e.x.hashScan(o, cursor, opts.count);
    const next = e.retI32(1);
    e.refresh();
    const base = e.x.hashItems() >> 2;
    for (let i = 0; i < n; i++) page.push(e.u32[base + 2 * i], e.u32[base + 2 * i + 1]);
    return next;
  },
};

// HSCAN key cursor [MATCH pattern] [COUNT count]
function hscan(c: Client): void {
  const cursor = scanCursorOrReply(c, 2);
  if (cursor === null) return;
  const o = lookupHash(c, 1, LOOKUP_READ);
  if (o < 0) return;
  if (o === 0) {
    c.reply.array(2);
    c.reply.bulkStr("0");
    return c.reply.array(0);
  }
  scanGeneric(c, o, cursor, 3, hashScan);
}

export const hashCommands: CommandDef[] = [
  { name: "hset", handler: hset },
  { name: "hmset", handler: hmset },
  { name: "hsetnx", handler: hsetnx },
  { name: "hget", handler: hget },
  { name: "hmget", handler: hmget },
  { name: "hdel", handler: hdel },
  { name: "hexists", handler: hexists },
  { name: "hlen", handler: hlen },
  { name: "hstrlen", handler: hstrlen },
  { name: "hkeys", handler: hkeys },
  { name: "hvals", handler: hvals },
  { name: "hgetall", handler: hgetall },
  { name: "hincrby", handler: hincrby },
  { name: "hincrbyfloat", handler: hincrbyfloat },
  { name: "hrandfield", handler: hrandfield },
  { name: "hscan", handler: hscan },
];

/** The listpack limits the engine enforces, kept in step with the config. */
export const hashEngineParams: EngineParam[] = [
  {
    names: ["hash-max-listpack-entries", "hash-max-listpack-value"],
    apply: (e, config) =>
      e.x.setHashLimits(
        Math.min(config.int("hash-max-listpack-entries"), 0xffffffff),
        Math.min(config.int("hash-max-listpack-value"), 0xffffffff),
      ),
  },
];
