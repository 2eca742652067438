// The host side of the engine's fast path (assembly/fastpath.ts): when
// nothing but the command itself has to happen, runs of GET, SET key value,
// INCR, DECR, PING, LPUSH, RPUSH, LPOP, RPOP (no count), SADD and HSET
// execute inside the engine in one call per run, and their replies are
// copied into the client's writer in one piece.

import type { CommandTable } from "../commands/table";
import type { Engine } from "../engine/engine";
import {
  CLIENT_BLOCKED,
  CLIENT_CLOSE_AFTER_REPLY,
  CLIENT_CLOSE_ASAP,
  CLIENT_MONITOR,
  CLIENT_MULTI,
  type Client,
  REPLY_ON,
} from "./client";

/** Kinds the engine knows (assembly/fastpath.ts KIND_*). */
const KINDS: Record<string, number> = {
  get: 1,
  set: 2,
  incr: 3,
  decr: 4,
  ping: 5,
  lpush: 6,
  rpush: 7,
  lpop: 8,
  rpop: 9,
  sadd: 10,
  hset: 11,
};

/** Client states in which every command must go through the dispatcher. */
const SLOW_FLAGS = CLIENT_MULTI | CLIENT_MONITOR | CLIENT_BLOCKED | CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP;

/** Tells the engine which command ids the fast path may run. */
export function registerFastPath(e: Engine, table: CommandTable): number[] {
  const ids: number[] = [];
  table.byId.forEach((cmd, id) => {
    const kind = KINDS[cmd.fullname];
    if (kind !== undefined) {
      e.x.fastRegister(id, kind);
      ids.push(id);
    }
  });
  return ids;
}

/** Whether this client's next commands may take the fast path. */
export function fastPathOpen(c: Client): boolean {
  const srv = c.server;
  return (
    c.authenticated &&
    (c.flags & SLOW_FLAGS) === 0 &&
    c.replyMode === REPLY_ON &&
    !c.isMaster &&
    srv.fastPathServerOpen()
  );
}

/**
 * Runs fast-path commands from pos; returns the position of the first
 * command left for the dispatcher (or n). When the engine stopped at a
 * complete command, that command's argv is loaded and `framedEnd` is where
 * it ends, so the caller runs it without framing it again. Counters the
 * dispatcher would have kept are credited from what the engine reports.
 */
export function runFastPath(c: Client, arena: number, n: number, pos: number): number {
  const srv = c.server;
  const e = c.e;
  const next = e.x.runFast(arena, n, pos, srv.protoMaxBulkLen, c.db, c.resp === 3 ? 1 : 0);
  e.refresh();
  const info = e.x.fastInfoPtr() >> 2;
  framedEnd = e.i32[info + 4];
  const ran = e.u32[info + 1];
  if (ran === 0) return next;
  const out = e.x.fastOutPtr();
  c.reply.raw(e.u8.subarray(out, out + e.u32[info]));
  srv.stats.commands += ran;
  srv.dirty += e.u32[info + 2];
  const table = srv.table;
  c.lastCommand = table.byId[e.i32[info + 3]].fullname;
  creditCalls(e, table, srv.fastPathIds);
  return next;
}

/** End of the command the last runFastPath stopped at, already framed; 0 when none. */
export let framedEnd = 0;

/** Moves the engine's per-command call counts into the table's INFO commandstats counters. */
function creditCalls(e: Engine, table: CommandTable, ids: readonly number[]): void {
  const base = e.x.fastCallsPtr() >> 2;
  for (const id of ids) {
    const n = e.u32[base + id];
    if (n !== 0) {
      table.byId[id].calls += n;
      e.u32[base + id] = 0;
    }
  }
}
