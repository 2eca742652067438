import { expect, it } from "vitest";
import { type DiffPair, describeDiff } from "../helpers/diff";
import type { Arg } from "../helpers/resp";

/** A flat aggregate reply of bulk strings: its type byte, its length and its members. */
interface Aggregate {
  type: string;
  members: string[];
}

function parseAggregate(reply: string): Aggregate {
  const lines = reply.split("\r\n");
  const type = lines[0][0];
  const n = Number(lines[0].slice(1));
  const members: string[] = [];
  for (let i = 0; i < n; i++) members.push(lines[2 + 2 * i]);
  return { type, members };
}

/**
 * For replies whose order is a hashtable's (hash-dependent on both sides):
 * the same reply type and the same members in any order.
 */
async function sameSorted(p: DiffPair, ...args: Arg[]): Promise<void> {
  const [x, y] = await Promise.all([p.redish.call(...args), p.redis.call(...args)]);
  const a = parseAggregate(x);
  const b = parseAggregate(y);
  const what = `reply to ${args.map(String).join(" ")}`;
  expect(a.type, what).toBe(b.type);
  expect([...a.members].sort(), what).toEqual([...b.members].sort());
}

/** Sends to both without comparing (replies that legitimately differ, e.g. HELLO's client id). */
async function both(p: DiffPair, ...args: Arg[]): Promise<void> {
  await Promise.all([p.redish.call(...args), p.redis.call(...args)]);
}

const range = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(String(i));
  return out;
};

describeDiff("sets against redis-server", (pair) => {
  it("SADD, SREM, SCARD, SISMEMBER, SMISMEMBER: counts, duplicates, deletion when empty", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "s", "1", "2", "2", "3"],
      ["SADD", "s", "3", "4"],
      ["SCARD", "s"],
      ["SISMEMBER", "s", "2"],
      ["SISMEMBER", "s", "02"],
      ["SISMEMBER", "s", "x"],
      ["SISMEMBER", "nokey", "x"],
      ["SMISMEMBER", "s", "1", "x", "4", "01"],
      ["SMISMEMBER", "nokey", "1", "2"],
      ["SREM", "s", "1", "x", "1"],
      ["SREM", "nokey", "1"],
      ["SMEMBERS", "s"],
      ["SREM", "s", "2", "3", "4", "5"],
      ["EXISTS", "s"],
      ["SCARD", "s"],
      ["SADD", "b", "", new Uint8Array([0, 255, 13, 10]), "x"],
      ["SISMEMBER", "b", ""],
      ["SISMEMBER", "b", new Uint8Array([0, 255, 13, 10])],
      ["SREM", "b", "", "x"],
      ["SMEMBERS", "b"],
      ["SADD", "s"],
      ["SREM", "s"],
      ["SCARD"],
      ["SISMEMBER", "s"],
      ["SMISMEMBER", "s"],
    ]);
  });

  it("WRONGTYPE from every set command on a string key", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "str", "x"],
      ["SADD", "s", "1"],
      ["SADD", "str", "1"],
      ["SREM", "str", "1"],
      ["SCARD", "str"],
      ["SISMEMBER", "str", "1"],
      ["SMISMEMBER", "str", "1"],
      ["SMEMBERS", "str"],
      ["SRANDMEMBER", "str"],
      ["SRANDMEMBER", "str", "2"],
      ["SRANDMEMBER", "str", "0"],
      ["SPOP", "str"],
      ["SPOP", "str", "2"],
      ["SPOP", "str", "0"],
      ["SMOVE", "str", "s", "1"],
      ["SMOVE", "s", "str", "1"],
      ["SMOVE", "nokey", "str", "1"],
      ["SINTER", "s", "str"],
      ["SINTER", "nokey", "str"],
      ["SINTER", "str", "nokey"],
      ["SINTERSTORE", "d", "nokey", "str"],
      ["SINTERCARD", "2", "nokey", "str"],
      ["SUNION", "s", "str"],
      ["SUNIONSTORE", "d", "s", "str"],
      ["SDIFF", "nokey", "str"],
      ["SDIFFSTORE", "d", "s", "str"],
      ["SSCAN", "str", "0"],
      ["SSCAN", "str", "0", "COUNT", "0"],
      ["EXISTS", "d"],
      ["GET", "str"],
    ]);
  });

  it("intset: sorted replies, int16/int32/int64 upgrades, what counts as an integer", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "i", "5", "-3", "100", "0"],
      ["OBJECT", "ENCODING", "i"],
      ["SMEMBERS", "i"],
      ["SADD", "i", "70000"],
      ["SADD", "i", "-70000"],
      ["SMEMBERS", "i"],
      ["SADD", "i", "9223372036854775807", "-9223372036854775808"],
      ["SMEMBERS", "i"],
      ["OBJECT", "ENCODING", "i"],
      ["SISMEMBER", "i", "-9223372036854775808"],
      ["SISMEMBER", "i", "70000"],
      ["SISMEMBER", "i", "99999999999"],
      ["SREM", "i", "9223372036854775807", "-70000", "5"],
      ["SMEMBERS", "i"],
      ["SREM", "i", "99999999999", "x", "-0"],
      ["SADD", "n", "1", "01"],
      ["OBJECT", "ENCODING", "n"],
      ["SADD", "m", "-0"],
      ["OBJECT", "ENCODING", "m"],
      ["SADD", "m2", "9223372036854775808"],
      ["OBJECT", "ENCODING", "m2"],
      ["SADD", "m3", "+1"],
      ["OBJECT", "ENCODING", "m3"],
      ["SADD", "m4", " 1", "1.0"],
      ["OBJECT", "ENCODING", "m4"],
    ]);
  });

  it("intset converts to hashtable on a non-integer member and at set-max-intset-entries", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "a", "1", "2", "3"],
      ["OBJECT", "ENCODING", "a"],
      ["SADD", "a", "x"],
      ["OBJECT", "ENCODING", "a"],
      ["SREM", "a", "x"],
      ["OBJECT", "ENCODING", "a"],
      ["SADD", "x", "x", "1"],
      ["OBJECT", "ENCODING", "x"],
      ["SADD", "big", ...range(1, 512)],
      ["OBJECT", "ENCODING", "big"],
      ["SADD", "big", "512"],
      ["OBJECT", "ENCODING", "big"],
      ["SADD", "big", "513"],
      ["OBJECT", "ENCODING", "big"],
      ["SCARD", "big"],
      ["SADD", "big2", ...range(1, 600)],
      ["OBJECT", "ENCODING", "big2"],
    ]);
    await sameSorted(p, "SMEMBERS", "a");
  });

  it("CONFIG SET set-max-intset-entries moves the threshold", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["CONFIG", "GET", "set-max-intset-entries"],
      ["CONFIG", "SET", "set-max-intset-entries", "3"],
      ["SADD", "s", "1", "2", "3"],
      ["OBJECT", "ENCODING", "s"],
      ["SADD", "s", "4"],
      ["OBJECT", "ENCODING", "s"],
      ["CONFIG", "SET", "set-max-intset-entries", "0"],
      ["SADD", "z", "1"],
      ["OBJECT", "ENCODING", "z"],
      ["CONFIG", "SET", "set-max-intset-entries", "1k"],
      ["CONFIG", "GET", "set-max-intset-entries"],
      ["SADD", "t", ...range(1, 1000)],
      ["OBJECT", "ENCODING", "t"],
      ["SADD", "t", "1001"],
      ["OBJECT", "ENCODING", "t"],
      ["CONFIG", "SET", "set-max-intset-entries", "512"],
    ]);
  });

  it("SMEMBERS, SINTER, SUNION, SDIFF over intsets are sorted and byte-exact", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "a", "1", "2", "3", "4", "5", "70000"],
      ["SADD", "b", "4", "5", "6", "7", "70000"],
      ["SADD", "c", "5", "70000", "9"],
      ["SINTER", "a", "b"],
      ["SINTER", "a", "b", "c"],
      ["SINTER", "a"],
      ["SINTER", "a", "a"],
      ["SINTER", "a", "nokey"],
      ["SINTER", "nokey", "a"],
      ["SUNION", "a", "b", "c"],
      ["SUNION", "a", "nokey"],
      ["SUNION", "nokey"],
      ["SDIFF", "a", "b"],
      ["SDIFF", "a", "b", "c"],
      ["SDIFF", "a", "nokey"],
      ["SDIFF", "nokey", "a"],
      ["SDIFF", "a", "a"],
      ["SDIFF", "a", "b", "a"],
      ["SMEMBERS", "nokey"],
    ]);
  });

  it("set algebra over hashtable sets (order is the hash table's: compared as sets)", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "a", "x", "y", "z", "1", "2"],
      ["SADD", "b", "y", "z", "w", "2", "3"],
      ["SADD", "i", "1", "2", "3"],
    ]);
    for (const cmd of [
      ["SMEMBERS", "a"],
      ["SINTER", "a", "b"],
      ["SINTER", "a", "i"],
      ["SINTER", "i", "a"],
      ["SUNION", "a", "b", "i"],
      ["SDIFF", "a", "b"],
      ["SDIFF", "b", "a", "i"],
      ["SDIFF", "a", "i"],
    ]) {
      await sameSorted(p, ...cmd);
    }
    // Integers from an intset against a hashtable, both ways: deterministic when the result is an intset.
    await p.run([
      ["SINTER", "i", "b"],
      ["SDIFF", "i", "a"],
      ["SUNION", "i", "i"],
    ]);
  });

  it("STORE variants: counts, encodings, overwrite, TTL, empty results delete the destination", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "a", "1", "2", "3", "x"],
      ["SADD", "b", "2", "3", "4"],
      ["SADD", "i", "1", "2", "3"],
      ["SINTERSTORE", "d", "a", "b"],
      ["OBJECT", "ENCODING", "d"],
      ["SMEMBERS", "d"],
      ["SUNIONSTORE", "d", "i", "b"],
      ["OBJECT", "ENCODING", "d"],
      ["SMEMBERS", "d"],
      ["SUNIONSTORE", "d", "a", "b"],
      ["OBJECT", "ENCODING", "d"],
      ["SCARD", "d"],
      ["SDIFFSTORE", "d", "a", "b"],
      ["OBJECT", "ENCODING", "d"],
      ["SET", "str", "v"],
      ["SINTERSTORE", "str", "i", "b"],
      ["TYPE", "str"],
      ["SMEMBERS", "str"],
      ["EXPIRE", "str", "1000"],
      ["SUNIONSTORE", "str", "i"],
      ["PERSIST", "str"],
      ["SINTERSTORE", "d", "a", "nokey"],
      ["EXISTS", "d"],
      ["SINTERSTORE", "d", "a", "nokey"],
      ["SUNIONSTORE", "d", "nokey", "nokey2"],
      ["SDIFFSTORE", "str", "i", "a"],
      ["EXISTS", "str"],
      ["SDIFFSTORE", "d", "nokey", "a"],
      ["SINTERSTORE", "i", "i", "b"],
      ["SMEMBERS", "i"],
      ["SUNIONSTORE", "a", "a"],
      ["SCARD", "a"],
      ["SDIFFSTORE", "b", "b", "b"],
      ["EXISTS", "b"],
      ["SINTERSTORE", "d", "nokey"],
      ["SINTERSTORE", "d"],
      ["SUNIONSTORE", "d"],
      ["SDIFFSTORE", "d"],
    ]);
  });

  it("SDIFFSTORE's algorithm choice shows in the stored encoding", async () => {
    const p = pair();
    const first = range(1, 600);
    await p.run([
      ["FLUSHALL"],
      ["SADD", "big", ...first],
      ["SADD", "most", ...range(1, 550)],
      ["SADD", "o1", "x"],
      ["SADD", "o2", "y"],
      ["SADD", "o3", "z"],
      // Probing (first set walked): 50 survivors stay an intset.
      ["SDIFFSTORE", "d1", "big", "most"],
      ["OBJECT", "ENCODING", "d1"],
      ["SMEMBERS", "d1"],
      // Copying then removing (many operands): the copy became a hashtable.
      ["SDIFFSTORE", "d2", "big", "most", "o1", "o2", "o3"],
      ["OBJECT", "ENCODING", "d2"],
      ["SCARD", "d2"],
      ["SADD", "mixed", "1", "2", "a"],
      ["SADD", "ra", "a"],
      ["SDIFFSTORE", "d3", "mixed", "ra"],
      ["OBJECT", "ENCODING", "d3"],
      ["SDIFFSTORE", "d4", "mixed", "ra", "o1", "o2", "o3", "nokey", "most"],
      ["OBJECT", "ENCODING", "d4"],
      ["SDIFFSTORE", "d5", "mixed", "ra", "o1", "o2", "o3", "big"],
      ["OBJECT", "ENCODING", "d5"],
      ["SMEMBERS", "d5"],
    ]);
    await sameSorted(p, "SMEMBERS", "d4");
  });

  it("SINTERCARD: numkeys, LIMIT and their exact errors", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "a", "1", "2", "3", "4", "x", "y"],
      ["SADD", "b", "2", "3", "4", "x", "z"],
      ["SET", "str", "v"],
      ["SINTERCARD", "2", "a", "b"],
      ["SINTERCARD", "1", "a"],
      ["SINTERCARD", "2", "a", "b", "LIMIT", "0"],
      ["SINTERCARD", "2", "a", "b", "LIMIT", "2"],
      ["SINTERCARD", "2", "a", "b", "limit", "100"],
      ["SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "3"],
      ["SINTERCARD", "2", "a", "a", "LIMIT", "5"],
      ["SINTERCARD", "2", "a", "nokey"],
      ["SINTERCARD", "0", "a"],
      ["SINTERCARD", "-1", "a"],
      ["SINTERCARD", "abc", "a"],
      ["SINTERCARD", "9223372036854775808", "a"],
      ["SINTERCARD", "3", "a", "b"],
      ["SINTERCARD", "2", "a", "b", "LIMIT"],
      ["SINTERCARD", "2", "a", "b", "LIMIT", "-1"],
      ["SINTERCARD", "2", "a", "b", "LIMIT", "abc"],
      ["SINTERCARD", "2", "a", "b", "LIMIT", "-1", "FOO"],
      ["SINTERCARD", "2", "a", "b", "FOO", "1"],
      ["SINTERCARD", "2", "a", "b", "LIMIT", "1", "FOO"],
      ["SINTERCARD", "1", "str", "LIMIT", "-1"],
      ["SINTERCARD", "1", "str"],
      ["SINTERCARD", "1"],
    ]);
  });

  it("SMOVE: moves, no-ops, creates the destination with the member's encoding", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "src", "1", "2", "x"],
      ["SMOVE", "src", "dst", "1"],
      ["OBJECT", "ENCODING", "dst"],
      ["SMOVE", "src", "dst2", "x"],
      ["OBJECT", "ENCODING", "dst2"],
      ["SMOVE", "src", "dst", "nope"],
      ["SMOVE", "src", "src", "2"],
      ["SMOVE", "src", "src", "nope"],
      ["SMOVE", "nokey", "dst", "1"],
      ["SADD", "dst", "2"],
      ["SMOVE", "src", "dst", "2"],
      ["EXISTS", "src"],
      ["SMEMBERS", "dst"],
      ["SMEMBERS", "dst2"],
      ["SADD", "h", "a", "b"],
      ["SMOVE", "h", "dst", "a"],
      ["OBJECT", "ENCODING", "dst"],
      ["SMOVE", "src"],
    ]);
    await sameSorted(p, "SMEMBERS", "dst");
  });

  it("SPOP and SRANDMEMBER: errors, missing keys, whole-set cases", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "i", "3", "1", "2"],
      ["SPOP", "nokey"],
      ["SPOP", "nokey", "2"],
      ["SPOP", "i", "0"],
      ["SPOP", "i", "-1"],
      ["SPOP", "i", "abc"],
      ["SPOP", "nokey", "-1"],
      ["SPOP", "i", "1", "2"],
      ["SRANDMEMBER", "nokey"],
      ["SRANDMEMBER", "nokey", "3"],
      ["SRANDMEMBER", "nokey", "-3"],
      ["SRANDMEMBER", "i", "0"],
      ["SRANDMEMBER", "i", "abc"],
      ["SRANDMEMBER", "i", "-9223372036854775808"],
      ["SRANDMEMBER", "i", "9223372036854775808"],
      ["SRANDMEMBER", "nokey", "-9223372036854775808"],
      ["SRANDMEMBER", "i", "1", "2"],
      ["SRANDMEMBER", "i", "3"],
      ["SRANDMEMBER", "i", "100"],
      ["SPOP", "i", "3"],
      ["EXISTS", "i"],
      ["SADD", "j", "5", "4"],
      ["SPOP", "j", "9223372036854775807"],
      ["EXISTS", "j"],
      ["SADD", "k", "7"],
      ["SPOP", "k"],
      ["EXISTS", "k"],
      ["SADD", "k", "7"],
      ["SRANDMEMBER", "k"],
      ["SRANDMEMBER", "k", "-3"],
      ["SRANDMEMBER", "k", "1"],
      ["SPOP", "k", "1"],
      ["EXISTS", "k"],
    ]);
  });

  it("SPOP's whole-set reply rebuilds the set like SUNION (a hashtable of integers comes back sorted)", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "h", "3", "1", "2", "a"],
      ["SREM", "h", "a"],
      ["SPOP", "h", "10"],
      ["EXISTS", "h"],
    ]);
    await p.run([
      ["SADD", "h", "3", "1", "2", "a"],
      ["SREM", "h", "a"],
    ]);
    await sameSorted(p, "SRANDMEMBER", "h", "10");
  });

  it("SPOP keeping few survivors builds a new set: hashtable of integers becomes an intset, TTL kept", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "h", "a", ...range(1, 6)],
      ["SREM", "h", "a"],
      ["EXPIRE", "h", "1000"],
      ["OBJECT", "ENCODING", "h"],
    ]);
    const [x, y] = await Promise.all([p.redish.call("SPOP", "h", "5"), p.redis.call("SPOP", "h", "5")]);
    expect(parseAggregate(x).members.length).toBe(5);
    expect(parseAggregate(x).type).toBe(parseAggregate(y).type);
    await p.run([
      ["OBJECT", "ENCODING", "h"],
      ["SCARD", "h"],
      ["PERSIST", "h"],
    ]);
  });

  it("SSCAN: intsets in one call with cursor 0, MATCH, COUNT, cursor and option errors", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "i", ...range(1, 30)],
      ["SET", "str", "v"],
      ["SSCAN", "i", "0"],
      ["SSCAN", "i", "0", "COUNT", "2"],
      ["SSCAN", "i", "123"],
      ["SSCAN", "i", "0", "MATCH", "1*"],
      ["SSCAN", "i", "0", "MATCH", "*"],
      ["SSCAN", "i", "0", "match", "?", "count", "5"],
      ["SSCAN", "i", "0", "MATCH", "[2-3]?", "MATCH", "*0"],
      ["SSCAN", "i", "-1"],
      ["SSCAN", "i", ""],
      ["SSCAN", "i", "+5"],
      ["SSCAN", "i", "18446744073709551615"],
      ["SSCAN", "i", "18446744073709551616"],
      ["SSCAN", "i", "abc"],
      ["SSCAN", "i", " 1"],
      ["SSCAN", "i", "1 "],
      ["SSCAN", "i", "+"],
      ["SSCAN", "i", "0", "COUNT", "0"],
      ["SSCAN", "i", "0", "COUNT", "-1"],
      ["SSCAN", "i", "0", "COUNT", "abc"],
      ["SSCAN", "i", "0", "COUNT"],
      ["SSCAN", "i", "0", "MATCH"],
      ["SSCAN", "i", "0", "TYPE", "set"],
      ["SSCAN", "i", "0", "FOO", "bar"],
      // Tokens compare as C strings (strcasecmp): a NUL byte ends them.
      ["SSCAN", "i", "0", new TextEncoder().encode("COUNT\0x"), "5"],
      ["SSCAN", "i", "0", new TextEncoder().encode("match\0"), "2*"],
      ["SSCAN", "nokey", "0"],
      ["SSCAN", "nokey", "0", "COUNT", "0"],
      ["SSCAN", "nokey", "abc"],
      ["SSCAN", "str", "abc"],
      ["SSCAN", "i"],
    ]);
  });

  it("SSCAN over a small hashtable set returns it whole", async () => {
    const p = pair();
    await p.run([["FLUSHALL"], ["SADD", "h", "a", "b", "c", "1"]]);
    const [x, y] = await Promise.all([p.redish.call("SSCAN", "h", "0"), p.redis.call("SSCAN", "h", "0")]);
    expect(x.slice(0, 12)).toBe(y.slice(0, 12));
    expect(sortedTail(x)).toEqual(sortedTail(y));
  });

  it("RESP3 reply shapes: sets for SMEMBERS and set algebra, arrays for SRANDMEMBER and SMISMEMBER", async () => {
    const p = pair();
    await both(p, "HELLO", "3");
    await p.run([
      ["FLUSHALL"],
      ["SADD", "i", "3", "1", "2"],
      ["SMEMBERS", "i"],
      ["SMEMBERS", "nokey"],
      ["SINTER", "i", "i"],
      ["SINTER", "i", "nokey"],
      ["SUNION", "i", "nokey"],
      ["SDIFF", "i", "nokey"],
      ["SMISMEMBER", "i", "1", "9"],
      ["SRANDMEMBER", "i", "5"],
      ["SRANDMEMBER", "i", "0"],
      ["SRANDMEMBER", "nokey", "2"],
      ["SRANDMEMBER", "nokey", "-2"],
      ["SRANDMEMBER", "nokey"],
      ["SPOP", "nokey"],
      ["SPOP", "nokey", "2"],
      ["SPOP", "i", "0"],
      ["SSCAN", "i", "0"],
      ["SSCAN", "nokey", "0"],
      ["SINTERCARD", "1", "i"],
      ["SPOP", "i", "5"],
    ]);
    await both(p, "HELLO", "2");
  });
});

describeDiff(
  "sets with set-max-intset-entries 4 from the start-up configuration",
  (pair) => {
    it("converts past 4 entries, for SADD and for stored results", async () => {
      const p = pair();
      await p.run([
        ["FLUSHALL"],
        ["SADD", "s", "1", "2", "3", "4"],
        ["OBJECT", "ENCODING", "s"],
        ["SADD", "s", "5"],
        ["OBJECT", "ENCODING", "s"],
        ["SADD", "t", "4", "5", "6"],
        ["SUNIONSTORE", "u", "t"],
        ["OBJECT", "ENCODING", "u"],
        ["SINTERSTORE", "v", "s", "s"],
        ["OBJECT", "ENCODING", "v"],
        ["SMOVE", "s", "t", "1"],
        ["OBJECT", "ENCODING", "t"],
        ["SMOVE", "s", "t", "2"],
        ["OBJECT", "ENCODING", "t"],
      ]);
    });
  },
  { redishArgs: [["set-max-intset-entries", "4"]], redisArgs: ["--set-max-intset-entries", "4"] },
);

/** SSCAN reply's member list, sorted (after the cursor). */
function sortedTail(reply: string): string[] {
  const lines = reply.split("\r\n");
  const n = Number(lines[3].slice(1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(lines[5 + 2 * i]);
  return out.sort();
}
