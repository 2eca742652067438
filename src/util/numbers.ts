/**
 * Number parsing and formatting with the exact semantics of Redis 7.0.
 *
 * Redis leans on the C library (strtold, strtod, printf) and, for
 * INCRBYFLOAT/HINCRBYFLOAT, on the x87 80-bit `long double` of x86-64.
 * JavaScript has neither, so the floating point code below works on exact
 * integers (BigInt) and rounds explicitly, which makes every reply
 * byte-identical to redis-server 7.0 on x86-64 Linux with glibc.
 *
 * Every parser takes a borrowed byte view `(buf, off, len)`: it reads the
 * bytes during the call and never keeps a reference to them.
 */

const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const LOWER_E = 0x65;
const LOWER_P = 0x70;
const LOWER_X = 0x78;
/** OR-ing an ASCII letter with this bit lower-cases it. */
const LOWER_CASE_BIT = 0x20;

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isHexDigit(c: number): boolean {
  const lower = c | LOWER_CASE_BIT;
  return isDigit(c) || (lower >= 0x61 && lower <= 0x66);
}

/** ASCII text of buf[start, end). */
function asciiText(buf: Uint8Array, start: number, end: number): string {
  // Short runs (the usual case) are cheapest char by char; long ones go in
  // chunks to keep the argument lists of fromCharCode bounded.
  const CHUNK = 4096;
  let text = "";
  if (end - start <= 32) {
    for (let i = start; i < end; i++) text += String.fromCharCode(buf[i]);
    return text;
  }
  for (let i = start; i < end; i += CHUNK) {
    text += String.fromCharCode(...buf.subarray(i, Math.min(i + CHUNK, end)));
  }
  return text;
}

// ---------------------------------------------------------------------------
// 64-bit integers: string2ll / string2l
// ---------------------------------------------------------------------------

/** Redis LONG_STR_SIZE: string2ll rejects any input this long or longer. */
const LONG_STR_SIZE = 21;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
/** Any run of at most 15 decimal digits is exact in a double. */
const EXACT_NUMBER_DIGITS = 15;

/**
 * Index of the first digit when buf[off, off+len) has the shape Redis
 * string2ll accepts: "0", or an optional '-' followed by 1-9 and more digits.
 * So no '+', no spaces, no leading zeros and no "-0". Returns -1 otherwise;
 * the int64 range is checked by the caller.
 */
function canonicalIntStart(buf: Uint8Array, off: number, len: number): number {
  if (len === 0 || len >= LONG_STR_SIZE) return -1;
  if (len === 1 && buf[off] === DIGIT_0) return off;
  const end = off + len;
  const start = buf[off] === MINUS ? off + 1 : off;
  if (start === end || buf[start] < DIGIT_1 || buf[start] > DIGIT_9) return -1;
  for (let i = start + 1; i < end; i++) {
    if (!isDigit(buf[i])) return -1;
  }
  return start;
}

function smallDigitsValue(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (buf[i] - DIGIT_0);
  return value;
}

/**
 * Redis `string2ll`, returning the value as a number when it is a safe
 * integer and as a bigint otherwise; null when Redis would reject the bytes.
 * This is the fast path for INCR, SETRANGE offsets, list indexes and so on.
 */
export function parseI64(buf: Uint8Array, off = 0, len = buf.length - off): number | bigint | null {
  const start = canonicalIntStart(buf, off, len);
  if (start < 0) return null;
  const end = off + len;
  const negative = start !== off;
  if (end - start <= EXACT_NUMBER_DIGITS) {
    const magnitude = smallDigitsValue(buf, start, end);
    return negative ? -magnitude : magnitude;
  }
  const magnitude = BigInt(asciiText(buf, start, end));
  const value = negative ? -magnitude : magnitude;
  if (value > INT64_MAX || value < INT64_MIN) return null;
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
}

/** Redis `string2ll`: the int64 value of the bytes, or null if Redis rejects them. */
export function string2ll(buf: Uint8Array, off = 0, len = buf.length - off): bigint | null {
  const value = parseI64(buf, off, len);
  return value === null ? null : BigInt(value);
}

/**
 * Whether Redis would store these bytes as an integer (OBJECT ENCODING
 * "int"): tryObjectEncoding requires `len <= 20 && string2l(...)`, which on
 * 64-bit Linux is exactly "string2ll accepts it", i.e. the bytes are the
 * canonical decimal form of an int64 and formatting the value gives them back.
 */
export function isCanonicalInt64(buf: Uint8Array, off = 0, len = buf.length - off): boolean {
  return parseI64(buf, off, len) !== null;
}

/** Decimal text of an integer, as Redis ll2string prints it. */
export function formatI64(value: number | bigint): string {
  if (typeof value === "bigint" || Number.isSafeInteger(value)) return String(value);
  // BigInt() throws on fractions, which is the right answer for a non-integer.
  return BigInt(value).toString();
}

// ---------------------------------------------------------------------------
// Exact binary floating point
// ---------------------------------------------------------------------------

/** A binary floating point format with gradual underflow (IEEE style). */
interface BinaryFormat {
  /** Significand bits, including the leading one. */
  readonly precision: number;
  /** Exponent of the leading bit of the largest finite value. */
  readonly maxExp: number;
  /** Exponent of the lowest bit of the smallest subnormal. */
  readonly minExp: number;
}

/** The x86 `long double`: 64-bit significand with explicit integer bit. */
const X87_EXTENDED: BinaryFormat = { precision: 64, maxExp: 16383, minExp: -16445 };
/** The C `double` (IEEE 754 binary64). */
const BINARY64: BinaryFormat = { precision: 53, maxExp: 1023, minExp: -1074 };

export type FloatKind = "finite" | "inf" | "nan";

/**
 * A value of the x87 80-bit `long double`. When finite it is exactly
 * `(negative ? -1 : 1) * mant * 2 ** exp`; normal values have the top bit of
 * the 64-bit `mant` set, subnormals and zero have `exp` at its minimum, so
 * every value has a single representation. Treat it as immutable.
 */
export interface LongDouble {
  readonly kind: FloatKind;
  readonly negative: boolean;
  readonly mant: bigint;
  readonly exp: number;
}

/** Doubles parsed and formatted for sorted sets share this shape internally. */
type BinaryValue = LongDouble;

const NAN: LongDouble = { kind: "nan", negative: false, mant: 0n, exp: 0 };

function infinity(negative: boolean): BinaryValue {
  return { kind: "inf", negative, mant: 0n, exp: 0 };
}

function zero(negative: boolean, format: BinaryFormat): BinaryValue {
  return { kind: "finite", negative, mant: 0n, exp: format.minExp };
}

function isZero(x: BinaryValue): boolean {
  return x.kind === "finite" && x.mant === 0n;
}

/** Number of bits of a positive bigint. */
function bitLength(x: bigint): number {
  const hex = x.toString(16);
  return hex.length * 4 - (Math.clz32(Number.parseInt(hex[0], 16)) - 28);
}

/** floor(log2(num / den)) for positive num and den. */
function floorLog2(num: bigint, den: bigint): number {
  const k = bitLength(num) - bitLength(den);
  const below = k >= 0 ? num < den << BigInt(k) : num << BigInt(-k) < den;
  return below ? k - 1 : k;
}

/** round(num * 2^shift / den), ties to even: the IEEE default rounding. */
function divRoundHalfEven(num: bigint, den: bigint, shift: number): bigint {
  const n = shift >= 0 ? num << BigInt(shift) : num;
  const d = shift >= 0 ? den : den << BigInt(-shift);
  const quotient = n / d;
  const twiceRemainder = (n - quotient * d) << 1n;
  const roundUp = twiceRemainder > d || (twiceRemainder === d && (quotient & 1n) === 1n);
  return roundUp ? quotient + 1n : quotient;
}

/**
 * The value `num / den * 2^e2` (num >= 0, den > 0) rounded to `format` the
 * way the FPU and glibc's strtod/strtold do: to nearest, ties to even, with
 * gradual underflow and overflow to infinity.
 */
function roundToFormat(negative: boolean, num: bigint, den: bigint, e2: number, format: BinaryFormat): BinaryValue {
  if (num === 0n) return zero(negative, format);
  const lead = floorLog2(num, den) + e2;
  if (lead > format.maxExp) return infinity(negative);
  // Below half of the smallest subnormal everything rounds to zero.
  if (lead < format.minExp - 1) return zero(negative, format);
  let exp = Math.max(lead - format.precision + 1, format.minExp);
  let mant = divRoundHalfEven(num, den, e2 - exp);
  if (mant === 1n << BigInt(format.precision)) {
    mant >>= 1n;
    exp += 1;
  }
  if (exp + format.precision - 1 > format.maxExp) return infinity(negative);
  return { kind: "finite", negative, mant, exp };
}

// ---------------------------------------------------------------------------
// strtod / strtold syntax
// ---------------------------------------------------------------------------

/** A number literal as strtod reads it, before rounding to a format. */
interface FloatLiteral {
  readonly kind: "decimal" | "hex" | "inf";
  readonly negative: boolean;
  /** Significant digits (decimal or hex) without leading/trailing zeros; "" means zero. */
  readonly digits: string;
  /** Power of 10 (decimal) or of 2 (hex) applied to the digits. */
  readonly exp: number;
}

/**
 * Exponents are clamped to this magnitude while reading them: far beyond any
 * finite long double even after subtracting the digits of a 512 MB argument.
 */
const EXPONENT_CLAMP = 1e12;

/** End of the run of bytes matching `accept` starting at i. */
function skipWhile(buf: Uint8Array, i: number, end: number, accept: (c: number) => boolean): number {
  while (i < end && accept(buf[i])) i++;
  return i;
}

/**
 * The exponent suffix occupying buf[i, end): "" gives 0, otherwise the
 * marker letter, an optional sign and at least one decimal digit. Returns
 * null when anything else is there, as strtod would stop before it and
 * leave trailing bytes that Redis rejects.
 */
function readExponent(buf: Uint8Array, i: number, end: number, marker: number): number | null {
  if (i === end) return 0;
  if ((buf[i] | LOWER_CASE_BIT) !== marker) return null;
  i++;
  const negative = i < end && buf[i] === MINUS;
  if (negative || (i < end && buf[i] === PLUS)) i++;
  if (i === end) return null;
  let value = 0;
  for (; i < end; i++) {
    if (!isDigit(buf[i])) return null;
    if (value < EXPONENT_CLAMP) value = value * 10 + (buf[i] - DIGIT_0);
  }
  return negative ? -value : value;
}

/** Drop leading zeros and move trailing zeros into the exponent. */
function literal(
  kind: "decimal" | "hex",
  negative: boolean,
  rawDigits: string,
  exp: number,
  zeroWeight: number,
): FloatLiteral {
  let first = 0;
  while (first < rawDigits.length && rawDigits[first] === "0") first++;
  if (first === rawDigits.length) return { kind, negative, digits: "", exp: 0 };
  let last = rawDigits.length;
  while (rawDigits[last - 1] === "0") last--;
  const digits = rawDigits.slice(first, last);
  return { kind, negative, digits, exp: exp + (rawDigits.length - last) * zeroWeight };
}

/**
 * Mantissa "digits[.digits]" or ".digits" followed by an optional exponent
 * ("e" for decimal, "p" for hex), filling buf[i, end) exactly.
 */
function readMantissa(
  buf: Uint8Array,
  i: number,
  end: number,
  kind: "decimal" | "hex",
  negative: boolean,
): FloatLiteral | null {
  const hex = kind === "hex";
  const accept = hex ? isHexDigit : isDigit;
  const intEnd = skipWhile(buf, i, end, accept);
  let fracStart = intEnd;
  let fracEnd = intEnd;
  if (fracEnd < end && buf[fracEnd] === DOT) {
    fracStart = fracEnd + 1;
    fracEnd = skipWhile(buf, fracStart, end, accept);
  }
  if (intEnd === i && fracEnd === fracStart) return null;
  const exp = readExponent(buf, fracEnd, end, hex ? LOWER_P : LOWER_E);
  if (exp === null) return null;
  const weight = hex ? 4 : 1;
  const digits = asciiText(buf, i, intEnd) + asciiText(buf, fracStart, fracEnd);
  return literal(kind, negative, digits, exp - (fracEnd - fracStart) * weight, weight);
}

/** Whether buf[i, end) is "inf" or "infinity", in any letter case. */
function isInfinityWord(buf: Uint8Array, i: number, end: number): boolean {
  const length = end - i;
  if (length !== 3 && length !== 8) return false;
  const word = "infinity";
  for (let k = 0; k < length; k++) {
    if ((buf[i + k] | LOWER_CASE_BIT) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Parse buf[start, end) with the syntax of glibc strtod in the C locale and
 * require it to consume every byte, as Redis does (`eptr` must reach the
 * end). Accepts an optional sign, decimal and "0x" hexadecimal literals and
 * "inf"/"infinity". NaN spellings give null because Redis rejects NaN.
 * Whitespace is never accepted: strtod would skip it only at the start,
 * which Redis refuses with its explicit isspace() check.
 */
function scanFloat(buf: Uint8Array, start: number, end: number): FloatLiteral | null {
  if (start >= end) return null;
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative || buf[i] === PLUS) i++;
  if (i >= end) return null;
  if (isInfinityWord(buf, i, end)) return { kind: "inf", negative, digits: "", exp: 0 };
  const hexPrefix = buf[i] === DIGIT_0 && i + 1 < end && (buf[i + 1] | LOWER_CASE_BIT) === LOWER_X;
  return hexPrefix ? readMantissa(buf, i + 2, end, "hex", negative) : readMantissa(buf, i, end, "decimal", negative);
}

const LOG10_2 = Math.log10(2);

/** The literal rounded to `format`; huge or tiny exponents short-circuit. */
function literalToBinary(lit: FloatLiteral, format: BinaryFormat): BinaryValue {
  if (lit.kind === "inf") return infinity(lit.negative);
  if (lit.digits === "") return zero(lit.negative, format);
  if (lit.kind === "hex") {
    return roundToFormat(lit.negative, BigInt(`0x${lit.digits}`), 1n, lit.exp, format);
  }
  // The value lies in [10^(n-1+E), 10^(n+E)): decide far-out cases without
  // building enormous powers of ten.
  const n = lit.digits.length;
  if (n - 1 + lit.exp > (format.maxExp + 1) * LOG10_2 + 1) return infinity(lit.negative);
  if (n + lit.exp < (format.minExp - 1) * LOG10_2 - 1) return zero(lit.negative, format);
  const digits = BigInt(lit.digits);
  return lit.exp >= 0
    ? roundToFormat(lit.negative, digits * 10n ** BigInt(lit.exp), 1n, 0, format)
    : roundToFormat(lit.negative, digits, 10n ** BigInt(-lit.exp), 0, format);
}

/**
 * Redis treats strtod's ERANGE as an error only when the result is ±HUGE_VAL
 * or zero: overflow is rejected, a result that underflowed all the way to
 * zero is rejected, but a subnormal result is accepted. A literal "inf" is
 * not an overflow (no ERANGE), so it is accepted.
 */
function rangeChecked(lit: FloatLiteral, value: BinaryValue): BinaryValue | null {
  if (value.kind === "inf" && lit.kind !== "inf") return null;
  if (isZero(value) && lit.digits !== "") return null;
  return value;
}

// ---------------------------------------------------------------------------
// long double: INCRBYFLOAT and HINCRBYFLOAT
// ---------------------------------------------------------------------------

/**
 * Redis MAX_LONG_DOUBLE_CHARS (5 * 1024): string2ld copies its input into a
 * buffer of this size, so inputs of this length or longer are rejected.
 */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/**
 * Redis `string2ld` (used by INCRBYFLOAT, HINCRBYFLOAT and
 * getLongDoubleFromObject): strtold over a NUL-terminated copy of the bytes,
 * which must consume exactly `len` bytes. Returns null for "value is not a
 * valid float": empty, 5120 bytes or more, leading space, any byte strtold
 * leaves unread (including a NUL), NaN, overflow, underflow to zero.
 * "inf" is accepted here; the addition then fails with "increment would
 * produce NaN or Infinity".
 */
export function parseLongDouble(buf: Uint8Array, off = 0, len = buf.length - off): LongDouble | null {
  if (len === 0 || len >= MAX_LONG_DOUBLE_CHARS) return null;
  const lit = scanFloat(buf, off, off + len);
  return lit === null ? null : rangeChecked(lit, literalToBinary(lit, X87_EXTENDED));
}

/**
 * The exact `long double` value of an int64, as getLongDoubleFromObject
 * converts an integer-encoded string or a listpack integer field.
 */
export function longDoubleFromInt(value: number | bigint): LongDouble {
  const big = BigInt(value);
  return roundToFormat(big < 0n, big < 0n ? -big : big, 1n, 0, X87_EXTENDED);
}

export function isFiniteLD(x: LongDouble): boolean {
  return x.kind === "finite";
}

/** a * 2^(a.exp - exp) with the sign applied, for exact alignment. */
function alignedSigned(a: LongDouble, exp: number): bigint {
  const magnitude = a.mant << BigInt(a.exp - exp);
  return a.negative ? -magnitude : magnitude;
}

function addInfinities(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === "inf" && b.kind === "inf" && a.negative !== b.negative) return NAN;
  return a.kind === "inf" ? a : b;
}

/**
 * `a + b` in x87 extended precision, correctly rounded as the FPU does it for
 * Redis's `value += incr`. Zeros follow IEEE rules (x - x is +0).
 */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === "nan" || b.kind === "nan") return NAN;
  if (a.kind === "inf" || b.kind === "inf") return addInfinities(a, b);
  if (isZero(a) && isZero(b)) return zero(a.negative && b.negative, X87_EXTENDED);
  if (isZero(a)) return b;
  if (isZero(b)) return a;
  const exp = Math.min(a.exp, b.exp);
  const sum = alignedSigned(a, exp) + alignedSigned(b, exp);
  const negative = sum < 0n;
  return roundToFormat(negative, negative ? -sum : sum, 1n, exp, X87_EXTENDED);
}

/** round(|mant * 2^exp| * 10^power10), ties to even, as glibc printf rounds. */
function scaledDecimal(mant: bigint, exp: number, power10: number): bigint {
  const num = power10 >= 0 ? mant * 10n ** BigInt(power10) : mant;
  const den = power10 >= 0 ? 1n : 10n ** BigInt(-power10);
  return divRoundHalfEven(num, den, exp);
}

function nonFiniteText(x: LongDouble): string {
  if (x.kind === "nan") return "nan";
  return x.negative ? "-inf" : "inf";
}

/** Fraction digits Redis asks printf for in LD_STR_HUMAN mode ("%.17Lf"). */
const HUMAN_FRACTION_DIGITS = 17;

/**
 * Redis `ld2string(..., LD_STR_HUMAN)`, the reply of INCRBYFLOAT and
 * HINCRBYFLOAT: printf("%.17Lf") of the exact binary value, then trailing
 * zeros and a bare trailing '.' removed, and "-0" turned into "0" (so tiny
 * negative results that print as -0.00000000000000000 also give "0").
 *
 * The output is never longer than about 4950 bytes, below the
 * MAX_LONG_DOUBLE_CHARS buffer, so ld2string's "no room" failure cannot
 * happen with an 80-bit long double and is not reproduced.
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.kind !== "finite") return nonFiniteText(x);
  const scaled = scaledDecimal(x.mant, x.exp, HUMAN_FRACTION_DIGITS);
  const digits = scaled.toString().padStart(HUMAN_FRACTION_DIGITS + 1, "0");
  const integerPart = digits.slice(0, -HUMAN_FRACTION_DIGITS);
  const fraction = digits.slice(-HUMAN_FRACTION_DIGITS).replace(/0+$/, "");
  const text = (x.negative ? "-" : "") + integerPart + (fraction ? `.${fraction}` : "");
  return text === "-0" ? "0" : text;
}

// ---------------------------------------------------------------------------
// printf "%.17g"
// ---------------------------------------------------------------------------

/** Significant digits Redis prints with "%.17g" and "%.17Lg". */
const G_PRECISION = 17;

/** Compare |mant * 2^exp| with 10^power10. */
function comparePow10(mant: bigint, exp: number, power10: number): number {
  const lhs = (mant << BigInt(Math.max(exp, 0))) * 10n ** BigInt(Math.max(-power10, 0));
  const rhs = (1n << BigInt(Math.max(-exp, 0))) * 10n ** BigInt(Math.max(power10, 0));
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/** floor(log10(mant * 2^exp)) for mant > 0. */
function floorLog10(mant: bigint, exp: number): number {
  let estimate = Math.floor((bitLength(mant) - 1 + exp) * LOG10_2);
  while (comparePow10(mant, exp, estimate) < 0) estimate--;
  while (comparePow10(mant, exp, estimate + 1) >= 0) estimate++;
  return estimate;
}

/**
 * The first `precision` significant decimal digits of mant * 2^exp (exactly
 * rounded, ties to even) and the decimal exponent of the first one, as
 * printf's %e computes them.
 */
function significantDigits(mant: bigint, exp: number, precision: number): { digits: string; exp10: number } {
  let exp10 = floorLog10(mant, exp);
  let scaled = scaledDecimal(mant, exp, precision - 1 - exp10);
  if (scaled === 10n ** BigInt(precision)) {
    scaled /= 10n;
    exp10 += 1;
  }
  return { digits: scaled.toString(), exp10 };
}

/**
 * C's %g layout of rounded significant digits: exponent style when the
 * exponent is below -4 or not below the precision, fixed style otherwise;
 * trailing zeros and a bare '.' removed; exponent with sign and at least two
 * digits.
 */
function layoutG(digits: string, exp10: number, precision: number): string {
  if (exp10 < -4 || exp10 >= precision) {
    const fraction = digits.slice(1).replace(/0+$/, "");
    const mantissa = fraction ? `${digits[0]}.${fraction}` : digits[0];
    const exponent = String(Math.abs(exp10)).padStart(2, "0");
    return `${mantissa}e${exp10 < 0 ? "-" : "+"}${exponent}`;
  }
  const integerPart = exp10 >= 0 ? digits.slice(0, exp10 + 1) : "0";
  const rawFraction = exp10 >= 0 ? digits.slice(exp10 + 1) : "0".repeat(-exp10 - 1) + digits;
  const fraction = rawFraction.replace(/0+$/, "");
  return fraction ? `${integerPart}.${fraction}` : integerPart;
}

/** printf("%.17g") of a finite binary value, computed exactly. */
function formatGExact(negative: boolean, mant: bigint, exp: number): string {
  const sign = negative ? "-" : "";
  if (mant === 0n) return `${sign}0`;
  const { digits, exp10 } = significantDigits(mant, exp, G_PRECISION);
  return sign + layoutG(digits, exp10, G_PRECISION);
}

/**
 * Redis `ld2string(..., LD_STR_AUTO)`: printf("%.17Lg"), reached through
 * createStringObjectFromLongDouble(value, 0). In 7.0 that is the module API
 * and ZSCAN over a skiplist-encoded sorted set; there the value is a double,
 * so the text equals formatDouble() of it. INCRBYFLOAT and HINCRBYFLOAT use
 * formatLongDoubleHuman instead.
 */
export function formatLongDoubleAuto(x: LongDouble): string {
  if (x.kind !== "finite") return nonFiniteText(x);
  return formatGExact(x.negative, x.mant, x.exp);
}

// ---------------------------------------------------------------------------
// double: sorted set scores
// ---------------------------------------------------------------------------

/** Shared scratch space to move between a double and its IEEE bits. */
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const BINARY64_FRACTION_MASK = (1n << 52n) - 1n;
const BINARY64_EXPONENT_BIAS = 1075; // 1023 plus the 52 fraction bits

function binary64ToNumber(x: BinaryValue): number {
  if (x.kind === "nan") return Number.NaN;
  if (x.kind === "inf") return x.negative ? -Infinity : Infinity;
  const normal = x.mant > BINARY64_FRACTION_MASK;
  const biased = normal ? x.exp + BINARY64_EXPONENT_BIAS : 0;
  U64[0] = (x.negative ? 1n << 63n : 0n) | (BigInt(biased) << 52n) | (x.mant & BINARY64_FRACTION_MASK);
  return F64[0];
}

/** The exact significand and exponent of a finite double. */
function numberToBinary64(d: number): { negative: boolean; mant: bigint; exp: number } {
  F64[0] = d;
  const bits = U64[0];
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & BINARY64_FRACTION_MASK;
  return {
    negative: bits >> 63n === 1n,
    mant: biased === 0 ? fraction : fraction | (1n << 52n),
    exp: biased === 0 ? BINARY64.minExp : biased - BINARY64_EXPONENT_BIAS,
  };
}

/**
 * JavaScript's own conversion is specified to round correctly (ties to even,
 * gradual underflow) for up to 20 significant digits, so short literals skip
 * the BigInt path. Longer ones may be rounded twice by the engine.
 */
function shortDecimalToNumber(lit: FloatLiteral): number | null {
  if (lit.kind !== "decimal" || lit.digits.length > 20) return null;
  const magnitude = Number(`${lit.digits}e${lit.exp}`);
  return lit.negative ? -magnitude : magnitude;
}

/**
 * Redis `string2d` (ZADD scores, ZINCRBY, and getDoubleFromObject in
 * general): strtod over exactly `len` bytes. Returns null for "value is not
 * a valid float": empty, leading space, any byte strtod leaves unread
 * (including a NUL), NaN, overflow, underflow to zero. "inf", "+inf",
 * "-Infinity" (any case) and hexadecimal literals like "0x1p-3" are accepted.
 */
export function parseDouble(buf: Uint8Array, off = 0, len = buf.length - off): number | null {
  if (len === 0) return null;
  const lit = scanFloat(buf, off, off + len);
  if (lit === null) return null;
  if (lit.digits === "" && lit.kind !== "inf") return lit.negative ? -0 : 0;
  const short = shortDecimalToNumber(lit);
  if (short !== null) {
    // Non-zero digits that came out as 0 or an infinity hit strtod's ERANGE.
    return short === 0 || !Number.isFinite(short) ? null : short;
  }
  const value = rangeChecked(lit, literalToBinary(lit, BINARY64));
  return value === null ? null : binary64ToNumber(value);
}

/**
 * A double rounded to 17 significant digits can only land exactly halfway
 * between two candidates if its exact decimal expansion has 18 digits. That
 * needs |d| < 2^53 (larger doubles are even integers) and at most 25
 * fraction bits (with more, the expansion has at least 19 digits).
 */
function mayTieAt17Digits(d: number): boolean {
  return Math.abs(d) < 2 ** 53 && Number.isInteger(d * 2 ** 25);
}

/**
 * printf("%.17g") of a double, as Redis 7.0's addReplyDouble prints scores
 * (ZSCORE, ZINCRBY, WITHSCORES), with "inf"/"-inf" for infinities and "-0"
 * for negative zero.
 *
 * JavaScript's toExponential() is exact but breaks ties away from zero
 * where glibc breaks them to even, so it is used only when no tie is
 * possible; the rest goes through the exact BigInt formatter.
 */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return "nan";
  if (!Number.isFinite(d)) return d > 0 ? "inf" : "-inf";
  if (Number.isInteger(d) && Math.abs(d) < 2 ** 53) {
    // At most 16 digits: %.17g prints these integers in full, like String().
    return Object.is(d, -0) ? "-0" : String(d);
  }
  if (!mayTieAt17Digits(d)) {
    const text = Math.abs(d).toExponential(G_PRECISION - 1);
    const exp10 = Number(text.slice(text.indexOf("e") + 1));
    const digits = text[0] + text.slice(2, G_PRECISION + 1);
    return (d < 0 ? "-" : "") + layoutG(digits, exp10, G_PRECISION);
  }
  const { negative, mant, exp } = numberToBinary64(d);
  return formatGExact(negative, mant, exp);
}
