// xxHash32 over raw bytes, seeded at start-up so clients cannot choose keys
// that collide (Redis seeds SipHash for the same reason).

// @ts-ignore: decorator
@inline const P1: u32 = 2654435761;
// @ts-ignore: decorator
@inline const P2: u32 = 2246822519;
// @ts-ignore: decorator
@inline const P3: u32 = 3266489917;
// @ts-ignore: decorator
@inline const P4: u32 = 668265263;
// @ts-ignore: decorator
@inline const P5: u32 = 374761393;

let seed: u32 = 0x9747b28c;

export function setHashSeed(s: u32): void {
  seed = s;
}

export function hashSeed(): u32 {
  return seed;
}

// @ts-ignore: decorator
@inline function round(acc: u32, lane: u32): u32 {
  return rotl<u32>(acc + lane * P2, 13) * P1;
}

export function hashBytes(p: usize, len: usize): u32 {
  const end = p + len;
  let h: u32;
  if (len >= 16) {
    let v1 = seed + P1 + P2;
    let v2 = seed + P2;
    let v3 = seed;
    let v4 = seed - P1;
    const limit = end - 16;
    do {
      v1 = round(v1, load<u32>(p));
      v2 = round(v2, load<u32>(p, 4));
      v3 = round(v3, load<u32>(p, 8));
      v4 = round(v4, load<u32>(p, 12));
      p += 16;
    } while (p <= limit);
    h = rotl<u32>(v1, 1) + rotl<u32>(v2, 7) + rotl<u32>(v3, 12) + rotl<u32>(v4, 18);
  } else {
    h = seed + P5;
  }
  h += <u32>len;
  while (p + 4 <= end) {
    h = rotl<u32>(h + load<u32>(p) * P3, 17) * P4;
    p += 4;
  }
  while (p < end) {
    h = rotl<u32>(h + <u32>load<u8>(p) * P5, 11) * P1;
    p++;
  }
  h ^= h >> 15;
  h *= P2;
  h ^= h >> 13;
  h *= P3;
  h ^= h >> 16;
  return h;
}

/** Byte-wise equality, eight bytes at a time; lengths are compared by the caller. */
export function bytesEqual(a: usize, b: usize, len: usize): bool {
  while (len >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    len -= 8;
  }
  while (len > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    len--;
  }
  return true;
}

let rngState: u64 = 0x853c49e6748fea9b;

export function setRandomSeed(s: u64): void {
  rngState = s | 1;
}

/** xorshift64*: fast, good enough for sampling (Redis uses random()). */
export function randomU32(): u32 {
  let x = rngState;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rngState = x;
  return <u32>((x * 0x2545f4914f6cdd1d) >> 32);
}
