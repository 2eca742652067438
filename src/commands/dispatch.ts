// The dispatcher (Redis's processCommand + call): finds the command, checks
// everything once (existence, arity, auth, replica, OOM, transaction
// context), runs the handler, then does the bookkeeping every command shares:
// stats, slowlog, MONITOR, and propagation of its effects.

import type { Client } from "../server/client";
import { CLIENT_CLOSE_ASAP, CLIENT_DIRTY_CAS, CLIENT_DIRTY_EXEC, CLIENT_MULTI, PAUSE_OFF } from "../server/client";
import { logger } from "../server/log";
import { NOAUTH, OOM, READONLY_REPLICA, unknownCommand, unknownSubcommand, wrongArity } from "./errors";
import { execAbort } from "./multi";
import {
  CMD_ADMIN,
  CMD_DENYOOM,
  CMD_FAST,
  CMD_MAY_REPLICATE,
  CMD_NO_AUTH,
  CMD_NO_MULTI,
  CMD_SKIP_MONITOR,
  CMD_SKIP_SLOWLOG,
  CMD_WRITE,
  type Command,
} from "./table";

/** Commands that run immediately inside MULTI instead of being queued. */
const TRANSACTION_CONTROL = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);
/** Inside MULTI, over maxmemory, every other command is refused: queueing costs memory too. */
const OOM_EXEMPT_IN_MULTI = new Set(["exec", "discard", "quit", "reset"]);

/** Runs the command in the client's current argv (argc > 0). */
export function dispatch(c: Client): void {
  const srv = c.server;
  const e = c.e;
  const cmd = resolve(c);
  if (cmd === undefined) return;

  c.lastCommand = cmd.fullname;
  const inMulti = (c.flags & CLIENT_MULTI) !== 0;
  // EXEC is checked as the commands it will run (Redis's mstate.cmd_flags).
  const flags = inMulti && cmd.fullname === "exec" ? cmd.flags | queuedFlags(c) : cmd.flags;

  if ((cmd.flags & CMD_NO_AUTH) === 0 && !c.authenticated) return reject(c, cmd, NOAUTH);
  if (inMulti && (cmd.flags & CMD_NO_MULTI) !== 0) {
    return reject(c, cmd, "ERR Command not allowed inside a transaction");
  }
  if ((flags & CMD_WRITE) !== 0 && srv.isReadonlyReplica() && !c.isMaster) {
    return reject(c, cmd, READONLY_REPLICA);
  }
  const oomRefused = (flags & CMD_DENYOOM) !== 0 || (inMulti && !OOM_EXEMPT_IN_MULTI.has(cmd.fullname));
  if (srv.maxmemory > 0 && !c.isMaster) srv.performEvictions();
  if (oomRefused && !c.isMaster && srv.isOverMaxmemory()) return reject(c, cmd, OOM);
  // Writes (and PING, so monitoring notices) are refused while persisting fails (Redis's MISCONF).
  if (((flags & CMD_WRITE) !== 0 || cmd.fullname === "ping") && !c.isMaster) {
    const diskError = srv.rdb?.writeError() ?? srv.aof?.writeError() ?? null;
    if (diskError !== null) return reject(c, cmd, diskError);
  }
  if (srv.pauseType !== PAUSE_OFF && srv.postponeIfPaused(c, (flags & (CMD_WRITE | CMD_MAY_REPLICATE)) !== 0)) return;

  if (inMulti && !TRANSACTION_CONTROL.has(cmd.fullname)) {
    // An aborted transaction keeps no more commands; they would never run.
    if ((c.flags & (CLIENT_DIRTY_CAS | CLIENT_DIRTY_EXEC)) === 0) c.queue.push({ args: c.argvCopy(), cmd });
    c.reply.simple("QUEUED");
    return;
  }
  call(c, cmd);
  e.refresh();
}

/** Looks up the command and its subcommand, replying the error itself when unknown or mis-called. */
function resolve(c: Client): Command | undefined {
  const srv = c.server;
  // frame() resolved the name already when the argv came from a socket.
  const id = c.cmdId;
  c.cmdId = -2;
  let cmd = id === -2 ? srv.table.lookup(c.e, c.argPtr(0), c.argLen(0)) : id < 0 ? undefined : srv.table.byId[id];
  if (cmd === undefined) {
    if (isHttpRequest(c)) {
      securityWarning(c);
      return undefined;
    }
    const args: Uint8Array[] = [];
    for (let i = 1; i < c.argc; i++) args.push(c.arg(i));
    rejectUnknown(c, unknownCommand(c.arg(0), args));
    return undefined;
  }
  if (cmd.subcommands !== null && c.argc >= 2) {
    const sub = srv.table.lookupSub(cmd, c.argStr(1));
    if (sub === undefined) {
      rejectUnknown(c, unknownSubcommand(c.arg(1), cmd.fullname));
      return undefined;
    }
    cmd = sub;
  }
  if ((cmd.arity > 0 && c.argc !== cmd.arity) || c.argc < -cmd.arity) {
    reject(c, cmd, wrongArity(cmd.fullname));
    return undefined;
  }
  return cmd;
}

/** "POST" or "Host:" as a command: an HTTP request, likely cross-protocol scripting. */
function isHttpRequest(c: Client): boolean {
  return (c.argLen(0) === 4 && c.argIs(0, "POST")) || (c.argLen(0) === 5 && c.argIs(0, "HOST:"));
}

let lastSecurityWarning = 0;

/**
 * Drops the connection without a word, not even the replies already due in
 * this batch (Redis's securityWarningCommand), and logs it at most once a minute.
 */
function securityWarning(c: Client): void {
  c.flags |= CLIENT_CLOSE_ASAP;
  const now = Date.now();
  if (now - lastSecurityWarning <= 60_000) return;
  lastSecurityWarning = now;
  logger.warning(
    "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.",
  );
}

function rejectUnknown(c: Client, msg: string): void {
  if ((c.flags & CLIENT_MULTI) !== 0) c.flags |= CLIENT_DIRTY_EXEC;
  c.server.stats.rejectedCalls++;
  c.reply.error(msg);
}

function reject(c: Client, cmd: Command, msg: string): void {
  cmd.rejectedCalls++;
  // A refused EXEC always answers EXECABORT, even outside MULTI (Redis's rejectCommand).
  if (cmd.fullname === "exec") return execAbort(c, msg);
  if ((c.flags & CLIENT_MULTI) !== 0) c.flags |= CLIENT_DIRTY_EXEC;
  c.reply.error(msg);
}

/** The union of the queued commands' flags. */
function queuedFlags(c: Client): number {
  let flags = 0;
  for (const q of c.queue) flags |= q.cmd.flags;
  return flags;
}

/**
 * Runs a resolved command and its shared bookkeeping (Redis's call()).
 * Also used by EXEC for queued commands.
 */
export function call(c: Client, cmd: Command): void {
  const srv = c.server;
  // Admin commands never reach MONITOR; the argv is kept because EXEC reuses the argv table.
  const monitorArgs =
    srv.monitors.size > 0 && (cmd.flags & (CMD_SKIP_MONITOR | CMD_ADMIN)) === 0 ? c.argvCopy() : null;
  const dirtyBefore = srv.dirty;
  const errorsBefore = c.reply.errorCount;
  const timed = srv.slowlogEnabled && (cmd.flags & CMD_FAST) === 0;
  const start = timed ? performance.now() : 0;
  c.rewritten = null;
  c.preventPropagation = false;
  srv.currentCommandName = cmd.fullname;

  cmd.handler?.(c);
  // Fed after the command ran, so SELECT shows the database it selected (Redis 7.0's call()).
  if (monitorArgs !== null) srv.feedMonitors(c, monitorArgs);

  const usec = timed ? Math.round((performance.now() - start) * 1000) : 0;
  cmd.calls++;
  cmd.usec += usec;
  if (c.reply.errorCount !== errorsBefore) cmd.failedCalls++;
  srv.stats.commands++;
  c.lastCommand = cmd.fullname;
  if (timed && (cmd.flags & CMD_SKIP_SLOWLOG) === 0) srv.slowlogPush(c, usec);
  if (srv.dirty !== dirtyBefore && !c.preventPropagation && srv.propagating()) {
    srv.propagate(c.db, c.rewritten ?? c.argvCopy());
  }
  if (c.alsoPropagate.length > 0) {
    for (const p of c.alsoPropagate) srv.propagate(p.db, p.args);
    c.alsoPropagate.length = 0;
  }
}
