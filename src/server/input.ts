// Turning socket bytes into commands (Redis's processInputBuffer).
//
// A chunk is copied once into the engine's input arena and framed there;
// each complete command runs as soon as it is framed, so a protocol error
// after valid commands still lets those run, as in Redis. An incomplete
// command's bytes are kept until the engine's hint says enough arrived, so a
// 512 MB bulk is copied into the arena once, not once per chunk.

import type { Client } from "./client";
import { CLIENT_BLOCKED, CLIENT_CLOSE_AFTER_REPLY, CLIENT_CLOSE_ASAP } from "./client";
import { fastPathOpen, framedEnd, runFastPath } from "./fastpath";

const FRAME_INCOMPLETE = 0;
const FRAME_INLINE = -100;

/** Inline requests longer than this without a newline are refused (PROTO_INLINE_MAX_SIZE). */
const INLINE_MAX = 64 * 1024;

const PROTOCOL_ERRORS: Record<number, string> = {
  [-1]: "ERR Protocol error: invalid multibulk length",
  [-2]: "ERR Protocol error: invalid bulk length",
  [-4]: "ERR Protocol error: too big mbulk count string",
  [-5]: "ERR Protocol error: too big bulk count string",
  [-6]: "ERR Protocol error: unauthenticated multibulk length",
  [-7]: "ERR Protocol error: unauthenticated bulk length",
};
const ERR_EXPECTED_DOLLAR = -3;

export function processInput(c: Client, chunk: Uint8Array): void {
  const srv = c.server;
  if (c.pendingSize > 0) {
    // The chunk may be a view of the listener's reused read buffer: keep a copy
    // (a Buffer's slice() would share memory, so copy through the constructor).
    c.pendingChunks.push(new Uint8Array(chunk));
    c.pendingSize += chunk.length;
    if (c.pendingSize > srv.config.int("client-query-buffer-limit")) {
      c.flags |= CLIENT_CLOSE_ASAP;
      return;
    }
    if (c.pendingSize < c.pendingNeed) return;
  }
  const e = c.e;
  const n = c.pendingSize > 0 ? c.pendingSize : chunk.length;
  const arena = e.x.inputArena(n);
  e.refresh();
  if (c.pendingSize > 0) {
    let at = arena;
    for (const part of c.pendingChunks) {
      e.u8.set(part, at);
      at += part.length;
    }
    c.pendingChunks = [];
    c.pendingSize = 0;
    c.pendingNeed = 0;
  } else {
    e.u8.set(chunk, arena);
  }
  frameLoop(c, arena, n);
  if (n > 4 * 1024 * 1024) e.x.shrinkInputArena();
}

function frameLoop(c: Client, arena: number, n: number): void {
  const srv = c.server;
  const e = c.e;
  const maxBulk = srv.protoMaxBulkLen;
  let pos = 0;
  while (pos < n && (c.flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_CLOSE_ASAP)) === 0) {
    // A blocked client reads no further commands until it is served (Redis stops processing its input).
    if ((c.flags & CLIENT_BLOCKED) !== 0) return postpone(c, arena, n, pos);
    let r: number;
    if (fastPathOpen(c)) {
      pos = runFastPath(c, arena, n, pos);
      if (pos >= n) return;
      // The engine stopped at a complete command it left framed: no need to frame it again.
      r = framedEnd > 0 ? framedEnd : e.x.frame(arena, n, pos, maxBulk, c.authenticated ? 1 : 0);
    } else {
      r = e.x.frame(arena, n, pos, maxBulk, c.authenticated ? 1 : 0);
    }
    if (r > 0) {
      const argc = e.retI32(2);
      if (argc > 0) {
        c.argc = argc;
        c.argvBase = e.retI32(3) >> 2;
        c.cmdId = e.retI32(4);
        srv.execute(c);
        if (c.postponed) return postpone(c, arena, n, pos);
      }
      pos = r;
    } else if (r === FRAME_INCOMPLETE) {
      keepTail(c, arena + pos, n - pos, e.retI32(0));
      return;
    } else if (r === FRAME_INLINE) {
      const next = processInline(c, arena, n, pos);
      if (next < 0) return;
      pos = next;
    } else {
      protocolError(c, r === ERR_EXPECTED_DOLLAR ? expectedDollar(e.retI32(1)) : PROTOCOL_ERRORS[r]);
      return;
    }
  }
}

/** CLIENT PAUSE held the command back: keep it and what follows until the pause ends. */
function postpone(c: Client, arena: number, n: number, pos: number): void {
  keepTail(c, arena + pos, n - pos, Number.POSITIVE_INFINITY);
}

function keepTail(c: Client, p: number, len: number, need: number): void {
  c.e.refresh();
  c.pendingChunks = [c.e.u8.slice(p, p + len)];
  c.pendingSize = len;
  c.pendingNeed = need;
}

function expectedDollar(byte: number): string {
  return `ERR Protocol error: expected '$', got '${String.fromCharCode(byte)}'`;
}

function protocolError(c: Client, msg: string): void {
  c.reply.error(msg);
  c.flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/**
 * An inline command (telnet style): one line, arguments split like
 * sdssplitargs. Returns the position after the line, or -1 when the line is
 * incomplete or the client must close.
 */
function processInline(c: Client, arena: number, n: number, pos: number): number {
  const e = c.e;
  e.refresh();
  const u8 = e.u8;
  // Redis looks for the newline with strchr: a NUL byte hides it, so the line never completes.
  let nl = -1;
  for (let i = arena + pos; i < arena + n && u8[i] !== 0; i++) {
    if (u8[i] === 10) {
      nl = i - arena;
      break;
    }
  }
  if (nl < 0) {
    if (n - pos > INLINE_MAX) {
      protocolError(c, "ERR Protocol error: too big inline request");
      return -1;
    }
    keepTail(c, arena + pos, n - pos, n - pos + 1);
    return -1;
  }
  let end = nl;
  if (end > pos && u8[arena + end - 1] === 13) end--;
  const args = splitInline(u8.subarray(arena + pos, arena + end));
  if (args === null) {
    protocolError(c, "ERR Protocol error: unbalanced quotes in request");
    return -1;
  }
  if (args.length > 0) {
    e.loadArgv(args);
    c.argc = args.length;
    c.argvBase = e.x.argvPtr() >> 2;
    c.server.execute(c);
    if (c.postponed) {
      postpone(c, arena, n, pos);
      return -1;
    }
  }
  return nl + 1;
}

/** C's isspace: separates arguments and must follow a closing quote. */
function isSpace(b: number): boolean {
  return b === 32 || b === 9 || b === 10 || b === 13 || b === 11 || b === 12;
}

/** What ends an unquoted argument in sdssplitargs: not \v or \f, which it keeps. */
function endsToken(b: number): boolean {
  return b === 32 || b === 10 || b === 13 || b === 9 || b === 0;
}

function hexVal(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  if (b >= 97 && b <= 102) return b - 87;
  if (b >= 65 && b <= 70) return b - 55;
  return -1;
}

/** Redis's sdssplitargs over bytes; null on unbalanced quotes. */
export function splitInline(line: Uint8Array): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return out;
    const cur: number[] = [];
    let inDq = false;
    let inSq = false;
    for (;;) {
      if (inDq) {
        if (i >= n) return null;
        const b = line[i];
        if (b === 92 && i + 3 < n && line[i + 1] === 120 && hexVal(line[i + 2]) >= 0 && hexVal(line[i + 3]) >= 0) {
          cur.push(hexVal(line[i + 2]) * 16 + hexVal(line[i + 3]));
          i += 3;
        } else if (b === 92 && i + 1 < n) {
          i++;
          const esc: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 97: 7 };
          cur.push(esc[line[i]] ?? line[i]);
        } else if (b === 34) {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          cur.push(b);
        }
      } else if (inSq) {
        if (i >= n) return null;
        const b = line[i];
        if (b === 92 && i + 1 < n && line[i + 1] === 39) {
          i++;
          cur.push(39);
        } else if (b === 39) {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          i++;
          break;
        } else {
          cur.push(b);
        }
      } else {
        if (i >= n || endsToken(line[i])) break;
        const b = line[i];
        if (b === 34) inDq = true;
        else if (b === 39) inSq = true;
        else cur.push(b);
      }
      i++;
    }
    out.push(Uint8Array.from(cur));
  }
}
