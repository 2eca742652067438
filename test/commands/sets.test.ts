// Set commands whose replies are random or hash-ordered (SPOP, SRANDMEMBER,
// SSCAN), checked by their properties, and what set writes propagate and
// count as changes.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propagationRig } from "../helpers/propagation";

/** A flat aggregate of bulk strings (array or RESP3 set) as its members. */
function strings(reply: string): string[] {
  const lines = reply.split("\r\n");
  if (!"*~".includes(lines[0][0])) throw new Error(`not an aggregate: ${reply}`);
  const n = Number(lines[0].slice(1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(lines[2 + 2 * i]);
  return out;
}

/** An SSCAN reply: the next cursor and the members. */
function scanReply(reply: string): { cursor: string; members: string[] } {
  const lines = reply.split("\r\n");
  return { cursor: lines[2], members: strings(lines.slice(3).join("\r\n")) };
}

const integer = (reply: string): number => Number(reply.slice(1, -2));

describe("set commands: random replies, SSCAN, propagation", () => {
  const rig = propagationRig();

  async function fill(key: string, items: string[]): Promise<void> {
    await rig.cli.call("DEL", key);
    if (items.length > 0) await rig.cli.call("SADD", key, ...items);
  }

  async function dirtyOf(...args: string[]): Promise<number> {
    const before = rig.srv.running.server.dirty;
    await rig.cli.call(...args);
    return rig.srv.running.server.dirty - before;
  }

  const setItems = fc.oneof(
    fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }).map(String), { minLength: 1, maxLength: 80 }),
    fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 80 }),
  );

  it("SPOP count pops min(count, size) distinct members, which leave the set", async () => {
    await fc.assert(
      fc.asyncProperty(setItems, fc.nat(100), async (items, count) => {
        await fill("s", items);
        const popped = strings(await rig.cli.call("SPOP", "s", String(count)));
        expect(popped.length).toBe(Math.min(count, items.length));
        expect(new Set(popped).size).toBe(popped.length);
        for (const m of popped) expect(items).toContain(m);
        const left = strings(await rig.cli.call("SMEMBERS", "s"));
        expect([...left, ...popped].sort()).toEqual([...items].sort());
        expect(integer(await rig.cli.call("EXISTS", "s"))).toBe(left.length > 0 ? 1 : 0);
      }),
      { numRuns: 60 },
    );
  });

  it("SPOP without count removes the member it returns", async () => {
    await fill("s", ["a", "b", "1"]);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await rig.cli.call("SPOP", "s");
      seen.push(r.split("\r\n")[1]);
    }
    expect(seen.sort()).toEqual(["1", "a", "b"]);
    expect(await rig.cli.call("EXISTS", "s")).toBe(":0\r\n");
  });

  it("SRANDMEMBER: positive counts are distinct, negative counts repeat, the set is unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(setItems, fc.integer({ min: -100, max: 100 }), async (items, count) => {
        await fill("s", items);
        const got = strings(await rig.cli.call("SRANDMEMBER", "s", String(count)));
        for (const m of got) expect(items).toContain(m);
        if (count >= 0) {
          expect(got.length).toBe(Math.min(count, items.length));
          expect(new Set(got).size).toBe(got.length);
        } else {
          expect(got.length).toBe(-count);
        }
        expect(integer(await rig.cli.call("SCARD", "s"))).toBe(items.length);
      }),
      { numRuns: 60 },
    );
  });

  it("SRANDMEMBER with a large negative count sends every draw (batched in the engine)", async () => {
    await fill("s", ["x", "y"]);
    const got = strings(await rig.cli.call("SRANDMEMBER", "s", "-5000"));
    expect(got.length).toBe(5000);
    expect(new Set(got)).toEqual(new Set(["x", "y"]));
  });

  /** Full SSCAN iteration, bounded; returns every member seen (with repeats). */
  async function scanAll(key: string, ...opts: string[]): Promise<string[]> {
    const seen: string[] = [];
    let cursor = "0";
    for (let calls = 0; calls < 100000; calls++) {
      const r = scanReply(await rig.cli.call("SSCAN", key, cursor, ...opts));
      seen.push(...r.members);
      cursor = r.cursor;
      if (cursor === "0") return seen;
    }
    throw new Error("SSCAN did not finish");
  }

  it("SSCAN over a hashtable set visits every member, with any COUNT", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await fill("h", items);
    for (const count of ["1", "7", "100", "5000"]) {
      const seen = await scanAll("h", "COUNT", count);
      expect(new Set(seen)).toEqual(new Set(items));
    }
  });

  it("SSCAN MATCH returns exactly the matching members over the iteration", async () => {
    const items = Array.from({ length: 300 }, (_, i) => `k${i}`);
    await fill("h", items);
    const seen = await scanAll("h", "MATCH", "k1*", "COUNT", "20");
    expect(new Set(seen)).toEqual(new Set(items.filter((m) => m.startsWith("k1"))));
  });

  it("SSCAN returns members present for the whole scan even as the set grows and shrinks", async () => {
    const stable = Array.from({ length: 200 }, (_, i) => `s${i}`);
    await fill("h", stable);
    const seen = new Set<string>();
    let cursor = "0";
    let round = 0;
    for (let calls = 0; calls < 100000; calls++) {
      const r = scanReply(await rig.cli.call("SSCAN", "h", cursor, "COUNT", "10"));
      for (const m of r.members) seen.add(m);
      cursor = r.cursor;
      if (cursor === "0") break;
      // Add a batch, then remove it: the table resizes under the cursor both ways.
      const batch = Array.from({ length: 50 }, (_, i) => `t${round >> 1}-${i}`);
      await rig.cli.call(round % 2 === 0 ? "SADD" : "SREM", "h", ...batch);
      round++;
    }
    expect(cursor).toBe("0");
    for (const m of stable) expect(seen.has(m)).toBe(true);
  });

  it("SSCAN on an intset returns everything at once with cursor 0", async () => {
    await fill(
      "i",
      Array.from({ length: 400 }, (_, i) => String(i)),
    );
    const r = scanReply(await rig.cli.call("SSCAN", "i", "0", "COUNT", "1"));
    expect(r.cursor).toBe("0");
    expect(r.members.length).toBe(400);
  });

  it("SPOP propagates SREM of the popped member, not the SPOP", async () => {
    await fill("s", ["a"]);
    rig.propagated.length = 0;
    await rig.cli.call("SPOP", "s");
    expect(rig.propagated).toEqual([["SREM", "s", "a"]]);
  });

  it("SPOP count propagates one SREM per member, or a DEL when it takes the whole set", async () => {
    await fill("s", ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    rig.propagated.length = 0;
    // Few members (one by one) and most of the set (the survivors are moved): both send SREMs.
    const few = strings(await rig.cli.call("SPOP", "s", "2"));
    const most = strings(await rig.cli.call("SPOP", "s", "7"));
    expect(rig.propagated).toEqual([...few, ...most].map((m) => ["SREM", "s", m]));
    rig.propagated.length = 0;
    await rig.cli.call("SPOP", "s", "5");
    expect(rig.propagated).toEqual([["DEL", "s"]]);
  });

  it("counts changes like Redis 7.0: SPOP by members popped, stores only when something changed", async () => {
    await fill("s", ["1", "2", "3"]);
    expect(await dirtyOf("SPOP", "s", "10")).toBe(3);
    await fill("s", ["1", "2", "3", "4", "5", "6"]);
    expect(await dirtyOf("SPOP", "s", "2")).toBe(2);
    expect(await dirtyOf("SPOP", "s", "0")).toBe(0);
    expect(await dirtyOf("SADD", "s", "x", "y", "x")).toBe(2);
    expect(await dirtyOf("SREM", "s", "x", "nope")).toBe(1);
    expect(await dirtyOf("SMOVE", "s", "d", "y")).toBe(2);
    expect(await dirtyOf("SMOVE", "s", "d", "nope")).toBe(0);
    rig.propagated.length = 0;
    expect(await dirtyOf("SINTERSTORE", "empty", "s", "nokey")).toBe(0);
    expect(await dirtyOf("SUNIONSTORE", "u", "s")).toBe(1);
    expect(await dirtyOf("SDIFFSTORE", "u", "s", "s")).toBe(1);
    expect(rig.propagated).toEqual([
      ["SUNIONSTORE", "u", "s"],
      ["SDIFFSTORE", "u", "s", "s"],
    ]);
  });
});
