// Processes and files for RDB tests: redis-server on a chosen directory,
// redis-check-rdb, temp dirs, and waiting for a background save.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, redisServerBin, waitForPort } from "../helpers/servers";
import type { Conn } from "./dataset";

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RedisProc {
  port: number;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** redis-server in `dir` (loading dir/dump.rdb if present), stopped by PID. */
export async function startRedisIn(dir: string, args: string[] = []): Promise<RedisProc> {
  const bin = redisServerBin();
  if (bin === null) throw new Error("redis-server not found");
  const port = await freePort();
  const proc = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", ...args],
    // An in-process Redish chdirs into its dir, which a test may have removed since.
    { stdio: ["ignore", "pipe", "pipe"], cwd: tmpdir() },
  );
  let out = "";
  proc.stdout?.on("data", (d) => {
    out += d;
  });
  proc.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<void>((_, reject) =>
    proc.once("exit", (code) => reject(new Error(`redis-server exited with ${code}:\n${out}`))),
  );
  exited.catch(() => {});
  await Promise.race([waitForPort(port), exited]);
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

/** redis-check-rdb on a file: its exit status and report. */
export function checkRdb(file: string): { ok: boolean; output: string } {
  const r = spawnSync("redis-check-rdb", [file], { encoding: "utf8", timeout: 120_000, cwd: tmpdir() });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** Polls INFO persistence until no background save runs (bounded). */
export async function waitBgsave(conn: Conn, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = (await conn.cmd("INFO", "persistence")) as string;
    if (info.includes("rdb_bgsave_in_progress:0")) return info;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("background save did not finish");
}

/** An INFO field's value. */
export function infoField(info: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, "m").exec(info);
  return m === null ? "" : m[1].trim();
}
