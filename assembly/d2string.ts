// Sorted-set scores as text, byte for byte with Redis 7.0 on x86-64 glibc:
// d2string (util.c), which writes the non-integer scores of listpack zset
// entries, and strtod, which reads them back (zzlStrtod). Both are exact: printf's
// "%.17g" and strtod round correctly, so the digits come from big-integer
// arithmetic, not from floating point.
//
//   bignum (BN_BYTES, little-endian 32-bit limbs)
//   ┌───────────┬─────────┬─────────┬─────┬──────────────────┐
//   │ len (u32) │ limb 0  │ limb 1  │ ... │ limb BN_LIMBS-1  │
//   └───────────┴─────────┴─────────┴─────┴──────────────────┘
//     +0          +4 (least significant)
//
// A double is m·2^e. Its exact decimal expansion is the digits of m·2^e
// (e >= 0) or of m·5^-e with the point moved -e places (e < 0): at most
// 767 significant digits, so 4096-bit bignums with room to spare.

// @ts-ignore: decorator
@inline const BN_LIMBS: u32 = 160;
// @ts-ignore: decorator
@inline const BN_BYTES: usize = 4 + (<usize>BN_LIMBS << 2);
/** 5^13, the largest power of five in a limb. */
// @ts-ignore: decorator
@inline const POW5_13: u32 = 1220703125;
/** 10^9, the largest power of ten in a limb: decimal digits come out nine at a time. */
// @ts-ignore: decorator
@inline const POW10_9: u32 = 1000000000;
/** Significant digits of "%.17g". */
// @ts-ignore: decorator
@inline const G_PRECISION: i32 = 17;
/** zzlStrtod copies at most this many bytes into its buffer before calling strtod. */
// @ts-ignore: decorator
@inline const STRTOD_MAX_INPUT: u32 = 127;
/** Significant digits kept when reading a number; the rest only marks the value as larger. */
// @ts-ignore: decorator
@inline const MAX_READ_DIGITS: i32 = 120;
/** Steps of one ulp the correction loop may take from the first approximation. */
// @ts-ignore: decorator
@inline const MAX_CORRECTIONS: i32 = 64;
// @ts-ignore: decorator
@inline const F64_FRACTION_MASK: u64 = (<u64>1 << 52) - 1;
// @ts-ignore: decorator
@inline const F64_HIDDEN_BIT: u64 = <u64>1 << 52;

const bnA: usize = memory.data(<i32>BN_BYTES, 8);
const bnB: usize = memory.data(<i32>BN_BYTES, 8);
const bnT: usize = memory.data(<i32>BN_BYTES, 8);
const bnP5: usize = memory.data(<i32>BN_BYTES, 8);
/** Decimal digits of a bignum, most significant first (ASCII). */
const digitBuf: usize = memory.data(1024);
/** Nine-digit chunks produced while printing a bignum, least significant first. */
const chunkBuf: usize = memory.data(512);
/** Significant digits read by strtod (ASCII). */
const readBuf: usize = memory.data(MAX_READ_DIGITS + 8);

// ── Bignum ───────────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline function bnLen(a: usize): u32 {
  return load<u32>(a);
}

// @ts-ignore: decorator
@inline function limb(a: usize, i: u32): u32 {
  return load<u32>(a + 4 + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function setLimb(a: usize, i: u32, v: u32): void {
  store<u32>(a + 4 + (<usize>i << 2), v);
}

function bnTrim(a: usize): void {
  let n = bnLen(a);
  while (n > 0 && limb(a, n - 1) == 0) n--;
  store<u32>(a, n);
}

function bnSetU64(a: usize, v: u64): void {
  setLimb(a, 0, <u32>v);
  setLimb(a, 1, <u32>(v >> 32));
  store<u32>(a, 2);
  bnTrim(a);
}

function bnCopy(dst: usize, src: usize): void {
  memory.copy(dst, src, 4 + (<usize>bnLen(src) << 2));
}

function bnMulSmall(a: usize, m: u32): void {
  let carry: u64 = 0;
  const n = bnLen(a);
  for (let i: u32 = 0; i < n; i++) {
    const t = <u64>limb(a, i) * <u64>m + carry;
    setLimb(a, i, <u32>t);
    carry = t >> 32;
  }
  if (carry != 0) {
    setLimb(a, n, <u32>carry);
    store<u32>(a, n + 1);
  }
}

function bnAddSmall(a: usize, v: u32): void {
  let carry = <u64>v;
  const n = bnLen(a);
  for (let i: u32 = 0; i < n && carry != 0; i++) {
    const t = <u64>limb(a, i) + carry;
    setLimb(a, i, <u32>t);
    carry = t >> 32;
  }
  if (carry != 0) {
    setLimb(a, n, <u32>carry);
    store<u32>(a, n + 1);
  }
}

function bnMulPow5(a: usize, k: u32): void {
  while (k >= 13) {
    bnMulSmall(a, POW5_13);
    k -= 13;
  }
  let p: u32 = 1;
  while (k-- > 0) p *= 5;
  if (p != 1) bnMulSmall(a, p);
}

/** a = a * v for a 64-bit v, through t (clobbered). */
function bnMulU64(a: usize, v: u64, t: usize): void {
  const hi = <u32>(v >> 32);
  if (hi == 0) return bnMulSmall(a, <u32>v);
  bnCopy(t, a);
  bnMulSmall(t, hi);
  bnMulSmall(a, <u32>v);
  // a += t << 32
  let carry: u64 = 0;
  const tn = bnLen(t);
  let n = bnLen(a);
  for (let i: u32 = 0; i < tn || carry != 0; i++) {
    const j = i + 1;
    const av: u64 = j < n ? <u64>limb(a, j) : 0;
    const tv: u64 = i < tn ? <u64>limb(t, i) : 0;
    const s = av + tv + carry;
    setLimb(a, j, <u32>s);
    carry = s >> 32;
    if (j >= n) n = j + 1;
  }
  store<u32>(a, n);
  bnTrim(a);
}

function bnShl(a: usize, bits: u32): void {
  if (bnLen(a) == 0 || bits == 0) return;
  const words = bits >> 5;
  const rem = bits & 31;
  const n = bnLen(a);
  if (rem == 0) {
    for (let i = <i32>n - 1; i >= 0; i--) setLimb(a, <u32>i + words, limb(a, <u32>i));
    setLimb(a, n + words, 0);
  } else {
    setLimb(a, n + words, 0);
    for (let i = <i32>n - 1; i >= 0; i--) {
      const v = limb(a, <u32>i);
      setLimb(a, <u32>i + words + 1, limb(a, <u32>i + words + 1) | (v >> (32 - rem)));
      setLimb(a, <u32>i + words, v << rem);
    }
  }
  for (let i: u32 = 0; i < words; i++) setLimb(a, i, 0);
  store<u32>(a, n + words + 1);
  bnTrim(a);
}

function bnCmp(a: usize, b: usize): i32 {
  const na = bnLen(a);
  const nb = bnLen(b);
  if (na != nb) return na > nb ? 1 : -1;
  for (let i = <i32>na - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x > y ? 1 : -1;
  }
  return 0;
}

/** a = a / d; returns the remainder. */
function bnDivSmall(a: usize, d: u32): u32 {
  let rem: u64 = 0;
  for (let i = <i32>bnLen(a) - 1; i >= 0; i--) {
    const cur = (rem << 32) | <u64>limb(a, <u32>i);
    setLimb(a, <u32>i, <u32>(cur / <u64>d));
    rem = cur % <u64>d;
  }
  bnTrim(a);
  return <u32>rem;
}

/** Prints a bignum in decimal into digitBuf; returns the digit count. */
function bnToDecimal(a: usize): i32 {
  let chunks: i32 = 0;
  while (bnLen(a) != 0) {
    store<u32>(chunkBuf + (<usize>chunks << 2), bnDivSmall(a, POW10_9));
    chunks++;
  }
  if (chunks == 0) {
    store<u8>(digitBuf, 0x30);
    return 1;
  }
  let n: i32 = 0;
  let top = load<u32>(chunkBuf + (<usize>(chunks - 1) << 2));
  // The most significant chunk without leading zeros, the others nine digits each.
  const tmp = digitBuf + 1000;
  let t: i32 = 0;
  do {
    store<u8>(tmp + t++, <u8>(0x30 + top % 10));
    top /= 10;
  } while (top != 0);
  while (t > 0) store<u8>(digitBuf + n++, load<u8>(tmp + --t));
  for (let c = chunks - 2; c >= 0; c--) {
    let v = load<u32>(chunkBuf + (<usize>c << 2));
    for (let k: i32 = 8; k >= 0; k--) {
      store<u8>(digitBuf + n + k, <u8>(0x30 + v % 10));
      v /= 10;
    }
    n += 9;
  }
  return n;
}

// ── d2string ─────────────────────────────────────────────────────────────────

/** Writes s at dst; returns its length. */
function putStr(dst: usize, s: string): u32 {
  for (let i = 0; i < s.length; i++) store<u8>(dst + i, <u8>s.charCodeAt(i));
  return <u32>s.length;
}

function putInt(dst: usize, v: i64): u32 {
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

/**
 * Redis 7.0's d2string: "nan", "inf", "-inf"; integral values strictly
 * between -(2^52-1) and 2^52 through the integer printer; everything else
 * as "%.17g". Writes at dst (room for 32 bytes) and returns the length.
 * (zzlInsertAt stores integral scores as integers before it gets here.)
 */
export function d2string(dst: usize, v: f64): u32 {
  if (isNaN(v)) return putStr(dst, "nan");
  if (!isFinite(v)) return putStr(dst, v > 0 ? "inf" : "-inf");
  if (v > -4503599627370495.0 && v < 4503599627370496.0 && v == <f64><i64>v) return putInt(dst, <i64>v);
  return formatG17(dst, v);
}

/** printf("%.17g") of a finite double, exactly. */
export function formatG17(dst: usize, v: f64): u32 {
  if (v == 0) return putStr(dst, (reinterpret<u64>(v) >> 63) != 0 ? "-0" : "0");
  const bits = reinterpret<u64>(v);
  const biased = <i32>((bits >> 52) & 0x7ff);
  let m: u64 = bits & F64_FRACTION_MASK;
  let e: i32;
  if (biased == 0) {
    e = -1074;
  } else {
    m |= F64_HIDDEN_BIT;
    e = biased - 1075;
  }
  // Fewer bits to carry: move trailing zero bits into the exponent.
  if (e < 0) {
    const k = min(<i32>ctz(m), -e);
    m >>= <u64>k;
    e += k;
  }
  bnSetU64(bnA, m);
  let lastExp: i32 = 0;
  if (e >= 0) {
    bnShl(bnA, <u32>e);
  } else {
    bnMulPow5(bnA, <u32>-e);
    lastExp = e;
  }
  let n = bnToDecimal(bnA);
  let exp10 = n - 1 + lastExp;
  if (n > G_PRECISION) {
    if (roundsUp(n)) {
      let i = G_PRECISION - 1;
      while (i >= 0 && load<u8>(digitBuf + i) == 0x39) store<u8>(digitBuf + i--, 0x30);
      if (i < 0) {
        store<u8>(digitBuf, 0x31);
        exp10++;
      } else {
        store<u8>(digitBuf + i, load<u8>(digitBuf + i) + 1);
      }
    }
    n = G_PRECISION;
  }
  while (n > 1 && load<u8>(digitBuf + n - 1) == 0x30) n--;
  let len: u32 = 0;
  if (bits >> 63 != 0) store<u8>(dst + len++, 0x2d);
  return len + layoutG(dst + len, n, exp10);
}

/** Whether digits [17, n) of digitBuf round the first 17 up (ties to even). */
function roundsUp(n: i32): bool {
  const d = load<u8>(digitBuf + G_PRECISION);
  if (d != 0x35) return d > 0x35;
  for (let i = G_PRECISION + 1; i < n; i++) if (load<u8>(digitBuf + i) != 0x30) return true;
  return (load<u8>(digitBuf + G_PRECISION - 1) & 1) != 0;
}

/**
 * C's %g layout of n significant digits (no trailing zeros) whose first has
 * decimal exponent exp10: exponent style below 1e-4 or from 1e17 on.
 */
function layoutG(dst: usize, n: i32, exp10: i32): u32 {
  let p = dst;
  if (exp10 < -4 || exp10 >= G_PRECISION) {
    store<u8>(p++, load<u8>(digitBuf));
    if (n > 1) {
      store<u8>(p++, 0x2e);
      memory.copy(p, digitBuf + 1, n - 1);
      p += n - 1;
    }
    store<u8>(p++, 0x65);
    store<u8>(p++, exp10 < 0 ? 0x2d : 0x2b);
    const ax = exp10 < 0 ? -exp10 : exp10;
    if (ax < 10) store<u8>(p++, 0x30);
    p += putInt(p, ax);
    return <u32>(p - dst);
  }
  if (exp10 < 0) {
    store<u8>(p++, 0x30);
    store<u8>(p++, 0x2e);
    for (let i = 0; i < -exp10 - 1; i++) store<u8>(p++, 0x30);
    memory.copy(p, digitBuf, n);
    return <u32>(p + n - dst);
  }
  const intDigits = exp10 + 1;
  for (let i = 0; i < intDigits; i++) store<u8>(p++, i < n ? load<u8>(digitBuf + i) : 0x30);
  if (n > intDigits) {
    store<u8>(p++, 0x2e);
    memory.copy(p, digitBuf + intDigits, n - intDigits);
    p += n - intDigits;
  }
  return <u32>(p - dst);
}

// ── strtod ───────────────────────────────────────────────────────────────────

/** Set by parseDecimal: significant digits in readBuf, their count, and the power of ten of the last. */
let readDigits: i32 = 0;
let readExp: i32 = 0;
/** Digits beyond MAX_READ_DIGITS were not all zero. */
let readSticky = false;

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d);
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

// @ts-ignore: decorator
@inline function lower(c: u32): u32 {
  return c | 0x20;
}

/** Whether the bytes at p (n left) start with the lower-case word w, in any case. */
function startsWithWord(p: usize, n: u32, w: string): bool {
  if (n < <u32>w.length) return false;
  for (let i = 0; i < w.length; i++) if (lower(<u32>load<u8>(p + i)) != <u32>w.charCodeAt(i)) return false;
  return true;
}

/**
 * C's strtod over the first bytes at p (at most STRTOD_MAX_INPUT, as
 * zzlStrtod copies), reading the longest valid prefix: leading spaces, a
 * sign, "inf"/"infinity"/"nan" or decimal digits with an optional point and
 * exponent. Nothing valid reads as 0. Hexadecimal literals never appear in
 * listpack scores and read as their leading "0".
 */
export function zzlStrtod(p: usize, len: u32): f64 {
  let n = min(len, STRTOD_MAX_INPUT);
  while (n > 0 && isSpace(<u32>load<u8>(p))) {
    p++;
    n--;
  }
  let negative = false;
  if (n > 0 && (load<u8>(p) == 0x2d || load<u8>(p) == 0x2b)) {
    negative = load<u8>(p) == 0x2d;
    p++;
    n--;
  }
  let v: f64;
  if (startsWithWord(p, n, "inf")) v = Infinity;
  else if (startsWithWord(p, n, "nan")) v = NaN;
  else v = parseDecimal(p, n) ? decimalToDouble() : 0;
  return negative ? -v : v;
}

/** Reads digits[.digits][e[+-]digits] at p; false when no digit is there. */
function parseDecimal(p: usize, n: u32): bool {
  readDigits = 0;
  readExp = 0;
  readSticky = false;
  let i: u32 = 0;
  let seen = false;
  let afterPoint = false;
  for (; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2e && !afterPoint) {
      afterPoint = true;
      continue;
    }
    if (!isDigit(c)) break;
    seen = true;
    if (afterPoint) readExp--;
    if (readDigits == 0 && c == 0x30) continue;
    if (readDigits < MAX_READ_DIGITS) {
      store<u8>(readBuf + readDigits++, <u8>c);
    } else {
      readExp++;
      if (c != 0x30) readSticky = true;
    }
  }
  if (!seen) return false;
  if (i < n && lower(<u32>load<u8>(p + i)) == 0x65) readExp += parseExponent(p + i + 1, n - i - 1);
  // Trailing zeros carry no information: fold them into the exponent.
  while (readDigits > 0 && load<u8>(readBuf + readDigits - 1) == 0x30) {
    readDigits--;
    readExp++;
  }
  return true;
}

/** The exponent after 'e' (0 when no digit follows, as strtod then stops before the 'e'). */
function parseExponent(p: usize, n: u32): i32 {
  let i: u32 = 0;
  let negative = false;
  if (i < n && (load<u8>(p) == 0x2d || load<u8>(p) == 0x2b)) {
    negative = load<u8>(p) == 0x2d;
    i++;
  }
  if (i >= n || !isDigit(<u32>load<u8>(p + i))) return 0;
  let v: i32 = 0;
  for (; i < n && isDigit(<u32>load<u8>(p + i)); i++) {
    if (v < 100000) v = v * 10 + <i32>(load<u8>(p + i) - 0x30);
  }
  return negative ? -v : v;
}

const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** The double nearest to the digits read (ties to even), with gradual underflow and overflow to infinity. */
function decimalToDouble(): f64 {
  if (readDigits == 0) return 0;
  // Beyond these the value is infinite or zero whatever the digits.
  if (readDigits + readExp > 310) return Infinity;
  if (readDigits + readExp < -324) return 0;
  let lead: u64 = 0;
  const k = min(readDigits, 19);
  for (let i = 0; i < k; i++) lead = lead * 10 + <u64>(load<u8>(readBuf + i) - 0x30);
  // Clinger's fast path: both operands exact, so one rounding.
  if (readDigits <= 15 && !readSticky && readExp >= -22 && readExp <= 22) {
    const d = <f64>lead;
    return readExp < 0 ? d / unchecked(POW10[-readExp]) : d * unchecked(POW10[readExp]);
  }
  return correctedDouble(approximate(lead, readExp + (readDigits - k)));
}

/** lead·10^exp in floating point, within a few ulps, avoiding spurious overflow and underflow. */
function approximate(lead: u64, exp: i32): f64 {
  let x = <f64>lead;
  while (exp > 22) {
    x *= 1e22;
    exp -= 22;
  }
  while (exp < -22) {
    x /= 1e22;
    exp += 22;
  }
  x = exp < 0 ? x / unchecked(POW10[-exp]) : x * unchecked(POW10[exp]);
  if (x == 0) return reinterpret<f64>(<u64>1);
  if (!isFinite(x)) return f64.MAX_VALUE;
  return x;
}

/**
 * Steps x one ulp at a time until the decimal value lies within half an ulp
 * of it (Clinger's AlgorithmR, comparing exactly with bignums).
 */
function correctedDouble(x: f64): f64 {
  prepareDecimal();
  for (let step = 0; step < MAX_CORRECTIONS; step++) {
    const bits = reinterpret<u64>(x);
    const biased = <i32>(bits >> 52);
    const frac = bits & F64_FRACTION_MASK;
    const m: u64 = biased == 0 ? frac : frac | F64_HIDDEN_BIT;
    const e: i32 = biased == 0 ? -1074 : biased - 1075;
    const up = compareWithMidpoint(m, e);
    if (up > 0 || (up == 0 && (m & 1) != 0)) {
      if (bits == reinterpret<u64>(f64.MAX_VALUE)) return Infinity;
      x = reinterpret<f64>(bits + 1);
      if (up == 0) return x;
      continue;
    }
    if (up == 0) return x;
    // The neighbour below a power of two is half as far away.
    const down = frac == 0 && biased > 1 ? compareWithMidpoint(F64_HIDDEN_BIT * 2 - 1, e - 1) : compareWithMidpoint(m - 1, e);
    if (down < 0 || (down == 0 && (m & 1) != 0)) {
      if (bits == 1) return down < 0 || (m & 1) != 0 ? 0 : x;
      x = reinterpret<f64>(bits - 1);
      if (down == 0) return x;
      continue;
    }
    return x;
  }
  return x;
}

/** bnP5 = 5^max(-readExp, 0); bnA = digits·5^max(readExp, 0). */
function prepareDecimal(): void {
  bnSetU64(bnA, 0);
  for (let i = 0; i < readDigits; i++) {
    bnMulSmall(bnA, 10);
    bnAddSmall(bnA, <u32>(load<u8>(readBuf + i) - 0x30));
  }
  if (readExp > 0) bnMulPow5(bnA, <u32>readExp);
  bnSetU64(bnP5, 1);
  if (readExp < 0) bnMulPow5(bnP5, <u32>-readExp);
}

/** Sign of digits·10^readExp − (2m+1)·2^(e−1), the midpoint between m·2^e and (m+1)·2^e. */
function compareWithMidpoint(m: u64, e: i32): i32 {
  // Both sides times 10^max(-readExp,0): A·2^max(readExp,0) against (2m+1)·5^max(-readExp,0)·2^(e-1+max(-readExp,0)).
  const aShift: i32 = readExp > 0 ? readExp : 0;
  const bShift: i32 = e - 1 + (readExp < 0 ? -readExp : 0);
  bnCopy(bnB, bnP5);
  bnMulU64(bnB, 2 * m + 1, bnT);
  bnCopy(bnT, bnA);
  if (aShift > bShift) bnShl(bnT, <u32>(aShift - bShift));
  else bnShl(bnB, <u32>(bShift - aShift));
  const c = bnCmp(bnT, bnB);
  return c == 0 && readSticky ? 1 : c;
}
