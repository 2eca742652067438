// Lazy freeing seen from clients: UNLINK and FLUSHALL/FLUSHDB ASYNC of big
// collections reply before the memory is freed, other clients are served
// while it is, and used_memory comes back afterwards.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Arg, encodeCommand, RawClient } from "../helpers/resp";
import { startRedish } from "../helpers/servers";

type Redish = Awaited<ReturnType<typeof startRedish>>;

const MILLION = 1_000_000;
const BATCH = 10_000;
/** What may stay allocated after a big value is gone (grown reply and input buffers, tables). */
const SLACK = 2 * 1024 * 1024;

let srv: Redish;
let a: RawClient;
let b: RawClient;

beforeAll(async () => {
  srv = await startRedish();
  a = await RawClient.connect(srv.port);
  b = await RawClient.connect(srv.port);
});

afterAll(async () => {
  a?.close();
  b?.close();
  await srv?.stop();
});

beforeEach(async () => {
  await a.call("FLUSHALL", "SYNC");
  await a.call("CONFIG", "SET", "lazyfree-lazy-user-del", "no");
  await a.call("CONFIG", "SET", "lazyfree-lazy-user-flush", "no");
});

/** Sends the commands in one write and returns every reply. */
async function pipeline(c: RawClient, cmds: Arg[][]): Promise<string[]> {
  c.writeRaw(Buffer.concat(cmds.map((cmd) => encodeCommand(cmd))));
  const out: string[] = [];
  for (let i = 0; i < cmds.length; i++) out.push((await c.readReply(60_000)).toString("latin1"));
  return out;
}

/** Fills `key` with a million elements, BATCH per command. */
async function fill(cmd: string, key: string, element: (i: number) => string[]): Promise<void> {
  const cmds: Arg[][] = [];
  for (let from = 0; from < MILLION; from += BATCH) {
    const args: Arg[] = [cmd, key];
    for (let i = from; i < from + BATCH; i++) args.push(...element(i));
    cmds.push(args);
  }
  for (let i = 0; i < cmds.length; i += 10) await pipeline(a, cmds.slice(i, i + 10));
}

function infoField(info: string, name: string): number {
  const m = info.match(new RegExp(`${name}:(\\d+)`));
  if (m === null) throw new Error(`no ${name} in INFO`);
  return Number(m[1]);
}

const engine = () => srv.running.server.engine;
const turn = () => new Promise((r) => setImmediate(r));

/** Waits (bounded, in event-loop turns) until nothing is left to free. */
async function drained(): Promise<void> {
  for (let i = 0; i < 100_000 && engine().x.lazyfreePending() !== 0; i++) await turn();
  expect(engine().x.lazyfreePending()).toBe(0);
}

/**
 * Type, filling command, element arguments, and whether freeing takes many
 * turns: a table of a million entries does; a list is a few thousand 8 KB
 * nodes, freed within a turn or two.
 */
const fills: [string, string, (i: number) => string[], boolean][] = [
  ["set", "SADD", (i) => [`member:${i}`], true],
  ["hash", "HSET", (i) => [`field:${i}`, `value:${i}`], true],
  ["list", "RPUSH", (i) => [`element:${i}`], false],
];

describe("lazy freeing", () => {
  for (const [type, cmd, element, manyTurns] of fills) {
    it(`UNLINK of a ${MILLION}-element ${type} replies before freeing it, and the memory comes back`, async () => {
      const baseline = engine().usedMemory();
      await fill(cmd, "big", element);
      const full = engine().usedMemory();
      expect(full - baseline).toBeGreaterThan(10 * 1024 * 1024);
      // In one batch: the replies are written before any freeing turn runs.
      const [unlinked, info, size] = await pipeline(a, [["UNLINK", "big"], ["INFO", "memory"], ["DBSIZE"]]);
      expect(unlinked).toBe(":1\r\n");
      expect(size).toBe(":0\r\n");
      expect(infoField(info, "lazyfree_pending_objects")).toBe(1);
      expect(infoField(info, "used_memory")).toBeGreaterThan(full - SLACK);
      // Another client is served while the freeing goes on.
      expect(await b.call("PING")).toBe("+PONG\r\n");
      if (manyTurns) expect(engine().x.lazyfreePendingObjects()).toBe(1);
      await drained();
      const after = await a.call("INFO", "memory");
      expect(infoField(after, "lazyfree_pending_objects")).toBe(0);
      expect(infoField(after, "used_memory")).toBeLessThan(baseline + SLACK);
    }, 120_000);
  }

  it("FLUSHALL ASYNC empties every database at once and frees big values inside them step by step", async () => {
    const baseline = engine().usedMemory();
    await fill("SADD", "big", (i) => [`member:${i}`]);
    await pipeline(a, [
      ["SELECT", "2"],
      ["MSET", "x", "1", "y", "2"],
      ["SELECT", "0"],
    ]);
    const before = infoField(await a.call("INFO", "memory"), "lazyfreed_objects");
    const [ok, size, info] = await pipeline(a, [["FLUSHALL", "ASYNC"], ["DBSIZE"], ["INFO", "memory"]]);
    expect(ok).toBe("+OK\r\n");
    expect(size).toBe(":0\r\n");
    expect(infoField(info, "lazyfree_pending_objects")).toBe(3);
    expect(await b.call("PING")).toBe("+PONG\r\n");
    await drained();
    const after = await a.call("INFO", "memory");
    expect(infoField(after, "lazyfreed_objects")).toBe(before + 3);
    expect(infoField(after, "used_memory")).toBeLessThan(baseline + SLACK);
  }, 120_000);

  it("DEL frees lazily with lazyfree-lazy-user-del, FLUSHDB with lazyfree-lazy-user-flush", async () => {
    await a.call("CONFIG", "SET", "lazyfree-lazy-user-del", "yes");
    await a.call("CONFIG", "SET", "lazyfree-lazy-user-flush", "yes");
    const members = Array.from({ length: 100 }, (_, i) => `m${i}`);
    const [, deleted, info] = await pipeline(a, [
      ["SADD", "s", ...members],
      ["DEL", "s"],
      ["INFO", "memory"],
    ]);
    expect(deleted).toBe(":1\r\n");
    expect(infoField(info, "lazyfree_pending_objects")).toBe(1);
    await drained();
    const [, , flushed] = await pipeline(a, [["MSET", "a", "1", "b", "2"], ["FLUSHDB"], ["INFO", "memory"]]);
    expect(infoField(flushed, "lazyfree_pending_objects")).toBe(2);
    await drained();
    const [, , sync] = await pipeline(a, [
      ["SET", "a", "1"],
      ["FLUSHDB", "SYNC"],
      ["INFO", "memory"],
    ]);
    expect(infoField(sync, "lazyfree_pending_objects")).toBe(0);
  });
});
