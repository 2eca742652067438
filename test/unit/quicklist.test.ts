// The quicklist (assembly/quicklist.ts) through the engine binding: random
// operation sequences against a JS array model, for every fill and
// compress depth, with the node invariants checked after each step.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine";
import { engineModule } from "../../src/server/wasm-file";

interface QuicklistExports {
  qlCreate(fill: number, compress: number): number;
  qlRelease(ql: number): void;
  qlCount(ql: number): number;
  qlLen(ql: number): number;
  qlHead(ql: number): number;
  qlTail(ql: number): number;
  nodeNext(n: number): number;
  nodePrev(n: number): number;
  nodeCount(n: number): number;
  nodeSz(n: number): number;
  nodeEntry(n: number): number;
  nodeIsCompressed(n: number): number;
  nodeLzfSize(n: number): number;
  nodeLzfData(n: number): number;
  qlPushHead(ql: number, s: number, len: number): number;
  qlPushTail(ql: number, s: number, len: number): number;
  qlIterStart(ql: number, dir: number): void;
  qlIterAt(ql: number, dir: number, idx: bigint): number;
  qlIterRelease(): void;
  qlNext(): number;
  qlDelEntry(): void;
  qlInsertBefore(s: number, len: number): void;
  qlInsertAfter(s: number, len: number): void;
  qlReplaceAtIndex(ql: number, idx: bigint, s: number, len: number): number;
  qlAt(ql: number, idx: bigint): number;
  qlDelRange(ql: number, start: bigint, count: bigint): number;
  qlPeek(ql: number, where: number): void;
  qlDelPeeked(ql: number): void;
  qlDup(ql: number): number;
  entValue: WebAssembly.Global;
  entSz: WebAssembly.Global;
  entLong: WebAssembly.Global;
  lpBytes(lp: number): number;
  lpLength(lp: number): number;
  lpValidate(lp: number, size: number, deep: number): number;
  lzfDecompress(input: number, inLen: number, out: number, outLen: number): number;
}

const AL_START_HEAD = 0;
const AL_START_TAIL = 1;
const HEAD = 0;
const TAIL = -1;
const enc = new TextEncoder();

let e: Engine;
let x: QuicklistExports;
let buf = 0;
let bufCap = 0;
let scratch = 0;
const SCRATCH = 1 << 17;

beforeAll(() => {
  e = Engine.fromModule(engineModule(), 16);
  x = e.x as unknown as QuicklistExports;
  scratch = e.x.zmalloc(SCRATCH);
  e.refresh();
});

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

/** The element loaded by the last qlNext/qlAt/qlPeek, as a latin1 string. */
function current(): string {
  const v = x.entValue.value as number;
  if (v === 0) return String(x.entLong.value);
  e.refresh();
  return Buffer.from(e.u8.subarray(v, v + (x.entSz.value as number))).toString("latin1");
}

function elements(ql: number, dir = AL_START_HEAD): string[] {
  const out: string[] = [];
  x.qlIterStart(ql, dir);
  while (x.qlNext()) out.push(current());
  x.qlIterRelease();
  return dir === AL_START_HEAD ? out : out.reverse();
}

/** Structural invariants Redis keeps: counts agree, nodes non-empty, ends raw, listpacks valid. */
function checkNodes(ql: number, compress: number): void {
  let total = 0;
  let nodes = 0;
  let prev = 0;
  for (let n = x.qlHead(ql); n !== 0; n = x.nodeNext(n)) {
    expect(x.nodePrev(n)).toBe(prev);
    const count = x.nodeCount(n);
    expect(count).toBeGreaterThan(0);
    let lp = x.nodeEntry(n);
    if (x.nodeIsCompressed(n)) {
      expect(x.lzfDecompress(x.nodeLzfData(n), x.nodeLzfSize(n), scratch, SCRATCH)).toBe(x.nodeSz(n));
      lp = scratch;
    }
    expect(x.lpValidate(lp, x.nodeSz(n), 1)).toBe(1);
    expect(x.lpLength(lp)).toBe(count);
    total += count;
    nodes++;
    prev = n;
  }
  expect(x.qlTail(ql)).toBe(prev);
  expect(total).toBe(x.qlCount(ql));
  expect(nodes).toBe(x.qlLen(ql));
  // Nodes within the depth at either end are never compressed.
  let n = x.qlHead(ql);
  let m = x.qlTail(ql);
  for (let d = 0; d < compress && n !== 0; d++) {
    expect(x.nodeIsCompressed(n)).toBe(0);
    expect(x.nodeIsCompressed(m)).toBe(0);
    n = x.nodeNext(n);
    m = x.nodePrev(m);
  }
}

type Op =
  | { t: "pushHead" | "pushTail"; v: string }
  | { t: "popHead" | "popTail" }
  | { t: "insert"; i: number; after: boolean; v: string }
  | { t: "replace"; i: number; v: string }
  | { t: "delRange"; start: number; count: number }
  | { t: "remove"; v: string; fromTail: boolean; limit: number }
  | { t: "index"; i: number }
  | { t: "dup" };

const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("a", "b", "c", "hello", "") },
  { weight: 3, arbitrary: fc.integer({ min: -100000, max: 100000 }).map(String) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom("x", "ab", "q7"), fc.integer({ min: 10, max: 700 }))
      .map(([u, n]) => u.repeat(n)),
  },
);
const index = fc.integer({ min: -400, max: 400 });

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constantFrom("pushHead" as const, "pushTail" as const), v: value }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom("popHead" as const, "popTail" as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("insert" as const), i: index, after: fc.boolean(), v: value }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("replace" as const), i: index, v: value }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("delRange" as const),
      start: index,
      count: fc.integer({ min: -2, max: 60 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("remove" as const), v: value, fromTail: fc.boolean(), limit: fc.nat(3) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("index" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("dup" as const) }) },
);

/** Index normalized like Redis (negative from the tail), or -1 when out of range. */
function norm(i: number, len: number): number {
  const k = i < 0 ? len + i : i;
  return k >= 0 && k < len ? k : -1;
}

function push(ql: number, where: number, v: string): void {
  const b = enc.encode(v);
  if (where === HEAD) x.qlPushHead(ql, put(b), b.length);
  else x.qlPushTail(ql, put(b), b.length);
}

const latin = (v: string): string => Buffer.from(v, "utf8").toString("latin1");

function apply(ql: number, model: string[], o: Op): number {
  switch (o.t) {
    case "pushHead":
      push(ql, HEAD, o.v);
      model.unshift(latin(o.v));
      return ql;
    case "pushTail":
      push(ql, TAIL, o.v);
      model.push(latin(o.v));
      return ql;
    case "popHead":
    case "popTail": {
      if (model.length === 0) return ql;
      const where = o.t === "popHead" ? HEAD : TAIL;
      x.qlPeek(ql, where);
      expect(current()).toBe(where === HEAD ? model.shift() : model.pop());
      x.qlDelPeeked(ql);
      return ql;
    }
    case "insert": {
      const k = norm(o.i, model.length);
      if (k < 0) {
        expect(x.qlAt(ql, BigInt(o.i))).toBe(0);
        return ql;
      }
      // LINSERT's way: a forward iterator stopped at the pivot.
      x.qlIterStart(ql, AL_START_HEAD);
      for (let j = 0; j <= k; j++) expect(x.qlNext()).toBe(1);
      const b = enc.encode(o.v);
      if (o.after) x.qlInsertAfter(put(b), b.length);
      else x.qlInsertBefore(put(b), b.length);
      x.qlIterRelease();
      model.splice(o.after ? k + 1 : k, 0, latin(o.v));
      return ql;
    }
    case "replace": {
      const k = norm(o.i, model.length);
      const b = enc.encode(o.v);
      expect(x.qlReplaceAtIndex(ql, BigInt(o.i), put(b), b.length)).toBe(k < 0 ? 0 : 1);
      if (k >= 0) model[k] = latin(o.v);
      return ql;
    }
    case "delRange": {
      const len = model.length;
      const got = x.qlDelRange(ql, BigInt(o.start), BigInt(o.count));
      const k = norm(o.start, len);
      expect(got).toBe(o.count > 0 && k >= 0 ? 1 : 0);
      if (o.count > 0 && k >= 0) model.splice(k, o.count);
      return ql;
    }
    case "remove": {
      // LREM's way: delete matches while iterating, from either end.
      const want = latin(o.v);
      x.qlIterAt(ql, o.fromTail ? AL_START_TAIL : AL_START_HEAD, o.fromTail ? -1n : 0n);
      let removed = 0;
      while (x.qlNext()) {
        if (current() === want) {
          x.qlDelEntry();
          removed++;
          if (o.limit !== 0 && removed === o.limit) break;
        }
      }
      x.qlIterRelease();
      let left = removed;
      const order = model.map((_, j) => j);
      if (o.fromTail) order.reverse();
      const drop = new Set<number>();
      for (const j of order) {
        if (left > 0 && model[j] === want) {
          drop.add(j);
          left--;
        }
      }
      const kept = model.filter((_, j) => !drop.has(j));
      model.length = 0;
      model.push(...kept);
      expect(left).toBe(0);
      return ql;
    }
    case "index": {
      const k = norm(o.i, model.length);
      expect(x.qlAt(ql, BigInt(o.i))).toBe(k < 0 ? 0 : 1);
      if (k >= 0) expect(current()).toBe(model[k]);
      x.qlIterRelease();
      return ql;
    }
    case "dup": {
      const copy = x.qlDup(ql);
      x.qlRelease(ql);
      return copy;
    }
  }
}

describe("quicklist", () => {
  it("matches an array model for every fill and compress depth", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(-5, -4, -3, -2, -1, 0, 1, 2, 3, 5, 16, 128),
        fc.constantFrom(0, 1, 2, 3),
        fc.array(op, { minLength: 20, maxLength: 250, size: "max" }),
        (fill, compress, ops) => {
          let ql = x.qlCreate(fill, compress);
          const model: string[] = [];
          for (const o of ops) {
            ql = apply(ql, model, o);
            expect(x.qlCount(ql)).toBe(model.length);
            checkNodes(ql, compress);
          }
          expect(elements(ql)).toEqual(model);
          expect(elements(ql, AL_START_TAIL)).toEqual(model);
          x.qlRelease(ql);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("keeps nodes within the size class and compresses inner nodes", () => {
    const ql = x.qlCreate(-1, 1);
    const v = enc.encode("a".repeat(100));
    for (let i = 0; i < 400; i++) x.qlPushTail(ql, put(v), v.length);
    expect(x.qlLen(ql)).toBeGreaterThan(5);
    let compressed = 0;
    for (let n = x.qlHead(ql); n !== 0; n = x.nodeNext(n)) {
      expect(x.nodeSz(n)).toBeLessThanOrEqual(4096);
      compressed += x.nodeIsCompressed(n);
    }
    expect(compressed).toBe(x.qlLen(ql) - 2);
    checkNodes(ql, 1);
    x.qlRelease(ql);
  });

  it("counts entries per node when fill is positive, under the 8 KB safety limit", () => {
    const ql = x.qlCreate(3, 0);
    for (let i = 0; i < 10; i++) x.qlPushTail(ql, put(enc.encode(String(i))), String(i).length);
    const counts: number[] = [];
    for (let n = x.qlHead(ql); n !== 0; n = x.nodeNext(n)) counts.push(x.nodeCount(n));
    expect(counts).toEqual([3, 3, 3, 1]);
    x.qlRelease(ql);
    const big = x.qlCreate(100, 0);
    const v = enc.encode("b".repeat(3000));
    for (let i = 0; i < 4; i++) x.qlPushTail(big, put(v), v.length);
    // Two 3000-byte entries fit in 8 KB, a third does not.
    expect(x.qlLen(big)).toBe(2);
    x.qlRelease(big);
  });
});
