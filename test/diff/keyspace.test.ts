import { expect, it } from "vitest";
import { type DiffPair, describeDiff } from "../helpers/diff";
import type { Arg } from "../helpers/resp";

/** Parses a RESP reply (latin1 text) into nested arrays of strings, for order-free comparisons. */
type Reply = string | null | Reply[];
function parse(text: string): Reply {
  let pos = 0;
  const line = (): string => {
    const end = text.indexOf("\r\n", pos);
    const s = text.slice(pos, end);
    pos = end + 2;
    return s;
  };
  const one = (): Reply => {
    const head = line();
    const n = Number(head.slice(1));
    switch (head[0]) {
      case "$": {
        if (n < 0) return null;
        const s = text.slice(pos, pos + n);
        pos += n + 2;
        return s;
      }
      case "*":
        return n < 0 ? null : Array.from({ length: n }, one);
      default:
        return head;
    }
  };
  return one();
}

/** Sends to both servers and expects the same array of keys, in any order. */
async function sameSet(p: DiffPair, ...args: Arg[]): Promise<string[]> {
  const [a, b] = await Promise.all([p.redish.call(...args), p.redis.call(...args)]);
  const x = (parse(a) as string[]).slice().sort();
  const y = (parse(b) as string[]).slice().sort();
  expect(x, `reply to ${args.join(" ")}`).toEqual(y);
  return x;
}

/** One SCAN call on both servers that is expected to finish the iteration: same keys, in any order. */
async function sameScanStep(p: DiffPair, ...args: Arg[]): Promise<void> {
  const [a, b] = await Promise.all([p.redish.call(...args), p.redis.call(...args)]);
  const [x, y] = [parse(a), parse(b)] as [string, string[]][];
  expect(x[0], `cursor of ${args.join(" ")}`).toBe("0");
  expect(x[0]).toBe(y[0]);
  expect(x[1].slice().sort(), `keys of ${args.join(" ")}`).toEqual(y[1].slice().sort());
}

/** Runs a full SCAN on both servers and expects the same set of keys. */
async function sameScan(p: DiffPair, ...opts: Arg[]): Promise<string[]> {
  const all = async (call: (...a: Arg[]) => Promise<string>): Promise<string[]> => {
    const seen = new Set<string>();
    let cursor = "0";
    for (let i = 0; i < 10000; i++) {
      const [next, keys] = parse(await call("SCAN", cursor, ...opts)) as [string, string[]];
      for (const k of keys) seen.add(k);
      cursor = next;
      if (cursor === "0") break;
    }
    return [...seen].sort();
  };
  const [x, y] = await Promise.all([all((...a) => p.redish.call(...a)), all((...a) => p.redis.call(...a))]);
  expect(x, `SCAN ${opts.join(" ")}`).toEqual(y);
  return x;
}

describeDiff("keyspace: generic key commands against redis-server", (pair) => {
  it("DEL, UNLINK, EXISTS, TOUCH count existing keys, repeated keys included", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["MSET", "a", "1", "b", "2", "c", "3"],
      ["EXISTS", "a", "a", "nope", "b"],
      ["TOUCH", "a", "nope", "c", "c"],
      ["DEL", "a", "a", "nope"],
      ["UNLINK", "b", "c", "b"],
      ["EXISTS", "a", "b", "c"],
      ["DEL"],
      ["EXISTS"],
      ["TOUCH"],
      ["UNLINK"],
    ]);
  });

  it("TYPE names the value's type, none for a missing key", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "s", "v"],
      ["SET", "n", "12"],
      ["TYPE", "s"],
      ["TYPE", "n"],
      ["TYPE", "x"],
    ]);
    await pair().run([["TYPE"], ["TYPE", "a", "b"]]);
  });

  it("DBSIZE counts the selected database", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["DBSIZE"],
      ["MSET", "a", "1", "b", "2"],
      ["DBSIZE"],
      ["SELECT", "1"],
      ["DBSIZE"],
      ["SET", "c", "3"],
      ["DBSIZE"],
      ["SELECT", "0"],
      ["DBSIZE", "x"],
    ]);
  });

  it("FLUSHDB and FLUSHALL accept ASYNC or SYNC only", async () => {
    await pair().run([
      ["SET", "a", "1"],
      ["FLUSHDB", "async"],
      ["FLUSHDB", "SYNC"],
      ["FLUSHDB", "x"],
      ["FLUSHDB", "sync", "sync"],
      ["FLUSHALL", "Async"],
      ["FLUSHALL", "sync\u0000junk"],
      ["FLUSHALL", "x"],
      ["FLUSHALL", "sync", "async"],
      ["DBSIZE"],
    ]);
  });

  it("RENAME moves the value and its TTL; errors on a missing key", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RENAME", "nope", "x"],
      ["RENAME", "nope", "nope"],
      ["SET", "a", "1"],
      ["RENAME", "a", "a"],
      ["RENAME", "a", "b"],
      ["EXISTS", "a"],
      ["GET", "b"],
      ["SET", "c", "v", "EX", "100"],
      ["RENAME", "c", "b"],
      ["GET", "b"],
      ["TTL", "b"],
      ["SET", "d", "x"],
      ["RENAME", "d", "b"],
      ["TTL", "b"],
      ["OBJECT", "ENCODING", "b"],
      ["RENAME", "b"],
    ]);
  });

  it("RENAMENX refuses an existing destination and keeps the TTL", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["RENAMENX", "nope", "x"],
      ["SET", "a", "1", "EX", "50"],
      ["SET", "b", "2"],
      ["RENAMENX", "a", "a"],
      ["RENAMENX", "a", "b"],
      ["RENAMENX", "a", "c"],
      ["TTL", "c"],
      ["MGET", "a", "b", "c"],
    ]);
  });

  it("MOVE: errors, existing destination, TTL travels", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "k", "v", "EX", "100"],
      ["MOVE", "k", "0"],
      ["MOVE", "k", "abc"],
      ["MOVE", "k", "16"],
      ["MOVE", "k", "-1"],
      ["MOVE", "k", "99999999999"],
      ["MOVE", "k", "1.5"],
      ["MOVE", "nope", "1"],
      ["MOVE", "k", "1"],
      ["EXISTS", "k"],
      ["SELECT", "1"],
      ["GET", "k"],
      ["TTL", "k"],
      ["SET", "j", "here"],
      ["SELECT", "0"],
      ["SET", "j", "there"],
      ["MOVE", "j", "1"],
      ["GET", "j"],
      ["MOVE", "nope", "0"],
    ]);
  });

  it("COPY: options, errors, TTL, REPLACE, DB", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "s", "hello", "EX", "100"],
      ["COPY", "s", "s"],
      ["COPY", "s", "s", "DB", "0"],
      ["COPY", "s", "t", "DB"],
      ["COPY", "s", "t", "DB", "x"],
      ["COPY", "s", "t", "DB", "99"],
      ["COPY", "s", "t", "DB", "99", "FOO"],
      ["COPY", "s", "t", "FOO", "DB", "99"],
      ["COPY", "s", "t", "DB", "4294967296"],
      ["COPY", "s", "t", "REPLACE", "REPLACE"],
      ["COPY", "nope", "t"],
      ["COPY", "s", "t"],
      ["TTL", "t"],
      ["GET", "t"],
      ["SET", "u", "old"],
      ["COPY", "s", "u"],
      ["GET", "u"],
      ["COPY", "s", "u", "replace"],
      ["GET", "u"],
      ["TTL", "u"],
      ["COPY", "s", "s", "DB", "1"],
      ["COPY", "s", "s", "DB", "1"],
      ["SELECT", "1"],
      ["GET", "s"],
      ["TTL", "s"],
      ["SELECT", "0"],
      ["SET", "n", "42"],
      ["COPY", "n", "n2"],
      ["OBJECT", "ENCODING", "n2"],
      ["SET", "raw", "x"],
      ["APPEND", "raw", "y"],
      ["COPY", "raw", "raw2"],
      ["OBJECT", "ENCODING", "raw2"],
      ["GET", "raw2"],
      ["SET", "emb", "abc"],
      ["COPY", "emb", "emb2"],
      ["OBJECT", "ENCODING", "emb2"],
      ["APPEND", "emb2", "d"],
      ["MGET", "emb", "emb2"],
    ]);
  });

  it("SWAPDB: index errors and swapped contents", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "a", "zero"],
      ["SELECT", "1"],
      ["SET", "a", "one", "EX", "100"],
      ["SELECT", "0"],
      ["SWAPDB", "x", "1"],
      ["SWAPDB", "0", "y"],
      ["SWAPDB", "99999999999", "0"],
      ["SWAPDB", "0", "-1"],
      ["SWAPDB", "0", "16"],
      ["SWAPDB", "0", "0"],
      ["SWAPDB", "0", "1"],
      ["GET", "a"],
      ["TTL", "a"],
      ["SELECT", "1"],
      ["GET", "a"],
      ["TTL", "a"],
      ["SELECT", "0"],
    ]);
  });

  it("EXPIRE family: flags, conflicts and unsupported options", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "k", "v"],
      ["EXPIRE", "k", "100", "foo"],
      ["EXPIRE", "k", "100", "nx\u0000tail"],
      ["TTL", "k"],
      ["PERSIST", "k"],
      ["EXPIRE", "k", "100", "nx", "xx"],
      ["EXPIRE", "k", "100", "NX", "GT"],
      ["EXPIRE", "k", "100", "lt", "nx"],
      ["EXPIRE", "k", "100", "gt", "lt"],
      ["EXPIRE", "k", "x", "gt", "lt"],
      ["EXPIRE", "k", "x", "bogus"],
      ["EXPIRE", "k", "100", "XX"],
      ["EXPIRE", "k", "100", "GT"],
      ["TTL", "k"],
      ["EXPIRE", "k", "100", "LT"],
      ["TTL", "k"],
      ["EXPIRE", "k", "100", "NX"],
      ["EXPIRE", "k", "200", "NX"],
      ["TTL", "k"],
      ["EXPIRE", "k", "50", "GT"],
      ["EXPIRE", "k", "200", "GT"],
      ["TTL", "k"],
      ["EXPIRE", "k", "300", "LT"],
      ["EXPIRE", "k", "150", "LT"],
      ["TTL", "k"],
      ["EXPIRE", "k", "140", "XX", "GT"],
      ["EXPIRE", "k", "160", "XX", "GT"],
      ["TTL", "k"],
      ["PEXPIRE", "k", "500000", "xx", "lt"],
      ["PEXPIRE", "k", "100000", "xx", "lt"],
      ["TTL", "k"],
      ["EXPIRE", "nope", "100"],
      ["EXPIRE", "nope", "100", "XX"],
      ["EXPIRE", "k"],
      ["PERSIST", "k"],
      ["PERSIST", "k"],
      ["PERSIST", "nope"],
      ["TTL", "k"],
    ]);
  });

  it("EXPIRE family: integer and overflow errors name the command", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "k", "v"],
      ["EXPIRE", "k", "1.5"],
      ["EXPIRE", "k", ""],
      ["EXPIRE", "k", "9223372036854775808"],
      ["EXPIRE", "k", "9223372036854775"],
      ["EXPIRE", "k", "9223372036854776"],
      ["EXPIRE", "k", "-9223372036854776"],
      ["PEXPIRE", "k", "9223372036854775807"],
      ["PEXPIRE", "k", "9223372036854775000"],
      ["EXPIREAT", "k", "9223372036854776"],
      ["EXPIREAT", "k", "-9223372036854776"],
      ["EXPIREAT", "k", "-9223372036854775808"],
      ["PEXPIREAT", "k", "9223372036854775807"],
      ["PEXPIRETIME", "k"],
      ["EXPIRETIME", "k"],
      ["TTL", "k"],
      ["EXPIREAT", "k", "9223372036854775"],
      ["EXPIRETIME", "k"],
      ["PEXPIRETIME", "k"],
    ]);
  });

  it("EXPIRE with a time in the past deletes the key", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "a", "1"],
      ["EXPIRE", "a", "0"],
      ["EXISTS", "a"],
      ["SET", "a", "1"],
      ["PEXPIRE", "a", "-5"],
      ["EXISTS", "a"],
      ["SET", "a", "1"],
      ["EXPIREAT", "a", "1"],
      ["EXISTS", "a"],
      ["SET", "a", "1"],
      ["PEXPIREAT", "a", "-9223372036854775808"],
      ["EXISTS", "a"],
      ["SET", "a", "1", "EX", "100"],
      ["EXPIRE", "a", "-1", "GT"],
      ["EXPIRE", "a", "-1", "LT"],
      ["EXISTS", "a"],
      ["SET", "a", "1"],
      ["EXPIRE", "a", "-1", "LT"],
      ["EXISTS", "a"],
    ]);
  });

  it("TTL, PTTL, EXPIRETIME, PEXPIRETIME on missing, persistent and volatile keys", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["TTL", "nope"],
      ["PTTL", "nope"],
      ["EXPIRETIME", "nope"],
      ["PEXPIRETIME", "nope"],
      ["SET", "p", "v"],
      ["TTL", "p"],
      ["PTTL", "p"],
      ["EXPIRETIME", "p"],
      ["PEXPIRETIME", "p"],
      ["SET", "v", "x"],
      ["EXPIREAT", "v", "4102444800"],
      ["EXPIRETIME", "v"],
      ["PEXPIRETIME", "v"],
      ["PEXPIREAT", "v", "4102444800123"],
      ["EXPIRETIME", "v"],
      ["PEXPIRETIME", "v"],
      ["PEXPIREAT", "v", "4102444800499"],
      ["EXPIRETIME", "v"],
      ["PEXPIREAT", "v", "4102444800500"],
      ["EXPIRETIME", "v"],
      ["EXPIRE", "v", "1000"],
      ["TTL", "v"],
      ["TTL"],
      ["PTTL", "a", "b"],
    ]);
  });

  it("KEYS matches glob patterns; KEYS * returns every key", async () => {
    const p = pair();
    await p.run([["FLUSHALL"]]);
    const keys = ["hello", "hallo", "hxllo", "hllo", "heeello", "a*b", "a\\b", "[x]", "x", "", "UPPER", "a-b", "é"];
    for (const k of keys) await p.same("SET", k, "1");
    const patterns = [
      "*",
      "h?llo",
      "h*llo",
      "h[ae]llo",
      "h[^e]llo",
      "h[a-b]llo",
      "a\\*b",
      "a\\\\b",
      "\\[x\\]",
      "[[]x]",
      "*[",
      "[",
      "a[",
      "[a-]*",
      "?",
      "",
      "[A-Z]*",
      "[^a-z]*",
      "**",
      "x*",
      "*x",
      "\\",
    ];
    for (const pat of patterns) await sameSet(p, "KEYS", pat);
    await p.run([["KEYS"], ["KEYS", "a", "b"]]);
  });

  it("KEYS: the glob matcher agrees with Redis on quirks and nesting", async () => {
    const p = pair();
    const cases: [string, string][] = [
      ["[a-]", "]"],
      ["[a-]", "^"],
      ["[z-a]", "m"],
      ["[^", "q"],
      ["[]]", "]"],
      ["[\\]]", "]"],
      ["x[a-c-e]", "x-"],
      ["a[b", "ab"],
      ["\\", "\\"],
      ["[\\", "\\"],
      ["[\u0001-\u00ff]", "\u00ff"],
      ["[\u0001-\u00ff]", "\u0000"],
      ["[\u0001-\u00ff]", "a"],
      [`${"*a".repeat(1000)}`, "a".repeat(1000)],
      [`${"*a".repeat(1001)}`, "a".repeat(1001)],
      [`${"*a".repeat(1001)}*`, `${"a".repeat(1001)}b`],
      [`${"a*".repeat(30)}b`, "a".repeat(80)],
    ];
    for (const [pattern, key] of cases) {
      const k = Buffer.from(key, "latin1");
      await p.run([["FLUSHALL"], ["SET", k, "1"]]);
      await sameSet(p, "KEYS", Buffer.from(pattern, "latin1"));
    }
  });

  it("KEYS and SCAN skip logically expired keys", async () => {
    const p = pair();
    await p.run([["FLUSHALL"], ["MSET", "a", "1", "b", "2"], ["SET", "gone", "x", "PX", "1"]]);
    await new Promise((r) => setTimeout(r, 20));
    await sameSet(p, "KEYS", "*");
    await sameScan(p);
  });

  it("SCAN: cursor parsing and option errors", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["SET", "k", "v"],
      ["SCAN", ""],
      ["SCAN", " 0"],
      ["SCAN", "0 "],
      ["SCAN", "+"],
      ["SCAN", "-"],
      ["SCAN", "x"],
      ["SCAN", "0x"],
      ["SCAN", "18446744073709551616"],
      ["SCAN", "-18446744073709551616"],
      ["SCAN", "0", "COUNT", "0"],
      ["SCAN", "0", "COUNT", "-1"],
      ["SCAN", "0", "COUNT", "x"],
      ["SCAN", "0", "COUNT", "x", "FOO"],
      ["SCAN", "0", "FOO", "COUNT", "x"],
      ["SCAN", "0", "COUNT"],
      ["SCAN", "0", "MATCH"],
      ["SCAN", "0", "TYPE"],
      ["SCAN", "x", "COUNT", "0"],
      ["SCAN", "0", "COUNT", "1844674407370955162"],
      ["SCAN", "0", "count", "9223372036854775807"],
      ["SCAN", "0", "match", "k", "type", "string"],
      ["SCAN", "0", "type", "STRING"],
      ["SCAN", "0", "type", "list"],
      ["SCAN", "0", "type", "nope"],
      ["SCAN", "0", "match", "*", "count", "5"],
      ["SCAN", "0", "match", "z*"],
      ["SCAN", "0", "COUNT", "10", "COUNT", "3"],
      ["SCAN"],
    ]);
  });

  it("SCAN on an empty database and with cursors past the table", async () => {
    await pair().run([["FLUSHALL"], ["SCAN", "0"], ["SCAN", "123"], ["SCAN", "-1"], ["SCAN", "18446744073709551615"]]);
  });

  it("SCAN's full iteration returns the same keys with MATCH, COUNT and TYPE", async () => {
    const p = pair();
    await p.run([["FLUSHALL"]]);
    const args: string[] = ["MSET"];
    for (let i = 0; i < 300; i++) args.push(`key:${i}`, String(i));
    await p.same(...args);
    await sameScan(p);
    await sameScan(p, "COUNT", "1");
    await sameScan(p, "COUNT", "1000");
    await sameScan(p, "MATCH", "key:1*");
    await sameScan(p, "MATCH", "key:[2-3]?", "COUNT", "7");
    await sameScan(p, "TYPE", "string");
    await sameScan(p, "TYPE", "hash");
    await sameScan(p, "TYPE", "none");
  });

  it("RANDOMKEY: nil on an empty database, the only key otherwise", async () => {
    await pair().run([["FLUSHALL"], ["RANDOMKEY"], ["SET", "only", "1"], ["RANDOMKEY"], ["RANDOMKEY", "x"]]);
  });

  it("OBJECT: HELP, subcommand and arity errors", async () => {
    await pair().run([
      ["OBJECT", "HELP"],
      ["OBJECT", "help"],
      ["OBJECT"],
      ["OBJECT", "ENCODING"],
      ["OBJECT", "encoding", "a", "b"],
      ["OBJECT", "foo"],
      ["OBJECT", "foo", "bar"],
      ["OBJECT", "HELP", "x"],
      ["OBJECT", "REFCOUNT"],
      ["OBJECT", "IDLETIME"],
      ["OBJECT", "FREQ"],
    ]);
  });

  it("OBJECT ENCODING, REFCOUNT, IDLETIME, FREQ on strings", async () => {
    await pair().run([
      ["FLUSHALL"],
      ["OBJECT", "ENCODING", "nope"],
      ["OBJECT", "REFCOUNT", "nope"],
      ["OBJECT", "IDLETIME", "nope"],
      ["OBJECT", "FREQ", "nope"],
      ["SET", "i", "5"],
      ["SET", "big", "10000"],
      ["SET", "neg", "-1"],
      ["SET", "zero", "0"],
      ["SET", "max", "9999"],
      ["SET", "huge", "12345678901234567890"],
      ["SET", "e", "abc"],
      ["SET", "r", "x".repeat(45)],
      ["SET", "e44", "y".repeat(44)],
      ["OBJECT", "ENCODING", "i"],
      ["OBJECT", "ENCODING", "huge"],
      ["OBJECT", "ENCODING", "e"],
      ["OBJECT", "ENCODING", "r"],
      ["OBJECT", "ENCODING", "e44"],
      ["OBJECT", "REFCOUNT", "i"],
      ["OBJECT", "REFCOUNT", "zero"],
      ["OBJECT", "REFCOUNT", "max"],
      ["OBJECT", "REFCOUNT", "big"],
      ["OBJECT", "REFCOUNT", "neg"],
      ["OBJECT", "REFCOUNT", "e"],
      ["INCR", "big"],
      ["DECR", "max"],
      ["OBJECT", "REFCOUNT", "max"],
      ["APPEND", "e", "d"],
      ["OBJECT", "ENCODING", "e"],
      ["OBJECT", "IDLETIME", "e"],
      ["OBJECT", "FREQ", "e"],
    ]);
  });

  it("collections: TYPE, SCAN TYPE, COPY, RENAME and MOVE of sets", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SADD", "ints", "3", "1", "2"],
      ["SADD", "strs", "a", "b"],
      ["SET", "str", "x"],
      ["TYPE", "ints"],
      ["TYPE", "strs"],
      ["COPY", "ints", "ints2"],
      ["SMEMBERS", "ints2"],
      ["OBJECT", "ENCODING", "ints2"],
      ["SADD", "ints2", "4"],
      ["SCARD", "ints"],
      ["COPY", "strs", "strs2", "DB", "2"],
      ["RENAME", "strs", "strs3"],
      ["OBJECT", "ENCODING", "strs3"],
      ["SCARD", "strs3"],
      ["MOVE", "strs3", "3"],
      ["SELECT", "2"],
      ["SCARD", "strs2"],
      ["SELECT", "3"],
      ["TYPE", "strs3"],
      ["SELECT", "0"],
    ]);
    await sameScan(p, "TYPE", "set");
    await sameScan(p, "TYPE", "SET", "MATCH", "ints*");
    await sameScan(p, "TYPE", "string");
  });

  it("lookups count keyspace hits and misses like Redis", async () => {
    const p = pair();
    const stats = async (call: (...a: Arg[]) => Promise<string>): Promise<string> =>
      (await call("INFO", "stats"))
        .split("\r\n")
        .filter((l) => l.startsWith("keyspace_"))
        .join(",");
    const script: Arg[][] = [
      ["MSET", "a", "1", "b", "2"],
      ["EXISTS", "a", "nope"],
      ["TYPE", "a"],
      ["TYPE", "nope"],
      ["TOUCH", "a", "nope"],
      ["TTL", "a"],
      ["PTTL", "nope"],
      ["OBJECT", "ENCODING", "a"],
      ["OBJECT", "REFCOUNT", "nope"],
      ["EXPIRE", "a", "100"],
      ["PERSIST", "a"],
      ["RENAME", "a", "c"],
      ["RENAMENX", "c", "b"],
      ["COPY", "c", "d"],
      ["COPY", "nope", "e"],
      ["MOVE", "d", "1"],
      ["SCAN", "0", "COUNT", "100", "TYPE", "string"],
      ["SCAN", "0", "COUNT", "100", "TYPE", "nonsense"],
      ["SCAN", "0", "COUNT", "100"],
      ["KEYS", "*"],
      ["DEL", "c", "nope"],
      ["RANDOMKEY"],
    ];
    await p.run([["FLUSHALL"], ["CONFIG", "RESETSTAT"]]);
    for (const cmd of script) {
      if (cmd[0] === "KEYS") await sameSet(p, ...cmd);
      else if (cmd[0] === "SCAN") await sameScanStep(p, ...cmd);
      else await p.same(...cmd);
      const [x, y] = await Promise.all([stats((...a) => p.redish.call(...a)), stats((...a) => p.redis.call(...a))]);
      expect(x, `stats after ${cmd.join(" ")}`).toBe(y);
    }
  });

  it("RESP3: null replies for missing keys", async () => {
    const p = pair();
    // HELLO's reply carries the client id, which differs: switch both without comparing.
    await Promise.all([p.redish.call("HELLO", "3"), p.redis.call("HELLO", "3")]);
    await p.run([
      ["FLUSHALL"],
      ["OBJECT", "ENCODING", "nope"],
      ["RANDOMKEY"],
      ["OBJECT", "HELP"],
      ["SCAN", "0"],
      ["KEYS", "*"],
      ["TYPE", "nope"],
    ]);
    await Promise.all([p.redish.call("HELLO", "2"), p.redis.call("HELLO", "2")]);
  });
});

describeDiff(
  "keyspace: OBJECT under an LFU policy against redis-server",
  (pair) => {
    it("IDLETIME is refused, REFCOUNT still shares integers without maxmemory", async () => {
      await pair().run([
        ["FLUSHALL"],
        ["SET", "i", "5"],
        ["SET", "s", "str"],
        ["OBJECT", "IDLETIME", "s"],
        ["OBJECT", "IDLETIME", "nope"],
        ["OBJECT", "REFCOUNT", "i"],
        ["OBJECT", "FREQ", "nope"],
      ]);
    });

    it("FREQ starts at LFU_INIT_VAL (COPY too) and the first access always counts", async () => {
      await pair().run([
        ["FLUSHALL"],
        ["SET", "s", "str"],
        ["OBJECT", "FREQ", "s"],
        ["OBJECT", "FREQ", "s"],
        ["GET", "s"],
        ["OBJECT", "FREQ", "s"],
        ["COPY", "s", "u"],
        ["OBJECT", "FREQ", "u"],
      ]);
    });
  },
  { redishArgs: [["maxmemory-policy", "allkeys-lfu"]], redisArgs: ["--maxmemory-policy", "allkeys-lfu"] },
);

describeDiff(
  "keyspace: OBJECT REFCOUNT under an LRU policy with maxmemory against redis-server",
  (pair) => {
    it("integers are not shared", async () => {
      await pair().run([["FLUSHALL"], ["SET", "i", "5"], ["OBJECT", "REFCOUNT", "i"], ["OBJECT", "IDLETIME", "i"]]);
    });
  },
  {
    redishArgs: [
      ["maxmemory-policy", "allkeys-lru"],
      ["maxmemory", "100mb"],
    ],
    redisArgs: ["--maxmemory-policy", "allkeys-lru", "--maxmemory", "100mb"],
  },
);
