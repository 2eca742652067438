// Redis's ziplist (ziplist.c, the compact encoding before 7.0), read-only:
// RDB files from Redis 6.2 and older carry small hashes, lists and sorted
// sets as ziplists, which the loader walks to rebuild them in today's
// encodings. Nothing is trusted: zlValidate checks every entry lies inside
// the blob before any other function reads it.
//
//   ┌─────────┬────────┬───────┬─────────┬─────────┬─────┬──────┐
//   │ zlbytes │ zltail │ zllen │ entry 0 │ entry 1 │ ... │ 0xFF │
//   │ u32 LE  │ u32 LE │ u16LE │         │         │     │ end  │
//   └─────────┴────────┴───────┴─────────┴─────────┴─────┴──────┘
//     +0        +4       +8      +10 (ZL_HEADER)
//
//   entry: prevlen (1 byte < 254, or 0xFE + u32 LE) · encoding · data
//   encoding   00llllll             string, 6-bit length
//              01llllll llllllll    string, 14-bit length (big endian)
//              10000000 u32 BE      string, 32-bit length
//              0xC0 i16 · 0xD0 i32 · 0xE0 i64 · 0xF0 i24 · 0xFE i8 (little endian)
//              0xF1 .. 0xFD         immediate 0 .. 12

// @ts-ignore: decorator
@inline const ZL_HEADER: usize = 10;
// @ts-ignore: decorator
@inline const ZL_END: u32 = 0xff;
// @ts-ignore: decorator
@inline const ZL_BIG_PREVLEN: u32 = 0xfe;
// @ts-ignore: decorator
@inline const ZL_COUNT_UNKNOWN: u32 = 0xffff;

/** Set by zlGet: a string's length, or the integer when zlGet returned 0. */
export let zlLen: u32 = 0;
export let zlInt: i64 = 0;

/** Set by decode: the entry's header size (prevlen + encoding) and data size. */
let headerSize: u32 = 0;
let dataSize: u32 = 0;

/** Decodes the entry at p without reading past end; false when it does not fit or is malformed. */
function decode(p: usize, end: usize): bool {
  if (p >= end) return false;
  const pl: usize = load<u8>(p) < ZL_BIG_PREVLEN ? 1 : 5;
  if (p + pl >= end) return false;
  const e = p + pl;
  const b = <u32>load<u8>(e);
  let encLen: usize = 1;
  let len: u64 = 0;
  switch (b >> 6) {
    case 0:
      len = <u64>(b & 0x3f);
      break;
    case 1:
      encLen = 2;
      if (e + 1 >= end) return false;
      len = (<u64>(b & 0x3f) << 8) | <u64>load<u8>(e, 1);
      break;
    case 2:
      // Redis masks the low bits of a string encoding: any 10xxxxxx is the 32-bit form.
      encLen = 5;
      if (e + 4 >= end) return false;
      len = <u64>bswap<u32>(load<u32>(e, 1));
      break;
    default:
      len = intDataSize(b);
      if (len == u64.MAX_VALUE) return false;
  }
  headerSize = <u32>(pl + encLen);
  if (<u64>(end - p) < <u64>headerSize + len) return false;
  dataSize = <u32>len;
  return true;
}

/** Bytes of an integer encoding's data, or u64.MAX_VALUE for an invalid encoding byte. */
function intDataSize(b: u32): u64 {
  if (b == 0xc0) return 2;
  if (b == 0xd0) return 4;
  if (b == 0xe0) return 8;
  if (b == 0xf0) return 3;
  if (b == 0xfe) return 1;
  if (b >= 0xf1 && b <= 0xfd) return 0;
  return u64.MAX_VALUE;
}

// @ts-ignore: decorator
@inline function prevlen(p: usize): u32 {
  return load<u8>(p) < ZL_BIG_PREVLEN ? <u32>load<u8>(p) : load<u32>(p, 1);
}

/**
 * ziplistValidateIntegrity, deep: header and size agree, every entry lies
 * inside, each prevlen is its predecessor's size, zltail points at the last
 * entry and zllen (unless saturated) is the entry count.
 */
export function zlValidate(zl: usize, size: u32): bool {
  if (<usize>size < ZL_HEADER + 1) return false;
  if (load<u32>(zl) != size || <u32>load<u8>(zl + size - 1) != ZL_END) return false;
  const end = zl + size - 1;
  const tail = <usize>load<u32>(zl, 4);
  if (tail > <usize>size - 1) return false;
  let p = zl + ZL_HEADER;
  let prev: u32 = 0;
  let last: usize = 0;
  let count: u32 = 0;
  while (p < end && <u32>load<u8>(p) != ZL_END) {
    if (!decode(p, end)) return false;
    if (prevlen(p) != prev) return false;
    prev = headerSize + dataSize;
    last = p;
    p += prev;
    count++;
  }
  if (p != end) return false;
  if (count != 0 && last != zl + tail) return false;
  const n = <u32>load<u16>(zl, 8);
  return n == ZL_COUNT_UNKNOWN || n == count;
}

/** The first entry of a validated ziplist, or 0. */
export function zlFirst(zl: usize): usize {
  const p = zl + ZL_HEADER;
  return <u32>load<u8>(p) == ZL_END ? 0 : p;
}

/** The entry after p in a validated ziplist, or 0. */
export function zlNext(zl: usize, p: usize): usize {
  decode(p, zl + load<u32>(zl) - 1);
  const n = p + headerSize + dataSize;
  return <u32>load<u8>(n) == ZL_END ? 0 : n;
}

/** An entry's string (returns its address, length in zlLen), or 0 for an integer (in zlInt). */
export function zlGet(zl: usize, p: usize): usize {
  decode(p, zl + load<u32>(zl) - 1);
  const e = p + (load<u8>(p) < ZL_BIG_PREVLEN ? 1 : 5);
  const b = <u32>load<u8>(e);
  if (b >> 6 != 3) {
    zlLen = dataSize;
    return p + headerSize;
  }
  const d = e + 1;
  if (b == 0xc0) zlInt = <i64>load<i16>(d);
  else if (b == 0xd0) zlInt = <i64>load<i32>(d);
  else if (b == 0xe0) zlInt = load<i64>(d);
  else if (b == 0xf0) zlInt = <i64>((<i32>(<u32>load<u16>(d) | (<u32>load<u8>(d, 2) << 16)) << 8) >> 8);
  else if (b == 0xfe) zlInt = <i64>load<i8>(d);
  else zlInt = <i64>((b & 0x0f) - 1);
  return 0;
}
