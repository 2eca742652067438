// Datasets for persistence tests: a client that decodes replies, a fixture
// covering every encoding Redish stores, and a full walk (SCAN, TYPE,
// OBJECT ENCODING, PEXPIRETIME, the value) to compare two servers' datasets.

import { decodeReply, type Reply } from "../../src/resp/decode";
import { type Arg, RawClient } from "../helpers/resp";

/** A connection whose replies come back decoded (bulk strings as latin1 text, errors as values). */
export class Conn {
  private constructor(readonly raw: RawClient) {}

  static async open(port: number): Promise<Conn> {
    return new Conn(await RawClient.connect(port));
  }

  /** Strings are sent one byte per char (latin1), so keys read back from replies round-trip. */
  async cmd(...args: Arg[]): Promise<Reply> {
    this.raw.writeRaw(encode(args));
    const bytes = await this.raw.readReply(30000);
    try {
      return latin1(decodeReply(bytes, { buffers: true }));
    } catch (err) {
      return `ERROR ${(err as Error).message}`;
    }
  }

  /** Sends without waiting for replies, then reads them all (pipelining for bulk loads). */
  async pipeline(cmds: Arg[][]): Promise<void> {
    for (const c of cmds) this.raw.writeRaw(encode(c));
    for (let i = 0; i < cmds.length; i++) await this.raw.readReply(30000);
  }

  close(): void {
    this.raw.close();
  }
}

function encode(args: Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b =
      typeof a === "string"
        ? Buffer.from(a, "latin1")
        : typeof a === "number"
          ? Buffer.from(String(a))
          : Buffer.from(a);
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

function latin1(r: Reply): Reply {
  if (r instanceof Uint8Array) return Buffer.from(r).toString("latin1");
  if (Array.isArray(r)) return r.map(latin1);
  return r;
}

/** Deterministic bytes (xorshift), so a failure can be reproduced. */
export function pseudoRandomBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Keys of every string encoding, with and without TTLs, in several databases; sets, hashes and zsets of each encoding. */
export function fixtureCommands(): Arg[][] {
  const far = Date.now() + 86_400_000;
  const cmds: Arg[][] = [
    ["SELECT", "0"],
    ["SET", "int8", "12"],
    ["SET", "int8neg", "-128"],
    ["SET", "int16", "-1000"],
    ["SET", "int32", "100000"],
    ["SET", "int32max", "2147483647"],
    ["SET", "int64", "12345678901"],
    ["SET", "intmin", "-9223372036854775808"],
    ["SET", "notint-zero", "0123"],
    ["SET", "notint-plus", "+5"],
    ["SET", "notint-negzero", "-0"],
    ["SET", "empty", ""],
    ["SET", "short", "hello"],
    ["SET", "embstr44", "e".repeat(44)],
    ["SET", "raw45", "r".repeat(45)],
    ["SET", "lzf21", "a".repeat(21)],
    ["SET", "lzf100", "abc".repeat(40)],
    ["SET", "random100", pseudoRandomBytes(100, 7)],
    ["SET", Buffer.from([0, 255, 10, 13, 0x80]), "binary key"],
    ["SET", "big-compressible", "0123456789".repeat(100_000)],
    ["SET", "big-random", pseudoRandomBytes(200_000, 11)],
    ["SET", "12", "an int-looking key"],
    ["SET", "ttl-far", "v", "PXAT", String(far)],
    ["SET", "ttl-ms", "v", "PXAT", String(far + 123)],
    ["APPEND", "appended", "x".repeat(30)],
    ["APPEND", "appended", "y".repeat(30)],
    ["INCRBY", "counter", "41"],
    ["SADD", "set-intset", "1", "2", "3", "-40000", "70000"],
    ["SADD", "set-intset64", "1", "9223372036854775807"],
    ["SADD", "set-dict", "a", "b", "c", "1"],
    ["SADD", "set-big", ...Array.from({ length: 600 }, (_, i) => String(i * 3))],
    ["HSET", "hash-lp", "f1", "v1", "f2", "2", "3", "x"],
    ["HSET", "hash-longvalue", "f", "v".repeat(100)],
    ["HSET", "hash-many", ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`]).flat()],
    ["PEXPIREAT", "hash-lp", String(far)],
    ["ZADD", "zset-lp", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "0", "12", "-inf", "e"],
    ["ZADD", "zset-sl", ...Array.from({ length: 200 }, (_, i) => [String(i * 1.5 - 40), `m${i}`]).flat()],
    ["ZADD", "zset-long-member", "1", "x".repeat(100)],
    ["SELECT", "3"],
    ["SET", "in-db3", "three"],
    ["SADD", "set-db3", "x"],
    ["SELECT", "15"],
    ["SET", "in-db15", "fifteen"],
    ["SELECT", "0"],
  ];
  return cmds;
}

export interface KeyState {
  type: string;
  encoding: string;
  expireAt: string;
  value: string;
}

/** Reads a list through LRANGE, or, on a server without list commands, through a reference server's RESTORE. */
export type ListReader = (conn: Conn, key: string) => Promise<string[]>;

export async function lrangeReader(conn: Conn, key: string): Promise<string[]> {
  return (await conn.cmd("LRANGE", key, "0", "-1")) as string[];
}

/** A reader that decodes lists with a reference redis-server: DUMP here, RESTORE there, LRANGE there. */
export function viaReference(ref: Conn): ListReader {
  return async (conn, key) => {
    const r = await conn.cmd("LRANGE", key, "0", "-1");
    if (Array.isArray(r)) return r as string[];
    const payload = (await conn.cmd("DUMP", key)) as string;
    await ref.cmd("RESTORE", "__decode__", "0", Buffer.from(payload, "latin1"), "REPLACE");
    return (await ref.cmd("LRANGE", "__decode__", "0", "-1")) as string[];
  };
}

/** Every key of every database with its type, encoding, absolute expire time and value. */
export async function walk(conn: Conn, readList: ListReader = lrangeReader, dbs = 16): Promise<Map<string, KeyState>> {
  const out = new Map<string, KeyState>();
  for (let db = 0; db < dbs; db++) {
    await conn.cmd("SELECT", String(db));
    for (const key of await scanAll(conn)) out.set(`${db}:${key}`, await keyState(conn, key, readList));
  }
  await conn.cmd("SELECT", "0");
  return out;
}

async function scanAll(conn: Conn): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = (await conn.cmd("SCAN", cursor, "COUNT", "1000")) as [string, string[]];
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys.sort();
}

async function keyState(conn: Conn, key: string, readList: ListReader): Promise<KeyState> {
  const type = (await conn.cmd("TYPE", key)) as string;
  const encoding = (await conn.cmd("OBJECT", "ENCODING", key)) as string;
  const expireAt = String(await conn.cmd("PEXPIRETIME", key));
  return { type, encoding, expireAt, value: JSON.stringify(await readValue(conn, type, key, readList)) };
}

async function readValue(conn: Conn, type: string, key: string, readList: ListReader): Promise<unknown> {
  switch (type) {
    case "string":
      return conn.cmd("GET", key);
    case "set":
      return ((await conn.cmd("SMEMBERS", key)) as string[]).sort();
    case "hash": {
      const flat = (await conn.cmd("HGETALL", key)) as string[];
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
      return pairs.sort();
    }
    case "list":
      return readList(conn, key);
    case "zset":
      return conn.cmd("ZRANGE", key, "0", "-1", "WITHSCORES");
    default:
      return `unsupported type ${type}`;
  }
}

/** Differences between two walks, as readable lines (empty when equal). */
export function diffWalks(a: Map<string, KeyState>, b: Map<string, KeyState>, compareEncoding = true): string[] {
  const out: string[] = [];
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (vb === undefined) {
      out.push(`missing in second: ${JSON.stringify(k)}`);
      continue;
    }
    const fields: (keyof KeyState)[] = [
      "type",
      "expireAt",
      "value",
      ...(compareEncoding ? (["encoding"] as const) : []),
    ];
    for (const f of fields) {
      if (va[f] !== vb[f]) out.push(`${JSON.stringify(k)} ${f}: ${va[f].slice(0, 200)} != ${vb[f].slice(0, 200)}`);
    }
  }
  for (const k of b.keys()) if (!a.has(k)) out.push(`missing in first: ${JSON.stringify(k)}`);
  return out;
}
