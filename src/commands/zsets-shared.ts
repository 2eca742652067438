// What the sorted-set command files share: the engine's return codes, key
// lookup with the type check, replies written from the engine's item table,
// and the parsing of score and lex range bounds with Redis 7.0's rules.

import { OBJ_ZSET } from "../engine/engine";
import type { Client } from "../server/client";
import { formatDouble, parseDouble } from "../util/numbers";
import { MIN_MAX_NOT_FLOAT, MIN_MAX_NOT_LEX, WRONGTYPE } from "./errors";

/** Engine return codes (assembly/t_zset.ts). */
export const ZSET_WRONGTYPE = -1;
export const ZSET_NAN = -2;
/** Range walk sinks (assembly/t_zset_range.ts). */
export const ZSINK_REPLY = 0;
export const ZSINK_STORE = 1;
/** Lex bound kinds (assembly/t_zset_range.ts). */
const LEX_INCL = 0;
const LEX_EXCL = 1;
const LEX_MIN = 2;
const LEX_MAX = 3;
/** Bytes per item of the engine's item table: member ptr, member len, score f64. */
const ITEM_SIZE = 16;

const OPEN = 0x28; // '('
const CLOSED = 0x5b; // '['
const PLUS = 0x2b;
const MINUS = 0x2d;

/** Engine address of argv[i]'s (ptr, len) pair, for engine calls that walk the arguments. */
export function argvAt(c: Client, i: number): number {
  return (c.argvBase + 2 * i) << 2;
}

/** The zset at argv[i]: 0 when missing, -1 after replying WRONGTYPE for another type. */
export function lookupZset(c: Client, i: number, flags: number): number {
  const o = c.e.x.lookupKey(c.db, c.argPtr(i), c.argLen(i), flags);
  if (o !== 0 && c.e.objType(o) !== OBJ_ZSET) {
    c.reply.error(WRONGTYPE);
    return -1;
  }
  return o;
}

/**
 * strcasecmp(argv[i], token) == 0 for a lower-case letters token: the
 * argument is read as a C string (it ends at a NUL), in place.
 */
export function argTokenIs(c: Client, i: number, token: string): boolean {
  const u8 = c.e.u8;
  const p = c.argPtr(i);
  const n = c.argLen(i);
  const t = token.length;
  if (n < t) return false;
  for (let k = 0; k < t; k++) {
    if ((u8[p + k] | 0x20) !== token.charCodeAt(k)) return false;
  }
  return n === t || u8[p + t] === 0;
}

/**
 * Writes items [from, from+n) of the engine's item table: members as bulk
 * strings, each followed by its score when withScores; with `nested` (RESP3
 * WITHSCORES) every member/score pair is an array of its own.
 */
export function replyItems(c: Client, from: number, n: number, withScores: boolean, nested: boolean): void {
  const e = c.e;
  e.refresh();
  const u32 = e.u32;
  const f64 = e.f64;
  const base = e.x.zitemsPtr() + from * ITEM_SIZE;
  for (let i = 0; i < n; i++) {
    const at = base + i * ITEM_SIZE;
    if (nested) c.reply.array(2);
    c.reply.bulkFrom(e.u8, u32[at >> 2], u32[(at >> 2) + 1]);
    if (withScores) c.reply.double(formatDouble(f64[(at + 8) >> 3]));
  }
}

/** An array of n items with their scores: flat in RESP2, pairs in RESP3 (Redis's zrange handlers). */
export function replyItemsWithScores(c: Client, n: number): void {
  const nested = c.resp === 3;
  c.reply.array(nested ? n : n * 2);
  replyItems(c, 0, n, true, nested);
}

// ── Score ranges ─────────────────────────────────────────────────────────────

/** C's isspace in the "C" locale. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

const STRTOD_SYNTAX =
  /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|inf(?:inity)?)$/i;

/**
 * strtod over bytes that must all be consumed, as zslParseRange calls it:
 * the argument is a C string (it ends at a NUL), leading spaces are
 * skipped, an empty string reads as 0, overflow gives ±inf and underflow
 * ±0 (errno is not looked at), NaN is refused. Null when invalid.
 */
export function strtodWhole(b: Uint8Array): number | null {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  if (end === 0) return 0;
  let i = 0;
  while (i < end && isSpace(b[i])) i++;
  const v = parseDouble(b, i, end - i);
  if (v !== null) return v;
  let text = "";
  for (let k = i; k < end; k++) text += String.fromCharCode(b[k]);
  if (!STRTOD_SYNTAX.test(text)) return null;
  // Well formed but out of range: strtod saturates.
  const negative = text[0] === "-";
  return outOfRangeValue(text, negative);
}

/** ±inf for an overflowing literal, ±0 for one that underflowed. */
function outOfRangeValue(text: string, negative: boolean): number {
  const body = text.replace(/^[+-]/, "");
  let big: boolean;
  if (/^0x/i.test(body)) {
    const [mant, exp = "0"] = body.slice(2).split(/p/i);
    const digits = mant.replace(".", "").replace(/^0+/, "");
    const point = mant.includes(".") ? mant.length - mant.indexOf(".") - 1 : 0;
    big = Number(exp) + 4 * (digits.length - point) > 0;
  } else {
    big = Math.abs(Number(body)) === Infinity;
  }
  if (big) return negative ? -Infinity : Infinity;
  return negative ? -0 : 0;
}

export interface ScoreBound {
  value: number;
  exclusive: boolean;
}

/** A short canonical integer at u8[p, p+n) ("-12", "0"), read without a copy; null for anything else. */
function smallInt(u8: Uint8Array, p: number, n: number): number | null {
  const neg = n > 0 && u8[p] === MINUS;
  const start = neg ? p + 1 : p;
  const digits = p + n - start;
  if (digits < 1 || digits > 15 || (u8[start] === 0x30 && digits > 1)) return null;
  let v = 0;
  for (let k = start; k < p + n; k++) {
    const d = u8[k] - 0x30;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

function scoreBound(c: Client, i: number): ScoreBound | null {
  const u8 = c.e.u8;
  const p = c.argPtr(i);
  const n = c.argLen(i);
  const exclusive = n > 0 && u8[p] === OPEN;
  const skip = exclusive ? 1 : 0;
  const quick = smallInt(u8, p + skip, n - skip);
  if (quick !== null) return { value: quick, exclusive };
  const value = strtodWhole(u8.subarray(p + skip, p + n));
  return value === null ? null : { value, exclusive };
}

/**
 * Parses a score range (zslParseRange) from argv[minIdx], argv[maxIdx] and
 * hands it to the engine; false after replying "min or max is not a float".
 */
export function scoreRangeOrReply(c: Client, minIdx: number, maxIdx: number): boolean {
  const min = scoreBound(c, minIdx);
  const max = min === null ? null : scoreBound(c, maxIdx);
  if (min === null || max === null) {
    c.reply.error(MIN_MAX_NOT_FLOAT);
    return false;
  }
  c.e.x.zrangeSetScore(min.value, min.exclusive ? 1 : 0, max.value, max.exclusive ? 1 : 0);
  return true;
}

// ── Lex ranges ───────────────────────────────────────────────────────────────

interface LexBound {
  kind: number;
  ptr: number;
  len: number;
}

/** zslParseLexRangeItem: "+" / "-" alone (up to a NUL), or "(" / "[" and the bytes after. */
function lexBound(c: Client, i: number): LexBound | null {
  const b = c.arg(i);
  const p = c.argPtr(i);
  if (b.length === 0) return null;
  switch (b[0]) {
    case PLUS:
      return b.length === 1 || b[1] === 0 ? { kind: LEX_MAX, ptr: 0, len: 0 } : null;
    case MINUS:
      return b.length === 1 || b[1] === 0 ? { kind: LEX_MIN, ptr: 0, len: 0 } : null;
    case OPEN:
      return { kind: LEX_EXCL, ptr: p + 1, len: b.length - 1 };
    case CLOSED:
      return { kind: LEX_INCL, ptr: p + 1, len: b.length - 1 };
    default:
      return null;
  }
}

/**
 * Parses a lex range (zslParseLexRange) and hands it to the engine, which
 * reads the bound bytes in place in the argv; false after replying
 * "min or max not valid string range item".
 */
export function lexRangeOrReply(c: Client, minIdx: number, maxIdx: number): boolean {
  const min = lexBound(c, minIdx);
  const max = min === null ? null : lexBound(c, maxIdx);
  if (min === null || max === null) {
    c.reply.error(MIN_MAX_NOT_LEX);
    return false;
  }
  c.e.x.zrangeSetLex(min.kind, min.ptr, min.len, max.kind, max.ptr, max.len);
  return true;
}
