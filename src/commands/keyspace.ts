// Generic keyspace commands (Redis's db.c and expire.c): DEL, UNLINK, EXISTS.

import { LOOKUP_READ } from "../engine/engine";
import type { Client } from "../server/client";
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

export const keyspaceCommands: CommandDef[] = [
  { name: "del", handler: del },
  { name: "unlink", handler: unlink },
  { name: "exists", handler: exists },
];
