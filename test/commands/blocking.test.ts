// Blocking list commands with several connections: who is served, in what
// order, with what reply, and what is propagated. Scenarios run against
// Redish and, when installed, redis-server 7.0, and their transcripts must
// match; timeouts, CLIENT UNBLOCK, disconnects and held-back input are
// checked through their effects, never through elapsed time.

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/main";
import { RawClient } from "../helpers/resp";
import { hasRedis, startRedis, startRedish, type TestServer } from "../helpers/servers";
import { type Session, session } from "../helpers/session";

/** Runs a scenario on Redish, and on redis-server when present, and compares transcripts. */
function scenario(name: string, names: string[], body: (s: Session) => Promise<void>): void {
  it(name, async () => {
    const mine = await session(redish.port, names, body);
    if (redis !== null) expect(mine).toEqual(await session(redis.port, names, body));
  });
}

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

describe("blocking list commands", () => {
  scenario("a push serves a client blocked on the key", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k");
    s.send("a", "BLPOP", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "k", "x");
    await s.read("a");
    await s.call("b", "EXISTS", "k");
  });

  scenario("clients are served in the order they blocked, one element each", ["a", "b", "c", "d"], async (s) => {
    await s.call("d", "DEL", "k");
    s.send("a", "BRPOP", "k", "0");
    await s.quiet("a", "d");
    s.send("b", "BLPOP", "k", "0");
    await s.quiet("b", "d");
    s.send("c", "BLPOP", "other", "k", "0");
    await s.quiet("c", "d");
    await s.call("d", "LPUSH", "k", "1", "2");
    await s.read("a");
    await s.read("b");
    await s.quiet("c", "d");
    await s.call("d", "RPUSH", "k", "3", "4");
    await s.read("c");
    await s.call("d", "LRANGE", "k", "0", "-1");
  });

  scenario("a client blocked on several keys is served from the key that became ready", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k1", "k2");
    s.send("a", "BLPOP", "k1", "k2", "0");
    await s.quiet("a", "b");
    // Both keys fill in one transaction: k2 became ready first.
    await s.call("b", "MULTI");
    await s.call("b", "RPUSH", "k2", "from-k2");
    await s.call("b", "RPUSH", "k1", "from-k1");
    await s.call("b", "EXEC");
    await s.read("a");
    await s.call("b", "LRANGE", "k1", "0", "-1");
  });

  scenario("BLMPOP is served with its count, BLMOVE moves and wakes the next waiter", ["a", "b", "c"], async (s) => {
    await s.call("b", "DEL", "src", "dst", "m");
    s.send("a", "BLMPOP", "0", "2", "nope", "m", "RIGHT", "COUNT", "2");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "m", "1", "2", "3");
    await s.read("a");
    s.send("a", "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
    await s.quiet("a", "b");
    s.send("c", "BLPOP", "dst", "0");
    await s.quiet("c", "b");
    await s.call("b", "RPUSH", "src", "v");
    await s.read("a");
    await s.read("c");
    await s.call("b", "EXISTS", "src", "dst");
  });

  scenario("BRPOPLPUSH into a key of another type fails the waiter with WRONGTYPE", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "src", "str");
    await s.call("b", "SET", "str", "x");
    s.send("a", "BRPOPLPUSH", "src", "str", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "src", "v");
    await s.read("a");
    await s.call("b", "LRANGE", "src", "0", "-1");
  });

  scenario("a key that becomes another type does not serve; a list later does", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k");
    s.send("a", "BLPOP", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "SET", "k", "string");
    await s.quiet("a", "b");
    await s.call("b", "DEL", "k");
    await s.call("b", "LPUSH", "k", "v");
    await s.read("a");
  });

  scenario("waiters are per database, and a key listed twice is waited on once", ["a", "b"], async (s) => {
    await s.call("a", "SELECT", "1");
    await s.call("b", "FLUSHALL");
    s.send("a", "BLPOP", "k", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "k", "in-db0");
    await s.quiet("a", "b");
    await s.call("b", "SELECT", "1");
    await s.call("b", "RPUSH", "k", "in-db1", "second");
    await s.read("a");
    await s.call("b", "LRANGE", "k", "0", "-1");
  });

  scenario("a list that arrives by RENAME, MOVE or COPY serves the waiter", ["a", "b"], async (s) => {
    await s.call("b", "FLUSHALL");
    s.send("a", "BLPOP", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "tmp", "renamed");
    await s.call("b", "RENAME", "tmp", "k");
    await s.read("a");
    s.send("a", "BRPOP", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "src", "copied");
    await s.call("b", "COPY", "src", "k");
    await s.read("a");
  });

  scenario("SWAPDB bringing a list into a client's database serves it", ["a", "b"], async (s) => {
    await s.call("b", "FLUSHALL");
    await s.call("a", "SELECT", "2");
    s.send("a", "BLPOP", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "k", "from-db0");
    await s.call("b", "SWAPDB", "0", "2");
    await s.read("a");
    await s.call("b", "EXISTS", "k");
  });

  scenario("CLIENT REPLY OFF also silences the reply of a served pop", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k");
    s.send("a", "CLIENT", "REPLY", "OFF");
    s.send("a", "BLPOP", "k", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "k", "x", "y");
    await s.call("a", "CLIENT", "REPLY", "ON");
    await s.call("b", "LRANGE", "k", "0", "-1");
  });

  scenario("BLMOVE from a list to itself rotates once served", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k");
    s.send("a", "BLMOVE", "k", "k", "LEFT", "RIGHT", "0");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "k", "1", "2", "3");
    await s.read("a");
    await s.call("b", "LRANGE", "k", "0", "-1");
  });

  scenario("commands sent after a blocking one wait until it is served", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k");
    s.send("a", "BLPOP", "k", "0");
    s.send("a", "PING");
    s.send("a", "LLEN", "k");
    await s.quiet("a", "b");
    await s.call("b", "RPUSH", "k", "x", "y");
    await s.read("a");
    await s.read("a");
    await s.read("a");
  });

  scenario("a pipelined pop right after the push sees the element already taken", ["a", "b"], async (s) => {
    await s.call("b", "DEL", "k");
    s.send("a", "BLPOP", "k", "0");
    await s.quiet("a", "b");
    s.send("b", "RPUSH", "k", "x");
    s.send("b", "LPOP", "k");
    await s.read("b");
    await s.read("b");
    await s.read("a");
  });

  scenario("timeouts reply a null array in RESP2 and RESP3", ["a", "b"], async (s) => {
    await s.call("a", "BLPOP", "nokey", "0.05");
    await s.call("a", "BLMOVE", "nokey", "dst", "LEFT", "LEFT", "0.02");
    await s.ask("b", "HELLO", "3");
    await s.call("b", "BRPOP", "nokey", "0.01");
    await s.call("b", "BLMPOP", "0.01", "1", "nokey", "LEFT");
  });

  scenario("CLIENT UNBLOCK times out or fails a blocked client", ["a", "b"], async (s) => {
    const id = (await s.ask("a", "CLIENT", "ID")).slice(1, -2);
    await s.call("b", "CLIENT", "UNBLOCK", id);
    s.send("a", "BLPOP", "nokey", "0");
    await s.quiet("a", "b");
    await s.call("b", "CLIENT", "UNBLOCK", id, "TIMEOUT");
    await s.read("a");
    s.send("a", "BLMOVE", "nokey", "d", "LEFT", "LEFT", "0");
    await s.quiet("a", "b");
    await s.call("b", "CLIENT", "UNBLOCK", id, "ERROR");
    await s.read("a");
    await s.call("b", "CLIENT", "UNBLOCK", id, "ERROR");
    await s.call("b", "CLIENT", "UNBLOCK", "999999");
    await s.call("b", "CLIENT", "UNBLOCK", id, "LATER");
    await s.call("a", "PING");
  });

  scenario("a blocked client that disconnects leaves the queue", ["a", "b", "c"], async (s) => {
    await s.call("c", "DEL", "k");
    s.send("a", "BLPOP", "k", "0");
    await s.quiet("a", "c");
    s.send("b", "BLPOP", "k", "0");
    await s.quiet("b", "c");
    s.close("a");
    // Bounded wait for the server to see the disconnect.
    for (let i = 0; i < 100; i++) {
      const list = await s.ask("c", "CLIENT", "LIST");
      if (list.split("\n").filter((l) => l.includes("id=")).length === 2) break;
    }
    await s.call("c", "RPUSH", "k", "1", "2");
    await s.read("b");
    await s.call("c", "LRANGE", "k", "0", "-1");
  });

  it("the idle timeout never closes a blocked client", async () => {
    const srv = redish.running.server;
    await session(redish.port, ["a", "b", "idle"], async (s) => {
      await s.call("b", "DEL", "k");
      await s.call("idle", "PING");
      s.send("a", "BLPOP", "k", "0");
      await s.quiet("a", "b");
      await s.call("b", "CONFIG", "SET", "timeout", "1");
      // Everyone looks idle for an hour except b, which keeps talking.
      for (const c of srv.clients.values()) c.lastInteraction -= 3_600_000;
      await s.call("b", "PING");
      srv.cron();
      await s.call("b", "CONFIG", "SET", "timeout", "0");
      await s.call("b", "RPUSH", "k", "x");
      expect(await s.read("a")).toBe("*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
      await expect(s.call("idle", "PING")).rejects.toThrow();
    });
  });

  it("propagates served blocking commands as the pops and moves they did", async () => {
    const srv = redish.running.server;
    const seen: string[] = [];
    const dec = new TextDecoder();
    const stop = srv.onPropagate((_db, args) => seen.push(args.map((a) => dec.decode(a)).join(" ")));
    try {
      await session(redish.port, ["a", "b"], async (s) => {
        await s.call("b", "DEL", "k", "d");
        seen.length = 0;
        for (const cmd of [
          ["BLPOP", "k", "0"],
          ["BRPOP", "k", "0"],
          ["BLMPOP", "0", "1", "k", "LEFT", "COUNT", "5"],
          ["BLMOVE", "k", "d", "RIGHT", "LEFT", "0"],
          ["BRPOPLPUSH", "k", "d", "0"],
        ]) {
          s.send("a", ...cmd);
          await s.quiet("a", "b");
          await s.call("b", "RPUSH", "k", "x");
          await s.read("a");
        }
        // Served at once, not blocked: the same rewriting.
        await s.call("b", "RPUSH", "k", "z");
        await s.call("b", "BLPOP", "k", "0");
      });
    } finally {
      stop();
    }
    // The push first, then the pop it fed (a replica replays them in this order).
    expect(seen).toEqual([
      "RPUSH k x",
      "LPOP k",
      "RPUSH k x",
      "RPOP k",
      "RPUSH k x",
      "LPOP k 1",
      "RPUSH k x",
      "LMOVE k d RIGHT LEFT",
      "RPUSH k x",
      "RPOPLPUSH k d",
      "RPUSH k z",
      "LPOP k",
    ]);
  });

  it("works with ioredis: blpop resolves when another connection pushes", async () => {
    const blocker = new Redis({ port: redish.port, host: "127.0.0.1", lazyConnect: true });
    const pusher = new Redis({ port: redish.port, host: "127.0.0.1", lazyConnect: true });
    await blocker.connect();
    await pusher.connect();
    try {
      await pusher.del("jobs");
      // Whether the push lands before or after the pop blocks, the pop gets the job.
      const waiting = blocker.blpop("jobs", 0);
      await pusher.rpush("jobs", "job-1");
      expect(await waiting).toEqual(["jobs", "job-1"]);
      expect(await blocker.brpop("none", 0.01)).toBeNull();
    } finally {
      blocker.disconnect();
      pusher.disconnect();
    }
  });
});
