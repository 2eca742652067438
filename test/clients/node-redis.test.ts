// node-redis (the `redis` package) against Redish, over RESP2 and RESP3
// (its default): handshake (HELLO, CLIENT SETINFO which 7.0 refuses and the
// library ignores), strings and keyspace, pipelines, transactions, WATCH.

import { createClient, WatchError } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedish } from "../helpers/servers";

type NodeRedis = ReturnType<typeof createClient>;

for (const RESP of [2, 3] as const) {
  describe(`node-redis over RESP${RESP}`, () => {
    let srv: Awaited<ReturnType<typeof startRedish>>;
    let client: NodeRedis;
    beforeAll(async () => {
      srv = await startRedish();
      client = createClient({ socket: { port: srv.port, host: "127.0.0.1" }, RESP });
      client.on("error", () => {});
      await client.connect();
    });
    afterAll(async () => {
      await client?.close();
      await srv?.stop();
    });

    it("connects and negotiates the protocol", async () => {
      expect(client.isReady).toBe(true);
      expect(await client.ping()).toBe("PONG");
      const info = await client.sendCommand(["CLIENT", "INFO"]);
      expect(String(info)).toContain(`resp=${RESP}`);
    });

    it("strings and keyspace commands", async () => {
      await client.flushAll();
      expect(await client.set("k", "v")).toBe("OK");
      expect(await client.get("k")).toBe("v");
      expect(await client.get("missing")).toBeNull();
      expect(await client.set("k", "w", { condition: "NX" })).toBeNull();
      expect(await client.incrBy("n", 5)).toBe(5);
      expect(await client.mGet(["k", "n", "missing"])).toEqual(["v", "5", null]);
      expect(await client.append("k", "x")).toBe(2);
      expect(await client.exists(["k", "n", "missing"])).toBe(2);
      expect(await client.expire("k", 100)).toBe(1);
      expect(await client.ttl("k")).toBeGreaterThan(90);
      expect(await client.type("n")).toBe("string");
      expect(await client.del(["k", "n"])).toBe(2);
      expect(await client.dbSize()).toBe(0);
    });

    it("replies whose RESP3 type differs: maps, sets, nulls, CLIENT INFO as verbatim text", async () => {
      await client.flushAll();
      await client.hSet("h", { f1: "v1", f2: "v2" });
      await client.sAdd("s", ["a", "b"]);
      expect(await client.hGetAll("h")).toEqual({ f1: "v1", f2: "v2" });
      expect(await client.hGetAll("nosuch")).toEqual({});
      expect((await client.sMembers("s")).sort()).toEqual(["a", "b"]);
      expect(await client.hGet("h", "nosuch")).toBeNull();
      expect(await client.configGet("maxmemory")).toEqual({ maxmemory: "0" });
      const info = await client.clientInfo();
      expect(info.resp).toBe(RESP);
      expect(info.multi).toBe(-1);
      expect(info.flags).toBe("N");
      expect(await client.clientGetName()).toBeNull();
    });

    it("a pipeline (execAsPipeline) keeps order and returns errors in place", async () => {
      await client.flushAll();
      const res = await client.multi().set("p", "1").incr("p").get("p").execAsPipeline();
      expect(res).toEqual(["OK", 2, "2"]);
      const many = client.multi();
      for (let i = 0; i < 1000; i++) many.incr("ctr");
      const out = await many.execAsPipeline();
      expect(out.at(-1)).toBe(1000);
    });

    it("a transaction with a runtime error in the middle", async () => {
      await client.flushAll();
      // node-redis rejects the whole EXEC when a reply is an error, keeping every reply.
      const err = (await client
        .multi()
        .set("t", "1")
        .sAdd("t", "x")
        .incr("t")
        .exec()
        .catch((e: unknown) => e)) as { replies: unknown[]; errorIndexes: number[] };
      expect(err.errorIndexes).toEqual([1]);
      expect(err.replies[0]).toBe("OK");
      expect(String(err.replies[1])).toContain("WRONGTYPE");
      expect(err.replies[2]).toBe(2);
    });

    it("WATCH: another connection's write makes EXEC fail with WatchError", async () => {
      await client.flushAll();
      const watcher = client.duplicate();
      watcher.on("error", () => {});
      await watcher.connect();
      try {
        await watcher.watch("w");
        await client.set("w", "changed");
        await expect(watcher.multi().set("w", "mine").exec()).rejects.toBeInstanceOf(WatchError);
        expect(await client.get("w")).toBe("changed");
        await watcher.watch("w");
        expect(await watcher.multi().set("w", "mine").exec()).toEqual(["OK"]);
      } finally {
        await watcher.close();
      }
    });
  });
}
