// String commands over parts of a value (Redis's t_string.c): GETRANGE,
// SETRANGE, LCS, and INCRBYFLOAT, which shares their need to read a
// string's bytes whatever its encoding.

import {
  ENC_EMBSTR,
  ENC_INT,
  ENC_RAW,
  LOOKUP_READ,
  LOOKUP_WRITE,
  OBJ_STRING,
  STR_TOO_BIG,
  STR_WRONGTYPE,
} from "../engine/engine";
import type { Client } from "../server/client";
import { addLongDouble, formatLongDoubleHuman, isFiniteLD, longDoubleFromInt, parseLongDouble } from "../util/numbers";
import {
  LCS_LEN_AND_IDX,
  LCS_NO_MEMORY,
  LCS_NOT_STRINGS,
  LCS_OVER_MAX_BULK,
  LCS_TOO_LONG,
  NAN_OR_INF,
  NOT_FLOAT,
  NOT_INTEGER,
  OFFSET_OUT_OF_RANGE,
  STRING_TOO_BIG,
  SYNTAX,
  WRONGTYPE,
} from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef } from "./table";

const enc = new TextEncoder();
const EMPTY = new Uint8Array(0);
const SET_BYTES = enc.encode("SET");
const KEEPTTL_BYTES = enc.encode("KEEPTTL");
/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_LIMIT = 44;
const NUL = 0;

/**
 * The string size limit for this client: proto-max-bulk-len, except for
 * clients whose writes must be obeyed (our master), as Redis's
 * mustObeyClient, so a replica never refuses what its master accepted.
 */
export function maxStringLength(c: Client): number {
  return c.isMaster ? Number.POSITIVE_INFINITY : c.server.protoMaxBulkLen;
}

/**
 * Whether argument i equals an upper-case token the way C's strcasecmp sees
 * it: Redis compares options as C strings, so anything from a NUL byte on is
 * ignored ("BIT\0x" is BIT).
 */
export function cTokenIs(c: Client, i: number, token: string): boolean {
  const p = c.argPtr(i);
  const u8 = c.e.u8;
  let n = c.argLen(i);
  for (let k = 0; k < n; k++) {
    if (u8[p + k] === NUL) {
      n = k;
      break;
    }
  }
  if (n !== token.length) return false;
  for (let k = 0; k < n; k++) {
    let ch = u8[p + k];
    if (ch >= 97 && ch <= 122) ch -= 32;
    if (ch !== token.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * A string object's bytes: a borrowed view of engine memory for raw and
 * embstr values (valid until the next allocating engine call), a kept copy
 * for int-encoded ones, which are printed into scratch memory the next
 * call reuses.
 */
function valueBytes(c: Client, o: number): Uint8Array {
  if (o === 0) return EMPTY;
  const e = c.e;
  const p = e.x.stringView(o);
  const view = e.u8.subarray(p, p + e.stringLength(o));
  return e.objEncoding(o) === ENC_INT ? view.slice() : view;
}

// ── GETRANGE / SETRANGE ──────────────────────────────────────────────────────

// GETRANGE key start end
function getrange(c: Client): void {
  let start = c.intOrReply(2);
  if (start === null) return;
  let end = c.intOrReply(3);
  if (end === null) return;
  const e = c.e;
  const o = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.bulk(EMPTY);
  if (e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  const len = e.stringLength(o);
  // Two negative indexes in the wrong order select nothing, even where
  // clamping both to 0 would select the first byte.
  if (start < 0 && end < 0 && start > end) return c.reply.bulk(EMPTY);
  if (start < 0) start = Math.max(len + start, 0);
  if (end < 0) end = Math.max(len + end, 0);
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return c.reply.bulk(EMPTY);
  const p = e.x.stringView(o);
  c.reply.bulkFrom(e.u8, p + start, end - start + 1);
}

// SETRANGE key offset value
function setrange(c: Client): void {
  const offset = c.intOrReply(2);
  if (offset === null) return;
  if (offset < 0) return c.reply.error(OFFSET_OUT_OF_RANGE);
  const e = c.e;
  const vl = c.argLen(3);
  const r = e.x.setRange(c.db, c.argPtr(1), c.argLen(1), offset, c.argPtr(3), vl, maxStringLength(c));
  e.refresh();
  if (r === STR_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (r === STR_TOO_BIG) return c.reply.error(STRING_TOO_BIG);
  // An empty value writes nothing, so it is not a change (nor propagated).
  if (vl > 0) {
    c.server.dirty++;
    signalModifiedKey(c, 1);
  }
  c.reply.int(r);
}

// ── LCS ──────────────────────────────────────────────────────────────────────

interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

/**
 * LCS options, parsed the way Redis's loop does: tokens may repeat, and
 * MINMATCHLEN's number is checked on the spot, so a bad number wins over a
 * later unknown token. Replies the error and returns null.
 */
function lcsOptionsOrReply(c: Client): LcsOptions | null {
  const opts: LcsOptions = { len: false, idx: false, withMatchLen: false, minMatchLen: 0 };
  for (let j = 3; j < c.argc; j++) {
    if (cTokenIs(c, j, "IDX")) opts.idx = true;
    else if (cTokenIs(c, j, "LEN")) opts.len = true;
    else if (cTokenIs(c, j, "WITHMATCHLEN")) opts.withMatchLen = true;
    else if (cTokenIs(c, j, "MINMATCHLEN") && j + 1 < c.argc) {
      const v = c.argI64(++j);
      if (v === null) {
        c.reply.error(NOT_INTEGER);
        return null;
      }
      opts.minMatchLen = v < 0 ? 0 : Number(v);
    } else {
      c.reply.error(SYNTAX);
      return null;
    }
  }
  if (opts.len && opts.idx) {
    c.reply.error(LCS_LEN_AND_IDX);
    return null;
  }
  return opts;
}

/**
 * The dynamic-programming table of LCS lengths, (alen+1) x (blen+1) cells,
 * or null after replying why it cannot be had. It lives in the JS heap, not
 * in engine memory: WASM memory never shrinks, and this table is transient
 * and can be as large as proto-max-bulk-len.
 */
function lcsTableOrReply(c: Client, a: Uint8Array, b: Uint8Array): Uint32Array | null {
  if (a.length >= 0xffffffff - 1 || b.length >= 0xffffffff - 1) {
    c.reply.error(LCS_TOO_LONG);
    return null;
  }
  const cells = (a.length + 1) * (b.length + 1);
  if (cells * 4 > c.server.protoMaxBulkLen) {
    c.reply.error(LCS_OVER_MAX_BULK);
    return null;
  }
  let t: Uint32Array;
  try {
    t = new Uint32Array(cells);
  } catch {
    c.reply.error(LCS_NO_MEMORY);
    return null;
  }
  const w = b.length + 1;
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    const row = i * w;
    const up = row - w;
    for (let j = 1; j <= b.length; j++) {
      if (ai === b[j - 1]) {
        t[row + j] = t[up + j - 1] + 1;
      } else {
        t[row + j] = Math.max(t[up + j], t[row + j - 1]);
      }
    }
  }
  return t;
}

/** The common subsequence and its matching ranges, found walking the table back from the end. */
interface LcsResult {
  text: Uint8Array;
  /** Per emitted range: aStart, aEnd, bStart, bEnd, length. */
  ranges: number[];
}

/**
 * Redis's backtrack: contiguous runs that match in both strings are
 * reported as ranges, last first, and only those at least minMatchLen long.
 */
function lcsBacktrack(a: Uint8Array, b: Uint8Array, t: Uint32Array, minMatchLen: number): LcsResult {
  const w = b.length + 1;
  let idx = t[a.length * w + b.length];
  const text = new Uint8Array(idx);
  const ranges: number[] = [];
  const none = a.length;
  let aStart = none;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      text[--idx] = a[i - 1];
      if (aStart === none) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (t[(i - 1) * w + j] > t[i * w + j - 1]) i--;
      else j--;
      if (aStart !== none) emit = true;
    }
    const matchLen = aEnd - aStart + 1;
    if (emit) {
      if (minMatchLen === 0 || matchLen >= minMatchLen) ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
      aStart = none;
    }
  }
  return { text, ranges };
}

function replyLcsIdx(c: Client, r: LcsResult, total: number, withMatchLen: boolean): void {
  const w = c.reply;
  w.map(2);
  w.bulkStr("matches");
  w.array(r.ranges.length / 5);
  for (let k = 0; k < r.ranges.length; k += 5) {
    w.array(withMatchLen ? 3 : 2);
    w.array(2);
    w.int(r.ranges[k]);
    w.int(r.ranges[k + 1]);
    w.array(2);
    w.int(r.ranges[k + 2]);
    w.int(r.ranges[k + 3]);
    if (withMatchLen) w.int(r.ranges[k + 4]);
  }
  w.bulkStr("len");
  w.int(total);
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
function lcs(c: Client): void {
  const e = c.e;
  const oa = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  const ob = e.x.lookupKey(c.db, c.argPtr(2), c.argLen(2), LOOKUP_READ);
  if ((oa !== 0 && e.objType(oa) !== OBJ_STRING) || (ob !== 0 && e.objType(ob) !== OBJ_STRING)) {
    return c.reply.error(LCS_NOT_STRINGS);
  }
  const opts = lcsOptionsOrReply(c);
  if (opts === null) return;
  // Borrowed views: nothing below calls the engine.
  const a = valueBytes(c, oa);
  const b = valueBytes(c, ob);
  const t = lcsTableOrReply(c, a, b);
  if (t === null) return;
  const total = t[a.length * (b.length + 1) + b.length];
  if (opts.len) return c.reply.int(total);
  const r = lcsBacktrack(a, b, t, opts.minMatchLen);
  if (opts.idx) replyLcsIdx(c, r, total, opts.withMatchLen);
  else c.reply.bulk(r.text);
}

// ── INCRBYFLOAT ──────────────────────────────────────────────────────────────

/**
 * A string object holding `text` as text even when it reads as an integer
 * ("3"), as Redis's createStringObjectFromLongDouble makes it: embstr or
 * raw, never int. The bytes go through a block of their own because the
 * engine's scratch area may hold the current argv.
 */
function textObject(c: Client, text: Uint8Array): number {
  const e = c.e;
  const tmp = e.x.zmalloc(text.length);
  e.refresh();
  e.u8.set(text, tmp);
  const o = e.x.createRawObject(tmp, text.length, text.length <= EMBSTR_LIMIT ? ENC_EMBSTR : ENC_RAW);
  e.x.zfree(tmp);
  return o;
}

// INCRBYFLOAT key increment
function incrbyfloat(c: Client): void {
  const e = c.e;
  const kp = c.argPtr(1);
  const kl = c.argLen(1);
  const o = e.x.lookupKey(c.db, kp, kl, LOOKUP_WRITE);
  if (o !== 0 && e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  const value = o === 0 ? longDoubleFromInt(0) : parseLongDouble(e.u8, e.x.stringView(o), e.stringLength(o));
  if (value === null) return c.reply.error(NOT_FLOAT);
  const incr = parseLongDouble(e.u8, c.argPtr(2), c.argLen(2));
  if (incr === null) return c.reply.error(NOT_FLOAT);
  const sum = addLongDouble(value, incr);
  if (!isFiniteLD(sum)) return c.reply.error(NAN_OR_INF);
  const text = enc.encode(formatLongDoubleHuman(sum));
  e.x.dbSetValue(c.db, kp, kl, textObject(c, text), 1);
  e.refresh();
  c.server.dirty++;
  signalModifiedKey(c, 1);
  c.reply.bulk(text);
  // Replicas and the AOF get the result, never a float addition to redo.
  if (c.server.propagating()) c.rewritten = [SET_BYTES, c.argCopy(1), text, KEEPTTL_BYTES];
}

export const stringRangeCommands: CommandDef[] = [
  { name: "getrange", handler: getrange },
  { name: "setrange", handler: setrange },
  { name: "lcs", handler: lcs },
  { name: "incrbyfloat", handler: incrbyfloat },
];
