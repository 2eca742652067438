// Sorted sets against redis-server 7.0: every command, option and error,
// RESP2 and RESP3 shapes, run once per encoding (a listpack, and the same
// members in a skiplist: a long member forces the conversion, and removing
// it leaves the skiplist, since Redis never converts back), plus the
// OBJECT ENCODING transitions at zset-max-listpack-entries/value.

import fc from "fast-check";
import { expect, it } from "vitest";
import { describeDiff, type Script } from "../helpers/diff";

const LONG = "m".repeat(65);

/** ZADD args for key `k` with `members` (score, member) pairs, in the given encoding. */
function load(k: string, pairs: (string | number)[], enc: "listpack" | "skiplist"): Script {
  const script: Script = [
    ["DEL", k],
    ["ZADD", k, ...pairs],
  ];
  if (enc === "skiplist") script.push(["ZADD", k, "0", LONG], ["ZREM", k, LONG]);
  script.push(["OBJECT", "ENCODING", k]);
  return script;
}

const BASIC = ["1", "a", "2", "b", "3", "c", "3", "cc", "-1.5", "neg", "inf", "top", "-inf", "bottom", "0", "zero"];
const LEX = [
  "0",
  "a",
  "0",
  "b",
  "0",
  "c",
  "0",
  "d",
  "0",
  "e",
  "0",
  "f",
  "0",
  "g",
  "0",
  "123",
  "0",
  "",
  "0",
  "a\u0000b",
];
const ENCODINGS = ["listpack", "skiplist"] as const;

describeDiff("sorted sets against redis-server", (pair) => {
  it("ZADD flags, replies and conflicts", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["ZADD", "z", "1", "a"],
      ["ZADD", "z", "1", "a", "2", "b"],
      ["ZADD", "z", "CH", "5", "a", "2", "b", "3", "c"],
      ["ZADD", "z", "NX", "10", "a", "4", "d"],
      ["ZADD", "z", "XX", "10", "a", "4", "e"],
      ["ZADD", "z", "XX", "CH", "11", "a", "4", "e"],
      ["ZADD", "z", "GT", "CH", "1", "a", "20", "b"],
      ["ZADD", "z", "LT", "CH", "1", "a", "20", "c"],
      ["ZADD", "z", "GT", "XX", "CH", "100", "a", "1", "zz"],
      ["ZADD", "z", "LT", "NX", "1", "a"],
      ["ZADD", "z", "GT", "NX", "1", "a"],
      ["ZADD", "z", "GT", "LT", "1", "a"],
      ["ZADD", "z", "NX", "XX", "1", "a"],
      ["ZADD", "z", "NX", "XX", "GT", "1", "a"],
      ["ZADD", "z", "INCR", "1", "a", "2", "b"],
      ["ZADD", "z", "INCR", "NX", "1", "GT"],
      ["ZADD", "z"],
      ["ZADD", "z", "1"],
      ["ZADD", "z", "NX"],
      ["ZADD", "z", "1", "a", "2"],
      ["ZADD", "z", "x", "a"],
      ["ZADD", "z", "1", "a", "nan", "b"],
      ["ZADD", "z", " 1", "a"],
      ["ZADD", "z", "1 ", "a"],
      ["ZADD", "z", "", "a"],
      ["ZADD", "z", "1e400", "a"],
      ["ZADD", "z", "0x10", "hex"],
      ["ZADD", "z", "nx", "ch", "-inf", "low", "+inf", "high"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
      ["ZADD", "nokey", "XX", "1", "a"],
      ["ZADD", "nokey", "XX", "INCR", "1", "a"],
      ["EXISTS", "nokey"],
    ]);
  });

  it("ZADD INCR and ZINCRBY: results, NX/XX/GT/LT outcomes and NaN", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["ZADD", "z", "INCR", "1.5", "a"],
      ["ZADD", "z", "INCR", "-0.5", "a"],
      ["ZADD", "z", "INCR", "NX", "1", "a"],
      ["ZADD", "z", "INCR", "XX", "1", "nope"],
      ["ZADD", "z", "INCR", "GT", "-1", "a"],
      ["ZADD", "z", "INCR", "LT", "-1", "a"],
      ["ZADD", "z", "INCR", "GT", "0", "a"],
      ["ZINCRBY", "z", "0.1", "a"],
      ["ZINCRBY", "z", "0.2", "a"],
      ["ZINCRBY", "z", "inf", "a"],
      ["ZINCRBY", "z", "-inf", "a"],
      ["ZSCORE", "z", "a"],
      ["ZINCRBY", "z", "x", "a"],
      ["ZINCRBY", "z", "nx", "a"],
      ["ZINCRBY", "z", "5", "new"],
      ["ZINCRBY", "nokey", "2", "m"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
      ["SET", "s", "x"],
      ["ZINCRBY", "s", "1", "a"],
      ["ZADD", "s", "1", "a"],
      ["ZADD", "s", "x", "a"],
    ]);
  });

  it("scores print as Redis prints them: %.17g, -0, inf, and what a listpack keeps", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["ZADD", "lp", "0.1", "a", "1e20", "b", "-0", "c", "123456789012345678", "d", "4503599627370496", "e"],
      ["ZADD", "lp", "1e-5", "f", "3.14159", "g", "-1e-300", "h", "2.5e-324", "i", "1.7976931348623157e308", "j"],
      ["ZADD", "lp", "9007199254740993", "k", "0.30000000000000004", "l", "-4503599627370495", "m", "1e16", "n"],
      ["ZRANGE", "lp", "0", "-1", "WITHSCORES"],
      ["ZSCORE", "lp", "c"],
      ["ZSCAN", "lp", "0"],
      ["ZADD", "sl", "0", LONG, "0.1", "a", "-0", "c", "1e20", "b"],
      ["ZREM", "sl", LONG],
      ["ZRANGE", "sl", "0", "-1", "WITHSCORES"],
      ["ZSCORE", "sl", "c"],
      ["ZINCRBY", "sl", "-0", "c"],
      ["ZSCORE", "sl", "c"],
      // One member at a time: a skiplist's ZSCAN order is its dict's.
      ...["0.1", "-0", "1e20", "123456789012345678", "inf", "-inf", "5e-324", "-2.5"].flatMap((v) => [
        ["ZADD", "one", "0", LONG, v, "x"],
        ["ZREM", "one", LONG],
        ["ZSCAN", "one", "0"],
        ["DEL", "one"],
      ]),
    ]);
  });

  it("ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK on both encodings", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZCARD", "z"],
        ["ZCARD", "nokey"],
        ["ZSCORE", "z", "neg"],
        ["ZSCORE", "z", "nope"],
        ["ZSCORE", "nokey", "a"],
        ["ZMSCORE", "z", "a", "nope", "top", "bottom"],
        ["ZMSCORE", "nokey", "a", "b"],
        ["ZRANK", "z", "bottom"],
        ["ZRANK", "z", "cc"],
        ["ZRANK", "z", "nope"],
        ["ZRANK", "nokey", "a"],
        ["ZREVRANK", "z", "bottom"],
        ["ZREVRANK", "z", "top"],
        ["ZRANK", "z", "a", "WITHSCORE"],
        ["ZREM", "z", "a", "nope", "a", "b"],
        ["ZREM", "nokey", "a"],
        ["ZCARD", "z"],
        ["ZREM", "z", "c", "cc", "neg", "top", "bottom", "zero", "extra"],
        ["EXISTS", "z"],
      ]);
    }
  });

  it("ZRANGE by rank, ZREVRANGE, index clamping and option errors", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZRANGE", "z", "0", "-1"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["ZRANGE", "z", "2", "4", "withscores"],
        ["ZRANGE", "z", "-3", "-1"],
        ["ZRANGE", "z", "-100", "100"],
        ["ZRANGE", "z", "5", "2"],
        ["ZRANGE", "z", "8", "10"],
        ["ZRANGE", "z", "0", "0", "REV"],
        ["ZRANGE", "z", "1", "3", "REV", "WITHSCORES"],
        ["ZRANGE", "z", "-9223372036854775808", "9223372036854775807"],
        ["ZREVRANGE", "z", "0", "-1", "WITHSCORES"],
        ["ZREVRANGE", "z", "2", "3"],
        ["ZREVRANGE", "z", "0", "1", "REV"],
        ["ZREVRANGE", "z", "0", "1", "BYSCORE"],
        ["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"],
        ["ZRANGE", "z", "0", "1", "LIMIT", "0", "-1"],
        ["ZRANGE", "z", "0", "1", "LIMIT", "0"],
        ["ZRANGE", "z", "0", "1", "LIMIT", "x", "1"],
        ["ZRANGE", "z", "0", "1", "LIMIT", "1", "x", "FOO"],
        ["ZRANGE", "z", "0", "1", "FOO"],
        ["ZRANGE", "z", "0", "1", "REV", "REV"],
        ["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"],
        ["ZRANGE", "z", "a", "1"],
        ["ZRANGE", "z", "0", "1.5"],
        ["ZRANGE", "nokey", "0", "-1"],
        ["ZRANGE", "nokey", "0", "-1", "FOO"],
        ["ZREVRANGE", "nokey", "0", "-1", "WITHSCORES"],
      ]);
    }
  });

  it("ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGE BYSCORE: bounds, LIMIT, parse rules", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZRANGEBYSCORE", "z", "-inf", "+inf"],
        ["ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES"],
        ["ZRANGEBYSCORE", "z", "(1", "3", "WITHSCORES"],
        ["ZRANGEBYSCORE", "z", "1", "(3"],
        ["ZRANGEBYSCORE", "z", "(3", "(3"],
        ["ZRANGEBYSCORE", "z", "3", "3"],
        ["ZRANGEBYSCORE", "z", "5", "1"],
        ["ZRANGEBYSCORE", "z", "(-inf", "(inf"],
        ["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "3"],
        ["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "-1"],
        ["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "0"],
        ["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "5"],
        ["ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "100", "5"],
        ["ZRANGEBYSCORE", "z", "0", "+inf", "LIMIT", "1", "2", "WITHSCORES"],
        ["ZRANGEBYSCORE", "z", "2", "+inf", "LIMIT", "5", "10"],
        ["ZRANGEBYSCORE", "z", " 1", " 3"],
        ["ZRANGEBYSCORE", "z", "", "3"],
        ["ZRANGEBYSCORE", "z", "(", "3"],
        ["ZRANGEBYSCORE", "z", " ", "3"],
        ["ZRANGEBYSCORE", "z", "1 ", "3"],
        ["ZRANGEBYSCORE", "z", "1e999", "+inf"],
        ["ZRANGEBYSCORE", "z", "-1e999", "0"],
        ["ZRANGEBYSCORE", "z", "0x1", "0x3p0"],
        ["ZRANGEBYSCORE", "z", "nan", "1"],
        ["ZRANGEBYSCORE", "z", "1", "x"],
        ["ZRANGEBYSCORE", "z", "1\u0000junk", "3"],
        ["ZRANGEBYSCORE", "z", "1", "3", "REV"],
        ["ZRANGEBYSCORE", "z", "1", "3", "BYSCORE"],
        ["ZRANGEBYSCORE", "z", "1", "3", "LIMIT", "1"],
        ["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES"],
        ["ZREVRANGEBYSCORE", "z", "3", "(1"],
        ["ZREVRANGEBYSCORE", "z", "3", "1", "LIMIT", "1", "1"],
        ["ZREVRANGEBYSCORE", "z", "1", "3"],
        ["ZRANGE", "z", "(1", "3", "BYSCORE", "WITHSCORES"],
        ["ZRANGE", "z", "3", "(1", "BYSCORE", "REV"],
        ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "3", "REV"],
        ["ZRANGE", "z", "x", "1", "BYSCORE"],
        ["ZRANGEBYSCORE", "nokey", "-inf", "+inf"],
        ["ZRANGEBYSCORE", "nokey", "x", "+inf"],
      ]);
    }
  });

  it("ZRANGEBYLEX, ZREVRANGEBYLEX, ZRANGE BYLEX, ZLEXCOUNT", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", LEX, enc),
        ["ZRANGEBYLEX", "z", "-", "+"],
        ["ZRANGEBYLEX", "z", "[b", "[e"],
        ["ZRANGEBYLEX", "z", "(b", "(e"],
        ["ZRANGEBYLEX", "z", "[", "(b"],
        ["ZRANGEBYLEX", "z", "(", "+"],
        ["ZRANGEBYLEX", "z", "[a", "[a"],
        ["ZRANGEBYLEX", "z", "(a", "[a"],
        ["ZRANGEBYLEX", "z", "+", "-"],
        ["ZRANGEBYLEX", "z", "-", "-"],
        ["ZRANGEBYLEX", "z", "+", "+"],
        ["ZRANGEBYLEX", "z", "[e", "[b"],
        ["ZRANGEBYLEX", "z", "[1", "[2"],
        ["ZRANGEBYLEX", "z", "[a\u0000", "+"],
        ["ZRANGEBYLEX", "z", "-", "+", "LIMIT", "2", "3"],
        ["ZRANGEBYLEX", "z", "-", "+", "LIMIT", "-1", "3"],
        ["ZRANGEBYLEX", "z", "-", "+", "LIMIT", "0", "-5"],
        ["ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"],
        ["ZRANGEBYLEX", "z", "a", "+"],
        ["ZRANGEBYLEX", "z", "-x", "+"],
        ["ZRANGEBYLEX", "z", "-\u0000x", "+\u0000y"],
        ["ZRANGEBYLEX", "z", "", "+"],
        ["ZREVRANGEBYLEX", "z", "+", "-"],
        ["ZREVRANGEBYLEX", "z", "[e", "(b", "LIMIT", "1", "2"],
        ["ZRANGE", "z", "[b", "[d", "BYLEX"],
        ["ZRANGE", "z", "[d", "[b", "BYLEX", "REV"],
        ["ZRANGE", "z", "-", "+", "BYLEX", "REV", "LIMIT", "0", "3"],
        ["ZLEXCOUNT", "z", "-", "+"],
        ["ZLEXCOUNT", "z", "[b", "(e"],
        ["ZLEXCOUNT", "z", "(e", "(b"],
        ["ZLEXCOUNT", "z", "b", "e"],
        ["ZLEXCOUNT", "nokey", "-", "+"],
        ["ZLEXCOUNT", "nokey", "x", "+"],
      ]);
    }
  });

  it("ZCOUNT", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZCOUNT", "z", "-inf", "+inf"],
        ["ZCOUNT", "z", "(1", "3"],
        ["ZCOUNT", "z", "3", "3"],
        ["ZCOUNT", "z", "(3", "3"],
        ["ZCOUNT", "z", "4", "2"],
        ["ZCOUNT", "z", "100", "200"],
        ["ZCOUNT", "z", "-200", "-100"],
        ["ZCOUNT", "z", "(-inf", "(inf"],
        ["ZCOUNT", "z", "a", "1"],
        ["ZCOUNT", "nokey", "0", "1"],
      ]);
    }
  });

  it("ZRANGESTORE: every range kind, empty results, overwriting and errors", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZRANGESTORE", "d", "z", "0", "-1"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["OBJECT", "ENCODING", "d"],
        ["ZRANGESTORE", "d", "z", "1", "2", "REV"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["ZRANGESTORE", "d", "z", "(1", "inf", "BYSCORE", "LIMIT", "1", "2"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ...load("l", LEX, enc),
        // Lex ranges are only defined over members of one score.
        ["ZRANGESTORE", "d", "l", "[d", "-", "BYLEX", "REV"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["ZRANGESTORE", "d", "l", "(a", "[c", "BYLEX", "LIMIT", "1", "5"],
        ["ZRANGE", "d", "0", "-1"],
        ["SET", "d", "string"],
        ["EXPIRE", "d", "100"],
        ["ZRANGESTORE", "d", "z", "0", "0"],
        ["TTL", "d"],
        ["TYPE", "d"],
        ["ZRANGESTORE", "d", "z", "5", "1"],
        ["EXISTS", "d"],
        ["ZRANGESTORE", "d", "nokey", "0", "-1"],
        ["ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES"],
        ["ZRANGESTORE", "d", "z", "0", "-1", "LIMIT", "0", "1"],
        ["ZRANGESTORE", "z", "z", "0", "1"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["SET", "str", "x"],
        ["ZRANGESTORE", "d", "str", "0", "-1"],
        ["ZRANGESTORE", "str", "z", "0", "-1"],
        ["TYPE", "str"],
      ]);
    }
  });

  it("ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZREMRANGEBYRANK", "z", "0", "0"],
        ["ZREMRANGEBYRANK", "z", "-2", "-1"],
        ["ZREMRANGEBYRANK", "z", "5", "2"],
        ["ZREMRANGEBYRANK", "z", "100", "200"],
        ["ZREMRANGEBYRANK", "z", "x", "1"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["ZREMRANGEBYSCORE", "z", "(1", "3"],
        ["ZREMRANGEBYSCORE", "z", "10", "1"],
        ["ZREMRANGEBYSCORE", "z", "x", "1"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["ZREMRANGEBYSCORE", "z", "-inf", "+inf"],
        ["EXISTS", "z"],
        ...load("l", LEX, enc),
        ["ZREMRANGEBYLEX", "l", "(a", "[c"],
        ["ZREMRANGEBYLEX", "l", "x", "+"],
        ["ZREMRANGEBYLEX", "l", "[z", "[a"],
        ["ZRANGE", "l", "0", "-1"],
        ["ZREMRANGEBYLEX", "l", "-", "+"],
        ["EXISTS", "l"],
        ["ZREMRANGEBYRANK", "nokey", "0", "-1"],
        ["ZREMRANGEBYSCORE", "nokey", "-inf", "+inf"],
        ["ZREMRANGEBYLEX", "nokey", "-", "+"],
        ["ZREMRANGEBYLEX", "nokey", "x", "+"],
        ["SET", "str", "x"],
        ["ZREMRANGEBYRANK", "str", "0", "-1"],
        ["ZREMRANGEBYSCORE", "str", "x", "1"],
      ]);
    }
  });

  it("ZPOPMIN, ZPOPMAX, ZMPOP", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZPOPMIN", "z"],
        ["ZPOPMAX", "z"],
        ["ZPOPMIN", "z", "2"],
        ["ZPOPMAX", "z", "0"],
        ["ZPOPMIN", "z", "-1"],
        ["ZPOPMIN", "z", "x"],
        ["ZPOPMIN", "z", "1", "2"],
        ["ZPOPMIN", "nokey"],
        ["ZPOPMIN", "nokey", "0"],
        ["ZMPOP", "2", "nokey", "z", "MIN"],
        ["ZMPOP", "2", "nokey", "z", "max", "COUNT", "2"],
        ["ZMPOP", "1", "nokey", "MIN"],
        ["ZMPOP", "0", "z", "MIN"],
        ["ZMPOP", "x", "z", "MIN"],
        ["ZMPOP", "3", "z", "MIN"],
        ["ZMPOP", "1", "z", "FOO"],
        ["ZMPOP", "1", "z", "MIN", "COUNT"],
        ["ZMPOP", "1", "z", "MIN", "COUNT", "0"],
        ["ZMPOP", "1", "z", "MIN", "COUNT", "x"],
        ["ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"],
        ["ZMPOP", "1", "z", "MIN", "FOO", "1"],
        ["ZPOPMAX", "z", "100"],
        ["EXISTS", "z"],
        ["SET", "str", "x"],
        ["ZPOPMIN", "str"],
        ["ZPOPMIN", "str", "x"],
        ["ZMPOP", "2", "nokey", "str", "MIN"],
        ["ZADD", "z2", "1", "a"],
        ["ZMPOP", "2", "z2", "str", "MIN"],
      ]);
    }
  });

  it("BZPOPMIN, BZPOPMAX, BZMPOP when an element is there, and their errors", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["BZPOPMIN", "nokey", "z", "0"],
        ["BZPOPMAX", "z", "nokey", "1.5"],
        ["BZMPOP", "0", "2", "nokey", "z", "MIN", "COUNT", "3"],
        ["BZMPOP", "0.1", "1", "z", "MAX"],
        ["BZPOPMIN", "z", "-1"],
        ["BZPOPMIN", "z", "x"],
        ["BZMPOP", "x", "1", "z", "MIN"],
        ["BZMPOP", "-1", "1", "z", "MIN"],
        ["BZMPOP", "0", "0", "z", "MIN"],
        ["BZMPOP", "0", "1", "z", "FOO"],
        ["SET", "str", "x"],
        ["BZPOPMIN", "str", "0"],
        ["BZPOPMIN", "nokey", "str", "z", "0"],
        ["BZMPOP", "0", "1", "str", "MIN"],
        ["MULTI"],
        ["BZPOPMIN", "nokey", "0"],
        ["BZMPOP", "0", "1", "nokey", "MIN"],
        ["BZPOPMAX", "z", "0"],
        ["EXEC"],
      ]);
    }
  });

  it("ZUNION, ZINTER, ZDIFF and their STORE forms: weights, aggregates, sets as inputs", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("a", ["1", "x", "2", "y", "3", "z", "inf", "i", "-inf", "ni"], enc),
        ...load("b", ["10", "y", "20", "z", "30", "w", "-inf", "i", "inf", "ni"], enc),
        ["DEL", "s", "is"],
        ["SADD", "s", "x", "w", "q"],
        ["SADD", "is", "1", "2", "3"],
        ["ZUNION", "2", "a", "b"],
        ["ZUNION", "2", "a", "b", "WITHSCORES"],
        ["ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"],
        ["ZUNION", "2", "a", "b", "WEIGHTS", "0", "1", "WITHSCORES"],
        ["ZUNION", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"],
        ["ZUNION", "2", "a", "b", "AGGREGATE", "max", "WITHSCORES"],
        ["ZUNION", "3", "a", "b", "s", "WITHSCORES"],
        ["ZUNION", "2", "a", "is", "WITHSCORES"],
        ["ZUNION", "2", "a", "nokey", "WITHSCORES"],
        ["ZUNION", "2", "a", "a", "WITHSCORES"],
        ["ZINTER", "2", "a", "b", "WITHSCORES"],
        ["ZINTER", "2", "a", "b", "WEIGHTS", "-1", "2", "AGGREGATE", "SUM", "WITHSCORES"],
        ["ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"],
        ["ZINTER", "2", "a", "b", "WEIGHTS", "0", "0", "AGGREGATE", "MAX", "WITHSCORES"],
        ["ZINTER", "2", "a", "s", "WITHSCORES"],
        ["ZINTER", "2", "a", "a", "WEIGHTS", "1", "2", "WITHSCORES"],
        ["ZINTER", "2", "a", "nokey"],
        ["ZINTER", "1", "s", "WITHSCORES"],
        ["ZDIFF", "2", "a", "b"],
        ["ZDIFF", "2", "a", "b", "WITHSCORES"],
        ["ZDIFF", "3", "a", "s", "nokey", "WITHSCORES"],
        ["ZDIFF", "2", "a", "a"],
        ["ZDIFF", "1", "nokey"],
        ["ZDIFF", "2", "s", "a", "WITHSCORES"],
        ["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "3"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["OBJECT", "ENCODING", "d"],
        ["ZINTERSTORE", "d", "2", "a", "b"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["ZDIFFSTORE", "d", "2", "a", "b"],
        ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
        ["ZINTERSTORE", "d", "2", "a", "nokey"],
        ["EXISTS", "d"],
        ["ZUNIONSTORE", "a", "2", "a", "b"],
        ["ZRANGE", "a", "0", "-1", "WITHSCORES"],
        ["ZINTERCARD", "2", "a", "b"],
        ["ZINTERCARD", "2", "a", "b", "LIMIT", "1"],
        ["ZINTERCARD", "2", "a", "b", "LIMIT", "0"],
        ["ZINTERCARD", "2", "a", "s"],
        ["ZINTERCARD", "2", "a", "nokey"],
      ]);
    }
  });

  it("set algebra errors in Redis's order", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["ZADD", "a", "1", "x"],
      ["SET", "str", "v"],
      ["ZUNION", "0", "a"],
      ["ZUNION", "-1", "a"],
      ["ZUNION", "x", "a"],
      ["ZUNION", "3", "a"],
      ["ZUNION", "99999999999999999999", "a"],
      ["ZUNION", "2", "a", "str"],
      ["ZUNION", "2", "a", "str", "FOO"],
      ["ZUNION", "1", "a", "FOO"],
      ["ZUNION", "1", "a", "WEIGHTS"],
      ["ZUNION", "1", "a", "WEIGHTS", "x"],
      ["ZUNION", "2", "a", "a", "WEIGHTS", "1"],
      ["ZUNION", "1", "a", "WEIGHTS", "1", "2"],
      ["ZUNION", "1", "a", "WEIGHTS", "nan"],
      ["ZUNION", "1", "a", "AGGREGATE"],
      ["ZUNION", "1", "a", "AGGREGATE", "AVG"],
      ["ZUNION", "1", "a", "WITHSCORES", "WITHSCORES"],
      ["ZUNION", "1", "a", "LIMIT", "1"],
      ["ZUNIONSTORE", "d", "0", "a"],
      ["ZUNIONSTORE", "d", "1", "a", "WITHSCORES"],
      ["ZUNIONSTORE", "d", "1", "str"],
      ["ZINTERSTORE", "d", "1", "a", "WEIGHTS", "2", "AGGREGATE", "MAX"],
      ["ZDIFF", "1", "a", "WEIGHTS", "1"],
      ["ZDIFF", "1", "a", "AGGREGATE", "SUM"],
      ["ZDIFFSTORE", "d", "1", "a", "WITHSCORES"],
      ["ZDIFFSTORE", "d", "0", "a"],
      ["ZINTERCARD", "0", "a"],
      ["ZINTERCARD", "x", "a"],
      ["ZINTERCARD", "2", "a"],
      ["ZINTERCARD", "1", "a", "LIMIT"],
      ["ZINTERCARD", "1", "a", "LIMIT", "-1"],
      ["ZINTERCARD", "1", "a", "LIMIT", "x"],
      ["ZINTERCARD", "1", "a", "WITHSCORES"],
      ["ZINTERCARD", "1", "a", "WEIGHTS", "1"],
      ["ZINTERCARD", "1", "str"],
    ]);
  });

  it("ZRANDMEMBER: deterministic shapes and errors", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["ZRANDMEMBER", "z", "8"],
        ["ZRANDMEMBER", "z", "100", "WITHSCORES"],
        ["ZRANDMEMBER", "z", "0"],
        ["ZRANDMEMBER", "z", "0", "WITHSCORES"],
        ["ZRANDMEMBER", "nokey"],
        ["ZRANDMEMBER", "nokey", "5"],
        ["ZRANDMEMBER", "nokey", "-5", "WITHSCORES"],
        ["ZRANDMEMBER", "z", "x"],
        ["ZRANDMEMBER", "z", "1", "FOO"],
        ["ZRANDMEMBER", "z", "1", "WITHSCORES", "x"],
        ["ZRANDMEMBER", "z", "-9223372036854775808"],
        ["ZRANDMEMBER", "z", "9223372036854775807", "WITHSCORES"],
        ["ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"],
        ["ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"],
        ["ZRANDMEMBER", "z", "4611686018427387903", "WITHSCORES"],
        ["SET", "str", "x"],
        ["ZRANDMEMBER", "str"],
        ["ZRANDMEMBER", "str", "1"],
      ]);
    }
  });

  it("ZSCAN: cursor and option errors, MATCH, a whole listpack at once", async () => {
    await pair().run([
      ...load("z", BASIC, "listpack"),
      ["ZSCAN", "z", "0"],
      ["ZSCAN", "z", "0", "MATCH", "c*"],
      ["ZSCAN", "z", "0", "MATCH", "*", "COUNT", "1"],
      ["ZSCAN", "z", "0", "COUNT", "0"],
      ["ZSCAN", "z", "0", "COUNT", "x"],
      ["ZSCAN", "z", "0", "TYPE", "zset"],
      ["ZSCAN", "z", "x"],
      ["ZSCAN", "z", "0", "MATCH"],
      ["ZSCAN", "nokey", "0"],
      ["SET", "str", "x"],
      ["ZSCAN", "str", "0"],
    ]);
  });

  it("WRONGTYPE for every sorted-set command on another type", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RPUSH", "l", "x"],
      ["ZCARD", "l"],
      ["ZSCORE", "l", "x"],
      ["ZMSCORE", "l", "x"],
      ["ZRANK", "l", "x"],
      ["ZREVRANK", "l", "x"],
      ["ZREM", "l", "x"],
      ["ZINCRBY", "l", "1", "x"],
      ["ZCOUNT", "l", "0", "1"],
      ["ZLEXCOUNT", "l", "-", "+"],
      ["ZRANGE", "l", "0", "1"],
      ["ZREVRANGE", "l", "0", "1"],
      ["ZRANGEBYSCORE", "l", "0", "1"],
      ["ZREVRANGEBYSCORE", "l", "0", "1"],
      ["ZRANGEBYLEX", "l", "-", "+"],
      ["ZREVRANGEBYLEX", "l", "+", "-"],
      ["ZREMRANGEBYLEX", "l", "-", "+"],
      ["ZPOPMAX", "l"],
      ["ZRANDMEMBER", "l", "2"],
      ["ZSCAN", "l", "0"],
      ["ZUNION", "1", "l"],
      ["ZINTERCARD", "1", "l"],
      ["LRANGE", "l", "0", "-1"],
    ]);
  });

  it("encodings: listpack up to 128 members of up to 64 bytes, then skiplist for good", async () => {
    const members: string[] = [];
    for (let i = 0; i < 129; i++) members.push(String(i), `m${i}`);
    await pair().run([
      ["FLUSHALL"],
      ["ZADD", "z", ...members.slice(0, 256)],
      ["OBJECT", "ENCODING", "z"],
      ["ZADD", "z", "128", "m128"],
      ["OBJECT", "ENCODING", "z"],
      ["ZREMRANGEBYRANK", "z", "0", "-3"],
      ["OBJECT", "ENCODING", "z"],
      ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
      ["ZADD", "v", "1", "x".repeat(64)],
      ["OBJECT", "ENCODING", "v"],
      ["ZADD", "v", "1", "y".repeat(65)],
      ["OBJECT", "ENCODING", "v"],
      ["ZADD", "w", "1", "y".repeat(65)],
      ["OBJECT", "ENCODING", "w"],
      ["ZADD", "n", "1", "a", "2", "y".repeat(65), "3", "b"],
      ["OBJECT", "ENCODING", "n"],
      ["ZADD", "xx", "1", "a"],
      ["ZADD", "xx", "XX", "1", "y".repeat(65)],
      ["OBJECT", "ENCODING", "xx"],
      ["ZINCRBY", "i", "1", "y".repeat(65)],
      ["OBJECT", "ENCODING", "i"],
      ["ZUNIONSTORE", "u", "1", "z"],
      ["OBJECT", "ENCODING", "u"],
      ["ZRANGESTORE", "r", "z", "0", "-1"],
      ["OBJECT", "ENCODING", "r"],
      ["ZUNIONSTORE", "u2", "2", "z", "n"],
      ["OBJECT", "ENCODING", "u2"],
      ["ZRANGESTORE", "r2", "n", "0", "-1"],
      ["OBJECT", "ENCODING", "r2"],
      ["ZDIFFSTORE", "df", "2", "n", "v"],
      ["OBJECT", "ENCODING", "df"],
      ["ZINTERSTORE", "is", "2", "n", "n"],
      ["OBJECT", "ENCODING", "is"],
    ]);
  });

  it("CONFIG SET moves the thresholds the engine applies", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "2"],
      ["ZADD", "z", "1", "a", "2", "b"],
      ["OBJECT", "ENCODING", "z"],
      ["ZADD", "z", "3", "c"],
      ["OBJECT", "ENCODING", "z"],
      ["ZUNIONSTORE", "u", "1", "z"],
      ["OBJECT", "ENCODING", "u"],
      ["ZRANGESTORE", "r", "z", "0", "1"],
      ["OBJECT", "ENCODING", "r"],
      ["ZRANGESTORE", "r", "z", "0", "2"],
      ["OBJECT", "ENCODING", "r"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "0"],
      ["ZADD", "zero", "1", "a"],
      ["OBJECT", "ENCODING", "zero"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
      ["CONFIG", "SET", "zset-max-listpack-value", "3"],
      ["ZADD", "v", "1", "abc"],
      ["OBJECT", "ENCODING", "v"],
      ["ZADD", "v", "1", "abcd"],
      ["OBJECT", "ENCODING", "v"],
      ["CONFIG", "SET", "zset-max-ziplist-value", "64"],
      ["CONFIG", "GET", "zset-max-listpack-value"],
    ]);
  });

  it("COPY duplicates both encodings; RENAME and MOVE carry them", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load("z", BASIC, enc),
        ["COPY", "z", "c"],
        ["OBJECT", "ENCODING", "c"],
        ["ZADD", "c", "99", "new"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["ZRANGE", "c", "0", "-1", "WITHSCORES"],
        ["RENAME", "c", "r"],
        ["ZRANK", "r", "new"],
        ["MOVE", "r", "1"],
        ["SELECT", "1"],
        ["ZCARD", "r"],
        ["FLUSHDB"],
        ["SELECT", "0"],
        ["TYPE", "z"],
      ]);
    }
  });

  it("members are bytes: empty, binary, integer-looking and long ones", async () => {
    for (const enc of ENCODINGS) {
      await pair().run([
        ...load(
          "z",
          ["1", "", "2", "\u0000", "3", "\u00ff\u00fe", "4", "123", "5", "-9223372036854775808", "6", "007"],
          enc,
        ),
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["ZSCORE", "z", ""],
        ["ZSCORE", "z", "123"],
        ["ZRANK", "z", "-9223372036854775808"],
        ["ZADD", "z", "0", "122", "0", "1234"],
        ["ZRANGEBYLEX", "z", "-", "+"],
        ["ZREM", "z", "\u0000", "007"],
        ["ZRANGE", "z", "0", "-1"],
      ]);
    }
  });

  it("keyspace hits and misses are counted as Redis counts them", async () => {
    const p = pair();
    const stats = async (c: typeof p.redis): Promise<string> =>
      ((await c.call("INFO", "stats")).match(/keyspace_(hits|misses):\d+/g) ?? []).join(" ");
    await p.run([["FLUSHALL"], ["ZADD", "z", "1", "a", "2", "b"], ["CONFIG", "RESETSTAT"]]);
    for (const key of ["z", "nokey"]) {
      for (const cmd of [
        ["ZCARD", key],
        ["ZSCORE", key, "a"],
        ["ZMSCORE", key, "a"],
        ["ZRANK", key, "a"],
        ["ZCOUNT", key, "0", "1"],
        ["ZLEXCOUNT", key, "-", "+"],
        ["ZRANGE", key, "0", "-1"],
        ["ZRANGESTORE", "dst", key, "0", "-1"],
        ["ZUNION", "1", key],
        ["ZUNIONSTORE", "dst", "2", key, "nokey2"],
        ["ZINTERCARD", "1", key],
        ["ZRANDMEMBER", key],
        ["ZSCAN", key, "0"],
        ["ZINCRBY", key, "1", "a"],
        ["ZREM", key, "nope"],
        ["ZREMRANGEBYRANK", key, "5", "6"],
        ["ZPOPMIN", key, "0"],
        ["ZMPOP", "1", key, "MIN", "COUNT", "1"],
        ["BZPOPMIN", key, "0.01"],
      ]) {
        // A random pick differs between the servers; only its counting is compared.
        if (cmd[0] === "ZRANDMEMBER") await Promise.all([p.redish.call(...cmd), p.redis.call(...cmd)]);
        else await p.same(...cmd);
        expect(await stats(p.redish), cmd.join(" ")).toBe(await stats(p.redis));
      }
    }
  });

  it("RESP3: doubles, nested pairs, nulls", async () => {
    const p = pair();
    // HELLO's reply holds the connection id, which differs between the servers.
    await Promise.all([p.redish.call("HELLO", "3"), p.redis.call("HELLO", "3")]);
    for (const enc of ENCODINGS) {
      await p.run([
        ...load("z", BASIC, enc),
        ["ZSCORE", "z", "neg"],
        ["ZSCORE", "z", "top"],
        ["ZSCORE", "z", "nope"],
        ["ZMSCORE", "z", "a", "nope"],
        ["ZRANK", "z", "nope"],
        ["ZINCRBY", "z", "0.5", "a"],
        ["ZADD", "z", "NX", "INCR", "1", "a"],
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        ["ZRANGE", "z", "0", "1"],
        ["ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES", "LIMIT", "0", "2"],
        ["ZREVRANGE", "z", "0", "1", "WITHSCORES"],
        ["ZUNION", "1", "z", "WITHSCORES"],
        ["ZINTER", "1", "z"],
        ["ZDIFF", "1", "z", "WITHSCORES"],
        ["ZRANDMEMBER", "z", "20", "WITHSCORES"],
        ["ZRANDMEMBER", "nokey"],
        ["ZSCAN", "z", "0", "COUNT", "100", "MATCH", "a"],
        ["ZPOPMIN", "z"],
        ["ZPOPMIN", "z", "1"],
        ["ZPOPMAX", "z", "2"],
        ["ZPOPMIN", "nokey", "2"],
        ["ZMPOP", "1", "z", "MIN"],
        ["ZMPOP", "1", "nokey", "MIN"],
        ["BZPOPMIN", "z", "0"],
        ["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"],
        ["MULTI"],
        ["BZPOPMIN", "nokey", "0"],
        ["EXEC"],
      ]);
    }
    await Promise.all([p.redish.call("HELLO", "2"), p.redis.call("HELLO", "2")]);
  });
});

describeDiff("sorted sets: random members (properties)", (pair) => {
  /** The bulk strings of a flat RESP2 array reply. */
  function bulks(reply: string): string[] {
    const lines = reply.split("\r\n");
    const out: string[] = [];
    for (let i = 1; i < lines.length - 1; i += 2) out.push(lines[i + 1]);
    return out;
  }

  it("ZRANDMEMBER picks members of the zset, distinct for a positive count, with their scores", async () => {
    const p = pair();
    await p.redish.call("FLUSHALL");
    const pairs: string[] = [];
    for (let i = 0; i < 300; i++) pairs.push(String(i * 1.5), `m${i}`);
    for (const [key, n] of [
      ["small", 20],
      ["large", 300],
    ] as const) {
      await p.redish.call("ZADD", key, ...pairs.slice(0, n * 2));
      const score = new Map<string, string>();
      for (let i = 0; i < n; i++) score.set(`m${i}`, String(i * 1.5));
      for (const count of [1, 5, Math.floor(n / 2), n - 1]) {
        const got = bulks(await p.redish.call("ZRANDMEMBER", key, String(count)));
        expect(got.length).toBe(count);
        expect(new Set(got).size).toBe(count);
        for (const m of got) expect(score.has(m)).toBe(true);
        const withScores = bulks(await p.redish.call("ZRANDMEMBER", key, String(count), "WITHSCORES"));
        expect(withScores.length).toBe(count * 2);
        for (let i = 0; i < withScores.length; i += 2) expect(withScores[i + 1]).toBe(score.get(withScores[i]));
      }
      const repeats = bulks(await p.redish.call("ZRANDMEMBER", key, "-1000", "WITHSCORES"));
      expect(repeats.length).toBe(2000);
      const seen = new Set<string>();
      for (let i = 0; i < repeats.length; i += 2) {
        expect(repeats[i + 1]).toBe(score.get(repeats[i]));
        seen.add(repeats[i]);
      }
      // 1000 draws from at most 300 members repeat some.
      expect(seen.size).toBeLessThan(1000);
      const one = bulks(`*1\r\n${await p.redish.call("ZRANDMEMBER", key)}`);
      expect(score.has(one[0])).toBe(true);
    }
  });

  it("ZRANDMEMBER in RESP3 pairs every member with its score as a double", async () => {
    const p = pair();
    await p.redish.call("FLUSHALL");
    await p.redish.call("ZADD", "z", "1.5", "a", "2", "b", "3", "c", "4", "d");
    await p.redish.call("HELLO", "3");
    const reply = await p.redish.call("ZRANDMEMBER", "z", "-3", "WITHSCORES");
    await p.redish.call("HELLO", "2");
    expect(reply).toMatch(/^\*3\r\n(\*2\r\n\$1\r\n[a-d]\r\n,[0-9.]+\r\n){3}$/);
  });

  it("ZSCAN over a skiplist returns every member exactly once with its score", async () => {
    const p = pair();
    await p.redish.call("FLUSHALL");
    const pairs: string[] = [];
    for (let i = 0; i < 500; i++) pairs.push(String(i / 4), `m${i}`);
    await p.redish.call("ZADD", "z", ...pairs);
    const seen = new Map<string, string>();
    let cursor = "0";
    for (let round = 0; round < 1000; round++) {
      const lines = (await p.redish.call("ZSCAN", "z", cursor, "COUNT", "7")).split("\r\n");
      cursor = lines[2];
      const items = bulks(lines.slice(3).join("\r\n"));
      for (let i = 0; i < items.length; i += 2) {
        expect(seen.has(items[i])).toBe(false);
        seen.set(items[i], items[i + 1]);
      }
      if (cursor === "0") break;
    }
    expect(cursor).toBe("0");
    expect(seen.size).toBe(500);
    for (let i = 0; i < 500; i++) expect(seen.get(`m${i}`)).toBe(String(i / 4));
  });
});

describeDiff("sorted sets: random command sequences against redis-server", (pair) => {
  const key = fc.constantFrom("a", "b", "c");
  const member = fc.constantFrom("x", "y", "z", "w", "10", "-3", "", "long-member-name");
  const score = fc.constantFrom("0", "1", "-1", "2.5", "1e10", "0.1", "-0", "+inf", "-inf", "7", "(1", "3");
  const plain = fc.constantFrom("0", "1", "-1", "2.5", "1e10", "0.1", "-0", "+inf", "-inf", "7", "3");
  const index = fc.integer({ min: -6, max: 6 }).map(String);
  // Lex commands go to "lex", whose members all score 0: lex ranges are undefined over mixed scores.
  const lexBound = fc.constantFrom("-", "+", "[x", "(x", "[10", "(z", "[", "(long");
  const command = fc.oneof(
    fc
      .tuple(fc.constant("ZADD"), key, fc.subarray(["NX", "XX", "GT", "LT", "CH"]), plain, member, plain, member)
      .map(([cmd, k, flags, s1, m1, s2, m2]) => [cmd, k, ...flags, s1, m1, s2, m2]),
    fc.tuple(fc.constant("ZINCRBY"), key, plain, member),
    fc.tuple(fc.constant("ZADD"), key, fc.constant("INCR"), plain, member),
    fc.tuple(fc.constant("ZREM"), key, member, member),
    fc.tuple(fc.constant("ZRANGE"), key, index, index, fc.constant("WITHSCORES")),
    fc.tuple(fc.constant("ZRANGE"), key, score, score, fc.constant("BYSCORE"), fc.constant("REV")),
    fc.tuple(
      fc.constant("ZRANGEBYSCORE"),
      key,
      score,
      score,
      fc.constant("WITHSCORES"),
      fc.constant("LIMIT"),
      index,
      index,
    ),
    fc.tuple(fc.constant("ZCOUNT"), key, score, score),
    fc.tuple(fc.constant("ZRANK"), key, member),
    fc.tuple(fc.constant("ZREVRANK"), key, member),
    fc.tuple(fc.constant("ZMSCORE"), key, member, member),
    fc.tuple(fc.constant("ZPOPMIN"), key, fc.constantFrom("1", "2")),
    fc.tuple(fc.constant("ZPOPMAX"), key),
    fc.tuple(fc.constant("ZREMRANGEBYRANK"), key, index, index),
    fc.tuple(fc.constant("ZREMRANGEBYSCORE"), key, score, score),
    fc.tuple(fc.constant("ZRANGESTORE"), key, key, index, index),
    fc.tuple(fc.constant("ZUNIONSTORE"), key, fc.constant("2"), key, key, fc.constant("WEIGHTS"), plain, plain),
    fc.tuple(
      fc.constant("ZINTERSTORE"),
      key,
      fc.constant("2"),
      key,
      key,
      fc.constant("AGGREGATE"),
      fc.constantFrom("MIN", "MAX", "SUM"),
    ),
    fc.tuple(fc.constant("ZDIFFSTORE"), key, fc.constant("2"), key, key),
    fc.tuple(fc.constant("ZUNION"), fc.constant("3"), key, key, key, fc.constant("WITHSCORES")),
    fc.tuple(fc.constant("ZINTERCARD"), fc.constant("2"), key, key),
    fc.tuple(fc.constant("ZADD"), fc.constant("lex"), fc.constant("0"), member),
    fc.tuple(fc.constant("ZRANGEBYLEX"), fc.constant("lex"), lexBound, lexBound),
    fc.tuple(fc.constant("ZREVRANGEBYLEX"), fc.constant("lex"), lexBound, lexBound, fc.constant("LIMIT"), index, index),
    fc.tuple(fc.constant("ZLEXCOUNT"), fc.constant("lex"), lexBound, lexBound),
    fc.tuple(fc.constant("ZREMRANGEBYLEX"), fc.constant("lex"), lexBound, lexBound),
    fc.tuple(fc.constant("ZRANGE"), key, fc.constant("0"), fc.constant("-1"), fc.constant("WITHSCORES")),
    fc.tuple(fc.constant("OBJECT"), fc.constant("ENCODING"), key),
    // Now and then a plain set: an input to the algebra, WRONGTYPE for the rest.
    fc.tuple(fc.constant("SADD"), key, member, member),
  );

  it("replies match command for command, with small listpack limits so encodings change", async () => {
    const p = pair();
    await p.run([
      ["CONFIG", "SET", "zset-max-listpack-entries", "4"],
      ["CONFIG", "SET", "zset-max-listpack-value", "8"],
    ]);
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 20, maxLength: 60 }), async (cmds) => {
        await p.same("FLUSHALL");
        for (const cmd of cmds) await p.same(...(cmd as string[]));
      }),
      { numRuns: 60 },
    );
    await p.run([
      ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
      ["CONFIG", "SET", "zset-max-listpack-value", "64"],
    ]);
  });
});
