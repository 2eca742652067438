// RDB files between Redish and the reference tools: every dump Redish writes
// passes redis-check-rdb and loads into redis-server with the same dataset;
// dumps redis-server writes load into Redish with the same dataset.

import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedis, skipNotice, startRedish } from "../helpers/servers";
import { Conn, diffWalks, fixtureCommands, viaReference, walk } from "./dataset";
import { checkRdb, type RedisProc, removeDir, startRedisIn, tempDir } from "./rdb-helpers";

skipNotice("rdb interop");

/** Lists come from redis-server (Redish gets them by loading its dump). */
function listCommands(): string[][] {
  const long = Array.from({ length: 5000 }, (_, i) => `element-${i}-${"z".repeat(i % 50)}`);
  return [
    ["RPUSH", "list-small", "a", "1", "-7", "bb"],
    ["RPUSH", "list-long", ...long],
    ["RPUSH", "list-ints", ...Array.from({ length: 300 }, (_, i) => String(i * 1000))],
  ];
}

async function saveIn(dirPrefix: string, directives: string[][], fill: (c: Conn) => Promise<void>) {
  const dir = tempDir(dirPrefix);
  const s = await startRedish([["dir", dir], ...directives]);
  const c = await Conn.open(s.port);
  await fill(c);
  expect(await c.cmd("SAVE")).toBe("OK");
  return { dir, s, c, file: join(dir, "dump.rdb") };
}

describe.skipIf(!hasRedis)("Redish dumps read by the reference tools", () => {
  it("an empty dataset's dump passes redis-check-rdb", async () => {
    const { dir, s, c, file } = await saveIn("rdb-empty", [], async () => {});
    const r = checkRdb(file);
    c.close();
    await s.stop();
    removeDir(dir);
    expect(r.output).toContain("RDB looks OK");
    expect(r.ok).toBe(true);
  });

  for (const [name, directives] of [
    ["compression and checksum on", []],
    ["compression off", [["rdbcompression", "no"]]],
    ["checksum off", [["rdbchecksum", "no"]]],
  ] as [string, string[][]][]) {
    it(`every string encoding, sets, hashes, TTLs, several dbs (${name}): check-rdb and redis-server agree`, async () => {
      const { dir, s, c, file } = await saveIn("rdb-fixture", directives, (c) => c.pipeline(fixtureCommands()));
      const check = checkRdb(file);
      expect(check.output).toContain("RDB looks OK");
      const mine = await walk(c);
      const redis = await startRedisIn(dir);
      const rc = await Conn.open(redis.port);
      try {
        const theirs = await walk(rc);
        expect(diffWalks(mine, theirs)).toEqual([]);
        expect(mine.size).toBe(
          fixtureCommands().filter((cmd) => cmd[0] !== "SELECT" && cmd[0] !== "PEXPIREAT").length - 1,
        );
      } finally {
        rc.close();
        c.close();
        await redis.stop();
        await s.stop();
        removeDir(dir);
      }
    });
  }

  for (const [policy, option, value, read] of [
    ["allkeys-lru", "IDLETIME", "1000", "IDLETIME"],
    ["allkeys-lfu", "FREQ", "100", "FREQ"],
  ]) {
    it(`${policy}: the ${option} hint is saved and redis-server reads it back`, async () => {
      const { dir, s, c, file } = await saveIn("rdb-hints", [["maxmemory-policy", policy]], async (c) => {
        await c.cmd("SET", "k", "v");
        const payload = Buffer.from((await c.cmd("DUMP", "k")) as string, "latin1");
        expect(await c.cmd("RESTORE", "hinted", "0", payload, option, value)).toBe("OK");
      });
      expect(checkRdb(file).output).toContain("RDB looks OK");
      const redis = await startRedisIn(dir, ["--maxmemory-policy", policy]);
      const rc = await Conn.open(redis.port);
      try {
        const got = Number(await rc.cmd("OBJECT", read, "hinted"));
        expect(Math.abs(got - Number(value))).toBeLessThanOrEqual(2);
      } finally {
        rc.close();
        c.close();
        await redis.stop();
        await s.stop();
        removeDir(dir);
      }
    });
  }

  it("20000 keys with and without TTLs: check-rdb counts them all", async () => {
    const far = String(Date.now() + 3_600_000);
    const cmds: string[][] = [];
    for (let i = 0; i < 20000; i++) {
      cmds.push(i % 4 === 0 ? ["SET", `k:${i}`, `v${i}`, "PXAT", far] : ["SET", `k:${i}`, String(i)]);
    }
    const { dir, s, c, file } = await saveIn("rdb-many", [], (c) => c.pipeline(cmds));
    const r = checkRdb(file);
    c.close();
    await s.stop();
    removeDir(dir);
    expect(r.output).toContain("RDB looks OK");
    expect(r.output).toContain("20000 keys read");
    expect(r.output).toContain("5000 expires");
  });
});

describe.skipIf(!hasRedis)("LRU and LFU hints written by redis-server", () => {
  for (const [policy, option, value] of [
    ["allkeys-lru", "IDLETIME", "1000"],
    ["allkeys-lfu", "FREQ", "100"],
  ]) {
    it(`${policy}: Redish loads the ${option} hint`, async () => {
      const dir = tempDir("rdb-hints-ref");
      const redis = await startRedisIn(dir, ["--maxmemory-policy", policy]);
      const rc = await Conn.open(redis.port);
      await rc.cmd("SET", "k", "v");
      const payload = Buffer.from((await rc.cmd("DUMP", "k")) as string, "latin1");
      expect(await rc.cmd("RESTORE", "hinted", "0", payload, option, value)).toBe("OK");
      expect(await rc.cmd("SAVE")).toBe("OK");
      rc.close();
      await redis.stop();
      const s = await startRedish([
        ["dir", dir],
        ["maxmemory-policy", policy],
      ]);
      const c = await Conn.open(s.port);
      try {
        const got = Number(await c.cmd("OBJECT", option, "hinted"));
        expect(Math.abs(got - Number(value))).toBeLessThanOrEqual(2);
      } finally {
        c.close();
        await s.stop();
        removeDir(dir);
      }
    });
  }
});

describe.skipIf(!hasRedis)("redis-server dumps read by Redish", () => {
  let dir: string;
  let redis: RedisProc;
  let rc: Conn;

  beforeAll(async () => {
    dir = tempDir("rdb-from-redis");
    redis = await startRedisIn(dir, ["--list-compress-depth", "1"]);
    rc = await Conn.open(redis.port);
    await rc.pipeline(fixtureCommands());
    await rc.pipeline(listCommands());
    expect(await rc.cmd("SAVE")).toBe("OK");
  });

  afterAll(async () => {
    rc?.close();
    await redis?.stop();
    removeDir(dir);
  });

  it("loads every key with its type, encoding, TTL and value", async () => {
    const mine = tempDir("rdb-load-redis");
    copyFileSync(join(dir, "dump.rdb"), join(mine, "dump.rdb"));
    const s = await startRedish([["dir", mine]]);
    const c = await Conn.open(s.port);
    try {
      const theirs = await walk(rc);
      const loaded = await walk(c, viaReference(rc));
      expect(diffWalks(theirs, loaded)).toEqual([]);
    } finally {
      c.close();
      await s.stop();
      removeDir(mine);
    }
  });

  it("saves what it loaded so that redis-server reads back the same dataset", async () => {
    const mine = tempDir("rdb-roundtrip");
    copyFileSync(join(dir, "dump.rdb"), join(mine, "dump.rdb"));
    const s = await startRedish([
      ["dir", mine],
      ["list-compress-depth", "1"],
    ]);
    const c = await Conn.open(s.port);
    expect(await c.cmd("SAVE")).toBe("OK");
    c.close();
    await s.stop();
    expect(checkRdb(join(mine, "dump.rdb")).output).toContain("RDB looks OK");
    const back = await startRedisIn(mine);
    const bc = await Conn.open(back.port);
    try {
      expect(diffWalks(await walk(rc), await walk(bc))).toEqual([]);
    } finally {
      bc.close();
      await back.stop();
      removeDir(mine);
    }
  });
});
