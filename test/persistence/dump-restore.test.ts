// DUMP and RESTORE: payloads move between Redish and redis-server in both
// directions, and RESTORE's replies (options, errors) match Redis byte for byte.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDiff } from "../helpers/diff";
import { hasRedis, skipNotice, startRedis, startRedish, type TestServer } from "../helpers/servers";
import { Conn, fixtureCommands } from "./dataset";

/** CRC-64/Jones, as a check on payloads built by hand. */
function crc64(bytes: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const b of bytes) {
    crc ^= BigInt(b);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

/** A DUMP payload around an RDB object body: the version, then the CRC. */
function payload(body: number[], version = 10): Buffer {
  const head = Buffer.from([...body, version & 0xff, version >> 8]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(head));
  return Buffer.concat([head, crc]);
}

const helloPayload = payload([0, 5, ...Buffer.from("hello")]);

describeDiff("RESTORE replies", (pair) => {
  it("restores, refuses an existing key, replaces, and checks its options like Redis", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["RESTORE", "k", "0", helloPayload],
      ["GET", "k"],
      ["RESTORE", "k", "0", helloPayload],
      ["RESTORE", "k", "0", helloPayload, "REPLACE"],
      ["RESTORE", "k2", "-1", helloPayload],
      ["RESTORE", "k2", "abc", helloPayload],
      ["RESTORE", "k2", "0", helloPayload, "IDLETIME", "-1"],
      ["RESTORE", "k2", "0", helloPayload, "IDLETIME", "x"],
      ["RESTORE", "k2", "0", helloPayload, "FREQ", "256"],
      ["RESTORE", "k2", "0", helloPayload, "FREQ", "-1"],
      ["RESTORE", "k2", "0", helloPayload, "IDLETIME", "10", "FREQ", "5"],
      ["RESTORE", "k2", "0", helloPayload, "FREQ", "5", "IDLETIME", "10"],
      ["RESTORE", "k2", "0", helloPayload, "IDLETIME"],
      ["RESTORE", "k2", "0", helloPayload, "BOGUS"],
      ["EXISTS", "k2"],
    ]);
  });

  it("rejects payloads with a wrong checksum, a newer version, or bad data", async () => {
    const p = pair();
    const flipped = Buffer.from(helloPayload);
    flipped[3] ^= 1;
    await p.run([
      ["RESTORE", "x", "0", flipped],
      ["RESTORE", "x", "0", payload([0, 5, ...Buffer.from("hello")], 11)],
      ["RESTORE", "x", "0", "short"],
      ["RESTORE", "x", "0", payload([0, 9, ...Buffer.from("hello")])],
      ["RESTORE", "x", "0", payload([0xfe, 0])],
      ["RESTORE", "x", "0", payload([0, 0xc3, 2, 10, 0xff, 0xff])],
      ["RESTORE", "x", "0", payload([2, 0])],
      ["RESTORE", "x", "0", payload([11, 8, 2, 0, 0, 0, 1, 0, 0, 0])],
      ["RESTORE", "x", "0", payload([2, 2, 1, 0x61, 1, 0x61])],
      ["EXISTS", "x"],
    ]);
  });

  it("TTLs: relative, ABSTTL, and an ABSTTL already past creates nothing (but REPLACE deletes)", async () => {
    const p = pair();
    const past = String(Date.now() - 10_000);
    await p.run([
      ["FLUSHALL"],
      ["RESTORE", "t", "100000", helloPayload],
      ["RESTORE", "gone", past, helloPayload, "ABSTTL"],
      ["EXISTS", "gone"],
      ["SET", "old", "v"],
      ["RESTORE", "old", past, helloPayload, "ABSTTL", "REPLACE"],
      ["EXISTS", "old"],
      ["RESTORE", "far", "99999999999999", helloPayload, "ABSTTL"],
      ["PEXPIRETIME", "far"],
    ]);
    const [a, b] = await Promise.all([p.redish.call("PTTL", "t"), p.redis.call("PTTL", "t")]);
    expect(Math.abs(Number(a.slice(1)) - Number(b.slice(1)))).toBeLessThan(5000);
  });

  it("IDLETIME sets the idle time OBJECT IDLETIME reports", async () => {
    const p = pair();
    await p.run([["FLUSHALL"], ["RESTORE", "i", "0", helloPayload, "IDLETIME", "1000"], ["OBJECT", "IDLETIME", "i"]]);
  });

  it("DUMP of a missing key is nil; DUMP payloads match Redis byte for byte", async () => {
    const p = pair();
    await p.run([
      ["FLUSHALL"],
      ["DUMP", "missing"],
      ["SET", "s", "hello"],
      ["SET", "i8", "12"],
      ["SET", "i32", "-100000"],
      ["SET", "big", "12345678901"],
      ["SET", "e", ""],
      ["SADD", "is", "1", "2", "-70000"],
      ["SADD", "ds", "a", "b"],
      ["HSET", "h", "f", "v", "n", "12"],
      ["ZADD", "z", "1", "a", "2.5", "b", "-inf", "c"],
      ["DUMP", "s"],
      ["DUMP", "i8"],
      ["DUMP", "i32"],
      ["DUMP", "big"],
      ["DUMP", "e"],
      ["DUMP", "is"],
      ["DUMP", "h"],
      ["DUMP", "z"],
    ]);
  });
});

describeDiff(
  "RESTORE FREQ under an LFU policy",
  (pair) => {
    it("FREQ sets the counter OBJECT FREQ reports", async () => {
      await pair().run([["FLUSHALL"], ["RESTORE", "f", "0", helloPayload, "FREQ", "100"], ["OBJECT", "FREQ", "f"]]);
    });
  },
  { redishArgs: [["maxmemory-policy", "allkeys-lfu"]], redisArgs: ["--maxmemory-policy", "allkeys-lfu"] },
);

skipNotice("DUMP across servers");

describe.skipIf(!hasRedis)("DUMP from one server RESTOREs into the other", () => {
  let redish: TestServer;
  let redis: TestServer;
  let a: Conn;
  let b: Conn;

  beforeAll(async () => {
    redish = await startRedish();
    redis = await startRedis();
    a = await Conn.open(redish.port);
    b = await Conn.open(redis.port);
    const lists = [
      ["RPUSH", "list-small", "a", "1", "bb"],
      ["RPUSH", "list-long", ...Array.from({ length: 3000 }, (_, i) => `e${i}`)],
    ];
    await b.pipeline([...fixtureCommands(), ...lists]);
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await redish?.stop();
    await redis?.stop();
  });

  /** Every key of db 0 on `from`, dumped there and restored on `to` under the same name. */
  async function copyAll(from: Conn, to: Conn): Promise<string[]> {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = (await from.cmd("SCAN", cursor, "COUNT", "1000")) as [string, string[]];
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    for (const k of keys) {
      const p = (await from.cmd("DUMP", k)) as string;
      expect(await to.cmd("RESTORE", k, "0", Buffer.from(p, "latin1"), "REPLACE"), `RESTORE ${k}`).toBe("OK");
    }
    return keys.sort();
  }

  /** Type, encoding and value of a key in a database of the reference server. */
  async function describeKey(db: string, k: string): Promise<unknown[]> {
    await b.cmd("SELECT", db);
    const type = await b.cmd("TYPE", k);
    const read: Record<string, () => Promise<unknown>> = {
      list: () => b.cmd("LRANGE", k, "0", "-1"),
      hash: async () => ((await b.cmd("HGETALL", k)) as string[]).join("\n"),
      set: async () => ((await b.cmd("SMEMBERS", k)) as string[]).sort(),
      zset: () => b.cmd("ZRANGE", k, "0", "-1", "WITHSCORES"),
      string: () => b.cmd("GET", k),
    };
    return [type, await b.cmd("OBJECT", "ENCODING", k), await read[type as string]()];
  }

  it("redis-server's payloads restore into Redish, and Redish's back into redis-server, unchanged", async () => {
    const keys = await copyAll(b, a);
    await b.cmd("SELECT", "1");
    await copyAll(a, b);
    for (const k of keys) expect(await describeKey("1", k), k).toEqual(await describeKey("0", k));
    await b.cmd("SELECT", "0");
  });
});
