import { it } from "vitest";
import { describeDiff } from "../helpers/diff";

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

// Compact encodings (intset, listpack) return everything in one step and in
// their own order, which both servers share; hashtable orders differ by
// design, so those are covered by the behaviour tests instead.
describeDiff("the SCAN family's shared cursor, options and MATCH against redis-server", (pair) => {
  it("SSCAN and HSCAN over compact encodings: MATCH on members and on fields only", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SADD", "is", "1", "12", "123", "-5", "20"],
      ["SSCAN", "is", "0"],
      ["SSCAN", "is", "0", "MATCH", "1*"],
      ["SSCAN", "is", "0", "MATCH", "*", "COUNT", "1"],
      ["SSCAN", "is", "0", "MATCH", "nothing"],
      ["HSET", "h", "f1", "v1", "f2", "v2", "g1", "f1", "x", "y"],
      ["HSCAN", "h", "0"],
      ["HSCAN", "h", "0", "MATCH", "f*"],
      ["HSCAN", "h", "0", "MATCH", "v*"],
      ["HSCAN", "h", "0", "match", "?", "count", "100"],
      ["HSCAN", "h", "0", "MATCH", "f*", "MATCH", "g*"],
    ]);
  });

  it("option errors are replied in Redis's order, options compared as C strings", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SADD", "s", "1", "2"],
      ["HSET", "h", "f", "v"],
      ["SSCAN", "s", "0", "COUNT", "0"],
      ["SSCAN", "s", "0", "COUNT", "x"],
      ["SSCAN", "s", "0", "COUNT", "-1"],
      ["SSCAN", "s", "0", "COUNT"],
      ["SSCAN", "s", "0", "MATCH"],
      ["SSCAN", "s", "0", "TYPE", "string"],
      ["HSCAN", "h", "0", "TYPE", "string"],
      ["HSCAN", "h", "0", "COUNT", "x", "BOGUS", "1"],
      ["HSCAN", "h", "0", "BOGUS", "1", "COUNT", "x"],
      ["SSCAN", "s", "0", bytes("count\0junk"), "5"],
      ["HSCAN", "h", "0", bytes("MATCH\0"), "f"],
      ["SCAN", "0", bytes("type\0x"), "set"],
      ["SCAN", "0", "COUNT", "9223372036854775807", "MATCH", "s"],
      ["SSCAN", "s", "0", "COUNT", "9223372036854775807"],
    ]);
  });

  it("cursors: C strtoul rules, and a missing key replies an empty scan before options are read", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SADD", "s", "1"],
      ["SSCAN", "s", "abc"],
      ["SSCAN", "s", " 0"],
      ["SSCAN", "s", "-0"],
      ["SSCAN", "s", ""],
      ["SSCAN", "s", "18446744073709551616"],
      ["HSCAN", "nokey", "0", "COUNT", "0"],
      ["SSCAN", "nokey", "0", "BOGUS"],
      ["SSCAN", "nokey", "x"],
      ["SET", "str", "v"],
      ["SSCAN", "str", "0"],
      ["HSCAN", "str", "0"],
      ["SSCAN", "str", "x"],
    ]);
  });

  it("SCAN: MATCH, then TYPE, on one-bucket keyspaces", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "k1", "v"],
      ["SCAN", "0", "MATCH", "k*", "TYPE", "string"],
      ["SCAN", "0", "MATCH", "x*", "TYPE", "string"],
      ["SCAN", "0", "TYPE", "hash"],
      ["SCAN", "0", "TYPE", "nosuchtype"],
    ]);
  });
});
