// What GETRANGE/SETRANGE/LCS/INCRBYFLOAT propagate and count as changes,
// which replies cannot show, and the same commands through real clients.

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { propagationRig } from "../helpers/propagation";
import { RawClient } from "../helpers/resp";
import { startRedish } from "../helpers/servers";

type Redish = Awaited<ReturnType<typeof startRedish>>;

describe("range string commands: propagation and limits", () => {
  const rig = propagationRig();

  it("INCRBYFLOAT propagates the result as SET ... KEEPTTL", async () => {
    await rig.cli.call("INCRBYFLOAT", "f", "10.5");
    await rig.cli.call("INCRBYFLOAT", "f", "0.1");
    expect(rig.propagated).toEqual([
      ["SET", "f", "10.5", "KEEPTTL"],
      ["SET", "f", "10.6", "KEEPTTL"],
    ]);
  });

  it("failed INCRBYFLOAT propagates nothing", async () => {
    await rig.cli.call("INCRBYFLOAT", "f", "abc");
    await rig.cli.call("INCRBYFLOAT", "f", "inf");
    expect(rig.propagated).toEqual([]);
  });

  it("SETRANGE with an empty value is no write; with bytes it propagates as sent", async () => {
    await rig.cli.call("SET", "k", "abc");
    rig.propagated.length = 0;
    const before = rig.srv.running.server.dirty;
    expect(await rig.cli.call("SETRANGE", "k", "10", "")).toBe(":3\r\n");
    expect(await rig.cli.call("SETRANGE", "missing", "10", "")).toBe(":0\r\n");
    expect(rig.srv.running.server.dirty).toBe(before);
    expect(await rig.cli.call("SETRANGE", "k", "1", "X")).toBe(":3\r\n");
    expect(rig.propagated).toEqual([["SETRANGE", "k", "1", "X"]]);
  });

  it("INCRBYFLOAT inside EXEC, where the argv lives in the engine's scratch memory", async (ctx) => {
    if ((await rig.cli.call("MULTI")).startsWith("-ERR unknown command")) return ctx.skip();
    await rig.cli.call("INCRBYFLOAT", "somewhat-long-key-name", "1.25");
    await rig.cli.call("INCRBYFLOAT", "somewhat-long-key-name", "1.25");
    expect(await rig.cli.call("EXEC")).toBe("*2\r\n$4\r\n1.25\r\n$3\r\n2.5\r\n");
    expect(await rig.cli.call("GET", "somewhat-long-key-name")).toBe("$3\r\n2.5\r\n");
  });
});

describe("range string commands from a master with proto-max-bulk-len 1mb", () => {
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

  it("a master's SETRANGE is not limited by proto-max-bulk-len", async () => {
    expect(await cli.call("SETRANGE", "k", "1048576", "x")).toBe(
      "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
    );
    for (const c of srv.running.server.clients.values()) c.isMaster = true;
    expect(await cli.call("SETRANGE", "k", "1048576", "x")).toBe(":1048577\r\n");
  });
});

describe("range string commands through ioredis", () => {
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

  it("GETRANGE, SETRANGE, INCRBYFLOAT and LCS round-trip", async () => {
    await redis.set("k", "Hello World");
    expect(await redis.setrange("k", 6, "Redis")).toBe(11);
    expect(await redis.getrange("k", -5, -1)).toBe("Redis");
    expect(await redis.incrbyfloat("f", "2.5")).toBe("2.5");
    await redis.mset("a", "ohmytext", "b", "mynewtext");
    expect(await redis.call("LCS", "a", "b")).toBe("mytext");
    expect(await redis.call("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")).toEqual([
      "matches",
      [[[4, 7], [5, 8], 4]],
      "len",
      6,
    ]);
  });
});
