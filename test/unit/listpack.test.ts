// The listpack (assembly/listpack.ts) through the engine binding: random
// operation sequences against a JS array model, with the bytes checked
// against an encoder written from the format and vectors taken from
// redis-server 7.0's DUMP output.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine";
import { engineModule } from "../../src/server/wasm-file";

interface ListpackExports {
  lpNew(capacity: number): number;
  lpFree(lp: number): void;
  lpBytes(lp: number): number;
  lpLength(lp: number): number;
  lpFirst(lp: number): number;
  lpLast(lp: number): number;
  lpNext(lp: number, p: number): number;
  lpPrev(lp: number, p: number): number;
  lpSeek(lp: number, index: number): number;
  lpGet(p: number): number;
  lpGetString(p: number, buf: number): number;
  lpEntryIsInt(p: number): number;
  lpInsertString(lp: number, s: number, slen: number, p: number, where: number): number;
  lpInsertInteger(lp: number, v: bigint, p: number, where: number): number;
  lpAppend(lp: number, s: number, slen: number): number;
  lpPrepend(lp: number, s: number, slen: number): number;
  lpAppendInteger(lp: number, v: bigint): number;
  lpPrependInteger(lp: number, v: bigint): number;
  lpReplace(lp: number, p: number, s: number, slen: number): number;
  lpReplaceInteger(lp: number, p: number, v: bigint): number;
  lpDelete(lp: number, p: number): number;
  lpDeleteRange(lp: number, index: number, num: number): number;
  lpDeleteRangeWithEntry(lp: number, p: number, num: number): number;
  lpMerge(first: number, second: number): number;
  lpCompare(p: number, s: number, slen: number): number;
  lpFind(lp: number, p: number, s: number, slen: number, skip: number): number;
  lpValidate(lp: number, size: number, deep: number): number;
  lpPos: WebAssembly.Global;
  lpLen: WebAssembly.Global;
  lpInt: WebAssembly.Global;
}

const LP_BEFORE = 0;
const LP_AFTER = 1;
const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

let e: Engine;
let x: ListpackExports;
/** A block the tests own for element bytes (never inside a listpack). */
let buf = 0;
let bufCap = 0;
let intBuf = 0;

beforeAll(() => {
  e = Engine.fromModule(engineModule(), 16);
  x = e.x as unknown as ListpackExports;
  intBuf = e.x.zmalloc(32);
  e.refresh();
});

/** Copies bytes into the test block and returns its address. */
function put(bytes: Uint8Array): number {
  if (bytes.length > bufCap) {
    if (buf !== 0) e.x.zfree(buf);
    bufCap = Math.max(bytes.length, 256);
    buf = e.x.zmalloc(bufCap);
  }
  e.refresh();
  e.u8.set(bytes, buf);
  return buf;
}

function lpBytesOf(lp: number): Uint8Array {
  e.refresh();
  return e.u8.slice(lp, lp + x.lpBytes(lp));
}

function entryAt(p: number): Uint8Array {
  const s = x.lpGetString(p, intBuf);
  e.refresh();
  return e.u8.slice(s, s + (x.lpLen.value as number));
}

// ── Reference encoder, from the format description ───────────────────────────

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** Redis's string2ll: the canonical decimal form of an int64, or null. */
function asInt(b: Uint8Array): bigint | null {
  if (b.length === 0 || b.length > 20) return null;
  const s = dec.decode(b);
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  return v < I64_MIN || v > I64_MAX ? null : v;
}

function le(v: bigint, n: number): number[] {
  const out: number[] = [];
  let u = BigInt.asUintN(n * 8, v);
  for (let i = 0; i < n; i++) {
    out.push(Number(u & 0xffn));
    u >>= 8n;
  }
  return out;
}

function encodeInt(v: bigint): number[] {
  if (v >= 0n && v <= 127n) return [Number(v)];
  if (v >= -4096n && v <= 4095n) {
    const u = Number(BigInt.asUintN(13, v));
    return [0xc0 | (u >> 8), u & 0xff];
  }
  if (v >= -32768n && v <= 32767n) return [0xf1, ...le(v, 2)];
  if (v >= -8388608n && v <= 8388607n) return [0xf2, ...le(v, 3)];
  if (v >= -2147483648n && v <= 2147483647n) return [0xf3, ...le(v, 4)];
  return [0xf4, ...le(v, 8)];
}

function encodeEntry(b: Uint8Array): Uint8Array {
  const v = asInt(b);
  let head: number[];
  if (v !== null) head = encodeInt(v);
  else if (b.length < 64) head = [0x80 | b.length];
  else if (b.length < 4096) head = [0xe0 | (b.length >> 8), b.length & 0xff];
  else head = [0xf0, ...le(BigInt(b.length), 4)];
  const l = head.length + (v !== null ? 0 : b.length);
  const n = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  const back: number[] = [];
  for (let i = 0; i < n; i++) {
    const bits = Math.floor(l / 2 ** (7 * (n - 1 - i)));
    back.push(i === 0 ? bits & 0xff : (bits & 127) | 128);
  }
  return Buffer.concat([Uint8Array.from(head), v !== null ? new Uint8Array(0) : b, Uint8Array.from(back)]);
}

function refListpack(elems: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(elems.map((b) => encodeEntry(b)));
  const total = 6 + body.length + 1;
  const count = Math.min(elems.length, 65535);
  const header = Uint8Array.from([...le(BigInt(total), 4), count & 0xff, count >> 8]);
  return new Uint8Array(Buffer.concat([header, body, Uint8Array.from([0xff])]));
}

/** Bytes as a string, so large values compare quickly. */
const str = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
const strs = (l: readonly Uint8Array[]): string[] => l.map(str);

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
}

const bytes = (s: string): Uint8Array => enc.encode(s);

// ── Checks ───────────────────────────────────────────────────────────────────

/** Every view of the listpack agrees with the model. */
function check(lp: number, model: readonly Uint8Array[]): void {
  expect(str(lpBytesOf(lp))).toBe(str(refListpack(model)));
  expect(x.lpLength(lp)).toBe(model.length);
  expect(x.lpValidate(lp, x.lpBytes(lp), 1)).toBe(1);
  const fwd: Uint8Array[] = [];
  for (let p = x.lpFirst(lp); p !== 0; p = x.lpNext(lp, p)) fwd.push(entryAt(p));
  expect(strs(fwd)).toEqual(strs(model));
  const back: Uint8Array[] = [];
  for (let p = x.lpLast(lp); p !== 0; p = x.lpPrev(lp, p)) back.push(entryAt(p));
  expect(strs(back.reverse())).toEqual(strs(model));
  for (let i = 0; i < model.length; i++) {
    expect(str(entryAt(x.lpSeek(lp, i)))).toBe(str(model[i]));
    expect(str(entryAt(x.lpSeek(lp, i - model.length)))).toBe(str(model[i]));
  }
  expect(x.lpSeek(lp, model.length)).toBe(0);
  expect(x.lpSeek(lp, -model.length - 1)).toBe(0);
}

// ── Operations ───────────────────────────────────────────────────────────────

type Op =
  | { t: "append" | "prepend"; v: Uint8Array }
  | { t: "insert"; i: number; after: boolean; v: Uint8Array }
  | { t: "replace"; i: number; v: Uint8Array }
  | { t: "appendInt" | "prependInt"; n: bigint }
  | { t: "replaceInt"; i: number; n: bigint }
  | { t: "delete"; i: number }
  | { t: "deleteRange"; i: number; num: number }
  | { t: "deleteWithEntry"; i: number; num: number }
  | { t: "find"; v: Uint8Array; skip: number };

const intText = fc.oneof(
  fc.bigInt({ min: I64_MIN, max: I64_MAX }).map((v) => bytes(String(v))),
  fc.integer({ min: -5000, max: 5000 }).map((v) => bytes(String(v))),
  fc
    .constantFrom(
      "0",
      "-0",
      "01",
      "+1",
      " 1",
      "1 ",
      "-",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775808",
      "-9223372036854775809",
      "127",
      "128",
      "-4096",
      "-4097",
      "4095",
      "4096",
      "32767",
      "32768",
      "-32768",
      "-32769",
      "8388607",
      "8388608",
      "-8388608",
      "-8388609",
      "2147483647",
      "2147483648",
      "-2147483648",
      "-2147483649",
    )
    .map(bytes),
);
const element = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 20 }) },
  { weight: 3, arbitrary: intText },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 4200 }).map((n) => new Uint8Array(n).fill(0x61 + (n % 26))) },
  { weight: 1, arbitrary: fc.constantFrom(63, 64, 4095, 4096).map((n) => new Uint8Array(n).fill(0x7a)) },
);
const int64 = fc.oneof(
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
  fc.constantFrom(0n, 127n, 128n, -1n, -4096n, -4097n, 4095n, 32767n, -32769n, I64_MIN, I64_MAX),
);
const index = fc.integer({ min: 0, max: 1000 });

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constantFrom("append" as const, "prepend" as const), v: element }),
  fc.record({ t: fc.constant("insert" as const), i: index, after: fc.boolean(), v: element }),
  fc.record({ t: fc.constant("replace" as const), i: index, v: element }),
  fc.record({ t: fc.constantFrom("appendInt" as const, "prependInt" as const), n: int64 }),
  fc.record({ t: fc.constant("replaceInt" as const), i: index, n: int64 }),
  fc.record({ t: fc.constant("delete" as const), i: index }),
  fc.record({ t: fc.constant("deleteRange" as const), i: fc.integer({ min: -40, max: 40 }), num: fc.nat(10) }),
  fc.record({ t: fc.constant("deleteWithEntry" as const), i: index, num: fc.nat(10) }),
  fc.record({ t: fc.constant("find" as const), v: element, skip: fc.nat(2) }),
);

/** Applies one operation to the listpack and the model; returns the new listpack. */
function apply(lp: number, model: Uint8Array[], o: Op): number {
  const n = model.length;
  const seek = (i: number): number => x.lpSeek(lp, i % n);
  switch (o.t) {
    case "append":
      model.push(o.v);
      return x.lpAppend(lp, put(o.v), o.v.length);
    case "prepend":
      model.unshift(o.v);
      return x.lpPrepend(lp, put(o.v), o.v.length);
    case "appendInt":
      model.push(bytes(String(o.n)));
      return x.lpAppendInteger(lp, o.n);
    case "prependInt":
      model.unshift(bytes(String(o.n)));
      return x.lpPrependInteger(lp, o.n);
    case "insert": {
      if (n === 0) return lp;
      const at = o.i % n;
      const s = put(o.v);
      lp = x.lpInsertString(lp, s, o.v.length, seek(o.i), o.after ? LP_AFTER : LP_BEFORE);
      model.splice(o.after ? at + 1 : at, 0, o.v);
      expect(str(entryAt(x.lpPos.value as number))).toBe(str(o.v));
      return lp;
    }
    case "replace": {
      if (n === 0) return lp;
      model[o.i % n] = o.v;
      lp = x.lpReplace(lp, seek(o.i), put(o.v), o.v.length);
      expect(str(entryAt(x.lpPos.value as number))).toBe(str(o.v));
      return lp;
    }
    case "replaceInt": {
      if (n === 0) return lp;
      model[o.i % n] = bytes(String(o.n));
      return x.lpReplaceInteger(lp, seek(o.i), o.n);
    }
    case "delete": {
      if (n === 0) return lp;
      const at = o.i % n;
      model.splice(at, 1);
      lp = x.lpDelete(lp, seek(o.i));
      const next = x.lpPos.value as number;
      if (at < model.length) expect(str(entryAt(next))).toBe(str(model[at]));
      else expect(next).toBe(0);
      return lp;
    }
    case "deleteRange": {
      const at = o.i < 0 ? n + o.i : o.i;
      if (at >= 0 && at < n) model.splice(at, o.num);
      return x.lpDeleteRange(lp, o.i, o.num);
    }
    case "deleteWithEntry": {
      if (n === 0) return lp;
      const at = o.i % n;
      model.splice(at, o.num);
      lp = x.lpDeleteRangeWithEntry(lp, seek(o.i), o.num);
      const next = x.lpPos.value as number;
      if (at < model.length) expect(str(entryAt(next))).toBe(str(model[at]));
      else expect(next).toBe(0);
      return lp;
    }
    case "find": {
      const want = model.findIndex((m, i) => i % (o.skip + 1) === 0 && Buffer.compare(m, o.v) === 0);
      const first = x.lpFirst(lp);
      const p = first === 0 ? 0 : x.lpFind(lp, first, put(o.v), o.v.length, o.skip);
      expect(p).toBe(want < 0 ? 0 : x.lpSeek(lp, want));
      return lp;
    }
  }
}

describe("listpack", () => {
  it("encodes entries exactly as redis-server 7.0 (DUMP vectors)", () => {
    // HSET h a 1 bb -5000 c 100000 d -9000000000 e 70000000 f 200
    const hash = ["a", "1", "bb", "-5000", "c", "100000", "d", "-9000000000", "e", "70000000", "f", "200"].map(bytes);
    const hashLp = hex(
      "380000000c00816102010182626203f178ec03816302f2a0860104816402f400e68ee7fdffffff09816502f3801d2c0405816602c0c802ff",
    );
    // RPUSH l 1 2 abc -1
    const listLp = hex("130000000400010102018361626304dfff02ff");
    for (const [elems, want] of [
      [hash, hashLp],
      [["1", "2", "abc", "-1"].map(bytes), listLp],
    ] as const) {
      expect(refListpack(elems)).toEqual(want);
      let lp = x.lpNew(0);
      for (const b of elems) lp = x.lpAppend(lp, put(b), b.length);
      expect(lpBytesOf(lp)).toEqual(want);
      x.lpFree(lp);
    }
  });

  it("uses 12- and 32-bit string lengths and multi-byte backlens like redis-server", () => {
    // RPUSH l2 <100 x> <5000 y> 5: header, e0 64, backlen 66, f0 88130000, backlen 278d, 05 01, ff
    const elems = [new Uint8Array(100).fill(0x78), new Uint8Array(5000).fill(0x79), bytes("5")];
    let lp = x.lpNew(0);
    for (const b of elems) lp = x.lpAppend(lp, put(b), b.length);
    const got = lpBytesOf(lp);
    expect(got.length).toBe(0x13ff);
    expect(Buffer.from(got.subarray(0, 8)).toString("hex")).toBe("ff1300000300e064");
    expect(Buffer.from(got.subarray(108, 114)).toString("hex")).toBe("66f088130000");
    expect(Buffer.from(got.subarray(got.length - 5)).toString("hex")).toBe("278d0501ff");
    x.lpFree(lp);
  });

  it("matches an array model under random operation sequences", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80, size: "max" }), (ops) => {
        let lp = x.lpNew(0);
        const model: Uint8Array[] = [];
        for (const o of ops) {
          lp = apply(lp, model, o);
          check(lp, model);
        }
        x.lpFree(lp);
      }),
      { numRuns: 200 },
    );
  });

  it("merges two listpacks whichever is longer", () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 12 }), fc.array(element, { maxLength: 12 }), (a, b) => {
        let la = x.lpNew(0);
        for (const v of a) la = x.lpAppend(la, put(v), v.length);
        let lb = x.lpNew(0);
        for (const v of b) lb = x.lpAppend(lb, put(v), v.length);
        const m = x.lpMerge(la, lb);
        check(m, [...a, ...b]);
        x.lpFree(m);
      }),
      { numRuns: 100 },
    );
  });

  it("saturates the element count at 65535 and counts entries past it", () => {
    let lp = x.lpNew(0);
    for (let i = 0; i < 65540; i++) lp = x.lpAppendInteger(lp, BigInt(i % 100));
    e.refresh();
    expect(e.u8[lp + 4] | (e.u8[lp + 5] << 8)).toBe(65535);
    expect(x.lpLength(lp)).toBe(65540);
    expect(x.lpValidate(lp, x.lpBytes(lp), 1)).toBe(1);
    expect(entryAt(x.lpSeek(lp, -1))).toEqual(bytes(String(65539 % 100)));
    expect(entryAt(x.lpSeek(lp, 65539))).toEqual(bytes(String(65539 % 100)));
    lp = x.lpDeleteRange(lp, 0, 10);
    // Back under the limit: lpLength counts and stores the count again.
    expect(x.lpLength(lp)).toBe(65530);
    e.refresh();
    expect(e.u8[lp + 4] | (e.u8[lp + 5] << 8)).toBe(65530);
    x.lpFree(lp);
  });

  it("reports integer entries through lpGet and compares them as text", () => {
    let lp = x.lpNew(0);
    lp = x.lpAppend(lp, put(bytes("-123456789012")), 13);
    lp = x.lpAppend(lp, put(bytes("007")), 3);
    const p = x.lpFirst(lp);
    expect(x.lpEntryIsInt(p)).toBe(1);
    expect(x.lpGet(p)).toBe(0);
    expect(x.lpInt.value).toBe(-123456789012n);
    expect(x.lpCompare(p, put(bytes("-123456789012")), 13)).toBe(1);
    expect(x.lpCompare(p, put(bytes("-0123456789012")), 14)).toBe(0);
    const q = x.lpNext(lp, p);
    expect(x.lpEntryIsInt(q)).toBe(0);
    expect(x.lpCompare(q, put(bytes("7")), 1)).toBe(0);
    expect(x.lpCompare(q, put(bytes("007")), 3)).toBe(1);
    x.lpFree(lp);
  });

  it("rejects corrupt or truncated payloads without trapping", () => {
    fc.assert(
      fc.property(
        fc.array(element, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (elems, flips, cut) => {
          const good = refListpack(elems);
          const at = e.x.zmalloc(good.length);
          e.refresh();
          e.u8.set(good, at);
          expect(x.lpValidate(at, good.length, 1)).toBe(1);
          // A truncated copy never matches its header's size.
          const n = cut % good.length;
          expect(x.lpValidate(at, n, 1)).toBe(0);
          for (const [i, v] of flips) e.u8[at + (i % good.length)] = v;
          if (x.lpValidate(at, good.length, 1) === 1) {
            // Whatever passed validation can be walked both ways.
            let count = 0;
            for (let p = x.lpFirst(at); p !== 0; p = x.lpNext(at, p)) count++;
            let back = 0;
            for (let p = x.lpLast(at); p !== 0; p = x.lpPrev(at, p)) back++;
            expect(back).toBe(count);
          }
          e.x.zfree(at);
        },
      ),
      { numRuns: 300 },
    );
  });
});
