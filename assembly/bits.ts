// Bit and byte-range operations on string values: Redis's bitops.c plus
// SETRANGE, the parts that walk or rewrite string bytes in place.
//
// Bits are numbered from the most significant bit of the first byte:
//
//   byte     0                 1
//          ┌─────────────────┬─────────────────┬───
//   bit    │ 0 1 2 3 4 5 6 7 │ 8 9 ...         │
//          └─────────────────┴─────────────────┴───
//
// Bit offsets can pass 2^32 (a 512 MB string has 2^32 bits), so they cross
// the boundary as f64, exact far beyond any string length. Writers go through
// stringForBits (Redis's lookupStringForBitCommand): one write lookup, then
// the value is made raw and grown with zeros, and `bitsDirty` says whether
// the key was created or its length changed, which Redis 7.0 counts as a
// change even when no bit flips (#10459).

import { lookupKey, dbSetValue, dbReplaceObject, LOOKUP_WRITE } from "./db";
import {
  objType, OBJ_STRING, OBJ_HEADER, strLen, strBytes, stringMakeRoom,
  createZeroedString,
} from "./object";
import { zmalloc, zfree } from "./mem";
import { setRet, setRetI64, scratch } from "./util";
import { STR_OK, STR_WRONGTYPE, STR_TOO_BIG } from "./t_string";

export const BITOP_AND: u32 = 0;
export const BITOP_OR: u32 = 1;
export const BITOP_XOR: u32 = 2;
export const BITOP_NOT: u32 = 3;

export const BFOVERFLOW_WRAP: u32 = 0;
export const BFOVERFLOW_SAT: u32 = 1;
export const BFOVERFLOW_FAIL: u32 = 2;

/** Bytes per machine word in the word-at-a-time loops. */
// @ts-ignore: decorator
@inline const WORD: usize = 8;
/** lookupKey flags of a plain read (db.ts has no name for "none"). */
// @ts-ignore: decorator
@inline const LOOKUP_READ: u32 = 0;

/** Set by stringForBits: the key was created or its length changed. */
let bitsDirty = false;

// ── Writable strings ─────────────────────────────────────────────────────────

/**
 * Makes an existing string object raw with at least `minLen` bytes, new
 * bytes zeroed (Redis's dbUnshareStringValue + sdsgrowzero), and returns it,
 * possibly moved. Unsharing alone already turns int/embstr into raw, so
 * OBJECT ENCODING says "raw" after SETBIT/SETRANGE even with nothing grown.
 */
function unshareAndGrow(db: u32, kp: usize, kl: u32, o: usize, minLen: u32): usize {
  const len = strLen(o);
  const n = stringMakeRoom(o, max(len, minLen), scratch());
  if (n != o) dbReplaceObject(db, kp, kl, n);
  if (minLen > len) {
    memory.fill(n + OBJ_HEADER + <usize>len, 0, minLen - len);
    store<u32>(n, minLen, 4);
  }
  return n;
}

/**
 * Redis's lookupStringForBitCommand: the key's string, raw and at least
 * `minLen` bytes long, created zero-filled when missing; 0 when the key
 * holds another type. Sets bitsDirty.
 */
function stringForBits(db: u32, kp: usize, kl: u32, minLen: u32): usize {
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o == 0) {
    const n = createZeroedString(minLen);
    dbSetValue(db, kp, kl, n, false);
    bitsDirty = true;
    return n;
  }
  if (objType(o) != OBJ_STRING) return 0;
  const before = strLen(o);
  const n = unshareAndGrow(db, kp, kl, o, minLen);
  bitsDirty = strLen(n) != before;
  return n;
}

/**
 * BITFIELD's write lookup: the string grown to `minLen` bytes, or 0 with
 * STR_WRONGTYPE in ret slot 0. Ret slot 1 is 1 when the key was created or
 * grew.
 */
export function bitfieldWritable(db: u32, kp: usize, kl: u32, minLen: u32): usize {
  const o = stringForBits(db, kp, kl, minLen);
  setRet(0, o == 0 ? STR_WRONGTYPE : STR_OK);
  setRet(1, bitsDirty ? 1 : 0);
  return o;
}

// ── SETRANGE / SETBIT ────────────────────────────────────────────────────────

/**
 * SETRANGE: writes `vl` bytes at `offset`, zero-padding as needed. Returns
 * the new length, or STR_WRONGTYPE / STR_TOO_BIG. An empty value changes
 * nothing: 0 for a missing key (which is not created), else the length.
 * `maxLen` is proto-max-bulk-len (infinite for clients that must be obeyed).
 */
export function setRange(db: u32, kp: usize, kl: u32, offset: f64, vp: usize, vl: u32, maxLen: f64): f64 {
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o != 0 && objType(o) != OBJ_STRING) return <f64>STR_WRONGTYPE;
  if (vl == 0) return o == 0 ? 0 : <f64>strLen(o);
  const total = offset + <f64>vl;
  if (total > maxLen || total > <f64>u32.MAX_VALUE) return <f64>STR_TOO_BIG;
  let n: usize;
  if (o == 0) {
    n = createZeroedString(<u32>total);
    dbSetValue(db, kp, kl, n, false);
  } else {
    n = unshareAndGrow(db, kp, kl, o, <u32>total);
  }
  memory.copy(n + OBJ_HEADER + <usize>offset, vp, vl);
  return <f64>strLen(n);
}

/** SETBIT result flags, or'ed with the previous bit value (0 or 1). */
export const SETBIT_CHANGED: i32 = 2;

/**
 * SETBIT: sets bit `bit` (0 = most significant) of byte `byte` to `on`.
 * Returns the previous bit | SETBIT_CHANGED when the key was created,
 * grew or the bit flipped (Redis 7.0 counts nothing else as a change), or
 * STR_WRONGTYPE.
 */
export function setBit(db: u32, kp: usize, kl: u32, byte: u32, bit: u32, on: u32): i32 {
  const o = stringForBits(db, kp, kl, byte + 1);
  if (o == 0) return STR_WRONGTYPE;
  const p = o + OBJ_HEADER + <usize>byte;
  const mask = <u32>(0x80 >> bit);
  const v = <u32>load<u8>(p);
  const old: u32 = (v & mask) != 0 ? 1 : 0;
  if (!bitsDirty && old == on) return <i32>old;
  store<u8>(p, <u8>(on != 0 ? v | mask : v & ~mask));
  return <i32>old | SETBIT_CHANGED;
}

// ── Population count and bit search ──────────────────────────────────────────

/** Number of set bits in len bytes at p (Redis's redisPopcount). */
export function bitCount(p: usize, len: u32): f64 {
  let n: u64 = 0;
  let i: usize = 0;
  const end = <usize>len;
  for (; i + WORD <= end; i += WORD) n += popcnt<u64>(load<u64>(p + i));
  for (; i < end; i++) n += <u64>popcnt<u32>(<u32>load<u8>(p + i));
  return <f64>n;
}

/**
 * Position of the first bit equal to `bit` in len bytes at p (Redis's
 * redisBitpos): -1 when looking for a 1 that is not there; len * 8 when
 * looking for a 0 that is not there, as if the string went on with zeros.
 */
export function bitPos(p: usize, len: u32, bit: u32): f64 {
  const skipByte: u32 = bit != 0 ? 0 : 0xff;
  const skipWord: u64 = bit != 0 ? 0 : u64.MAX_VALUE;
  const end = <usize>len;
  let i: usize = 0;
  while (i + WORD <= end && load<u64>(p + i) == skipWord) i += WORD;
  while (i < end && <u32>load<u8>(p + i) == skipByte) i++;
  if (i == end) return bit != 0 ? -1 : <f64>end * 8;
  const v = <u32>load<u8>(p + i);
  // clz over the byte placed at the top of a u32 finds its first 1 bit.
  const first = bit != 0 ? clz<u32>(v << 24) : clz<u32>((~v & 0xff) << 24);
  return <f64>i * 8 + <f64>first;
}

// ── BITOP ────────────────────────────────────────────────────────────────────

/** Per-source descriptor: bytes address, length, room to print an int value. */
// @ts-ignore: decorator
@inline const SRC_SIZE: usize = 32;

/**
 * BITOP over the n keys whose (address, length) pairs are at `keys` (a slice
 * of the argv table). Missing keys count as empty strings, shorter strings
 * are zero-padded. Returns a new raw string object of the longest length,
 * or 0 when every source is empty; ret slot 0 is STR_WRONGTYPE when a key
 * holds another type (keys before it were looked up, as in Redis).
 */
export function bitop(db: u32, op: u32, keys: usize, n: u32): usize {
  const srcs = zmalloc(<usize>n * SRC_SIZE);
  let maxLen: u32 = 0;
  for (let j: usize = 0; j < <usize>n; j++) {
    const o = lookupKey(db, load<u32>(keys + j * 8), load<u32>(keys + j * 8 + 4), LOOKUP_READ);
    const d = srcs + j * SRC_SIZE;
    if (o == 0) {
      store<u64>(d, 0);
      continue;
    }
    if (objType(o) != OBJ_STRING) {
      zfree(srcs);
      setRet(0, STR_WRONGTYPE);
      return 0;
    }
    store<u32>(d, <u32>strBytes(o, d + 8));
    store<u32>(d, strLen(o), 4);
    maxLen = max(maxLen, strLen(o));
  }
  setRet(0, STR_OK);
  if (maxLen == 0) {
    zfree(srcs);
    return 0;
  }
  const res = createZeroedString(maxLen);
  const out = res + OBJ_HEADER;
  memory.copy(out, <usize>load<u32>(srcs), load<u32>(srcs, 4));
  if (op == BITOP_NOT) invert(out, maxLen);
  for (let j: usize = 1; j < <usize>n; j++) {
    const d = srcs + j * SRC_SIZE;
    combine(op, out, maxLen, <usize>load<u32>(d), load<u32>(d, 4));
  }
  zfree(srcs);
  return res;
}

function invert(p: usize, len: u32): void {
  let i: usize = 0;
  const end = <usize>len;
  for (; i + WORD <= end; i += WORD) store<u64>(p + i, ~load<u64>(p + i));
  for (; i < end; i++) store<u8>(p + i, ~load<u8>(p + i));
}

/** out = out OP src over outLen bytes; src is zero past srcLen. */
function combine(op: u32, out: usize, outLen: u32, src: usize, srcLen: u32): void {
  let i: usize = 0;
  const end = <usize>srcLen;
  if (op == BITOP_AND) {
    for (; i + WORD <= end; i += WORD) store<u64>(out + i, load<u64>(out + i) & load<u64>(src + i));
    for (; i < end; i++) store<u8>(out + i, load<u8>(out + i) & load<u8>(src + i));
    // AND with the zero padding clears the rest.
    memory.fill(out + end, 0, <usize>outLen - end);
  } else if (op == BITOP_OR) {
    for (; i + WORD <= end; i += WORD) store<u64>(out + i, load<u64>(out + i) | load<u64>(src + i));
    for (; i < end; i++) store<u8>(out + i, load<u8>(out + i) | load<u8>(src + i));
  } else {
    for (; i + WORD <= end; i += WORD) store<u64>(out + i, load<u64>(out + i) ^ load<u64>(src + i));
    for (; i < end; i++) store<u8>(out + i, load<u8>(out + i) ^ load<u8>(src + i));
  }
}

// ── BITFIELD ─────────────────────────────────────────────────────────────────

/** Reads `bits` bits at bit `offset` of len bytes at p, as unsigned; bytes past len read as 0. */
function getUnsigned(p: usize, len: u32, offset: u64, bits: u32): u64 {
  let v: u64 = 0;
  for (let j: u32 = 0; j < bits; j++) {
    const byte = offset >> 3;
    let b: u64 = 0;
    if (byte < <u64>len) b = (<u64>load<u8>(p + <usize>byte) >> (7 - (offset & 7))) & 1;
    v = (v << 1) | b;
    offset++;
  }
  return v;
}

function getSigned(p: usize, len: u32, offset: u64, bits: u32): i64 {
  let v = <i64>getUnsigned(p, len, offset, bits);
  // Sign-extend from the field's top bit.
  if (bits < 64 && (v & (<i64>1 << (bits - 1))) != 0) v |= <i64>-1 << bits;
  return v;
}

/** Writes the low `bits` bits of v at bit `offset` (the bytes exist). */
function setBits(p: usize, offset: u64, bits: u32, v: u64): void {
  for (let j: u32 = 0; j < bits; j++) {
    const bitval = <u32>((v >> (bits - 1 - j)) & 1);
    const addr = p + <usize>(offset >> 3);
    const shift = <u32>(7 - (offset & 7));
    const byteval = (<u32>load<u8>(addr) & ~(<u32>1 << shift)) | (bitval << shift);
    store<u8>(addr, <u8>byteval);
    offset++;
  }
}

/** BITFIELD GET: the field's value in the object's current bytes (o may be 0: a missing key). */
export function bitfieldGet(o: usize, offset: f64, bits: u32, signed: u32): i64 {
  if (o == 0) return 0;
  const p = strBytes(o, scratch());
  const len = strLen(o);
  if (signed != 0) return getSigned(p, len, <u64>offset, bits);
  return <i64>getUnsigned(p, len, <u64>offset, bits);
}

/** Set by the overflow checks: the wrapped or saturated value. */
let limit: u64 = 0;

/**
 * Redis's checkUnsignedBitfieldOverflow: 1 above the range, -1 below, 0
 * inside; with WRAP or SAT the value to store goes in `limit`.
 */
function unsignedOverflow(value: u64, incr: i64, bits: u32, owtype: u32): i32 {
  const maxv: u64 = bits == 64 ? u64.MAX_VALUE : (<u64>1 << bits) - 1;
  const maxincr = <i64>(maxv - value);
  const minincr = <i64>(0 - value);
  let dir: i32 = 0;
  if (value > maxv || (incr > 0 && incr > maxincr)) dir = 1;
  else if (incr < 0 && incr < minincr) dir = -1;
  if (dir == 0) return 0;
  if (owtype == BFOVERFLOW_WRAP) limit = (value + <u64>incr) & ~(u64.MAX_VALUE << bits);
  else if (owtype == BFOVERFLOW_SAT) limit = dir > 0 ? maxv : 0;
  return dir;
}

/** Redis's checkSignedBitfieldOverflow, with the same `limit` convention. */
function signedOverflow(value: i64, incr: i64, bits: u32, owtype: u32): i32 {
  const maxv: i64 = bits == 64 ? i64.MAX_VALUE : (<i64>1 << (bits - 1)) - 1;
  const minv: i64 = -maxv - 1;
  // Both may wrap, but are only used once `value` is known to be in range.
  const maxincr = maxv - value;
  const minincr = minv - value;
  let dir: i32 = 0;
  if (value > maxv || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) dir = 1;
  else if (value < minv || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) dir = -1;
  if (dir == 0) return 0;
  if (owtype == BFOVERFLOW_WRAP) {
    let c = <u64>value + <u64>incr;
    if (bits < 64) {
      const mask = u64.MAX_VALUE << bits;
      c = (c & (<u64>1 << (bits - 1))) != 0 ? c | mask : c & ~mask;
    }
    limit = c;
  } else if (owtype == BFOVERFLOW_SAT) {
    limit = <u64>(dir > 0 ? maxv : minv);
  }
  return dir;
}

/**
 * BITFIELD SET (incr = 0) or INCRBY (incr = 1) on a string made writable
 * by bitfieldWritable. Returns 1 with the reply value (old value for SET,
 * new value for INCRBY) in the ret i64 and ret slot 1 set when the stored
 * bits changed; returns 0, storing nothing, on overflow with FAIL.
 */
export function bitfieldWrite(o: usize, incr: u32, offset: f64, bits: u32, signed: u32, owtype: u32, value: i64): i32 {
  const p = o + OBJ_HEADER;
  const len = strLen(o);
  const off = <u64>offset;
  let oldv: u64, newv: u64, reply: u64;
  let overflow: i32;
  if (signed != 0) {
    const old = getSigned(p, len, off, bits);
    overflow = incr != 0 ? signedOverflow(old, value, bits, owtype) : signedOverflow(value, 0, bits, owtype);
    const v = overflow != 0 ? <i64>limit : incr != 0 ? old + value : value;
    oldv = <u64>old;
    newv = <u64>v;
  } else {
    const old = getUnsigned(p, len, off, bits);
    overflow = incr != 0 ? unsignedOverflow(old, value, bits, owtype) : unsignedOverflow(<u64>value, 0, bits, owtype);
    oldv = old;
    newv = overflow != 0 ? limit : incr != 0 ? old + <u64>value : <u64>value;
  }
  if (overflow != 0 && owtype == BFOVERFLOW_FAIL) return 0;
  reply = incr != 0 ? newv : oldv;
  setBits(p, off, bits, newv);
  setRetI64(<i64>reply);
  setRet(1, oldv != newv ? 1 : 0);
  return 1;
}
