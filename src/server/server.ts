// Server state shared by all clients: the engine, the command table, the
// configuration, statistics, and the hooks every write goes through
// (propagate → AOF, replicas, MONITOR). Socket handling is in listener.ts.

import { allCommands, allEngineParams } from "../commands/all";
import { dispatch } from "../commands/dispatch";
import { latin1 } from "../commands/errors";
import { CommandTable } from "../commands/table";
import { type Engine, LOOKUP_NOEXPIRE, LOOKUP_NOSTATS, LOOKUP_NOTOUCH, LOOKUP_READ } from "../engine/engine";
import { ReplyWriter } from "../resp/writer";
import {
  CLIENT_BLOCKED,
  CLIENT_CLOSE_AFTER_REPLY,
  CLIENT_DIRTY_CAS,
  CLIENT_DIRTY_EXEC,
  CLIENT_MULTI,
  Client,
  type Connection,
  PAUSE_ALL,
  PAUSE_OFF,
  REPLY_ON,
  REPLY_SKIP,
} from "./client";
import { Blocking } from "./blocking";
import type { Config } from "./config";
import { processInput } from "./input";
import { LazyFree } from "./lazyfree";
import { registerFastPath } from "./fastpath";
import { type Host, neutralHost } from "./host";
import { logger } from "./log";
import { redactArgs, Slowlog } from "./slowlog";

export interface Stats {
  commands: number;
  connections: number;
  rejectedConnections: number;
  rejectedCalls: number;
  netInput: number;
  netOutput: number;
  /** Per-error-code counts for INFO errorstats. */
  errors: Map<string, number>;
  /** Every error reply (INFO total_error_replies). */
  errorReplies: number;
}

const DEL = new TextEncoder().encode("DEL");

/** maxmemory-policy values in the engine's order (assembly/evict.ts POLICY_*); noeviction is absent. */
const EVICTION_POLICIES = [
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
];
/** Bounds the work one command can trigger; the next command evicts more. */
const MAX_EVICTIONS_PER_COMMAND = 10000;
const MULTI = new TextEncoder().encode("MULTI");
const EXEC = new TextEncoder().encode("EXEC");

/** The AOF's counters for INFO persistence. */
export interface AofStats {
  rewrites: number;
  lastRewriteSec: number;
  lastRewriteStatus: "ok" | "err";
  lastWriteStatus: "ok" | "err";
  rewriteStartedAt: number;
  currentSize: number;
  baseSize: number;
  delayedFsync: number;
}

/** What commands and INFO need from the AOF (src/persistence/aof.ts). */
export interface AofControl {
  isOn(): boolean;
  isRewriting(): boolean;
  rewrite(): Promise<void>;
  writeError(): string | null;
  readonly stats: AofStats;
}

/** What commands and INFO need from RDB persistence (src/persistence/save.ts). */
export interface RdbControl {
  /** SAVE: false when it failed (logged). */
  save(): boolean;
  /** BGSAVE [SCHEDULE]: the status reply, or the error reply. */
  bgsave(schedule: boolean): { status: string } | { error: string };
  isSaving(): boolean;
  /** DEBUG RELOAD: null on success, else the error reply. */
  reload(opts: { save: boolean; flush: boolean; merge: boolean }): string | null;
  /** FLUSHALL: stop a background save, save the empty dataset when save points exist. */
  afterFlushAll(): void;
  /** INFO persistence, `loading` to `rdb_last_load_keys_loaded`. */
  infoFields(): string[];
  /** The MISCONF error writes get after a failed background save (stop-writes-on-bgsave-error), or null. */
  writeError(): string | null;
}

export type PropagateListener = (db: number, args: Uint8Array[]) => void;

export class Server {
  readonly engine: Engine;
  readonly config: Config;
  readonly table: CommandTable;
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly slowlog: Slowlog;
  readonly startTime = Date.now();
  /** used_memory before any data (INFO's used_memory_startup). */
  readonly startupMemory: number;
  readonly runId: string;
  /** Writes since the last save (Redis's server.dirty). */
  dirty = 0;
  lastSave = Math.floor(Date.now() / 1000);
  stats: Stats = newStats();
  private nextClientId = 1;
  private readonly propagateListeners: PropagateListener[] = [];
  /** The writer shared by whichever client is being served; replies are taken per batch. */
  readonly sharedWriter = new ReplyWriter();
  private cronTimer: ReturnType<typeof setInterval> | null = null;
  /** Hooks run by SHUTDOWN before the process exits (persistence, listeners). */
  readonly shutdownHooks: (() => void | Promise<void>)[] = [];
  /**
   * What SHUTDOWN must finish before it replies (Redis's prepareForShutdown):
   * save is true for SAVE, false for NOSAVE, null for the configured default;
   * a hook returning false refuses the shutdown.
   */
  readonly prepareShutdownHooks: ((save: boolean | null, force: boolean) => boolean)[] = [];
  /** Run after a batch of commands, before its replies leave (the AOF writes and fsyncs here). */
  readonly beforeReplyHooks: (() => void)[] = [];
  /** Run by the cron on every tick (AOF background fsync, save points). */
  readonly cronHooks: (() => void)[] = [];
  /** True while replaying data at start-up: nothing is propagated. */
  loading = false;
  /** The append-only file, when persistence is attached (Node hosts). */
  aof: AofControl | null = null;
  /** RDB persistence, when attached (Node hosts). */
  rdb: RdbControl | null = null;
  masterHost: string | null = null;
  /** Command ids the engine's fast path runs (see fastpath.ts). */
  fastPathIds: number[] = [];

  /** Whether server-wide state lets commands skip the dispatcher (no one needs to see them). */
  fastPathServerOpen(): boolean {
    return (
      this.monitors.size === 0 &&
      this.propagateListeners.length === 0 &&
      this.watchedKeys.size === 0 &&
      this.maxmemory === 0 &&
      this.masterHost === null &&
      !this.loading &&
      this.pauseType === PAUSE_OFF &&
      // While persisting fails, writes (and PING) must meet the dispatcher's MISCONF.
      (this.rdb?.writeError() ?? this.aof?.writeError() ?? null) === null &&
      // A push must wake clients blocked on its key: only the dispatcher does that.
      this.blocking.blockedClients === 0 &&
      // slowlog-log-slower-than 0 logs every command: each must be seen.
      this.slowlog.threshold !== 0
    );
  }

  /** Platform facts and facilities (the Node host sets its own; see host.ts). */
  host: Host = neutralHost;
  /** The CLI exits the process on SHUTDOWN; an in-process server just stops. */
  exitOnShutdown = false;
  /** DEBUG SET-ACTIVE-EXPIRE 0 stops the cron's active expiry (tests use it). */
  activeExpireEnabled = true;
  /** Full name of the running command, for messages that quote it. */
  currentCommandName = "";
  /** WATCHed keys: "db:key" (key one char per byte) → watching clients. */
  readonly watchedKeys = new Map<string, Set<Client>>();
  /** Clients blocked on keys (BLPOP...) and the keys made ready for them. */
  readonly blocking: Blocking = new Blocking(this);
  /** Frees what UNLINK and FLUSH* ASYNC let go of, a little per event-loop turn. */
  readonly lazyfree = new LazyFree(this);

  /** Hot configuration values, kept as fields so the per-command path does no lookups. */
  maxmemory = 0;
  protoMaxBulkLen = 0;

  constructor(engine: Engine, config: Config) {
    this.engine = engine;
    this.config = config;
    this.startupMemory = engine.usedMemory();
    this.maxmemory = config.int("maxmemory");
    this.protoMaxBulkLen = config.int("proto-max-bulk-len");
    config.onChange("maxmemory", (v) => {
      this.maxmemory = Number(v);
    });
    config.onChange("proto-max-bulk-len", (v) => {
      this.protoMaxBulkLen = Number(v);
    });
    this.table = new CommandTable(allCommands);
    this.table.registerIn(engine);
    this.fastPathIds = registerFastPath(engine, this.table);
    for (const p of allEngineParams) {
      p.apply(engine, config);
      for (const name of p.names) config.onChange(name, () => p.apply(engine, config));
    }
    this.slowlog = new Slowlog(config);
    this.runId = randomHex(40);
    this.sharedWriter.onError = (msg) => this.countError(msg);
    this.watchConfig();
    this.tick();
  }

  /** Config changes that take effect at once (Redis's apply functions). */
  private watchConfig(): void {
    const config = this.config;
    const lfu = () =>
      this.engine.x.setLfu(
        config.get("maxmemory-policy").includes("lfu") ? 1 : 0,
        config.int("lfu-log-factor"),
        config.int("lfu-decay-time"),
      );
    lfu();
    for (const name of ["maxmemory-policy", "lfu-log-factor", "lfu-decay-time"]) config.onChange(name, lfu);
    config.onChange("hz", () => {
      if (this.cronTimer === null) return;
      this.stopCron();
      this.startCron();
    });
  }

  /** INFO errorstats: errors by their code, the first word (Redis's afterErrorReply). */
  private countError(msg: string): void {
    const stats = this.stats;
    stats.errorReplies++;
    const space = msg.slice(0, 31).indexOf(" ");
    const code = space < 0 ? "ERR" : msg.slice(0, space);
    const n = stats.errors.get(code);
    // Redis stops tracking new codes past 128 distinct ones.
    if (n !== undefined) stats.errors.set(code, n + 1);
    else if (stats.errors.size < 128) stats.errors.set(code, 1);
  }

  get slowlogEnabled(): boolean {
    return this.slowlog.threshold >= 0;
  }

  slowlogPush(c: Client, usec: number): void {
    this.slowlog.push(c, usec);
  }

  authRequired(): boolean {
    return this.config.get("requirepass") !== "";
  }

  isReadonlyReplica(): boolean {
    return this.masterHost !== null && this.config.bool("replica-read-only");
  }

  isOverMaxmemory(): boolean {
    return this.maxmemory > 0 && this.engine.usedMemory() > this.maxmemory;
  }

  /**
   * Evicts keys by maxmemory-policy until memory is under maxmemory (Redis's
   * performEvictions, run before every command); noeviction, or a volatile
   * policy with no TTL keys left, leaves it over and denyoom commands fail.
   */
  performEvictions(): void {
    const policy = EVICTION_POLICIES.indexOf(this.config.get("maxmemory-policy"));
    if (policy < 0 || !this.isOverMaxmemory()) return;
    const samples = this.config.int("maxmemory-samples");
    for (let i = 0; i < MAX_EVICTIONS_PER_COMMAND && this.isOverMaxmemory(); i++) {
      if (!this.engine.x.evictOne(policy, samples)) break;
    }
    this.engine.refresh();
    if (this.propagating()) this.drainExpired();
  }

  createClient(conn: Connection | null): Client {
    const c = new Client(this, this.nextClientId++, conn, this.sharedWriter);
    this.clients.set(c.id, c);
    this.stats.connections++;
    return c;
  }

  removeClient(c: Client): void {
    this.resetClient(c);
    this.clients.delete(c.id);
    this.postponed.delete(c);
    this.blocking.removeClient(c);
  }

  /** Leaves every special state: MULTI, WATCH, MONITOR (RESET and disconnects). */
  resetClient(c: Client): void {
    c.flags &= ~(CLIENT_MULTI | CLIENT_DIRTY_EXEC | CLIENT_DIRTY_CAS);
    c.queue = [];
    this.unwatchAll(c);
    this.monitors.delete(c);
  }

  /** WATCH: remembers the key with its expire state at this moment (Redis 7.0's watchForKey). */
  watchKey(c: Client, db: number, key: Uint8Array): void {
    const id = `${db}:${latin1(key)}`;
    if (c.watched.some((w) => w.key === id)) return;
    let set = this.watchedKeys.get(id);
    if (set === undefined) {
      set = new Set();
      this.watchedKeys.set(id, set);
    }
    set.add(c);
    const when = this.withKeyInEngine(key, (kp, kl) => Number(this.engine.x.getExpire(db, kp, kl)));
    const expired = when >= 0 && this.lastTick > when;
    c.watched.push({ db, key: id, expired, expireAt: expired ? -1 : when });
  }

  /**
   * EXEC fails when a WATCHed key expired since WATCH, even if nothing
   * touched it (Redis 7.0's isWatchedKeyExpired). Active and lazy expiry
   * delete keys without touching them, so the expire time seen at WATCH is
   * what tells: any later change to it would have touched the key.
   */
  watchedKeyExpired(c: Client): boolean {
    const now = this.tick();
    return c.watched.some((w) => !w.expired && w.expireAt >= 0 && now > w.expireAt);
  }

  /** Runs fn on the key's address in engine memory, copying it there when it is not already. */
  private withKeyInEngine<T>(key: Uint8Array, fn: (kp: number, kl: number) => T): T {
    const e = this.engine;
    if (key.buffer === e.u8.buffer) return fn(key.byteOffset, key.length);
    const kp = e.x.zmalloc(Math.max(1, key.length));
    e.refresh();
    e.u8.set(key, kp);
    try {
      return fn(kp, key.length);
    } finally {
      e.x.zfree(kp);
    }
  }

  /** Whether the key is in the keyspace at all, expired or not (Redis's dictFind on db->dict). */
  private keyInDict(db: number, key: Uint8Array): boolean {
    const x = this.engine.x;
    const flags = LOOKUP_NOEXPIRE | LOOKUP_NOTOUCH | LOOKUP_NOSTATS;
    return this.withKeyInEngine(key, (kp, kl) => x.getExpire(db, kp, kl) >= 0n || x.lookupKey(db, kp, kl, flags) !== 0);
  }

  unwatchAll(c: Client): void {
    for (const w of c.watched) {
      const set = this.watchedKeys.get(w.key);
      set?.delete(c);
      if (set?.size === 0) this.watchedKeys.delete(w.key);
    }
    c.watched = [];
  }

  /** A key changed: every client WATCHing it fails its EXEC (Redis's touchWatchedKey). */
  touchWatchedKey(db: number, key: Uint8Array): void {
    const id = `${db}:${latin1(key)}`;
    const set = this.watchedKeys.get(id);
    if (set === undefined) return;
    for (const c of set) {
      const w = c.watched.find((k) => k.key === id);
      // Deleting a key that was already expired when WATCHed changes nothing logically.
      if (w?.expired && !this.keyInDict(db, key)) {
        w.expired = false;
        continue;
      }
      c.flags |= CLIENT_DIRTY_CAS;
    }
  }

  /**
   * FLUSHDB, FLUSHALL and SWAPDB, called before the database changes: a
   * WATCHed key of `emptied` that exists there, or in `replacedWith` (SWAPDB's
   * other database), fails its watchers' EXEC (Redis's touchAllWatchedKeysInDb).
   * A key expired when WATCHed that stays gone or stays expired is no change.
   */
  touchAllWatchedKeysInDb(emptied: number, replacedWith = -1): void {
    // SWAPDB may bring lists to clients blocked in this database; they are checked after it.
    if (replacedWith >= 0) this.blocking.signalDb(emptied);
    const prefix = `${emptied}:`;
    for (const [id, set] of this.watchedKeys) {
      if (!id.startsWith(prefix)) continue;
      const key = latin1Bytes(id.slice(prefix.length));
      const inEmptied = this.keyInDict(emptied, key);
      const inReplacement = replacedWith >= 0 && this.keyInDict(replacedWith, key);
      if (!inEmptied && !inReplacement) continue;
      const expiredInReplacement = inReplacement && this.keyExpiredAt(replacedWith, key);
      for (const c of set) {
        const w = c.watched.find((k) => k.key === id);
        if (w?.expired) {
          if (!inReplacement) {
            w.expired = false;
            continue;
          }
          if (expiredInReplacement) continue;
        } else if (w !== undefined && !inEmptied && expiredInReplacement) {
          w.expired = true;
          continue;
        }
        c.flags |= CLIENT_DIRTY_CAS;
      }
    }
  }

  /** Whether the key exists in db but is logically expired. */
  private keyExpiredAt(db: number, key: Uint8Array): boolean {
    const when = this.withKeyInEngine(key, (kp, kl) => Number(this.engine.x.getExpire(db, kp, kl)));
    return when >= 0 && this.lastTick > when;
  }

  /** Feeds a chunk of socket bytes to a client; returns the reply bytes to send (or null). */
  handleInput(
    c: Client,
    chunk: Uint8Array,
    alloc?: (n: number) => Uint8Array,
    runHooks = true,
  ): Uint8Array | null {
    c.lastInteraction = this.tick();
    this.stats.netInput += chunk.length;
    const w = c.reply;
    w.resp = c.resp;
    processInput(c, chunk);
    if (runHooks) this.beforeReply();
    if (w.pos === 0) return null;
    const out = w.take(alloc);
    w.shrink();
    this.stats.netOutput += out.length;
    return out;
  }

  /** What must happen before replies leave: expired-key DELs propagated, the AOF written (and fsynced). */
  beforeReply(): void {
    if (this.propagating()) this.drainExpired();
    for (const hook of this.beforeReplyHooks) hook();
  }

  /**
   * Whether a host should hold replies until the end of its event-loop turn
   * and run beforeReply once for all of them, as Redis does in beforeSleep:
   * with the AOF on, that is one write (and one fsync under `always`) for
   * every client served in the turn instead of one per client.
   */
  batchReplies(): boolean {
    return this.aof?.isOn() === true;
  }

  /** Runs the command in the client's argv: the single entry point for sockets, EXEC and the embedded API. */
  execute(c: Client): void {
    const mode = c.replyMode;
    const mark = c.reply.pos;
    dispatch(c);
    // A postponed command runs again after CLIENT PAUSE, under the same reply mode.
    if (c.postponed) return;
    // CLIENT REPLY OFF/SKIP: drop what the command wrote, unless it was CLIENT REPLY ON.
    if (mode !== REPLY_ON && c.replyMode !== REPLY_ON) {
      c.reply.pos = mark;
      if (mode === REPLY_SKIP && c.replyMode === REPLY_SKIP) c.replyMode = REPLY_ON;
    }
    // Clients blocked on keys this command filled are served now, after it (Redis's processCommand).
    if (this.blocking.hasReady) this.blocking.serveReady();
  }

  private lastTick = 0;

  /** Updates the engine's cached clock (Redis updates mstime once per command batch); returns now. */
  tick(): number {
    const now = Date.now();
    if (now !== this.lastTick) {
      this.lastTick = now;
      this.engine.x.setClock(now);
      this.engine.x.setLruClock(Math.floor(now / 1000));
    }
    return now;
  }

  // ── CLIENT PAUSE ──────────────────────────────────────────────────────────

  /** What CLIENT PAUSE holds back (PAUSE_*), until pauseEnd (ms). */
  pauseType = PAUSE_OFF;
  pauseEnd = 0;
  private pauseTimer: ReturnType<typeof setTimeout> | null = null;
  /** Clients waiting for the pause to end, in the order they arrived. */
  readonly postponed = new Set<Client>();
  /** Serves a postponed client's pending input again; the listener sets it so replies reach the socket. */
  resumeClient: (c: Client) => void = () => {};

  /** CLIENT PAUSE: a second pause keeps the more restrictive type and the later end (Redis's pauseClients). */
  pauseClients(end: number, type: number): void {
    if (this.pauseType !== PAUSE_OFF) {
      type = Math.max(type, this.pauseType);
      end = Math.max(end, this.pauseEnd);
    }
    this.pauseType = type;
    this.pauseEnd = end;
    this.checkPauseEnd();
  }

  /** CLIENT UNPAUSE, or the pause ran out: waiting clients are served once the current command is done. */
  unpauseClients(): void {
    this.pauseType = PAUSE_OFF;
    this.pauseEnd = 0;
    if (this.pauseTimer !== null) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
    // Not now: the running command owns the shared reply writer.
    if (this.postponed.size > 0) setImmediate(() => this.resumePostponed());
  }

  /**
   * Whether a command must wait for the pause to end (Redis's check in
   * processCommand); if so the client is postponed. `writeLike`: a write, or a
   * command that may replicate, which a WRITE pause holds back.
   */
  postponeIfPaused(c: Client, writeLike: boolean): boolean {
    if (!this.checkPauseEnd() || c.conn === null) return false;
    if (this.pauseType !== PAUSE_ALL && !writeLike) return false;
    c.postponed = true;
    this.postponed.add(c);
    return true;
  }

  /** Ends a pause whose time is up; true while still paused. */
  private checkPauseEnd(): boolean {
    if (this.pauseType === PAUSE_OFF) return false;
    const now = Date.now();
    if (this.pauseEnd < now) {
      this.unpauseClients();
      return false;
    }
    if (this.pauseTimer === null) {
      // setTimeout cannot wait longer than 2^31-1 ms: long pauses check again.
      const wait = Math.min(this.pauseEnd - now + 1, 0x7fffffff);
      this.pauseTimer = setTimeout(() => {
        this.pauseTimer = null;
        this.checkPauseEnd();
      }, wait);
      this.pauseTimer.unref?.();
    }
    return true;
  }

  private resumePostponed(): void {
    const waiting = [...this.postponed];
    this.postponed.clear();
    for (const c of waiting) {
      if (!this.clients.has(c.id)) continue;
      c.postponed = false;
      c.pendingNeed = 0;
      this.resumeClient(c);
    }
  }

  // ── Propagation ────────────────────────────────────────────────────────────

  propagating(): boolean {
    return this.propagateListeners.length > 0;
  }

  onPropagate(fn: PropagateListener): () => void {
    this.propagateListeners.push(fn);
    this.engine.x.setExpireLog(1);
    return () => {
      const i = this.propagateListeners.indexOf(fn);
      if (i >= 0) this.propagateListeners.splice(i, 1);
      if (this.propagateListeners.length === 0) this.engine.x.setExpireLog(0);
    };
  }

  propagate(db: number, args: Uint8Array[]): void {
    if (this.loading) return;
    this.drainExpired();
    if (this.execPropagated !== null) {
      this.execPropagated.push({ db, args });
      return;
    }
    for (const fn of this.propagateListeners) fn(db, args);
  }

  /** What the running EXEC propagated so far, or null outside EXEC. */
  private execPropagated: { db: number; args: Uint8Array[] }[] | null = null;

  /** EXEC starts: hold back what its commands propagate. */
  beginExecPropagation(): void {
    this.execPropagated = [];
  }

  /**
   * EXEC ends: its effects go out together, wrapped in MULTI/EXEC when there
   * is more than one, as Redis 7.0 propagates a transaction. Keys expired on
   * the way were already propagated as DELs, ahead of the MULTI, as in Redis.
   */
  endExecPropagation(): void {
    const ops = this.execPropagated;
    this.execPropagated = null;
    if (ops === null || ops.length === 0) return;
    const wrap = ops.length > 1;
    if (wrap) this.propagate(ops[0].db, [MULTI]);
    for (const op of ops) this.propagate(op.db, op.args);
    if (wrap) this.propagate(ops[ops.length - 1].db, [EXEC]);
  }

  /** Propagates a DEL for each key the engine expired since the last drain, in its database. */
  drainExpired(): void {
    const e = this.engine;
    const len = e.x.logLen.value as number;
    if (len === 0) return;
    e.refresh();
    const base = e.x.expireLogPtr();
    const dels: { db: number; key: Uint8Array }[] = [];
    for (let p = base; p < base + len; ) {
      const db = e.u32[p >> 2];
      const kl = e.u32[(p + 4) >> 2];
      dels.push({ db, key: e.u8.slice(p + 8, p + 8 + kl) });
      p += 8 + kl;
    }
    e.x.expireLogClear();
    if (this.loading) return;
    for (const { db, key } of dels) for (const fn of this.propagateListeners) fn(db, [DEL, key]);
  }

  feedMonitors(c: Client, args: Uint8Array[]): void {
    const line = monitorLine(c, redactArgs(args));
    for (const m of this.monitors) {
      const w = new ReplyWriter(256);
      w.resp = m.reply.resp;
      w.simple(line);
      m.conn?.write(w.take());
    }
  }

  // ── Cron ───────────────────────────────────────────────────────────────────

  startCron(): void {
    const hz = Math.max(1, Math.min(500, this.config.int("hz")));
    this.cronTimer = setInterval(() => this.cron(), Math.floor(1000 / hz));
    this.cronTimer.unref?.();
  }

  stopCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }

  /** serverCron: active expiry, incremental rehashing, client timeouts. */
  cron(): void {
    this.tick();
    const effort = this.config.int("active-expire-effort");
    if (this.activeExpireEnabled) this.engine.x.activeExpireCycle(200 * effort);
    if (this.config.bool("activerehashing")) this.engine.x.databasesCron(100);
    this.lazyfree.cron();
    this.engine.refresh();
    if (this.propagating()) this.drainExpired();
    for (const hook of this.cronHooks) hook();
    this.closeIdleClients();
  }

  private closeIdleClients(): void {
    const timeout = this.config.int("timeout");
    if (timeout <= 0) return;
    const limit = Date.now() - timeout * 1000;
    for (const c of this.clients.values()) {
      // Blocked clients wait as long as their timeout says (Redis's clientsCronHandleTimeout).
      if ((c.flags & CLIENT_BLOCKED) !== 0) continue;
      if (c.lastInteraction < limit && !this.monitors.has(c) && !c.isMaster) c.conn?.close();
    }
  }

  /**
   * Stops serving: runs the shutdown hooks (persistence, listeners) and, for
   * the CLI, exits the process. Returns an error message when a hook refused.
   */
  /** Runs the prepare hooks; false when one refused (SHUTDOWN replies an error, the server goes on). */
  prepareShutdown(save: boolean | null, force: boolean): boolean {
    for (const hook of this.prepareShutdownHooks) if (!hook(save, force)) return false;
    return true;
  }

  async shutdown(_save: boolean): Promise<void> {
    this.stopCron();
    for (const hook of this.shutdownHooks) await hook();
    logger.warning("Redish is now ready to exit, bye bye...");
    if (this.exitOnShutdown) process.exit(0);
  }

  /** CONFIG RESETSTAT: INFO's counters, commandstats and errorstats start again. */
  resetStats(): void {
    this.stats = newStats();
    this.engine.x.resetStats();
    this.engine.x.lazyfreeResetStats();
    for (const cmd of this.table.all()) {
      cmd.calls = 0;
      cmd.usec = 0;
      cmd.rejectedCalls = 0;
      cmd.failedCalls = 0;
    }
  }

  closeAfterReply(c: Client): void {
    c.flags |= CLIENT_CLOSE_AFTER_REPLY;
  }

  /** The keyspace lookup for commands that only need to know a key exists. */
  keyExists(db: number, kp: number, kl: number): boolean {
    return this.engine.x.lookupKey(db, kp, kl, LOOKUP_READ) !== 0;
  }
}

/** A string of one char per byte back to its bytes. */
function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function newStats(): Stats {
  return {
    commands: 0,
    connections: 0,
    rejectedConnections: 0,
    rejectedCalls: 0,
    netInput: 0,
    netOutput: 0,
    errors: new Map(),
    errorReplies: 0,
  };
}

function randomHex(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

/** MONITOR's line: `<time> [<db> <addr>] "arg" "arg"...` with C-style escapes. */
function monitorLine(c: Client, args: readonly Uint8Array[]): string {
  const now = Math.round((performance.timeOrigin + performance.now()) * 1000);
  const sec = Math.floor(now / 1e6);
  const usec = String(now % 1e6).padStart(6, "0");
  const addr = c.conn ? c.conn.remote : "lua";
  let line = `${sec}.${usec} [${c.db} ${addr}]`;
  for (const a of args) line += ` ${quoteRepr(a)}`;
  return line;
}

/** Redis's sdscatrepr: a quoted string with \n, \r, \t, \a, \b, \", \\ and \xHH escapes. */
export function quoteRepr(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) {
    switch (b) {
      case 0x5c:
        s += "\\\\";
        break;
      case 0x22:
        s += '\\"';
        break;
      case 0x0a:
        s += "\\n";
        break;
      case 0x0d:
        s += "\\r";
        break;
      case 0x09:
        s += "\\t";
        break;
      case 0x07:
        s += "\\a";
        break;
      case 0x08:
        s += "\\b";
        break;
      default:
        s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
    }
  }
  return `${s}"`;
}
