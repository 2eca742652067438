// SCAN, SSCAN, HSCAN and ZSCAN share one implementation, as Redis's
// scanGenericCommand serves them all: the cursor and the options are parsed
// here, the MATCH filter runs here, and the reply is written here. A type
// supplies only the engine call that collects one page of elements (and,
// for SCAN, the TYPE and expiry filters that follow MATCH).
//
//   page: (ptr, len) pairs into engine memory, `stride` per element
//   ┌──────────┬──────────┬──────────┬──────────┬─────┐
//   │ member 0 │ member 1 │ ...      │          │     │   stride 1 (keys, set members)
//   │ field 0  │ value 0  │ field 1  │ value 1  │ ... │   stride 2 (hash, zset)
//   └──────────┴──────────┴──────────┴──────────┴─────┘
// MATCH looks at the first item of each element only; its companion (value,
// score) goes with it.

import type { Client } from "../server/client";
import { stringMatchLen } from "../util/glob";
import { INVALID_CURSOR, NOT_INTEGER, SYNTAX } from "./errors";
import { cStringIs } from "./expire";

const U32_MAX = 0xffffffff;
const ULONG_MAX = 0xffffffffffffffffn;
const DEFAULT_COUNT = 10n;
const STAR = 0x2a;

export interface ScanOptions {
  /** COUNT, capped at 2^32-1 (a page never holds more). */
  count: number;
  /** Buckets a dict walk may visit beyond the first: COUNT * 10, wrapped as C's long. */
  maxIter: number;
  /** argv index of the MATCH pattern, or -1 when everything matches (no MATCH, or exactly "*"). */
  patternIndex: number;
  /** argv index of SCAN's TYPE argument, or -1. */
  typeIndex: number;
}

/** One page of collected elements; addresses stay valid until the next engine call that frees. */
export class ScanPage {
  ptr = new Uint32Array(64);
  len = new Uint32Array(64);
  /** Items (not elements): stride × elements. */
  n = 0;

  reset(): void {
    this.n = 0;
  }

  push(ptr: number, len: number): void {
    if (this.n === this.ptr.length) this.grow();
    this.ptr[this.n] = ptr;
    this.len[this.n] = len;
    this.n++;
  }

  private grow(): void {
    const ptr = new Uint32Array(this.ptr.length * 2);
    const len = new Uint32Array(this.len.length * 2);
    ptr.set(this.ptr);
    len.set(this.len);
    this.ptr = ptr;
    this.len = len;
  }
}

/** What a scanned type supplies to scanGeneric. */
export interface ScanSource {
  /** Items per element: 1 for keys and members, 2 for field/value and member/score. */
  stride: 1 | 2;
  /** Fills the page with one step's elements of `o` (0: the keyspace) from `cursor`; returns the next cursor. */
  collect(c: Client, o: number, cursor: number, opts: ScanOptions, page: ScanPage): number;
  /** Drops more elements after MATCH (SCAN's TYPE and expired keys). */
  filter?(c: Client, opts: ScanOptions, page: ScanPage): void;
  /** Runs once the reply is written. */
  finish?(c: Client, opts: ScanOptions): void;
}

const page = new ScanPage();

/** C's isspace in the "C" locale. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/**
 * Redis's parseScanCursorOrReply: strtoul in base 10 over the argument as a
 * C string, refusing a leading space or anything after the digits, wrapping
 * a '-' sign as C does, ERANGE past 2^64-1. Returns the cursor's low 32 bits
 * (a table mask never reaches higher), or null after replying the error.
 */
export function scanCursorOrReply(c: Client, i: number): number | null {
  const b = c.arg(i);
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  if (end === 0) return 0;
  if (isSpace(b[0])) return invalidCursor(c);
  let k = 0;
  const neg = b[0] === 0x2d;
  if (neg || b[0] === 0x2b) k++;
  const start = k;
  let v = 0n;
  for (; k < end && b[k] >= 0x30 && b[k] <= 0x39; k++) v = v * 10n + BigInt(b[k] - 0x30);
  if (k === start || k !== end || v > ULONG_MAX) return invalidCursor(c);
  if (neg) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return Number(v & 0xffffffffn);
}

function invalidCursor(c: Client): null {
  c.reply.error(INVALID_CURSOR);
  return null;
}

/**
 * scanGenericCommand's option loop: COUNT, MATCH and (SCAN only) TYPE,
 * compared as C strings, errors replied as soon as they are met.
 */
export function scanOptionsOrReply(c: Client, start: number, allowType: boolean): ScanOptions | null {
  let count = DEFAULT_COUNT;
  let patternIndex = -1;
  let typeIndex = -1;
  for (let i = start; i < c.argc; i += 2) {
    const more = c.argc - i >= 2;
    if (more && cStringIs(c, i, "count")) {
      const v = c.argI64(i + 1);
      if (v === null) return replyNull(c, NOT_INTEGER);
      if (v < 1) return replyNull(c, SYNTAX);
      count = BigInt(v);
    } else if (more && cStringIs(c, i, "match")) {
      // Exactly "*" matches everything: Redis skips matching then.
      patternIndex = c.argLen(i + 1) === 1 && c.arg(i + 1)[0] === STAR ? -1 : i + 1;
    } else if (more && allowType && cStringIs(c, i, "type")) {
      typeIndex = i + 1;
    } else {
      return replyNull(c, SYNTAX);
    }
  }
  const iter = BigInt.asIntN(64, count * 10n);
  return {
    count: count > U32_MAX ? U32_MAX : Number(count),
    maxIter: iter < 0n || iter > BigInt(U32_MAX) ? U32_MAX : Number(iter),
    patternIndex,
    typeIndex,
  };
}

function replyNull(c: Client, msg: string): null {
  c.reply.error(msg);
  return null;
}

/**
 * The shared body of the SCAN family once the cursor (and the key) were
 * checked: options, one collected page, MATCH, the type's own filters, then
 * the reply [next cursor, elements]. `o` is the scanned object, 0 for the
 * keyspace (the only scan that takes TYPE, as in Redis).
 */
export function scanGeneric(c: Client, o: number, cursor: number, optionsFrom: number, src: ScanSource): void {
  const opts = scanOptionsOrReply(c, optionsFrom, o === 0);
  if (opts === null) return;
  page.reset();
  const next = src.collect(c, o, cursor, opts, page) >>> 0;
  c.e.refresh();
  if (opts.patternIndex >= 0) dropUnmatched(c, opts.patternIndex, src.stride);
  src.filter?.(c, opts, page);
  c.e.refresh();
  const u8 = c.e.u8;
  c.reply.array(2);
  c.reply.bulkStr(String(next));
  c.reply.array(page.n);
  for (let i = 0; i < page.n; i++) c.reply.bulkFrom(u8, page.ptr[i], page.len[i]);
  src.finish?.(c, opts);
}

/** Compacts the page to the elements whose first item matches the pattern at argv[patIdx]. */
function dropUnmatched(c: Client, patIdx: number, stride: number): void {
  const u8 = c.e.u8;
  const pp = c.argPtr(patIdx);
  const pl = c.argLen(patIdx);
  let kept = 0;
  for (let i = 0; i < page.n; i += stride) {
    if (!stringMatchLen(u8, pp, pl, u8, page.ptr[i], page.len[i])) continue;
    for (let k = 0; k < stride; k++) {
      page.ptr[kept] = page.ptr[i + k];
      page.len[kept] = page.len[i + k];
      kept++;
    }
  }
  page.n = kept;
}
