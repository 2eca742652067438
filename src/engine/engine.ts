// The TypeScript face of the WASM engine: instantiation, typed views over
// linear memory, and the few helpers that move bytes across.
//
// This module must stay platform-neutral (Node, Deno, Bun, browsers): no
// `node:*` imports, no Buffer. The host hands it the module bytes.
//
// `memory.grow` detaches every view silently (length becomes 0), so any
// call that can allocate is followed by refresh(), which is one comparison
// when nothing moved.

export interface EngineExports {
  memory: WebAssembly.Memory;
  init(databases: number, hashSeed: number, randomSeed: bigint): void;
  layoutRetArea(): number;
  usedMemory(): bigint;
  zmalloc(size: number): number;
  zfree(ptr: number): void;
  frame(buf: number, len: number, pos: number, maxBulk: number, authed: number): number;
  registerCommand(p: number, len: number, id: number): void;
  commandId(p: number, len: number): number;
  evictOne(policy: number, samples: number): number;
  evictedKeys(): bigint;
  fastRegister(id: number, kind: number): void;
  fastCallsPtr(): number;
  fastInfoPtr(): number;
  fastOutPtr(): number;
  runFast(buf: number, len: number, pos: number, maxBulk: number, db: number, resp3: number): number;
  argvPtr(): number;
  argvReserve(n: number): number;
  setArgc(n: number): void;
  argc: WebAssembly.Global;
  inputArena(n: number): number;
  shrinkInputArena(): void;
  setClock(ms: number): void;
  setLruClock(v: number): void;
  setReplicaMode(on: number): void;
  resetStats(): void;
  statHits: WebAssembly.Global;
  statMisses: WebAssembly.Global;
  statExpired: WebAssembly.Global;
  dbSize(db: number): number;
  dbExpiresSize(db: number): number;
  dbAvgTtl(db: number): number;
  lookupKey(db: number, kp: number, kl: number, flags: number): number;
  expireIfNeeded(db: number, kp: number, kl: number, flags: number): number;
  getExpire(db: number, kp: number, kl: number): bigint;
  setExpire(db: number, kp: number, kl: number, when: bigint): void;
  removeExpire(db: number, kp: number, kl: number): number;
  dbDelete(db: number, kp: number, kl: number): number;
  dbSetValue(db: number, kp: number, kl: number, o: number, keepTtl: number): void;
  flushDb(db: number): void;
  swapDb(a: number, b: number): void;
  randomKeyEntry(db: number): number;
  dbScan(db: number, cursor: number): number;
  scanResultCount(): number;
  scanResultPtr(): number;
  activeExpireCycle(budget: number): number;
  databasesCron(rehashSteps: number): void;
  setExpireLog(on: number): void;
  expireLogPtr(): number;
  expireLogClear(): void;
  logLen: WebAssembly.Global;
  setLfu(on: number, logFactor: number, decayTime: number): void;
  lfuDecrAndReturn(o: number): number;
  touchObject(o: number): void;
  setMaxIntsetEntries(n: number): void;
  setListPtr(): number;
  createIntsetObject(): number;
  createSetObject(): number;
  setTypeCreate(p: number, l: number): number;
  setTypeSize(o: number): number;
  setTypeAdd(o: number, p: number, l: number): number;
  setTypeRemove(o: number, p: number, l: number): number;
  setTypeIsMember(o: number, p: number, l: number): number;
  setTypeDup(o: number): number;
  setRandomMembers(o: number, n: number): number;
  setListMembers(o: number): number;
  srandmemberDistinct(o: number, count: number): number;
  spopOne(db: number, kp: number, kl: number, o: number): number;
  spopCount(db: number, kp: number, kl: number, o: number, count: number): number;
  saddArgv(db: number, kp: number, kl: number, argv: number, n: number): number;
  sremArgv(db: number, kp: number, kl: number, argv: number, n: number): number;
  setOpTable(n: number): number;
  setOpDst(): number;
  sinter(n: number, sink: number, limit: number): number;
  sunionDiff(n: number, op: number, sink: number): number;
  sscan(o: number, cursor: number, count: number): number;
  freeObject(o: number): void;
  createStringObject(p: number, len: number): number;
  createRawObject(p: number, len: number, enc: number): number;
  setString(db: number, kp: number, kl: number, vp: number, vl: number, keepTtl: number, expireAt: bigint): void;
  stringView(o: number): number;
  incrBy(db: number, kp: number, kl: number, lo: number, hi: number): number;
  stringWritable(db: number, kp: number, kl: number, minLen: number): number;
  appendString(db: number, kp: number, kl: number, vp: number, vl: number, maxLen: number): number;
  setHashLimits(entries: number, value: number): void;
  hashNew(): number;
  hashLength(o: number): number;
  hashGet(o: number, fp: number, fl: number): number;
  hashExists(o: number, fp: number, fl: number): number;
  hashSetField(o: number, fp: number, fl: number, vp: number, vl: number): number;
  hashDelete(o: number, fp: number, fl: number): number;
  hsetArgv(db: number, kp: number, kl: number, argv: number, pairs: number, nx: number): number;
  hdelArgv(db: number, kp: number, kl: number, o: number, argv: number, n: number): number;
  hashIncrBy(db: number, kp: number, kl: number, fp: number, fl: number, lo: number, hi: number): number;
  hashCollect(o: number, fields: number, values: number): number;
  hashScan(o: number, cursor: number, count: number): number;
  hashRandom(o: number, count: number, allowRepeats: number, withValues: number): number;
  hashItems(): number;
  setZsetLimits(entries: number, value: number): void;
  zsetCreateListpack(): number;
  zsetCreateSkiplist(): number;
  zsetLength(o: number): number;
  zsetAdd(o: number, score: number, p: number, l: number, flags: number): number;
  zsetDel(o: number, p: number, l: number): number;
  zsetConvert(o: number, enc: number): void;
  zsetValidate(o: number): number;
  zaddGeneric(db: number, kp: number, kl: number, args: number, scores: number, n: number, flags: number): number;
  zaddUpdated(): number;
  zaddProcessed(): number;
  zsetLastScore(): number;
  zsetScoreFound(): number;
  zsetScoreOf(o: number, p: number, l: number): number;
  zsetRank(o: number, p: number, l: number, reverse: number): number;
  zremArgv(db: number, kp: number, kl: number, o: number, args: number, n: number): number;
  zitemsPtr(): number;
  zrangeSetScore(min: number, minex: number, max: number, maxex: number): void;
  zrangeSetLex(minKind: number, minP: number, minL: number, maxKind: number, maxP: number, maxL: number): void;
  zrangeDst(): number;
  zrangeByRank(o: number, start: number, end: number, reverse: number, sink: number, scores: number): number;
  zrangeByScoreOrLex(
    o: number,
    lex: number,
    reverse: number,
    offset: number,
    limit: number,
    sink: number,
    scores: number,
  ): number;
  zcountRange(o: number, lex: number): number;
  zremRangeByRank(db: number, kp: number, kl: number, o: number, start: number, end: number): number;
  zremRangeByScoreOrLex(db: number, kp: number, kl: number, o: number, lex: number): number;
  zpop(db: number, kp: number, kl: number, o: number, max: number, count: number): number;
  zsetCollect(o: number, scores: number): number;
  zsetRandom(o: number, count: number, allowRepeats: number): number;
  zscanStep(o: number, cursor: number, count: number, maxIter: number): number;
  zscanCursor(): number;
  zsetOpTable(n: number): number;
  zsetOpRun(n: number, op: number, aggregate: number, countOnly: number, limit: number): number;
  zsetOpResult(): number;
  zsetOpFinishStore(o: number): void;
  d2string(dst: number, v: number): number;
  zzlStrtod(p: number, len: number): number;
  lzfCompress(input: number, inLen: number, out: number, outLen: number): number;
  setListOptions(fill: number, compress: number): void;
  listCreate(): number;
  listLength(o: number): number;
  listPush(o: number, p: number, len: number, where: number): number;
  listPushArgv(o: number, argv: number, from: number, to: number, where: number): number;
  listPopReply(o: number, where: number): number;
  listPopCopy(o: number, where: number): number;
  listRangeReply(o: number, start: number, end: number, reverse: number): number;
  listDelRange(o: number, start: number, count: number): void;
  listPopRangeReply(o: number, where: number, count: number): number;
  listIndexReply(o: number, index: number): number;
  listSet(o: number, index: number, p: number, len: number): number;
  listInsert(o: number, after: number, pp: number, pl: number, vp: number, vl: number): number;
  listPos(o: number, p: number, len: number, rank: number, count: number, maxlen: number): number;
  listRem(o: number, toremove: number, p: number, len: number): number;
  listTrim(o: number, start: number, end: number): number;
  rbPtr(): number;
  rbSize(): number;
  rbShrink(): void;
  crc64(crc: bigint, p: number, len: number): bigint;
  rdbOutPtr(): number;
  rdbOutRelease(): void;
  rdbSaveBegin(flags: number, ctime: number, usedMem: number, lruClock: number): void;
  rdbSaveAux(kp: number, kl: number, vp: number, vl: number): void;
  rdbSaveStep(): number;
  rdbSaveFinished(): number;
  rdbSaveError(): number;
  rdbKeysSaved: WebAssembly.Global;
  rdbDumpObject(o: number, compress: number): number;
  rdbLoadInfoPtr(): number;
  rdbLoadSetLimits(intsetEntries: number, hashEntries: number, hashValue: number, zsetEntries: number): void;
  rdbLoadBegin(flags: number): void;
  rdbLoadEnd(): void;
  rdbLoadRoom(want: number): number;
  rdbLoadFill(n: number): void;
  rdbLoadStep(): number;
  objectSetLRUOrLFU(o: number, lfuFreq: number, lruIdle: number, clock: number): void;
  verifyDumpPayload(p: number, len: number): number;
  restoreObject(p: number, len: number): number;
  snapshotStateSize(): number;
  snapshotStateSave(p: number): void;
  snapshotStateRestore(p: number): void;
  keysCollect(db: number): number;
  scanCollect(db: number, cursor: number, count: number, maxIter: number): number;
  scanFilter(db: number, want: number, replica: number): number;
  scanDeleteExpired(db: number): void;
  keyspaceResultPtr(): number;
  keyspaceResultCount(): number;
  keyspaceResultsRelease(): void;
  renameKey(db: number, sp: number, sl: number, dp: number, dl: number, nx: number): number;
  moveKey(src: number, dst: number, kp: number, kl: number): number;
  copyKey(src: number, dst: number, sp: number, sl: number, dp: number, dl: number, replace: number): number;
  sortLoadAll(o: number): number;
  sortLoadListRange(o: number, start: number, n: number, desc: number): number;
  sortLoadZsetRange(o: number, start: number, n: number, desc: number): number;
  sortElementsPtr(): number;
  sortElementsRelease(): void;
  sortLookup(db: number, pp: number, pl: number, sp: number, sl: number): number;
  dbAsyncDelete(db: number, kp: number, kl: number): number;
  emptyDbAsync(db: number): void;
  lazyfreeStep(budget: number): number;
  lazyfreePending(): number;
  lazyfreePendingObjects(): number;
  lazyfreedObjects(): number;
  lazyfreeResetStats(): void;
  setRange(db: number, kp: number, kl: number, offset: number, vp: number, vl: number, maxLen: number): number;
  setBit(db: number, kp: number, kl: number, byte: number, bit: number, on: number): number;
  bitCount(p: number, len: number): number;
  bitPos(p: number, len: number, bit: number): number;
  bitop(db: number, op: number, keys: number, n: number): number;
  bitfieldWritable(db: number, kp: number, kl: number, minLen: number): number;
  bitfieldGet(o: number, offset: number, bits: number, signed: number): bigint;
  bitfieldWrite(
    o: number,
    incr: number,
    offset: number,
    bits: number,
    signed: number,
    owtype: number,
    value: bigint,
  ): number;
}

/** Object layout (assembly/object.ts). */
export const OBJ_HEADER = 8;
export const OBJ_STRING = 0;
export const OBJ_LIST = 1;
export const OBJ_SET = 2;
export const OBJ_ZSET = 3;
export const OBJ_HASH = 4;
export const ENC_RAW = 0;
export const ENC_INT = 1;
export const ENC_EMBSTR = 8;
export const ENC_INTSET = 6;
export const ENC_HT = 2;

/** Dict entry layout (assembly/dict.ts). */
export const ENTRY_KLEN = 16;
export const ENTRY_KEY = 20;
export const ENTRY_VAL = 8;

/** lookupKey flags (assembly/db.ts). */
export const LOOKUP_READ = 0;
export const LOOKUP_WRITE = 1;
export const LOOKUP_NOTOUCH = 2;
export const LOOKUP_NOSTATS = 4;
export const LOOKUP_NOEXPIRE = 8;

/** Return codes of string operations (assembly/t_string.ts). */
export const STR_WRONGTYPE = -1;
export const STR_NOT_INT = -2;
export const STR_OVERFLOW = -3;
export const STR_TOO_BIG = -4;

/** Set operations (assembly/t_set.ts): return code, algebra sinks and ops. */
export const SET_WRONGTYPE = -1;
export const SINK_LIST = 0;
export const SINK_COUNT = 1;
export const SINK_STORE = 2;
export const OP_UNION = 0;
export const OP_DIFF = 1;

export class Engine {
  readonly x: EngineExports;
  u8!: Uint8Array;
  i32!: Int32Array;
  u32!: Uint32Array;
  f64!: Float64Array;
  private readonly ret: number;
  /** Where loadArgv puts arguments that do not come from a socket (inline, EXEC, embedded calls). */
  private readonly argScratch = new ScratchBlock();
  /**
   * Where copyIn puts bytes a command hands the engine. Separate from
   * argScratch, so a handler running on loaded argv never overwrites its
   * own arguments.
   */
  private readonly tmpScratch = new ScratchBlock();

  private constructor(instance: WebAssembly.Instance, databases: number) {
    this.x = instance.exports as unknown as EngineExports;
    this.refreshViews();
    const seed = (Math.random() * 0xffffffff) >>> 0;
    const rnd = BigInt(Math.floor(Math.random() * 2 ** 52));
    this.x.init(databases, seed, rnd);
    this.refresh();
    this.ret = this.x.layoutRetArea();
  }

  static async load(wasm: BufferSource | WebAssembly.Module, databases: number): Promise<Engine> {
    const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
    return Engine.fromModule(module, databases);
  }

  static fromModule(module: WebAssembly.Module, databases: number): Engine {
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort(_msg: number, _file: number, line: number, col: number): never {
          throw new Error(`engine abort at ${line}:${col}`);
        },
      },
    });
    return new Engine(instance, databases);
  }

  /** Re-takes the views if memory grew since the last call. */
  refresh(): void {
    if (this.u8.byteLength === 0) this.refreshViews();
  }

  private refreshViews(): void {
    const buf = this.x.memory.buffer;
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  /** Ret-area slot (assembly/util.ts setRet). */
  retI32(slot: number): number {
    return this.i32[(this.ret >> 2) + slot];
  }

  /** The i64 ret slot as a number when safe, else a bigint. */
  retI64(): number | bigint {
    const base = (this.ret + 32) >> 2;
    const lo = this.u32[base];
    const hi = this.i32[base + 1];
    if ((hi === 0 && lo <= 0x7fffffff) || (hi === -1 && lo >= 0x80000000)) return lo | 0;
    const n = hi * 4294967296 + lo;
    if (Number.isSafeInteger(n)) return n;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A borrowed view of engine memory; valid until the next allocating call. */
  view(ptr: number, len: number): Uint8Array {
    return this.u8.subarray(ptr, ptr + len);
  }

  /** Type of an object (OBJ_*). */
  objType(o: number): number {
    return this.u8[o] & 15;
  }

  objEncoding(o: number): number {
    return (this.u8[o] >> 4) & 15;
  }

  objLru(o: number): number {
    return this.u32[o >> 2] >>> 8;
  }

  /** Bytes of a string object as a borrowed view (ints are printed to scratch). */
  stringBytes(o: number): Uint8Array {
    const p = this.x.stringView(o);
    const len = this.i32[this.ret >> 2];
    return this.u8.subarray(p, p + len);
  }

  stringLength(o: number): number {
    return this.u32[(o + 4) >> 2];
  }

  /**
   * Copies bytes into a scratch block in engine memory and returns its
   * address, valid until the next copyIn that needs a larger block.
   */
  copyIn(bytes: Uint8Array, at = 0): number {
    const p = this.tmpScratch.reserve(this, at + bytes.length);
    this.u8.set(bytes, p + at);
    return p + at;
  }

  /**
   * Makes `args` the current argv, as if just framed from a socket: copies
   * them into scratch memory and fills the argv table.
   */
  loadArgv(args: readonly Uint8Array[]): void {
    let total = 0;
    for (const a of args) total += a.length;
    let at = this.argScratch.reserve(this, total);
    const table = this.x.argvReserve(args.length);
    this.refresh();
    for (let i = 0; i < args.length; i++) {
      this.u8.set(args[i], at);
      this.u32[(table >> 2) + 2 * i] = at;
      this.u32[(table >> 2) + 2 * i + 1] = args[i].length;
      at += args[i].length;
    }
    this.x.setArgc(args.length);
  }

  usedMemory(): number {
    return Number(this.x.usedMemory());
  }
}

/** A block of engine memory reused for transient bytes, grown as needed. */
class ScratchBlock {
  private ptr = 0;
  private cap = 0;

  /** The block's address, with room for n bytes (views refreshed when it grew). */
  reserve(e: Engine, n: number): number {
    if (n <= this.cap) return this.ptr;
    if (this.ptr !== 0) e.x.zfree(this.ptr);
    this.cap = Math.max(n, this.cap * 2, 4096);
    this.ptr = e.x.zmalloc(this.cap);
    e.refresh();
    return this.ptr;
  }
}
