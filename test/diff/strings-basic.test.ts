import { it } from "vitest";
import { describeDiff } from "../helpers/diff";

describeDiff("strings: GET/SET family against redis-server", (pair) => {
  it("SET and GET round-trip binary values, ints and empty strings", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", "v"],
      ["GET", "k"],
      ["SET", "empty", ""],
      ["GET", "empty"],
      ["SET", "bin", new Uint8Array([0, 1, 2, 255, 13, 10])],
      ["GET", "bin"],
      ["SET", "n", "12345"],
      ["GET", "n"],
      ["GET", "missing"],
      ["GET"],
      ["GET", "a", "b"],
    ]);
  });

  it("SET options: NX, XX, GET, EX, PX, KEEPTTL and their conflicts", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", "v", "NX"],
      ["SET", "k", "v2", "NX"],
      ["SET", "k", "v3", "XX", "GET"],
      ["SET", "nokey", "v", "XX"],
      ["SET", "k", "v", "NX", "XX"],
      ["SET", "k", "v", "EX", "10", "PX", "100"],
      ["SET", "k", "v", "EX", "0"],
      ["SET", "k", "v", "EX", "-1"],
      ["SET", "k", "v", "EX", "abc"],
      ["SET", "k", "v", "EX"],
      ["SET", "k", "v", "EX", "10", "EX", "20"],
      ["SET", "k", "v", "KEEPTTL", "EX", "10"],
      ["SET", "k", "v", "FOO"],
      ["SET", "k", "v", "ex", "9223372036854775807"],
      ["SET", "k", "v", "px", "9223372036854775807"],
      ["SET", "k", "v", "GET", "NX"],
      ["SETNX", "k", "x"],
      ["SETNX", "k2", "x"],
      ["SETEX", "k3", "0", "x"],
      ["PSETEX", "k3", "100000", "x"],
      ["GETSET", "k3", "y"],
      ["GETSET", "nope", "y"],
    ]);
  });

  it("INCR family: overflow, non-integers, wrong type", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["INCR", "c"],
      ["INCRBY", "c", "9223372036854775806"],
      ["INCR", "c"],
      ["DECRBY", "c", "-9223372036854775808"],
      ["SET", "s", "abc"],
      ["INCR", "s"],
      ["SET", "s", " 1"],
      ["INCR", "s"],
      ["SET", "s", "-0"],
      ["INCR", "s"],
      ["INCRBY", "x", "1.5"],
      ["DECR", "neg"],
      ["DECRBY", "neg", "100"],
      ["APPEND", "a", "hello"],
      ["APPEND", "a", " world"],
      ["GET", "a"],
      ["STRLEN", "a"],
      ["STRLEN", "nope"],
      ["MSET", "a", "1", "b"],
      ["MSET", "a", "1", "b", "2"],
      ["MGET", "a", "b", "nope"],
      ["MSETNX", "a", "1", "zz", "2"],
      ["MSETNX", "yy", "1", "zz", "2"],
    ]);
  });
});
