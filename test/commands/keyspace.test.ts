// Keyspace behaviour a byte-for-byte diff cannot show: SCAN's guarantees
// under a changing table, random and time-dependent replies, active expiry,
// memory given back, propagation of effects, and WATCH invalidation.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLIENT_DIRTY_CAS } from "../../src/server/client";
import { type Arg, encodeCommand, RawClient } from "../helpers/resp";
import { startRedish } from "../helpers/servers";

type Redish = Awaited<ReturnType<typeof startRedish>>;

const dec = new TextDecoder("latin1");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Parses a RESP2 reply (latin1 text) into nested arrays of strings. */
type Reply = string | number | null | Reply[];
function parse(text: string): Reply {
  let pos = 0;
  const line = (): string => {
    const end = text.indexOf("\r\n", pos);
    const s = text.slice(pos, end);
    pos = end + 2;
    return s;
  };
  const one = (): Reply => {
    const head = line();
    const n = Number(head.slice(1));
    switch (head[0]) {
      case "$": {
        if (n < 0) return null;
        const s = text.slice(pos, pos + n);
        pos += n + 2;
        return s;
      }
      case "*":
        return n < 0 ? null : Array.from({ length: n }, one);
      case ":":
        return n;
      default:
        return head;
    }
  };
  return one();
}

describe("keyspace commands through a client", () => {
  let srv: Redish;
  let cli: RawClient;
  const propagated: string[][] = [];
  let stopListening: () => void;

  beforeAll(async () => {
    srv = await startRedish();
    cli = await RawClient.connect(srv.port);
    stopListening = srv.running.server.onPropagate((_db, args) => propagated.push(args.map((a) => dec.decode(a))));
  });
  afterAll(async () => {
    stopListening();
    cli.close();
    await srv.stop();
  });
  beforeEach(async () => {
    await cli.call("FLUSHALL");
    propagated.length = 0;
  });

  const call = async (...args: Arg[]): Promise<Reply> => parse(await cli.call(...args));

  /** Sends many commands in one write and waits for all replies. */
  async function pipeline(cmds: Arg[][]): Promise<void> {
    cli.writeRaw(Buffer.concat(cmds.map((c) => encodeCommand(c))));
    for (let i = 0; i < cmds.length; i++) await cli.readReply();
  }

  async function setKeys(prefix: string, n: number, ...opts: Arg[]): Promise<string[]> {
    const keys = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    await pipeline(keys.map((k) => ["SET", k, "v", ...opts]));
    return keys;
  }

  async function scanStep(cursor: string, ...opts: Arg[]): Promise<[string, string[]]> {
    return (await call("SCAN", cursor, ...opts)) as [string, string[]];
  }

  /** Polls until `done` holds, at most `tries` times `everyMs` apart; returns whether it did. */
  async function eventually(done: () => Promise<boolean>, tries = 300, everyMs = 10): Promise<boolean> {
    for (let i = 0; i < tries; i++) {
      if (await done()) return true;
      await sleep(everyMs);
    }
    return false;
  }

  describe("SCAN", () => {
    it("returns every key present for the whole iteration while keys are added and the table grows", async () => {
      const stable = await setKeys("stable:", 500);
      const seen = new Set<string>();
      let cursor = "0";
      let added = 0;
      let calls = 0;
      do {
        const [next, keys] = await scanStep(cursor, "COUNT", "5");
        for (const k of keys) seen.add(k);
        // Grow the table several times over (500 → 4500 keys) early in the iteration.
        if (added < 100) await setKeys(`added${added++}:`, 40);
        cursor = next;
        calls++;
      } while (cursor !== "0" && calls < 10000);
      expect(cursor).toBe("0");
      for (const k of stable) expect(seen.has(k), k).toBe(true);
      expect(Number(await call("DBSIZE"))).toBe(500 + 40 * added);
    });

    it("returns every key present for the whole iteration while other keys are deleted and the table shrinks", async () => {
      const stable = await setKeys("stable:", 100);
      const doomed = await setKeys("doomed:", 3000);
      const seen = new Set<string>();
      let cursor = "0";
      let calls = 0;
      do {
        const [next, keys] = await scanStep(cursor, "COUNT", "3");
        for (const k of keys) seen.add(k);
        const batch = doomed.splice(0, 300);
        if (batch.length > 0) await call("DEL", ...batch);
        // Give the cron a chance to shrink and rehash the sparse table.
        if (calls % 5 === 0) await sleep(120);
        cursor = next;
        calls++;
      } while (cursor !== "0" && calls < 10000);
      expect(cursor).toBe("0");
      for (const k of stable) expect(seen.has(k), k).toBe(true);
    });

    it("COUNT is a lower bound on each step's keys unless the iteration ends", async () => {
      await setKeys("k", 1000);
      for (const count of [1, 7, 50, 200]) {
        let cursor = "0";
        let steps = 0;
        do {
          const [next, keys] = await scanStep(cursor, "COUNT", String(count));
          if (next !== "0") expect(keys.length).toBeGreaterThanOrEqual(count);
          cursor = next;
          steps++;
        } while (cursor !== "0" && steps < 5000);
        expect(cursor).toBe("0");
      }
      const [next, keys] = await scanStep("0", "COUNT", "100000");
      expect(next).toBe("0");
      expect(keys.length).toBe(1000);
    });

    it("MATCH filters after the walk: an iteration returns exactly the matching keys", async () => {
      await setKeys("user:", 300);
      await setKeys("item:", 300);
      const seen = new Set<string>();
      let cursor = "0";
      let steps = 0;
      do {
        const [next, keys] = await scanStep(cursor, "MATCH", "user:1*", "COUNT", "20");
        for (const k of keys) {
          expect(k.startsWith("user:1")).toBe(true);
          seen.add(k);
        }
        cursor = next;
        steps++;
      } while (cursor !== "0" && steps < 5000);
      const expected = Array.from({ length: 300 }, (_, i) => `user:${i}`).filter((k) => k.startsWith("user:1"));
      expect([...seen].sort()).toEqual(expected.sort());
    });

    it("TYPE filters by type name, case-insensitively", async () => {
      await setKeys("s", 50);
      const [, strings] = await scanStep("0", "COUNT", "1000", "TYPE", "StRiNg");
      expect(strings.length).toBe(50);
      const [, hashes] = await scanStep("0", "COUNT", "1000", "TYPE", "hash");
      expect(hashes).toEqual([]);
    });

    it("skips logically expired keys and deletes them", async () => {
      await setKeys("live", 20);
      await setKeys("gone", 20, "PX", "1");
      await sleep(10);
      const [, keys] = await scanStep("0", "COUNT", "1000");
      expect(keys.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `live${i}`).sort());
      expect(await call("DBSIZE")).toBe(20);
    });

    it("TYPE none returns expired keys once, as Redis does, and deletes them", async () => {
      // Active expiry must not get to the key first.
      srv.running.server.stopCron();
      try {
        await setKeys("live", 5);
        await call("SET", "gone", "v", "PX", "1");
        await sleep(10);
        expect(await scanStep("0", "COUNT", "1000", "TYPE", "none")).toEqual(["0", ["gone"]]);
        expect(await call("DBSIZE")).toBe(5);
        expect(await scanStep("0", "COUNT", "1000", "TYPE", "none")).toEqual(["0", []]);
      } finally {
        srv.running.server.startCron();
      }
    });
  });

  describe("KEYS", () => {
    it("gives its result memory back after a large reply", async () => {
      await setKeys("k", 20000);
      const engine = srv.running.server.engine;
      const before = engine.usedMemory();
      const keys = (await call("KEYS", "*")) as string[];
      expect(keys.length).toBe(20000);
      // (The cron may meanwhile finish a rehash and free a table: less is fine.)
      expect(engine.usedMemory()).toBeLessThanOrEqual(before);
    });
  });

  describe("RANDOMKEY", () => {
    it("returns each existing key over many calls, never a missing one", async () => {
      await call("MSET", "a", "1", "b", "2", "c", "3");
      const seen = new Set<string>();
      for (let i = 0; i < 300; i++) seen.add((await call("RANDOMKEY")) as string);
      expect([...seen].sort()).toEqual(["a", "b", "c"]);
    });

    it("never returns an expired key: it deletes them and returns nil when none is left", async () => {
      await setKeys("gone", 30, "PX", "1");
      await call("SET", "live", "v");
      await sleep(10);
      for (let i = 0; i < 20; i++) expect(await call("RANDOMKEY")).toBe("live");
      await call("DEL", "live");
      expect(await call("RANDOMKEY")).toBe(null);
      expect(await call("DBSIZE")).toBe(0);
    });
  });

  describe("expiry", () => {
    it("a key with PX expires: TTL counts down to -2 and the value is gone", async () => {
      await call("SET", "k", "v", "PX", "50");
      const pttl = (await call("PTTL", "k")) as number;
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(50);
      expect(await call("TTL", "k")).toBe(0);
      expect(await eventually(async () => (await call("GET", "k")) === null)).toBe(true);
      expect(await call("TTL", "k")).toBe(-2);
      expect(await call("PTTL", "k")).toBe(-2);
      expect(await call("EXISTS", "k")).toBe(0);
    });

    it("PEXPIRE and EXPIRETIME agree on the absolute time", async () => {
      await call("SET", "k", "v");
      const before = Date.now();
      await call("PEXPIRE", "k", "100000");
      const after = Date.now();
      const at = (await call("PEXPIRETIME", "k")) as number;
      expect(at).toBeGreaterThanOrEqual(before + 100000);
      expect(at).toBeLessThanOrEqual(after + 100000);
      expect(await call("EXPIRETIME", "k")).toBe(Math.floor((at + 500) / 1000));
    });

    it("active expiry frees keys nobody touches", async () => {
      await setKeys("k", 1000, "PX", "50");
      expect(await call("DBSIZE")).toBe(1000);
      expect(await eventually(async () => (await call("DBSIZE")) === 0, 400, 25)).toBe(true);
    });

    it("SET/DEL of 200k keys gives the memory back", async () => {
      const engine = srv.running.server.engine;
      const round = async (r: number): Promise<void> => {
        const keys = Array.from({ length: 5000 }, (_, i) => `soak:${r}:${i}`);
        await pipeline(keys.map((k) => ["SET", k, "some value of a few bytes"]));
        await pipeline(Array.from({ length: 50 }, (_, i) => ["DEL", ...keys.slice(i * 100, i * 100 + 100)]));
      };
      await round(-1);
      const baseline = engine.usedMemory();
      for (let r = 0; r < 40; r++) await round(r);
      expect(await call("DBSIZE")).toBe(0);
      // The tables keep their size between rounds; nothing else may stay behind.
      expect(engine.usedMemory()).toBeLessThanOrEqual(baseline + 4096);
    });
  });

  describe("propagation", () => {
    it("EXPIRE, PEXPIRE and EXPIREAT propagate as PEXPIREAT with the absolute time and their flags", async () => {
      await call("SET", "k", "v");
      propagated.length = 0;
      const before = Date.now();
      await call("EXPIRE", "k", "100", "NX");
      const after = Date.now();
      await call("EXPIREAT", "k", "4102444800");
      await call("pexpireat", "k", "4102444800123", "xx");
      await call("PEXPIRE", "k", "5000", "lt");
      const [first, second, third, fourth] = propagated;
      expect(first.slice(0, 2)).toEqual(["PEXPIREAT", "k"]);
      expect(Number(first[2])).toBeGreaterThanOrEqual(before + 100000);
      expect(Number(first[2])).toBeLessThanOrEqual(after + 100000);
      expect(first[3]).toBe("NX");
      expect(second).toEqual(["PEXPIREAT", "k", "4102444800000"]);
      expect(third).toEqual(["pexpireat", "k", "4102444800123", "xx"]);
      expect(fourth[0]).toBe("PEXPIREAT");
      expect(fourth[3]).toBe("lt");
    });

    it("an expire time in the past propagates a DEL; refused expires propagate nothing", async () => {
      await call("SET", "k", "v");
      await call("SET", "j", "v");
      propagated.length = 0;
      await call("EXPIRE", "k", "-1");
      await call("EXPIRE", "j", "100", "XX");
      await call("EXPIRE", "nope", "100");
      await call("PERSIST", "j");
      expect(propagated).toEqual([["DEL", "k"]]);
    });

    it("RENAME to itself, RENAMENX refused and TOUCH propagate nothing; real changes propagate as sent", async () => {
      await call("MSET", "a", "1", "b", "2");
      propagated.length = 0;
      await call("RENAME", "a", "a");
      await call("RENAMENX", "a", "b");
      await call("TOUCH", "a", "b");
      await call("MOVE", "nope", "1");
      await call("COPY", "a", "b");
      await call("RENAME", "a", "c");
      await call("MOVE", "c", "2");
      await call("COPY", "b", "d", "DB", "3");
      expect(propagated).toEqual([
        ["RENAME", "a", "c"],
        ["MOVE", "c", "2"],
        ["COPY", "b", "d", "DB", "3"],
      ]);
    });

    it("FLUSHDB propagates once, even on an empty database; SWAPDB of a database with itself too", async () => {
      await call("FLUSHDB");
      await call("SET", "a", "1");
      await call("FLUSHDB", "ASYNC");
      await call("SWAPDB", "0", "0");
      expect(propagated).toEqual([["FLUSHDB"], ["SET", "a", "1"], ["FLUSHDB", "ASYNC"], ["SWAPDB", "0", "0"]]);
    });

    it("each change counts once in the dirty counter", async () => {
      const server = srv.running.server;
      await call("MSET", "a", "1", "b", "2", "c", "3");
      const dirty = async (...args: Arg[]): Promise<number> => {
        const before = server.dirty;
        await call(...args);
        return server.dirty - before;
      };
      expect(await dirty("DEL", "a", "nope", "a")).toBe(1);
      expect(await dirty("RENAME", "b", "bb")).toBe(1);
      expect(await dirty("EXPIRE", "bb", "100")).toBe(1);
      expect(await dirty("PERSIST", "bb")).toBe(1);
      expect(await dirty("PERSIST", "bb")).toBe(0);
      expect(await dirty("COPY", "bb", "x")).toBe(1);
      expect(await dirty("MOVE", "x", "1")).toBe(1);
      expect(await dirty("SWAPDB", "0", "1")).toBe(1);
      expect(await dirty("FLUSHDB")).toBe(1);
      expect(await dirty("FLUSHDB")).toBe(0);
    });
  });

  describe("WATCH invalidation", () => {
    /** A second, socket-less client WATCHing a key; returns whether a command dirtied it. */
    async function dirtiesWatch(db: number, key: string, ...cmd: Arg[]): Promise<boolean> {
      const server = srv.running.server;
      const watcher = server.createClient(null);
      try {
        server.watchKey(watcher, db, new TextEncoder().encode(key));
        await call(...cmd);
        return (watcher.flags & CLIENT_DIRTY_CAS) !== 0;
      } finally {
        server.removeClient(watcher);
      }
    }

    it("RENAME touches both keys, MOVE both databases, COPY the destination", async () => {
      await call("MSET", "a", "1", "b", "2");
      expect(await dirtiesWatch(0, "a", "RENAME", "a", "c")).toBe(true);
      expect(await dirtiesWatch(0, "d", "RENAME", "c", "d")).toBe(true);
      expect(await dirtiesWatch(1, "d", "MOVE", "d", "1")).toBe(true);
      expect(await dirtiesWatch(0, "e", "COPY", "b", "e")).toBe(true);
      expect(await dirtiesWatch(0, "b", "COPY", "b", "f")).toBe(false);
      expect(await dirtiesWatch(0, "b", "RENAME", "b", "b")).toBe(false);
    });

    it("EXPIRE and PERSIST touch the key; a refused EXPIRE does not", async () => {
      await call("SET", "k", "v");
      expect(await dirtiesWatch(0, "k", "EXPIRE", "k", "100", "XX")).toBe(false);
      expect(await dirtiesWatch(0, "k", "EXPIRE", "k", "100")).toBe(true);
      expect(await dirtiesWatch(0, "k", "PERSIST", "k")).toBe(true);
      expect(await dirtiesWatch(0, "k", "EXPIRE", "k", "-1")).toBe(true);
    });

    it("SWAPDB touches both databases, FLUSHDB the flushed one", async () => {
      await call("SET", "k", "v");
      expect(await dirtiesWatch(3, "k", "SWAPDB", "0", "3")).toBe(true);
      expect(await dirtiesWatch(0, "k", "SWAPDB", "0", "3")).toBe(true);
      expect(await dirtiesWatch(5, "k", "SWAPDB", "0", "3")).toBe(false);
      // Three swaps left k in database 3: flushing 0 changes nothing a watcher of k in 0 sees.
      expect(await dirtiesWatch(0, "k", "FLUSHDB")).toBe(false);
      await call("SET", "k", "v");
      expect(await dirtiesWatch(0, "k", "FLUSHDB")).toBe(true);
    });
  });
});
