import { describe, expect, it } from "vitest";
import { stringMatch, stringMatchLen } from "../../src/util/glob";

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const match = (pattern: string, subject: string, nocase = false): boolean =>
  stringMatch(latin1(pattern), latin1(subject), nocase);

// Every expectation below was checked against redis-server 7.0 (KEYS).
describe("glob: Redis's stringmatchlen on bytes", () => {
  it("'*' matches any run of bytes, '?' exactly one", () => {
    expect(match("h*llo", "hllo")).toBe(true);
    expect(match("h*llo", "heeello")).toBe(true);
    expect(match("h?llo", "hello")).toBe(true);
    expect(match("h?llo", "hllo")).toBe(false);
    expect(match("a*b*c", "abc")).toBe(true);
    expect(match("a**b", "ab")).toBe(true);
    expect(match("*a", "a")).toBe(true);
    expect(match("a*", "a")).toBe(true);
    expect(match("?", "")).toBe(false);
  });

  it("a lone '*' does not match the empty string (KEYS special-cases it, stringmatchlen does not)", () => {
    expect(match("*", "")).toBe(false);
    expect(match("*", "x")).toBe(true);
    expect(match("", "")).toBe(true);
  });

  it("classes: lists, ranges in either order, negation, escapes", () => {
    expect(match("h[ae]llo", "hallo")).toBe(true);
    expect(match("h[ae]llo", "hillo")).toBe(false);
    expect(match("h[^e]llo", "hello")).toBe(false);
    expect(match("h[^e]llo", "hallo")).toBe(true);
    expect(match("[a-c]", "b")).toBe(true);
    expect(match("[z-a]", "m")).toBe(true);
    expect(match("[^a-c]", "d")).toBe(true);
    expect(match("[\\]]", "]")).toBe(true);
    expect(match("[]]", "]")).toBe(false);
    expect(match("x[a-c-e]", "x-")).toBe(true);
    expect(match("x[a-c-e]", "xd")).toBe(false);
  });

  it("a '-' before ']' makes ']' the end of a range", () => {
    expect(match("[a-]", "a")).toBe(true);
    expect(match("[a-]", "]")).toBe(true);
    expect(match("[a-]", "^")).toBe(true);
    expect(match("[a-]", "b")).toBe(false);
  });

  it("an unterminated class ends at the pattern's end", () => {
    expect(match("[", "x")).toBe(false);
    expect(match("[^", "x")).toBe(true);
    expect(match("a[b", "ab")).toBe(true);
    expect(match("a[b", "abx")).toBe(false);
    expect(match("[\\", "\\")).toBe(true);
  });

  it("backslash escapes the next byte; a trailing one is literal", () => {
    expect(match("\\*", "*")).toBe(true);
    expect(match("\\*", "a")).toBe(false);
    expect(match("a\\\\b", "a\\b")).toBe(true);
    expect(match("\\", "\\")).toBe(true);
  });

  it("range ends compare as C's signed char", () => {
    // [\x01-\xff] is the range -1..1: it holds 0xff, 0x00 and 0x01, not 'a'.
    expect(match("[\u0001-\u00ff]", "\u00ff")).toBe(true);
    expect(match("[\u0001-\u00ff]", "\u0000")).toBe(true);
    expect(match("[\u0001-\u00ff]", "a")).toBe(false);
    expect(match("[\u0080-\u00ff]", "\u00c0")).toBe(true);
  });

  it("nocase folds ASCII letters only, ranges folded after ordering their ends", () => {
    expect(match("HeLLo", "hello", true)).toBe(true);
    expect(match("HeLLo", "hello")).toBe(false);
    expect(match("[A-C]x", "bX", true)).toBe(true);
    expect(match("[^A]", "a", true)).toBe(false);
    expect(match("\u00c9", "\u00e9", true)).toBe(false);
    // 'Z'..'a' folds to 'z'..'a', an empty range.
    expect(match("[Z-a]", "_", true)).toBe(false);
    expect(match("[Z-a]", "_")).toBe(true);
    // An escaped byte in a class compares exactly.
    expect(match("[\\A]", "a", true)).toBe(false);
  });

  it("gives up beyond 1000 nested '*', like Redis", () => {
    expect(match("*a".repeat(1000), "a".repeat(1000))).toBe(true);
    expect(match("*a".repeat(1001), "a".repeat(1001))).toBe(false);
    // A trailing '*' matches without recursing once more.
    expect(match(`${"*a".repeat(1000)}*`, `${"a".repeat(1000)}b`)).toBe(true);
    expect(match(`${"*a".repeat(1001)}*`, `${"a".repeat(1001)}b`)).toBe(false);
  });

  it("stays fast on patterns that would backtrack exponentially", () => {
    expect(match(`${"a*".repeat(30)}b`, "a".repeat(200))).toBe(false);
  });

  it("matches byte ranges inside larger buffers without copying", () => {
    const buf = latin1("xxhelloyy");
    const pat = latin1("--h*o--");
    expect(stringMatchLen(pat, 2, 3, buf, 2, 5)).toBe(true);
    expect(stringMatchLen(pat, 2, 3, buf, 2, 6)).toBe(false);
    // Bytes past the pattern's range read as NUL, not as the buffer's next byte.
    expect(stringMatchLen(latin1("a**"), 0, 2, latin1("ab"), 0, 2)).toBe(true);
  });
});
