import { expect, it } from "vitest";
import { describeDiff } from "../helpers/diff";

describeDiff("hashes against redis-server", (pair) => {
  it("HSET, HGET, HMGET, HDEL, HLEN, HEXISTS, HSTRLEN and their errors", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["HSET", "h", "f1", "v1", "f2", "v2"],
      ["HSET", "h", "f1", "new", "f3", "v3"],
      ["HSET", "h", "f1"],
      ["HSET", "h"],
      ["HMSET", "h", "f4", "v4"],
      ["HMSET", "h", "f4"],
      ["HGET", "h", "f1"],
      ["HGET", "h", "nope"],
      ["HGET", "nokey", "f1"],
      ["HMGET", "h", "f1", "nope", "f2"],
      ["HMGET", "nokey", "a", "b"],
      ["HLEN", "h"],
      ["HLEN", "nokey"],
      ["HEXISTS", "h", "f2"],
      ["HEXISTS", "h", "zz"],
      ["HSTRLEN", "h", "f1"],
      ["HSTRLEN", "h", "zz"],
      ["HSETNX", "h", "f1", "x"],
      ["HSETNX", "h", "f9", "x"],
      ["HGETALL", "h"],
      ["HKEYS", "h"],
      ["HVALS", "h"],
      ["HDEL", "h", "f1", "f2", "nope"],
      ["HDEL", "nokey", "f"],
      ["HGETALL", "nokey"],
      ["HKEYS", "nokey"],
      ["HDEL", "h", "f3", "f4", "f9"],
      ["EXISTS", "h"],
      ["SET", "s", "x"],
      ["HSET", "s", "a", "b"],
      ["HGET", "s", "a"],
      ["HMGET", "s", "a"],
      ["HGETALL", "s"],
      ["HLEN", "s"],
      ["HDEL", "s", "a"],
      ["HINCRBY", "s", "a", "1"],
      ["HRANDFIELD", "s"],
      ["HSCAN", "s", "0"],
    ]);
  });

  it("integers stored in listpacks read back exactly", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["HSET", "h", "a", "12", "b", "-7", "c", "9223372036854775807", "d", "-9223372036854775808", "e", "007", "f", "1.5", "g", ""],
      ["HGETALL", "h"],
      ["HSTRLEN", "h", "d"],
      ["HSET", "h", "123", "x"],
      ["HGET", "h", "123"],
      ["HKEYS", "h"],
    ]);
  });

  it("HINCRBY and HINCRBYFLOAT: overflow, non-numbers, formatting", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["HINCRBY", "h", "n", "5"],
      ["HINCRBY", "h", "n", "-10"],
      ["HINCRBY", "h", "n", "x"],
      ["HINCRBY", "h", "n", "9223372036854775807"],
      ["HSET", "h", "m", "9223372036854775807"],
      ["HINCRBY", "h", "m", "1"],
      ["HSET", "h", "s", "abc"],
      ["HINCRBY", "h", "s", "1"],
      ["HINCRBYFLOAT", "h", "s", "1"],
      ["HINCRBYFLOAT", "h", "f", "10.5"],
      ["HINCRBYFLOAT", "h", "f", "0.1"],
      ["HINCRBYFLOAT", "h", "f", "-5e3"],
      ["HINCRBYFLOAT", "h", "f", "abc"],
      ["HINCRBYFLOAT", "h", "f", "inf"],
      ["HINCRBYFLOAT", "h", "n", "1.5"],
      ["HGET", "h", "f"],
      ["HGETALL", "h"],
    ]);
  });

  it("encodings follow hash-max-listpack-entries/value", async () => {
    const p = pair();
    const big = "x".repeat(65);
    await p.run([
      ["FLUSHALL"],
      ["HSET", "small", "a", "1"],
      ["OBJECT", "ENCODING", "small"],
      ["HSET", "longval", "a", big],
      ["OBJECT", "ENCODING", "longval"],
      ["HSET", "longfield", big, "1"],
      ["OBJECT", "ENCODING", "longfield"],
      ["HSET", "edge", "a", "x".repeat(64)],
      ["OBJECT", "ENCODING", "edge"],
    ]);
    const args: string[] = [];
    for (let i = 0; i < 128; i++) args.push(`f${i}`, `${i}`);
    await p.same("HSET", "many", ...args);
    await p.same("OBJECT", "ENCODING", "many");
    await p.same("HSET", "many", "one-more", "1");
    await p.same("OBJECT", "ENCODING", "many");
    await p.same("HLEN", "many");
    await p.same("HGET", "many", "f77");
    await p.same("HDEL", "many", "f1", "f2");
    await p.same("HLEN", "many");
    await p.same("CONFIG", "SET", "hash-max-listpack-entries", "2");
    await p.same("HSET", "cfg", "a", "1", "b", "2");
    await p.same("OBJECT", "ENCODING", "cfg");
    await p.same("HSET", "cfg", "c", "3");
    await p.same("OBJECT", "ENCODING", "cfg");
    await p.same("CONFIG", "SET", "hash-max-listpack-entries", "128");
  });

  it("HRANDFIELD and HSCAN argument errors and deterministic cases", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["HSET", "h", "a", "1", "b", "2", "c", "3"],
      ["HRANDFIELD", "nokey"],
      ["HRANDFIELD", "nokey", "5"],
      ["HRANDFIELD", "h", "0"],
      ["HRANDFIELD", "h", "x"],
      ["HRANDFIELD", "h", "3", "WITHVALUE"],
      ["HRANDFIELD", "h", "3", "WITHVALUES", "x"],
      ["HRANDFIELD", "h", "-9223372036854775808"],
      ["HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES"],
      ["HSCAN", "h", "0"],
      ["HSCAN", "h", "0", "MATCH", "a*"],
      ["HSCAN", "h", "0", "COUNT", "0"],
      ["HSCAN", "h", "0", "COUNT", "x"],
      ["HSCAN", "h", "0", "TYPE", "hash"],
      ["HSCAN", "h", "abc"],
      ["HSCAN", "nokey", "0"],
    ]);
  });

  it("RESP3 shapes: HGETALL is a map, HRANDFIELD WITHVALUES pairs", async () => {
    const p = pair();
    // HELLO's reply holds the connection id, which differs between the servers.
    await p.redish.call("HELLO", "3");
    await p.redis.call("HELLO", "3");
    await p.run([
      ["FLUSHALL"],
      ["HSET", "h", "a", "1"],
      ["HGETALL", "h"],
      ["HGETALL", "nokey"],
      ["HRANDFIELD", "h", "1", "WITHVALUES"],
      ["HRANDFIELD", "h", "-2", "WITHVALUES"],
      ["HGET", "h", "zz"],
    ]);
    await p.redish.call("HELLO", "2");
    await p.redis.call("HELLO", "2");
  });
});

describeDiff("hashes: random picks and scans (properties)", (pair) => {
  it("HRANDFIELD returns distinct fields for a positive count and repeats for a negative one", async () => {
    const p = pair();
    await p.redish.call("FLUSHALL");
    const fields: string[] = [];
    for (let i = 0; i < 200; i++) fields.push(`f${i}`, `v${i}`);
    for (const key of ["small", "large"]) {
      const n = key === "small" ? 20 : 200;
      await p.redish.call("HSET", key, ...fields.slice(0, n * 2));
      const distinct = await p.redish.call("HRANDFIELD", key, "10");
      const names = distinct.split("\r\n").filter((l) => l.startsWith("f"));
      expect(new Set(names).size).toBe(10);
      const rep = await p.redish.call("HRANDFIELD", key, "-50");
      expect(rep.startsWith("*50\r\n")).toBe(true);
      const all = await p.redish.call("HRANDFIELD", key, String(n + 5));
      expect(all.startsWith(`*${n}\r\n`)).toBe(true);
    }
  });

  it("HSCAN over a large hash returns every field exactly as HGETALL has it", async () => {
    const p = pair();
    await p.redish.call("FLUSHALL");
    const args: string[] = [];
    for (let i = 0; i < 1000; i++) args.push(`field:${i}`, `${i}`);
    await p.redish.call("HSET", "big", ...args);
    const seen = new Set<string>();
    let cursor = "0";
    for (let guard = 0; guard < 10000; guard++) {
      const reply = await p.redish.call("HSCAN", "big", cursor, "COUNT", "50");
      const lines = reply.split("\r\n");
      cursor = lines[2];
      for (let i = 5; i < lines.length; i += 4) if (lines[i]?.startsWith("field:")) seen.add(lines[i]);
      if (cursor === "0") break;
    }
    expect(seen.size).toBe(1000);
  });
});
