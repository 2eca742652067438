// Where a point-in-time copy of the engine's memory goes before a worker
// takes it (BGSAVE, the AOF's base).
//
// Copying into freshly allocated pages costs a page fault per 4 KB, and on
// the machine measured that was most of the BGSAVE pause (about 0.5 s for 1M
// keys, where the copy itself is a few tens of ms). So the copy goes into a
// SharedArrayBuffer kept between snapshots, whose pages are mapped already;
// the worker copies out of it into its own instance and says so, and until
// then the area is busy (a second snapshot meanwhile gets fresh memory).
// An area unused for KEEP_MS is released, so an idle server does not hold a
// second copy of its dataset; one outgrown by the engine's memory is
// replaced from the cron, its pages mapped by a throwaway worker so the
// next snapshot does not pay for them.
//
//   engine memory ──copy (main thread, the pause)──▶ area ──copy (worker)──▶ worker instance

import { Worker } from "node:worker_threads";

/** How long an unused area is kept for the next snapshot. */
const KEEP_MS = 5 * 60 * 1000;
/** Room for the engine's memory to grow before the area must be replaced. */
const HEADROOM = 1 / 8;
const PAGE = 65536;

export interface SnapshotCopy {
  /** The copy: the first `bytes` bytes. */
  memory: SharedArrayBuffer | ArrayBuffer;
  bytes: number;
  /** ArrayBuffers to transfer to the worker (a fresh copy), none for the shared area. */
  transfer: ArrayBuffer[];
  /** The worker has read the copy: the area may serve the next snapshot. */
  release(): void;
}

export class SnapshotArea {
  private buf: SharedArrayBuffer | null = null;
  private busy = false;
  private lastUsed = 0;

  /** A copy of `src` as it is now. */
  take(src: ArrayBuffer): SnapshotCopy {
    const bytes = src.byteLength;
    if (this.busy) {
      const fresh = src.slice(0);
      return { memory: fresh, bytes, transfer: [fresh], release: () => {} };
    }
    if (this.buf === null || this.buf.byteLength < bytes) {
      this.buf = null;
      this.buf = allocate(bytes);
    }
    new Uint8Array(this.buf, 0, bytes).set(new Uint8Array(src));
    this.busy = true;
    this.lastUsed = Date.now();
    let released = false;
    return {
      memory: this.buf,
      bytes,
      transfer: [],
      release: () => {
        if (released) return;
        released = true;
        this.busy = false;
        this.lastUsed = Date.now();
      },
    };
  }

  /** From the server cron: drops an area nobody used for a while, replaces one the engine outgrew. */
  cron(now: number, engineBytes: number): void {
    if (this.buf === null || this.busy) return;
    if (now - this.lastUsed > KEEP_MS) {
      this.buf = null;
    } else if (this.buf.byteLength < engineBytes) {
      this.buf = null;
      this.buf = allocate(engineBytes);
      // Busy until mapped: a snapshot copied in meanwhile would race the worker's writes.
      this.busy = true;
      prefault(this.buf, () => {
        this.busy = false;
      });
    }
  }

  /** Bytes held for snapshots (INFO could show them). */
  size(): number {
    return this.buf?.byteLength ?? 0;
  }
}

function allocate(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.ceil((bytes * (1 + HEADROOM)) / PAGE) * PAGE);
}

/** Touches every page of the area in a worker, so the kernel maps them off the main thread. */
function prefault(buf: SharedArrayBuffer, done: () => void): void {
  const code = `
    const { workerData } = require("node:worker_threads");
    const u8 = new Uint8Array(workerData);
    for (let i = 0; i < u8.length; i += 4096) u8[i] = 0;
  `;
  const worker = new Worker(code, { eval: true, workerData: buf });
  worker.unref();
  worker.once("exit", done);
}
