// Lazy freeing in the engine (assembly/lazyfree.ts): big values and flushed
// databases leave the keyspace at once and are freed in bounded steps.

import { beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine";
import { engineModule } from "../../src/server/wasm-file";

const enc = new TextEncoder();
const LIST_TAIL = 1;
let e: Engine;

beforeAll(() => {
  e = Engine.fromModule(engineModule(), 16);
  // Warm up what stays allocated (scratch block, job queue) so memory comparisons see only the data.
  setKey(0, "warm", bigSet(100));
  e.x.dbAsyncDelete(0, ...put("warm"));
  drain(1000);
});

/** Bytes copied into engine memory (the scratch block: valid until the next copyIn). */
function put(s: string): [number, number] {
  const b = enc.encode(s);
  return [e.copyIn(b), b.length];
}

function setKey(db: number, key: string, o: number): void {
  const [kp, kl] = put(key);
  e.x.dbSetValue(db, kp, kl, o, 0);
}

function bigSet(n: number): number {
  const o = e.x.createSetObject();
  for (let i = 0; i < n; i++) e.x.setTypeAdd(o, ...put(`member:${i}`));
  return o;
}

function bigHash(n: number): number {
  const o = e.x.hashNew();
  for (let i = 0; i < n; i++) {
    const f = enc.encode(`field:${i}`);
    const v = enc.encode(`value:${i}`);
    const fp = e.copyIn(f);
    const vp = e.copyIn(v, f.length);
    e.x.hashSetField(o, fp, f.length, vp, v.length);
  }
  return o;
}

function bigZset(n: number): number {
  const o = e.x.zsetCreateSkiplist();
  for (let i = 0; i < n; i++) e.x.zsetAdd(o, i * 1.5, ...put(`member:${i}`), 0);
  return o;
}

function bigList(n: number): number {
  const o = e.x.listCreate();
  for (let i = 0; i < n; i++) e.x.listPush(o, ...put(`element:${i}`), LIST_TAIL);
  return o;
}

/** Steps until nothing is queued; returns how many steps it took. */
function drain(budget: number): number {
  let steps = 0;
  while (e.x.lazyfreeStep(budget) !== 0) steps++;
  return steps + 1;
}

describe("lazy freeing in the engine", () => {
  it("a big set, hash, list and sorted set leave the keyspace at once and are freed in many bounded steps", () => {
    const before = e.usedMemory();
    const freedBefore = e.x.lazyfreedObjects();
    setKey(0, "set", bigSet(20000));
    setKey(0, "hash", bigHash(20000));
    setKey(0, "list", bigList(100000));
    setKey(0, "zset", bigZset(20000));
    const full = e.usedMemory();
    for (const k of ["set", "hash", "list", "zset"]) expect(e.x.dbAsyncDelete(0, ...put(k))).toBe(1);
    expect(e.x.dbSize(0)).toBe(0);
    expect(e.x.lazyfreePendingObjects()).toBe(4);
    // Nothing is freed until the host steps.
    expect(e.usedMemory()).toBeGreaterThan(full - 4096);
    // A step does a bounded amount: empty buckets count too, so the first may free little.
    for (let i = 0; i < 5; i++) e.x.lazyfreeStep(1000);
    const afterFew = e.usedMemory();
    expect(afterFew).toBeLessThan(full);
    expect(afterFew).toBeGreaterThan(before + (full - before) / 2);
    expect(e.x.lazyfreePendingObjects()).toBe(4);
    expect(drain(1000)).toBeGreaterThan(20);
    expect(e.x.lazyfreePendingObjects()).toBe(0);
    expect(e.x.lazyfreedObjects()).toBe(freedBefore + 4);
    expect(e.usedMemory()).toBeLessThanOrEqual(before + 1024);
  });

  it("small values are freed at once and not counted", () => {
    const before = e.usedMemory();
    const freedBefore = e.x.lazyfreedObjects();
    setKey(0, "small", bigSet(64));
    setKey(0, "intset", e.x.setTypeCreate(...put("1")));
    e.x.dbAsyncDelete(0, ...put("small"));
    e.x.dbAsyncDelete(0, ...put("intset"));
    expect(e.x.lazyfreePending()).toBe(0);
    expect(e.x.lazyfreedObjects()).toBe(freedBefore);
    expect(e.usedMemory()).toBeLessThanOrEqual(before + 1024);
  });

  it("a flushed database counts its keys and frees big values inside it step by step", () => {
    const before = e.usedMemory();
    const freedBefore = e.x.lazyfreedObjects();
    for (let i = 0; i < 1000; i++) setKey(3, `k${i}`, e.x.createStringObject(...put(`value ${i}`)));
    setKey(3, "set", bigSet(30000));
    setKey(3, "zset", bigZset(5000));
    const [kp, kl] = put("k1");
    e.x.setExpire(3, kp, kl, 9999999999999n);
    const full = e.usedMemory();
    e.x.emptyDbAsync(3);
    expect(e.x.dbSize(3)).toBe(0);
    expect(e.x.dbExpiresSize(3)).toBe(0);
    expect(e.x.lazyfreePendingObjects()).toBe(1002);
    e.x.lazyfreeStep(2000);
    expect(e.usedMemory()).toBeLessThan(full);
    expect(e.x.lazyfreePendingObjects()).toBe(1002);
    expect(drain(2000)).toBeGreaterThan(10);
    expect(e.x.lazyfreePendingObjects()).toBe(0);
    expect(e.x.lazyfreedObjects()).toBe(freedBefore + 1002);
    // The database got fresh (empty) dicts: a few bytes more than the tables it had at the start.
    expect(e.usedMemory()).toBeLessThanOrEqual(before + 1024);
  });

  it("jobs queued while others are pending are served in order, and RESETSTAT clears the freed count", () => {
    setKey(0, "a", bigSet(5000));
    // Default nodes hold 8 KB: this list has more than 64 of them.
    setKey(0, "b", bigList(100000));
    e.x.dbAsyncDelete(0, ...put("a"));
    e.x.lazyfreeStep(100);
    e.x.dbAsyncDelete(0, ...put("b"));
    expect(e.x.lazyfreePendingObjects()).toBe(2);
    drain(500);
    expect(e.x.lazyfreePendingObjects()).toBe(0);
    e.x.lazyfreeResetStats();
    expect(e.x.lazyfreedObjects()).toBe(0);
  });
});
