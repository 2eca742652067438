// C's strtod (glibc, "C" locale) over a NUL-terminated string, as SORT reads
// its weights: leading whitespace is skipped, the number must run to the
// end of the C string (the first NUL or the end of the bytes), and an empty
// string is 0 (nothing converted, and the end pointer already sits on the
// terminator). ERANGE is reported for an overflow and for a tiny result
// (subnormal or zero) that is inexact, which is when glibc sets it.

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const LOWER_BIT = 0x20;
const MIN_NORMAL = 2 ** -1022;
/** Subnormals are multiples of 2^-1074. */
const SUBNORMAL_SHIFT = 1074n;

export interface StrtodResult {
  value: number;
  /** Whether C code checking `eptr[0] != '\0' || errno == ERANGE || isnan(v)` would reject it. */
  error: boolean;
}

interface Literal {
  negative: boolean;
  kind: "decimal" | "hex" | "inf" | "nan";
  /** Mantissa digits without the point. */
  digits: string;
  /** Power of the radix (10, or 2 for hex) applied to the digits. */
  exp: number;
  end: number;
}

function isSpace(b: number): boolean {
  return b === SPACE || (b >= TAB && b <= CR);
}

function isDigit(b: number): boolean {
  return b >= DIGIT_0 && b <= DIGIT_0 + 9;
}

function hexValue(b: number): number {
  if (isDigit(b)) return b - DIGIT_0;
  const l = b | LOWER_BIT;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/** Case-insensitive match of an ASCII lower-case word at buf[i..]. */
function wordAt(buf: Uint8Array, i: number, end: number, word: string): boolean {
  if (end - i < word.length) return false;
  for (let k = 0; k < word.length; k++) if ((buf[i + k] | LOWER_BIT) !== word.charCodeAt(k)) return false;
  return true;
}

/** An optional exponent at i ("e12", "p-3"); returns [exponent, end], or [0, i] when none follows. */
function exponentAt(buf: Uint8Array, i: number, end: number, marker: number): [number, number] {
  if (i >= end || (buf[i] | LOWER_BIT) !== marker) return [0, i];
  let k = i + 1;
  const neg = k < end && buf[k] === MINUS;
  if (k < end && (buf[k] === MINUS || buf[k] === PLUS)) k++;
  if (k >= end || !isDigit(buf[k])) return [0, i];
  let v = 0;
  // Saturate: past a few thousand the result is 0 or infinite anyway.
  for (; k < end && isDigit(buf[k]); k++) v = Math.min(v * 10 + buf[k] - DIGIT_0, 1e9);
  return [neg ? -v : v, k];
}

/** Digits with an optional point; returns the digits, how many followed the point, and the end. */
function mantissaAt(buf: Uint8Array, i: number, end: number, hex: boolean): [string, number, number] {
  let digits = "";
  let frac = 0;
  let seenDot = false;
  let k = i;
  for (; k < end; k++) {
    const b = buf[k];
    if (b === DOT && !seenDot) {
      seenDot = true;
      continue;
    }
    const ok = hex ? hexValue(b) >= 0 : isDigit(b);
    if (!ok) break;
    digits += String.fromCharCode(b);
    if (seenDot) frac++;
  }
  if (digits === "") return ["", 0, i];
  return [digits, frac, k];
}

function scanLiteral(buf: Uint8Array, start: number, end: number): Literal | null {
  let i = start;
  while (i < end && isSpace(buf[i])) i++;
  const negative = i < end && buf[i] === MINUS;
  if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) i++;
  if (wordAt(buf, i, end, "inf")) {
    const len = wordAt(buf, i, end, "infinity") ? 8 : 3;
    return { negative, kind: "inf", digits: "", exp: 0, end: i + len };
  }
  if (wordAt(buf, i, end, "nan")) return { negative, kind: "nan", digits: "", exp: 0, end: i + 3 };
  if (i + 1 < end && buf[i] === DIGIT_0 && (buf[i + 1] | LOWER_BIT) === 0x78) {
    const [digits, frac, k] = mantissaAt(buf, i + 2, end, true);
    if (digits !== "") {
      const [e, after] = exponentAt(buf, k, end, 0x70);
      return { negative, kind: "hex", digits, exp: e - 4 * frac, end: after };
    }
    // "0x" without hex digits: strtod reads the "0" alone.
  }
  const [digits, frac, k] = mantissaAt(buf, i, end, false);
  if (digits === "") return null;
  const [e, after] = exponentAt(buf, k, end, 0x65);
  return { negative, kind: "decimal", digits, exp: e - frac, end: after };
}

/** 2^k for any k a double's exponent range can need, without intermediate overflow. */
function pow2(k: number): number {
  return k > 1000 ? 2 ** 1000 * 2 ** (k - 1000) : 2 ** k;
}

/** M × 2^E rounded to a double (ties to even); inexact reports whether rounding dropped bits. */
function hexToDouble(m: bigint, e: number): [number, boolean] {
  if (m === 0n) return [0, false];
  const bits = m.toString(2).length;
  const top = bits - 1 + e;
  let shift = bits - 53;
  if (top < -1022) shift += -1022 - top;
  if (shift <= 0) return [Number(m) * pow2(e), false];
  // Below half the smallest subnormal: rounds to zero.
  if (shift > bits) return [0, true];
  const s = BigInt(shift);
  let q = m >> s;
  const rem = m & ((1n << s) - 1n);
  const half = 1n << (s - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
  return [Number(q) * pow2(e + shift), rem !== 0n];
}

/** Whether the decimal digits × 10^exp are exactly the tiny double v. */
function decimalIsExact(digits: string, exp: number, v: number): boolean {
  if (exp >= 0) return false;
  const m = BigInt(v * 2 ** 1000 * 2 ** 74);
  return BigInt(digits) << SUBNORMAL_SHIFT === m * 10n ** BigInt(-exp);
}

function literalValue(lit: Literal): StrtodResult {
  if (lit.kind === "nan") return { value: Number.NaN, error: true };
  if (lit.kind === "inf") return { value: lit.negative ? -Infinity : Infinity, error: false };
  let v: number;
  let inexact: boolean;
  if (lit.kind === "hex") {
    [v, inexact] = hexToDouble(BigInt(`0x${lit.digits}`), lit.exp);
  } else {
    v = Number(`${lit.digits}e${lit.exp}`);
    inexact = /[1-9]/.test(lit.digits) && (v === 0 || (v < MIN_NORMAL && !decimalIsExact(lit.digits, lit.exp, v)));
  }
  const tiny = v < MIN_NORMAL && inexact;
  const value = lit.negative ? -v : v;
  return { value, error: !Number.isFinite(v) || tiny };
}

/** Powers of ten a double holds exactly (Clinger's fast path divides by them). */
const EXACT_POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** At most this many digits fit a double's 53 bits. */
const FAST_DIGITS = 15;
const result: StrtodResult = { value: 0, error: false };

/**
 * "[-]digits[.digits]" with at most 15 digits: the digits are an exact
 * integer and the power of ten exact, so one division rounds correctly
 * (Clinger's fast path). Returns null for anything else.
 */
function fastDecimal(buf: Uint8Array, off: number, len: number): StrtodResult | null {
  let i = off;
  const end = off + len;
  const negative = i < end && buf[i] === MINUS;
  if (negative) i++;
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; i < end; i++) {
    const b = buf[i];
    if (isDigit(b)) {
      mant = mant * 10 + (b - DIGIT_0);
      digits++;
      if (frac >= 0) frac++;
    } else if (b === DOT && frac < 0) {
      frac = 0;
    } else {
      return null;
    }
  }
  if (digits === 0 || digits > FAST_DIGITS) return null;
  const v = frac > 0 ? mant / EXACT_POW10[frac] : mant;
  result.value = negative ? -v : v;
  result.error = false;
  return result;
}

/**
 * strtod over buf[off..off+len) as a C string, judged as SORT judges a
 * weight. The result may be a shared object, valid until the next call.
 */
export function strtodWhole(buf: Uint8Array, off: number, len: number): StrtodResult {
  const fast = fastDecimal(buf, off, len);
  if (fast !== null) return fast;
  let end = buf.subarray(off, off + len).indexOf(0);
  end = end < 0 ? off + len : off + end;
  if (end === off) return { value: 0, error: false };
  const lit = scanLiteral(buf, off, end);
  if (lit === null || lit.end !== end) return { value: 0, error: true };
  return literalValue(lit);
}
