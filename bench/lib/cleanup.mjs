// Everything a run spawns or creates is registered here, so that a normal
// exit, a thrown error or Ctrl-C all leave no server running and no temp
// directory behind. Children are killed by PID, never by name.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const children = new Set();
const dirs = new Set();

export function trackChild(child) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export function makeTempDir(label) {
  const dir = mkdtempSync(join(tmpdir(), `redish-bench-${label}-`));
  dirs.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

// Synchronous on purpose: it also runs from the process "exit" event,
// where nothing asynchronous gets a chance to finish.
export function cleanupNow() {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export function installCleanupHandlers(beforeExit = () => {}) {
  process.on("exit", cleanupNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, () => {
      beforeExit();
      process.stderr.write(`\nInterrupted (${signal}); stopping servers.\n`);
      cleanupNow();
      process.exit(130);
    });
  }
}
