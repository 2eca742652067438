// The background save worker: a fresh instance of the engine module over a
// copy of the main instance's linear memory, running the RDB writer to a
// file while the main thread goes on serving (BGSAVE, the AOF's base).
//
//   main thread                               worker
//   snapshotStateSave(p) ─┐
//   copy into the area ───┴─ job (the copy) ─────────▶ instantiate module
//                                                       grow + copy memory in
//   ◀── { copied }: the area is free again ─────────────┤
//                                                       snapshotStateRestore(p)
//                                                       rdbSaveFile(...)
//   ◀── { progress } … { done } | { error } ────────────┘

import { isMainThread, parentPort, workerData } from "node:worker_threads";
import type { EngineExports } from "../engine/engine";
import { type RdbSaveOptions, rdbSaveFile } from "./rdb";

export interface SnapshotJob {
  module: WebAssembly.Module;
  /** The main instance's memory at the moment of the snapshot: its first memoryBytes bytes. */
  memory: ArrayBuffer | SharedArrayBuffer;
  memoryBytes: number;
  /** Where snapshotStateSave wrote the engine's globals, inside `memory`. */
  statePtr: number;
  nowMs: number;
  lfu: boolean;
  lfuLogFactor: number;
  lfuDecayTime: number;
  file: string;
  tmp: string;
  opts: RdbSaveOptions;
}

export type SnapshotMessage =
  | { type: "copied" }
  | { type: "progress"; keys: number }
  | { type: "done"; keys: number; bytes: number }
  | { type: "error"; message: string };

/** Reports progress about once a second. */
const PROGRESS_INTERVAL = 1000;

function instantiate(module: WebAssembly.Module): EngineExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(_msg: number, _file: number, line: number, col: number): never {
        throw new Error(`engine abort at ${line}:${col}`);
      },
    },
  });
  return instance.exports as unknown as EngineExports;
}

/**
 * Makes this instance the snapshot: same memory bytes, same globals. The
 * module's start function already ran here and placed its allocations where
 * it placed them in the main instance, so overwriting memory is consistent.
 */
function restoreSnapshot(x: EngineExports, job: SnapshotJob): void {
  const page = 65536;
  const need = job.memoryBytes / page - x.memory.buffer.byteLength / page;
  if (need > 0) x.memory.grow(need);
  new Uint8Array(x.memory.buffer).set(new Uint8Array(job.memory, 0, job.memoryBytes));
  x.snapshotStateRestore(job.statePtr);
  x.setClock(job.nowMs);
  x.setLruClock(Math.floor(job.nowMs / 1000));
  x.setLfu(job.lfu ? 1 : 0, job.lfuLogFactor, job.lfuDecayTime);
}

function run(job: SnapshotJob, port: NonNullable<typeof parentPort>): void {
  const x = instantiate(job.module);
  restoreSnapshot(x, job);
  port.postMessage({ type: "copied" } satisfies SnapshotMessage);
  let last = Date.now();
  const progress = (keys: number) => {
    if (Date.now() - last < PROGRESS_INTERVAL) return;
    last = Date.now();
    port.postMessage({ type: "progress", keys } satisfies SnapshotMessage);
  };
  try {
    const r = rdbSaveFile(x, job.file, job.tmp, job.opts, progress);
    port.postMessage({ type: "done", keys: r.keys, bytes: r.bytes } satisfies SnapshotMessage);
  } catch (err) {
    port.postMessage({ type: "error", message: (err as Error).message } satisfies SnapshotMessage);
  }
}

if (!isMainThread && parentPort !== null) run(workerData as SnapshotJob, parentPort);
