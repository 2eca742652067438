// BGREWRITEAOF: rebuild the append-only file from a snapshot, in the background.

import type { Client } from "../server/client";
import type { CommandDef } from "./table";

// BGREWRITEAOF
function bgrewriteaof(c: Client): void {
  const aof = c.server.aof;
  if (aof === null) return c.reply.error("ERR Background append only file rewriting is not supported here");
  if (aof.isRewriting()) return c.reply.error("ERR Background append only file rewriting already in progress");
  aof.rewrite().catch(() => {});
  c.reply.simple("Background append only file rewriting started");
}

export const aofCommands: CommandDef[] = [{ name: "bgrewriteaof", handler: bgrewriteaof }];
