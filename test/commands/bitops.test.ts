// What bit commands propagate and count as changes, which replies cannot
// show: Redis 7.0 treats rewriting a bit or field with its own value as no
// change unless the string was created or grew (#9403, #10459).

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { propagationRig } from "../helpers/propagation";
import { RawClient } from "../helpers/resp";
import { startRedish } from "../helpers/servers";

type Redish = Awaited<ReturnType<typeof startRedish>>;

describe("bit commands: propagation and change counting", () => {
  const rig = propagationRig();

  /** Runs a command and returns how much it moved the server's dirty counter. */
  async function dirtyOf(...args: string[]): Promise<number> {
    const before = rig.srv.running.server.dirty;
    await rig.cli.call(...args);
    return rig.srv.running.server.dirty - before;
  }

  it("SETBIT that changes nothing is neither counted nor rig.propagated", async () => {
    expect(await dirtyOf("SETBIT", "k", "7", "1")).toBe(1);
    expect(await dirtyOf("SETBIT", "k", "7", "1")).toBe(0);
    expect(await dirtyOf("SETBIT", "k", "6", "0")).toBe(0);
    expect(await dirtyOf("SETBIT", "k", "7", "0")).toBe(1);
    expect(rig.propagated).toEqual([
      ["SETBIT", "k", "7", "1"],
      ["SETBIT", "k", "7", "0"],
    ]);
  });

  it("SETBIT of a 0 still counts when it creates or grows the string", async () => {
    expect(await dirtyOf("SETBIT", "k", "0", "0")).toBe(1);
    expect(await dirtyOf("SETBIT", "k", "100", "0")).toBe(1);
    expect(await dirtyOf("SETBIT", "k", "100", "0")).toBe(0);
    expect(rig.propagated.length).toBe(2);
  });

  it("BITFIELD counts each write that changes bits, and every write when the string grew", async () => {
    expect(await dirtyOf("BITFIELD", "k", "SET", "u8", "0", "5", "SET", "u8", "8", "0")).toBe(2);
    expect(await dirtyOf("BITFIELD", "k", "SET", "u8", "0", "5", "SET", "u8", "8", "1")).toBe(1);
    expect(await dirtyOf("BITFIELD", "k", "INCRBY", "u8", "0", "0", "GET", "u8", "0")).toBe(0);
    expect(await dirtyOf("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300")).toBe(0);
    expect(await dirtyOf("BITFIELD", "k", "GET", "u8", "0")).toBe(0);
    expect(rig.propagated.map((a) => a.slice(0, 4))).toEqual([
      ["BITFIELD", "k", "SET", "u8"],
      ["BITFIELD", "k", "SET", "u8"],
    ]);
  });

  it("BITOP stores or deletes its destination and propagates as sent", async () => {
    await rig.cli.call("SET", "a", "x");
    rig.propagated.length = 0;
    expect(await dirtyOf("BITOP", "NOT", "d", "a")).toBe(1);
    expect(await dirtyOf("BITOP", "OR", "d", "missing")).toBe(1);
    expect(await dirtyOf("BITOP", "OR", "d", "missing")).toBe(0);
    expect(rig.propagated).toEqual([
      ["BITOP", "NOT", "d", "a"],
      ["BITOP", "OR", "d", "missing"],
    ]);
  });
});

describe("bit commands from a master with proto-max-bulk-len 1mb", () => {
  let srv: Redish;
  let cli: RawClient;

  beforeAll(async () => {
    srv = await startRedish([["proto-max-bulk-len", "1mb"]]);
    cli = await RawClient.connect(srv.port);
  });
  afterAll(async () => {
    cli.close();
    await srv.stop();
  });

  it("a master's bit offsets are not limited by proto-max-bulk-len, negative ones still are", async () => {
    const offset = String(8 * 1048576);
    const error = "-ERR bit offset is not an integer or out of range\r\n";
    expect(await cli.call("SETBIT", "k", offset, "1")).toBe(error);
    for (const c of srv.running.server.clients.values()) c.isMaster = true;
    expect(await cli.call("SETBIT", "k", offset, "1")).toBe(":0\r\n");
    expect(await cli.call("STRLEN", "k")).toBe(":1048577\r\n");
    expect(await cli.call("BITFIELD", "k", "GET", "u8", offset)).toBe("*1\r\n:128\r\n");
    expect(await cli.call("SETBIT", "k", "-1", "1")).toBe(error);
  });
});

describe("bit commands through ioredis", () => {
  let srv: Redish;
  let redis: Redis;

  beforeAll(async () => {
    srv = await startRedish();
    redis = new Redis({ port: srv.port, host: "127.0.0.1", lazyConnect: true, enableReadyCheck: false });
    await redis.connect();
  });
  afterAll(async () => {
    redis.disconnect();
    await srv.stop();
  });

  it("bit commands round-trip", async () => {
    expect(await redis.setbit("bits", 7, 1)).toBe(0);
    expect(await redis.getbit("bits", 7)).toBe(1);
    expect(await redis.bitcount("bits")).toBe(1);
    expect(await redis.bitpos("bits", 1)).toBe(7);
    expect(await redis.bitop("NOT", "inv", "bits")).toBe(1);
    expect(await redis.call("BITFIELD", "bf", "SET", "i8", "0", "-100", "GET", "u8", "0")).toEqual([0, 156]);
  });
});
