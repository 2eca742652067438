// RESP request framing in linear memory (Redis's processMultibulkBuffer).
//
// The host copies socket bytes into the input arena once; frame() finds one
// complete `*N\r\n$len\r\n...` command from `pos` and records its arguments
// as (address, length) pairs in the argv table, so handlers and the engine
// read arguments where they already lie: no copy, no JS string.
//
//   argv table: ┌──────┬──────┬──────┬──────┬───┐
//               │ ptr0 │ len0 │ ptr1 │ len1 │ … │   (u32 pairs)
//               └──────┴──────┴──────┴──────┴───┘

import { zmalloc, zfree } from "./mem";
import { setRet } from "./util";
import { commandId } from "./commands";

/** Beyond this a count line with no CRLF is an error (PROTO_INLINE_MAX_SIZE). */
// @ts-ignore: decorator
@inline const INLINE_MAX: u32 = 64 * 1024;
/** Unauthenticated clients may send at most this many arguments... */
// @ts-ignore: decorator
@inline const UNAUTH_MAX_ARGS: i64 = 10;
/** ...each at most this long, so they cannot make the server allocate much. */
// @ts-ignore: decorator
@inline const UNAUTH_MAX_BULK: i64 = 16384;

export const FRAME_INCOMPLETE: i32 = 0;
export const ERR_MBULK_LEN: i32 = -1;
export const ERR_BULK_LEN: i32 = -2;
export const ERR_EXPECTED_DOLLAR: i32 = -3;
export const ERR_BIG_MBULK: i32 = -4;
export const ERR_BIG_BULK: i32 = -5;
export const ERR_UNAUTH_MBULK: i32 = -6;
export const ERR_UNAUTH_BULK: i32 = -7;
export const FRAME_INLINE: i32 = -100;

let argvTable: usize = 0;
let argvCap: u32 = 0;
export let argc: u32 = 0;

export function argvPtr(): usize {
  return argvTable;
}

/** Makes room for n arguments; returns the (possibly moved) table. */
export function argvReserve(n: u32): usize {
  if (n > argvCap) {
    let cap = argvCap == 0 ? <u32>64 : argvCap;
    while (cap < n) cap <<= 1;
    const t = zmalloc(<usize>cap << 3);
    if (argvTable != 0) zfree(argvTable);
    argvTable = t;
    argvCap = cap;
  }
  return argvTable;
}

export function setArgc(n: u32): void {
  argc = n;
}

/**
 * Offset from p of the first '\r' before end, or -1. Redis looks for it
 * with strchr, so a NUL byte ends the search as if nothing were there yet.
 */
function findCR(p: usize, end: usize): isize {
  for (let q = p; q < end; q++) {
    const b = load<u8>(q);
    if (b == 0x0d) return <isize>(q - p);
    if (b == 0) return -1;
  }
  return -1;
}

/** Parses a decimal count (string2ll rules); parseFail is set on error. */
let parseFail = false;
function parseCount(p: usize, len: usize): i64 {
  parseFail = true;
  if (len == 0 || len > 20) return 0;
  let i: usize = 0;
  let neg = false;
  if (load<u8>(p) == 0x2d) {
    neg = true;
    i = 1;
    if (len == 1) return 0;
  }
  let v: i64 = 0;
  for (; i < len; i++) {
    const c = load<u8>(p + i);
    if (c < 0x30 || c > 0x39) return 0;
    if (v > 922337203685477580) return 0;
    v = v * 10 + <i64>(c - 0x30);
    if (v < 0) return 0;
  }
  // Redis rejects leading zeros ("01") like any non-canonical integer.
  if (len - (neg ? 1 : 0) > 1 && load<u8>(p + (neg ? 1 : 0)) == 0x30) return 0;
  if (neg && v == 0) return 0;
  parseFail = false;
  return neg ? -v : v;
}

/**
 * Frames one command starting at buf+pos (of len bytes in all). Returns the
 * position after it (argv filled, argc may be 0 for an empty `*0`), 0 when
 * more bytes are needed (ret slot 0: total bytes from pos known to be needed),
 * FRAME_INLINE when the request is not a multibulk, or an ERR_* code (ret
 * slot 1: the offending byte for ERR_EXPECTED_DOLLAR).
 */
export function frame(buf: usize, len: u32, pos: u32, maxBulk: f64, authed: bool): i32 {
  const end = buf + len;
  let p = buf + pos;
  if (load<u8>(p) != 0x2a) return FRAME_INLINE;
  let cr = findCR(p + 1, end);
  if (cr < 0) {
    if (len - pos > INLINE_MAX) return ERR_BIG_MBULK;
    setRet(0, <i32>(len - pos + 1));
    return FRAME_INCOMPLETE;
  }
  // Redis reads the line only once the byte after its '\r' arrived too.
  if (p + 2 + <usize>cr >= end) {
    setRet(0, <i32>(len - pos + 1));
    return FRAME_INCOMPLETE;
  }
  const count = parseCount(p + 1, <usize>cr);
  if (parseFail || count > <i64>i32.MAX_VALUE) return ERR_MBULK_LEN;
  if (count > UNAUTH_MAX_ARGS && !authed) return ERR_UNAUTH_MBULK;
  p += 1 + <usize>cr + 2;
  if (count <= 0) {
    if (p > end) {
      setRet(0, <i32>(p - buf - pos));
      return FRAME_INCOMPLETE;
    }
    argc = 0;
    setRet(2, 0);
    return <i32>(p - buf);
  }
  const n = <u32>count;
  // The table is sized for what could possibly fit in the buffer, not for
  // the claimed count, so a hostile `*2147483647` allocates nothing.
  let table = argvReserve(min(n, 1024));
  for (let i: u32 = 0; i < n; i++) {
    if (p >= end) {
      setRet(0, <i32>(p - buf - pos + 4 * (n - i)));
      return FRAME_INCOMPLETE;
    }
    cr = findCR(p, end);
    if (cr < 0) {
      if (<u32>(end - p) > INLINE_MAX) return ERR_BIG_BULK;
      setRet(0, <i32>(end - buf - pos + 1));
      return FRAME_INCOMPLETE;
    }
    if (p + 1 + <usize>cr >= end) {
      setRet(0, <i32>(end - buf - pos + 1));
      return FRAME_INCOMPLETE;
    }
    if (load<u8>(p) != 0x24) {
      setRet(1, <i32>load<u8>(p));
      return ERR_EXPECTED_DOLLAR;
    }
    const blen = parseCount(p + 1, <usize>(cr - 1));
    if (parseFail || blen < 0 || <f64>blen > maxBulk) return ERR_BULK_LEN;
    if (blen > UNAUTH_MAX_BULK && !authed) return ERR_UNAUTH_BULK;
    const data = p + <usize>cr + 2;
    // Redis skips the two bytes after the payload without checking them.
    const next = <u64>data + <u64>blen + 2;
    if (next > <u64>end) {
      setRet(0, <i32>min<u64>(next - <u64>(buf + pos), <u64>i32.MAX_VALUE));
      return FRAME_INCOMPLETE;
    }
    if (i >= argvCap) table = growArgv(i + 1);
    store<u32>(table + (<usize>i << 3), <u32>data);
    store<u32>(table + (<usize>i << 3), <u32>blen, 4);
    p = <usize>next;
  }
  argc = n;
  // The host reads argc, the table address and the command id from the ret
  // area: cheaper than globals or another call.
  setRet(2, <i32>n);
  setRet(3, <i32>argvTable);
  setRet(4, commandId(<usize>load<u32>(table), load<u32>(table, 4)));
  return <i32>(p - buf);
}

function growArgv(n: u32): usize {
  const old = argvTable;
  const oldCap = argvCap;
  let cap = oldCap << 1;
  while (cap < n) cap <<= 1;
  const t = zmalloc(<usize>cap << 3);
  memory.copy(t, old, <usize>oldCap << 3);
  zfree(old);
  argvTable = t;
  argvCap = cap;
  return t;
}

// ── Input arena ──────────────────────────────────────────────────────────────

let arena: usize = 0;
let arenaCap: u32 = 0;

/** Returns an input arena of at least n bytes (contents not preserved). */
export function inputArena(n: u32): usize {
  if (n > arenaCap) {
    if (arena != 0) zfree(arena);
    let cap = arenaCap == 0 ? <u32>65536 : arenaCap;
    while (cap < n) cap <<= 1;
    arena = zmalloc(cap);
    arenaCap = cap;
  }
  return arena;
}

/** Releases an arena grown for one huge request, so its memory is not kept forever. */
export function shrinkInputArena(): void {
  if (arenaCap > 4 * 1024 * 1024) {
    zfree(arena);
    arena = 0;
    arenaCap = 0;
  }
}
