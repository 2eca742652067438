// Runs a helper program (redis-benchmark, redis-cli) to completion with a
// hard time limit, so a server that stops answering cannot hang the run.
import { spawn } from "node:child_process";
import { pipeline } from "node:stream/promises";
import { trackChild } from "./cleanup.mjs";

export function runProcess(argv, { input = null, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    const child = trackChild(spawn(argv[0], argv.slice(1), { stdio: [input ? "pipe" : "ignore", "pipe", "pipe"] }));
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    if (input) feed(input, child.stdin);
    child.once("error", (error) => err.push(Buffer.from(String(error))));
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        timedOut,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

// A reader that dies early (e.g. redis-cli gave up) closes stdin under us;
// that shows up in its exit status, so the EPIPE itself is not an error here.
function feed(input, stdin) {
  pipeline(input, stdin).catch(() => {});
}
