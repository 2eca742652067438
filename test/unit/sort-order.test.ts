import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pqsort } from "../../src/util/pqsort";
import { stableOrderByKey } from "../../src/util/radix";
import { strtodWhole } from "../../src/util/strtod";

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const strtod = (s: string) => strtodWhole(bytes(s), 0, s.length);

describe("stableOrderByKey", () => {
  it("orders like a stable comparison sort, -0 equal to 0", () => {
    const key = fc.oneof(
      fc.double({ noNaN: true }),
      fc.constantFrom(0, -0, 1, -1, Infinity, -Infinity),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), (keys) => {
        const f = Float64Array.from(keys);
        const want = keys.map((_, i) => i).sort((a, b) => (f[a] < f[b] ? -1 : f[a] > f[b] ? 1 : 0));
        expect(Array.from(stableOrderByKey(f))).toEqual(want);
      }),
    );
  });
});

describe("pqsort", () => {
  it("puts what a full sort would in the wanted window", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), fc.nat(), fc.nat(), (values, a, b) => {
        const n = values.length;
        const from = n === 0 ? 0 : a % n;
        const to = n === 0 ? -1 : from + (b % (n - from));
        const items = values.map((_, i) => i);
        const cmp = (x: number, y: number) => values[x] - values[y];
        pqsort(items, cmp, from, to);
        const full = [...values].sort((x, y) => x - y);
        expect(items.slice(from, to + 1).map((i) => values[i])).toEqual(full.slice(from, to + 1));
        expect([...items].sort((x, y) => x - y)).toEqual(values.map((_, i) => i));
      }),
    );
  });
});

describe("strtodWhole (C strtod as SORT judges a weight)", () => {
  it("reads what strtod reads, up to the end of the C string", () => {
    expect(strtod("12")).toEqual({ value: 12, error: false });
    expect(strtod("  -1.5e3")).toEqual({ value: -1500, error: false });
    expect(strtod("0x1.8p1")).toEqual({ value: 3, error: false });
    expect(strtod("-INFINITY")).toEqual({ value: -Infinity, error: false });
    expect(strtod("")).toEqual({ value: 0, error: false });
    expect(strtod("7\0junk")).toEqual({ value: 7, error: false });
    expect(strtod("0.1").value).toBe(0.1);
    expect(strtod("123456789012345678901234567890").value).toBe(1.2345678901234568e29);
  });

  it("rejects trailing bytes, NaN, overflow and inexact tiny results", () => {
    for (const s of ["5 ", " ", "-", ".", "1e", "0x", "nan", "NAN(1)", "1e400", "-1e400", "1e-320", "4.9e-324"]) {
      expect(strtod(s).error, s).toBe(true);
    }
    for (const s of ["0x1p-1070", "0x1.8p-1073", "0e-999", "2.2250738585072014e-308", "1e308"]) {
      expect(strtod(s).error, s).toBe(false);
    }
  });

  it("agrees with JavaScript's parsing on plain decimals", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const text = String(d).replace("Infinity", "inf");
        const r = strtod(text);
        if (Math.abs(d) !== 0 && Math.abs(d) < 2 ** -1022) return;
        expect(r.error).toBe(false);
        expect(Object.is(r.value, d) || (r.value === 0 && d === 0)).toBe(true);
      }),
    );
  });
});
