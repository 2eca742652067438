// Key expiry commands (Redis's expire.c): EXPIRE, PEXPIRE, EXPIREAT,
// PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
//
// Expire times are absolute Unix times in ms, as the engine keeps them, and
// are handled as bigint: Redis's overflow checks are on the full int64 range.

import { LOOKUP_NOTOUCH, LOOKUP_WRITE } from "../engine/engine";
import type { Client } from "../server/client";
import { cString, invalidExpire, NOT_INTEGER } from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef } from "./table";

const enc = new TextEncoder();
const PEXPIREAT_BYTES = enc.encode("PEXPIREAT");
const DEL_BYTES = enc.encode("DEL");
const UNLINK_BYTES = enc.encode("UNLINK");
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/**
 * Redis's strcasecmp(argv[i]->ptr, token): the argument as a C string, so
 * it ends at its first NUL byte. `token` is lower-case ASCII.
 */
export function cStringIs(c: Client, i: number, token: string): boolean {
  const b = c.arg(i);
  let n = b.indexOf(0);
  if (n < 0) n = b.length;
  if (n !== token.length) return false;
  for (let k = 0; k < n; k++) {
    let ch = b[k];
    if (ch >= 65 && ch <= 90) ch += 32;
    if (ch !== token.charCodeAt(k)) return false;
  }
  return true;
}

// ── EXPIRE family ────────────────────────────────────────────────────────────

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;
const FLAG_TOKENS: [string, number][] = [
  ["nx", EXPIRE_NX],
  ["xx", EXPIRE_XX],
  ["gt", EXPIRE_GT],
  ["lt", EXPIRE_LT],
];

/** Redis's parseExtendedExpireArgumentsOrReply: the NX/XX/GT/LT flags, or null after replying. */
function expireFlagsOrReply(c: Client): number | null {
  let flags = 0;
  for (let j = 3; j < c.argc; j++) {
    const f = FLAG_TOKENS.find(([token]) => cStringIs(c, j, token));
    if (f === undefined) {
      c.reply.error(`ERR Unsupported option ${cString(c.arg(j), Number.POSITIVE_INFINITY)}`);
      return null;
    }
    flags |= f[1];
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return null;
  }
  if ((flags & EXPIRE_GT) !== 0 && (flags & EXPIRE_LT) !== 0) {
    c.reply.error("ERR GT and LT options at the same time are not compatible");
    return null;
  }
  return flags;
}

/**
 * The expire time argument as absolute ms, or null after replying. Redis
 * accepts negative times (they delete the key) and refuses only what
 * overflows int64 in the unit conversion or the addition of `basetime`.
 */
function expireTimeOrReply(c: Client, basetime: bigint, seconds: boolean): bigint | null {
  const raw = c.argI64(2);
  if (raw === null) {
    c.reply.error(NOT_INTEGER);
    return null;
  }
  let when = BigInt(raw);
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return expireTimeError(c);
    when *= 1000n;
  }
  if (when > LLONG_MAX - basetime) return expireTimeError(c);
  return when + basetime;
}

function expireTimeError(c: Client): null {
  c.reply.error(invalidExpire(c.server.currentCommandName));
  return null;
}

/** Whether NX/XX/GT/LT let `when` replace the key's current expire (-1: none, an infinite TTL). */
function flagsAllow(flags: number, current: bigint, when: bigint): boolean {
  if ((flags & EXPIRE_NX) !== 0 && current !== -1n) return false;
  if ((flags & EXPIRE_XX) !== 0 && current === -1n) return false;
  if ((flags & EXPIRE_GT) !== 0 && (current === -1n || when <= current)) return false;
  if ((flags & EXPIRE_LT) !== 0 && current !== -1n && when >= current) return false;
  return true;
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (Redis's expireGenericCommand).
 * `relative` adds the current time. A time already past deletes the key
 * (propagated as DEL) unless this is a replica, which waits for its
 * master's DEL; otherwise the effect propagates as PEXPIREAT with the
 * absolute time and the original flags.
 */
function expireGeneric(c: Client, relative: boolean, seconds: boolean): void {
  const flags = expireFlagsOrReply(c);
  if (flags === null) return;
  const now = BigInt(Date.now());
  const when = expireTimeOrReply(c, relative ? now : 0n, seconds);
  if (when === null) return;
  const x = c.e.x;
  const kp = c.argPtr(1);
  const kl = c.argLen(1);
  if (x.lookupKey(c.db, kp, kl, LOOKUP_WRITE) === 0) return c.reply.int(0);
  if (flags !== 0 && !flagsAllow(flags, x.getExpire(c.db, kp, kl), when)) return c.reply.int(0);
  if (when <= now && c.server.masterHost === null) {
    x.dbDelete(c.db, kp, kl);
    const lazy = c.server.config.bool("lazyfree-lazy-expire");
    if (c.server.propagating()) c.rewritten = [lazy ? UNLINK_BYTES : DEL_BYTES, c.argCopy(1)];
  } else {
    x.setExpire(c.db, kp, kl, when);
    c.e.refresh();
    // PEXPIREAT already says what it does; the others are rewritten to it.
    if (c.server.propagating() && c.server.currentCommandName !== "pexpireat") {
      const args = c.argvCopy();
      args[0] = PEXPIREAT_BYTES;
      args[2] = enc.encode(String(when));
      c.rewritten = args;
    }
  }
  signalModifiedKey(c, 1);
  c.server.dirty++;
  c.reply.int(1);
}

// EXPIRE key seconds [NX | XX | GT | LT]
function expire(c: Client): void {
  expireGeneric(c, true, true);
}

// PEXPIRE key milliseconds [NX | XX | GT | LT]
function pexpire(c: Client): void {
  expireGeneric(c, true, false);
}

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
function expireat(c: Client): void {
  expireGeneric(c, false, true);
}

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
function pexpireat(c: Client): void {
  expireGeneric(c, false, false);
}

// ── TTL family, PERSIST ──────────────────────────────────────────────────────

/**
 * TTL, PTTL, EXPIRETIME, PEXPIRETIME (Redis's ttlGenericCommand): -2 for a
 * missing key, -1 without an expire, else the remaining (or absolute) time,
 * never below 0. Seconds are rounded to the nearest.
 */
function ttlGeneric(c: Client, ms: boolean, absolute: boolean): void {
  const x = c.e.x;
  const kp = c.argPtr(1);
  const kl = c.argLen(1);
  if (x.lookupKey(c.db, kp, kl, LOOKUP_NOTOUCH) === 0) return c.reply.int(-2);
  const when = x.getExpire(c.db, kp, kl);
  if (when === -1n) return c.reply.int(-1);
  let ttl = absolute ? when : when - BigInt(Date.now());
  if (ttl < 0n) ttl = 0n;
  if (!ms) ttl = (ttl + 500n) / 1000n;
  c.reply.int(Number.isSafeInteger(Number(ttl)) ? Number(ttl) : ttl);
}

// TTL key
function ttl(c: Client): void {
  ttlGeneric(c, false, false);
}

// PTTL key
function pttl(c: Client): void {
  ttlGeneric(c, true, false);
}

// EXPIRETIME key
function expiretime(c: Client): void {
  ttlGeneric(c, false, true);
}

// PEXPIRETIME key
function pexpiretime(c: Client): void {
  ttlGeneric(c, true, true);
}

// PERSIST key
function persist(c: Client): void {
  const x = c.e.x;
  const kp = c.argPtr(1);
  const kl = c.argLen(1);
  if (x.lookupKey(c.db, kp, kl, LOOKUP_WRITE) === 0 || !x.removeExpire(c.db, kp, kl)) return c.reply.int(0);
  signalModifiedKey(c, 1);
  c.server.dirty++;
  c.reply.int(1);
}

export const expireCommands: CommandDef[] = [
  { name: "expire", handler: expire },
  { name: "pexpire", handler: pexpire },
  { name: "expireat", handler: expireat },
  { name: "pexpireat", handler: pexpireat },
  { name: "ttl", handler: ttl },
  { name: "pttl", handler: pttl },
  { name: "expiretime", handler: expiretime },
  { name: "pexpiretime", handler: pexpiretime },
  { name: "persist", handler: persist },
];
