// 1M keys (key:%010d, 100-byte values) saved and loaded by Redish and by
// redis-server side by side: SAVE time, BGSAVE time, the longest PING a
// client waits during BGSAVE, file size, load time. Run with REDISH_SLOW=1
// (Redish from the built CLI: `npm run build` first); prints a table.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import * as net from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { freePort, hasRedis, redisServerBin, waitForPort } from "../helpers/servers";
import { Conn } from "./dataset";
import { checkRdb, infoField, removeDir, tempDir } from "./rdb-helpers";

const SLOW = process.env.REDISH_SLOW === "1";
const KEYS = Number(process.env.REDISH_SLOW_KEYS ?? 1_000_000);
const CLI = fileURLToPath(new URL("../../bin/redish-server.js", import.meta.url));

interface Proc {
  port: number;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function launch(cmd: string, args: string[], dir: string): Promise<Proc> {
  const port = await freePort();
  const proc = spawn(cmd, [...args, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""], {
    stdio: ["ignore", "pipe", "pipe"],
    cwd: dir,
  });
  let out = "";
  proc.stdout?.on("data", (d) => {
    out += d;
  });
  proc.stderr?.on("data", (d) => {
    out += d;
  });
  await waitForPort(port, 600_000);
  return {
    port,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const done = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGKILL");
      await done;
    },
  };
}

/** 100 printable bytes that LZF cannot shrink much, different per key. */
function value(i: number): string {
  let x = (i * 2654435761) >>> 0 || 1;
  let s = "";
  for (let k = 0; k < 100; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += String.fromCharCode(48 + (x % 75));
  }
  return s;
}

/** SETs the keys through one socket in pipelined batches, counting the +OK replies. */
async function fill(port: number, n: number): Promise<void> {
  const sock = net.createConnection({ port, host: "127.0.0.1" });
  await new Promise((r) => sock.once("connect", r));
  let pending = 0;
  let wake: (() => void) | null = null;
  sock.on("data", (d: Buffer) => {
    pending -= d.length / 5;
    if (pending === 0 && wake) wake();
  });
  const batch = 10_000;
  for (let i = 0; i < n; i += batch) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(n, i + batch); j++) {
      const k = `key:${String(j).padStart(10, "0")}`;
      parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$100\r\n${value(j)}\r\n`);
    }
    pending += parts.length;
    const done = new Promise<void>((r) => {
      wake = r;
    });
    sock.write(parts.join(""), "latin1");
    await done;
  }
  sock.destroy();
}

/** Sequential PINGs until stop() is called; returns the longest round trip (ms). */
function pinger(conn: Conn): { stop: () => Promise<{ max: number; count: number }> } {
  let running = true;
  let max = 0;
  let count = 0;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await conn.cmd("PING");
      max = Math.max(max, performance.now() - t);
      count++;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { max, count };
    },
  };
}

async function waitNotSaving(conn: Conn): Promise<void> {
  for (let i = 0; i < 60_000; i++) {
    const info = (await conn.cmd("INFO", "persistence")) as string;
    if (infoField(info, "rdb_bgsave_in_progress") === "0") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("BGSAVE did not finish");
}

interface Bgsave {
  /** Round trip of the BGSAVE command itself (the snapshot is taken inside it). */
  reply: number;
  /** Until INFO says the save is done. */
  done: number;
  /** The longest PING another client waited meanwhile. */
  maxPing: number;
  pings: number;
}

interface Row {
  server: string;
  fill: number;
  save: number;
  first: Bgsave;
  second: Bgsave;
  size: number;
  load: number;
  usedMemory: string;
}

async function timedBgsave(c: Conn, p: Conn): Promise<Bgsave> {
  const ping = pinger(p);
  await new Promise((r) => setTimeout(r, 200));
  const t = performance.now();
  expect(await c.cmd("BGSAVE")).toBe("Background saving started");
  const reply = performance.now() - t;
  await waitNotSaving(c);
  const done = performance.now() - t;
  const { max, count } = await ping.stop();
  expect(infoField((await c.cmd("INFO", "persistence")) as string, "rdb_last_bgsave_status")).toBe("ok");
  return { reply, done, maxPing: max, pings: count };
}

async function measure(name: string, cmd: string, args: string[]): Promise<Row> {
  const dir = tempDir(`rdb-slow-${name}`);
  const s = await launch(cmd, args, dir);
  const c = await Conn.open(s.port);
  const p = await Conn.open(s.port);
  try {
    let t = performance.now();
    await fill(s.port, KEYS);
    const fillMs = performance.now() - t;
    const usedMemory = infoField((await c.cmd("INFO", "memory")) as string, "used_memory_human");
    t = performance.now();
    expect(await c.cmd("SAVE")).toBe("OK");
    const save = performance.now() - t;
    const size = statSync(join(dir, "dump.rdb")).size;
    const first = await timedBgsave(c, p);
    const second = await timedBgsave(c, p);
    const check = checkRdb(join(dir, "dump.rdb"));
    expect(check.output).toContain(`${KEYS} keys read`);
    c.close();
    p.close();
    await s.stop();
    t = performance.now();
    const again = await launch(cmd, args, dir);
    const a = await Conn.open(again.port);
    for (let i = 0; i < 600_000 && infoField((await a.cmd("INFO", "persistence")) as string, "loading") !== "0"; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const load = performance.now() - t;
    expect(await a.cmd("DBSIZE")).toBe(KEYS);
    expect(await a.cmd("GET", "key:0000000042")).toBe(value(42));
    a.close();
    await again.stop();
    return { server: name, fill: fillMs, save, first, second, size, load, usedMemory };
  } finally {
    c.close();
    p.close();
    await s.stop();
    removeDir(dir);
  }
}

it.skipIf(!SLOW || !hasRedis || !existsSync(join(CLI, "../../dist/cli.js")))(
  `${KEYS} keys: SAVE, BGSAVE, pauses, size and load time next to redis-server`,
  async () => {
    const rows = [
      await measure("redis-server", redisServerBin() as string, []),
      await measure("redish", process.execPath, [CLI]),
    ];
    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const b = (x: Bgsave) =>
      `reply ${x.reply.toFixed(1)} ms, done ${f(x.done)}, longest PING ${x.maxPing.toFixed(1)} ms (${x.pings} pings)`;
    const lines = rows.map(
      (r) =>
        `${r.server.padEnd(13)} fill ${f(r.fill)} | used ${r.usedMemory} | SAVE ${f(r.save)} | file ${(r.size / 1048576).toFixed(1)} MB | restart+load ${f(r.load)}\n` +
        `${"".padEnd(13)} BGSAVE #1 ${b(r.first)}\n${"".padEnd(13)} BGSAVE #2 ${b(r.second)}`,
    );
    console.log(`\n${lines.join("\n")}`);
  },
  1_800_000,
);
