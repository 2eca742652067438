// Finding, starting and stopping the two servers under test. Both are started
// with the same redis-server style flags on a free loopback port and a fresh
// data directory, so the comparison differs only in the server binary.
import { spawn } from "node:child_process";
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from "node:fs";
import net from "node:net";
import { delimiter, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { makeTempDir, removeTempDir, trackChild } from "./cleanup.mjs";
import { RespClient } from "./resp.mjs";

export const INSTALL_HINT = "apt-get install -y redis-server redis-tools";
const REDISH_ENTRY = "bin/redish-server.js";
const START_ATTEMPTS = 3;
const MAX_RESTARTS = 3;

export function findExecutable(name, preferredDir = null) {
  const dirs = [preferredDir, ...(process.env.PATH ?? "").split(delimiter)].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return null;
}

// redis-cli and redis-benchmark are looked up next to the chosen
// redis-server first, so REDIS_SERVER_BIN pointing at a build tree just works.
export function findRedisTools() {
  const server = process.env.REDIS_SERVER_BIN || findExecutable("redis-server");
  const toolDir = server ? dirname(server) : null;
  const tools = {
    server,
    cli: process.env.REDIS_CLI_BIN || findExecutable("redis-cli", toolDir),
    benchmark: process.env.REDIS_BENCHMARK_BIN || findExecutable("redis-benchmark", toolDir),
  };
  const missing = Object.entries(tools).filter(([, path]) => !path || !existsSync(path));
  return { tools, missing: missing.map(([name]) => name) };
}

// The "Redish" side is normally the real CLI; REDISH_CMD (split on spaces)
// lets the harness itself be developed against a second redis-server.
export function describeSides(tools, repoRoot, redishCommand) {
  const custom = redishCommand?.trim();
  return {
    redis: { id: "redis", label: "redis-server", argv: [tools.server], cwd: repoRoot },
    redish: {
      id: "redish",
      label: "Redish",
      argv: custom ? custom.split(/\s+/) : [process.execPath, REDISH_ENTRY],
      cwd: repoRoot,
      isReal: !custom,
    },
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function optionArgs(options) {
  return Object.entries(options).flatMap(([name, value]) => [`--${name}`, String(value)]);
}

function logTail(path, lines = 8) {
  try {
    return readFileSync(path, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

// Ready means what a client would consider ready: PING answers PONG and, if
// the server has INFO, it no longer reports that a dataset is loading.
async function isReady(port) {
  let client;
  try {
    client = await RespClient.connect(port, { timeoutMs: 500 });
    if ((await client.call("PING")) !== "PONG") return false;
    const info = await client.info("persistence");
    return info === null || info.loading === undefined || info.loading === "0";
  } catch {
    return false;
  } finally {
    client?.close();
  }
}

export class ServerProcess {
  constructor(side, { dir, ownsDir, logDir, options, port }) {
    this.side = side;
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.port = port;
    this.logPath = join(logDir, `${side.id}-${port}.log`);
    const args = optionArgs({ port, bind: "127.0.0.1", save: "", appendonly: "no", ...options, dir });
    const log = openSync(this.logPath, "a");
    this.child = trackChild(
      spawn(side.argv[0], [...side.argv.slice(1), ...args], {
        cwd: side.cwd,
        stdio: ["ignore", log, log],
      }),
    );
    closeSync(log);
    this.exited = false;
    this.child.once("exit", () => {
      this.exited = true;
    });
    this.child.once("error", () => {
      this.exited = true;
    });
    this.startedAt = performance.now();
  }

  get pid() {
    return this.child.pid;
  }

  async waitReady(timeoutMs) {
    const deadline = this.startedAt + timeoutMs;
    while (performance.now() < deadline && !this.exited) {
      if (await isReady(this.port)) return performance.now() - this.startedAt;
      // Poll fast at first so short startups are timed precisely, then back
      // off so a long dataset load is not flooded with connections.
      await sleep(Math.min(50, 2 + (performance.now() - this.startedAt) / 20));
    }
    const why = this.exited ? "exited during startup" : `not ready after ${timeoutMs} ms`;
    throw new Error(`${this.side.label} ${why}${this.logTail()}`);
  }

  logTail() {
    const tail = logTail(this.logPath);
    return tail ? `:\n${tail}` : "";
  }

  // The data directory goes with the server unless the caller still needs
  // it, e.g. to restart on the same dump.
  async stop({ keepDir = false } = {}) {
    await this.terminate();
    if (this.ownsDir && !keepDir) removeTempDir(this.dir);
  }

  async terminate() {
    if (this.exited || this.child.pid === undefined) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const graceful = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!graceful) {
      this.child.kill("SIGKILL");
      await Promise.race([exited, sleep(2000)]);
    }
  }
}

function missingEntryError(side) {
  if (!side.isReal || existsSync(join(side.cwd, REDISH_ENTRY))) return null;
  return new Error(`${REDISH_ENTRY} not found`);
}

// Starts one server and waits until it answers. `dir` lets a restart reuse
// an existing data directory (to measure RDB load time); the port is retried
// a few times in case another process grabbed it between probe and bind.
export async function startServer(side, ctx, { dir = null, options = {}, readyTimeoutMs = 15_000 } = {}) {
  const missing = missingEntryError(side);
  if (missing) throw missing;
  const dataDir = dir ?? makeTempDir(side.id);
  let lastError;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const server = new ServerProcess(side, { dir: dataDir, ownsDir: !dir, logDir: ctx.logDir, options, port });
    try {
      server.readyMs = await server.waitReady(readyTimeoutMs);
      return server;
    } catch (error) {
      lastError = error;
      await server.stop({ keepDir: true });
      if (!/address already in use/i.test(error.message)) break;
    }
  }
  if (!dir) removeTempDir(dataDir);
  throw lastError;
}

// A long-lived server for a phase that runs many cases against it. If the
// server dies (say a command crashes it), the next case gets a fresh one, a
// bounded number of times, so one bad command cannot void the whole phase.
export class ManagedServer {
  constructor(side, ctx, startOptions = {}) {
    this.side = side;
    this.ctx = ctx;
    this.startOptions = startOptions;
    this.server = null;
    this.error = null;
    this.starts = 0;
  }

  // Returns a running server, or null (with this.error set) if there is none.
  async ensure() {
    if (this.server && !this.server.exited) return this.server;
    if (this.error) return null;
    if (this.server) this.ctx.warn(`${this.side.label} exited unexpectedly${this.server.logTail()}`);
    if (this.starts++ > MAX_RESTARTS) {
      this.error = "server kept exiting";
      return null;
    }
    try {
      this.server = await startServer(this.side, this.ctx, this.startOptions);
      return this.server;
    } catch (error) {
      this.ctx.warn(error.message);
      this.error = `did not start: ${shortError(error)}`;
      return null;
    }
  }

  async stop() {
    await this.server?.stop();
  }
}

// For one-off measurements: the full reason (with the server's log tail) goes
// to the warnings, the one-line version becomes the n/a note.
export async function startForMeasurement(side, ctx, options = {}) {
  try {
    return await startServer(side, ctx, options);
  } catch (error) {
    ctx.warn(error.message);
    throw new Error(`did not start: ${shortError(error)}`);
  }
}

export function shortError(error) {
  return String(error?.message ?? error).split("\n")[0];
}
