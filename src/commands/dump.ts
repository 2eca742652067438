// DUMP and RESTORE (Redis's cluster.c): a value serialized as an RDB object
// followed by the RDB version (u16 LE) and a CRC64 of everything before it,
// byte-compatible with Redis in both directions. The engine serializes and
// parses (assembly/rdb.ts, assembly/rdb_load.ts); this file does options,
// keys, TTLs and propagation.

import { LOOKUP_READ, LOOKUP_WRITE } from "../engine/engine";
import type { Client } from "../server/client";
import {
  BAD_DATA_FORMAT,
  BUSYKEY,
  DUMP_PAYLOAD,
  INVALID_FREQ,
  INVALID_IDLETIME,
  INVALID_TTL,
  NOT_INTEGER,
  SYNTAX,
} from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef } from "./table";

const encoder = new TextEncoder();
const DEL = encoder.encode("DEL");
const ABSTTL = encoder.encode("ABSTTL");

// DUMP key
function dump(c: Client): void {
  const x = c.e.x;
  const o = x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.nil();
  const n = x.rdbDumpObject(o, c.server.config.bool("rdbcompression") ? 1 : 0);
  c.e.refresh();
  if (n < 0) return c.reply.error("ERR DUMP is not supported for this value's type yet");
  c.reply.bulkFrom(c.e.u8, x.rdbOutPtr(), n);
  x.rdbOutRelease();
}

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
  /** Seconds, or -1. */
  idle: number;
  /** 0..255, or -1. */
  freq: number;
}

/** RESTORE's options after the payload, with Redis's checks and messages; null after replying. */
function restoreOptionsOrReply(c: Client): RestoreOptions | null {
  const o: RestoreOptions = { replace: false, absttl: false, idle: -1, freq: -1 };
  for (let j = 4; j < c.argc; j++) {
    const more = c.argc - j - 1;
    if (c.argIs(j, "REPLACE")) {
      o.replace = true;
    } else if (c.argIs(j, "ABSTTL")) {
      o.absttl = true;
    } else if (c.argIs(j, "IDLETIME") && more >= 1 && o.freq === -1) {
      const v = c.argInt(++j);
      if (v === null) return replyNull(c, NOT_INTEGER);
      if (v < 0) return replyNull(c, INVALID_IDLETIME);
      o.idle = v;
    } else if (c.argIs(j, "FREQ") && more >= 1 && o.idle === -1) {
      const v = c.argInt(++j);
      if (v === null) return replyNull(c, NOT_INTEGER);
      if (v < 0 || v > 255) return replyNull(c, INVALID_FREQ);
      o.freq = v;
    } else {
      return replyNull(c, SYNTAX);
    }
  }
  return o;
}

function replyNull(c: Client, msg: string): null {
  c.reply.error(msg);
  return null;
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
function restore(c: Client): void {
  const x = c.e.x;
  const o = restoreOptionsOrReply(c);
  if (o === null) return;
  const kp = c.argPtr(1);
  const kl = c.argLen(1);
  if (!o.replace && x.lookupKey(c.db, kp, kl, LOOKUP_WRITE) !== 0) return c.reply.error(BUSYKEY);
  const raw = c.argI64(2);
  if (raw === null) return c.reply.error(NOT_INTEGER);
  let ttl = BigInt(raw);
  if (ttl < 0n) return c.reply.error(INVALID_TTL);
  if (!x.verifyDumpPayload(c.argPtr(3), c.argLen(3))) return c.reply.error(DUMP_PAYLOAD);
  const config = c.server.config;
  x.rdbLoadSetLimits(
    config.int("set-max-intset-entries"),
    config.int("hash-max-listpack-entries"),
    config.int("hash-max-listpack-value"),
    config.int("zset-max-listpack-entries"),
  );
  const obj = x.restoreObject(c.argPtr(3), c.argLen(3));
  c.e.refresh();
  if (obj === 0) return c.reply.error(BAD_DATA_FORMAT);

  const deleted = o.replace && x.dbDelete(c.db, kp, kl) !== 0;
  const now = Date.now();
  if (ttl !== 0n && !o.absttl) ttl += BigInt(now);
  if (ttl !== 0n && alreadyExpired(c, ttl, now)) return restoreExpired(c, obj, deleted);

  x.dbSetValue(c.db, kp, kl, obj, 0);
  if (ttl !== 0n) {
    x.setExpire(c.db, kp, kl, ttl);
    // Propagate the TTL as an absolute time, so replicas and the AOF agree.
    if (!o.absttl && c.server.propagating()) {
      const argv = c.argvCopy();
      argv[2] = encoder.encode(String(ttl));
      argv.push(ABSTTL);
      c.rewritten = argv;
    }
  }
  x.objectSetLRUOrLFU(obj, o.freq, o.idle, Math.floor(now / 1000) & 0xffffff);
  signalModifiedKey(c, 1);
  c.server.dirty++;
  c.reply.ok();
}

/** checkAlreadyExpired: a past deadline deletes instead, except while loading or on a replica. */
function alreadyExpired(c: Client, when: bigint, now: number): boolean {
  return when <= BigInt(now) && !c.server.loading && c.server.masterHost === null;
}

/** The key would expire at once: it is not created, and a replaced key is a DEL. */
function restoreExpired(c: Client, obj: number, deleted: boolean): void {
  c.e.x.freeObject(obj);
  if (deleted) {
    if (c.server.propagating()) c.rewritten = [DEL, c.argCopy(1)];
    signalModifiedKey(c, 1);
    c.server.dirty++;
  }
  c.reply.ok();
}

export const dumpCommands: CommandDef[] = [
  { name: "dump", handler: dump },
  { name: "restore", handler: restore },
];
