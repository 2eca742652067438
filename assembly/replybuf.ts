// Reply bytes written in WASM for replies with many elements (LRANGE, LPOP
// with a count, LPOS COUNT...): the engine walks its structure once and
// writes RESP here, and the host copies the whole block into the client's
// reply in one go instead of one call per element.
//
//   ┌──────────────────────────────────────────────┬───────────┐
//   │ RESP bytes: *N\r\n $len\r\n bytes\r\n :n\r\n … │ (spare)   │
//   └──────────────────────────────────────────────┴───────────┘
//   rbPtr()                                 rbPtr()+rbLen      cap
//
// Only forms that RESP2 and RESP3 share are written here; nulls and maps
// stay with the host's writer.

import { zfree, zmalloc } from "./mem";
import { ll2string, digits10 } from "./util";

// @ts-ignore: decorator
@inline const INITIAL_CAP: u32 = 4096;
/** A buffer grown past this for one big reply is given back by rbShrink. */
// @ts-ignore: decorator
@inline const KEEP_CAP: u32 = 1 << 20;
/** Longest "$<digits>\r\n" or ":<digits>\r\n" header: sign, 19 digits, type byte, CRLF. */
// @ts-ignore: decorator
@inline const MAX_HEADER: u32 = 24;

let buf: usize = 0;
let cap: u32 = 0;
export let rbLen: u32 = 0;

export function rbReset(): void {
  rbLen = 0;
}

export function rbPtr(): usize {
  return buf;
}

/** Bytes written since the last reset. */
export function rbSize(): u32 {
  return rbLen;
}

/** Frees a buffer that grew large, once its bytes have been copied out. */
export function rbShrink(): void {
  if (cap > KEEP_CAP) {
    zfree(buf);
    buf = 0;
    cap = 0;
  }
  rbLen = 0;
}

function ensure(n: u32): void {
  const need = <u64>rbLen + <u64>n;
  if (need <= <u64>cap) return;
  let c: u64 = cap == 0 ? INITIAL_CAP : cap;
  while (c < need) c <<= 1;
  const p = zmalloc(<usize>c);
  if (buf != 0) {
    memory.copy(p, buf, rbLen);
    zfree(buf);
  }
  buf = p;
  cap = <u32>c;
}

// @ts-ignore: decorator
@inline function put(b: u32): void {
  store<u8>(buf + rbLen, <u8>b);
  rbLen++;
}

// @ts-ignore: decorator
@inline function crlf(): void {
  put(13);
  put(10);
}

function header(type: u32, n: i64): void {
  ensure(MAX_HEADER);
  put(type);
  rbLen += ll2string(buf + rbLen, n);
  crlf();
}

/** `*n\r\n`. */
export function rbArray(n: i64): void {
  header(0x2a, n);
}

/** `:n\r\n`. */
export function rbInt(n: i64): void {
  header(0x3a, n);
}

/** A bulk string of the bytes at p. */
export function rbBulk(p: usize, len: u32): void {
  header(0x24, <i64>len);
  ensure(len + 2);
  memory.copy(buf + rbLen, p, len);
  rbLen += len;
  crlf();
}

/** A bulk string holding v in decimal (addReplyBulkLongLong). */
export function rbBulkInt(v: i64): void {
  header(0x24, <i64>digits10(v));
  ensure(MAX_HEADER);
  rbLen += ll2string(buf + rbLen, v);
  crlf();
}
