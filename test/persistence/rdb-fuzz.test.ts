// Corrupted dumps: flipped, truncated, inserted and repeated bytes in valid
// files of every encoding. The loader must end each one with RdbError or a
// successful load, never an engine trap, and leave nothing allocated once the
// keyspace is emptied.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine";
import { RdbError, rdbLoadRio } from "../../src/persistence/rdb";
import { engineModule } from "../../src/server/wasm-file";
import { hasRedis } from "../helpers/servers";
import { Conn, fixtureCommands, pseudoRandomBytes } from "./dataset";
import { legacyRecords, rdbFile } from "./rdb-files";
import { removeDir, startRedisIn, tempDir } from "./rdb-helpers";

const ITERATIONS = Number(process.env.REDISH_FUZZ_ITERATIONS ?? 400);
const DBS = 16;

function load(e: Engine, file: Uint8Array, verifyChecksum: boolean): void {
  let pos = 0;
  rdbLoadRio(
    e.x,
    (dst) => {
      const n = Math.min(dst.length, file.length - pos, 1 + (pos % 7919));
      dst.set(file.subarray(pos, pos + n));
      pos += n;
      return n;
    },
    {
      verifyChecksum,
      expireKeys: true,
      allowDup: false,
      limits: { intsetEntries: 512, hashEntries: 128, hashValue: 64, zsetEntries: 128 },
      log: () => {},
    },
  );
}

function emptyAll(e: Engine): void {
  for (let db = 0; db < DBS; db++) e.x.flushDb(db);
}

/** xorshift, for reproducible mutations. */
function rng(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function mutate(file: Buffer, r: () => number): Buffer {
  const pick = (n: number) => Math.floor(r() * n);
  const out = Buffer.from(file);
  switch (pick(4)) {
    case 0: {
      for (let k = 0, n = 1 + pick(8); k < n; k++) out[pick(out.length)] ^= 1 << pick(8);
      return out;
    }
    case 1:
      return out.subarray(0, pick(out.length));
    case 2: {
      const at = pick(out.length);
      return Buffer.concat([out.subarray(0, at), pseudoRandomBytes(1 + pick(16), pick(1 << 30)), out.subarray(at)]);
    }
    default: {
      const at = pick(out.length);
      const len = pick(64);
      return Buffer.concat([out.subarray(0, at + len), out.subarray(at, at + len), out.subarray(at + len)]);
    }
  }
}

/** A redis-server dump of the fixture and some lists (every modern encoding), or null without redis-server. */
async function modernDump(): Promise<Buffer | null> {
  if (!hasRedis) return null;
  const dir = tempDir("rdb-fuzz-seed");
  const ref = await startRedisIn(dir, ["--list-compress-depth", "1"]);
  const c = await Conn.open(ref.port);
  try {
    // Without the large values, so that each of the many loads stays quick.
    await c.pipeline(fixtureCommands().filter((cmd) => cmd.every((a) => typeof a === "number" || a.length < 10_000)));
    await c.pipeline([
      ["RPUSH", "l", ...Array.from({ length: 2000 }, (_, i) => `e${i}`)],
      ["RPUSH", "l2", "a", "1"],
    ]);
    await c.cmd("SAVE");
    return readFileSync(join(dir, "dump.rdb"));
  } finally {
    c.close();
    await ref.stop();
    removeDir(dir);
  }
}

describe("corrupt dumps", () => {
  it(`${ITERATIONS} mutations of each seed end in RdbError or a load, never a trap or a leak`, async () => {
    const seeds = [rdbFile(9, legacyRecords())];
    const modern = await modernDump();
    if (modern !== null) seeds.push(modern);
    const e = Engine.fromModule(engineModule(), DBS);
    e.x.setClock(Date.now());
    for (const seed of seeds) {
      load(e, seed, true);
      emptyAll(e);
    }
    const baseline = e.usedMemory();
    const r = rng(12345);
    let failures = 0;
    for (const seed of seeds) {
      for (let i = 0; i < ITERATIONS; i++) {
        const bad = mutate(seed, r);
        try {
          load(e, bad, i % 2 === 0);
        } catch (err) {
          if (!(err instanceof RdbError)) throw new Error(`iteration ${i}: ${(err as Error).stack}`);
          failures++;
        }
        emptyAll(e);
        expect(e.usedMemory(), `memory after iteration ${i}`).toBe(baseline);
      }
    }
    expect(failures).toBeGreaterThan(ITERATIONS / 2);
  }, 300_000);
});

/** Every key's DUMP payload, taken from an engine loaded with the seed. */
function payloadsOf(e: Engine, seed: Buffer): Buffer[] {
  load(e, seed, true);
  const out: Buffer[] = [];
  for (let db = 0; db < DBS; db++) {
    e.x.keysCollect(db);
    e.refresh();
    const base = e.x.keyspaceResultPtr();
    const entries = Array.from({ length: e.x.keyspaceResultCount() }, (_, i) => e.u32[(base >> 2) + i]);
    for (const entry of entries) {
      const o = e.u32[(entry + 8) >> 2];
      const n = e.x.rdbDumpObject(o, 1);
      e.refresh();
      if (n > 0) out.push(Buffer.from(e.view(e.x.rdbOutPtr(), n)));
    }
  }
  emptyAll(e);
  return out;
}

/** The payload with its footer's CRC recomputed, so the mutation reaches the parser. */
function resealed(e: Engine, p: Buffer): Buffer {
  if (p.length < 10) return p;
  const at = e.copyIn(p);
  const crc = e.x.crc64(0n, at, p.length - 8);
  const out = Buffer.from(p);
  out.writeBigUInt64LE(BigInt.asUintN(64, crc), p.length - 8);
  return out;
}

describe("corrupt RESTORE payloads", () => {
  it("mutated payloads with a valid checksum are refused or restored, never a trap or a leak", async () => {
    const e = Engine.fromModule(engineModule(), DBS);
    e.x.setClock(Date.now());
    const seeds = [rdbFile(9, legacyRecords())];
    const modern = await modernDump();
    if (modern !== null) seeds.push(modern);
    const payloads = seeds.flatMap((s) => payloadsOf(e, s));
    e.x.rdbLoadSetLimits(512, 128, 64, 128);
    // The scratch block payloads are copied into, at its largest, before the baseline.
    e.copyIn(Buffer.alloc(Math.max(...payloads.map((p) => p.length)) + 1024));
    const baseline = e.usedMemory();
    const r = rng(777);
    let parsed = 0;
    for (let i = 0; i < ITERATIONS * 4; i++) {
      const p = resealed(e, mutate(payloads[i % payloads.length], r));
      const at = e.copyIn(p);
      if (e.x.verifyDumpPayload(at, p.length) === 0) continue;
      parsed++;
      const o = e.x.restoreObject(at, p.length);
      e.refresh();
      if (o !== 0) e.x.freeObject(o);
      expect(e.usedMemory(), `memory after payload ${i}`).toBe(baseline);
    }
    expect(parsed).toBeGreaterThan(ITERATIONS);
  }, 300_000);
});
