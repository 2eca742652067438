import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient, encodeCommand } from "../helpers/resp";
import { type TestServer, startRedish } from "../helpers/servers";

function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

async function fill(c: RawClient, prefix: string, n: number, extra: string[] = []): Promise<string[]> {
  const replies: string[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch: Buffer[] = [];
    for (let k = i; k < Math.min(n, i + 100); k++) batch.push(encodeCommand(["SET", `${prefix}:${k}`, "v".repeat(100), ...extra]));
    c.writeRaw(Buffer.concat(batch));
    for (let k = 0; k < batch.length; k++) replies.push((await c.readReply()).toString());
  }
  return replies;
}

describe("eviction under maxmemory", () => {
  let s: TestServer;
  let c: RawClient;
  beforeAll(async () => {
    s = await startRedish([["maxmemory", "2mb"], ["maxmemory-policy", "allkeys-lru"]]);
    c = await RawClient.connect(s.port);
  });
  afterAll(async () => {
    c.close();
    await s.stop();
  });

  it("allkeys-lru keeps used_memory at maxmemory and every write succeeds", async () => {
    const replies = await fill(c, "k", 50000);
    expect(replies.every((r) => r === "+OK\r\n")).toBe(true);
    const info = await c.call("INFO", "all");
    expect(usedMemory(info)).toBeLessThanOrEqual(2 * 1024 * 1024 + 4096);
    expect(Number(/evicted_keys:(\d+)/.exec(info)?.[1])).toBeGreaterThan(0);
    const dbsize = Number((await c.call("DBSIZE")).slice(1));
    expect(dbsize).toBeGreaterThan(1000);
    expect(dbsize).toBeLessThan(50000);
  });

  it("allkeys-lru evicts keys idle longer than one in use", async () => {
    // The LRU clock ticks in seconds, as Redis's: let the existing keys age first.
    await new Promise((r) => setTimeout(r, 1200));
    await c.call("SET", "hot", "1");
    for (let round = 0; round < 10; round++) {
      await fill(c, `new${round}`, 300);
      expect(await c.call("GET", "hot")).toBe("$1\r\n1\r\n");
    }
  });

  it("noeviction refuses writes with Redis's OOM error but still serves reads", async () => {
    await c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
    const replies = await fill(c, "more", 20000);
    expect(replies).toContain("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    expect(await c.call("GET", "hot")).toBe("$1\r\n1\r\n");
    expect(await c.call("DEL", "hot")).toBe(":1\r\n");
  });

  it("volatile-ttl evicts keys with a TTL first, then refuses when none is left", async () => {
    await c.call("FLUSHALL");
    await c.call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
    await fill(c, "keep", 1000);
    const replies = await fill(c, "ttl", 30000, ["EX", "1000"]);
    expect(replies.filter((r) => r === "+OK\r\n").length).toBeGreaterThan(20000);
    expect(await c.call("EXISTS", "keep:0", "keep:999")).toBe(":2\r\n");
    await c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
  });
});
