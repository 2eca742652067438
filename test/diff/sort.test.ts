import { it } from "vitest";
import { type DiffPair, describeDiff } from "../helpers/diff";
import { type Arg, RawClient } from "../helpers/resp";

/**
 * Redis 7.0 never clears errno before its strtod, so after a weight that hit
 * ERANGE every SORT with a string weight fails until some system call sets
 * errno again. Accepting a connection does (its accept loop ends on EAGAIN);
 * Redish keeps no such state.
 */
async function resetErrno(p: DiffPair): Promise<void> {
  const port = Number((await p.redis.call("CONFIG", "GET", "port")).split("\r\n")[4]);
  const t = await RawClient.connect(port);
  await t.call("PING");
  t.close();
}

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** Deterministic pseudo-random integers (no Math.random: both servers must get the same data). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

// Lists keep their order and intsets are ordered, so both servers hold the
// same order there; a hashtable set's order is its hash function's, which
// Redis seeds at random, so such sets are only sorted (or stored, which
// forces sorting), never returned in their own order.
describeDiff("SORT and SORT_RO against redis-server", (pair) => {
  it("numeric sorts of lists and sets, ASC and DESC, with LIMIT windows", async () => {
    const script: Arg[][] = [
      ["FLUSHALL"],
      ["RPUSH", "l", "3", "-1", "10", "2.5", "1e2", "0x10", "-inf", "+inf", "2.50", "007", "3"],
      ["SORT", "l"],
      ["SORT", "l", "DESC"],
      ["SORT", "l", "ASC", "DESC", "ASC"],
      ["SADD", "is", "5", "-3", "100", "42", "0"],
      ["SORT", "is"],
      ["SORT", "is", "desc"],
      ["SADD", "hs", "b", "a", "1.5", "-2", "10"],
      ["SORT", "hs", "ALPHA"],
      ["SORT", "hs", "ALPHA", "DESC"],
      ["SORT", "hs"],
      ["SORT", "nokey"],
      ["SORT", "nokey", "STORE", "dst"],
      ["EXISTS", "dst"],
    ];
    for (const [a, b] of [
      [0, 3],
      [2, 4],
      [-5, 3],
      [5, -1],
      [0, 0],
      [10, 5],
      [11, 1],
      [100, 2],
      [3, 100],
      ["-9223372036854775808", "9223372036854775807"],
    ]) {
      script.push(["SORT", "l", "LIMIT", a, b]);
      script.push(["SORT", "l", "LIMIT", a, b, "DESC"]);
      script.push(["SORT", "is", "LIMIT", a, b]);
    }
    await pair().run(script);
  });

  it("weights C's strtod reads: spaces, hex, infinities, empty, NUL, underflow, NaN", async () => {
    const cases: Arg[] = [
      " 5",
      "\t-2",
      "0x1p-2",
      "0X1.8P+1",
      "INFINITY",
      "-Inf",
      "",
      "1e-320",
      "0x1p-1070",
      "4.9e-324",
      "2.2250738585072011e-308",
      "0e-999",
      "1e400",
      "nan",
      "5 ",
      "1e",
      "0x",
      ".",
      "-",
      " ",
      bytes("7\0junk"),
      bytes("\0"),
      "1.5.5",
      "+.5",
      "-.5e1",
      "00012",
    ];
    const p = pair();
    await p.same("FLUSHALL");
    for (const v of cases) {
      await p.run([
        ["DEL", "w"],
        ["RPUSH", "w", "1", v, "2"],
        ["SORT", "w"],
        ["SORT", "w", "DESC"],
      ]);
      await resetErrno(p);
    }
  });

  it("ALPHA compares bytes as C strings, STORE compares whole binary strings", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "a", "b", "B", "a", bytes("\xff"), bytes("\x80"), bytes("ab\0z"), bytes("ab\0a"), "ab", bytes("A\0")],
      ["SORT", "a", "ALPHA"],
      ["SORT", "a", "ALPHA", "DESC"],
      ["SORT", "a", "ALPHA", "STORE", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["SORT", "a", "ALPHA", "DESC", "STORE", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["SORT", "a"],
    ]);
  });

  it("BY patterns: string keys, hash fields, missing weights, constant patterns, nosort", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "ids", "3", "1", "2", "4", "5"],
      ["MSET", "w_1", "30", "w_2", "10", "w_3", "20", "w_5", "10"],
      ["HSET", "h_1", "f", "c", "n", "3"],
      ["HSET", "h_2", "f", "a", "n", "1"],
      ["HSET", "h_3", "f", "b", "n", "2"],
      ["HSET", "h_4", "n", "x"],
      ["SORT", "ids", "BY", "w_*"],
      ["SORT", "ids", "BY", "w_*", "DESC"],
      ["SORT", "ids", "BY", "w_*", "ALPHA"],
      ["SORT", "ids", "BY", "h_*->f", "ALPHA"],
      ["SORT", "ids", "BY", "h_*->f", "ALPHA", "DESC"],
      ["SORT", "ids", "BY", "h_*->n"],
      ["SORT", "ids", "BY", "h_*->"],
      ["SORT", "ids", "BY", "h_*->missing"],
      ["SORT", "ids", "BY", "nosort"],
      ["SORT", "ids", "BY", "nosort", "DESC"],
      ["SORT", "ids", "BY", "nosort", "LIMIT", "1", "2"],
      ["SORT", "ids", "BY", "nosort", "LIMIT", "1", "2", "DESC"],
      ["SORT", "ids", "BY", "nosort", "LIMIT", "9", "2"],
      ["SORT", "ids", "BY", "w->f"],
      ["SORT", "ids", "BY", "nosort", "BY", "w_*"],
      ["SORT", "ids", "BY", "w_*", "BY", "nosort"],
      ["SORT", "ids", "BY", bytes("w\0_*")],
      ["SET", "w_4", "notanumber"],
      ["SORT", "ids", "BY", "w_*"],
      ["SORT", "ids", "BY", "w_*", "ALPHA"],
      ["SORT", "ids", "BY", "h_*->n"],
      ["SADD", "s", "1", "2", "3"],
      ["SORT", "s", "BY", "nosort"],
      ["SORT", "s", "BY", "nosort", "DESC"],
      ["SORT", "s", "BY", "nosort", "LIMIT", "1", "1"],
      ["SORT", "s", "BY", "nosort", "STORE", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["INFO", "keyspace"],
    ]);
  });

  it("GET patterns: #, strings, hash fields, missing values, several GETs, with STORE", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "ids", "3", "1", "2", "4"],
      ["MSET", "name_1", "one", "name_2", "two", "name_3", "three", "n_4", "12345"],
      ["HSET", "h_1", "f", "x1", "i", "100"],
      ["HSET", "h_2", "f", "x2"],
      ["LPUSH", "name_4", "notastring"],
      ["SORT", "ids", "GET", "#"],
      ["SORT", "ids", "GET", "name_*"],
      ["SORT", "ids", "GET", "#", "GET", "name_*", "GET", "h_*->f", "GET", "h_*->i", "GET", "n_*"],
      ["SORT", "ids", "GET", "constant"],
      ["SORT", "ids", "GET", "h_*->"],
      ["SORT", "ids", "GET", bytes("#\0x")],
      ["SORT", "ids", "GET", "name_*", "LIMIT", "1", "2", "DESC"],
      ["SORT", "ids", "GET", "name_*", "BY", "nosort", "LIMIT", "1", "2", "DESC"],
      ["SORT", "ids", "GET", "name_*", "GET", "#", "STORE", "out"],
      ["LRANGE", "out", "0", "-1"],
      ["SORT", "ids", "GET", "name_*", "LIMIT", "0", "0", "STORE", "out"],
      ["EXISTS", "out"],
      ["SORT", "ids", "LIMIT", "0", "0", "GET", "#"],
    ]);
  });

  it("BY with a LIMIT that cuts the vector orders ties as pqsort does", async () => {
    const next = lcg(7);
    const ids: string[] = [];
    const weights: string[] = [];
    for (let i = 0; i < 300; i++) {
      ids.push(String(next() % 1000));
      if (next() % 3 !== 0) weights.push(`w_${i}`, String.fromCharCode(97 + (next() % 4)));
    }
    const script: Arg[][] = [["FLUSHALL"], ["RPUSH", "l", ...ids], ["MSET", ...weights]];
    for (const [a, b] of [
      [0, 10],
      [5, 50],
      [100, 7],
      [250, 100],
      [0, 299],
      [1, 1000],
    ]) {
      script.push(["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", a, b]);
      script.push(["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", a, b, "DESC"]);
      script.push(["SORT", "l", "BY", "w_*", "LIMIT", a, b]);
      script.push(["SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", a, b, "STORE", "d"]);
      script.push(["LRANGE", "d", "0", "-1"]);
    }
    script.push(["SORT", "l", "BY", "w_*", "ALPHA"]);
    script.push(["SORT", "l", "BY", "nokey_*", "ALPHA", "LIMIT", "3", "20"]);
    await pair().run(script);
  });

  it("lists of many compressed nodes: ranges loaded from either end, sorted and stored", async () => {
    const next = lcg(11);
    const values = Array.from({ length: 200 }, () => String((next() % 2000) - 1000));
    const script: Arg[][] = [
      ["FLUSHALL"],
      ["CONFIG", "SET", "list-max-listpack-size", "4"],
      ["CONFIG", "SET", "list-compress-depth", "1"],
      ["RPUSH", "l", ...values, "text", "-0.5"],
      ["SORT", "l", "BY", "nosort", "LIMIT", "0", "7"],
      ["SORT", "l", "BY", "nosort", "LIMIT", "0", "7", "DESC"],
      ["SORT", "l", "BY", "nosort", "LIMIT", "97", "13", "DESC"],
      ["SORT", "l", "BY", "nosort", "LIMIT", "195", "20"],
      ["SORT", "l", "BY", "nosort", "DESC"],
      ["SORT", "l", "ALPHA", "LIMIT", "50", "10"],
      ["SORT", "l", "ALPHA", "DESC", "STORE", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["LPOP", "l"],
      ["SORT", "l", "BY", "nosort", "STORE", "d"],
      ["LRANGE", "d", "95", "110"],
      ["SADD", "hs", "b", "a", "c", "10", "9"],
      ["SORT", "hs", "BY", "nosort", "STORE", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["SORT", "hs", "BY", "nosort", "DESC", "LIMIT", "1", "2", "STORE", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["CONFIG", "SET", "list-max-listpack-size", "-2"],
      ["CONFIG", "SET", "list-compress-depth", "0"],
    ];
    await pair().run(script);
  });

  it("sorted sets: score order with BY nosort (windows from either end), converted to skiplist", async () => {
    const script: Arg[][] = [
      ["FLUSHALL"],
      ["ZADD", "z", "3", "c", "1", "a", "2", "b", "10", "x", "-5", "neg", "2", "bb"],
      ["OBJECT", "ENCODING", "z"],
      ["SORT", "z", "BY", "nosort"],
      ["OBJECT", "ENCODING", "z"],
      ["SORT", "z", "BY", "nosort", "DESC"],
      ["SORT", "z", "ALPHA"],
      ["SORT", "z", "ALPHA", "DESC", "LIMIT", "1", "3"],
      ["SORT", "z"],
      ["SORT", "z", "BY", "nosort", "STORE", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["ZADD", "zn", "1", "30", "2", "10", "3", "20"],
      ["SORT", "zn"],
      ["SORT", "zn", "DESC"],
      ["SORT", "zn", "BY", "nosort", "GET", "#", "GET", "w_*"],
    ];
    for (const [a, b] of [
      [0, 2],
      [2, 3],
      [5, 10],
      [6, 1],
      [-1, 2],
      [1, 0],
    ]) {
      script.push(["SORT", "z", "BY", "nosort", "LIMIT", a, b]);
      script.push(["SORT", "z", "BY", "nosort", "LIMIT", a, b, "DESC"]);
    }
    await pair().run(script);
  });

  it("STORE replaces any destination and its TTL, deletes it on an empty result, and counts changes", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["CONFIG", "RESETSTAT"],
      ["RPUSH", "l", "2", "1"],
      ["SET", "d", "x", "EX", "100"],
      ["SORT", "l", "STORE", "d"],
      ["TYPE", "d"],
      ["TTL", "d"],
      ["LRANGE", "d", "0", "-1"],
      ["OBJECT", "ENCODING", "d"],
      ["SORT", "l", "STORE", "l"],
      ["LRANGE", "l", "0", "-1"],
      ["SORT", "empty", "STORE", "d"],
      ["EXISTS", "d"],
      ["SORT", "empty", "STORE", "d"],
      ["INFO", "keyspace"],
    ]);
  });

  it("errors: options, LIMIT values, wrong types, SORT_RO refusing STORE", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "l", "1", "x"],
      ["SET", "str", "v"],
      ["HSET", "h", "f", "v"],
      ["SORT", "str"],
      ["SORT", "h"],
      ["SORT", "str", "BOGUS"],
      ["SORT", "l"],
      ["SORT", "l", "ALPHA"],
      ["SORT", "l", "LIMIT", "0"],
      ["SORT", "l", "LIMIT", "x", "1"],
      ["SORT", "l", "LIMIT", "0", "1.5"],
      ["SORT", "l", "LIMIT", "x", "y", "BOGUS"],
      ["SORT", "l", "BOGUS", "LIMIT", "x", "y"],
      ["SORT", "l", "BY"],
      ["SORT", "l", "GET"],
      ["SORT", "l", "STORE"],
      ["SORT_RO", "l", "STORE", "d"],
      ["SORT_RO", "l", "ALPHA"],
      ["SORT_RO", "l", "BY", "nosort", "GET", "#"],
      ["SORT_RO", "str"],
      ["SORT", "l", bytes("alpha\0x")],
      ["SORT", "l", "STORE", "d", "ALPHA"],
      ["LRANGE", "d", "0", "-1"],
      ["SORT", "l", "STORE", "d"],
      ["EXISTS", "d"],
    ]);
  });

  it("keyspace hits and misses count every pattern lookup", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "l", "1", "2", "3"],
      ["SET", "w_1", "3"],
      ["HSET", "h_2", "f", "1"],
      ["CONFIG", "RESETSTAT"],
      ["SORT", "l", "BY", "w_*", "GET", "#", "GET", "h_*->f", "GET", "k"],
      ["SORT", "l", "BY", "nosort", "GET", "w_*"],
      ["SORT", "nokey"],
    ]);
    const stats = async (p: ReturnType<typeof pair>) =>
      (await p.redish.call("INFO", "stats")).match(/keyspace_(hits|misses):\d+/g);
    const p = pair();
    const [a, b] = [await stats(p), (await p.redis.call("INFO", "stats")).match(/keyspace_(hits|misses):\d+/g)];
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`stats differ: ${a} vs ${b}`);
  });
});
