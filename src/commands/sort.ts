// SORT and SORT_RO (Redis 7.0's sort.c). The engine (assembly/sort.ts)
// copies the elements of the list, set or sorted set into one element list and resolves
// BY/GET patterns; ordering, LIMIT, the reply and STORE happen here, with
// Redis's comparison rules:
//   - numeric: each weight read by C's strtod (see src/util/strtod.ts), ties
//     broken by comparing the elements' bytes;
//   - ALPHA: bytes compared as C strings (strcoll, which the reference runs
//     in a C/C.UTF-8 collation: byte order, stopping at a NUL), or as whole
//     binary strings when storing (compareStringObjects);
//   - a full sort is glibc's qsort, a stable merge sort; BY with a LIMIT that
//     cuts the vector is pqsort, whose placement of ties SORT exposes.

import { LOOKUP_READ, LOOKUP_WRITE, OBJ_LIST, OBJ_SET, OBJ_ZSET } from "../engine/engine";
import type { Client } from "../server/client";
import { pqsort } from "../util/pqsort";
import { stableOrderByKey } from "../util/radix";
import { strtodWhole } from "../util/strtod";
import { NOT_INTEGER, SYNTAX, WRONGTYPE } from "./errors";
import { cStringIs } from "./expire";
import { signalModifiedKey } from "./keyspace-events";
import type { CommandDef } from "./table";

const LIST_TAIL = 1;
/** OBJ_ENCODING_SKIPLIST (assembly/object.ts). */
const ENC_SKIPLIST = 7;
const STAR = 0x2a;
const SCORE_ERROR = "ERR One or more scores can't be converted into double";
/** LIMIT values are C longs; anything past this is clamped to the vector anyway. */
const LIMIT_CLAMP = 2 ** 53;

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  /** argv index of the BY pattern, or -1. */
  by: number;
  /** BY named a pattern without '*' (e.g. "nosort"): keep the natural order. */
  dontsort: boolean;
  /** argv index of the STORE destination, or -1. */
  store: number;
  /** argv indexes of the GET patterns, in order. */
  gets: number[];
}

/** The elements to sort, as the engine's element list holds them. */
interface SortVector {
  n: number;
  /** Address and length of each element's bytes in engine memory. */
  off: Uint32Array;
  len: Uint32Array;
  /** Numeric weights. */
  score: Float64Array;
  /** ALPHA weights from BY (copies; null when the pattern found nothing). */
  weight: (Uint8Array | null)[];
  /** Element indexes in output order. */
  order: number[] | Uint32Array;
}

/** The output window [start, end] of the sorted vector (Redis's start/end after clamping). */
interface Window {
  start: number;
  end: number;
}

// ── Options ──────────────────────────────────────────────────────────────────

/** Whether argv[i], read as a C string, contains a '*' (Redis's strchr). */
function hasStar(c: Client, i: number): boolean {
  const b = c.arg(i);
  for (let k = 0; k < b.length && b[k] !== 0; k++) if (b[k] === STAR) return true;
  return false;
}

function clampLong(v: number | bigint): number {
  if (typeof v === "number") return v;
  return v < 0n ? -LIMIT_CLAMP : LIMIT_CLAMP;
}

function errorNull(c: Client, msg: string): null {
  c.reply.error(msg);
  return null;
}

/**
 * SORT's option loop, left to right as Redis parses it: a repeated option
 * overrides, but a constant BY pattern's "don't sort" stays set. STORE is
 * not an option of SORT_RO. In cluster mode a BY pattern with '*' and any
 * GET are refused (keys built from patterns could live anywhere).
 */
function sortOptionsOrReply(c: Client, readonly: boolean): SortOptions | null {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    by: -1,
    dontsort: false,
    store: -1,
    gets: [],
  };
  const cluster = c.server.config.bool("cluster-enabled");
  for (let j = 2; j < c.argc; j++) {
    const left = c.argc - j - 1;
    if (cStringIs(c, j, "asc")) o.desc = false;
    else if (cStringIs(c, j, "desc")) o.desc = true;
    else if (cStringIs(c, j, "alpha")) o.alpha = true;
    else if (cStringIs(c, j, "limit") && left >= 2) {
      const start = c.argI64(j + 1);
      if (start === null) return errorNull(c, NOT_INTEGER);
      const count = c.argI64(j + 2);
      if (count === null) return errorNull(c, NOT_INTEGER);
      o.limitStart = clampLong(start);
      o.limitCount = clampLong(count);
      j += 2;
    } else if (!readonly && cStringIs(c, j, "store") && left >= 1) {
      o.store = ++j;
    } else if (cStringIs(c, j, "by") && left >= 1) {
      o.by = ++j;
      if (!hasStar(c, j)) o.dontsort = true;
      else if (cluster) return errorNull(c, "ERR BY option of SORT denied in Cluster mode.");
    } else if (cStringIs(c, j, "get") && left >= 1) {
      if (cluster) return errorNull(c, "ERR GET option of SORT denied in Cluster mode.");
      o.gets.push(++j);
    } else {
      return errorNull(c, SYNTAX);
    }
  }
  return o;
}

/** Redis's LIMIT clamping: start and count are bounded by the vector's length. */
function limitWindow(o: SortOptions, vectorlen: number): Window {
  let start = Math.min(Math.max(o.limitStart, 0), vectorlen);
  const count = Math.min(Math.max(o.limitCount, -1), vectorlen);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  return { start, end };
}

// ── Loading ──────────────────────────────────────────────────────────────────

/**
 * Loads the elements into the engine's element list. A list or sorted set
 * that is not sorted loads only the window, in the requested direction, and
 * the window becomes the whole vector (Redis's optimisation, whose order is
 * the reply).
 */
function loadVector(c: Client, obj: number, type: number, o: SortOptions, w: Window): SortVector {
  const x = c.e.x;
  let n = 0;
  if (obj !== 0 && type !== OBJ_SET && o.dontsort) {
    const load = type === OBJ_LIST ? x.sortLoadListRange : x.sortLoadZsetRange;
    if (w.end >= w.start) n = load(obj, w.start, w.end - w.start + 1, o.desc ? 1 : 0);
    w.end -= w.start;
    w.start = 0;
  } else if (obj !== 0) {
    n = x.sortLoadAll(obj);
  }
  c.e.refresh();
  const v: SortVector = {
    n,
    off: new Uint32Array(n),
    len: new Uint32Array(n),
    score: new Float64Array(n),
    weight: [],
    order: Uint32Array.from({ length: n }, (_, i) => i),
  };
  const u32 = c.e.u32;
  let p = x.sortElementsPtr();
  for (let i = 0; i < n; i++) {
    const len = u32[p >> 2];
    v.off[i] = p + 4;
    v.len[i] = len;
    p += 4 + ((len + 3) & ~3);
  }
  return v;
}

/** Elements in the object: list length, set or sorted set cardinality. */
function objectLength(c: Client, obj: number, type: number): number {
  if (obj === 0) return 0;
  if (type === OBJ_LIST) return c.e.x.listLength(obj);
  return type === OBJ_SET ? c.e.x.setTypeSize(obj) : c.e.x.zsetLength(obj);
}

// ── Weights and ordering ─────────────────────────────────────────────────────

/** Length of the bytes as a C string. */
function cLength(u8: Uint8Array, off: number, len: number): number {
  for (let i = 0; i < len; i++) if (u8[off + i] === 0) return i;
  return len;
}

/** memcmp over the common length, then the shorter first (compareStringObjects). */
function compareBytes(a: Uint8Array, ao: number, al: number, b: Uint8Array, bo: number, bl: number): number {
  const n = Math.min(al, bl);
  for (let i = 0; i < n; i++) {
    const d = a[ao + i] - b[bo + i];
    if (d !== 0) return d;
  }
  return al - bl;
}

/**
 * Reads each element's weight: the BY pattern's value, or the element.
 * Returns false when a numeric weight is not a double (Redis still sorts,
 * then replies the error).
 */
function weigh(c: Client, v: SortVector, o: SortOptions): boolean {
  const x = c.e.x;
  let ok = true;
  for (let j = 0; j < v.n; j++) {
    let p = v.off[j];
    let l = v.len[j];
    if (o.by >= 0) {
      p = x.sortLookup(c.db, c.argPtr(o.by), c.argLen(o.by), p, l);
      c.e.refresh();
      if (c.e.retI32(1) === 0) {
        if (o.alpha) v.weight[j] = null;
        continue;
      }
      l = c.e.retI32(0);
    }
    const u8 = c.e.u8;
    if (o.alpha) {
      if (o.by >= 0) v.weight[j] = u8.slice(p, p + (o.store >= 0 ? l : cLength(u8, p, l)));
      continue;
    }
    const r = strtodWhole(u8, p, l);
    v.score[j] = r.value;
    if (r.error) ok = false;
  }
  return ok;
}

/** Redis's sortCompare for the options, over element indexes. */
function comparator(c: Client, v: SortVector, o: SortOptions): (a: number, b: number) => number {
  const u8 = c.e.u8;
  const sign = o.desc ? -1 : 1;
  const whole = (a: number, b: number) => compareBytes(u8, v.off[a], v.len[a], u8, v.off[b], v.len[b]);
  if (!o.alpha) {
    return (a, b) => {
      const sa = v.score[a];
      const sb = v.score[b];
      return sign * (sa > sb ? 1 : sa < sb ? -1 : whole(a, b));
    };
  }
  if (o.by >= 0) {
    return (a, b) => {
      const wa = v.weight[a];
      const wb = v.weight[b];
      if (!wa || !wb) return sign * (wa === wb ? 0 : !wa ? -1 : 1);
      return sign * compareBytes(wa, 0, wa.length, wb, 0, wb.length);
    };
  }
  if (o.store >= 0) return (a, b) => sign * whole(a, b);
  const clen = v.len.map((len, i) => cLength(u8, v.off[i], len));
  return (a, b) => sign * compareBytes(u8, v.off[a], clen[a], u8, v.off[b], clen[b]);
}

/** Bytes of the compared string that fit one double exactly, as a pre-sort key. */
const PREFIX_BYTES = 6;

/** The first bytes as a number, shorter strings padded with zeros (which sort first). */
function prefixKey(b: Uint8Array, off: number, len: number): number {
  let k = 0;
  for (let i = 0; i < PREFIX_BYTES; i++) k = k * 256 + (i < len ? b[off + i] : 0);
  return k;
}

/**
 * A key per element whose order agrees with the comparator's: the score,
 * or the first bytes of what ALPHA compares (-1 for a missing BY weight).
 * Negated for DESC, so an ascending stable order of the keys is the
 * comparator's order up to ties.
 */
function presortKeys(c: Client, v: SortVector, o: SortOptions): Float64Array {
  const keys = new Float64Array(v.n);
  const u8 = c.e.u8;
  for (let i = 0; i < v.n; i++) {
    let k: number;
    if (!o.alpha) k = v.score[i];
    else if (o.by >= 0)
      k = v.weight[i] ? prefixKey(v.weight[i] as Uint8Array, 0, (v.weight[i] as Uint8Array).length) : -1;
    else k = prefixKey(u8, v.off[i], o.store >= 0 ? v.len[i] : cLength(u8, v.off[i], v.len[i]));
    keys[i] = o.desc ? -k : k;
  }
  return keys;
}

/**
 * A full sort, as stable as glibc's merge sort: a radix order of the
 * presort keys, then each run of equal keys sorted with the comparator.
 */
function orderFull(c: Client, v: SortVector, o: SortOptions): void {
  const keys = presortKeys(c, v, o);
  const order = stableOrderByKey(keys);
  const cmp = comparator(c, v, o);
  for (let a = 0; a < v.n; ) {
    let b = a + 1;
    while (b < v.n && keys[order[b]] === keys[order[a]]) b++;
    if (b - a > 1) order.set(Array.from(order.subarray(a, b)).sort(cmp), a);
    a = b;
  }
  v.order = order;
}

function orderVector(c: Client, v: SortVector, o: SortOptions, w: Window): void {
  if (o.by < 0 || (w.start === 0 && w.end === v.n - 1)) return orderFull(c, v, o);
  const order = Array.from(v.order);
  pqsort(order, comparator(c, v, o), w.start, w.end);
  v.order = order;
}

// ── Output ───────────────────────────────────────────────────────────────────

/**
 * The value of GET pattern argv[g] for element i, as (address, length), or
 * null when the pattern names nothing. Valid until the next engine call.
 */
function getValue(c: Client, v: SortVector, g: number, i: number): [number, number] | null {
  const p = c.e.x.sortLookup(c.db, c.argPtr(g), c.argLen(g), v.off[i], v.len[i]);
  c.e.refresh();
  return c.e.retI32(1) === 0 ? null : [p, c.e.retI32(0)];
}

function replyResult(c: Client, v: SortVector, o: SortOptions, w: Window, outputlen: number): void {
  c.reply.array(outputlen);
  for (let j = w.start; j <= w.end; j++) {
    const i = v.order[j];
    if (o.gets.length === 0) c.reply.bulkFrom(c.e.u8, v.off[i], v.len[i]);
    for (const g of o.gets) {
      const val = getValue(c, v, g, i);
      if (val === null) c.reply.nil();
      else c.reply.bulkFrom(c.e.u8, val[0], val[1]);
    }
  }
}

/**
 * STORE: the output as a list under the destination (replacing it and its
 * TTL), or the destination deleted when the output is empty. GET patterns
 * that name nothing store empty strings. Replies the output's length.
 */
function storeResult(c: Client, v: SortVector, o: SortOptions, w: Window, outputlen: number): void {
  const x = c.e.x;
  const list = x.listCreate();
  for (let j = w.start; j <= w.end; j++) {
    const i = v.order[j];
    if (o.gets.length === 0) x.listPush(list, v.off[i], v.len[i], LIST_TAIL);
    for (const g of o.gets) {
      const val = getValue(c, v, g, i);
      x.listPush(list, val === null ? 0 : val[0], val === null ? 0 : val[1], LIST_TAIL);
    }
  }
  const kp = c.argPtr(o.store);
  const kl = c.argLen(o.store);
  if (outputlen > 0) {
    x.lookupKey(c.db, kp, kl, LOOKUP_WRITE);
    x.dbSetValue(c.db, kp, kl, list, 0);
    c.e.refresh();
    signalModifiedKey(c, o.store);
    c.server.dirty += outputlen;
  } else {
    x.freeObject(list);
    if (x.dbDelete(c.db, kp, kl)) {
      c.e.refresh();
      signalModifiedKey(c, o.store);
      c.server.dirty++;
    }
  }
  c.reply.int(outputlen);
}

// ── Commands ─────────────────────────────────────────────────────────────────

/** Redis's sortCommandGeneric. A missing key sorts as an empty list. */
function sortGeneric(c: Client, readonly: boolean): void {
  const o = sortOptionsOrReply(c, readonly);
  if (o === null) return;
  const obj = c.e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  const type = obj === 0 ? OBJ_LIST : c.e.objType(obj);
  if (type !== OBJ_LIST && type !== OBJ_SET && type !== OBJ_ZSET) return c.reply.error(WRONGTYPE);
  // A set has no natural order: what gets stored (and replicated) is sorted.
  if (o.dontsort && type === OBJ_SET && o.store >= 0) {
    o.dontsort = false;
    o.alpha = true;
    o.by = -1;
  }
  // Redis converts a listpack sorted set for good: OBJECT ENCODING says skiplist afterwards.
  if (type === OBJ_ZSET) c.e.x.zsetConvert(obj, ENC_SKIPLIST);
  c.e.refresh();
  const w = limitWindow(o, objectLength(c, obj, type));
  const v = loadVector(c, obj, type, o, w);
  let ok = true;
  if (!o.dontsort) {
    ok = weigh(c, v, o);
    // Redis sorts even then, but the reply is the error: nothing to see.
    if (ok) orderVector(c, v, o, w);
  }
  const span = w.end - w.start + 1;
  const outputlen = o.gets.length > 0 ? o.gets.length * span : span;
  if (!ok) c.reply.error(SCORE_ERROR);
  else if (o.store < 0) replyResult(c, v, o, w, outputlen);
  else storeResult(c, v, o, w, outputlen);
  c.e.x.sortElementsRelease();
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]
function sort(c: Client): void {
  sortGeneric(c, false);
}

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]
function sortRo(c: Client): void {
  sortGeneric(c, true);
}

export const sortCommands: CommandDef[] = [
  { name: "sort", handler: sort },
  { name: "sort_ro", handler: sortRo },
];
