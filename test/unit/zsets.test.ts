// Sorted sets in the engine (assembly/zskiplist.ts, assembly/t_zset*.ts)
// through the binding: random operation sequences on both encodings
// against a JS model ordered by (score, member bytes), with the skiplist's
// invariants (order, backward links, spans that give ranks) checked after
// every step.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine";
import { engineModule } from "../../src/server/wasm-file";

const ENC_SKIPLIST = 7;
const ENC_LISTPACK = 11;
const SINK_REPLY = 0;
const ITEM_SIZE = 16;
const LEX_INCL = 0;
const LEX_EXCL = 1;
const LEX_MIN = 2;
const LEX_MAX = 3;

const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

let e: Engine;
/** Blocks the tests own for member bytes and range bounds. */
let buf = 0;
let bound = 0;

beforeAll(() => {
  e = Engine.fromModule(engineModule(), 1);
  buf = e.x.zmalloc(256);
  bound = e.x.zmalloc(256);
  e.refresh();
});

function put(s: string, at = buf): [number, number] {
  const b = enc.encode(s);
  e.u8.set(b, at);
  return [at, b.length];
}

type Model = Map<string, number>;

/** Redis's order: score, then member bytes (sdscmp). */
function sorted(m: Model): [string, number][] {
  return [...m.entries()].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Items [0, n) of the engine's item table as (member, score). */
function items(n: number): [string, number][] {
  e.refresh();
  const out: [string, number][] = [];
  const base = e.x.zitemsPtr();
  for (let i = 0; i < n; i++) {
    const at = base + i * ITEM_SIZE;
    const p = e.u32[at >> 2];
    const l = e.u32[(at >> 2) + 1];
    out.push([dec.decode(e.u8.subarray(p, p + l)), e.f64[(at + 8) >> 3]]);
  }
  return out;
}

function listing(o: number): [string, number][] {
  return items(e.x.zrangeByRank(o, 0, -1, 0, SINK_REPLY, 1));
}

/** A listpack turns -0 into 0; the skiplist keeps it. */
function norm(v: number, o: number): number {
  return e.objEncoding(o) === ENC_LISTPACK && v === 0 ? 0 : v;
}

function checkAgainst(o: number, m: Model): void {
  expect(e.x.zsetValidate(o)).toBe(0);
  expect(e.x.zsetLength(o)).toBe(m.size);
  const want = sorted(m).map(([k, v]) => [k, norm(v, o)]);
  expect(listing(o)).toEqual(want);
}

const member = fc.stringMatching(/^[a-e]{0,3}$/);
const score = fc.constantFrom(0, -0, 1, 1, 2, 2.5, -3, 0.1, 1e20, Infinity, -Infinity, 2 ** 62, 123456789);

type Op =
  | { t: "add"; m: string; s: number }
  | { t: "incr"; m: string; s: number }
  | { t: "del"; m: string }
  | { t: "popmin" }
  | { t: "popmax" }
  | { t: "remrank"; a: number; b: number }
  | { t: "remscore"; min: number; max: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("add" as const), m: member, s: score }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("incr" as const), m: member, s: score }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("del" as const), m: member }) },
  { weight: 1, arbitrary: fc.constant({ t: "popmin" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "popmax" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("remrank" as const),
      a: fc.integer({ min: -8, max: 8 }),
      b: fc.integer({ min: -8, max: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("remscore" as const), min: score, max: score }) },
);

const ZADD_INCR = 1;

/** Applies one operation to the engine object and the model. */
function apply(o: number, m: Model, x: Op): void {
  switch (x.t) {
    case "add":
      e.x.zsetAdd(o, x.s, ...put(x.m), 0);
      setScore(o, m, x.m, x.s);
      break;
    case "incr": {
      // A new member takes the increment itself (so -0 stays -0 in a skiplist).
      const cur = m.get(x.m);
      const next = cur === undefined ? x.s : cur + x.s;
      const out = e.x.zsetAdd(o, x.s, ...put(x.m), ZADD_INCR);
      // NaN (inf + -inf) is refused and changes nothing.
      if (Number.isNaN(next)) expect(out & 2).toBe(2);
      else setScore(o, m, x.m, next);
      break;
    }
    case "del":
      expect(e.x.zsetDel(o, ...put(x.m))).toBe(m.delete(x.m) ? 1 : 0);
      break;
    case "popmin":
    case "popmax":
      popOne(o, m, x.t === "popmax");
      break;
    case "remrank":
      removeByRank(o, m, x.a, x.b);
      break;
    case "remscore":
      removeByScore(o, m, x.min, x.max);
      break;
  }
}

/** An equal score (0 and -0 included) leaves the member as it was, as zsetAdd does. */
function setScore(o: number, m: Model, k: string, v: number): void {
  if (m.get(k) !== v) m.set(k, norm(v, o));
}

function popOne(o: number, m: Model, max: boolean): void {
  const all = sorted(m);
  const n = e.x.zpop(0, ...put("no-such-key"), o, max ? 1 : 0, 1);
  expect(n).toBe(all.length > 0 ? 1 : 0);
  if (n === 0) return;
  const [k] = all[max ? all.length - 1 : 0];
  expect(items(1)[0][0]).toBe(k);
  m.delete(k);
}

function removeByRank(o: number, m: Model, a: number, b: number): void {
  const all = sorted(m);
  const len = all.length;
  let start = a < 0 ? len + a : a;
  const end = b < 0 ? len + b : b;
  if (start < 0) start = 0;
  const gone = start > end || start >= len ? [] : all.slice(start, Math.min(end, len - 1) + 1);
  expect(e.x.zremRangeByRank(0, ...put("no-such-key"), o, a, b)).toBe(gone.length);
  for (const [k] of gone) m.delete(k);
}

function removeByScore(o: number, m: Model, min: number, max: number): void {
  e.x.zrangeSetScore(min, 0, max, 1);
  const gone = sorted(m).filter(([, v]) => v >= min && v < max);
  expect(e.x.zremRangeByScoreOrLex(0, ...put("no-such-key"), o, 0)).toBe(gone.length);
  for (const [k] of gone) m.delete(k);
}

describe("sorted sets in the engine", () => {
  for (const encoding of [ENC_LISTPACK, ENC_SKIPLIST]) {
    const name = encoding === ENC_LISTPACK ? "listpack" : "skiplist";

    it(`${name}: random operations keep the order, the ranks and the structure`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
          const o = encoding === ENC_LISTPACK ? e.x.zsetCreateListpack() : e.x.zsetCreateSkiplist();
          const m: Model = new Map();
          try {
            for (const x of ops) {
              apply(o, m, x);
              checkAgainst(o, m);
            }
            checkRanks(o, m);
          } finally {
            e.x.freeObject(o);
          }
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: score ranges forward and reverse, with offset and limit`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(member, score), { maxLength: 40 }),
          score,
          score,
          fc.boolean(),
          fc.boolean(),
          fc.integer({ min: -2, max: 6 }),
          fc.integer({ min: -2, max: 6 }),
          (pairs, min, max, minex, maxex, offset, limit) => {
            const o = build(encoding, pairs);
            const m = modelOf(o, pairs);
            try {
              for (const reverse of [false, true]) {
                e.x.zrangeSetScore(min, minex ? 1 : 0, max, maxex ? 1 : 0);
                const n = e.x.zrangeByScoreOrLex(o, 0, reverse ? 1 : 0, offset, limit, SINK_REPLY, 1);
                const inRange = sorted(m).filter(
                  ([, v]) => (minex ? v > min : v >= min) && (maxex ? v < max : v <= max),
                );
                if (reverse) inRange.reverse();
                const want = offset < 0 ? [] : inRange.slice(offset, limit < 0 ? undefined : offset + limit);
                expect(items(n)).toEqual(want);
                e.x.zrangeSetScore(min, minex ? 1 : 0, max, maxex ? 1 : 0);
                expect(e.x.zcountRange(o, 0)).toBe(inRange.length);
              }
            } finally {
              e.x.freeObject(o);
            }
          },
        ),
        { numRuns: 500 },
      );
    });

    it(`${name}: lex ranges over members of one score`, () => {
      const lexBound = fc.oneof(
        fc.constant({ kind: LEX_MIN, s: "" }),
        fc.constant({ kind: LEX_MAX, s: "" }),
        fc.record({ kind: fc.constantFrom(LEX_INCL, LEX_EXCL), s: member }),
      );
      fc.assert(
        fc.property(fc.uniqueArray(member, { maxLength: 30 }), lexBound, lexBound, (members, lo, hi) => {
          const o = build(
            encoding,
            members.map((k) => [k, 7]),
          );
          try {
            const [lp, ll] = put(lo.s, bound);
            const [hp, hl] = put(hi.s, bound + 64);
            e.x.zrangeSetLex(lo.kind, lp, ll, hi.kind, hp, hl);
            const n = e.x.zrangeByScoreOrLex(o, 1, 0, 0, -1, SINK_REPLY, 0);
            const want = [...members].sort().filter((k) => lexAbove(k, lo) && lexBelow(k, hi));
            expect(items(n).map(([k]) => k)).toEqual(want);
            e.x.zrangeSetLex(lo.kind, lp, ll, hi.kind, hp, hl);
            expect(e.x.zcountRange(o, 1)).toBe(want.length);
          } finally {
            e.x.freeObject(o);
          }
        }),
        { numRuns: 500 },
      );
    });
  }

  it("converting between encodings keeps every member and score", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(member, score), { maxLength: 60 }), (pairs) => {
        const o = build(ENC_SKIPLIST, pairs);
        try {
          const before = listing(o);
          e.x.zsetConvert(o, ENC_LISTPACK);
          expect(e.objEncoding(o)).toBe(ENC_LISTPACK);
          const lp = listing(o);
          expect(lp).toEqual(before.map(([k, v]) => [k, v === 0 ? 0 : v]));
          e.x.zsetConvert(o, ENC_SKIPLIST);
          expect(e.x.zsetValidate(o)).toBe(0);
          expect(listing(o)).toEqual(lp);
        } finally {
          e.x.freeObject(o);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a big skiplist stays sound through many inserts and deletes", () => {
    const o = e.x.zsetCreateSkiplist();
    const m: Model = new Map();
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const k = `k${rnd(3000)}`;
      if (rnd(3) === 0) {
        e.x.zsetDel(o, ...put(k));
        m.delete(k);
      } else {
        const s = rnd(500) / 4;
        e.x.zsetAdd(o, s, ...put(k), 0);
        m.set(k, s);
      }
    }
    checkAgainst(o, m);
    checkRanks(o, m);
    e.x.freeObject(o);
  });
});

/** ZRANK / ZREVRANK of every member and of a missing one. */
function checkRanks(o: number, m: Model): void {
  const all = sorted(m);
  all.forEach(([k], i) => {
    expect(e.x.zsetRank(o, ...put(k), 0)).toBe(i);
    expect(e.x.zsetRank(o, ...put(k), 1)).toBe(all.length - 1 - i);
  });
  expect(e.x.zsetRank(o, ...put("zzzz"), 0)).toBe(-1);
}

function build(encoding: number, pairs: [string, number][]): number {
  const o = encoding === ENC_LISTPACK ? e.x.zsetCreateListpack() : e.x.zsetCreateSkiplist();
  for (const [k, s] of pairs) e.x.zsetAdd(o, s, ...put(k), 0);
  return o;
}

function modelOf(o: number, pairs: [string, number][]): Model {
  const m: Model = new Map();
  for (const [k, s] of pairs) setScore(o, m, k, s);
  return m;
}

function lexAbove(k: string, b: { kind: number; s: string }): boolean {
  if (b.kind === LEX_MIN) return true;
  if (b.kind === LEX_MAX) return false;
  return b.kind === LEX_INCL ? k >= b.s : k > b.s;
}

function lexBelow(k: string, b: { kind: number; s: string }): boolean {
  if (b.kind === LEX_MAX) return true;
  if (b.kind === LEX_MIN) return false;
  return b.kind === LEX_INCL ? k <= b.s : k < b.s;
}
