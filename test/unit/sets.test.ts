// Set objects (assembly/t_set.ts) and their intset encoding
// (assembly/intset.ts) through the engine binding: random operation
// sequences against a JS Set model, with the intset's bytes checked against
// Redis's layout (u32 encoding, u32 length, sorted little-endian integers).

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ENC_HT,
  ENC_INTSET,
  Engine,
  OP_DIFF,
  OP_UNION,
  SINK_COUNT,
  SINK_LIST,
  SINK_STORE,
} from "../../src/engine/engine";
import { engineModule } from "../../src/server/wasm-file";

const enc = new TextEncoder();
const dec = new TextDecoder("latin1");
const DEFAULT_MAX_INTSET = 512;

let e: Engine;
/** A block the tests own for member bytes. */
let buf = 0;
let bufCap = 0;

beforeAll(() => {
  e = Engine.fromModule(engineModule(), 16);
});

function put(s: string): [number, number] {
  const b = enc.encode(s);
  if (b.length > bufCap) {
    if (buf !== 0) e.x.zfree(buf);
    bufCap = Math.max(64, b.length * 2);
    buf = e.x.zmalloc(bufCap);
    e.refresh();
  }
  e.u8.set(b, buf);
  return [buf, b.length];
}

const add = (o: number, m: string): boolean => e.x.setTypeAdd(o, ...put(m)) === 1;
const remove = (o: number, m: string): boolean => e.x.setTypeRemove(o, ...put(m)) === 1;
const isMember = (o: number, m: string): boolean => e.x.setTypeIsMember(o, ...put(m)) === 1;

/** Reads `n` records of the engine's member list. */
function readList(n: number): string[] {
  e.refresh();
  const out: string[] = [];
  let p = e.x.setListPtr();
  for (let i = 0; i < n; i++) {
    const len = e.u32[p >> 2];
    out.push(dec.decode(e.u8.subarray(p + 4, p + 4 + len)));
    p += 4 + ((len + 3) & ~3);
  }
  return out;
}

function members(o: number): string[] {
  return readList(e.x.setListMembers(o));
}

function newSet(items: Iterable<string>, first = "0"): number {
  const o = e.x.setTypeCreate(...put(first));
  for (const m of items) add(o, m);
  return o;
}

/** The intset block of an intset-encoded set, decoded from its bytes. */
function intsetBytes(o: number): { encoding: number; values: bigint[]; blobLen: number } {
  e.refresh();
  const is = e.u32[(o + 4) >> 2];
  const view = new DataView(e.u8.buffer);
  const encoding = view.getUint32(is, true);
  const length = view.getUint32(is + 4, true);
  const values: bigint[] = [];
  for (let i = 0; i < length; i++) {
    const at = is + 8 + i * encoding;
    if (encoding === 2) values.push(BigInt(view.getInt16(at, true)));
    else if (encoding === 4) values.push(BigInt(view.getInt32(at, true)));
    else values.push(view.getBigInt64(at, true));
  }
  return { encoding, values, blobLen: 8 + length * encoding };
}

function widthOf(v: bigint): number {
  if (v < -2147483648n || v > 2147483647n) return 8;
  if (v < -32768n || v > 32767n) return 4;
  return 2;
}

/** Redis's canonical integer test (string2ll): what may live in an intset. */
function isCanonicalInt(s: string): boolean {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === "-0") return false;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n;
}

const intMember = fc
  .oneof(
    fc.integer({ min: -40, max: 40 }),
    fc.integer({ min: -100000, max: 100000 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  )
  .map(String);
const member = fc.oneof(
  { weight: 4, arbitrary: intMember },
  { weight: 1, arbitrary: fc.constantFrom("a", "b", "x1", "", "01", "-0", "+3", "9223372036854775808", " 7") },
);

type Op = { kind: "add" | "remove" | "has"; m: string };
const op: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom("add", "add", "remove", "has"), m: member });

describe("set type against a JS Set model", () => {
  it("add/remove/ismember keep the model's members; the intset stays Redis's exact layout", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.integer({ min: 0, max: 40 }), (ops, maxIntset) => {
        e.x.setMaxIntsetEntries(maxIntset);
        const o = e.x.createIntsetObject();
        const model = new Set<string>();
        let width = 2;
        let converted = false;
        for (const { kind, m } of ops) {
          if (kind === "add") {
            expect(add(o, m)).toBe(!model.has(m));
            model.add(m);
            if (isCanonicalInt(m)) width = Math.max(width, widthOf(BigInt(m)));
            else converted = true;
            if (model.size > maxIntset) converted = true;
          } else if (kind === "remove") {
            expect(remove(o, m)).toBe(model.delete(m));
          } else {
            expect(isMember(o, m)).toBe(model.has(m));
          }
          expect(e.x.setTypeSize(o)).toBe(model.size);
          e.refresh();
          expect(e.objEncoding(o)).toBe(converted ? ENC_HT : ENC_INTSET);
        }
        if (!converted) {
          const bytes = intsetBytes(o);
          // The width only grows: removals never narrow an intset.
          expect(bytes.encoding).toBe(width);
          const sorted = [...model].map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(bytes.values).toEqual(sorted);
          expect(members(o)).toEqual(sorted.map(String));
        } else {
          expect(members(o).sort()).toEqual([...model].sort());
        }
        e.x.freeObject(o);
      }),
      { numRuns: 200 },
    );
    e.x.setMaxIntsetEntries(DEFAULT_MAX_INTSET);
  });

  it("upgrades prepend negative and append positive values, keeping order", () => {
    const o = newSet(["1", "2", "3"]);
    add(o, "-100000");
    expect(intsetBytes(o)).toEqual({ encoding: 4, values: [-100000n, 1n, 2n, 3n], blobLen: 8 + 16 });
    add(o, "9223372036854775807");
    expect(intsetBytes(o)).toEqual({
      encoding: 8,
      values: [-100000n, 1n, 2n, 3n, 9223372036854775807n],
      blobLen: 8 + 40,
    });
    remove(o, "9223372036854775807");
    expect(intsetBytes(o).encoding).toBe(8);
    e.x.freeObject(o);
  });

  it("setTypeCreate picks the encoding from the first member", () => {
    for (const [m, want] of [
      ["12", ENC_INTSET],
      ["-9223372036854775808", ENC_INTSET],
      ["x", ENC_HT],
      ["012", ENC_HT],
    ] as const) {
      const o = e.x.setTypeCreate(...put(m));
      e.refresh();
      expect(e.objEncoding(o)).toBe(want);
      e.x.freeObject(o);
    }
  });

  it("dup copies members and encoding, and shares nothing", () => {
    fc.assert(
      fc.property(fc.uniqueArray(member, { maxLength: 40 }), (items) => {
        const o = newSet(items);
        const d = e.x.setTypeDup(o);
        e.refresh();
        expect(e.objEncoding(d)).toBe(e.objEncoding(o));
        expect(members(d).sort()).toEqual(members(o).sort());
        add(d, "only-in-copy");
        expect(isMember(o, "only-in-copy")).toBe(false);
        e.x.freeObject(o);
        e.x.freeObject(d);
      }),
      { numRuns: 100 },
    );
  });

  it("freeing sets returns every byte they took", () => {
    const before = e.usedMemory();
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const o = e.x.createIntsetObject();
        for (const { kind, m } of ops) if (kind === "add") add(o, m);
        for (const { kind, m } of ops) if (kind === "remove") remove(o, m);
        e.x.freeObject(o);
      }),
      { numRuns: 100 },
    );
    // The member list is kept between replies; drain it with an empty listing.
    const empty = e.x.createIntsetObject();
    e.x.setListMembers(empty);
    e.x.freeObject(empty);
    expect(e.usedMemory()).toBeLessThanOrEqual(before + 4096);
  });
});

/** Loads sets (null = missing key) into the engine's operand table. */
function loadOperands(sets: (number | null)[]): void {
  const t = e.x.setOpTable(sets.length);
  e.refresh();
  sets.forEach((o, j) => {
    e.u32[(t >> 2) + j] = o ?? 0;
  });
}

const smallSet = fc.uniqueArray(
  fc.oneof(fc.integer({ min: -20, max: 20 }).map(String), fc.constantFrom("a", "b", "c", "d")),
  { maxLength: 25 },
);

describe("set algebra against the model", () => {
  it("SINTER / SINTERCARD / SINTERSTORE", () => {
    fc.assert(
      fc.property(fc.array(smallSet, { minLength: 1, maxLength: 5 }), fc.nat(10), (lists, limit) => {
        const sets = lists.map((l) => newSet(l));
        const want = lists.reduce((acc, l) => acc.filter((m) => l.includes(m)));
        loadOperands(sets);
        const n = e.x.sinter(sets.length, SINK_LIST, 0);
        expect(readList(n).sort()).toEqual([...want].sort());
        loadOperands(sets);
        expect(e.x.sinter(sets.length, SINK_COUNT, limit)).toBe(
          limit === 0 ? want.length : Math.min(limit, want.length),
        );
        loadOperands(sets);
        const card = e.x.sinter(sets.length, SINK_STORE, 0);
        expect(card).toBe(want.length);
        const dst = e.x.setOpDst();
        if (card === 0) expect(dst).toBe(0);
        else {
          expect(members(dst).sort()).toEqual([...want].sort());
          e.x.freeObject(dst);
        }
        for (const o of sets) e.x.freeObject(o);
      }),
      { numRuns: 150 },
    );
  });

  it("SUNION / SDIFF with missing keys and repeated operands", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(smallSet, { nil: null }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (lists, repeatFirst) => {
          const sets = lists.map((l) => (l === null ? null : newSet(l)));
          const operands = repeatFirst && sets.length > 1 ? [...sets, sets[0]] : sets;
          const contents = operands.map((o) => (o === null ? [] : (lists[sets.indexOf(o)] ?? [])));
          const union = new Set(contents.flat());
          const diff = contents[0].filter((m) => !contents.slice(1).some((l) => l.includes(m)));
          const sameKeyAgain = operands.slice(1).some((o) => o !== null && o === operands[0]);
          loadOperands(operands);
          expect(readList(e.x.sunionDiff(operands.length, OP_UNION, SINK_LIST)).sort()).toEqual([...union].sort());
          loadOperands(operands);
          const got = readList(e.x.sunionDiff(operands.length, OP_DIFF, SINK_LIST)).sort();
          expect(got).toEqual(sameKeyAgain ? [] : [...diff].sort());
          for (const o of sets) if (o !== null) e.x.freeObject(o);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("random members", () => {
  it("srandmemberDistinct returns count distinct members (both strategies)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(member, { minLength: 2, maxLength: 60 }), fc.nat(100), (items, c) => {
        const o = newSet(items);
        const count = 1 + (c % (items.length - 1));
        const got = readList(e.x.srandmemberDistinct(o, count));
        expect(got.length).toBe(count);
        expect(new Set(got).size).toBe(count);
        for (const m of got) expect(items).toContain(m);
        e.x.freeObject(o);
      }),
      { numRuns: 150 },
    );
  });

  it("setRandomMembers draws members of the set, repeats allowed", () => {
    const items = ["1", "2", "3"];
    const o = newSet(items);
    const got = readList(e.x.setRandomMembers(o, 300));
    expect(got.length).toBe(300);
    for (const m of got) expect(items).toContain(m);
    // 300 draws over 3 members: every member shows up (a miss has probability ~3·(2/3)^300).
    expect(new Set(got).size).toBe(3);
    e.x.freeObject(o);
  });
});
