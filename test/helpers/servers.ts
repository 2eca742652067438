// Servers for tests: Redish in-process on a free port, and a real
// redis-server (the reference) started as a child process on a free port.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "../../src/server/main";

export const INSTALL_HINT = "apt-get update && apt-get install -y redis-server redis-tools";

/** Path of the reference redis-server, or null when not installed. */
export function redisServerBin(): string | null {
  const env = process.env.REDIS_SERVER_BIN;
  if (env) return env;
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export const hasRedis = redisServerBin() !== null;

/** Prints once why differential tests are skipped. */
export function skipNotice(suite: string): void {
  if (!hasRedis)
    console.warn(`[${suite}] redis-server not found: differential tests skipped. Install it with: ${INSTALL_HINT}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address() as net.AddressInfo;
      s.close(() => resolve(addr.port));
    });
    s.once("error", reject);
  });
}

export interface TestServer {
  port: number;
  stop(): Promise<void>;
}

/** Redish in this process; extra directives as redis-server flags (["maxmemory", "1mb"]). */
export async function startRedish(directives: string[][] = []): Promise<TestServer & { running: RunningServer }> {
  const dir = mkdtempSync(join(tmpdir(), "redish-test-"));
  const running = await startServer({
    quiet: true,
    directives: [["port", "0"], ["bind", "127.0.0.1"], ["save", ""], ["dir", dir], ...directives],
  });
  return {
    port: running.port,
    running,
    async stop() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real redis-server child on a free port, stopped by PID. */
export async function startRedis(args: string[] = []): Promise<TestServer & { proc: ChildProcess; dir: string }> {
  const bin = redisServerBin();
  if (bin === null) throw new Error(`redis-server not found; ${INSTALL_HINT}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "redis-ref-"));
  const proc = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, ...args],
    {
      stdio: "ignore",
    },
  );
  await waitForPort(port);
  return {
    port,
    proc,
    dir,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGKILL");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitForPort(port: number, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ port, host: "127.0.0.1" }, () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open`);
}
