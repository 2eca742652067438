// ioredis against Redish: its connection handshake, string and keyspace
// commands, pipelines, transactions and WATCH through the library's API.

import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRedish } from "../helpers/servers";

describe("ioredis", () => {
  let srv: Awaited<ReturnType<typeof startRedish>>;
  let r: Redis;
  beforeAll(async () => {
    srv = await startRedish();
    r = new Redis({ port: srv.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
  });
  afterAll(async () => {
    r?.disconnect();
    await srv?.stop();
  });
  beforeEach(async () => {
    await r.flushall();
  });

  it("connects, passes the INFO ready check and answers PING", async () => {
    expect(r.status).toBe("ready");
    expect(await r.ping()).toBe("PONG");
    expect(await r.echo("hi")).toBe("hi");
  });

  it("strings: SET options, GET, INCR family, APPEND, MSET/MGET, GETRANGE", async () => {
    expect(await r.set("k", "v")).toBe("OK");
    expect(await r.set("k", "w", "NX")).toBeNull();
    expect(await r.set("k", "w", "XX", "GET")).toBe("v");
    expect(await r.get("k")).toBe("w");
    expect(await r.get("missing")).toBeNull();
    expect(await r.incr("n")).toBe(1);
    expect(await r.incrby("n", 41)).toBe(42);
    expect(await r.decr("n")).toBe(41);
    expect(await r.incrbyfloat("f", "1.5")).toBe("1.5");
    expect(await r.append("k", "xyz")).toBe(4);
    expect(await r.strlen("k")).toBe(4);
    expect(await r.mset({ a: "1", b: "2" })).toBe("OK");
    expect(await r.mget("a", "b", "nope")).toEqual(["1", "2", null]);
    expect(await r.getrange("k", 1, 2)).toBe("xy");
    await expect(r.incr("k")).rejects.toThrow("ERR value is not an integer or out of range");
  });

  it("binary values round-trip as Buffers", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await r.set(bytes, bytes);
    expect((await r.getBuffer(bytes))?.equals(bytes)).toBe(true);
  });

  it("keyspace: EXISTS, DEL, EXPIRE/TTL, TYPE, RENAME, SCAN", async () => {
    await r.mset("x1", "1", "x2", "2", "y", "3");
    expect(await r.exists("x1", "x2", "nope")).toBe(2);
    expect(await r.expire("x1", 100)).toBe(1);
    const ttl = await r.ttl("x1");
    expect(ttl).toBeGreaterThan(90);
    expect(await r.ttl("y")).toBe(-1);
    expect(await r.type("y")).toBe("string");
    expect(await r.rename("y", "z")).toBe("OK");
    expect(await r.del("x1", "x2", "nope")).toBe(2);
    const seen: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "COUNT", 10);
      seen.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    expect(seen).toEqual(["z"]);
  });

  it("a pipeline returns each reply or error in order", async () => {
    const res = await r.pipeline().set("p", "1").incr("p").incr("nosuch").get("p").sadd("p", "x").exec();
    expect(res?.map(([err, v]) => (err ? (err as Error).message : v))).toEqual([
      "OK",
      2,
      1,
      "2",
      "WRONGTYPE Operation against a key holding the wrong kind of value",
    ]);
  });

  it("a transaction: replies in order, a runtime error in its place, a queue-time error aborts", async () => {
    const res = await r.multi().set("t", "1").incr("t").sadd("t", "x").get("t").exec();
    expect(res?.map(([err, v]) => (err ? (err as Error).message : v))).toEqual([
      "OK",
      2,
      "WRONGTYPE Operation against a key holding the wrong kind of value",
      "2",
    ]);
    await expect(r.multi().set("t", "3").call("NOSUCHCOMMAND").exec()).rejects.toThrow("EXECABORT");
    expect(await r.get("t")).toBe("2");
  });

  it("WATCH: a key changed by another connection makes EXEC return null", async () => {
    const other = new Redis({ port: srv.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
    await other.connect();
    try {
      await r.set("w", "0");
      await r.watch("w");
      await other.set("w", "changed");
      expect(await r.multi().set("w", "mine").exec()).toBeNull();
      expect(await r.get("w")).toBe("changed");
      await r.watch("w");
      expect(await r.multi().set("w", "mine").exec()).toEqual([[null, "OK"]]);
    } finally {
      other.disconnect();
    }
  });

  it("CLIENT SETNAME / GETNAME and CLIENT LIST through the API", async () => {
    expect(await r.client("SETNAME", "io")).toBe("OK");
    expect(await r.client("GETNAME")).toBe("io");
    expect(String(await r.client("LIST"))).toMatch(/ name=io /);
  });
});
