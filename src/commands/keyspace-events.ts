// Hooks a command calls when it changes a key (Redis's signalModifiedKey):
// WATCH invalidation and waking clients blocked on the key (a write that
// creates a list serves BLPOP, as Redis's dbAdd signals ready keys); client
// tracking would hang off the same call.

import type { Client } from "../server/client";

/** The key in argv[argIndex] of database c.db was modified. */
export function signalModifiedKey(c: Client, argIndex: number): void {
  if (c.server.blocking.waiting) c.server.blocking.signal(c.db, c.arg(argIndex));
  if (c.server.watchedKeys.size === 0) return;
  c.server.touchWatchedKey(c.db, c.arg(argIndex));
}

/** A key given as bytes was modified in database db. */
export function signalModifiedKeyBytes(c: Client, db: number, key: Uint8Array): void {
  c.server.blocking.signal(db, key);
  if (c.server.watchedKeys.size === 0) return;
  c.server.touchWatchedKey(db, key);
}
