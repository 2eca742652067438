// Bit commands on string values (Redis's bitops.c): SETBIT, GETBIT,
// BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO. The byte-walking parts
// (popcount, bit search, BITOP, field reads and writes) run in the engine
// (assembly/bits.ts); argument parsing, errors and replies stay here.

import { LOOKUP_READ, OBJ_STRING, STR_WRONGTYPE } from "../engine/engine";
import type { Client } from "../server/client";
import { parseI64 } from "../util/numbers";
import {
  BIT_ARG,
  BIT_OFFSET,
  BIT_VALUE,
  BITFIELD_OVERFLOW_TYPE,
  BITFIELD_RO_GET_ONLY,
  BITFIELD_TYPE,
  BITOP_NOT_ONE_KEY,
  NOT_INTEGER,
  SYNTAX,
  WRONGTYPE,
} from "./errors";
import { signalModifiedKey } from "./keyspace-events";
import { cTokenIs, maxStringLength } from "./strings-range";
import type { CommandDef } from "./table";

/** assembly/bits.ts constants. */
const SETBIT_CHANGED = 2;
const BITOP_AND = 0;
const BITOP_OR = 1;
const BITOP_XOR = 2;
const BITOP_NOT = 3;
const OVERFLOW_WRAP = 0;
const OVERFLOW_SAT = 1;
const OVERFLOW_FAIL = 2;

const HASH = 0x23;
const LOWER_I = 0x69;
const LOWER_U = 0x75;
/**
 * Strings have 32-bit lengths in the engine: bit offsets stay below the
 * last addressable byte, with room for a 64-bit field after them.
 */
const MAX_BIT_OFFSET = (2 ** 32 - 16) * 8;

// ── Argument parsing ─────────────────────────────────────────────────────────

/**
 * A bit offset argument (Redis's getBitOffsetFromArgument), or null after
 * replying "bit offset is not an integer or out of range". With `bits` > 0
 * (BITFIELD) a "#N" offset means N fields of that width; the product wraps
 * at 64 bits as Redis's does. Offsets reaching proto-max-bulk-len bytes are
 * refused, except from clients that must be obeyed.
 */
function bitOffsetOrReply(c: Client, i: number, bits = 0): number | null {
  const p = c.argPtr(i);
  const n = c.argLen(i);
  const u8 = c.e.u8;
  const hash = bits > 0 && n > 0 && u8[p] === HASH;
  let v = hash ? parseI64(u8, p + 1, n - 1) : parseI64(u8, p, n);
  if (v !== null && hash) v = BigInt.asIntN(64, BigInt(v) * BigInt(bits));
  const off = v === null ? -1 : Number(v);
  if (off < 0 || off >= MAX_BIT_OFFSET || (!c.isMaster && Math.floor(off / 8) >= maxStringLength(c))) {
    c.reply.error(BIT_OFFSET);
    return null;
  }
  return off;
}

/** Counts, indexes and the like: a 64-bit integer as a number, or null after replying. */
function rangeIntOrReply(c: Client, i: number): number | null {
  return c.intOrReply(i, NOT_INTEGER);
}

/** Set bits in one byte. */
function popcount8(v: number): number {
  let n = 0;
  for (; v !== 0; v &= v - 1) n++;
  return n;
}

/**
 * Redis's redisBitpos over one byte: the first position (0 = most
 * significant) holding `bit`; for a 1 that is absent -1, for a 0 that is
 * absent 8 (the zero padding after the byte).
 */
function bytePos(v: number, bit: number): number {
  const x = bit === 1 ? v & 0xff : ~v & 0xff;
  if (x === 0) return bit === 1 ? -1 : 8;
  return Math.clz32(x) - 24;
}

/**
 * A range's ends in bytes (Redis's BITCOUNT/BITPOS index conversion), with
 * BIT units turned into whole bytes plus masks of the bits of the first and
 * last byte that lie outside the range.
 */
interface ByteRange {
  start: number;
  end: number;
  firstMask: number;
  lastMask: number;
}

function toByteRange(start: number, end: number, len: number, isBit: boolean): ByteRange {
  const total = isBit ? len * 8 : len;
  if (start < 0) start = Math.max(total + start, 0);
  if (end < 0) end = Math.max(total + end, 0);
  if (end >= total) end = total - 1;
  if (!isBit || start > end) return { start, end, firstMask: 0, lastMask: 0 };
  return {
    start: Math.floor(start / 8),
    end: Math.floor(end / 8),
    firstMask: ~((1 << (8 - (start & 7))) - 1) & 0xff,
    lastMask: (1 << (7 - (end & 7))) - 1,
  };
}

/** The BYTE | BIT unit argument: true for BIT, false for BYTE, null after a syntax error. */
function unitOrReply(c: Client, i: number): boolean | null {
  if (cTokenIs(c, i, "BIT")) return true;
  if (cTokenIs(c, i, "BYTE")) return false;
  c.reply.error(SYNTAX);
  return null;
}

// ── SETBIT / GETBIT ──────────────────────────────────────────────────────────

// SETBIT key offset value
function setbit(c: Client): void {
  const off = bitOffsetOrReply(c, 2);
  if (off === null) return;
  const on = c.argI64(3);
  if (on !== 0 && on !== 1) return c.reply.error(BIT_VALUE);
  const e = c.e;
  const r = e.x.setBit(c.db, c.argPtr(1), c.argLen(1), Math.floor(off / 8), off % 8, on);
  e.refresh();
  if (r === STR_WRONGTYPE) return c.reply.error(WRONGTYPE);
  // Rewriting a bit with its own value changes nothing unless the string
  // was created or grew (Redis 7.0 neither propagates nor signals it).
  if ((r & SETBIT_CHANGED) !== 0) {
    c.server.dirty++;
    signalModifiedKey(c, 1);
  }
  c.reply.int(r & 1);
}

// GETBIT key offset
function getbit(c: Client): void {
  const off = bitOffsetOrReply(c, 2);
  if (off === null) return;
  const e = c.e;
  const o = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.int(0);
  if (e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  const byte = Math.floor(off / 8);
  if (byte >= e.stringLength(o)) return c.reply.int(0);
  const p = e.x.stringView(o);
  c.reply.int((e.u8[p + byte] >> (7 - (off % 8))) & 1);
}

// ── BITCOUNT / BITPOS ────────────────────────────────────────────────────────

// BITCOUNT key [start end [BYTE | BIT]]
function bitcount(c: Client): void {
  const e = c.e;
  // Redis 7.0 looks the key up before reading the range: a missing key
  // counts 0 whatever the arguments.
  const o = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.int(0);
  if (e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  const len = e.stringLength(o);
  let r: ByteRange = { start: 0, end: len - 1, firstMask: 0, lastMask: 0 };
  if (c.argc === 4 || c.argc === 5) {
    const start = rangeIntOrReply(c, 2);
    if (start === null) return;
    const end = rangeIntOrReply(c, 3);
    if (end === null) return;
    if (start < 0 && end < 0 && start > end) return c.reply.int(0);
    const isBit = c.argc === 5 ? unitOrReply(c, 4) : false;
    if (isBit === null) return;
    r = toByteRange(start, end, len, isBit);
  } else if (c.argc !== 2) {
    return c.reply.error(SYNTAX);
  }
  if (r.start > r.end) return c.reply.int(0);
  const p = e.x.stringView(o);
  let count = e.x.bitCount(p + r.start, r.end - r.start + 1);
  const u8 = e.u8;
  count -= popcount8(u8[p + r.start] & r.firstMask) + popcount8(u8[p + r.end] & r.lastMask);
  c.reply.int(count);
}

/** Parsed BITPOS range: byte range plus whether an end was given. */
interface BitposRange extends ByteRange {
  endGiven: boolean;
}

/** BITPOS's optional start [end [BYTE | BIT]], or null after replying an error. */
function bitposRangeOrReply(c: Client, len: number): BitposRange | null {
  if (c.argc === 3) return { start: 0, end: len - 1, firstMask: 0, lastMask: 0, endGiven: false };
  if (c.argc > 6) {
    c.reply.error(SYNTAX);
    return null;
  }
  const start = rangeIntOrReply(c, 3);
  if (start === null) return null;
  // The unit is checked before the end is parsed, as Redis does.
  const isBit = c.argc === 6 ? unitOrReply(c, 5) : false;
  if (isBit === null) return null;
  let end = len - 1;
  if (c.argc >= 5) {
    const v = rangeIntOrReply(c, 4);
    if (v === null) return null;
    end = v;
  }
  return { ...toByteRange(start, end, len, isBit), endGiven: c.argc >= 5 };
}

/** Where Redis's BITPOS search stands: the unsearched bytes and the last result. */
interface BitposScan {
  start: number;
  bytes: number;
  pos: number;
}

/**
 * Redis's BITPOS search over a byte range whose first and last bytes may be
 * partly outside a BIT range: the edges are searched as single masked
 * bytes, the whole bytes between them in the engine. Each step ends the
 * search when it found the bit or nothing is left.
 */
function bitposScan(c: Client, p: number, r: BitposRange, bit: number, s: BitposScan): void {
  const u8 = c.e.u8;
  if (r.firstMask !== 0) {
    let v = bit ? u8[p + s.start] & ~r.firstMask : u8[p + s.start] | r.firstMask;
    if (r.lastMask !== 0 && s.bytes === 1) v = bit ? v & ~r.lastMask : v | r.lastMask;
    s.pos = bytePos(v, bit);
    if (s.bytes === 1 || (s.pos !== -1 && s.pos !== 8)) return;
    s.start++;
    s.bytes--;
  }
  const whole = s.bytes - (r.lastMask !== 0 ? 1 : 0);
  if (whole > 0) {
    s.pos = c.e.x.bitPos(p + s.start, whole, bit);
    if (s.bytes === whole || (s.pos !== -1 && s.pos !== whole * 8)) return;
    s.start += whole;
    s.bytes -= whole;
  }
  s.pos = bytePos(bit ? u8[p + r.end] & ~r.lastMask : u8[p + r.end] | r.lastMask, bit);
}

/** The absolute position of the first `bit` in the range, or -1. */
function bitposSearch(c: Client, p: number, r: BitposRange, bit: number): number {
  const s: BitposScan = { start: r.start, bytes: r.end - r.start + 1, pos: -1 };
  bitposScan(c, p, r, bit, s);
  // With an explicit end, a 0 found only in the padding past it is no 0.
  if (r.endGiven && bit === 0 && s.pos === s.bytes * 8) return -1;
  return s.pos === -1 ? -1 : s.pos + s.start * 8;
}

// BITPOS key bit [start [end [BYTE | BIT]]]
function bitpos(c: Client): void {
  const bit = rangeIntOrReply(c, 2);
  if (bit === null) return;
  if (bit !== 0 && bit !== 1) return c.reply.error(BIT_ARG);
  const e = c.e;
  // A missing key is an endless run of zeros, whatever the range says.
  const o = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
  if (o === 0) return c.reply.int(bit ? -1 : 0);
  if (e.objType(o) !== OBJ_STRING) return c.reply.error(WRONGTYPE);
  const r = bitposRangeOrReply(c, e.stringLength(o));
  if (r === null) return;
  // An empty range holds neither a 0 nor a 1.
  if (r.start > r.end) return c.reply.int(-1);
  c.reply.int(bitposSearch(c, e.x.stringView(o), r, bit));
}

// ── BITOP ────────────────────────────────────────────────────────────────────

function bitopCode(c: Client): number {
  if (cTokenIs(c, 1, "AND")) return BITOP_AND;
  if (cTokenIs(c, 1, "OR")) return BITOP_OR;
  if (cTokenIs(c, 1, "XOR")) return BITOP_XOR;
  if (cTokenIs(c, 1, "NOT")) return BITOP_NOT;
  return -1;
}

// BITOP AND | OR | XOR | NOT destkey key [key ...]
function bitop(c: Client): void {
  const op = bitopCode(c);
  if (op < 0) return c.reply.error(SYNTAX);
  if (op === BITOP_NOT && c.argc !== 4) return c.reply.error(BITOP_NOT_ONE_KEY);
  const e = c.e;
  // The source keys are argv[3..]: the engine reads their (address, length)
  // pairs straight from the argv table.
  const keys = (c.argvBase + 2 * 3) * 4;
  const o = e.x.bitop(c.db, op, keys, c.argc - 3);
  e.refresh();
  if (e.retI32(0) === STR_WRONGTYPE) return c.reply.error(WRONGTYPE);
  if (o !== 0) {
    e.x.dbSetValue(c.db, c.argPtr(2), c.argLen(2), o, 0);
    c.server.dirty++;
    signalModifiedKey(c, 2);
    return c.reply.int(e.stringLength(o));
  }
  // Only empty sources: the destination is deleted, not set to "".
  if (e.x.dbDelete(c.db, c.argPtr(2), c.argLen(2))) {
    c.server.dirty++;
    signalModifiedKey(c, 2);
  }
  c.reply.int(0);
}

// ── BITFIELD ─────────────────────────────────────────────────────────────────

const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;

interface FieldOp {
  op: number;
  signed: boolean;
  bits: number;
  offset: number;
  value: bigint;
  overflow: number;
}

/**
 * A field type "i<1-64>" or "u<1-63>" (Redis's getBitfieldTypeFromArgument:
 * the letter is case-sensitive, the width is read as a C string, up to a
 * NUL). Returns [signed, bits] or null after replying.
 */
function fieldTypeOrReply(c: Client, i: number): [boolean, number] | null {
  const p = c.argPtr(i);
  const u8 = c.e.u8;
  let n = c.argLen(i);
  const nul = u8.subarray(p, p + n).indexOf(0);
  if (nul >= 0) n = nul;
  const signed = n > 0 && u8[p] === LOWER_I;
  const bits = n > 0 && (signed || u8[p] === LOWER_U) ? parseI64(u8, p + 1, n - 1) : null;
  if (bits === null || bits < 1 || bits > (signed ? 64 : 63)) {
    c.reply.error(BITFIELD_TYPE);
    return null;
  }
  return [signed, Number(bits)];
}

function overflowCode(c: Client, i: number): number {
  if (cTokenIs(c, i, "WRAP")) return OVERFLOW_WRAP;
  if (cTokenIs(c, i, "SAT")) return OVERFLOW_SAT;
  if (cTokenIs(c, i, "FAIL")) return OVERFLOW_FAIL;
  return -1;
}

/** The subcommand at argv[j] if it has enough arguments after it, else -1. */
function fieldOpCode(c: Client, j: number): number {
  const rest = c.argc - j - 1;
  if (cTokenIs(c, j, "GET") && rest >= 2) return OP_GET;
  if (cTokenIs(c, j, "SET") && rest >= 3) return OP_SET;
  if (cTokenIs(c, j, "INCRBY") && rest >= 3) return OP_INCRBY;
  return -1;
}

/** Every subcommand, checked in order before anything runs; null after replying an error. */
function fieldOpsOrReply(c: Client): FieldOp[] | null {
  const ops: FieldOp[] = [];
  let overflow = OVERFLOW_WRAP;
  for (let j = 2; j < c.argc; j++) {
    const op = fieldOpCode(c, j);
    if (op < 0) {
      if (!cTokenIs(c, j, "OVERFLOW") || j + 1 >= c.argc) return errorNull(c, SYNTAX);
      overflow = overflowCode(c, ++j);
      if (overflow < 0) return errorNull(c, BITFIELD_OVERFLOW_TYPE);
      continue;
    }
    const type = fieldTypeOrReply(c, j + 1);
    if (type === null) return null;
    const offset = bitOffsetOrReply(c, j + 2, type[1]);
    if (offset === null) return null;
    let value = 0n;
    if (op !== OP_GET) {
      const v = c.argI64(j + 3);
      if (v === null) return errorNull(c, NOT_INTEGER);
      value = BigInt(v);
    }
    ops.push({ op, signed: type[0], bits: type[1], offset, value, overflow });
    j += op === OP_GET ? 2 : 3;
  }
  return ops;
}

function errorNull(c: Client, msg: string): null {
  c.reply.error(msg);
  return null;
}

/**
 * The key's object for the ops: read-only lookup when all are GETs (0 for a
 * missing key), else the string grown to hold the last written bit. Returns
 * null after replying an error; `grew` tells whether the key was created or
 * lengthened, which makes every write a change.
 */
function fieldTargetOrReply(c: Client, ops: FieldOp[], readonlyCmd: boolean): { o: number; grew: boolean } | null {
  const e = c.e;
  let highest = -1;
  for (const f of ops) if (f.op !== OP_GET) highest = Math.max(highest, f.offset + f.bits - 1);
  if (highest < 0) {
    const o = e.x.lookupKey(c.db, c.argPtr(1), c.argLen(1), LOOKUP_READ);
    if (o !== 0 && e.objType(o) !== OBJ_STRING) return errorNull(c, WRONGTYPE);
    return { o, grew: false };
  }
  if (readonlyCmd) return errorNull(c, BITFIELD_RO_GET_ONLY);
  const o = e.x.bitfieldWritable(c.db, c.argPtr(1), c.argLen(1), Math.floor(highest / 8) + 1);
  e.refresh();
  if (e.retI32(0) === STR_WRONGTYPE) return errorNull(c, WRONGTYPE);
  return { o, grew: e.retI32(1) !== 0 };
}

function bitfieldGeneric(c: Client, readonlyCmd: boolean): void {
  const ops = fieldOpsOrReply(c);
  if (ops === null) return;
  const target = fieldTargetOrReply(c, ops, readonlyCmd);
  if (target === null) return;
  const e = c.e;
  const { o, grew } = target;
  let changes = 0;
  c.reply.array(ops.length);
  for (const f of ops) {
    const signed = f.signed ? 1 : 0;
    if (f.op === OP_GET) {
      c.reply.int(e.x.bitfieldGet(o, f.offset, f.bits, signed));
      continue;
    }
    const ok = e.x.bitfieldWrite(o, f.op === OP_INCRBY ? 1 : 0, f.offset, f.bits, signed, f.overflow, f.value);
    if (ok === 0) {
      // OVERFLOW FAIL: nothing written, a null in its place.
      c.reply.nil();
      continue;
    }
    c.reply.int(e.retI64());
    if (grew || e.retI32(1) !== 0) changes++;
  }
  if (changes > 0) {
    c.server.dirty += changes;
    signalModifiedKey(c, 1);
  }
}

// BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL] SET encoding offset value | INCRBY encoding offset increment ...]
function bitfield(c: Client): void {
  bitfieldGeneric(c, false);
}

// BITFIELD_RO key [GET encoding offset ...]
function bitfieldRo(c: Client): void {
  bitfieldGeneric(c, true);
}

export const bitopsCommands: CommandDef[] = [
  { name: "setbit", handler: setbit },
  { name: "getbit", handler: getbit },
  { name: "bitcount", handler: bitcount },
  { name: "bitpos", handler: bitpos },
  { name: "bitop", handler: bitop },
  { name: "bitfield", handler: bitfield },
  { name: "bitfield_ro", handler: bitfieldRo },
];
