// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c).
//
// The dispatcher queues commands while a client is in MULTI and flags the
// transaction CLIENT_DIRTY_EXEC when one is refused at queue time; WATCHed
// keys are tracked by the Server, which flags CLIENT_DIRTY_CAS when one is
// touched. EXEC replays the queue through the dispatcher's call(), so every
// queued command gets the bookkeeping a direct call gets.

import type { Client } from "../server/client";
import { CLIENT_DIRTY_CAS, CLIENT_DIRTY_EXEC, CLIENT_MULTI, REPLY_OFF } from "../server/client";
import { call } from "./dispatch";
import { DISCARD_WITHOUT_MULTI, EXEC_WITHOUT_MULTI, EXECABORT, MULTI_NESTED } from "./errors";
import type { Command, CommandDef } from "./table";

/** Leaves the transaction: queue, flags and WATCHed keys (Redis's discardTransaction). */
function discardTransaction(c: Client): void {
  c.queue = [];
  c.flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC);
  c.server.unwatchAll(c);
}

/**
 * EXEC refused by the dispatcher (wrong arity, OOM, read-only replica...):
 * the transaction ends with EXECABORT carrying the reason (Redis's
 * execCommandAbort). Reasons Redis formats itself carry no "ERR " prefix.
 */
export function execAbort(c: Client, reason: string): void {
  discardTransaction(c);
  const why = reason.startsWith("ERR ") ? reason.slice(4) : reason;
  c.reply.error(`EXECABORT Transaction discarded because of: ${why}`);
}

// MULTI
function multi(c: Client): void {
  if (c.isMulti()) return c.reply.error(MULTI_NESTED);
  c.flags |= CLIENT_MULTI;
  c.reply.ok();
}

// DISCARD
function discard(c: Client): void {
  if (!c.isMulti()) return c.reply.error(DISCARD_WITHOUT_MULTI);
  discardTransaction(c);
  c.reply.ok();
}

// EXEC
function exec(c: Client): void {
  if (!c.isMulti()) return c.reply.error(EXEC_WITHOUT_MULTI);
  const srv = c.server;
  if (srv.watchedKeyExpired(c)) c.flags |= CLIENT_DIRTY_CAS;
  if ((c.flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) !== 0) {
    // A queue-time error is an error; a touched WATCHed key is a null reply.
    if ((c.flags & CLIENT_DIRTY_EXEC) !== 0) c.reply.error(EXECABORT);
    else c.reply.nilArray();
    return discardTransaction(c);
  }
  // Unwatch first: the transaction's own writes must not dirty it.
  srv.unwatchAll(c);
  const execArgv = c.argvCopy();
  const queue = c.queue;
  c.reply.array(queue.length);
  srv.beginExecPropagation();
  for (const q of queue) runQueued(c, q.args, q.cmd);
  // CLIENT_MULTI stays set while the queue runs, so blocking commands reply at once, as in Redis.
  discardTransaction(c);
  srv.endExecPropagation();
  restoreArgv(c, execArgv);
  // The queued commands propagated themselves; EXEC adds nothing.
  c.preventPropagation = true;
}

/** Runs one queued command as if it had just arrived. */
function runQueued(c: Client, args: Uint8Array[], cmd: Command): void {
  restoreArgv(c, args);
  const mark = c.reply.pos;
  call(c, cmd);
  c.e.refresh();
  // CLIENT REPLY OFF inside the transaction silences what follows it.
  if (c.replyMode === REPLY_OFF) c.reply.pos = mark;
}

function restoreArgv(c: Client, args: Uint8Array[]): void {
  c.e.loadArgv(args);
  c.argc = args.length;
  c.argvBase = c.e.x.argvPtr() >> 2;
  c.cmdId = -2;
}

// WATCH key [key ...]
function watch(c: Client): void {
  if (c.isMulti()) return c.reply.error("ERR WATCH inside MULTI is not allowed");
  // Once a WATCHed key was touched the EXEC will fail anyway: no point in watching more.
  if ((c.flags & CLIENT_DIRTY_CAS) === 0) {
    for (let j = 1; j < c.argc; j++) c.server.watchKey(c, c.db, c.arg(j));
  }
  c.reply.ok();
}

// UNWATCH
function unwatch(c: Client): void {
  c.server.unwatchAll(c);
  c.flags &= ~CLIENT_DIRTY_CAS;
  c.reply.ok();
}

export const multiCommands: CommandDef[] = [
  { name: "multi", handler: multi },
  { name: "exec", handler: exec },
  { name: "discard", handler: discard },
  { name: "watch", handler: watch },
  { name: "unwatch", handler: unwatch },
];
