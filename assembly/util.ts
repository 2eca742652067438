// Integer <-> decimal conversions with Redis's exact rules (util.c's
// string2ll and ll2string), plus the small return area that lets an export
// hand back more than one value.

/** Set by string2ll: whether the last parse succeeded. */
export let parseOk = false;

/**
 * Parses a canonical signed 64-bit decimal: optional '-', no '+', no leading
 * zeros, no spaces, at most 20 characters, no overflow. "-0" is rejected, as
 * in Redis, so that a string and its integer encoding always round-trip.
 */
export function string2ll(p: usize, len: usize): i64 {
  parseOk = false;
  if (len == 0 || len > 20) return 0;
  let i: usize = 0;
  let negative = false;
  if (len == 1 && load<u8>(p) == 0x30) {
    parseOk = true;
    return 0;
  }
  if (load<u8>(p) == 0x2d) {
    negative = true;
    i = 1;
    if (len == 1) return 0;
  }
  const first = load<u8>(p + i);
  if (first < 0x31 || first > 0x39) return 0;
  let v: u64 = <u64>(first - 0x30);
  i++;
  for (; i < len; i++) {
    const c = load<u8>(p + i);
    if (c < 0x30 || c > 0x39) return 0;
    if (v > <u64>0xffffffffffffffff / 10) return 0;
    v *= 10;
    const d = <u64>(c - 0x30);
    if (v > <u64>0xffffffffffffffff - d) return 0;
    v += d;
  }
  if (negative) {
    if (v > <u64>1 << 63) return 0;
    parseOk = true;
    return -(<i64>v);
  }
  if (v > <u64>i64.MAX_VALUE) return 0;
  parseOk = true;
  return <i64>v;
}

/** Writes v in decimal at dst (room for 20 bytes) and returns the length. */
export function ll2string(dst: usize, v: i64): u32 {
  let u: u64 = v < 0 ? <u64>(-v) : <u64>v;
  let len: u32 = v < 0 ? 1 : 0;
  let t = u;
  do {
    len++;
    t /= 10;
  } while (t != 0);
  let q = dst + len;
  do {
    q--;
    store<u8>(q, <u8>(0x30 + <u32>(u % 10)));
    u /= 10;
  } while (u != 0);
  if (v < 0) store<u8>(dst, 0x2d);
  return len;
}

/** Digits needed to print v, sign included. */
export function digits10(v: i64): u32 {
  let u: u64 = v < 0 ? <u64>(-v) : <u64>v;
  let n: u32 = v < 0 ? 2 : 1;
  while (u >= 10) {
    u /= 10;
    n++;
  }
  return n;
}

// ── Return area ──────────────────────────────────────────────────────────────
// Exports that produce several values store the extra ones here; the binding
// reads them through its typed views. Slots: 0..7 i32, then an i64 at +32 and
// an f64 at +40, scratch bytes for number formatting from +48.

export const RET_SIZE: usize = 128;
export const retArea: usize = heap.alloc(RET_SIZE);

// @ts-ignore: decorator
@inline export function setRet(slot: usize, v: i32): void {
  store<i32>(retArea + (slot << 2), v);
}

// @ts-ignore: decorator
@inline export function setRetI64(v: i64): void {
  store<i64>(retArea, v, 32);
}

// @ts-ignore: decorator
@inline export function scratch(): usize {
  return retArea + 48;
}
