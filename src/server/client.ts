// A client: connection state plus access to the current command's arguments.
//
// Arguments are never copied: argPtr/argLen read the engine's argv table,
// whose (address, length) pairs point into the input arena in WASM memory.
// arg(i) is a borrowed view, valid until the next engine call that can
// allocate; argCopy(i) is a kept copy.

import type { Command } from "../commands/table";
import type { Engine } from "../engine/engine";
import type { ReplyWriter, Resp } from "../resp/writer";
import type { Server } from "./server";

/** Where a client's reply bytes go: a socket, or nothing for the embedded API. */
export interface Connection {
  write(bytes: Uint8Array): boolean;
  close(): void;
  readonly remote: string;
  readonly local: string;
  readonly fd: number;
}

export const CLIENT_MULTI = 1 << 0;
export const CLIENT_DIRTY_EXEC = 1 << 1;
export const CLIENT_DIRTY_CAS = 1 << 2;
export const CLIENT_MONITOR = 1 << 3;
export const CLIENT_CLOSE_AFTER_REPLY = 1 << 4;
export const CLIENT_NO_EVICT = 1 << 5;
export const CLIENT_BLOCKED = 1 << 6;
export const CLIENT_CLOSE_ASAP = 1 << 7;

/** CLIENT REPLY modes. */
export const REPLY_ON = 0;
export const REPLY_OFF = 1;
/** Skip the reply of the next command only. */
export const REPLY_SKIP = 2;

/** CLIENT PAUSE: nothing, write commands, or every command waits. */
export const PAUSE_OFF = 0;
export const PAUSE_WRITE = 1;
export const PAUSE_ALL = 2;

export interface QueuedCommand {
  args: Uint8Array[];
  /** Resolved when queued, as Redis's multiCmd keeps it: EXEC checks the queue's flags before running. */
  cmd: Command;
}

/** A WATCHed key (Redis's watchedKey). */
export interface WatchedKey {
  db: number;
  /** "db:key", the key one char per byte. */
  key: string;
  /** Already logically expired when WATCHed: its deletion is not a change. */
  expired: boolean;
  /** The key's expire time when WATCHed (-1 for none): reaching it fails EXEC even if nobody touched the key. */
  expireAt: number;
}

export class Client {
  readonly id: number;
  readonly server: Server;
  readonly e: Engine;
  conn: Connection | null;
  reply: ReplyWriter;
  db = 0;
  name = "";
  libName = "";
  libVer = "";
  authenticated: boolean;
  flags = 0;
  replyMode = REPLY_ON;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = "NULL";
  /** The current command's argc and argv table position (u32 index). */
  argc = 0;
  argvBase = 0;
  /** Command id resolved by frame() for the current argv; -2 = not resolved yet. */
  cmdId = -2;
  /** MULTI queue. */
  queue: QueuedCommand[] = [];
  /** Bytes waiting for the rest of a command. */
  pending: Uint8Array | null = null;
  /** Total bytes the pending command is known to need. */
  pendingNeed = 0;
  pendingChunks: Uint8Array[] = [];
  pendingSize = 0;
  /** Argv rewritten for propagation (effects, not requests), or null. */
  rewritten: Uint8Array[] | null = null;
  preventPropagation = false;
  /** Extra commands to propagate after the current one (alsoPropagate). */
  alsoPropagate: { db: number; args: Uint8Array[] }[] = [];
  queryBufPeak = 0;
  /** An in-process client of the embedded API: it cannot wait, so blocking commands reply at once. */
  embedded = false;
  /** The replication link to our master: its writes are accepted even on a read-only replica. */
  isMaster = false;
  watched: WatchedKey[] = [];
  /** Its next command waits for CLIENT PAUSE to end; the command's bytes stay pending. */
  postponed = false;

  constructor(server: Server, id: number, conn: Connection | null, reply: ReplyWriter) {
    this.server = server;
    this.e = server.engine;
    this.id = id;
    this.conn = conn;
    this.reply = reply;
    this.authenticated = !server.authRequired();
    this.createdAt = Date.now();
    this.lastInteraction = this.createdAt;
  }

  /** Protocol version chosen with HELLO; the shared writer takes it before serving this client. */
  resp: Resp = 2;

  argPtr(i: number): number {
    return this.e.u32[this.argvBase + 2 * i];
  }

  argLen(i: number): number {
    return this.e.u32[this.argvBase + 2 * i + 1];
  }

  /** Borrowed view of argument i. */
  arg(i: number): Uint8Array {
    const p = this.argPtr(i);
    return this.e.u8.subarray(p, p + this.argLen(i));
  }

  /** Kept copy of argument i. */
  argCopy(i: number): Uint8Array {
    return this.arg(i).slice();
  }

  /** Copies of all arguments (for MULTI queues, propagation, blocking). */
  argvCopy(): Uint8Array[] {
    const out = new Array<Uint8Array>(this.argc);
    for (let i = 0; i < this.argc; i++) out[i] = this.argCopy(i);
    return out;
  }

  /** Argument as a string, one char per byte (for options and numbers, never for keys on the hot path). */
  argStr(i: number): string {
    const p = this.argPtr(i);
    const n = this.argLen(i);
    const u8 = this.e.u8;
    let s = "";
    for (let k = 0; k < n; k++) s += String.fromCharCode(u8[p + k]);
    return s;
  }

  /** Case-insensitive compare of argument i with an upper-case ASCII token. */
  argIs(i: number, token: string): boolean {
    const n = this.argLen(i);
    if (n !== token.length) return false;
    const p = this.argPtr(i);
    const u8 = this.e.u8;
    for (let k = 0; k < n; k++) {
      let ch = u8[p + k];
      if (ch >= 97 && ch <= 122) ch -= 32;
      if (ch !== token.charCodeAt(k)) return false;
    }
    return true;
  }

  /**
   * Argument as a signed 64-bit integer with Redis's string2ll rules, or
   * null. A number when it is a safe integer, else a bigint.
   */
  argI64(i: number): number | bigint | null {
    const p = this.argPtr(i);
    const n = this.argLen(i);
    const u8 = this.e.u8;
    if (n === 0 || n > 20) return null;
    let k = 0;
    const neg = u8[p] === 45;
    if (neg) {
      k = 1;
      if (n === 1) return null;
    }
    if (u8[p + k] === 48) return n === 1 ? 0 : null;
    let v = 0;
    for (; k < n; k++) {
      const d = u8[p + k] - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    if (Number.isSafeInteger(v)) return neg ? -v : v;
    const big = BigInt(this.argStr(i));
    if (big > 9223372036854775807n || big < -9223372036854775808n) return null;
    return big;
  }

  /** argI64 limited to safe integers (counts, indexes, offsets): beyond that is out of range anyway. */
  argInt(i: number): number | null {
    const v = this.argI64(i);
    if (v === null) return null;
    if (typeof v === "bigint") return v > 0n ? Number.MAX_SAFE_INTEGER + 1 : Number.MIN_SAFE_INTEGER - 1;
    return v;
  }

  /** Integer argument or replies "value is not an integer or out of range" and returns null. */
  intOrReply(i: number, msg = "ERR value is not an integer or out of range"): number | null {
    const v = this.argInt(i);
    if (v === null) this.reply.error(msg);
    return v;
  }

  isMulti(): boolean {
    return (this.flags & CLIENT_MULTI) !== 0;
  }
}
