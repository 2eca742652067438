// Redish as a child process (for crash tests and restarts): the built CLI,
// started on a free port in a given directory, stopped by PID.

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort, waitForPort } from "./servers";

const CLI = fileURLToPath(new URL("../../bin/redish-server.js", import.meta.url));

export interface ChildServer {
  port: number;
  proc: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `redish-server --port P --dir dir ...args` and waits until it accepts connections. */
export async function startRedishChild(dir: string, args: string[] = []): Promise<ChildServer> {
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => {
    out += d;
  });
  proc.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<void>((_, reject) =>
    proc.once("exit", (code) => reject(new Error(`redish exited with ${code} during start-up:\n${out}`))),
  );
  await Promise.race([waitForPort(port), exited]);
  return {
    port,
    proc,
    output: () => out,
    kill(signal: NodeJS.Signals = "SIGKILL") {
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
      const done = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
      proc.kill(signal);
      return done;
    },
  };
}

/** Runs redish-server expecting it to refuse to start; returns its exit code and output. */
export function runRedishExpectingExit(
  dir: string,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    freePort().then((port) => {
      const proc = spawn(
        process.execPath,
        [CLI, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, ...args],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      proc.stdout?.on("data", (d) => {
        out += d;
      });
      proc.stderr?.on("data", (d) => {
        out += d;
      });
      const timer = setTimeout(() => proc.kill("SIGKILL"), 15000);
      proc.once("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, output: out });
      });
    });
  });
}
