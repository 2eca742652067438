// COMMAND and its subcommands: the command table described to clients.
//
// Entries are replayed from the reference metadata (meta/) with writeTagged,
// so they match Redis byte for byte, but only for what Redish implements: a
// container's INFO and DOCS entries list its implemented subcommands only.
// Redis lists commands in hash-table order; we list them in table order.

import type { ReplyWriter } from "../resp/writer";
import type { Client } from "../server/client";
import { stringMatch } from "../util/glob";
import { getKeys, hasKeys, keyFlagNames } from "./command-keys";
import { SYNTAX } from "./errors";
import { commandDocs, commandInfo, type Tagged, type TaggedWriter, writeTagged } from "./meta/meta";
import type { Command, CommandDef, CommandTable } from "./table";

/** Emits tagged metadata through the reply writer (RESP2/RESP3 handled there). */
function taggedWriter(w: ReplyWriter): TaggedWriter {
  return {
    arrayHeader: (n) => w.array(n),
    mapHeader: (n) => w.map(n),
    setHeader: (n) => w.set(n),
    bulkString: (s) => w.bulkStr(s),
    simple: (s) => w.simple(s),
    integer: (n) => w.int(n),
    nil: () => w.nil(),
    double: (s) => w.double(s),
    boolean: (b) => w.bool(b),
  };
}

function mapEntries(value: Tagged | undefined): [Tagged, Tagged][] {
  if (value !== null && typeof value === "object" && "%" in value) return value["%"];
  return [];
}

/** The COMMAND INFO entry, its subcommands cut down to the implemented ones. */
function infoEntry(cmd: Command): Tagged {
  const info = commandInfo(cmd.fullname) as Tagged[];
  if (cmd.subcommands === null) return info;
  const subs = [...cmd.subcommands.values()].map((s) => commandInfo(s.fullname) as Tagged);
  return [...info.slice(0, 9), subs];
}

/** The COMMAND DOCS entry, with only the implemented subcommands. */
function docsEntry(cmd: Command): Tagged {
  const docs = commandDocs(cmd.fullname) ?? { "%": [] };
  if (cmd.subcommands === null) return docs;
  const implemented = cmd.subcommands;
  const pairs = mapEntries(docs).map(([k, v]): [Tagged, Tagged] => {
    if (k !== "subcommands") return [k, v];
    const subs = mapEntries(v).filter(([name]) => implemented.has(String(name).split("|")[1]));
    return [k, { "%": subs }];
  });
  return { "%": pairs };
}

/** Redis's lookupCommandBySds: "get" or "config|get", case-insensitive, one level of subcommands. */
export function lookupByFullName(table: CommandTable, name: string): Command | undefined {
  const parts = name.split("|");
  if (parts.length > 2 || parts[0] === "") return undefined;
  const base = table.get(parts[0]);
  if (parts.length === 1 || base === undefined) return base;
  return base.subcommands?.get(parts[1].toLowerCase());
}

// COMMAND
function command(c: Client): void {
  const table = c.server.table;
  const w = taggedWriter(c.reply);
  c.reply.array(table.commands.size);
  for (const cmd of table.commands.values()) writeTagged(infoEntry(cmd), w);
}

// COMMAND COUNT
function commandCount(c: Client): void {
  c.reply.int(c.server.table.commands.size);
}

// COMMAND INFO [command-name ...]
function commandInfoCmd(c: Client): void {
  if (c.argc === 2) return command(c);
  const w = taggedWriter(c.reply);
  c.reply.array(c.argc - 2);
  for (let i = 2; i < c.argc; i++) {
    const cmd = lookupByFullName(c.server.table, c.argStr(i));
    if (cmd === undefined) c.reply.nil();
    else writeTagged(infoEntry(cmd), w);
  }
}

// COMMAND DOCS [command-name ...]
function commandDocsCmd(c: Client): void {
  const table = c.server.table;
  const found: Command[] = [];
  if (c.argc === 2) found.push(...table.commands.values());
  for (let i = 2; i < c.argc; i++) {
    const cmd = lookupByFullName(table, c.argStr(i));
    if (cmd !== undefined) found.push(cmd);
  }
  const w = taggedWriter(c.reply);
  c.reply.map(found.length);
  for (const cmd of found) {
    c.reply.bulkStr(cmd.fullname);
    writeTagged(docsEntry(cmd), w);
  }
}

/** ACL categories Redis knows (ACLGetCommandCategoryFlagByName); an unknown one matches nothing. */
const ACL_CATEGORIES = new Set([
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
]);

type ListFilter = (cmd: Command) => boolean;

/** Parses FILTERBY MODULE name | ACLCAT category | PATTERN pattern; replies the error itself. */
function listFilterOrReply(c: Client): ListFilter | null | undefined {
  let filter: ListFilter | null = null;
  for (let i = 2; i < c.argc; i++) {
    if (!c.argIs(i, "FILTERBY") || c.argc - 1 - i !== 2) {
      c.reply.error(SYNTAX);
      return undefined;
    }
    const arg = c.argCopy(i + 2);
    if (c.argIs(i + 1, "MODULE")) {
      filter = () => false;
    } else if (c.argIs(i + 1, "ACLCAT")) {
      const cat = c.argStr(i + 2).toLowerCase();
      filter = (cmd) => ACL_CATEGORIES.has(cat) && cmd.spec.aclCategories.includes(cat);
    } else if (c.argIs(i + 1, "PATTERN")) {
      const enc = new TextEncoder();
      filter = (cmd) => stringMatch(arg, enc.encode(cmd.fullname), true);
    } else {
      c.reply.error(SYNTAX);
      return undefined;
    }
    i += 2;
  }
  return filter;
}

// COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
function commandList(c: Client): void {
  const filter = listFilterOrReply(c);
  if (filter === undefined) return;
  const names: string[] = [];
  for (const cmd of c.server.table.all()) if (filter === null || filter(cmd)) names.push(cmd.fullname);
  c.reply.bulkStrings(names);
}

/** The command named by argv[2..] (a container takes its subcommand from argv[3]), or undefined. */
function targetCommand(c: Client): Command | undefined {
  const table = c.server.table;
  const base = table.lookup(c.e, c.argPtr(2), c.argLen(2));
  if (base === undefined || base.subcommands === null || c.argc === 3) return base;
  return table.lookupSub(base, c.argStr(3));
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS (Redis's getKeysSubcommandImpl). */
function getKeysGeneric(c: Client, withFlags: boolean): void {
  const cmd = targetCommand(c);
  const argc = c.argc - 2;
  if (cmd === undefined) return c.reply.error("ERR Invalid command specified");
  if (!hasKeys(cmd)) return c.reply.error("ERR The command has no key arguments");
  if ((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity) {
    return c.reply.error("ERR Invalid number of arguments specified for command");
  }
  const argv: string[] = [];
  for (let i = 2; i < c.argc; i++) argv.push(c.argStr(i));
  const keys = getKeys(cmd, argv);
  if (keys === null) {
    if (cmd.spec.flags.has("no_mandatory_keys")) return c.reply.array(0);
    return c.reply.error("ERR Invalid arguments specified for command");
  }
  c.reply.array(keys.length);
  for (const k of keys) {
    if (withFlags) c.reply.array(2);
    c.reply.bulk(c.arg(k.pos + 2));
    if (!withFlags) continue;
    const names = keyFlagNames(k.flags);
    c.reply.set(names.length);
    for (const n of names) c.reply.simple(n);
  }
}

// COMMAND GETKEYS command [arg ...]
function commandGetKeys(c: Client): void {
  getKeysGeneric(c, false);
}

// COMMAND GETKEYSANDFLAGS command [arg ...]
function commandGetKeysAndFlags(c: Client): void {
  getKeysGeneric(c, true);
}

const HELP = [
  "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
  "HELP",
  "    Prints this help.",
];

/** Redis's addReplyHelp: the lines as status replies. */
export function replyHelp(c: Client, lines: readonly string[]): void {
  c.reply.array(lines.length);
  for (const l of lines) c.reply.simple(l);
}

// COMMAND HELP
function commandHelp(c: Client): void {
  replyHelp(c, HELP);
}

// The container must come first: the table attaches subcommands to it.
export const commandCommands: CommandDef[] = [
  { name: "command", handler: command },
  { name: "command|count", handler: commandCount },
  { name: "command|info", handler: commandInfoCmd },
  { name: "command|docs", handler: commandDocsCmd },
  { name: "command|list", handler: commandList },
  { name: "command|getkeys", handler: commandGetKeys },
  { name: "command|getkeysandflags", handler: commandGetKeysAndFlags },
  { name: "command|help", handler: commandHelp },
];
