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

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[int(r, 0, items.length - 1)];
}

function randomBytes(r: () => number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  // Mostly edge bytes, so runs of zeros and ones are common.
  for (let i = 0; i < len; i++) out[i] = pick(r, [0, 0xff, 0x80, 0x01, int(r, 0, 255)]);
  return out;
}

/**
 * Makes `key` hold a non-string value on both servers, with whichever
 * collection command Redish has; false when it has none yet.
 */
async function makeNonString(p: DiffPair, key: string): Promise<boolean> {
  const tries: Arg[][] = [
    ["SADD", key, "x"],
    ["LPUSH", key, "x"],
    ["HSET", key, "f", "v"],
    ["ZADD", key, "1", "x"],
  ];
  for (const cmd of tries) {
    const reply = await p.redish.call(...cmd);
    if (!reply.startsWith("-ERR unknown command")) {
      await p.redis.call(...cmd);
      return true;
    }
  }
  return false;
}

async function redishHas(p: DiffPair, ...args: Arg[]): Promise<boolean> {
  return !(await p.redish.call(...args)).startsWith("-ERR unknown command");
}

function setGetBitTests(pair: () => DiffPair): void {
  it("SETBIT / GETBIT: growth, old values, int-encoded strings, errors", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SETBIT", "k", "7", "1"],
      ["GET", "k"],
      ["SETBIT", "k", "7", "1"],
      ["SETBIT", "k", "7", "0"],
      ["SETBIT", "k", "100", "1"],
      ["STRLEN", "k"],
      ["GETBIT", "k", "100"],
      ["GETBIT", "k", "99"],
      ["GETBIT", "k", "1000"],
      ["GETBIT", "missing", "0"],
      ["SETBIT", "z", "0", "0"],
      ["GET", "z"],
      ["SET", "n", "1"],
      ["GETBIT", "n", "2"],
      ["GETBIT", "n", "3"],
      ["GETBIT", "n", "7"],
      ["GETBIT", "n", "8"],
      ["SETBIT", "n", "6", "1"],
      ["GET", "n"],
      ["SETBIT", "k", "-1", "1"],
      ["SETBIT", "k", "x", "1"],
      ["SETBIT", "k", "1.5", "1"],
      ["SETBIT", "k", "0", "2"],
      ["SETBIT", "k", "0", "-1"],
      ["SETBIT", "k", "0", "x"],
      ["SETBIT", "k", "0", ""],
      ["SETBIT", "k", "x", "2"],
      ["SETBIT", "k", "4294967296", "1"],
      ["SETBIT", "k", "9223372036854775807", "1"],
      ["SETBIT", "k", "9223372036854775808", "1"],
      ["GETBIT", "k", "-1"],
      ["GETBIT", "k", "4294967296"],
      ["GETBIT", "k", "4294967295"],
      ["GETBIT", "missing", "x"],
      ["SETBIT", "k", "0"],
      ["GETBIT", "k"],
    ]);
  });

  it("SETBIT / GETBIT on a non-string key", async (ctx) => {
    const p = pair();
    await p.same("FLUSHALL");
    if (!(await makeNonString(p, "s"))) return ctx.skip();
    await p.run([
      ["SETBIT", "s", "0", "1"],
      ["SETBIT", "s", "-1", "1"],
      ["SETBIT", "s", "0", "5"],
      ["GETBIT", "s", "0"],
      ["GETBIT", "s", "-1"],
      ["BITCOUNT", "s"],
      ["BITCOUNT", "s", "0"],
      ["BITCOUNT", "s", "x", "y", "z"],
      ["BITPOS", "s", "1"],
      ["BITPOS", "s", "2"],
      ["BITPOS", "s", "1", "x"],
      ["SET", "a", "abc"],
      ["BITOP", "AND", "dest", "a", "s"],
      ["BITOP", "AND", "dest", "missing", "s"],
      ["BITOP", "NOT", "dest", "s"],
      ["EXISTS", "dest"],
      ["BITOP", "OR", "s", "a"],
      ["GET", "s"],
      ["BITFIELD", "s", "GET", "u8", "0"],
      ["BITFIELD", "s"],
      ["BITFIELD", "a", "SET", "u8", "0", "1"],
      ["BITFIELD", "l"],
      ["SADD", "l", "x"],
      ["BITFIELD", "l", "SET", "u8", "0", "1"],
      ["BITFIELD", "l", "GET", "x8", "0"],
      ["BITFIELD_RO", "l", "GET", "u8", "0"],
      ["BITFIELD_RO", "l", "SET", "u8", "0", "1"],
    ]);
  });

  it("encodings: SETBIT makes strings raw even without a change, BITOP results are raw", async (ctx) => {
    const p = pair();
    await p.run([["FLUSHALL"], ["SET", "n", "123"], ["SET", "e", "abc"], ["SET", "i", "7"]]);
    if (!(await redishHas(p, "OBJECT", "ENCODING", "n"))) return ctx.skip();
    await p.run([
      ["SETBIT", "n", "0", "0"],
      ["OBJECT", "ENCODING", "n"],
      ["GET", "n"],
      ["SETBIT", "e", "1", "1"],
      ["OBJECT", "ENCODING", "e"],
      ["BITOP", "OR", "d", "i"],
      ["OBJECT", "ENCODING", "d"],
      ["GET", "d"],
      ["BITFIELD", "i", "GET", "u8", "0"],
      ["OBJECT", "ENCODING", "i"],
      ["BITFIELD", "i", "SET", "u8", "0", "55"],
      ["OBJECT", "ENCODING", "i"],
      ["SETBIT", "new", "3", "1"],
      ["OBJECT", "ENCODING", "new"],
      ["SET", "t", "1"],
      ["APPEND", "t", "2"],
      ["OBJECT", "ENCODING", "t"],
    ]);
  });

  it("SETBIT keeps the TTL; BITOP's destination loses it", async (ctx) => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", "a", "EX", "1000"],
      ["SET", "d", "a", "EX", "1000"],
      ["SETBIT", "k", "9", "1"],
      ["BITOP", "OR", "d", "k"],
    ]);
    if (!(await redishHas(p, "TTL", "k"))) return ctx.skip();
    await p.run([
      ["TTL", "k"],
      ["TTL", "d"],
    ]);
  });
}

function bitcountTests(pair: () => DiffPair): void {
  it("BITCOUNT: whole strings, BYTE and BIT ranges, negative indexes", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", "foobar"],
      ["BITCOUNT", "k"],
      ["BITCOUNT", "k", "0", "0"],
      ["BITCOUNT", "k", "1", "1"],
      ["BITCOUNT", "k", "1", "1", "BYTE"],
      ["BITCOUNT", "k", "5", "30", "BIT"],
      ["BITCOUNT", "k", "5", "30", "bit"],
      ["BITCOUNT", "k", "0", "-1", "BIT"],
      ["BITCOUNT", "k", "-10", "-1", "BIT"],
      ["BITCOUNT", "k", "-1", "-10", "BIT"],
      ["BITCOUNT", "k", "-1", "-10", "FOO"],
      ["BITCOUNT", "k", "3", "3", "BIT"],
      ["BITCOUNT", "k", "9", "14", "BIT"],
      ["BITCOUNT", "k", "100", "200", "BIT"],
      ["BITCOUNT", "k", "-100", "-1"],
      ["BITCOUNT", "k", "2", "1"],
      ["BITCOUNT", "k", "-9223372036854775808", "9223372036854775807", "BIT"],
      ["BITCOUNT", "k", "0"],
      ["BITCOUNT", "k", "0", "1", "FOO"],
      ["BITCOUNT", "k", "0", "1", "BIT", "x"],
      ["BITCOUNT", "k", "a", "1"],
      ["BITCOUNT", "k", "0", "b"],
      ["BITCOUNT", "k", "a", "1", "FOO"],
      ["BITCOUNT", "k", "0", "1", new Uint8Array([0x62, 0x69, 0x74, 0, 0x7a])],
      ["BITCOUNT", "missing"],
      ["BITCOUNT", "missing", "0"],
      ["BITCOUNT", "missing", "a", "b", "c"],
      ["SET", "n", "-123"],
      ["BITCOUNT", "n"],
      ["BITCOUNT", "n", "1", "2"],
      ["BITCOUNT", "n", "1", "20", "BIT"],
      ["SET", "e", ""],
      ["BITCOUNT", "e"],
      ["BITCOUNT", "e", "0", "-1", "BIT"],
    ]);
  });

  it("BITPOS: first set or clear bit, ranges, BIT units, explicit ends", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "k", new Uint8Array([0xff, 0xf0, 0x00])],
      ["BITPOS", "k", "0"],
      ["BITPOS", "k", "1"],
      ["BITPOS", "k", "1", "2"],
      ["BITPOS", "k", "0", "0", "0"],
      ["BITPOS", "k", "0", "0"],
      ["BITPOS", "k", "1", "2", "-1", "BYTE"],
      ["BITPOS", "k", "1", "7", "15", "BIT"],
      ["BITPOS", "k", "0", "7", "15", "BIT"],
      ["BITPOS", "k", "0", "0", "3", "bit"],
      ["BITPOS", "k", "1", "12", "23", "BIT"],
      ["BITPOS", "k", "0", "12", "-1", "BIT"],
      ["BITPOS", "k", "1", "-5", "-1", "BIT"],
      ["BITPOS", "k", "1", "5", "2", "BIT"],
      ["BITPOS", "k", "1", "100"],
      ["BITPOS", "k", "0", "100"],
      ["SET", "ones", new Uint8Array([0xff, 0xff, 0xff])],
      ["BITPOS", "ones", "0"],
      ["BITPOS", "ones", "0", "0"],
      ["BITPOS", "ones", "0", "0", "-1"],
      ["BITPOS", "ones", "0", "1", "10", "BIT"],
      ["BITPOS", "ones", "0", "0", "23", "BIT"],
      ["SET", "zeros", new Uint8Array(20)],
      ["BITPOS", "zeros", "1"],
      ["BITPOS", "zeros", "0", "3"],
      ["BITPOS", "zeros", "1", "3", "-1", "BIT"],
      ["BITPOS", "missing", "0"],
      ["BITPOS", "missing", "1"],
      ["BITPOS", "missing", "1", "x", "y", "z"],
      ["BITPOS", "k", "2"],
      ["BITPOS", "k", "-1"],
      ["BITPOS", "k", "x"],
      ["BITPOS", "missing", "x"],
      ["BITPOS", "k", "1", "x"],
      ["BITPOS", "k", "1", "0", "x"],
      ["BITPOS", "k", "1", "0", "x", "BIT"],
      ["BITPOS", "k", "1", "0", "1", "FOO"],
      ["BITPOS", "k", "1", "x", "1", "FOO"],
      ["BITPOS", "k", "1", "0", "x", "FOO"],
      ["BITPOS", "k", "1", "0", "1", "BIT", "x"],
      ["SET", "n", "12"],
      ["BITPOS", "n", "1"],
      ["BITPOS", "n", "0", "1"],
      ["SET", "e", ""],
      ["BITPOS", "e", "0"],
      ["BITPOS", "e", "1"],
      ["BITPOS", "e", "0", "0", "-1", "BIT"],
    ]);
  });
}

function longStringTests(pair: () => DiffPair): void {
  it("long strings: word-at-a-time counting and searching, unaligned starts", async () => {
    const p = pair();
    const zeros = new Uint8Array(1000);
    zeros[997] = 0x10;
    const ones = new Uint8Array(1000).fill(0xff);
    ones[613] = 0xfe;
    await p.run([
      ["FLUSHALL"],
      ["SET", "z", zeros],
      ["SET", "o", ones],
      ["BITPOS", "z", "1"],
      ["BITPOS", "z", "1", "3"],
      ["BITPOS", "z", "1", "0", "996"],
      ["BITPOS", "z", "1", "13", "7990", "BIT"],
      ["BITPOS", "o", "0"],
      ["BITPOS", "o", "0", "614"],
      ["BITPOS", "o", "0", "614", "-1"],
      ["BITPOS", "o", "0", "5", "4911", "BIT"],
      ["BITCOUNT", "o"],
      ["BITCOUNT", "o", "3", "-3"],
      ["BITCOUNT", "o", "13", "7000", "BIT"],
      ["BITCOUNT", "z", "1", "998"],
      ["BITOP", "XOR", "x", "z", "o"],
      ["BITCOUNT", "x"],
      ["BITOP", "AND", "x", "o", "z"],
      ["BITCOUNT", "x"],
      ["BITOP", "NOT", "x", "o"],
      ["BITPOS", "x", "1"],
    ]);
  });
}

function bitopTests(pair: () => DiffPair): void {
  it("BITOP AND / OR / XOR / NOT over unequal lengths and missing keys", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SET", "a", "foobar"],
      ["SET", "b", "abcdef-long-tail-0123456789abcdef0123456789"],
      ["SET", "c", new Uint8Array([0xff, 0x0f])],
      ["BITOP", "AND", "d", "a", "b"],
      ["GET", "d"],
      ["BITOP", "OR", "d", "a", "b", "c"],
      ["GET", "d"],
      ["BITOP", "XOR", "d", "a", "b", "c", "a"],
      ["GET", "d"],
      ["BITOP", "NOT", "d", "b"],
      ["GET", "d"],
      ["BITOP", "and", "d", "a", "missing"],
      ["GET", "d"],
      ["BITOP", "or", "d", "missing", "c"],
      ["GET", "d"],
      ["BITOP", "AND", "d", "a"],
      ["GET", "d"],
      ["BITOP", "XOR", "a", "a", "c"],
      ["GET", "a"],
      ["BITOP", "OR", "d", "missing", "missing2"],
      ["EXISTS", "d"],
      ["BITOP", "OR", "d", "missing"],
      ["SET", "e", ""],
      ["BITOP", "OR", "d", "e"],
      ["EXISTS", "d"],
      ["BITOP", "NOT", "d", "missing"],
      ["SET", "n", "1234"],
      ["BITOP", "NOT", "d", "n"],
      ["GET", "d"],
      ["BITOP", "AND", "d", "n", "b"],
      ["GET", "d"],
      ["BITOP", "NOT", "d", "a", "b"],
      ["BITOP", "NOT", "d"],
      ["BITOP", "NAND", "d", "a"],
      ["BITOP", "", "d", "a"],
      ["BITOP", new Uint8Array([0x6f, 0x72, 0, 0x78]), "d", "a"],
      ["BITOP", "AND", "d"],
    ]);
  });
}

function bitfieldTests(pair: () => DiffPair): void {
  it("BITFIELD GET / SET / INCRBY with signed and unsigned widths", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["BITFIELD", "k", "SET", "i8", "0", "-100", "GET", "i8", "0", "GET", "u8", "0"],
      ["BITFIELD", "k", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "1"],
      ["BITFIELD", "k", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "1"],
      ["BITFIELD", "k", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "u2", "102", "1"],
      ["BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "102", "1", "GET", "u2", "102"],
      ["BITFIELD", "k", "SET", "i64", "0", "-9223372036854775808", "GET", "i64", "0", "GET", "u63", "1"],
      ["BITFIELD", "k", "SET", "i64", "0", "9223372036854775807", "INCRBY", "i64", "0", "1"],
      ["BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "-1", "INCRBY", "i64", "0", "9223372036854775807"],
      ["BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "1", "INCRBY", "i64", "0", "-1"],
      ["BITFIELD", "k", "SET", "u63", "3", "9223372036854775807", "GET", "u63", "3"],
      ["BITFIELD", "k", "SET", "i1", "0", "1", "GET", "i1", "0", "SET", "u1", "0", "3"],
      ["BITFIELD", "k", "SET", "u8", "#2", "200", "GET", "u8", "16", "GET", "u4", "#5"],
      ["BITFIELD", "k", "GET", "i5", "3", "GET", "u13", "5", "GET", "i31", "17", "GET", "u31", "1000"],
      ["BITFIELD", "k", "SET", "u8", "0", "-1", "OVERFLOW", "SAT", "SET", "u8", "8", "-1", "SET", "i8", "16", "200"],
      ["BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "0", "256", "SET", "i8", "0", "-129", "SET", "i8", "0", "127"],
      [
        "BITFIELD",
        "k",
        "OVERFLOW",
        "WRAP",
        "SET",
        "i8",
        "0",
        "200",
        "INCRBY",
        "i8",
        "0",
        "100",
        "INCRBY",
        "u8",
        "0",
        "-300",
      ],
      ["GET", "k"],
      ["BITFIELD", "k"],
      ["BITFIELD", "missing", "GET", "u8", "0", "GET", "i64", "100"],
      ["EXISTS", "missing"],
      ["BITFIELD", "k2", "SET", "u8", "1000", "1"],
      ["STRLEN", "k2"],
      ["BITFIELD", "k2", "OVERFLOW", "FAIL", "SET", "u8", "2000", "256"],
      ["STRLEN", "k2"],
      ["SET", "n", "123"],
      ["BITFIELD", "n", "GET", "u8", "0", "GET", "u24", "0", "GET", "i8", "20"],
      ["BITFIELD_RO", "n", "GET", "u8", "8"],
      ["BITFIELD_RO", "k", "GET", "i64", "0", "get", "u3", "#7"],
      ["BITFIELD_RO", "missing", "GET", "u8", "0"],
      ["BITFIELD_RO", "k"],
    ]);
  });

  it("BITFIELD errors: types, offsets, subcommands, OVERFLOW, BITFIELD_RO writes", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["SETBIT", "k", "70", "1"],
      ["BITFIELD", "k", "GET", "i64", "#288230376151711745"],
      ["BITFIELD", "k", "GET", "i64", "#1"],
      ["BITFIELD", "k", "GET", "u8", "#"],
      ["BITFIELD", "k", "GET", "u8", "#-1"],
      ["BITFIELD", "k", "GET", "u8", "-1"],
      ["BITFIELD", "k", "GET", "u8", "4294967295"],
      ["BITFIELD", "k", "GET", "u8", "4294967296"],
      ["BITFIELD", "k", "GET", "u8", "#536870911"],
      ["BITFIELD", "k", "GET", "u8", "#536870912"],
      ["BITFIELD", "k", "GET", "u8", "x"],
      ["BITFIELD", "k", "GET", "u8", "##1"],
      ["BITFIELD", "k", "GET", "u64", "0"],
      ["BITFIELD", "k", "GET", "i65", "0"],
      ["BITFIELD", "k", "GET", "i0", "0"],
      ["BITFIELD", "k", "GET", "u0", "0"],
      ["BITFIELD", "k", "GET", "I8", "0"],
      ["BITFIELD", "k", "GET", "i08", "0"],
      ["BITFIELD", "k", "GET", "i-8", "0"],
      ["BITFIELD", "k", "GET", "x", "0"],
      ["BITFIELD", "k", "GET", "i", "0"],
      ["BITFIELD", "k", "GET", "", "0"],
      ["BITFIELD", "k", "GET", new Uint8Array([0x69, 0x38, 0, 0x7a]), "0"],
      ["BITFIELD", "k", "GET", new Uint8Array([0, 0x38]), "0"],
      ["BITFIELD", "k", "GET", "i8", "0", "foo"],
      ["BITFIELD", "k", "GET"],
      ["BITFIELD", "k", "GET", "i8"],
      ["BITFIELD", "k", "SET", "i8", "0"],
      ["BITFIELD", "k", "INCRBY", "i8", "0"],
      ["BITFIELD", "k", "OVERFLOW"],
      ["BITFIELD", "k", "OVERFLOW", "foo", "GET", "i8", "0"],
      ["BITFIELD", "k", "OVERFLOW", "sat"],
      ["BITFIELD", "k", "overflow", "Wrap", "get", "i8", "0"],
      ["BITFIELD", "k", "SET", "i8", "0", "x"],
      ["BITFIELD", "k", "SET", "i8", "0", "9223372036854775808"],
      ["BITFIELD", "k", "SET", "x8", "0", "x"],
      ["BITFIELD", "k", "SET", "i8", "x", "x"],
      ["BITFIELD", "k", "GET", "i8", "0", "SET", "x8", "0", "1"],
      ["BITFIELD", "k", "GET", "i8", "0", "FOO", "x8", "0", "1"],
      ["BITFIELD", "k", "SET", "u8", "4294967288", "1", "SET", "u8", "x", "1"],
      ["BITFIELD_RO", "k", "GET", "i8", "0", "SET", "i8", "0", "1"],
      ["BITFIELD_RO", "k", "INCRBY", "i8", "0", "1"],
      ["BITFIELD_RO", "k", "OVERFLOW", "FAIL", "GET", "i8", "0"],
      ["BITFIELD_RO", "k", "GET", "i8", "0", "INCRBY", "x", "0", "1"],
      ["BITFIELD_RO", "k", "GET", "u64", "0"],
      ["BITFIELD_RO", "k", "FOO"],
      ["BITFIELD"],
    ]);
  });
}

function randomTests(pair: () => DiffPair): void {
  it("random SETBIT / GETBIT / BITCOUNT / BITPOS", async () => {
    const p = pair();
    const r = rng(0xb175);
    await p.same("FLUSHALL");
    const units: Arg[][] = [[], ["BYTE"], ["BIT"], ["bit"]];
    for (let i = 0; i < 600; i++) {
      const key = `k${int(r, 0, 2)}`;
      const what = int(r, 0, 9);
      if (what < 3) await p.same("SETBIT", key, int(r, 0, 200), int(r, 0, 1));
      else if (what < 4) await p.same("SET", key, randomBytes(r, int(r, 0, 24)));
      else if (what < 5) await p.same("GETBIT", key, int(r, 0, 220));
      else if (what < 7) await p.same("BITCOUNT", key, int(r, -60, 60), int(r, -60, 60), ...pick(r, units));
      else if (what < 8) await p.same("BITPOS", key, int(r, 0, 1));
      else if (what < 9) await p.same("BITPOS", key, int(r, 0, 1), int(r, -40, 40));
      else await p.same("BITPOS", key, int(r, 0, 1), int(r, -200, 200), int(r, -200, 200), ...pick(r, units));
    }
  });

  it("random BITOP over random strings", async () => {
    const p = pair();
    const r = rng(0xb170);
    await p.same("FLUSHALL");
    for (let i = 0; i < 200; i++) {
      for (let k = 0; k < 4; k++) {
        if (r() < 0.2) await p.same("DEL", `s${k}`);
        else await p.same("SET", `s${k}`, randomBytes(r, int(r, 0, 70)));
      }
      const op = pick(r, ["AND", "OR", "XOR", "NOT"]);
      const n = op === "NOT" ? 1 : int(r, 1, 5);
      const srcs: string[] = [];
      for (let k = 0; k < n; k++) srcs.push(`s${int(r, 0, 4)}`);
      const dest = pick(r, ["d", "s0"]);
      await p.same("BITOP", op, dest, ...srcs);
      await p.same("GET", dest);
    }
  });

  it("random BITFIELD programs", async () => {
    const p = pair();
    const r = rng(0xb1f1);
    await p.same("FLUSHALL");
    const values = ["0", "1", "-1", "127", "-128", "255", "256", "9223372036854775807", "-9223372036854775808"];
    for (let i = 0; i < 400; i++) {
      const args: Arg[] = [pick(r, ["BITFIELD", "BITFIELD", "BITFIELD_RO"]), `b${int(r, 0, 1)}`];
      for (let k = int(r, 0, 4); k > 0; k--) {
        const signed = r() < 0.5;
        const type = `${signed ? "i" : "u"}${int(r, 1, signed ? 64 : 63)}`;
        const offset = r() < 0.2 ? `#${int(r, 0, 5)}` : String(int(r, 0, 100));
        const value = r() < 0.5 ? pick(r, values) : String(int(r, -1000, 1000));
        const sub = int(r, 0, 3);
        if (sub === 0) args.push("GET", type, offset);
        else if (sub === 1) args.push("SET", type, offset, value);
        else if (sub === 2) args.push("INCRBY", type, offset, value);
        else args.push("OVERFLOW", pick(r, ["WRAP", "SAT", "FAIL"]));
      }
      await p.same(...args);
      if (i % 25 === 0) await p.same("GET", `b${int(r, 0, 1)}`);
    }
  });
}

describeDiff("bitops: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD against redis-server", (pair) => {
  setGetBitTests(pair);
  bitcountTests(pair);
  longStringTests(pair);
  bitopTests(pair);
  bitfieldTests(pair);
  randomTests(pair);
});

describeDiff("bitops over RESP3", (pair) => {
  it("switches both connections to RESP3", async () => {
    const p = pair();
    await p.redish.call("HELLO", "3");
    await p.redis.call("HELLO", "3");
  });
  setGetBitTests(pair);
  bitcountTests(pair);
  bitfieldTests(pair);
});

describeDiff(
  "bitops: offsets with proto-max-bulk-len 1mb",
  (pair) => {
    it("bit offsets reaching proto-max-bulk-len bytes are refused", async () => {
      const p = pair();
      await p.run([
        ["FLUSHALL"],
        ["SETBIT", "k", String(1048576 * 8), "1"],
        ["SETBIT", "k", String(1048576 * 8 - 1), "1"],
        ["STRLEN", "k"],
        ["GETBIT", "k", String(1048576 * 8)],
        ["BITFIELD", "k", "GET", "u8", String(1048576 * 8)],
        ["BITFIELD", "k", "GET", "u8", "#131072"],
        ["BITFIELD", "k", "GET", "u8", "#131071"],
        ["BITFIELD", "k2", "SET", "u8", String(1048576 * 8 - 1), "255"],
        ["STRLEN", "k2"],
        ["BITCOUNT", "k2"],
      ]);
    });
  },
  { redishArgs: [["proto-max-bulk-len", "1mb"]], redisArgs: ["--proto-max-bulk-len", "1mb"] },
);
