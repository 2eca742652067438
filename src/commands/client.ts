// CLIENT: introspection and control of connections (Redis's clientCommand
// and catClientInfoString in networking.c).

import { unblockClient } from "../server/blocking";
import type { Client } from "../server/client";
import {
  CLIENT_BLOCKED,
  CLIENT_CLOSE_AFTER_REPLY,
  CLIENT_CLOSE_ASAP,
  CLIENT_DIRTY_CAS,
  CLIENT_MULTI,
  CLIENT_NO_EVICT,
  PAUSE_ALL,
  PAUSE_WRITE,
  REPLY_OFF,
  REPLY_ON,
  REPLY_SKIP,
} from "../server/client";
import { validateClientName } from "./connection";
import { cString, NOT_INTEGER, SYNTAX } from "./errors";
import { replyHelp } from "./keyspace";
import type { CommandDef } from "./table";

const CLIENT_HELP = [
  "CACHING (YES|NO)",
  "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
  "         [OPTIN] [OPTOUT] [NOLOOP]",
  "    Control server assisted client side caching.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
];

// ── CLIENT LIST / INFO line ──────────────────────────────────────────────────

/** Client classes of CLIENT LIST TYPE and CLIENT KILL TYPE (Redis's getClientType). */
type ClientType = "normal" | "slave" | "pubsub" | "master";

function clientType(t: Client): ClientType {
  return t.isMaster ? "master" : "normal";
}

/** getClientTypeByName: REPLICA is an alias of SLAVE; null when unknown. */
function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case "normal":
      return "normal";
    case "slave":
    case "replica":
      return "slave";
    case "pubsub":
      return "pubsub";
    case "master":
      return "master";
    default:
      return null;
  }
}

/** The flags= letters, in catClientInfoString's order; N when none applies. */
function flagLetters(t: Client): string {
  let s = "";
  if (t.server.monitors.has(t)) s += "O";
  if (t.isMaster) s += "M";
  if ((t.flags & CLIENT_MULTI) !== 0) s += "x";
  if ((t.flags & CLIENT_BLOCKED) !== 0 || t.postponed) s += "b";
  if ((t.flags & CLIENT_DIRTY_CAS) !== 0) s += "d";
  if ((t.flags & CLIENT_CLOSE_AFTER_REPLY) !== 0) s += "c";
  if ((t.flags & CLIENT_CLOSE_ASAP) !== 0) s += "A";
  if ((t.flags & CLIENT_NO_EVICT) !== 0) s += "e";
  return s === "" ? "N" : s;
}

/** Redis's query buffer after a 16 KB read: 20474 usable bytes in a 20480-byte allocation. */
const QBUF_ALLOC = 20480;
const QBUF_USABLE = 20474;
/** The reply buffer every client starts with (PROTO_REPLY_CHUNK_BYTES). */
const REPLY_BUF = 16384;
/** What the client struct itself costs, so tot-mem adds up like Redis's. */
const CLIENT_STRUCT = 768;

function decimalLength(n: number): number {
  return String(n).length;
}

/** Bytes of the current command as it arrived in RESP (what Redis still holds in qbuf while running it). */
function currentCommandBytes(c: Client): number {
  let n = 3 + decimalLength(c.argc);
  for (let i = 0; i < c.argc; i++) {
    const len = c.argLen(i);
    n += 5 + decimalLength(len) + len;
  }
  return n;
}

function argvBytes(c: Client): number {
  let n = 0;
  for (let i = 0; i < c.argc; i++) n += c.argLen(i);
  return n;
}

/** MULTI queue memory as Redis counts it: argument bytes plus one pointer per argument. */
function multiMemory(t: Client): number {
  let n = 0;
  for (const q of t.queue) {
    n += 8 * q.args.length;
    for (const a of q.args) n += a.length;
  }
  return n;
}

/**
 * One CLIENT LIST line for `t`, as seen while `self` runs a command: the
 * caller's own line shows its current command in qbuf and argv-mem, as in
 * Redis. Memory fields are estimates that add up the way Redis's do.
 */
export function clientInfoString(t: Client, self: Client): string {
  const nowSec = Math.floor(Date.now() / 1000);
  const running = t === self;
  const qbuf = running ? currentCommandBytes(t) : t.pendingSize;
  const qbufFree = Math.max(0, QBUF_USABLE - qbuf);
  const argvMem = running ? argvBytes(t) : 0;
  const multiMem = multiMemory(t);
  const totMem = QBUF_ALLOC + REPLY_BUF + CLIENT_STRUCT + (running ? argvMem + 8 * t.argc : 0) + multiMem;
  const conn = t.conn;
  return (
    `id=${t.id} addr=${conn?.remote ?? ""} laddr=${conn?.local ?? ""} fd=${conn?.fd ?? -1}` +
    ` name=${t.name} age=${nowSec - Math.floor(t.createdAt / 1000)}` +
    ` idle=${nowSec - Math.floor(t.lastInteraction / 1000)} flags=${flagLetters(t)} db=${t.db}` +
    ` sub=0 psub=0 ssub=0 multi=${(t.flags & CLIENT_MULTI) !== 0 ? t.queue.length : -1}` +
    ` qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=${REPLY_BUF} rbp=${running ? Math.min(REPLY_BUF, t.reply.pos) : 0} obl=0 oll=0 omem=0` +
    ` tot-mem=${totMem} events=r cmd=${t.lastCommand} user=default redir=-1 resp=${t.resp}`
  );
}

// ── Subcommands ──────────────────────────────────────────────────────────────

// CLIENT HELP
function clientHelp(c: Client): void {
  replyHelp(c, "CLIENT", CLIENT_HELP);
}

// CLIENT ID
function clientId(c: Client): void {
  c.reply.int(c.id);
}

// CLIENT INFO
function clientInfo(c: Client): void {
  c.reply.verbatim(`${clientInfoString(c, c)}\n`);
}

// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
function clientList(c: Client): void {
  let out = "";
  if (c.argc === 4 && c.argIs(2, "TYPE")) {
    const type = clientTypeByName(c.argStr(3));
    if (type === null) return c.reply.error(`ERR Unknown client type '${cString(c.arg(3), 1 << 30)}'`);
    for (const t of c.server.clients.values()) {
      if (clientType(t) === type) out += `${clientInfoString(t, c)}\n`;
    }
  } else if (c.argc > 3 && c.argIs(2, "ID")) {
    for (let j = 3; j < c.argc; j++) {
      const id = c.argI64(j);
      if (id === null) return c.reply.error("ERR Invalid client ID");
      const t = c.server.clients.get(Number(id));
      if (t !== undefined) out += `${clientInfoString(t, c)}\n`;
    }
  } else if (c.argc !== 2) {
    return c.reply.error(SYNTAX);
  } else {
    for (const t of c.server.clients.values()) out += `${clientInfoString(t, c)}\n`;
  }
  c.reply.verbatim(out);
}

// CLIENT SETNAME connection-name
function clientSetname(c: Client): void {
  const name = c.arg(2);
  const err = validateClientName(name);
  if (err !== null) return c.reply.error(err);
  c.name = cString(name, name.length);
  c.reply.ok();
}

// CLIENT GETNAME
function clientGetname(c: Client): void {
  if (c.name === "") c.reply.nil();
  else c.reply.bulkStr(c.name);
}

// CLIENT REPLY ON|OFF|SKIP
function clientReply(c: Client): void {
  // Only ON replies; Server.execute drops what is written while OFF or SKIP is in force.
  if (c.argIs(2, "ON")) {
    c.replyMode = REPLY_ON;
    c.reply.ok();
  } else if (c.argIs(2, "OFF")) {
    c.replyMode = REPLY_OFF;
  } else if (c.argIs(2, "SKIP")) {
    if (c.replyMode !== REPLY_OFF) c.replyMode = REPLY_SKIP;
  } else {
    c.reply.error(SYNTAX);
  }
}

// CLIENT NO-EVICT ON|OFF
function clientNoEvict(c: Client): void {
  if (c.argIs(2, "ON")) c.flags |= CLIENT_NO_EVICT;
  else if (c.argIs(2, "OFF")) c.flags &= ~CLIENT_NO_EVICT;
  else return c.reply.error(SYNTAX);
  c.reply.ok();
}

interface KillFilter {
  addr: string | null;
  laddr: string | null;
  type: ClientType | null;
  id: number;
  skipme: boolean;
}

/** Parses CLIENT KILL's filters from argv[2..]; replies the error itself and returns null on failure. */
function parseKillFilter(c: Client): KillFilter | null {
  const f: KillFilter = { addr: null, laddr: null, type: null, id: 0, skipme: true };
  if (c.argc === 3) {
    // The old form CLIENT KILL addr may kill the caller itself.
    f.addr = cString(c.arg(2), 1 << 30);
    f.skipme = false;
    return f;
  }
  for (let i = 2; i < c.argc; i += 2) {
    const more = i + 1 < c.argc;
    if (c.argIs(i, "ID") && more) {
      const id = c.argInt(i + 1);
      if (id === null || id < 1) return killError(c, "ERR client-id should be greater than 0");
      f.id = id;
    } else if (c.argIs(i, "TYPE") && more) {
      f.type = clientTypeByName(c.argStr(i + 1));
      if (f.type === null) return killError(c, `ERR Unknown client type '${cString(c.arg(i + 1), 1 << 30)}'`);
    } else if (c.argIs(i, "ADDR") && more) {
      f.addr = cString(c.arg(i + 1), 1 << 30);
    } else if (c.argIs(i, "LADDR") && more) {
      f.laddr = cString(c.arg(i + 1), 1 << 30);
    } else if (c.argIs(i, "USER") && more) {
      // "default" is the only user until ACLs exist.
      if (c.argStr(i + 1) !== "default") {
        return killError(c, `ERR No such user '${cString(c.arg(i + 1), 1 << 30)}'`);
      }
    } else if (c.argIs(i, "SKIPME") && more) {
      if (c.argIs(i + 1, "YES")) f.skipme = true;
      else if (c.argIs(i + 1, "NO")) f.skipme = false;
      else return killError(c, SYNTAX);
    } else {
      return killError(c, SYNTAX);
    }
  }
  return f;
}

function killError(c: Client, msg: string): null {
  c.reply.error(msg);
  return null;
}

function killMatches(f: KillFilter, t: Client, self: Client): boolean {
  if (f.addr !== null && (t.conn?.remote ?? "") !== f.addr) return false;
  if (f.laddr !== null && (t.conn?.local ?? "") !== f.laddr) return false;
  if (f.type !== null && clientType(t) !== f.type) return false;
  if (f.id !== 0 && t.id !== f.id) return false;
  return !(t === self && f.skipme);
}

// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER name] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no]
function clientKill(c: Client): void {
  const f = parseKillFilter(c);
  if (f === null) return;
  let killed = 0;
  let killSelf = false;
  for (const t of [...c.server.clients.values()]) {
    if (!killMatches(f, t, c)) continue;
    killed++;
    if (t === c) {
      killSelf = true;
      continue;
    }
    // Forget the client now, so a CLIENT LIST later in the same pipeline no longer shows it.
    c.server.removeClient(t);
    t.conn?.close();
  }
  if (c.argc === 3) {
    if (killed === 0) c.reply.error("ERR No such client");
    else c.reply.ok();
  } else {
    c.reply.int(killed);
  }
  // Flagged after the reply is queued, so the caller still gets it.
  if (killSelf) c.flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/** Redis's addReplySubcommandSyntaxError, for subcommands called with an argument count they do not take. */
function subcommandSyntaxError(c: Client): void {
  c.reply.error(
    `ERR unknown subcommand or wrong number of arguments for '${cString(c.arg(1), 128)}'. Try CLIENT HELP.`,
  );
}

// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
function clientUnblock(c: Client): void {
  if (c.argc > 4) return subcommandSyntaxError(c);
  if (c.argc === 4 && !c.argIs(3, "TIMEOUT") && !c.argIs(3, "ERROR")) {
    return c.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  }
  const id = c.argI64(2);
  if (id === null) return c.reply.error(NOT_INTEGER);
  const mode = c.argc === 4 && c.argIs(3, "ERROR") ? "error" : "timeout";
  c.reply.int(unblockClient(c.server, Number(id), mode) ? 1 : 0);
}

// CLIENT PAUSE timeout [WRITE | ALL]
function clientPause(c: Client): void {
  if (c.argc > 4) return subcommandSyntaxError(c);
  let type = PAUSE_ALL;
  if (c.argc === 4) {
    if (c.argIs(3, "WRITE")) type = PAUSE_WRITE;
    else if (!c.argIs(3, "ALL")) return c.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
  }
  const timeout = c.argI64(2);
  if (timeout === null) return c.reply.error("ERR timeout is not an integer or out of range");
  if (timeout < 0) return c.reply.error("ERR timeout is negative");
  c.server.pauseClients(pauseEnd(timeout), type);
  c.reply.ok();
}

/**
 * When a pause of `timeout` ms ends. A zero timeout has already ended, and
 * so has one past the 64-bit range: Redis adds it to the clock and the sum wraps.
 */
function pauseEnd(timeout: number | bigint): number {
  if (timeout === 0) return 0;
  const now = Date.now();
  if (typeof timeout === "number") return now + timeout;
  return BigInt(now) + timeout > 9223372036854775807n ? -1 : Number(timeout);
}

// CLIENT UNPAUSE
function clientUnpause(c: Client): void {
  c.server.unpauseClients();
  c.reply.ok();
}

// CLIENT GETREDIR
function clientGetredir(c: Client): void {
  // Client-side caching is not supported, so tracking is always off.
  c.reply.int(-1);
}

// CLIENT TRACKINGINFO
function clientTrackinginfo(c: Client): void {
  c.reply.map(3);
  c.reply.bulkStr("flags");
  c.reply.set(1);
  c.reply.bulkStr("off");
  c.reply.bulkStr("redirect");
  c.reply.int(-1);
  c.reply.bulkStr("prefixes");
  c.reply.array(0);
}

// CLIENT CACHING YES|NO
function clientCaching(c: Client): void {
  c.reply.error(
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
  );
}

export const clientCommands: CommandDef[] = [
  { name: "client|help", handler: clientHelp },
  { name: "client|id", handler: clientId },
  { name: "client|info", handler: clientInfo },
  { name: "client|list", handler: clientList },
  { name: "client|setname", handler: clientSetname },
  { name: "client|getname", handler: clientGetname },
  { name: "client|reply", handler: clientReply },
  { name: "client|no-evict", handler: clientNoEvict },
  { name: "client|kill", handler: clientKill },
  { name: "client|unblock", handler: clientUnblock },
  { name: "client|getredir", handler: clientGetredir },
  { name: "client|trackinginfo", handler: clientTrackinginfo },
  { name: "client|caching", handler: clientCaching },
  { name: "client|pause", handler: clientPause },
  { name: "client|unpause", handler: clientUnpause },
];
