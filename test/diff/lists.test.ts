// Lists against redis-server 7.0: every command, option and error, the
// RESP2/RESP3 null shapes, OBJECT ENCODING, and DUMP bytes, which expose the
// quicklist's node layout (splits, merges, LZF-compressed nodes).

import fc from "fast-check";
import { it } from "vitest";
import { type DiffPair, describeDiff, type Script } from "../helpers/diff";

/** Elements of mixed kinds: small ints, big ints, short and long strings, binary. */
function element(i: number): string | Uint8Array {
  switch (i % 7) {
    case 0:
      return String(i);
    case 1:
      return String(-i * 1000003);
    case 2:
      return `e${i}`;
    case 3:
      return "x".repeat(40 + (i % 90));
    case 4:
      return String(2 ** 40 + i);
    case 5:
      return new Uint8Array([0, 255, i & 0xff, 13, 10]);
    default:
      return `${"ab".repeat(i % 50)}-${i}`;
  }
}

/** Switches both connections to a protocol version (the HELLO replies differ by design). */
async function resp(p: DiffPair, version: 2 | 3): Promise<void> {
  await Promise.all([p.redish.call("HELLO", String(version)), p.redis.call("HELLO", String(version))]);
}

/** Compares whole lists (and their DUMP bytes) key by key. */
async function sameLists(p: DiffPair, keys: string[]): Promise<void> {
  for (const k of keys) {
    await p.same("LLEN", k);
    await p.same("LRANGE", k, "0", "-1");
    await p.same("DUMP", k);
  }
}

describeDiff("lists against redis-server", (pair) => {
  it("LPUSH, RPUSH, LPUSHX, RPUSHX, LLEN, LINDEX and wrong types", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["LPUSH", "l", "a", "b", "c"],
      ["RPUSH", "l", "1", "2", "-3", "9223372036854775807", "-9223372036854775808", "01", "", "x y"],
      ["LPUSHX", "l", "z"],
      ["RPUSHX", "l", "w", "v"],
      ["LPUSHX", "nokey", "a"],
      ["RPUSHX", "nokey", "a"],
      ["EXISTS", "nokey"],
      ["LLEN", "l"],
      ["LLEN", "nokey"],
      ["LINDEX", "l", "0"],
      ["LINDEX", "l", "-1"],
      ["LINDEX", "l", "4"],
      ["LINDEX", "l", "6"],
      ["LINDEX", "l", "100"],
      ["LINDEX", "l", "-100"],
      ["LINDEX", "l", "x"],
      ["LINDEX", "nokey", "x"],
      ["LINDEX", "l", "9223372036854775807"],
      ["LINDEX", "l", "-9223372036854775808"],
      ["LRANGE", "l", "0", "-1"],
      ["OBJECT", "ENCODING", "l"],
      ["TYPE", "l"],
      ["SET", "s", "str"],
      ["LPUSH", "s", "a"],
      ["RPUSHX", "s", "a"],
      ["LLEN", "s"],
      ["LINDEX", "s", "0"],
      ["LRANGE", "s", "0", "1"],
      ["LPUSH", "l"],
      ["LPUSH"],
      ["LLEN", "l", "x"],
    ]);
  });

  it("LRANGE and LTRIM index arithmetic", async () => {
    const p = pair();
    await p.run([["FLUSHALL"], ["RPUSH", "l", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]]);
    const idx = ["0", "1", "-1", "-2", "5", "9", "10", "11", "-10", "-11", "-100", "100", "9223372036854775807"];
    for (const a of idx) for (const b of idx) await p.same("LRANGE", "l", a, b);
    await p.run([
      ["LRANGE", "l", "a", "1"],
      ["LRANGE", "l", "1", "b"],
      ["LRANGE", "nokey", "0", "-1"],
    ]);
    for (const [a, b] of [
      ["0", "-1"],
      ["1", "-2"],
      ["-100", "100"],
      ["5", "2"],
      ["2", "2"],
      ["-3", "-1"],
      ["100", "200"],
    ]) {
      await p.run([
        ["DEL", "t"],
        ["RPUSH", "t", "0", "1", "2", "3", "4", "5", "6", "7"],
        ["LTRIM", "t", a, b],
        ["LRANGE", "t", "0", "-1"],
        ["EXISTS", "t"],
      ]);
    }
    await p.run([
      ["LTRIM", "nokey", "0", "1"],
      ["LTRIM", "l", "x", "1"],
      ["LTRIM", "s", "0", "1"],
    ]);
  });

  it("LPOP and RPOP with and without count, in RESP2 and RESP3", async () => {
    const p = pair();
    const script: Script = [
      ["DEL", "l", "s"],
      ["SET", "s", "x"],
      ["RPUSH", "l", "a", "b", "c", "d", "e", "1", "2"],
      ["LPOP", "l"],
      ["RPOP", "l"],
      ["LPOP", "l", "2"],
      ["RPOP", "l", "2"],
      ["LPOP", "l", "0"],
      ["RPOP", "l", "0"],
      ["LPOP", "l", "-1"],
      ["LPOP", "l", "x"],
      ["LPOP", "l", "1", "2"],
      ["RPOP", "l", "10"],
      ["EXISTS", "l"],
      ["LPOP", "l"],
      ["LPOP", "l", "2"],
      ["LPOP", "l", "0"],
      ["RPOP", "l", "0"],
      ["LPOP", "l", "-1"],
      ["LPOP", "s"],
      ["LPOP", "s", "1"],
      ["RPOP", "s", "0"],
    ];
    await p.run(script);
    await resp(p, 3);
    await p.run(script);
    await resp(p, 2);
  });

  it("LSET and LINSERT", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "l", "a", "b", "c", "b"],
      ["LSET", "l", "0", "A"],
      ["LSET", "l", "-1", "123"],
      ["LSET", "l", "4", "x"],
      ["LSET", "l", "-5", "x"],
      ["LSET", "l", "x", "x"],
      ["LSET", "nokey", "0", "x"],
      ["LSET", "nokey", "x", "x"],
      ["LRANGE", "l", "0", "-1"],
      ["LINSERT", "l", "BEFORE", "b", "pre"],
      ["LINSERT", "l", "after", "b", "post"],
      ["LINSERT", "l", "AFTER", "123", "456"],
      ["LINSERT", "l", "before", "nope", "x"],
      ["LINSERT", "l", "middle", "b", "x"],
      ["LINSERT", "nokey", "BEFORE", "a", "x"],
      ["LINSERT", "nokey", "middle", "a", "x"],
      ["LRANGE", "l", "0", "-1"],
      ["SET", "s", "x"],
      ["LSET", "s", "0", "x"],
      ["LINSERT", "s", "BEFORE", "a", "x"],
      ["LINSERT", "s", "middle", "a", "x"],
    ]);
  });

  it("LPOS with RANK, COUNT, MAXLEN and their errors", async () => {
    const p = pair();
    const script: Script = [
      ["DEL", "l"],
      ["RPUSH", "l", "a", "b", "c", "1", "b", "c", "b", "1"],
      ["LPOS", "l", "b"],
      ["LPOS", "l", "1"],
      ["LPOS", "l", "z"],
      ["LPOS", "nokey", "b"],
      ["LPOS", "nokey", "b", "COUNT", "0"],
      ["LPOS", "l", "b", "RANK", "2"],
      ["LPOS", "l", "b", "RANK", "-1"],
      ["LPOS", "l", "b", "RANK", "-3"],
      ["LPOS", "l", "b", "RANK", "4"],
      ["LPOS", "l", "b", "RANK", "0"],
      ["LPOS", "l", "b", "RANK", "x"],
      ["LPOS", "l", "b", "RANK", "-9223372036854775808"],
      ["LPOS", "l", "b", "RANK", "-9223372036854775807"],
      ["LPOS", "l", "b", "RANK", "-9223372036854775808", "COUNT", "0"],
      ["LPOS", "l", "b", "COUNT", "0"],
      ["LPOS", "l", "b", "COUNT", "2"],
      ["LPOS", "l", "b", "COUNT", "2", "RANK", "2"],
      ["LPOS", "l", "b", "COUNT", "0", "RANK", "-1"],
      ["LPOS", "l", "z", "COUNT", "0"],
      ["LPOS", "l", "b", "COUNT", "-1"],
      ["LPOS", "l", "b", "COUNT", "x"],
      ["LPOS", "l", "b", "MAXLEN", "2"],
      ["LPOS", "l", "b", "MAXLEN", "1"],
      ["LPOS", "l", "b", "MAXLEN", "0"],
      ["LPOS", "l", "b", "MAXLEN", "-1"],
      ["LPOS", "l", "b", "MAXLEN", "x"],
      ["LPOS", "l", "b", "COUNT", "0", "MAXLEN", "5"],
      ["LPOS", "l", "b", "COUNT", "0", "MAXLEN", "5", "RANK", "-1"],
      ["LPOS", "l", "b", "RANK"],
      ["LPOS", "l", "b", "FOO", "1"],
      ["LPOS", "l", "b", "COUNT", "1", "COUNT", "2"],
      ["SET", "s", "x"],
      ["LPOS", "s", "x"],
      ["LPOS", "s", "x", "RANK", "0"],
    ];
    await p.run(script);
    await resp(p, 3);
    await p.run(script);
    await resp(p, 2);
  });

  it("LREM from the head, the tail and everywhere", async () => {
    const p = pair();
    for (const count of ["0", "1", "2", "-1", "-2", "100", "-100"]) {
      await p.run([
        ["DEL", "l"],
        ["RPUSH", "l", "a", "b", "a", "c", "a", "1", "a"],
        ["LREM", "l", count, "a"],
        ["LRANGE", "l", "0", "-1"],
      ]);
    }
    await p.run([
      ["LREM", "l", "0", "1"],
      ["LREM", "l", "0", "b"],
      ["LREM", "l", "0", "c"],
      ["EXISTS", "l"],
      ["LREM", "nokey", "0", "a"],
      ["LREM", "l", "x", "a"],
      ["SET", "s", "x"],
      ["LREM", "s", "0", "x"],
    ]);
  });

  it("LMOVE and RPOPLPUSH, rotating one list and moving between two", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "src", "1", "2", "3", "a"],
      ["LMOVE", "src", "dst", "LEFT", "RIGHT"],
      ["LMOVE", "src", "dst", "right", "left"],
      ["LMOVE", "src", "src", "LEFT", "RIGHT"],
      ["LMOVE", "src", "src", "RIGHT", "LEFT"],
      ["LMOVE", "src", "src", "LEFT", "LEFT"],
      ["LRANGE", "src", "0", "-1"],
      ["LRANGE", "dst", "0", "-1"],
      ["RPOPLPUSH", "src", "dst"],
      ["RPOPLPUSH", "src", "dst"],
      ["EXISTS", "src"],
      ["RPOPLPUSH", "src", "dst"],
      ["LMOVE", "src", "dst", "LEFT", "RIGHT"],
      ["LMOVE", "dst", "dst", "UP", "RIGHT"],
      ["LMOVE", "dst", "dst", "LEFT", "DOWN"],
      ["LMOVE", "nokey", "dst", "UP", "RIGHT"],
      ["RPUSH", "one", "x"],
      ["RPOPLPUSH", "one", "one"],
      ["LRANGE", "one", "0", "-1"],
      ["SET", "s", "x"],
      ["RPOPLPUSH", "s", "dst"],
      ["RPOPLPUSH", "dst", "s"],
      ["LMOVE", "dst", "s", "LEFT", "LEFT"],
      ["LRANGE", "dst", "0", "-1"],
      ["RPOPLPUSH", "nokey", "s"],
    ]);
  });

  it("LMPOP and its argument errors", async () => {
    const p = pair();
    const script: Script = [
      ["DEL", "a", "b", "s"],
      ["RPUSH", "b", "1", "2", "3", "4"],
      ["LMPOP", "2", "a", "b", "LEFT"],
      ["LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"],
      ["LMPOP", "2", "a", "b", "LEFT", "COUNT", "10"],
      ["EXISTS", "b"],
      ["LMPOP", "2", "a", "b", "LEFT"],
      ["LMPOP", "0", "a", "LEFT"],
      ["LMPOP", "-1", "a", "LEFT"],
      ["LMPOP", "x", "a", "LEFT"],
      ["LMPOP", "3", "a", "b", "LEFT"],
      ["LMPOP", "9223372036854775807", "a", "LEFT"],
      ["LMPOP", "1", "a", "MIDDLE"],
      ["LMPOP", "1", "a", "LEFT", "COUNT"],
      ["LMPOP", "1", "a", "LEFT", "COUNT", "0"],
      ["LMPOP", "1", "a", "LEFT", "COUNT", "-1"],
      ["LMPOP", "1", "a", "LEFT", "COUNT", "x"],
      ["LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"],
      ["LMPOP", "1", "a", "LEFT", "FOO"],
      ["SET", "s", "x"],
      ["RPUSH", "b", "x"],
      ["LMPOP", "2", "s", "b", "LEFT"],
      ["LMPOP", "2", "a", "s", "LEFT"],
      ["LMPOP", "2", "b", "s", "LEFT"],
    ];
    await p.run(script);
    await resp(p, 3);
    await p.run(script);
    await resp(p, 2);
  });

  it("blocking pops serve at once when data is there, and validate timeouts", async () => {
    const p = pair();
    const script: Script = [
      ["DEL", "a", "b", "s", "d"],
      ["RPUSH", "b", "1", "2", "3", "4", "5", "6", "7", "8"],
      ["BLPOP", "a", "b", "0"],
      ["BRPOP", "a", "b", "0"],
      ["BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "2"],
      ["BLMPOP", "0", "2", "a", "b", "RIGHT"],
      ["BLMOVE", "b", "d", "LEFT", "RIGHT", "0"],
      ["RPUSH", "b", "x", "y"],
      ["BRPOPLPUSH", "b", "d", "0"],
      ["LRANGE", "d", "0", "-1"],
      ["BLPOP", "b", "-1"],
      ["BLPOP", "b", "x"],
      ["BLPOP", "b", "nan"],
      ["BLPOP", "b", "inf"],
      ["BLPOP", "b", "1e300"],
      ["BLPOP", "b", "1e5000"],
      ["BLPOP", "b", " 1"],
      ["BLPOP", "b", ""],
      ["BLPOP", "b", "9.3e15"],
      ["BRPOP", "b", "-0.5"],
      ["BLMPOP", "-1", "1", "b", "LEFT"],
      ["BLMPOP", "0", "0", "b", "LEFT"],
      ["BLMPOP", "0", "1", "b", "UP"],
      ["BLMOVE", "b", "d", "UP", "RIGHT", "0"],
      ["BLMOVE", "b", "d", "LEFT", "RIGHT", "-1"],
      ["BRPOPLPUSH", "b", "d", "x"],
      ["SET", "s", "x"],
      ["BLPOP", "s", "b", "0"],
      ["BLPOP", "b", "s", "0"],
      ["BLMOVE", "s", "d", "LEFT", "RIGHT", "0"],
      ["BLMOVE", "b", "s", "LEFT", "RIGHT", "0"],
      ["BLMPOP", "0", "2", "s", "b", "LEFT"],
      // Short timeouts on missing keys time out with a null array.
      ["BLPOP", "nokey", "0.01"],
      ["BRPOP", "nokey", "0x0.1p-3"],
      ["BLMPOP", "0.01", "1", "nokey", "LEFT"],
      ["BLMOVE", "nokey", "d", "LEFT", "RIGHT", "0.01"],
      ["BRPOPLPUSH", "nokey", "d", "0.01"],
    ];
    await p.run(script);
    await resp(p, 3);
    await p.run(script);
    await resp(p, 2);
  });

  it("blocking commands inside MULTI reply at once", async () => {
    const p = pair();
    const script: Script = [
      ["DEL", "a", "d"],
      ["MULTI"],
      ["BLPOP", "a", "0"],
      ["BRPOP", "a", "0"],
      ["BLMPOP", "0", "1", "a", "LEFT"],
      ["BLMOVE", "a", "d", "LEFT", "RIGHT", "0"],
      ["BRPOPLPUSH", "a", "d", "0"],
      ["RPUSH", "a", "x"],
      ["BLPOP", "a", "0"],
      ["EXEC"],
    ];
    await p.run(script);
    await resp(p, 3);
    await p.run(script);
    await resp(p, 2);
  });

  it("keeps quicklist nodes, merges and compression identical for every list-max-listpack-size", async () => {
    const p = pair();
    for (const [size, depth] of [
      ["-2", "0"],
      ["-1", "1"],
      ["-5", "2"],
      ["4", "1"],
      ["1", "0"],
      ["0", "3"],
      ["128", "2"],
    ]) {
      await p.run([
        ["FLUSHALL"],
        ["CONFIG", "SET", "list-max-listpack-size", size],
        ["CONFIG", "SET", "list-compress-depth", depth],
      ]);
      for (let i = 0; i < 300; i++) await p.same(i % 3 === 0 ? "LPUSH" : "RPUSH", "l", element(i));
      await p.same("OBJECT", "ENCODING", "l");
      await sameLists(p, ["l"]);
      // Inserts in the middle split full nodes and merge neighbours.
      for (let i = 0; i < 40; i++) {
        await p.same("LINSERT", "l", i % 2 === 0 ? "BEFORE" : "AFTER", element(i * 7), element(1000 + i));
        await p.same("LSET", "l", String((i * 37) % 250), element(2000 + i));
      }
      await sameLists(p, ["l"]);
      await p.same("LREM", "l", "3", element(14));
      await p.same("LREM", "l", "-2", element(21));
      await p.same("LTRIM", "l", "5", "-7");
      await p.same("LPOP", "l", "11");
      await p.same("RPOP", "l", "13");
      for (let i = 0; i < 30; i++) await p.same("LMOVE", "l", "m", i % 2 ? "LEFT" : "RIGHT", i % 3 ? "LEFT" : "RIGHT");
      await sameLists(p, ["l", "m"]);
      await p.same("LRANGE", "l", "-50", "-3");
      await p.same("LPOS", "l", element(28), "COUNT", "0");
      await p.same("COPY", "l", "c");
      await sameLists(p, ["c"]);
    }
    await p.run([
      ["CONFIG", "SET", "list-max-listpack-size", "-2"],
      ["CONFIG", "SET", "list-compress-depth", "0"],
    ]);
  });

  it("random command sequences give the same replies and the same nodes", async () => {
    const p = pair();
    const key = fc.constantFrom("l1", "l2");
    const val = fc.oneof(
      fc.constantFrom("a", "b", "1", "-7", "300"),
      fc.integer({ min: 1, max: 40 }).map((n) => "v".repeat(n * 7)),
    );
    const idx = fc.integer({ min: -12, max: 12 }).map(String);
    const side = fc.constantFrom("LEFT", "RIGHT");
    const cmd: fc.Arbitrary<string[]> = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(fc.constantFrom("LPUSH", "RPUSH"), key, val, val).map((t) => [...t]) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom("LPUSHX", "RPUSHX"), key, val).map((t) => [...t]) },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.constantFrom("LPOP", "RPOP"), key, fc.constantFrom("1", "3")).map((t) => [...t]),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(key, fc.constantFrom("BEFORE", "AFTER"), val, val)
          .map(([k, w, a, b]) => ["LINSERT", k, w, a, b]),
      },
      { weight: 2, arbitrary: fc.tuple(key, idx, val).map(([k, i, v]) => ["LSET", k, i, v]) },
      {
        weight: 1,
        arbitrary: fc.tuple(key, fc.constantFrom("0", "1", "-1", "2"), val).map(([k, n, v]) => ["LREM", k, n, v]),
      },
      { weight: 1, arbitrary: fc.tuple(key, idx, idx).map(([k, a, b]) => ["LTRIM", k, a, b]) },
      { weight: 1, arbitrary: fc.tuple(key, key, side, side).map(([a, b, x, y]) => ["LMOVE", a, b, x, y]) },
      { weight: 1, arbitrary: fc.tuple(key, idx, idx).map(([k, a, b]) => ["LRANGE", k, a, b]) },
      { weight: 1, arbitrary: fc.tuple(key, val).map(([k, v]) => ["LPOS", k, v, "COUNT", "0"]) },
      { weight: 1, arbitrary: fc.tuple(key, idx).map(([k, i]) => ["LINDEX", k, i]) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("-1", "1", "2", "3"),
        fc.constantFrom("0", "1", "2"),
        fc.array(cmd, { minLength: 20, maxLength: 80 }),
        async (size, depth, cmds) => {
          await p.run([
            ["FLUSHALL"],
            ["CONFIG", "SET", "list-max-listpack-size", size],
            ["CONFIG", "SET", "list-compress-depth", depth],
          ]);
          for (const c of cmds) await p.same(...c);
          await sameLists(p, ["l1", "l2"]);
        },
      ),
      { numRuns: 40 },
    );
    await p.run([
      ["CONFIG", "SET", "list-max-listpack-size", "-2"],
      ["CONFIG", "SET", "list-compress-depth", "0"],
    ]);
  });
});
