// Crash safety: a write load with appendfsync always, SIGKILL at random
// moments, restart, and every acknowledged write must be there. Two rounds
// by default; REDISH_CRASH=1 runs the 20 rounds of the full soak.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startRedishChild } from "../helpers/child";
import { encodeCommand, RawClient } from "../helpers/resp";

const ROUNDS = process.env.REDISH_CRASH ? 20 : 2;

/** Pipelines SETs in windows and records which ones were acknowledged, until the server dies. */
async function writeUntilKilled(port: number, start: number, killAfterMs: number, kill: () => void): Promise<number[]> {
  const c = await RawClient.connect(port);
  const acked: number[] = [];
  const timer = setTimeout(kill, killAfterMs);
  let i = start;
  try {
    for (let round = 0; round < 100000; round++) {
      const batch: number[] = [];
      for (let k = 0; k < 8; k++) batch.push(i++);
      c.writeRaw(Buffer.concat(batch.map((n) => encodeCommand(["SET", `key:${n}`, `value:${n}`]))));
      for (const n of batch) {
        const reply = await c.readReply(2000);
        if (reply.toString() === "+OK\r\n") acked.push(n);
      }
    }
  } catch {
    // The server was killed mid-batch: replies never read are not acknowledged.
  } finally {
    clearTimeout(timer);
    c.close();
  }
  return acked;
}

describe("crash safety with appendfsync always", () => {
  it(`keeps every acknowledged write across ${ROUNDS} SIGKILLs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "redish-crash-"));
    const args = ["--appendonly", "yes", "--appendfsync", "always", "--save", ""];
    const acked: number[] = [];
    let next = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const s = await startRedishChild(dir, args);
        const killAfter = 100 + Math.floor(Math.random() * 400);
        const got = await writeUntilKilled(s.port, next, killAfter, () => s.proc.kill("SIGKILL"));
        await s.kill("SIGKILL");
        acked.push(...got);
        next += 100000;
      }
      const s = await startRedishChild(dir, args);
      const c = await RawClient.connect(s.port);
      const missing: number[] = [];
      for (const n of acked) {
        if ((await c.call("GET", `key:${n}`)) !== `$${`value:${n}`.length}\r\nvalue:${n}\r\n`) missing.push(n);
      }
      c.close();
      await s.kill();
      expect(acked.length).toBeGreaterThan(0);
      expect(missing).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
