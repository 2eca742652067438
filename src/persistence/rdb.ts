// RDB files through the engine's writer and loader (assembly/rdb.ts,
// assembly/rdb_load.ts). The engine produces and parses the bytes; this side
// moves them between its buffers and files, writes the file the safe way
// (temp file, fsync, rename, fsync of the directory), and turns the loader's
// events into Redis's log lines. Used on the main thread (SAVE, loading) and
// in the snapshot worker (BGSAVE), so it depends on nothing but the exports.

import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineExports } from "../engine/engine";

/** rdbSaveBegin flags (assembly/rdb.ts). */
const SAVE_COMPRESS = 1;
const SAVE_CHECKSUM = 2;
const SAVE_LRU = 4;
const SAVE_LFU = 8;
const SAVE_AOF_BASE = 16;

/** Loader results and flags (assembly/rdb_load.ts). */
const LOAD_DONE = 0;
const LOAD_NEED_MORE = 1;
const LOAD_AUX = 2;
const LOAD_EMPTY_KEY = 3;
const LOAD_PROGRESS = 4;
const LOAD_FUNCTION = 5;
const LOAD_ERR_SIGNATURE = -1;
const LOAD_ERR_VERSION = -2;
const LOAD_ERR_CORRUPT = -3;
const LOAD_ERR_CHECKSUM = -4;
const LOAD_ERR_DB_INDEX = -5;
const LOAD_ERR_DUP_KEY = -6;
const LOAD_ERR_TYPE = -7;
const LOAD_ERR_OOM = -8;
const LOAD_ERR_MODULE_AUX = -9;
const LOAD_VERIFY_CHECKSUM = 1;
const LOAD_EXPIRE_KEYS = 2;
const LOAD_ALLOW_DUP = 4;

/** Info record slots (assembly/rdb_load.ts). */
const I_VERSION = 0;
const I_OFFSET = 1;
const I_LOADED = 2;
const I_EXPIRED = 3;
const I_EMPTY = 4;
const I_REASON = 5;
const I_EXPECTED = 6;
const I_GOT = 7;
const I_DB = 8;
const I_NO_CHECKSUM = 9;
const I_PTR_A = 10;
const I_LEN_A = 11;
const I_PTR_B = 12;
const I_LEN_B = 13;
const I_DETAIL = 14;

/** Bytes read from the file per refill when the record at hand is small. */
const READ_CHUNK = 1 << 20;

export interface RdbSaveOptions {
  compression: boolean;
  checksum: boolean;
  /** maxmemory-policy is an LRU one: save IDLE hints. */
  lru: boolean;
  /** maxmemory-policy is an LFU one: save FREQ hints. */
  lfu: boolean;
  /** The file is an AOF base (aof-base:1). */
  aofBase: boolean;
  /** Seconds since the epoch (aux ctime). */
  ctime: number;
  usedMem: number;
  /** The 24-bit LRU clock the IDLE hints are computed against. */
  lruClock: number;
}

export interface RdbSaveResult {
  keys: number;
  bytes: number;
}

/** A failed save or load; `message` is Redis's log line, `lines` any further ones. */
export class RdbError extends Error {
  constructor(
    message: string,
    readonly lines: string[] = [],
    /** The file was not there (Redis's ENOENT: start with an empty dataset). */
    readonly missing = false,
  ) {
    super(message);
  }
}

/** The text C's strerror gives for the errors a save or load meets. */
export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOSPC: "No space left on device",
    EDQUOT: "Disk quota exceeded",
    EACCES: "Permission denied",
    EPERM: "Operation not permitted",
    ENOENT: "No such file or directory",
    ENOTDIR: "Not a directory",
    EISDIR: "Is a directory",
    EROFS: "Read-only file system",
    EFBIG: "File too large",
    EIO: "Input/output error",
    EMFILE: "Too many open files",
  };
  return (e.code && known[e.code]) ?? e.message ?? String(err);
}

// ── Saving ───────────────────────────────────────────────────────────────────

function saveFlags(o: RdbSaveOptions): number {
  return (
    (o.compression ? SAVE_COMPRESS : 0) |
    (o.checksum ? SAVE_CHECKSUM : 0) |
    (o.lru ? SAVE_LRU : 0) |
    (o.lfu ? SAVE_LFU : 0) |
    (o.aofBase ? SAVE_AOF_BASE : 0)
  );
}

/**
 * rdbSaveRio: runs the engine's writer to the end, handing each chunk to
 * `write` (a borrowed view of engine memory, valid during the call).
 * `progress` is told the keys written so far, once per chunk.
 */
export function rdbSaveRio(
  x: EngineExports,
  o: RdbSaveOptions,
  write: (chunk: Uint8Array) => void,
  progress?: (keys: number) => void,
): RdbSaveResult {
  x.rdbSaveBegin(saveFlags(o), o.ctime, o.usedMem, o.lruClock);
  let bytes = 0;
  try {
    while (true) {
      const n = x.rdbSaveStep();
      if (x.rdbSaveError() !== 0) throw new RdbError("Can't save a value whose type has no RDB writer yet");
      write(new Uint8Array(x.memory.buffer, x.rdbOutPtr(), n));
      bytes += n;
      progress?.(x.rdbKeysSaved.value as number);
      if (x.rdbSaveFinished()) break;
    }
  } finally {
    x.rdbOutRelease();
  }
  return { keys: x.rdbKeysSaved.value as number, bytes };
}

/**
 * rdbSave: writes the dataset to `tmp` in the target's directory, fsyncs
 * it, renames it over `file` and fsyncs the directory, so a crash at any
 * point leaves either the old file or the new one. Throws RdbError with
 * Redis's log line; the temp file is removed and `file` left as it was.
 */
export function rdbSaveFile(
  x: EngineExports,
  file: string,
  tmp: string,
  o: RdbSaveOptions,
  progress?: (keys: number) => void,
): RdbSaveResult {
  const dir = path.dirname(file);
  let fd: number;
  try {
    fd = fs.openSync(tmp, "w");
  } catch (err) {
    throw new RdbError(
      `Failed opening the temp RDB file ${path.basename(tmp)} (in server root dir ${dir}) for saving: ${strerror(err)}`,
    );
  }
  let op = "rdbSaveRio";
  try {
    const r = rdbSaveRio(x, o, (chunk) => writeAll(fd, chunk), progress);
    op = "fsync";
    fs.fsyncSync(fd);
    op = "fclose";
    fs.closeSync(fd);
    fd = -1;
    renameInto(tmp, file, dir);
    op = "fsyncFileDir";
    fsyncDir(dir);
    return r;
  } catch (err) {
    if (fd >= 0) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    if (err instanceof RdbError) throw err;
    throw new RdbError(`Write error saving DB on disk(${op}): ${strerror(err)}`);
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  let off = 0;
  while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
}

function renameInto(tmp: string, file: string, dir: string): void {
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    throw new RdbError(
      `Error moving temp DB file ${path.basename(tmp)} on the final destination ${path.basename(file)} (in server root dir ${dir}): ${strerror(err)}`,
    );
  }
}

/** fsyncFileDir: makes the rename itself durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

// ── Loading ──────────────────────────────────────────────────────────────────

export interface RdbLoadOptions {
  verifyChecksum: boolean;
  /** Drop keys whose time has passed (a master; a replica keeps them for its master's DELs). */
  expireKeys: boolean;
  /** DEBUG RELOAD MERGE: a key already present is replaced instead of failing the load. */
  allowDup: boolean;
  /** The encoding limits a loaded value is held to (set-max-intset-entries, hash-max-listpack-*). */
  limits: EncodingLimits;
  log: (level: "notice" | "warning" | "verbose" | "debug", msg: string) => void;
  /** Called every couple of MB with the bytes consumed so far. */
  progress?: (offset: number, keysLoaded: number) => void;
  /** A function library found in the file (its code); without a handler it is skipped with a warning. */
  functionLibrary?: (code: Uint8Array) => void;
}

export interface EncodingLimits {
  intsetEntries: number;
  hashEntries: number;
  hashValue: number;
  zsetEntries: number;
}

export interface RdbLoadResult {
  version: number;
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  bytes: number;
  /** used-mem of the aux fields (INFO's loading_rdb_used_mem). */
  usedMem: number;
  /** Replication aux fields, for a restarted replica or master to resume from. */
  replId: string | null;
  replOffset: number | null;
  replStreamDb: number | null;
}

/** Reads the loader's info record. */
class LoadInfo {
  constructor(private readonly x: EngineExports) {}

  get(slot: number): number {
    const view = new DataView(this.x.memory.buffer, this.x.rdbLoadInfoPtr(), 15 * 8);
    return Number(view.getBigUint64(slot * 8, true));
  }

  big(slot: number): bigint {
    const view = new DataView(this.x.memory.buffer, this.x.rdbLoadInfoPtr(), 15 * 8);
    return view.getBigUint64(slot * 8, true);
  }

  bytes(ptrSlot: number, lenSlot: number): Uint8Array {
    const p = this.get(ptrSlot);
    return new Uint8Array(this.x.memory.buffer, p, this.get(lenSlot)).slice();
  }
}

function loadFlags(o: RdbLoadOptions): number {
  return (
    (o.verifyChecksum ? LOAD_VERIFY_CHECKSUM : 0) |
    (o.expireKeys ? LOAD_EXPIRE_KEYS : 0) |
    (o.allowDup ? LOAD_ALLOW_DUP : 0)
  );
}

/**
 * rdbLoad: reads `file` into the engine's keyspace (which the caller has
 * emptied, or not for DEBUG RELOAD NOFLUSH). Throws RdbError with Redis's
 * log lines on a bad file (`missing` when it does not exist); the keys read
 * before the error stay in the keyspace.
 */
export function rdbLoadFile(x: EngineExports, file: string, o: RdbLoadOptions): RdbLoadResult {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new RdbError(`Can't open the RDB file ${file}: ${strerror(err)}`, [], missing);
  }
  try {
    return rdbLoadRio(x, (dst) => fs.readSync(fd, dst, 0, dst.length, null), o);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * rdbLoadRio: the loader fed by `read` (fills a view of engine memory,
 * returns the bytes read, 0 at the end of input).
 */
export function rdbLoadRio(x: EngineExports, read: (dst: Uint8Array) => number, o: RdbLoadOptions): RdbLoadResult {
  const info = new LoadInfo(x);
  const result: RdbLoadResult = {
    version: 0,
    keysLoaded: 0,
    keysExpired: 0,
    emptyKeysSkipped: 0,
    bytes: 0,
    usedMem: 0,
    replId: null,
    replOffset: null,
    replStreamDb: null,
  };
  const l = o.limits;
  x.rdbLoadSetLimits(l.intsetEntries, l.hashEntries, l.hashValue, l.zsetEntries);
  x.rdbLoadBegin(loadFlags(o));
  let eof = false;
  let want = READ_CHUNK;
  let lastNeedAt = -1;
  let lastRead = 0;
  try {
    while (true) {
      const r = engineCall(info, () => x.rdbLoadStep());
      if (r === LOAD_DONE) break;
      if (r === LOAD_NEED_MORE) {
        if (eof) throw shortRead(info.get(I_OFFSET));
        // The same record still incomplete after a full read: read twice as
        // much, so a huge record is parsed a logarithmic number of times.
        const at = info.get(I_OFFSET);
        want = at === lastNeedAt && lastRead === want ? want * 2 : READ_CHUNK;
        lastNeedAt = at;
        const dst = engineCall(info, () => x.rdbLoadRoom(want));
        lastRead = read(new Uint8Array(x.memory.buffer, dst, want));
        x.rdbLoadFill(lastRead);
        if (lastRead === 0) eof = true;
      } else if (r === LOAD_AUX) {
        applyAux(info.bytes(I_PTR_A, I_LEN_A), info.bytes(I_PTR_B, I_LEN_B), result, o);
      } else if (r === LOAD_EMPTY_KEY) {
        if (info.get(I_EMPTY) <= 10)
          o.log("warning", `rdbLoadObject skipping empty key: ${text(info.bytes(I_PTR_A, I_LEN_A))}`);
      } else if (r === LOAD_FUNCTION) {
        loadedFunction(info.bytes(I_PTR_B, I_LEN_B), o);
      } else if (r === LOAD_PROGRESS) {
        o.progress?.(info.get(I_OFFSET), info.get(I_LOADED));
      } else {
        throw loadError(r, info, o);
      }
    }
    if (info.get(I_NO_CHECKSUM) !== 0)
      o.log("warning", "RDB file was saved with checksum disabled: no check performed.");
  } finally {
    result.version = info.get(I_VERSION);
    result.keysLoaded = info.get(I_LOADED);
    result.keysExpired = info.get(I_EXPIRED);
    result.emptyKeysSkipped = info.get(I_EMPTY);
    result.bytes = info.get(I_OFFSET);
    x.rdbLoadEnd();
  }
  logDone(result, o);
  return result;
}

/** A loader call; an engine trap (memory exhausted) is a failed load, not a crash. */
function engineCall(info: LoadInfo, fn: () => number): number {
  try {
    return fn();
  } catch (err) {
    throw new RdbError("Short read or OOM loading DB. Unrecoverable error, aborting now.", [
      internalError(info.get(I_OFFSET), `Engine failure while loading: ${(err as Error).message}`),
    ]);
  }
}

function logDone(r: RdbLoadResult, o: RdbLoadOptions): void {
  if (r.emptyKeysSkipped > 0) {
    o.log(
      "warning",
      `Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}, empty keys skipped: ${r.emptyKeysSkipped}.`,
    );
  } else {
    o.log("notice", `Done loading RDB, keys loaded: ${r.keysLoaded}, keys expired: ${r.keysExpired}.`);
  }
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** What Redis does with each AUX field: log it, remember it, or ignore it. */
function applyAux(key: Uint8Array, val: Uint8Array, r: RdbLoadResult, o: RdbLoadOptions): void {
  const k = text(key);
  const v = text(val);
  if (k.startsWith("%")) return o.log("notice", `RDB '${k}': ${v}`);
  switch (k.toLowerCase()) {
    case "repl-stream-db":
      r.replStreamDb = Number.parseInt(v, 10) || 0;
      return;
    case "repl-id":
      if (v.length === 40) r.replId = v;
      return;
    case "repl-offset":
      r.replOffset = Number.parseInt(v, 10) || 0;
      return;
    case "lua":
    case "redis-bits":
      return;
    case "redis-ver":
      return o.log("notice", `Loading RDB produced by version ${v}`);
    case "ctime":
      return o.log(
        "notice",
        `RDB age ${Math.max(0, Math.floor(Date.now() / 1000) - (Number.parseInt(v, 10) || 0))} seconds`,
      );
    case "used-mem":
      r.usedMem = Number.parseInt(v, 10) || 0;
      return o.log("notice", `RDB memory usage when created ${(r.usedMem / (1024 * 1024)).toFixed(2)} Mb`);
    case "aof-preamble":
      if ((Number.parseInt(v, 10) || 0) !== 0) o.log("notice", "RDB has an AOF tail");
      return;
    case "aof-base":
      if ((Number.parseInt(v, 10) || 0) !== 0) o.log("notice", "RDB is base AOF");
      return;
    default:
      o.log("debug", `Unrecognized RDB AUX field: '${k}'`);
  }
}

function loadedFunction(code: Uint8Array, o: RdbLoadOptions): void {
  if (o.functionLibrary) return o.functionLibrary(code);
  const first = text(code.subarray(0, Math.min(code.length, 80))).split("\n")[0];
  o.log("warning", `Skipping function library (${first}): functions are not supported by this server`);
}

function internalError(offset: number, reason: string): string {
  return `Internal error in RDB reading offset ${offset}, function at rdb.c -> ${reason}`;
}

function shortRead(offset: number): RdbError {
  return new RdbError("Short read or OOM loading DB. Unrecoverable error, aborting now.", [
    internalError(offset, "Unexpected EOF reading RDB file"),
  ]);
}

/** The names of the RDB types this server cannot hold yet, for the refusal message. */
const TYPE_NAMES: Record<number, string> = {
  6: "module",
  7: "module",
  15: "stream",
  19: "stream",
  21: "stream",
};

/** Redis's log lines for each way a load fails. */
function loadError(code: number, info: LoadInfo, o: RdbLoadOptions): RdbError {
  const offset = info.get(I_OFFSET);
  switch (code) {
    case LOAD_ERR_SIGNATURE:
      return new RdbError("Wrong signature trying to load DB from file");
    case LOAD_ERR_VERSION:
      return new RdbError(`Can't handle RDB format version ${info.get(I_VERSION)}`);
    case LOAD_ERR_CHECKSUM:
      return new RdbError(
        `Wrong RDB checksum expected: (${info.big(I_EXPECTED).toString(16)}) but got (${info.big(I_GOT).toString(16)}). Aborting now.`,
        [internalError(0, "RDB CRC error")],
      );
    case LOAD_ERR_CORRUPT:
      return new RdbError(internalError(offset, corruptReason(info.get(I_REASON), info.get(I_DETAIL))));
    case LOAD_ERR_DB_INDEX:
      return new RdbError(
        `FATAL: Data file was created with a Redis server configured to handle more than ${info.get(I_DB)} databases. Exiting`,
      );
    case LOAD_ERR_DUP_KEY:
      return new RdbError(`RDB has duplicated key '${text(info.bytes(I_PTR_A, I_LEN_A))}' in DB ${info.get(I_DB)}`, [
        "Duplicated key found in RDB file",
      ]);
    case LOAD_ERR_TYPE: {
      const t = info.get(I_DETAIL);
      return new RdbError(`Can't load RDB type ${t} (${TYPE_NAMES[t] ?? "unknown"}): not supported by this server yet`);
    }
    case LOAD_ERR_OOM:
      o.log("warning", `rdbGenericLoadStringObject failed allocating ${info.get(I_DETAIL)} bytes`);
      return new RdbError("Short read or OOM loading DB. Unrecoverable error, aborting now.", [
        internalError(offset, "Unexpected EOF reading RDB file"),
      ]);
    case LOAD_ERR_MODULE_AUX:
      return new RdbError("The RDB file contains AUX module data I can't load: no matching module");
    default:
      return new RdbError(`Unexpected loader result ${code}`);
  }
}

function corruptReason(reason: number, detail: number): string {
  switch (reason) {
    case 1:
      return `Unknown length encoding ${detail} in rdbLoadLen()`;
    case 2:
      return `Unknown RDB string encoding type ${detail}`;
    case 3:
      return "Invalid LZF compressed string";
    case 4:
      return "Duplicate set members detected";
    case 5:
      return "Intset integrity check failed.";
    case 6:
      return "Set listpack integrity check failed.";
    case 7:
      return `Unknown RDB encoding type ${detail}`;
    case 8:
      return "Duplicate hash fields detected";
    case 9:
      return "Hash listpack integrity check failed.";
    case 10:
      return "Hash ziplist integrity check failed.";
    case 11:
      return "Hash zipmap with dup elements, or big length";
    case 12:
      return "Quicklist integrity check failed.";
    case 13:
      return "Listpack integrity check failed.";
    case 14:
      return "Ziplist integrity check failed.";
    case 15:
      return "List ziplist integrity check failed.";
    case 16:
      return "Zset with NAN score detected";
    case 17:
      return "Duplicate zset fields detected";
    case 18:
      return "Zset listpack integrity check failed.";
    case 19:
      return "Zset ziplist integrity check failed.";
    default:
      return `Corrupt RDB data (${reason})`;
  }
}
