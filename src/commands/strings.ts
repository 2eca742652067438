// String commands (Redis's t_string.c): GET, SET and its variants, MGET,
// MSET, MSETNX, INCR family, APPEND, STRLEN, GETDEL, GETEX.

import {
  LOOKUP_READ,
  LOOKUP_WRITE,
  OBJ_HEADER,
  OBJ_STRING,
  STR_NOT_INT,
  STR_OVERFLOW,
  STR_TOO_BIG,
  STR_WRONGTYPE,
} from "../engine/engine";
import type { Client } from "../server/client";
import { invalidExpire, NOT_INTEGER, OVERFLOW, STRING_TOO_BIG, WRONGTYPE, wrongArity } from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import { grammar, type Options, parseOptions } from "./options";
import type { CommandDef } from "./table";

const NO_EXPIRE = -1n;
const enc = new TextEncoder();
const SET_BYTES = enc.encode("SET");
const PXAT_BYTES = enc.encode("PXAT");
const DEL_BYTES = enc.encode("DEL");
const PERSIST_BYTES = enc.encode("PERSIST");
const PEXPIREAT_BYTES = enc.encode("PEXPIREAT");

/** Replies the string value of an object: shared by GET, MGET, GETSET... */
export function replyString(c: Client, o: number): void {
  const e = c.e;
  if (e.objEncoding(o) === 1) c.reply.bulk(e.stringBytes(o));
  else c.reply.bulkFrom(e.u8, o + OBJ_HEADER, e.stringLength(o));
}

// GET key
function get(c: Client): void {
  const o = c.e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.nil();
  if (c.e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  replyString(c, o);
}

/**
 * GET for commands with a GET-like reply (SET ... GET, GETSET, GETDEL,
 * GETEX): replies the value or nil and returns true, or replies WRONGTYPE
 * and returns false (Redis's getGenericCommand).
 */
function getGeneric(c: Client): boolean {
  const o = c.e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) {
    c.reply.nil();
    return true;
  }
  if (c.e.objType(o) !== OBJ_STRING) {
    c.reply.error(WRONGTYPE);
    return false;
  }
  replyString(c, o);
  return true;
}

// ── Expire arguments ─────────────────────────────────────────────────────────

export const UNIT_SECONDS = 0;
export const UNIT_MS = 1;
const LLONG_MAX = 9223372036854775807n;

/**
 * Turns an expire argument into an absolute ms time (Redis's
 * getExpireMillisecondsOrReply): not an integer → NOT_INTEGER; ≤ 0 or
 * overflowing → "invalid expire time in '<cmd>' command". Returns null after
 * replying the error.
 */
export function expireAtOrReply(c: Client, argIndex: number, unit: number, absolute: boolean): bigint | null {
  const raw = c.argI64(argIndex);
  if (raw === null) {
    c.reply.error(NOT_INTEGER);
    return null;
  }
  let ms = BigInt(raw);
  const name = c.server.currentCommandName;
  if (ms <= 0n) {
    c.reply.error(invalidExpire(name));
    return null;
  }
  if (unit === UNIT_SECONDS) {
    if (ms > LLONG_MAX / 1000n) {
      c.reply.error(invalidExpire(name));
      return null;
    }
    ms *= 1000n;
  }
  if (!absolute) {
    const now = BigInt(Date.now());
    if (ms > LLONG_MAX - now) {
      c.reply.error(invalidExpire(name));
      return null;
    }
    ms += now;
  }
  return ms;
}

// ── SET family ───────────────────────────────────────────────────────────────

const SET_GRAMMAR = grammar([
  { token: "NX", group: "cond" },
  { token: "XX", group: "cond" },
  { token: "GET" },
  { token: "KEEPTTL", group: "ttl" },
  { token: "EX", group: "ttl", arg: true },
  { token: "PX", group: "ttl", arg: true },
  { token: "EXAT", group: "ttl", arg: true },
  { token: "PXAT", group: "ttl", arg: true },
]);

type ReplyStyle = "ok" | "int";

/**
 * The write shared by SET, SETNX, SETEX, PSETEX (Redis's setGenericCommand).
 * `ttl` is the expire option in effect: its token and argv index.
 */
function setGeneric(c: Client, opts: Options | null, style: ReplyStyle, keyIdx = 1, valIdx = 2): void {
  const cond = opts?.get("cond")?.token;
  const ttl = opts?.get("ttl");
  const withGet = opts?.has("GET") ?? false;
  let expireAt = NO_EXPIRE;
  if (ttl !== undefined && ttl.token !== "KEEPTTL") {
    const unit = ttl.token === "EX" || ttl.token === "EXAT" ? UNIT_SECONDS : UNIT_MS;
    const at = expireAtOrReply(c, ttl.argIndex, unit, ttl.token === "EXAT" || ttl.token === "PXAT");
    if (at === null) return;
    expireAt = at;
  }
  if (withGet && !getGeneric(c)) return;
  const e = c.e;
  if (cond !== undefined) {
    const found = e.x.lookupKey(c.db, c.argPtr(keyIdx), c.argLen(keyIdx), LOOKUP_WRITE) !== 0;
    if ((cond === "NX" && found) || (cond === "XX" && !found)) {
      if (!withGet) style === "int" ? c.reply.int(0) : c.reply.nil();
      return;
    }
  }
  e.x.setString(
    c.db,
    c.argPtr(keyIdx),
    c.argLen(keyIdx),
    c.argPtr(valIdx),
    c.argLen(valIdx),
    ttl?.token === "KEEPTTL" ? 1 : 0,
    expireAt,
  );
  e.refresh();
  c.server.dirty++;
  signalModifiedKey(c, keyIdx);
  if (expireAt !== NO_EXPIRE && c.server.propagating()) {
    // Persist effects, not requests: a relative TTL becomes an absolute one.
    c.rewritten = [SET_BYTES, c.argCopy(keyIdx), c.argCopy(valIdx), PXAT_BYTES, enc.encode(String(expireAt))];
  }
  if (!withGet) style === "int" ? c.reply.int(1) : c.reply.ok();
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
function set(c: Client): void {
  if (c.argc === 3) {
    // The common case, with no option to parse.
    c.e.x.setString(c.db, c.argPtr(1), c.argLen(1), c.argPtr(2), c.argLen(2), 0, NO_EXPIRE);
    c.server.dirty++;
    signalModifiedKey(c, 1);
    c.reply.ok();
    return;
  }
  const opts = parseOptions(c, 3, SET_GRAMMAR);
  if (opts === null) return;
  setGeneric(c, opts, "ok");
}

// SETNX key value
function setnx(c: Client): void {
  setGeneric(c, new Map([["cond", { token: "NX", argIndex: -1 }]]), "int");
}

// SETEX key seconds value
function setex(c: Client): void {
  setGeneric(c, new Map([["ttl", { token: "EX", argIndex: 2 }]]), "ok", 1, 3);
}

// PSETEX key milliseconds value
function psetex(c: Client): void {
  setGeneric(c, new Map([["ttl", { token: "PX", argIndex: 2 }]]), "ok", 1, 3);
}

// GETSET key value
function getset(c: Client): void {
  if (!getGeneric(c)) return;
  c.e.x.setString(c.db, c.argPtr(1), c.argLen(1), c.argPtr(2), c.argLen(2), 0, NO_EXPIRE);
  c.server.dirty++;
  signalModifiedKey(c, 1);
  if (c.server.propagating()) c.rewritten = [SET_BYTES, c.argCopy(1), c.argCopy(2)];
}

// GETDEL key
function getdel(c: Client): void {
  const e = c.e;
  const o = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.nil();
  if (e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  replyString(c, o);
  e.x.dbDelete(c.db, c.argPtr(1), c.argLen(1));
  c.server.dirty++;
  signalModifiedKey(c, 1);
  if (c.server.propagating()) c.rewritten = [DEL_BYTES, c.argCopy(1)];
}

const GETEX_GRAMMAR = grammar([
  { token: "PERSIST", group: "ttl" },
  { token: "EX", group: "ttl", arg: true },
  { token: "PX", group: "ttl", arg: true },
  { token: "EXAT", group: "ttl", arg: true },
  { token: "PXAT", group: "ttl", arg: true },
]);

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
function getex(c: Client): void {
  const opts = parseOptions(c, 2, GETEX_GRAMMAR);
  if (opts === null) return;
  const ttl = opts.get("ttl");
  let expireAt = NO_EXPIRE;
  if (ttl !== undefined && ttl.token !== "PERSIST") {
    const unit = ttl.token === "EX" || ttl.token === "EXAT" ? UNIT_SECONDS : UNIT_MS;
    const at = expireAtOrReply(c, ttl.argIndex, unit, ttl.token === "EXAT" || ttl.token === "PXAT");
    if (at === null) return;
    expireAt = at;
  }
  const e = c.e;
  const kp = c.argPtr(1);
  const kl = c.argLen(1);
  const o = e.x.lookupKey(c.db, kp, kl, LOOKUP_READ);
  if (o === 0) return c.reply.nil();
  if (e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  replyString(c, o);
  if (expireAt !== NO_EXPIRE) {
    if (expireAt <= BigInt(Date.now())) {
      // An expire in the past deletes the key, propagated as DEL (Redis's checkAlreadyExpired).
      e.x.dbDelete(c.db, kp, kl);
      c.rewritten = [DEL_BYTES, c.argCopy(1)];
    } else {
      e.x.setExpire(c.db, kp, kl, expireAt);
      e.refresh();
      c.rewritten = [PEXPIREAT_BYTES, c.argCopy(1), enc.encode(String(expireAt))];
    }
    c.server.dirty++;
    signalModifiedKey(c, 1);
  } else if (ttl?.token === "PERSIST") {
    if (e.x.removeExpire(c.db, kp, kl)) {
      c.rewritten = [PERSIST_BYTES, c.argCopy(1)];
      c.server.dirty++;
      signalModifiedKey(c, 1);
    }
  }
}

// MGET key [key ...]
function mget(c: Client): void {
  const e = c.e;
  c.reply.array(c.argc - 1);
  for (let i = 1; i < c.argc; i++) {
    const o = e.x.lookupKey(c.db, c.argPtr(i), c.argLen(i), LOOKUP_READ);
    if (o === 0 || e.objType(o) !== OBJ_STRING) c.reply.nil();
    else replyString(c, o);
  }
}

// MSET key value [key value ...]
function mset(c: Client): void {
  if (c.argc % 2 === 0) return c.reply.error(wrongArity("mset"));
  msetGeneric(c);
  c.reply.ok();
}

// MSETNX key value [key value ...]
function msetnx(c: Client): void {
  if (c.argc % 2 === 0) return c.reply.error(wrongArity("msetnx"));
  for (let i = 1; i < c.argc; i += 2) {
    if (c.e.x.lookupKey(c.db, c.argPtr(i), c.argLen(i), LOOKUP_WRITE) !== 0) return c.reply.int(0);
  }
  msetGeneric(c);
  c.reply.int(1);
}

function msetGeneric(c: Client): void {
  const x = c.e.x;
  for (let i = 1; i < c.argc; i += 2) {
    x.setString(c.db, c.argPtr(i), c.argLen(i), c.argPtr(i + 1), c.argLen(i + 1), 0, NO_EXPIRE);
    signalModifiedKey(c, i);
  }
  c.e.refresh();
  c.server.dirty += (c.argc - 1) / 2;
}

// ── Counters ─────────────────────────────────────────────────────────────────

/** The i64 delta split into the (lo, hi) halves the engine takes, so no BigInt crosses into WASM. */
function incrGeneric(c: Client, delta: number | bigint): void {
  if (delta === 1 || delta === -1) return incrBy(c, delta === 1 ? 1 : 0xffffffff, delta === 1 ? 0 : -1);
  const d = BigInt.asUintN(64, BigInt(delta));
  incrBy(c, Number(d & 0xffffffffn), Number(BigInt.asIntN(32, d >> 32n)));
}

function incrBy(c: Client, lo: number, hi: number): void {
  const r = c.e.x.incrBy(c.db, c.argPtr(1), c.argLen(1), lo, hi);
  c.e.refresh();
  if (r === STR_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (r === STR_NOT_INT) return c.reply.error(NOT_INTEGER);
  if (r === STR_OVERFLOW) return c.reply.error(OVERFLOW);
  c.server.dirty++;
  signalModifiedKey(c, 1);
  c.reply.int(c.e.retI64());
}

// INCR key
function incr(c: Client): void {
  incrGeneric(c, 1);
}

// DECR key
function decr(c: Client): void {
  incrGeneric(c, -1);
}

// INCRBY key increment
function incrby(c: Client): void {
  const v = c.argI64(2);
  if (v === null) return c.reply.error(NOT_INTEGER);
  incrGeneric(c, v);
}

// DECRBY key decrement
function decrby(c: Client): void {
  const v = c.argI64(2);
  if (v === null) return c.reply.error(NOT_INTEGER);
  // Negating LLONG_MIN overflows: Redis refuses it.
  if (BigInt(v) === -9223372036854775808n) return c.reply.error("ERR decrement would overflow");
  incrGeneric(c, typeof v === "bigint" ? -v : -v);
}

// APPEND key value
function append(c: Client): void {
  const maxLen = c.server.protoMaxBulkLen;
  const r = c.e.x.appendString(c.db, c.argPtr(1), c.argLen(1), c.argPtr(2), c.argLen(2), maxLen);
  c.e.refresh();
  if (r === STR_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (r === STR_TOO_BIG) return c.reply.error(STRING_TOO_BIG);
  c.server.dirty++;
  signalModifiedKey(c, 1);
  c.reply.int(r);
}

// STRLEN key
function strlen(c: Client): void {
  const e = c.e;
  const o = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.int(0);
  if (e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  c.reply.int(e.stringLength(o));
}

export const stringCommands: CommandDef[] = [
  { name: "get", handler: get },
  { name: "set", handler: set },
  { name: "setnx", handler: setnx },
  { name: "setex", handler: setex },
  { name: "psetex", handler: psetex },
  { name: "getset", handler: getset },
  { name: "getdel", handler: getdel },
  { name: "getex", handler: getex },
  { name: "mget", handler: mget },
  { name: "mset", handler: mset },
  { name: "msetnx", handler: msetnx },
  { name: "incr", handler: incr },
  { name: "decr", handler: decr },
  { name: "incrby", handler: incrby },
  { name: "decrby", handler: decrby },
  { name: "append", handler: append },
  { name: "strlen", handler: strlen },
];
