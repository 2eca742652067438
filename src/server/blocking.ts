// Blocking operations on keys (Redis's blocked.c): BLPOP and friends wait
// here until a key they watch holds data of their type, a timeout passes, or
// CLIENT UNBLOCK frees them.
//
//   waiters:  "db:key" ──▶ [Blocked, Blocked, ...]   in the order they blocked
//   byClient: Client ──▶ Blocked
//   ready:    keys signalled since the last serve, in signal order
//   timeouts: a min-heap of deadlines under one timer
//
// A write marks a key ready (signalKeyAsReady, called from signalModifiedKey);
// the keys are served once the writing command has finished (Server.execute),
// never in the middle of it: the engine's argv table, its scratch memory and
// the shared reply writer belong to the running command. Serving re-runs the
// blocked command with its saved argv narrowed to the ready key (so BLPOP a b
// served on b pops from b, as Redis 7.0 serves the key that became ready),
// under the client's own reply writer, and sends the reply to its socket.
// Blocked clients read no further commands until they are served: their
// input stays pending (the listener's postponed-input path) and is processed
// once they are unblocked.
//
// A blocking command (BZPOPMIN is written the same way as BLPOP):
//   const deadline = timeoutOrReply(c, timeoutIdx);      // replies the error itself
//   if (deadline === null) return;
//   ...serve at once when a key holds data...
//   if (denyBlocking(c)) return c.reply.nilArray();      // MULTI: an immediate timeout
//   const args = c.argvCopy();
//   blockForKeys(c, keys, OBJ_ZSET, deadline, (key) => [args[0], key, args[timeoutIdx]]);

import { call } from "../commands/dispatch";
import { latin1 } from "../commands/errors";
import type { Command } from "../commands/table";
import { LOOKUP_NOTOUCH, LOOKUP_WRITE } from "../engine/engine";
import { ReplyWriter } from "../resp/writer";
import { parseLongDouble } from "../util/numbers";
import { CLIENT_BLOCKED, type Client, REPLY_OFF } from "./client";
import type { Server } from "./server";

export const TIMEOUT_NEGATIVE = "ERR timeout is negative";
export const TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
const UNBLOCKED_ERROR = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
/** setTimeout's longest wait; later deadlines are re-armed when it fires. */
const MAX_TIMER_MS = 0x7fffffff;
/** (long long) of a long double past this is LLONG_MIN on x86, which Redis reports as negative. */
const LLONG_LIMIT = 2 ** 63;

/** What a blocked client waits for, and how to run it once a key is ready. */
export interface BlockSpec {
  /** Keys (kept copies) to watch in the client's database. */
  keys: Uint8Array[];
  /** Object type (OBJ_LIST, OBJ_ZSET...) a key must hold to serve this client. */
  type: number;
  /** Absolute deadline in ms, 0 for none. */
  deadline: number;
  /** The argv to run when `key` is ready: the blocking command, narrowed to that key. */
  rerun(key: Uint8Array): Uint8Array[];
}

interface Blocked extends BlockSpec {
  c: Client;
  db: number;
  cmd: Command;
  ids: string[];
}

interface ReadyKey {
  db: number;
  key: Uint8Array;
  id: string;
}

/** The clients waiting on one key, in the order they blocked. */
interface WaitList extends ReadyKey {
  list: Blocked[];
}

/** A min-heap of deadlines; entries of clients that left are skipped when they surface. */
class DeadlineHeap {
  private readonly items: { at: number; b: Blocked }[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): { at: number; b: Blocked } | undefined {
    return this.items[0];
  }

  push(at: number, b: Blocked): void {
    const a = this.items;
    a.push({ at, b });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= a[i].at) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  pop(): { at: number; b: Blocked } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].at < a[m].at) m = l;
        if (r < a.length && a[r].at < a[m].at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

export class Blocking {
  private readonly waiters = new Map<string, WaitList>();
  private readonly byClient = new Map<Client, Blocked>();
  private ready: ReadyKey[] = [];
  private readonly readyIds = new Set<string>();
  private readonly deadlines = new DeadlineHeap();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = 0;
  private serving = false;

  constructor(private readonly srv: Server) {}

  /** Whether any client waits on a key: writers skip signal() otherwise. */
  get waiting(): boolean {
    return this.waiters.size > 0;
  }

  /** Clients blocked right now (INFO's blocked_clients). */
  get blockedClients(): number {
    return this.byClient.size;
  }

  /** Keys with at least one client waiting (INFO keyspace's blocked keys). */
  get blockedKeys(): number {
    return this.waiters.size;
  }

  isBlocked(c: Client): boolean {
    return this.byClient.has(c);
  }

  /** Blocks the client running `cmd` until one of spec.keys is ready (Redis's blockForKeys). */
  block(c: Client, cmd: Command, spec: BlockSpec): void {
    const b: Blocked = { ...spec, c, db: c.db, cmd, ids: [] };
    for (const key of spec.keys) {
      const id = keyId(c.db, key);
      if (b.ids.includes(id)) continue;
      b.ids.push(id);
      const w = this.waiters.get(id);
      if (w === undefined) this.waiters.set(id, { db: c.db, key, id, list: [b] });
      else w.list.push(b);
    }
    this.byClient.set(c, b);
    c.flags |= CLIENT_BLOCKED;
    if (spec.deadline > 0) {
      this.deadlines.push(spec.deadline, b);
      this.armTimer();
    }
  }

  /** A key changed: clients waiting on it are served after the running command (signalKeyAsReady). */
  signal(db: number, key: Uint8Array): void {
    if (this.waiters.size === 0) return;
    const id = keyId(db, key);
    if (!this.waiters.has(id) || this.readyIds.has(id)) return;
    this.readyIds.add(id);
    this.ready.push({ db, key: key.slice(), id });
  }

  /** Every waited-on key of a database may have changed (SWAPDB, Redis's scanDatabaseForReadyKeys). */
  signalDb(db: number): void {
    for (const w of this.waiters.values()) {
      if (w.db !== db || this.readyIds.has(w.id)) continue;
      this.readyIds.add(w.id);
      this.ready.push({ db, key: w.key, id: w.id });
    }
  }

  /** Whether serveReady has work: checked after every command, so it is a field read. */
  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  /**
   * Serves clients blocked on the keys made ready, in the order the keys
   * became ready and, per key, the order the clients blocked; keys made
   * ready while serving (BLMOVE pushing to a watched key) are served too
   * (Redis's handleClientsBlockedOnKeys).
   */
  serveReady(): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        this.readyIds.clear();
        for (const rk of batch) this.serveKey(rk);
      }
    } finally {
      this.serving = false;
    }
  }

  private serveKey(rk: ReadyKey): void {
    const w = this.waiters.get(rk.id);
    if (w === undefined) return;
    for (const b of [...w.list]) {
      if (this.byClient.get(b.c) !== b) continue;
      const type = this.keyType(rk.db, rk.key);
      // Gone (the last client emptied it): nobody else can be served from it.
      if (type < 0) return;
      if (type !== b.type) continue;
      this.serveClient(b, rk.key);
    }
  }

  /** The type of the key's value, or -1 when there is none. */
  private keyType(db: number, key: Uint8Array): number {
    const e = this.srv.engine;
    const kp = e.copyIn(key);
    const o = e.x.lookupKey(db, kp, key.length, LOOKUP_WRITE | LOOKUP_NOTOUCH);
    e.refresh();
    return o === 0 ? -1 : e.objType(o);
  }

  /** Runs the blocked command again against the ready key and sends its reply. */
  private serveClient(b: Blocked, key: Uint8Array): void {
    const c = b.c;
    this.unblock(b);
    const args = b.rerun(key);
    const e = this.srv.engine;
    e.loadArgv(args);
    c.argc = args.length;
    c.argvBase = e.x.argvPtr() >> 2;
    c.cmdId = -2;
    this.withOwnWriter(c, () => call(c, b.cmd));
    // The command was counted when it blocked (Redis counts a blocking call once).
    b.cmd.calls--;
    this.srv.stats.commands--;
  }

  /** Runs fn with a private reply writer for c, then sends what it wrote to c's socket. */
  private withOwnWriter(c: Client, fn: () => void): void {
    const shared = c.reply;
    const w = new ReplyWriter(256);
    w.resp = c.resp;
    w.onError = this.srv.sharedWriter.onError;
    c.reply = w;
    try {
      fn();
    } finally {
      c.reply = shared;
    }
    // CLIENT REPLY OFF silences what the client is sent, however late it comes.
    if (w.pos === 0 || c.conn === null || c.replyMode === REPLY_OFF) return;
    const out = w.take();
    this.srv.stats.netOutput += out.length;
    c.conn.write(out);
  }

  /** Leaves every wait list; the client reads its pending input again (Redis's unblockClient). */
  private unblock(b: Blocked): void {
    for (const id of b.ids) {
      const w = this.waiters.get(id);
      if (w === undefined) continue;
      const i = w.list.indexOf(b);
      if (i >= 0) w.list.splice(i, 1);
      if (w.list.length === 0) this.waiters.delete(id);
    }
    this.byClient.delete(b.c);
    b.c.flags &= ~CLIENT_BLOCKED;
    this.resumeInput(b.c);
  }

  /** Commands that arrived while blocked run after the current event, like Redis's unblocked_clients queue. */
  private resumeInput(c: Client): void {
    if (c.pendingSize === 0 || c.postponed) return;
    c.pendingNeed = 0;
    const srv = this.srv;
    setImmediate(() => {
      if (srv.clients.has(c.id) && !this.byClient.has(c)) srv.resumeClient(c);
    });
  }

  /** Times out the client (null array reply) or fails it (CLIENT UNBLOCK ERROR). */
  private release(b: Blocked, error: boolean): void {
    this.unblock(b);
    this.withOwnWriter(b.c, () => {
      if (error) b.c.reply.error(UNBLOCKED_ERROR);
      else b.c.reply.nilArray();
    });
    if (error) b.cmd.failedCalls++;
  }

  /** CLIENT UNBLOCK: true when the client was blocked here. */
  unblockClient(c: Client, error: boolean): boolean {
    const b = this.byClient.get(c);
    if (b === undefined) return false;
    this.release(b, error);
    return true;
  }

  /** A disconnecting client leaves its wait lists without a reply. */
  removeClient(c: Client): void {
    const b = this.byClient.get(c);
    if (b !== undefined) this.unblock(b);
  }

  // ── Timeouts ───────────────────────────────────────────────────────────────

  private armTimer(): void {
    const next = this.nextDeadline();
    if (next === 0) return;
    if (this.timer !== null && this.timerAt <= next) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = next;
    const wait = Math.min(Math.max(0, next - Date.now()), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.onTimer(), wait);
    this.timer.unref?.();
  }

  /** The earliest deadline of a client still blocked, dropping stale heap entries; 0 if none. */
  private nextDeadline(): number {
    for (let top = this.deadlines.peek(); top !== undefined; top = this.deadlines.peek()) {
      if (this.byClient.get(top.b.c) === top.b) return top.at;
      this.deadlines.pop();
    }
    return 0;
  }

  private onTimer(): void {
    this.timer = null;
    const now = Date.now();
    for (let top = this.deadlines.peek(); top !== undefined && top.at <= now; top = this.deadlines.peek()) {
      this.deadlines.pop();
      if (this.byClient.get(top.b.c) === top.b) this.release(top.b, false);
    }
    this.armTimer();
  }
}

function keyId(db: number, key: Uint8Array): string {
  return `${db}:${latin1(key)}`;
}

/**
 * A blocking command's timeout argument in seconds (Redis's
 * getTimeoutFromObjectOrReply with UNIT_SECONDS): a long double, truncated
 * to ms. Returns the absolute deadline in ms, 0 for "forever", or null
 * after replying the error.
 */
export function timeoutOrReply(c: Client, argIndex: number): number | null {
  const ld = parseLongDouble(c.arg(argIndex));
  if (ld === null || ld.kind === "nan") {
    c.reply.error(TIMEOUT_NOT_FLOAT);
    return null;
  }
  let ms = ld.kind === "inf" ? Number.POSITIVE_INFINITY : Number(ld.mant) * 2 ** ld.exp * 1000;
  if (ld.negative) ms = -ms;
  // Out of long long range the conversion yields LLONG_MIN.
  const tval = Math.abs(ms) >= LLONG_LIMIT ? -1 : Math.trunc(ms);
  if (tval < 0) {
    c.reply.error(TIMEOUT_NEGATIVE);
    return null;
  }
  if (tval === 0) return 0;
  return Math.min(Date.now() + tval, Number.MAX_SAFE_INTEGER);
}

/** Blocking is refused in MULTI (EXEC runs with CLIENT_MULTI set) and for in-process clients. */
export function denyBlocking(c: Client): boolean {
  return c.isMulti() || c.embedded || c.conn === null;
}

/**
 * Blocks the running command's client on `keys` (kept copies) until one
 * holds a value of `type`; `rerun(key)` is the argv to run then.
 */
export function blockForKeys(
  c: Client,
  keys: Uint8Array[],
  type: number,
  deadline: number,
  rerun: (key: Uint8Array) => Uint8Array[],
): void {
  const srv = c.server;
  const cmd = srv.table.commands.get(srv.currentCommandName);
  if (cmd === undefined) return c.reply.nilArray();
  srv.blocking.block(c, cmd, { keys, type, deadline, rerun });
}

/** Marks a key ready for clients blocked on it; writers reach it through signalModifiedKey. */
export function signalKeyAsReady(srv: Server, db: number, key: Uint8Array): void {
  srv.blocking.signal(db, key);
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR]: true when a blocked client was freed. */
export function unblockClient(srv: Server, id: number, mode: "timeout" | "error"): boolean {
  const c = srv.clients.get(id);
  return c !== undefined && srv.blocking.unblockClient(c, mode === "error");
}
