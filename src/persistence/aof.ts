// The append-only file, Redis 7 multi-part style: a base file plus
// incremental files of commands, listed in a manifest inside appenddirname.
//
// Every write reaches the AOF through the server's single propagate hook,
// already rewritten to its deterministic effect (SET k v PXAT <abs>, SPOP →
// SREM...). Commands are buffered and written before the replies of the same
// batch leave the server; with `appendfsync always` the file is fsynced
// before those replies, so an acknowledged write is durable. With `everysec`
// a background fsync runs once a second; with `no` the kernel decides.

import * as fs from "node:fs";
import * as path from "node:path";
import { ReplyWriter } from "../resp/writer";
import { logger } from "../server/log";
import type { AofStats, Server } from "../server/server";
import {
  type AofFile,
  baseName,
  emptyManifest,
  formatManifest,
  incrName,
  type Manifest,
  manifestName,
  parseManifest,
} from "./aof-manifest";

const SELECT = new TextEncoder().encode("SELECT");
const encoder = new TextEncoder();

export type FsyncPolicy = "always" | "everysec" | "no";

/**
 * Writes a snapshot of the dataset as an RDB file (provided by the RDB
 * layer). It must take its point-in-time copy synchronously, before it
 * returns: the AOF switches to a new incremental file in the same tick.
 */
export type SnapshotWriter = (server: Server, file: string) => Promise<void>;

export class Aof {
  private fd = -1;
  private readonly buf = new ReplyWriter(64 * 1024);
  private selectedDb = -1;
  private manifest: Manifest = emptyManifest();
  private lastFsync = 0;
  private fsyncInFlight = false;
  private unsubscribe: (() => void) | null = null;
  private rewriting: Promise<void> | null = null;
  stats: AofStats = {
    rewrites: 0,
    lastRewriteSec: -1,
    lastRewriteStatus: "ok",
    lastWriteStatus: "ok",
    rewriteStartedAt: 0,
    currentSize: 0,
    baseSize: 0,
    delayedFsync: 0,
  };

  constructor(
    private readonly server: Server,
    private readonly snapshot: SnapshotWriter | null,
  ) {}

  /** Relative to the working directory, which is `dir` (the server chdirs there, like Redis). */
  get dir(): string {
    return this.server.config.get("appenddirname");
  }

  get prefix(): string {
    return this.server.config.get("appendfilename");
  }

  get policy(): FsyncPolicy {
    return this.server.config.get("appendfsync") as FsyncPolicy;
  }

  isOn(): boolean {
    return this.fd >= 0;
  }

  isRewriting(): boolean {
    return this.rewriting !== null;
  }

  /**
   * Starts logging at server start-up, after the data was loaded: reuses
   * the existing manifest and appends to its last incremental file, or
   * creates the directory, an empty incremental file and the manifest.
   */
  openAtStartup(existing: Manifest | null): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.manifest = existing ?? emptyManifest();
    if (this.manifest.incrs.length === 0) {
      this.manifest.curIncrSeq += 1;
      this.manifest.incrs.push({
        name: incrName(this.prefix, this.manifest.curIncrSeq),
        seq: this.manifest.curIncrSeq,
        type: "i",
      });
      this.writeManifest();
    }
    const last = this.manifest.incrs[this.manifest.incrs.length - 1];
    this.openIncr(last);
    this.stats.baseSize = this.manifest.base ? fileSize(path.join(this.dir, this.manifest.base.name)) : 0;
    this.subscribe();
  }

  private openIncr(f: AofFile): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    const file = path.join(this.dir, f.name);
    this.fd = fs.openSync(file, "a");
    this.stats.currentSize = this.stats.baseSize + fs.fstatSync(this.fd).size;
    this.selectedDb = -1;
  }

  private subscribe(): void {
    if (this.unsubscribe === null) this.unsubscribe = this.server.onPropagate((db, args) => this.feed(db, args));
  }

  /** Appends one command (already in its deterministic form) to the buffer. */
  feed(db: number, args: Uint8Array[]): void {
    const w = this.buf;
    if (db !== this.selectedDb) {
      w.array(2);
      w.bulk(SELECT);
      w.bulk(encoder.encode(String(db)));
      this.selectedDb = db;
    }
    w.array(args.length);
    for (const a of args) w.bulk(a);
  }

  /**
   * Writes buffered commands; called before a batch's replies are sent, so
   * with `always` nothing is acknowledged before it is on disk.
   */
  flush(): void {
    if (this.fd < 0 || this.buf.pos === 0) return;
    const bytes = this.buf.buf.subarray(0, this.buf.pos);
    try {
      writeFully(this.fd, bytes);
      this.stats.currentSize += bytes.length;
      this.stats.lastWriteStatus = "ok";
    } catch (err) {
      this.onWriteError(err as NodeJS.ErrnoException);
      return;
    }
    this.buf.pos = 0;
    this.buf.shrink();
    if (this.policy === "always") {
      fs.fsyncSync(this.fd);
      this.lastFsync = Date.now();
    }
  }

  /** Once a second with `everysec`: fsync in the background (libuv's thread pool). */
  cron(): void {
    this.flush();
    if (this.fd < 0 || this.policy !== "everysec" || this.fsyncInFlight) return;
    const now = Date.now();
    if (now - this.lastFsync < 1000) return;
    this.fsyncInFlight = true;
    const fd = this.fd;
    fs.fsync(fd, (err) => {
      this.fsyncInFlight = false;
      this.lastFsync = Date.now();
      if (err) logger.warning(`Fsync of the append only file failed: ${err.message}`);
    });
  }

  /**
   * A failed write (disk full, I/O error): with `always` Redis cannot keep
   * its promise and exits; otherwise writes are refused (MISCONF) until a
   * later flush succeeds. The unwritten buffer is kept, so nothing
   * acknowledged earlier is lost from the log's point of view.
   */
  private onWriteError(err: NodeJS.ErrnoException): void {
    this.stats.lastWriteStatus = "err";
    logger.warning(`Error writing to the AOF file: ${err.message}`);
    if (this.policy === "always") {
      logger.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      process.exit(1);
    }
  }

  /** The error writes get while the AOF cannot be written (Redis's writeCommandsDeniedByDiskError). */
  writeError(): string | null {
    return this.stats.lastWriteStatus === "err"
      ? "MISCONF Errors writing to the AOF file: the last write failed, see the server log"
      : null;
  }

  private writeManifest(): void {
    const file = path.join(this.dir, manifestName(this.prefix));
    const tmp = `${file}.tmp`;
    const fd = fs.openSync(tmp, "w");
    writeFully(fd, encoder.encode(formatManifest(this.manifest)));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
    fsyncDir(this.dir);
  }

  /**
   * BGREWRITEAOF: new writes go to a fresh incremental file at once; a
   * snapshot of the dataset becomes the new base; then the manifest switches
   * to [new base, new incr] and the old files are deleted. A crash at any
   * point leaves a manifest that loads the full dataset.
   */
  rewrite(): Promise<void> {
    if (this.rewriting) return this.rewriting;
    if (this.snapshot === null) return Promise.reject(new Error("no snapshot writer"));
    const snapshot = this.snapshot;
    this.flush();
    this.stats.rewriteStartedAt = Date.now();
    fs.mkdirSync(this.dir, { recursive: true });
    const m = this.manifest;
    m.curIncrSeq += 1;
    const newIncr: AofFile = { name: incrName(this.prefix, m.curIncrSeq), seq: m.curIncrSeq, type: "i" };
    const oldFiles = [...(m.base ? [m.base] : []), ...m.incrs];
    m.incrs.push(newIncr);
    this.writeManifest();
    if (this.fd >= 0) this.openIncr(newIncr);
    const baseSeq = m.curBaseSeq + 1;
    const base: AofFile = { name: baseName(this.prefix, baseSeq, true), seq: baseSeq, type: "b" };
    this.rewriting = snapshot(this.server, path.join(this.dir, base.name))
      .then(() => {
        m.base = base;
        m.curBaseSeq = baseSeq;
        m.incrs = m.incrs.filter((f) => f.seq >= newIncr.seq);
        this.writeManifest();
        for (const f of oldFiles) fs.rmSync(path.join(this.dir, f.name), { force: true });
        this.stats.baseSize = fileSize(path.join(this.dir, base.name));
        this.stats.rewrites++;
        this.stats.lastRewriteStatus = "ok";
        logger.notice("Background AOF rewrite finished successfully");
      })
      .catch((err: Error) => {
        this.stats.lastRewriteStatus = "err";
        logger.warning(`Background AOF rewrite failed: ${err.message}`);
      })
      .finally(() => {
        this.stats.lastRewriteSec = Math.round((Date.now() - this.stats.rewriteStartedAt) / 1000);
        this.stats.rewriteStartedAt = 0;
        this.rewriting = null;
      });
    return this.rewriting;
  }

  /**
   * CONFIG SET appendonly yes at runtime: the log starts with a rewrite, so
   * the base holds the dataset as it is now and later writes follow it.
   */
  start(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const existing = readManifest(this.dir, this.prefix);
    this.manifest = existing ?? emptyManifest();
    this.openAtStartup(this.manifest.incrs.length > 0 ? this.manifest : null);
    return this.rewrite();
  }

  /** CONFIG SET appendonly no / shutdown: flush, fsync and close. */
  stop(): void {
    this.flush();
    if (this.fd >= 0) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    }
    this.fd = -1;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

export function readManifest(dir: string, prefix: string): Manifest | null {
  const file = path.join(dir, manifestName(prefix));
  if (!fs.existsSync(file)) return null;
  return parseManifest(fs.readFileSync(file, "utf8"));
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Makes a rename durable: fsync the directory entry. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
