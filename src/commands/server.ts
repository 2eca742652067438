// Server commands: DBSIZE, TIME, LASTSAVE, SHUTDOWN, DEBUG, SLOWLOG, MONITOR
// and CONFIG (GET/SET/RESETSTAT/REWRITE/HELP).

import { CLIENT_MONITOR, type Client } from "../server/client";
import { allParamNames, findParam, normalize, type Param } from "../server/config";
import { logger } from "../server/log";
import { stringMatch } from "../util/glob";
import { replyHelp } from "./command";
import { allowProtectedAction, debugCommands, subcommandSyntaxError } from "./debug";
import { SYNTAX } from "./errors";
import type { CommandDef } from "./table";

// DBSIZE
function dbsize(c: Client): void {
  c.reply.int(c.e.x.dbSize(c.db));
}

// TIME
function time(c: Client): void {
  const us = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  c.reply.array(2);
  c.reply.bulkStr(String(us / 1000000n));
  c.reply.bulkStr(String(us % 1000000n));
}

// LASTSAVE
function lastsave(c: Client): void {
  c.reply.int(c.server.lastSave);
}

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
function shutdown(c: Client): void {
  let nosave = false;
  let save = false;
  let abort = false;
  let force = false;
  for (let i = 1; i < c.argc; i++) {
    if (c.argIs(i, "NOSAVE")) nosave = true;
    else if (c.argIs(i, "SAVE")) save = true;
    else if (c.argIs(i, "ABORT")) abort = true;
    else if (c.argIs(i, "FORCE")) force = true;
    else if (!c.argIs(i, "NOW")) return c.reply.error(SYNTAX);
  }
  if ((abort && c.argc !== 2) || (nosave && save)) return c.reply.error(SYNTAX);
  // Nothing waits for replicas or a slow save yet, so there is never a shutdown to abort.
  if (abort) return c.reply.error("ERR No shutdown in progress.");
  logger.warning("User requested shutdown...");
  if (!c.server.prepareShutdown(nosave ? false : save ? true : null, force)) {
    return c.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  // Persistence decides what SAVE / NOSAVE mean; with none, both just stop the server.
  c.server.closeAfterReply(c);
  void c.server.shutdown(save && !nosave);
}

// MONITOR
function monitor(c: Client): void {
  // Already a monitor: Redis ignores the command without replying.
  if ((c.flags & CLIENT_MONITOR) !== 0) return;
  c.flags |= CLIENT_MONITOR;
  c.server.monitors.add(c);
  c.reply.ok();
}

// ── SLOWLOG ──────────────────────────────────────────────────────────────────

// SLOWLOG GET [count]
function slowlogGet(c: Client): void {
  const entries = c.server.slowlog.entries;
  if (c.argc > 3) {
    return subcommandSyntaxError(c);
  }
  let count = 10;
  if (c.argc === 3) {
    const n = c.argInt(2);
    if (n === null || n < -1) return c.reply.error("ERR count should be greater than or equal to -1");
    count = n === -1 ? entries.length : n;
  }
  const list = entries.slice(0, count);
  c.reply.array(list.length);
  for (const e of list) {
    c.reply.array(6);
    c.reply.int(e.id);
    c.reply.int(e.time);
    c.reply.int(e.usec);
    c.reply.array(e.args.length);
    for (const a of e.args) c.reply.bulk(a);
    c.reply.bulkStr(e.peer);
    c.reply.bulkStr(e.name);
  }
}

// SLOWLOG LEN
function slowlogLen(c: Client): void {
  c.reply.int(c.server.slowlog.entries.length);
}

// SLOWLOG RESET
function slowlogReset(c: Client): void {
  c.server.slowlog.reset();
  c.reply.ok();
}

// SLOWLOG HELP
function slowlogHelp(c: Client): void {
  replyHelp(c, [
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
    "HELP",
    "    Prints this help.",
  ]);
}

// ── CONFIG ───────────────────────────────────────────────────────────────────

/** What CONFIG GET shows: dir is the working directory when not set explicitly. */
function shownValue(c: Client, p: Param): string {
  const v = c.server.config.get(p.name);
  return p.name === "dir" && v === "" ? c.server.host.cwd() : v;
}

// CONFIG GET parameter [parameter ...]
function configGet(c: Client): void {
  const matches = new Map<string, { name: string; p: Param }>();
  const enc = new TextEncoder();
  for (let i = 2; i < c.argc; i++) {
    const name = c.argStr(i);
    if (!/[[*?]/.test(name)) {
      const p = findParam(name);
      if (p && !matches.has(name.toLowerCase())) matches.set(name.toLowerCase(), { name, p });
      continue;
    }
    const pattern = c.argCopy(i);
    for (const entry of allParamNames()) {
      if (matches.has(entry) || !stringMatch(pattern, enc.encode(entry), true)) continue;
      matches.set(entry, { name: entry, p: findParam(entry) as Param });
    }
  }
  c.reply.map(matches.size);
  for (const { name, p } of matches.values()) {
    c.reply.bulkStr(name);
    c.reply.bulkStr(shownValue(c, p));
  }
}

interface PendingSet {
  p: Param;
  /** The name as Redis's config entry calls it: the alias when the alias was given. */
  entry: string;
  raw: string;
}

/** Finds every parameter of a CONFIG SET, or replies Redis's error and returns null. */
function configSetTargets(c: Client): PendingSet[] | null {
  const sets: PendingSet[] = [];
  let unknown: string | null = null;
  let failure: string | null = null;
  for (let i = 2; i < c.argc; i += 2) {
    const given = c.argStr(i);
    const p = findParam(given);
    // Only the first problem is reported, whichever kind it is.
    if (p === undefined) {
      if (failure === null) unknown ??= given;
      continue;
    }
    if (unknown !== null || failure !== null) continue;
    const entry = p.alias === given.toLowerCase() ? p.alias : p.name;
    if (!p.mutable || (p.protected && !allowProtectedAction(c, "enable-protected-configs"))) {
      const why = !p.mutable ? "can't set immutable config" : "can't set protected config";
      failure = `ERR CONFIG SET failed (possibly related to argument '${given}') - ${why}`;
      continue;
    }
    if (sets.some((s) => s.entry === entry)) {
      failure = `ERR CONFIG SET failed (possibly related to argument '${given}') - duplicate parameter`;
      continue;
    }
    sets.push({ p, entry, raw: c.argStr(i + 1) });
  }
  if (unknown !== null) c.reply.error(`ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`);
  else if (failure !== null) c.reply.error(failure);
  return unknown === null && failure === null ? sets : null;
}

// CONFIG SET parameter value [parameter value ...]
function configSet(c: Client): void {
  if ((c.argc & 1) !== 0) return c.reply.error(SYNTAX);
  const sets = configSetTargets(c);
  if (sets === null) return;
  const config = c.server.config;
  // All or nothing: every value is validated before any is applied.
  const values: string[] = [];
  for (const s of sets) {
    const r = normalize(s.p, s.raw, config.get(s.p.name));
    if ("error" in r) {
      return c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${s.entry}') - ${r.error}`);
    }
    values.push(r.value);
  }
  sets.forEach((s, i) => {
    config.setValue(s.p, values[i]);
  });
  c.reply.ok();
}

// CONFIG RESETSTAT
function configResetstat(c: Client): void {
  c.server.resetStats();
  c.reply.ok();
}

// CONFIG REWRITE
function configRewrite(c: Client): void {
  const file = c.server.config.file;
  const rewrite = c.server.host.rewriteConfig;
  if (file === null || rewrite === undefined) return c.reply.error("ERR The server is running without a config file");
  try {
    rewrite(c.server.config, file);
  } catch (err) {
    logger.warning(`CONFIG REWRITE failed: ${(err as Error).message}`);
    return c.reply.error(`ERR Rewriting config file: ${(err as Error).message}`);
  }
  logger.notice("CONFIG REWRITE executed with success.");
  c.reply.ok();
}

// CONFIG HELP
function configHelp(c: Client): void {
  replyHelp(c, [
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
  ]);
}

export const serverCommands: CommandDef[] = [
  { name: "dbsize", handler: dbsize },
  { name: "time", handler: time },
  { name: "lastsave", handler: lastsave },
  { name: "shutdown", handler: shutdown },
  { name: "monitor", handler: monitor },
  { name: "slowlog|get", handler: slowlogGet },
  { name: "slowlog|len", handler: slowlogLen },
  { name: "slowlog|reset", handler: slowlogReset },
  { name: "slowlog|help", handler: slowlogHelp },
  { name: "config|get", handler: configGet },
  { name: "config|set", handler: configSet },
  { name: "config|resetstat", handler: configResetstat },
  { name: "config|rewrite", handler: configRewrite },
  { name: "config|help", handler: configHelp },
  ...debugCommands,
];
