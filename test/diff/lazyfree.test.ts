import { expect, it } from "vitest";
import { type DiffPair, describeDiff } from "../helpers/diff";
import type { Arg, RawClient } from "../helpers/resp";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function field(info: string, name: string): string {
  return info.match(new RegExp(`${name}:(\\d+)`))?.[1] ?? "missing";
}

/** Polls (bounded) until the server has nothing left to free; returns its lazyfreed_objects. */
async function settled(c: RawClient): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const info = await c.call("INFO", "memory");
    if (field(info, "lazyfree_pending_objects") === "0") return field(info, "lazyfreed_objects");
    await sleep(10);
  }
  throw new Error("lazy freeing never finished");
}

/** Runs the commands on both (replies compared), then compares what each counted as lazily freed. */
async function sameFreed(p: DiffPair, script: Arg[][]): Promise<void> {
  await p.run(script);
  const [x, y] = await Promise.all([settled(p.redish), settled(p.redis)]);
  expect(x, `lazyfreed_objects after ${JSON.stringify(script)}`).toBe(y);
}

const members = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

// Which values Redis frees lazily: more than 64 allocations' worth (quicklist
// nodes, table entries); a database flushed ASYNC counts its keys.
describeDiff("lazy freeing counts against redis-server", (pair) => {
  it("UNLINK counts only values above the threshold", async () => {
    const p = pair();
    await sameFreed(p, [["FLUSHALL"], ["CONFIG", "RESETSTAT"]]);
    await sameFreed(p, [
      ["SADD", "s64", ...members(64, "m")],
      ["UNLINK", "s64"],
    ]);
    await sameFreed(p, [
      ["SADD", "s65", ...members(65, "m")],
      ["UNLINK", "s65"],
    ]);
    await sameFreed(p, [
      ["SADD", "is", ...members(500, "")],
      ["UNLINK", "is"],
    ]);
    await sameFreed(p, [
      ["HSET", "small", "f", "v"],
      ["UNLINK", "small"],
    ]);
    await sameFreed(p, [
      ["CONFIG", "SET", "hash-max-listpack-entries", "0"],
      ["HSET", "h", ...members(130, "f")],
      ["UNLINK", "h"],
      ["CONFIG", "SET", "hash-max-listpack-entries", "128"],
    ]);
    await sameFreed(p, [
      ["CONFIG", "SET", "list-max-listpack-size", "1"],
      ["RPUSH", "l64", ...members(64, "e")],
      ["RPUSH", "l65", ...members(65, "e")],
      ["UNLINK", "l64", "l65", "nokey", "string"],
      ["CONFIG", "SET", "list-max-listpack-size", "-2"],
    ]);
    await sameFreed(p, [
      ["SET", "str", "x".repeat(100000)],
      ["UNLINK", "str"],
    ]);
    const scored = (n: number) => members(n, "m").flatMap((m, i) => [String(i), m]);
    await sameFreed(p, [
      ["ZADD", "z64", ...scored(64)],
      ["ZADD", "z200", ...scored(200)],
      ["UNLINK", "z64", "z200"],
    ]);
    await sameFreed(p, [
      ["CONFIG", "SET", "zset-max-listpack-entries", "0"],
      ["ZADD", "z64", ...scored(64)],
      ["ZADD", "z65", ...scored(65)],
      ["UNLINK", "z64", "z65"],
      ["CONFIG", "SET", "zset-max-listpack-entries", "128"],
    ]);
  });

  it("DEL counts only with lazyfree-lazy-user-del", async () => {
    const p = pair();
    await sameFreed(p, [["FLUSHALL"], ["CONFIG", "RESETSTAT"]]);
    await sameFreed(p, [
      ["SADD", "s", ...members(100, "m")],
      ["DEL", "s"],
    ]);
    await sameFreed(p, [
      ["CONFIG", "SET", "lazyfree-lazy-user-del", "yes"],
      ["SADD", "s", ...members(100, "m")],
      ["DEL", "s"],
      ["CONFIG", "SET", "lazyfree-lazy-user-del", "no"],
    ]);
  });

  it("FLUSHDB/FLUSHALL ASYNC count the keys; lazyfree-lazy-user-flush makes the plain forms async", async () => {
    const p = pair();
    await sameFreed(p, [["FLUSHALL"], ["CONFIG", "RESETSTAT"]]);
    await sameFreed(p, [
      ["MSET", "a", "1", "b", "2", "c", "3"],
      ["FLUSHDB", "ASYNC"],
    ]);
    await sameFreed(p, [
      ["MSET", "a", "1"],
      ["SELECT", "3"],
      ["MSET", "x", "1", "y", "2"],
      ["FLUSHALL", "ASYNC"],
    ]);
    await sameFreed(p, [["SELECT", "0"], ["MSET", "a", "1"], ["FLUSHALL"], ["FLUSHDB", "ASYNC"]]);
    await sameFreed(p, [
      ["CONFIG", "SET", "lazyfree-lazy-user-flush", "yes"],
      ["MSET", "a", "1", "b", "2"],
      ["FLUSHALL"],
      ["MSET", "a", "1"],
      ["FLUSHALL", "SYNC"],
      ["MSET", "a", "1", "b", "1"],
      ["FLUSHDB"],
      ["CONFIG", "SET", "lazyfree-lazy-user-flush", "no"],
    ]);
    await sameFreed(p, [
      ["FLUSHALL", "BOGUS"],
      ["FLUSHDB", "ASYNC", "SYNC"],
    ]);
  });

  it("CONFIG RESETSTAT clears lazyfreed_objects", async () => {
    const p = pair();
    await sameFreed(p, [
      ["SET", "a", "1"],
      ["FLUSHALL", "ASYNC"],
    ]);
    await sameFreed(p, [["CONFIG", "RESETSTAT"]]);
  });
});
