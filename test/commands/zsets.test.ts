// Sorted sets with several connections and through the propagation hook:
// BZPOPMIN/BZPOPMAX/BZMPOP blocking and being served (transcripts compared
// with redis-server 7.0 when it is installed), WATCH, and what reaches the
// AOF and replicas: pops from blocking and multi-key forms are rewritten as
// ZPOPMIN/ZPOPMAX, writes that change nothing are not propagated. Timeouts
// are checked through their effects, never through elapsed time.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/main";
import { type Arg, encodeCommand, RawClient } from "../helpers/resp";
import { hasRedis, startRedis, startRedish, type TestServer } from "../helpers/servers";
import { type Session, session } from "../helpers/session";

/** A member too long for a listpack: the zset becomes a skiplist. */
const LONG = "m".repeat(65);

let redish: TestServer & { running: RunningServer };
let redis: TestServer | null = null;

beforeAll(async () => {
  redish = await startRedish();
  if (hasRedis) redis = await startRedis();
});

afterAll(async () => {
  await redish?.stop();
  await redis?.stop();
});

/** Runs a scenario on Redish, and on redis-server when present, and compares transcripts. */
function scenario(name: string, names: string[], body: (s: Session) => Promise<void>): void {
  it(name, async () => {
    const mine = await session(redish.port, names, body);
    if (redis !== null) expect(mine).toEqual(await session(redis.port, names, body));
  });
}

describe("blocking sorted-set pops", () => {
  scenario("ZADD serves a client blocked in BZPOPMIN", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "z");
    s.send("a", "BZPOPMIN", "z", "0");
    await s.quiet("a", "b");
    await s.call("b", "ZADD", "z", "2", "x", "1", "y");
    await s.read("a");
    await s.call("b", "ZRANGE", "z", "0", "-1", "WITHSCORES");
  });

  scenario(
    "clients are served in the order they blocked, from the key that became ready",
    ["a", "b", "c", "d"],
    async (s) => {
      await s.call("d", "DEL", "z1", "z2");
      s.send("a", "BZPOPMAX", "z1", "z2", "0");
      await s.quiet("a", "d");
      s.send("b", "BZPOPMIN", "z2", "0");
      await s.quiet("b", "d");
      s.send("c", "BZMPOP", "0", "2", "z1", "z2", "MIN", "COUNT", "2");
      await s.quiet("c", "d");
      await s.call("d", "ZADD", "z2", "1", "a", "2", "b", "3", "c", "4", "d");
      await s.read("a");
      await s.read("b");
      await s.read("c");
      await s.call("d", "ZRANGE", "z2", "0", "-1", "WITHSCORES");
    },
  );

  scenario("ZUNIONSTORE, ZRANGESTORE and ZINCRBY creating the key serve waiters", ["a", "b"], async (s) => {
    await s.call("b", "FLUSHALL");
    await s.call("b", "ZADD", "src", "1", "m", "2", "n");
    s.send("a", "BZPOPMIN", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "ZUNIONSTORE", "k", "1", "src");
    await s.read("a");
    s.send("a", "BZPOPMAX", "k2", "0");
    await s.quiet("a", "b");
    await s.call("b", "ZRANGESTORE", "k2", "src", "0", "0");
    await s.read("a");
    s.send("a", "BZMPOP", "0", "1", "k3", "MAX");
    await s.quiet("a", "b");
    await s.call("b", "ZINCRBY", "k3", "2.5", "z");
    await s.read("a");
  });

  scenario("a key of another type does not serve, and a WRONGTYPE key fails at once", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k", "l");
    s.send("a", "BZPOPMIN", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "k", "v");
    await s.quiet("a", "b");
    await s.call("b", "DEL", "k");
    await s.call("b", "ZADD", "k", "1", "v");
    await s.read("a");
    await s.call("b", "RPUSH", "l", "x");
    await s.call("a", "BZPOPMIN", "nokey", "l", "0");
  });

  scenario("a timeout replies a null array", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "z");
    s.send("a", "BZPOPMIN", "z", "0.01");
    await s.read("a");
    s.send("a", "BZMPOP", "0.01", "1", "z", "MIN");
    await s.read("a");
  });

  scenario("RESP3 clients are served with doubles and nested pairs", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "z");
    await s.ask("a", "HELLO", "3");
    s.send("a", "BZPOPMIN", "z", "0");
    await s.quiet("a", "b");
    await s.call("b", "ZADD", "z", "1.5", "x", "-0", "y", "3", LONG);
    await s.read("a");
    s.send("a", "BZMPOP", "0", "1", "z2", "MAX", "COUNT", "5");
    await s.quiet("a", "b");
    await s.call("b", "ZADD", "z2", "1", "p", "2", "q");
    await s.read("a");
    s.send("a", "BZPOPMAX", "z3", "0.01");
    await s.read("a");
  });

  it("CLIENT UNBLOCK frees a waiter with a null array or an error", async () => {
    const run = (port: number): Promise<string[]> =>
      session(port, ["a", "b"], async (s) => {
        await s.call("b", "DEL", "z");
        const id = (await s.call("a", "CLIENT", "ID")).slice(1, -2);
        s.send("a", "BZPOPMIN", "z", "0");
        await s.quiet("a", "b");
        await s.call("b", "CLIENT", "UNBLOCK", id);
        await s.read("a");
        s.send("a", "BZMPOP", "0", "1", "z", "MIN");
        await s.quiet("a", "b");
        await s.call("b", "CLIENT", "UNBLOCK", id, "ERROR");
        await s.read("a");
      });
    const mine = await run(redish.port);
    const norm = (t: string[]): string[] => t.map((l) => (l.startsWith("a: :") ? "a: :<id>" : l));
    if (redis !== null) expect(norm(mine)).toEqual(norm(await run(redis.port)));
  });
});

describe("sorted-set propagation", () => {
  it("pops are propagated as ZPOPMIN/ZPOPMAX; no-op writes are not propagated", async () => {
    const srv = redish.running.server;
    const seen: string[] = [];
    const dec = new TextDecoder();
    const stop = srv.onPropagate((_db, args) => seen.push(args.map((a) => dec.decode(a)).join(" ")));
    try {
      await session(redish.port, ["a", "b"], async (s) => {
        await s.call("b", "DEL", "z", "d");
        seen.length = 0;
        await s.call("b", "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        await s.call("b", "ZADD", "z", "NX", "9", "a");
        await s.call("b", "ZADD", "z", "INCR", "1", "a");
        await s.call("b", "ZPOPMIN", "z");
        await s.call("b", "ZPOPMIN", "z", "0");
        await s.call("b", "ZPOPMIN", "nokey");
        await s.call("b", "ZMPOP", "2", "nokey", "z", "MAX", "COUNT", "1");
        await s.call("b", "BZPOPMIN", "nokey", "z", "0");
        await s.call("b", "BZMPOP", "0", "1", "z", "MAX");
        s.send("a", "BZPOPMAX", "d", "0");
        await s.quiet("a", "b");
        await s.call("b", "ZADD", "d", "7", "x");
        await s.read("a");
        await s.call("b", "ZREM", "z", "nope");
        await s.call("b", "ZREMRANGEBYSCORE", "z", "100", "200");
        await s.call("b", "ZRANGESTORE", "d", "nokey", "0", "-1");
        await s.call("b", "ZUNIONSTORE", "d", "1", "z");
      });
    } finally {
      stop();
    }
    expect(seen).toEqual([
      "ZADD z 1 a 2 b 3 c 4 d 5 e",
      "ZADD z INCR 1 a",
      "ZPOPMIN z",
      "ZPOPMAX z 1",
      "ZPOPMIN z",
      "ZPOPMAX z 1",
      "ZADD d 7 x",
      "ZPOPMAX d",
      "ZUNIONSTORE d 1 z",
    ]);
  });

  it("WATCH sees every kind of sorted-set write", async () => {
    const c = await RawClient.connect(redish.port);
    const other = await RawClient.connect(redish.port);
    try {
      for (const write of [
        ["ZADD", "w", "5", "m"],
        ["ZINCRBY", "w", "1", "a"],
        ["ZREM", "w", "a"],
        ["ZPOPMIN", "w"],
        ["ZREMRANGEBYRANK", "w", "0", "0"],
        ["ZUNIONSTORE", "w", "1", "src"],
        ["ZRANGESTORE", "w", "src", "0", "0"],
      ]) {
        await other.call("DEL", "w", "src");
        await other.call("ZADD", "w", "1", "a", "2", "b");
        await other.call("ZADD", "src", "1", "s");
        await c.call("WATCH", "w");
        await c.call("MULTI");
        await c.call("PING");
        await other.call(...write);
        expect(await c.call("EXEC"), write.join(" ")).toBe("*-1\r\n");
      }
    } finally {
      c.close();
      other.close();
    }
  });
});
