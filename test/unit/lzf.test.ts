// LZF (assembly/lzf.ts) through the engine binding: round trips, output
// identical to redis-server 7.0's (vectors from DUMP of compressed strings),
// and corrupt input never read or written out of bounds.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine";
import { engineModule } from "../../src/server/wasm-file";

interface LzfExports {
  lzfCompress(input: number, inLen: number, out: number, outLen: number): number;
  lzfDecompress(input: number, inLen: number, out: number, outLen: number): number;
}

let e: Engine;
let x: LzfExports;
/** Input, output and guard blocks the tests own. */
let inBuf = 0;
let outBuf = 0;
const CAP = 1 << 20;

beforeAll(() => {
  e = Engine.fromModule(engineModule(), 16);
  x = e.x as unknown as LzfExports;
  inBuf = e.x.zmalloc(CAP);
  outBuf = e.x.zmalloc(CAP);
  e.refresh();
});

function compress(data: Uint8Array, room = data.length): Uint8Array | null {
  e.refresh();
  e.u8.set(data, inBuf);
  const n = x.lzfCompress(inBuf, data.length, outBuf, room);
  e.refresh();
  return n === 0 ? null : e.u8.slice(outBuf, outBuf + n);
}

function decompress(data: Uint8Array, room: number): Uint8Array | null {
  e.refresh();
  e.u8.set(data, inBuf);
  const n = x.lzfDecompress(inBuf, data.length, outBuf, room);
  e.refresh();
  return n === 0 ? null : e.u8.slice(outBuf, outBuf + n);
}

const hex = (b: Uint8Array | null): string => (b === null ? "null" : Buffer.from(b).toString("hex"));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("lzf", () => {
  it("compresses exactly as redis-server 7.0 does for RDB strings", () => {
    const squares = Array.from({ length: 300 }, (_, i) => String.fromCharCode(48 + ((i * i) % 43))).join("");
    // A quicklist node [v x 35, b, b] as DUMP shows it compressed: liblzf 3.6
    // lets the last match ("81 62 02") end at the final byte.
    const node = Buffer.from(`320000000300a3${"76".repeat(35)}24816202816202ff`, "hex");
    const vectors: [string | Uint8Array, string][] = [
      [node, "07320000000300a376e019000324816202200200ff"],
      ["a".repeat(50), "016161e02500016161"],
      ["abc".repeat(40), "0361626361e06902016263"],
      [
        "the quick brown fox jumps over the lazy dog; the quick brown fox jumps over the lazy cat; 0123456789 0123456789 0123456789 0123456789",
        "1f74686520717569636b2062726f776e20666f78206a756d7073206f7665722074201e086c617a7920646f673b600de01b2c0e6361743b2030313233343536373839e0160a013839",
      ],
      [
        squares,
        "1f303134394049543645563e533f58483a594f47413d3b3b3d41474f593a48583f0b533e56453654494039343130e0f52a013934",
      ],
    ];
    for (const [input, want] of vectors) {
      const got = compress(typeof input === "string" ? text(input) : input);
      expect(hex(got)).toBe(want);
      const bytes = typeof input === "string" ? text(input) : input;
      expect(hex(decompress(Buffer.from(want, "hex"), bytes.length))).toBe(hex(bytes));
    }
  });

  it("round-trips any input, or refuses when the output would not be smaller", () => {
    const data = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 3000 }),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 400 }))
        .map(([unit, n]) => Uint8Array.from({ length: unit.length * n }, (_, i) => unit[i % unit.length])),
      fc.array(fc.constantFrom(0, 1, 2, 97), { minLength: 1, maxLength: 5000 }).map((a) => Uint8Array.from(a)),
    );
    fc.assert(
      fc.property(data, (d) => {
        const room = d.length + Math.ceil(d.length / 32) + 4;
        const c = compress(d, room);
        expect(c).not.toBeNull();
        expect(hex(decompress(c as Uint8Array, d.length))).toBe(hex(d));
        // Too small an output buffer makes decompression fail, not overflow.
        if (d.length > 1) expect(decompress(c as Uint8Array, d.length - 1)).toBeNull();
        // A bound at the input size (as quicklist and RDB use) either fits or refuses.
        const tight = compress(d, d.length);
        if (tight !== null) expect(hex(decompress(tight, d.length))).toBe(hex(d));
      }),
      { numRuns: 300 },
    );
  });

  it("never writes past the output bound on corrupt input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 300 }), (d, room) => {
        e.refresh();
        e.u8.fill(0xee, outBuf, outBuf + room + 64);
        const out = decompress(d, room);
        expect(out === null || out.length <= room).toBe(true);
        for (let i = room; i < room + 64; i++) expect(e.u8[outBuf + i]).toBe(0xee);
      }),
      { numRuns: 500 },
    );
  });
});
