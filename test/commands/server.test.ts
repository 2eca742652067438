// Server commands whose replies carry times, addresses or files: compared
// with redis-server after normalizing those, or checked for their format.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/server/main";
import { RawClient } from "../helpers/resp";
import { hasRedis, startRedis, startRedish, type TestServer } from "../helpers/servers";

/** Collects what a MONITOR connection receives, timestamps and ports normalized. */
async function monitorFeed(port: number, script: string[][]): Promise<string[]> {
  const mon = await RawClient.connect(port);
  const cli = await RawClient.connect(port);
  expect(await mon.call("MONITOR")).toBe("+OK\r\n");
  for (const cmd of script) await cli.call(...cmd);
  const lines: string[] = [];
  for (let i = 0; i < script.length; i++) {
    const line = (await mon.readReply(2000).catch(() => null))?.toString("latin1");
    if (line === undefined) break;
    lines.push(line.replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, "+T [$1 addr]"));
  }
  mon.close();
  cli.close();
  return lines;
}

const MONITOR_SCRIPT = [
  ["SET", "k", "v"],
  ["GET", "k"],
  ["SELECT", "1"],
  ["CONFIG", "SET", "hz", "10"],
  ["AUTH", "secret"],
  ["SET", "bin", 'a\nb\u0001"c'],
  ["SELECT", "0"],
  ["PING"],
];

describe.skipIf(!hasRedis)("server commands with times and addresses", () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startRedish([["enable-debug-command", "yes"]]);
    b = await startRedis(["--enable-debug-command", "yes"]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("MONITOR feeds the same lines as redis-server, without admin commands, passwords redacted", async () => {
    const [x, y] = await Promise.all([monitorFeed(a.port, MONITOR_SCRIPT), monitorFeed(b.port, MONITOR_SCRIPT)]);
    expect(x).toEqual(y);
    expect(x[0]).toBe('+T [0 addr] "SET" "k" "v"\r\n');
  });

  it("SLOWLOG GET entries hold id, time, duration, args, peer and name", async () => {
    const c = await RawClient.connect(a.port);
    await c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
    await c.call("SLOWLOG", "RESET");
    await c.call("CLIENT", "SETNAME", "tester").catch(() => "");
    await c.call("SET", "slow", "x".repeat(200));
    await c.call("CONFIG", "SET", "masterauth", "pw");
    const reply = await c.call("SLOWLOG", "GET", "-1");
    expect(reply).toMatch(/^\*\d+\r\n\*6\r\n:\d+\r\n:\d{10}\r\n:\d+\r\n/);
    expect(reply).toContain("(redacted)");
    expect(reply).toContain("... (72 more bytes)");
    expect(await c.call("SLOWLOG", "LEN")).toMatch(/^:[1-9]\d*\r\n$/);
    await c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
    c.close();
  });

  it("TIME is seconds and microseconds of the current time", async () => {
    const c = await RawClient.connect(a.port);
    const m = /^\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n$/.exec(await c.call("TIME"));
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - Date.now() / 1000)).toBeLessThan(60);
    expect(Number(m?.[2])).toBeLessThan(1e6);
    expect(await c.call("LASTSAVE")).toMatch(/^:\d{10}\r\n$/);
    c.close();
  });

  it("INFO reports keyspace, persistence and memory figures in Redis's formats", async () => {
    const c = await RawClient.connect(a.port);
    await c.call("FLUSHALL");
    await c.call("SET", "a", "1");
    await c.call("SET", "b", "2", "EX", "1000");
    const info = await c.call("INFO");
    expect(info).toContain("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=");
    expect(info).toMatch(/\r\nloading:0\r\n/);
    expect(info).toMatch(/\r\nused_memory:\d+\r\nused_memory_human:\d+(\.\d\d[KMG]|B)\r\n/);
    expect(info).toMatch(/\r\nrdb_changes_since_last_save:\d+\r\n/);
    expect(info).toMatch(/\r\nredis_version:7\.0\.15\r\n/);
    expect(info).toMatch(/\r\nused_cpu_user:\d+\.\d{6}\r\n/);
    expect(info.endsWith("\r\n\r\n")).toBe(true);
    await c.call("HELLO", "3");
    expect(await c.call("INFO", "cluster")).toBe("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
    c.close();
  });

  it("DEBUG SET-ACTIVE-EXPIRE 0 leaves expired keys to lazy expiry", async () => {
    const c = await RawClient.connect(a.port);
    await c.call("FLUSHALL");
    await c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    await c.call("SET", "e", "1", "PX", "1");
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.call("DBSIZE")).toBe(":1\r\n");
    expect(await c.call("GET", "e")).toBe("$-1\r\n");
    expect(await c.call("DBSIZE")).toBe(":0\r\n");
    await c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
    c.close();
  });

  it("DEBUG is refused unless enable-debug-command allows it", async () => {
    const s = await startRedish();
    const c = await RawClient.connect(s.port);
    expect(await c.call("DEBUG", "HELP")).toMatch(/^-ERR DEBUG command not allowed\./);
    c.close();
    await s.stop();
  });
});

describe("SHUTDOWN", () => {
  it("replies nothing, closes the connection and stops listening", async () => {
    const s = await startRedish();
    const c = await RawClient.connect(s.port);
    c.writeRaw("*1\r\n$8\r\nSHUTDOWN\r\n");
    expect(await c.readUntilClose(5000)).toBe("");
    const refused = await new Promise<boolean>((resolve) => {
      const sock = net.createConnection({ port: s.port, host: "127.0.0.1" }, () => {
        sock.destroy();
        resolve(false);
      });
      sock.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
    await s.stop();
  });
});
