// RDB persistence for a server (Redis's rdb.c glue and the RDB parts of
// server.c): SAVE, BGSAVE on a snapshot of the engine's memory written by a
// worker thread, save points checked by the cron, loading at start-up,
// DEBUG RELOAD, the save SHUTDOWN and FLUSHALL do, and INFO's fields.
//
// BGSAVE without fork: the dataset is the engine's linear memory, so a
// point-in-time copy is one memcpy (into a SnapshotArea). A worker
// instantiates the same module over the copy and runs the RDB writer while
// the main thread goes on serving. The only pause a client sees is the copy.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { logger } from "../server/log";
import type { RdbControl, Server } from "../server/server";
import { engineModule } from "../server/wasm-file";
import { PersistenceError } from "./aof-setup";
import {
  type EncodingLimits,
  RdbError,
  type RdbLoadResult,
  type RdbSaveOptions,
  rdbLoadFile,
  rdbSaveFile,
} from "./rdb";
import { SnapshotArea, type SnapshotCopy } from "./snapshot-area";
import type { SnapshotJob, SnapshotMessage } from "./snapshot-worker";

/** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait this long (s). */
const BGSAVE_RETRY_DELAY = 5;
/** Redis's shared.bgsaveerr. */
const MISCONF =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
/** Progress lines while loading a big file, at most this often (ms). */
const LOAD_LOG_INTERVAL = 5000;

interface BackgroundSave {
  worker: Worker;
  tmp: string;
  startedAt: number;
  keysTotal: number;
  keysDone: number;
  /** A BGSAVE (counted in INFO), or a snapshot written for someone else (the AOF's base). */
  bgsave: boolean;
  settle: (err: Error | null) => void;
}

interface LoadingState {
  startTime: number;
  totalBytes: number;
  loadedBytes: number;
  rdbUsedMem: number;
}

export class Rdb implements RdbControl {
  saves = 0;
  lastBgsaveStatus: "ok" | "err" = "ok";
  lastBgsaveTimeSec = -1;
  lastBgsaveTry = 0;
  bgsaveScheduled = false;
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  private dirtyBeforeBgsave = 0;
  private child: BackgroundSave | null = null;
  private readonly snapshots = new Set<BackgroundSave>();
  private loading: LoadingState | null = null;
  private readonly area = new SnapshotArea();
  /** Where a relative or empty `dir` points: the working directory the server started in. */
  private readonly baseDir = process.cwd();

  constructor(readonly server: Server) {}

  /** dir/dbfilename. */
  filePath(): string {
    const dir = this.server.config.get("dir");
    return path.join(path.isAbsolute(dir) ? dir : this.baseDir, this.server.config.get("dbfilename"));
  }

  /** The `save <seconds> <changes>` points. */
  savePoints(): { seconds: number; changes: number }[] {
    const parts = this.server.config
      .get("save")
      .split(/\s+/)
      .filter((p) => p !== "");
    const out: { seconds: number; changes: number }[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2)
      out.push({ seconds: Number(parts[i]), changes: Number(parts[i + 1]) });
    return out;
  }

  saveOptions(aofBase: boolean): RdbSaveOptions {
    const config = this.server.config;
    const policy = config.get("maxmemory-policy");
    const now = Date.now();
    return {
      compression: config.bool("rdbcompression"),
      checksum: config.bool("rdbchecksum"),
      lru: policy.endsWith("-lru"),
      lfu: policy.endsWith("-lfu"),
      aofBase,
      ctime: Math.floor(now / 1000),
      usedMem: this.server.engine.usedMemory(),
      lruClock: Math.floor(now / 1000) & 0xffffff,
    };
  }

  isSaving(): boolean {
    return this.child !== null;
  }

  // ── SAVE ───────────────────────────────────────────────────────────────────

  /** SAVE: rdb_saves counts it; false when the write failed (logged). */
  save(): boolean {
    this.saves++;
    return this.saveSync();
  }

  /** rdbSave on the main thread: the file, then dirty, lastsave and the status. */
  saveSync(): boolean {
    const server = this.server;
    const file = this.filePath();
    try {
      rdbSaveFile(
        server.engine.x,
        file,
        path.join(path.dirname(file), `temp-${process.pid}.rdb`),
        this.saveOptions(false),
      );
    } catch (err) {
      server.engine.refresh();
      logger.warning((err as Error).message);
      return false;
    }
    server.engine.refresh();
    logger.notice("DB saved on disk");
    server.dirty = 0;
    server.lastSave = Math.floor(Date.now() / 1000);
    this.lastBgsaveStatus = "ok";
    return true;
  }

  // ── BGSAVE ─────────────────────────────────────────────────────────────────

  /** BGSAVE [SCHEDULE]: Redis's replies, as a status or an error. */
  bgsave(schedule: boolean): { status: string } | { error: string } {
    if (this.child !== null) return { error: "ERR Background save already in progress" };
    if (this.server.aof?.isRewriting()) {
      if (!schedule) {
        return {
          error:
            "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
        };
      }
      this.bgsaveScheduled = true;
      return { status: "Background saving scheduled" };
    }
    if (!this.saveBackground()) return { error: "ERR" };
    return { status: "Background saving started" };
  }

  /** rdbSaveBackground: a snapshot now, written by a worker. */
  saveBackground(): boolean {
    if (this.child !== null) return false;
    this.saves++;
    this.dirtyBeforeBgsave = this.server.dirty;
    this.lastBgsaveTry = Math.floor(Date.now() / 1000);
    const file = this.filePath();
    const tmp = path.join(path.dirname(file), `temp-bg-${process.pid}.rdb`);
    try {
      this.child = this.startSnapshot(file, tmp, false, true, (err) => this.backgroundSaveDone(err));
    } catch (err) {
      this.lastBgsaveStatus = "err";
      logger.warning(`Can't save in background: ${(err as Error).message}`);
      return false;
    }
    logger.notice(`Background saving started by pid ${process.pid} (thread ${this.child.worker.threadId})`);
    return true;
  }

  /** backgroundSaveDoneHandlerDisk. */
  private backgroundSaveDone(err: Error | null): void {
    const child = this.child;
    this.child = null;
    if (child === null) return;
    if (err === null) {
      logger.notice("Background saving terminated with success");
      this.server.dirty -= this.dirtyBeforeBgsave;
      this.server.lastSave = Math.floor(Date.now() / 1000);
      this.lastBgsaveStatus = "ok";
    } else {
      logger.warning(err.message);
      logger.warning("Background saving error");
      this.lastBgsaveStatus = "err";
    }
    this.lastBgsaveTimeSec = Math.floor((Date.now() - child.startedAt) / 1000);
  }

  /**
   * An RDB of the dataset as it is now, written to `file` in the background
   * (the AOF's new base when aofBase). The copy is taken before this
   * returns; the promise settles when the file is in place.
   */
  snapshotTo(file: string, aofBase: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const tmp = path.join(path.dirname(file), `temp-rewriteaof-bg-${process.pid}.aof`);
      this.startSnapshot(file, tmp, aofBase, false, (err) => (err === null ? resolve() : reject(err)));
    });
  }

  private startSnapshot(
    file: string,
    tmp: string,
    aofBase: boolean,
    bgsave: boolean,
    done: (err: Error | null) => void,
  ): BackgroundSave {
    const server = this.server;
    const { job, copy } = this.snapshotJob(file, tmp, aofBase);
    const worker = spawnSnapshotWorker(job, copy.transfer);
    worker.unref();
    let keysTotal = 0;
    for (let db = 0; db < server.config.int("databases"); db++) keysTotal += server.engine.x.dbSize(db);
    const child: BackgroundSave = {
      worker,
      tmp,
      startedAt: Date.now(),
      keysTotal,
      keysDone: 0,
      bgsave,
      settle: () => {},
    };
    let settled = false;
    child.settle = (err) => {
      copy.release();
      if (settled) return;
      settled = true;
      this.snapshots.delete(child);
      if (err !== null) fs.rmSync(tmp, { force: true });
      done(err);
    };
    worker.on("message", (m: SnapshotMessage) => {
      if (m.type === "copied") copy.release();
      else if (m.type === "progress") child.keysDone = m.keys;
      else if (m.type === "done") child.settle(null);
      else child.settle(new RdbError(m.message));
    });
    worker.on("error", (err: Error) => child.settle(err));
    // Its messages are delivered before its exit: an exit still unsettled is a crash.
    worker.on("exit", (code) => child.settle(new Error(`Background saving worker exited with code ${code}`)));
    this.snapshots.add(child);
    return child;
  }

  /** The point-in-time copy: memory, the engine globals it needs, clock and eviction settings. */
  private snapshotJob(file: string, tmp: string, aofBase: boolean): { job: SnapshotJob; copy: SnapshotCopy } {
    const server = this.server;
    const x = server.engine.x;
    const config = server.config;
    const statePtr = x.zmalloc(x.snapshotStateSize());
    x.snapshotStateSave(statePtr);
    const started = performance.now();
    const copy = this.area.take(x.memory.buffer);
    logger.verbose(
      `Snapshot of ${(copy.bytes / 1048576).toFixed(1)} MB copied in ${(performance.now() - started).toFixed(1)} ms`,
    );
    x.zfree(statePtr);
    const job: SnapshotJob = {
      module: engineModule(),
      memory: copy.memory,
      memoryBytes: copy.bytes,
      statePtr,
      nowMs: Date.now(),
      lfu: config.get("maxmemory-policy").includes("lfu"),
      lfuLogFactor: config.int("lfu-log-factor"),
      lfuDecayTime: config.int("lfu-decay-time"),
      file,
      tmp,
      opts: this.saveOptions(aofBase),
    };
    return { job, copy };
  }

  /** Stops a BGSAVE in progress and removes its temp file (killRDBChild). */
  killChild(): void {
    const child = this.child;
    if (child === null) return;
    this.child = null;
    void child.worker.terminate();
    child.settle(new Error("Background saving terminated"));
  }

  /** Stops every background write (an in-process server closing). */
  close(): void {
    this.killChild();
    for (const s of [...this.snapshots]) {
      void s.worker.terminate();
      s.settle(new Error("Snapshot writer stopped"));
    }
  }

  // ── Cron: save points and a scheduled BGSAVE ────────────────────────────────

  cron(): void {
    this.area.cron(Date.now(), this.server.engine.x.memory.buffer.byteLength);
    if (this.child !== null || this.server.aof?.isRewriting()) return;
    const now = Math.floor(Date.now() / 1000);
    const retryOk = now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveStatus === "ok";
    if (this.bgsaveScheduled && retryOk) {
      if (this.saveBackground()) this.bgsaveScheduled = false;
      return;
    }
    for (const sp of this.savePoints()) {
      if (this.server.dirty >= sp.changes && now - this.server.lastSave > sp.seconds && retryOk) {
        logger.notice(`${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
        this.saveBackground();
        break;
      }
    }
  }

  // ── SHUTDOWN and FLUSHALL ────────────────────────────────────────────────────

  /**
   * prepareForShutdown's RDB part: a BGSAVE is killed, then the final save
   * happens when asked (SAVE) or when save points exist (not NOSAVE).
   * Returns false when the save failed and FORCE was not given.
   */
  prepareShutdown(save: boolean | null, force: boolean): boolean {
    if (this.child !== null) {
      logger.warning("There is a child saving an .rdb. Killing it!");
      this.killChild();
    }
    const wanted = save === true || (save === null && this.savePoints().length > 0);
    if (!wanted) return true;
    logger.notice("Saving the final RDB snapshot before exiting.");
    if (this.saveSync()) return true;
    if (force) {
      logger.warning("Error trying to save the DB. Exit anyway.");
      return true;
    }
    logger.warning("Error trying to save the DB, can't exit.");
    return false;
  }

  /** flushAllDataAndResetRDB: kill a BGSAVE, then save the empty dataset when save points exist. */
  afterFlushAll(): void {
    this.killChild();
    if (this.savePoints().length > 0) this.saveSync();
  }

  // ── Loading ──────────────────────────────────────────────────────────────────

  /**
   * rdbLoad into the current keyspace. Throws RdbError (Redis's log lines
   * in it); `missing` when the file does not exist.
   */
  loadFile(file: string, allowDup = false, aofBase = false): RdbLoadResult {
    const server = this.server;
    const x = server.engine.x;
    const size = fileSize(file);
    const loading: LoadingState = {
      startTime: Math.floor(Date.now() / 1000),
      totalBytes: size,
      loadedBytes: 0,
      rdbUsedMem: 0,
    };
    this.loading = loading;
    server.loading = true;
    let lastLog = Date.now();
    try {
      const r = rdbLoadFile(x, file, {
        verifyChecksum: server.config.bool("rdbchecksum"),
        // An AOF base is replayed exactly: its incremental files expect every key of it.
        expireKeys: server.masterHost === null && !aofBase,
        allowDup,
        limits: encodingLimits(server),
        log: (level, msg) => logger.log(level, msg),
        progress: (offset, keys) => {
          loading.loadedBytes = offset;
          if (Date.now() - lastLog < LOAD_LOG_INTERVAL) return;
          lastLog = Date.now();
          const perc = size > 0 ? ((offset * 100) / size).toFixed(2) : "0.00";
          logger.notice(`Loading RDB: ${perc}% (${offset} of ${size} bytes), keys loaded: ${keys}`);
        },
      });
      this.lastLoadKeysLoaded = r.keysLoaded;
      this.lastLoadKeysExpired = r.keysExpired;
      return r;
    } finally {
      server.engine.refresh();
      server.loading = false;
      this.loading = null;
    }
  }

  /**
   * loadDataFromDisk: the dump in dir/dbfilename, if any. A bad file stops
   * the start-up (PersistenceError) and is left untouched.
   */
  loadAtStartup(): void {
    const file = this.filePath();
    const start = performance.now();
    try {
      this.loadFile(file);
    } catch (err) {
      if (err instanceof RdbError && err.missing) return;
      throw this.fatalLoadError(err);
    }
    logger.notice(`DB loaded from disk: ${((performance.now() - start) / 1000).toFixed(3)} seconds`);
  }

  /** The AOF's RDB base, at start-up: a bad one stops the start like a bad dump. */
  loadAofBase(file: string): void {
    try {
      this.loadFile(file, false, true);
    } catch (err) {
      throw this.fatalLoadError(err);
    }
  }

  /** Logs a failed load the way Redis does before it exits, and returns the error that stops the start. */
  private fatalLoadError(err: unknown): PersistenceError {
    if (!(err instanceof RdbError))
      return new PersistenceError(`Fatal error loading the DB: ${(err as Error).message}. Exiting.`);
    logger.warning(err.message);
    for (const line of err.lines) logger.warning(line);
    const invalid = err.message.startsWith("Wrong signature") || err.message.startsWith("Can't handle RDB format");
    if (invalid) return new PersistenceError("Fatal error loading the DB: Invalid argument. Exiting.");
    return new PersistenceError("Terminating server after rdb file reading failure.");
  }

  /** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: null on success, else the error reply. */
  reload(opts: { save: boolean; flush: boolean; merge: boolean }): string | null {
    if (opts.save && !this.saveSync()) return "ERR";
    if (opts.flush) {
      for (let db = 0; db < this.server.config.int("databases"); db++) {
        // WATCH checks which watched keys exist, so before the flush.
        this.server.touchAllWatchedKeysInDb(db);
        this.server.engine.x.flushDb(db);
      }
    }
    try {
      this.loadFile(this.filePath(), opts.merge);
    } catch (err) {
      if (err instanceof RdbError && !err.missing) {
        logger.warning(err.message);
        for (const line of err.lines) logger.warning(line);
      }
      return "ERR Error trying to load the RDB dump";
    }
    logger.warning("DB reloaded by DEBUG RELOAD");
    return null;
  }

  /** writeCommandsDeniedByDiskError, the RDB half. */
  writeError(): string | null {
    // Every write asks: the common answer costs one comparison.
    if (this.lastBgsaveStatus !== "err") return null;
    if (!this.server.config.bool("stop-writes-on-bgsave-error") || this.savePoints().length === 0) return null;
    return MISCONF;
  }

  // ── INFO ───────────────────────────────────────────────────────────────────

  /** INFO persistence, from `loading` to `rdb_last_load_keys_loaded`. */
  infoFields(): string[] {
    const now = Date.now();
    const child = this.child;
    const out = [`loading:${this.loading ? 1 : 0}`, "async_loading:0"];
    if (this.loading) out.push(...loadingFields(this.loading));
    out.push(
      "current_cow_peak:0",
      "current_cow_size:0",
      "current_cow_size_age:0",
      "current_fork_perc:0.00",
      `current_save_keys_processed:${child?.keysDone ?? 0}`,
      `current_save_keys_total:${child?.keysTotal ?? 0}`,
      `rdb_changes_since_last_save:${this.server.dirty}`,
      `rdb_bgsave_in_progress:${child ? 1 : 0}`,
      `rdb_last_save_time:${this.server.lastSave}`,
      `rdb_last_bgsave_status:${this.lastBgsaveStatus}`,
      `rdb_last_bgsave_time_sec:${this.lastBgsaveTimeSec}`,
      `rdb_current_bgsave_time_sec:${child ? Math.floor((now - child.startedAt) / 1000) : -1}`,
      `rdb_saves:${this.saves}`,
      "rdb_last_cow_size:0",
      `rdb_last_load_keys_expired:${this.lastLoadKeysExpired}`,
      `rdb_last_load_keys_loaded:${this.lastLoadKeysLoaded}`,
    );
    return out;
  }
}

function loadingFields(l: LoadingState): string[] {
  const elapsed = Math.max(0, Math.floor(Date.now() / 1000) - l.startTime);
  const perc = l.totalBytes > 0 ? (l.loadedBytes * 100) / l.totalBytes : 0;
  const eta = l.loadedBytes > 0 ? Math.floor(((l.totalBytes - l.loadedBytes) * elapsed) / l.loadedBytes) : 1;
  return [
    `loading_start_time:${l.startTime}`,
    `loading_total_bytes:${l.totalBytes}`,
    `loading_rdb_used_mem:${l.rdbUsedMem}`,
    `loading_loaded_bytes:${l.loadedBytes}`,
    `loading_loaded_perc:${perc.toFixed(2)}`,
    `loading_eta_seconds:${eta}`,
  ];
}

function encodingLimits(server: Server): EncodingLimits {
  const c = server.config;
  return {
    intsetEntries: c.int("set-max-intset-entries"),
    hashEntries: c.int("hash-max-listpack-entries"),
    hashValue: c.int("hash-max-listpack-value"),
    zsetEntries: c.int("zset-max-listpack-entries"),
  };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

// ── The worker ───────────────────────────────────────────────────────────────

let bundledWorker: string | null = null;

/**
 * Starts snapshot-worker on the job. From the bundle (dist/) it is a file
 * next to this code; from the TypeScript sources (tests) it is bundled once
 * with esbuild and run as eval'd code, since a worker cannot load .ts.
 */
function spawnSnapshotWorker(job: SnapshotJob, transfer: ArrayBuffer[]): Worker {
  const options = { workerData: job, transferList: transfer };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./snapshot-worker.js", import.meta.url), options);
  if (bundledWorker === null) {
    // esbuild's own binary in a short-lived child: its JS API would keep a
    // service process sitting in whatever directory the server chdir'd to.
    const esbuild = createRequire(import.meta.url).resolve("esbuild/bin/esbuild");
    const entry = fileURLToPath(new URL("./snapshot-worker.ts", import.meta.url));
    bundledWorker = execFileSync(esbuild, [entry, "--bundle", "--platform=node", "--format=cjs", "--log-level=error"], {
      cwd: tmpdir(),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  return new Worker(bundledWorker, { ...options, eval: true });
}

/**
 * Attaches RDB persistence to a server: the cron and shutdown hooks. The
 * caller loads the dump (loadAtStartup) unless the AOF was loaded instead.
 */
export function attachRdb(server: Server): Rdb {
  const rdb = new Rdb(server);
  server.rdb = rdb;
  server.cronHooks.push(() => rdb.cron());
  server.prepareShutdownHooks.push((save, force) => rdb.prepareShutdown(save, force));
  return rdb;
}
