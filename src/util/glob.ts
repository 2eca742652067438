// Glob-style matching on bytes: Redis's stringmatchlen (util.c), used by
// KEYS, SCAN MATCH and every other command that takes a pattern.
//
//   *       any run of bytes, even empty      ?      exactly one byte
//   [abc]   one of the listed bytes           [^a]   any byte but those listed
//   [a-z]   a byte in the range (ends in either order)
//   \x      the byte x itself, also inside [...]
//
// The quirks are Redis's and kept on purpose so replies match byte for byte:
// bytes compare as C's signed char inside [a-z] ranges; an unterminated [
// class ends at the pattern's end; reading past the pattern yields the NUL
// terminator an sds has there; recursion stops matching past 1000 nested
// '*' (an abusive-pattern guard); and once the rest of a pattern failed
// after a '*' at every position, earlier '*'s do not retry longer spans
// (skipLongerMatches, which keeps pathological patterns linear).

/** Redis gives up (no match) beyond this many nested '*' recursions. */
const NESTING_LIMIT = 1000;
const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const BACKSLASH = 0x5c;
const DASH = 0x2d;

// The match in progress. Matching is synchronous and never reentrant, so
// module state spares an allocation per call (KEYS runs it once per key).
let pat: Uint8Array = new Uint8Array(0);
let pend = 0;
let str: Uint8Array = pat;
let nocase = false;
/** Set when a '*' found no match at any position: longer spans cannot help. */
let skipLonger = false;

/**
 * Whether `subject[sp..sp+sl)` matches `pattern[pp..pp+pl)`. Both are borrowed;
 * nothing is copied. `foldCase` folds ASCII letters only, like C's tolower.
 */
export function stringMatchLen(
  pattern: Uint8Array,
  pp: number,
  pl: number,
  subject: Uint8Array,
  sp: number,
  sl: number,
  foldCase = false,
): boolean {
  pat = pattern;
  pend = pp + pl;
  str = subject;
  nocase = foldCase;
  skipLonger = false;
  return matchImpl(pp, sp, sl, 0);
}

/** Whole-array convenience form of stringMatchLen. */
export function stringMatch(pattern: Uint8Array, subject: Uint8Array, foldCase = false): boolean {
  return stringMatchLen(pattern, 0, pattern.length, subject, 0, subject.length, foldCase);
}

/** C's tolower on a (signed or unsigned) char value: only 'A'..'Z' change. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Pattern byte i, or the 0 an sds has past its end. */
function at(i: number): number {
  return i < pend ? pat[i] : 0;
}

/** A byte as C's signed char. */
function signed(b: number): number {
  return (b << 24) >> 24;
}

/** The matcher proper: pattern from `p` to `pend` against `str[s..s+sl)`. */
function matchImpl(p: number, s: number, sl: number, nesting: number): boolean {
  if (nesting > NESTING_LIMIT) return false;
  while (pend - p > 0 && sl > 0) {
    switch (at(p)) {
      case STAR:
        return matchStar(p, s, sl, nesting);
      case QUESTION:
        s++;
        sl--;
        break;
      case OPEN: {
        const r = matchClass(p, str[s]);
        if (r < 0) return false;
        p = r;
        s++;
        sl--;
        break;
      }
      case BACKSLASH:
        if (pend - p >= 2) p++;
        if (!sameByte(at(p), str[s])) return false;
        s++;
        sl--;
        break;
      default:
        if (!sameByte(at(p), str[s])) return false;
        s++;
        sl--;
        break;
    }
    p++;
    if (sl === 0) {
      while (at(p) === STAR) p++;
      break;
    }
  }
  return pend - p === 0 && sl === 0;
}

function sameByte(a: number, b: number): boolean {
  return nocase ? lower(a) === lower(b) : a === b;
}

/** A '*' at `p`: tries the rest of the pattern at every position of the subject. */
function matchStar(p: number, s: number, sl: number, nesting: number): boolean {
  while (pend - p > 1 && pat[p + 1] === STAR) p++;
  if (pend - p === 1) return true;
  while (sl > 0) {
    if (matchImpl(p + 1, s, sl, nesting + 1)) return true;
    if (skipLonger) return false;
    s++;
    sl--;
  }
  skipLonger = true;
  return false;
}

/**
 * A [...] class opening at `p`, tested against byte `ch`. Returns the
 * position of its last pattern byte (the ']' or, unterminated, the
 * pattern's last byte) when it matches, -1 when it does not.
 */
function matchClass(p: number, ch: number): number {
  p++;
  const negate = at(p) === CARET;
  if (negate) p++;
  let match = false;
  for (;;) {
    const b = at(p);
    if (b === BACKSLASH && pend - p >= 2) {
      p++;
      if (at(p) === ch) match = true;
    } else if (b === CLOSE) {
      break;
    } else if (pend - p === 0) {
      p--;
      break;
    } else if (pend - p >= 3 && at(p + 1) === DASH) {
      if (inRange(b, at(p + 2), ch)) match = true;
      p += 2;
    } else if (sameByte(b, ch)) {
      match = true;
    }
    p++;
  }
  if (negate) match = !match;
  return match ? p : -1;
}

/** Redis compares range ends and the byte as signed chars, swapping reversed ends first. */
function inRange(a: number, b: number, ch: number): boolean {
  let start = signed(a);
  let end = signed(b);
  let c = signed(ch);
  if (start > end) {
    const t = start;
    start = end;
    end = t;
  }
  if (nocase) {
    start = lower(start);
    end = lower(end);
    c = lower(c);
  }
  return c >= start && c <= end;
}
