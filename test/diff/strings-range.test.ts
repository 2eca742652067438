import { it } from "vitest";
import { type DiffPair, describeDiff } from "../helpers/diff";
import type { Arg } from "../helpers/resp";

/** Deterministic PRNG (mulberry32) so every run sends the same commands. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function randomBytes(r: () => number, len: number, alphabet: string): string {
  let s = "";
  for (let i = 0; i < len; i++) s += alphabet[int(r, 0, alphabet.length - 1)];
  return s;
}

/**
 * Makes `key` hold a non-string value on both servers, with whichever
 * collection command Redish has; false when it has none yet.
 */
async function makeNonString(p: DiffPair, key: string): Promise<boolean> {
  const tries: Arg[][] = [
    ["LPUSH", key, "x"],
    ["SADD", key, "x"],
    ["HSET", key, "f", "v"],
    ["ZADD", key, "1", "x"],
  ];
  for (const cmd of tries) {
    const reply = await p.redish.call(...cmd);
    if (!reply.startsWith("-ERR unknown command")) {
      await p.redis.call(...cmd);
      return true;
    }
    await p.redish.call("DEL", key);
  }
  return false;
}

/** Whether Redish implements a command (for checks that need one from another family). */
async function redishHas(p: DiffPair, ...args: Arg[]): Promise<boolean> {
  return !(await p.redish.call(...args)).startsWith("-ERR unknown command");
}

function rangeTests(pair: () => DiffPair): void {
  it("GETRANGE: positive, negative and out-of-range indexes, ints, missing keys", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", "Hello World"],
      ["GETRANGE", "k", "0", "4"],
      ["GETRANGE", "k", "-5", "-1"],
      ["GETRANGE", "k", "0", "-1"],
      ["GETRANGE", "k", "-1", "-5"],
      ["GETRANGE", "k", "-100", "-50"],
      ["GETRANGE", "k", "-100", "2"],
      ["GETRANGE", "k", "5", "3"],
      ["GETRANGE", "k", "10", "100"],
      ["GETRANGE", "k", "11", "100"],
      ["GETRANGE", "k", "0", "0"],
      ["GETRANGE", "k", "-9223372036854775808", "9223372036854775807"],
      ["GETRANGE", "k", "9223372036854775807", "-9223372036854775808"],
      ["GETRANGE", "k", "a", "1"],
      ["GETRANGE", "k", "1", "b"],
      ["GETRANGE", "k", "1.5", "2"],
      ["GETRANGE", "k", "9223372036854775808", "2"],
      ["GETRANGE", "missing", "0", "-1"],
      ["GETRANGE", "missing", "x", "-1"],
      ["SET", "n", "-1234567"],
      ["GETRANGE", "n", "0", "2"],
      ["GETRANGE", "n", "-3", "-1"],
      ["SET", "e", ""],
      ["GETRANGE", "e", "0", "-1"],
      ["GETRANGE", "e", "-1", "0"],
      ["SET", "bin", new Uint8Array([0, 255, 13, 10, 0])],
      ["GETRANGE", "bin", "1", "3"],
      ["GETRANGE", "k"],
      ["GETRANGE", "k", "0", "1", "2"],
    ]);
  });

  it("SETRANGE: overwrite, zero padding, empty values, offsets and limits", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", "Hello World"],
      ["SETRANGE", "k", "6", "Redis"],
      ["GET", "k"],
      ["SETRANGE", "k", "20", "!"],
      ["GET", "k"],
      ["STRLEN", "k"],
      ["SETRANGE", "k", "0", ""],
      ["SETRANGE", "k", "100", ""],
      ["STRLEN", "k"],
      ["SETRANGE", "new", "5", "x"],
      ["GET", "new"],
      ["SETRANGE", "empty", "0", ""],
      ["SETRANGE", "empty", "10", ""],
      ["EXISTS", "empty"],
      ["SETRANGE", "k", "-1", "x"],
      ["SETRANGE", "k", "-1", ""],
      ["SETRANGE", "k", "abc", "x"],
      ["SETRANGE", "k", "1.0", "x"],
      ["SETRANGE", "k", "9223372036854775807", "x"],
      ["SETRANGE", "k", "9223372036854775808", "x"],
      ["SETRANGE", "k", "536870912", "x"],
      ["SETRANGE", "k", "536870911", "xy"],
      ["SETRANGE", "nokey", "536870912", "x"],
      ["SETRANGE", "nokey", "536870912", ""],
      ["EXISTS", "nokey"],
      ["SET", "n", "12345"],
      ["SETRANGE", "n", "1", "0"],
      ["GET", "n"],
      ["INCR", "n"],
      ["SETRANGE", "n", "5", "7"],
      ["GET", "n"],
      ["SETRANGE", "bin", "2", new Uint8Array([0, 1, 255])],
      ["GET", "bin"],
      ["SETRANGE", "k", "1"],
    ]);
  });

  it("SETRANGE and APPEND keep the TTL; SETRANGE of a missing key has none", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", "abc", "EX", "1000"],
      ["SETRANGE", "k", "1", "X"],
      ["GET", "k"],
      ["SETRANGE", "k2", "1", "X"],
    ]);
    if (await redishHas(p, "TTL", "k"))
      await p.run([
        ["TTL", "k"],
        ["TTL", "k2"],
      ]);
  });

  it("LCS: the subsequence, LEN, IDX, MINMATCHLEN, WITHMATCHLEN", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["MSET", "a", "ohmytext", "b", "mynewtext"],
      ["LCS", "a", "b"],
      ["LCS", "b", "a"],
      ["LCS", "a", "b", "LEN"],
      ["LCS", "a", "b", "len", "LEN"],
      ["LCS", "a", "b", "IDX"],
      ["LCS", "a", "b", "IDX", "WITHMATCHLEN"],
      ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4"],
      ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
      ["LCS", "a", "b", "MINMATCHLEN", "4", "IDX", "WITHMATCHLEN"],
      ["LCS", "a", "b", "IDX", "MINMATCHLEN", "-5", "WITHMATCHLEN"],
      ["LCS", "a", "b", "IDX", "MINMATCHLEN", "0"],
      ["LCS", "a", "b", "IDX", "MINMATCHLEN", "100"],
      ["LCS", "a", "b", "WITHMATCHLEN"],
      ["LCS", "a", "b", "MINMATCHLEN", "2"],
      ["LCS", "a", "b", "LEN", "WITHMATCHLEN", "MINMATCHLEN", "3"],
      ["LCS", "a", "a"],
      ["LCS", "a", "a", "IDX", "WITHMATCHLEN"],
      ["LCS", "a", "missing"],
      ["LCS", "missing", "a", "IDX"],
      ["LCS", "missing", "missing2", "LEN"],
      ["SET", "n1", "1234567"],
      ["SET", "n2", "-9912345"],
      ["LCS", "n1", "n2"],
      ["LCS", "n1", "n2", "IDX", "WITHMATCHLEN"],
      ["MSET", "x", "aaaa", "y", "bbbb"],
      ["LCS", "x", "y"],
      ["LCS", "x", "y", "IDX"],
      ["SET", "bin1", new Uint8Array([0, 1, 2, 0, 3])],
      ["SET", "bin2", new Uint8Array([1, 0, 3, 0])],
      ["LCS", "bin1", "bin2"],
      ["LCS", "bin1", "bin2", "IDX", "WITHMATCHLEN"],
    ]);
  });

  it("LCS errors: option syntax, LEN with IDX, bad MINMATCHLEN", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["MSET", "a", "ohmytext", "b", "mynewtext"],
      ["LCS", "a", "b", "LEN", "IDX"],
      ["LCS", "a", "b", "IDX", "LEN", "WITHMATCHLEN"],
      ["LCS", "a", "b", "FOO"],
      ["LCS", "a", "b", "LEN", "FOO"],
      ["LCS", "a", "b", "MINMATCHLEN"],
      ["LCS", "a", "b", "IDX", "MINMATCHLEN"],
      ["LCS", "a", "b", "MINMATCHLEN", "x"],
      ["LCS", "a", "b", "MINMATCHLEN", "x", "FOO"],
      ["LCS", "a", "b", "FOO", "MINMATCHLEN", "x"],
      ["LCS", "a", "b", "MINMATCHLEN", "1.5"],
      ["LCS", "a", "b", "MINMATCHLEN", "9223372036854775808"],
      ["LCS", "a", "b", "MINMATCHLEN", "9223372036854775807", "IDX"],
      ["LCS", "a", "b", "MINMATCHLEN", "x", "LEN", "IDX"],
      ["LCS", "a", "b", new Uint8Array([0x4c, 0x45, 0x4e, 0, 0x78])],
      ["LCS", "a"],
    ]);
  });

  it("LCS on a non-string key", async (ctx) => {
    const p = pair();
    await p.run([["FLUSHALL"], ["SET", "a", "abc"]]);
    if (!(await makeNonString(p, "l"))) return ctx.skip();
    await p.run([
      ["LCS", "a", "l"],
      ["LCS", "l", "a"],
      ["LCS", "l", "missing", "FOO"],
      ["LCS", "a", "l", "LEN", "IDX"],
      ["GETRANGE", "l", "0", "1"],
      ["GETRANGE", "l", "x", "1"],
      ["SETRANGE", "l", "0", "x"],
      ["SETRANGE", "l", "0", ""],
      ["SETRANGE", "l", "-1", "x"],
      ["SETRANGE", "l", "536870912", "x"],
      ["INCRBYFLOAT", "l", "1"],
      ["INCRBYFLOAT", "l", "x"],
    ]);
  });

  it("INCRBYFLOAT: sums, formatting, errors", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["INCRBYFLOAT", "f", "10.50"],
      ["INCRBYFLOAT", "f", "0.1"],
      ["INCRBYFLOAT", "f", "-5.0e3"],
      ["GET", "f"],
      ["SET", "f", "5.0e3"],
      ["INCRBYFLOAT", "f", "2.0e2"],
      ["SET", "f", "3"],
      ["INCRBYFLOAT", "f", "1"],
      ["INCRBYFLOAT", "f", "-4"],
      ["INCRBYFLOAT", "f", "-0"],
      ["INCRBYFLOAT", "f", "1e-20"],
      ["INCRBYFLOAT", "f", "1e308"],
      ["INCRBYFLOAT", "f", "1e400"],
      ["INCRBYFLOAT", "g", "0x10"],
      ["INCRBYFLOAT", "g", "inf"],
      ["INCRBYFLOAT", "g", "-inf"],
      ["INCRBYFLOAT", "g", "nan"],
      ["INCRBYFLOAT", "g", " 1"],
      ["INCRBYFLOAT", "g", "1 "],
      ["INCRBYFLOAT", "g", ""],
      ["INCRBYFLOAT", "g", "abc"],
      ["INCRBYFLOAT", "g", "1e-5000"],
      ["GET", "g"],
      ["SET", "s", "hello"],
      ["INCRBYFLOAT", "s", "1"],
      ["SET", "s", "1.5 "],
      ["INCRBYFLOAT", "s", "1"],
      ["SET", "big", "9223372036854775807"],
      ["INCRBYFLOAT", "big", "1"],
      ["SET", "neg", "-9223372036854775808"],
      ["INCRBYFLOAT", "neg", "-0.5"],
      ["INCRBYFLOAT", "h", "1.7976931348623157e308"],
      ["INCRBYFLOAT", "h", "1.7976931348623157e308"],
      ["INCRBYFLOAT", "f"],
      ["INCRBYFLOAT", "f", "1", "2"],
    ]);
  });

  it("INCRBYFLOAT keeps the TTL", async (ctx) => {
    const p = pair();
    await p.run([["FLUSHALL"], ["SET", "k", "1", "EX", "1000"], ["INCRBYFLOAT", "k", "1.5"]]);
    if (!(await redishHas(p, "TTL", "k"))) return ctx.skip();
    await p.run([["TTL", "k"]]);
  });

  it("encodings: SETRANGE makes a string raw, INCRBYFLOAT stores embstr text", async (ctx) => {
    const p = pair();
    await p.run([["FLUSHALL"], ["SET", "n", "123"], ["SET", "s", "abc"], ["INCRBYFLOAT", "f", "3"]]);
    if (!(await redishHas(p, "OBJECT", "ENCODING", "n"))) return ctx.skip();
    await p.run([
      ["OBJECT", "ENCODING", "f"],
      ["SETRANGE", "n", "0", "9"],
      ["OBJECT", "ENCODING", "n"],
      ["SETRANGE", "s", "0", ""],
      ["OBJECT", "ENCODING", "s"],
      ["SETRANGE", "s", "0", "a"],
      ["OBJECT", "ENCODING", "s"],
      ["SETRANGE", "new", "0", "1"],
      ["OBJECT", "ENCODING", "new"],
      ["INCRBYFLOAT", "f", "12345678901234567890123456789012345678901234567890"],
      ["OBJECT", "ENCODING", "f"],
    ]);
  });
}

function randomTests(pair: () => DiffPair): void {
  it("random GETRANGE / SETRANGE sequences", async () => {
    const p = pair();
    const r = rng(0x5e7a);
    await p.same("FLUSHALL");
    for (let i = 0; i < 400; i++) {
      const key = `k${int(r, 0, 3)}`;
      if (r() < 0.5) {
        await p.same("GETRANGE", key, int(r, -30, 30), int(r, -30, 30));
      } else {
        await p.same("SETRANGE", key, int(r, 0, 25), randomBytes(r, int(r, 0, 6), "ab01\u0000"));
      }
      if (i % 50 === 0) await p.same("GET", key);
    }
  });

  it("random LCS over small alphabets", async () => {
    const p = pair();
    const r = rng(0x1c5);
    await p.same("FLUSHALL");
    const opts: Arg[][] = [[], ["LEN"], ["IDX"], ["IDX", "WITHMATCHLEN"], ["IDX", "MINMATCHLEN", "2"]];
    for (let i = 0; i < 200; i++) {
      await p.same("SET", "a", randomBytes(r, int(r, 0, 30), "abc"));
      await p.same("SET", "b", randomBytes(r, int(r, 0, 30), i % 2 === 0 ? "abc" : "abcd"));
      const o = opts[int(r, 0, opts.length - 1)];
      await p.same("LCS", "a", "b", ...o);
    }
  });

  it("random INCRBYFLOAT additions", async () => {
    const p = pair();
    const r = rng(0xf10a7);
    await p.same("FLUSHALL");
    for (let i = 0; i < 300; i++) {
      const key = `f${int(r, 0, 2)}`;
      const mant = (r() * 2 - 1) * 10 ** int(r, 0, 6);
      const text = r() < 0.3 ? mant.toExponential(int(r, 0, 12)) : mant.toFixed(int(r, 0, 10));
      await p.same("INCRBYFLOAT", key, text);
      if (i % 40 === 0) await p.same("SET", key, String(int(r, -1000, 1000)));
    }
  });
}

describeDiff("strings: GETRANGE, SETRANGE, LCS, INCRBYFLOAT against redis-server", (pair) => {
  rangeTests(pair);
  randomTests(pair);
});

describeDiff("strings: GETRANGE, SETRANGE, LCS, INCRBYFLOAT over RESP3", (pair) => {
  it("switches both connections to RESP3", async () => {
    const p = pair();
    await p.redish.call("HELLO", "3");
    await p.redis.call("HELLO", "3");
  });
  rangeTests(pair);
});

describeDiff(
  "strings: size limits with proto-max-bulk-len 1mb",
  (pair) => {
    it("SETRANGE past the limit, LCS tables past the limit", async () => {
      const p = pair();
      const a600 = "a".repeat(600);
      await p.run([
        ["FLUSHALL"],
        ["SETRANGE", "k", "1048576", "x"],
        ["SETRANGE", "k", "1048575", "x"],
        ["STRLEN", "k"],
        ["SETRANGE", "k", "1048575", "xy"],
        ["SETRANGE", "k", "1048576", ""],
        ["MSET", "x", a600, "y", "b".repeat(600), "small", "abc"],
        ["LCS", "x", "y"],
        ["LCS", "x", "y", "LEN"],
        ["LCS", "x", "missing"],
        ["LCS", "x", "small", "IDX"],
        ["LCS", "x", "y", "LEN", "IDX"],
        ["LCS", "x", "y", "FOO"],
      ]);
    });
  },
  { redishArgs: [["proto-max-bulk-len", "1mb"]], redisArgs: ["--proto-max-bulk-len", "1mb"] },
);
