// Generic keyspace commands (Redis's db.c and expire.c): DEL, UNLINK, EXISTS.

import { LOOKUP_READ } from "../engine/engine";
import type { Client } from "../server/client";
import { SYNTAX } from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef } from "./table";

/** Deletes every key in argv[1..]; returns how many existed. Lazy expiry runs first, as in Redis. */
function delGeneric(c: Client): number {
  const x = c.e.x;
  let deleted = 0;
  for (let i = 1; i < c.argc; i++) {
    x.expireIfNeeded(c.db, c.argPtr(i), c.argLen(i), 0);
    if (x.dbDelete(c.db, c.argPtr(i), c.argLen(i))) {
      signalModifiedKey(c, i);
      deleted++;
    }
  }
  c.server.dirty += deleted;
  return deleted;
}

// DEL key [key ...]
function del(c: Client): void {
  c.reply.int(delGeneric(c));
}

// UNLINK key [key ...]
function unlink(c: Client): void {
  c.reply.int(delGeneric(c));
}

// EXISTS key [key ...]
function exists(c: Client): void {
  const x = c.e.x;
  let n = 0;
  for (let i = 1; i < c.argc; i++) {
    if (x.lookupKey(c.db, c.argPtr(i), c.argLen(i), LOOKUP_READ) !== 0) n++;
  }
  c.reply.int(n);
}

/** FLUSHDB/FLUSHALL's optional ASYNC|SYNC; false after replying a syntax error. */
function flushModeOk(c: Client): boolean {
  if (c.argc === 1) return true;
  if (c.argc === 2 && (c.argIs(1, "ASYNC") || c.argIs(1, "SYNC"))) return true;
  c.reply.error(SYNTAX);
  return false;
}

function flushDb(c: Client, db: number): void {
  c.server.dirty += c.e.x.dbSize(db);
  c.e.x.flushDb(db);
  c.server.touchAllWatchedKeysInDb(db);
}

// FLUSHDB [ASYNC | SYNC]
function flushdb(c: Client): void {
  if (!flushModeOk(c)) return;
  flushDb(c, c.db);
  c.reply.ok();
}

// FLUSHALL [ASYNC | SYNC]
function flushall(c: Client): void {
  if (!flushModeOk(c)) return;
  const n = c.server.config.int("databases");
  for (let db = 0; db < n; db++) flushDb(c, db);
  // Redis counts a FLUSHALL as one more change so it is always propagated and saved.
  c.server.dirty++;
  c.reply.ok();
}

export const keyspaceCommands: CommandDef[] = [
  { name: "flushdb", handler: flushdb },
  { name: "flushall", handler: flushall },
  { name: "del", handler: del },
  { name: "unlink", handler: unlink },
  { name: "exists", handler: exists },
];
