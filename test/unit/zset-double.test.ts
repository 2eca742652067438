// The engine's score text (assembly/d2string.ts): d2string must print what
// Redis 7.0 writes into a listpack zset, and zzlStrtod must read any decimal
// back as glibc's strtod does (correctly rounded), checked against the
// exact formatter in src/util/numbers.ts and JavaScript's own parser.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine";
import { engineModule } from "../../src/server/wasm-file";
import { formatDouble } from "../../src/util/numbers";

interface DoubleExports {
  d2string(dst: number, v: number): number;
  zzlStrtod(p: number, len: number): number;
}

let e: Engine;
let x: DoubleExports;
let buf = 0;
const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

beforeAll(() => {
  e = Engine.fromModule(engineModule(), 1);
  x = e.x as unknown as DoubleExports;
  buf = e.x.zmalloc(4096);
  e.refresh();
});

function d2string(v: number): string {
  const n = x.d2string(buf, v);
  e.refresh();
  return dec.decode(e.u8.subarray(buf, buf + n));
}

function strtod(s: string): number {
  const b = enc.encode(s);
  e.u8.set(b, buf);
  return x.zzlStrtod(buf, b.length);
}

/** Redis 7.0's d2string: integers in (-(2^52-1), 2^52) through ll2string, else %.17g. */
function expected(v: number): string {
  if (Number.isInteger(v) && v > -4503599627370495 && v < 4503599627370496) return String(v === 0 ? 0 : v);
  return formatDouble(v);
}

describe("d2string", () => {
  it("prints special values like Redis 7.0", () => {
    expect(d2string(Number.NaN)).toBe("nan");
    expect(d2string(Infinity)).toBe("inf");
    expect(d2string(-Infinity)).toBe("-inf");
    expect(d2string(-0)).toBe("0");
    expect(d2string(0.1)).toBe("0.10000000000000001");
    expect(d2string(1e20)).toBe("1e+20");
    expect(d2string(5e-324)).toBe("4.9406564584124654e-324");
    expect(d2string(1.7976931348623157e308)).toBe("1.7976931348623157e+308");
    expect(d2string(4503599627370496)).toBe("4503599627370496");
    expect(d2string(-4503599627370495)).toBe("-4503599627370495");
    expect(d2string(1e16)).toBe("10000000000000000");
    expect(d2string(0.0001)).toBe("0.0001");
    expect(d2string(0.00001)).toBe("1.0000000000000001e-05");
  });

  it("matches the exact %.17g formatter on any double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (v) => {
        expect(d2string(v)).toBe(expected(v));
      }),
      { numRuns: 20000 },
    );
  });

  it("matches on doubles that land on ties at 17 digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 28 }), fc.integer({ min: 1, max: 25 }), (m, k) => {
        const v = m / 2 ** k + 2 ** 20;
        expect(d2string(v)).toBe(expected(v));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("zzlStrtod", () => {
  it("reads back every %.17g text exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: false }), (v) => {
        expect(Object.is(strtod(d2string(v)), v === 0 ? 0 : v)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it("rounds arbitrary decimals correctly", () => {
    const digits = fc.stringMatching(/^[0-9]{1,40}$/);
    fc.assert(
      fc.property(digits, digits, fc.integer({ min: -340, max: 320 }), (a, b, ex) => {
        const s = `${a}.${b}e${ex}`;
        expect(strtod(s)).toBe(Number(s));
      }),
      { numRuns: 20000 },
    );
  });

  it("reads the longest valid prefix, like C's strtod", () => {
    expect(strtod("  12abc")).toBe(12);
    expect(strtod("-inf")).toBe(-Infinity);
    expect(strtod("Infinity")).toBe(Infinity);
    expect(Number.isNaN(strtod("nan"))).toBe(true);
    expect(strtod("xyz")).toBe(0);
    expect(strtod("1e")).toBe(1);
    expect(strtod("2.5e+3x")).toBe(2500);
    expect(strtod("1e400")).toBe(Infinity);
    expect(strtod("1e-400")).toBe(0);
    expect(strtod("2.4703282292062328e-324")).toBe(5e-324);
    expect(strtod("2.4703282292062327e-324")).toBe(0);
    expect(strtod("1.7976931348623158e308")).toBe(1.7976931348623157e308);
    expect(strtod("1.7976931348623159e308")).toBe(Infinity);
  });
});
