// Redis's zipmap (zipmap.c, small hashes in RDB files of Redis 2.4 and
// older), read-only: the loader walks one to rebuild the hash. zmValidate
// checks every field and value lies inside the blob before zmNext reads it.
//
//   ┌───────┬─────┬───────┬─────┬──────┬───────┬──────┬─────┬──────┐
//   │ zmlen │ len │ field │ len │ free │ value │ pad  │ ... │ 0xFF │
//   │ u8    │     │       │     │ u8   │       │ free │     │ end  │
//   └───────┴─────┴───────┴─────┴──────┴───────┴──────┴─────┴──────┘
//   len: 1 byte when < 254, else 0xFE followed by a u32 LE
//   zmlen: the pair count, or 254 when it did not fit

// @ts-ignore: decorator
@inline const ZM_BIGLEN: u32 = 254;
// @ts-ignore: decorator
@inline const ZM_END: u32 = 255;

/** Set by zmNext: the field and value of the pair it stepped over. */
export let zmField: usize = 0;
export let zmFieldLen: u32 = 0;
export let zmValue: usize = 0;
export let zmValueLen: u32 = 0;

// @ts-ignore: decorator
@inline function lenSize(p: usize): usize {
  return <u32>load<u8>(p) < ZM_BIGLEN ? 1 : 5;
}

// @ts-ignore: decorator
@inline function decodeLen(p: usize): u32 {
  return <u32>load<u8>(p) < ZM_BIGLEN ? <u32>load<u8>(p) : load<u32>(p, 1);
}

/** zipmapValidateIntegrity, deep: every pair inside, non-empty, the count right unless saturated. */
export function zmValidate(zm: usize, size: u32): bool {
  if (size < 2 || <u32>load<u8>(zm + size - 1) != ZM_END) return false;
  const lo = zm + 2;
  const hi = zm + <usize>size - 1;
  let p = zm + 1;
  let count: u32 = 0;
  while (<u32>load<u8>(p) != ZM_END) {
    let s = lenSize(p);
    if (p + s < lo || p + s > hi) return false;
    p += s + <usize>decodeLen(p);
    if (p < lo || p > hi) return false;
    s = lenSize(p);
    if (p + s < lo || p + s > hi) return false;
    const l = <usize>decodeLen(p);
    p += s;
    const free = <usize>load<u8>(p);
    p += 1 + l + free;
    count++;
    if (p < lo || p > hi) return false;
  }
  if (count == 0) return false;
  const n = <u32>load<u8>(zm);
  return n == ZM_BIGLEN || n == count;
}

/** The first pair of a validated zipmap, as a position for zmNext. */
export function zmFirst(zm: usize): usize {
  return zm + 1;
}

/** Reads the pair at p into zmField/zmValue and returns the next position, or 0 at the end. */
export function zmNext(p: usize): usize {
  if (<u32>load<u8>(p) == ZM_END) return 0;
  zmFieldLen = decodeLen(p);
  zmField = p + lenSize(p);
  p = zmField + zmFieldLen;
  zmValueLen = decodeLen(p);
  p += lenSize(p);
  const free = <usize>load<u8>(p);
  zmValue = p + 1;
  return zmValue + zmValueLen + free;
}
