// SAVE and BGSAVE (Redis's rdb.c commands). The work is RDB persistence's
// (src/persistence/save.ts), reached through server.rdb so this file stays
// free of Node APIs; a host without persistence (the embedded API) refuses.

import type { Client } from "../server/client";
import { SYNTAX } from "./errors";
import type { CommandDef } from "./table";

const NO_PERSISTENCE = "ERR RDB persistence is not available in this host";

// SAVE
function save(c: Client): void {
  const rdb = c.server.rdb;
  if (rdb === null) return c.reply.error(NO_PERSISTENCE);
  if (rdb.isSaving()) return c.reply.error("ERR Background save already in progress");
  if (rdb.save()) c.reply.ok();
  else c.reply.error("ERR");
}

// BGSAVE [SCHEDULE]
function bgsave(c: Client): void {
  let schedule = false;
  if (c.argc > 1) {
    if (c.argc !== 2 || !c.argIs(1, "SCHEDULE")) return c.reply.error(SYNTAX);
    schedule = true;
  }
  const rdb = c.server.rdb;
  if (rdb === null) return c.reply.error(NO_PERSISTENCE);
  const r = rdb.bgsave(schedule);
  if ("error" in r) c.reply.error(r.error);
  else c.reply.simple(r.status);
}

export const saveCommands: CommandDef[] = [
  { name: "save", handler: save },
  { name: "bgsave", handler: bgsave },
];

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] (a DEBUG subcommand, dispatched from debug.ts)
export function debugReload(c: Client): void {
  const opts = { save: true, flush: true, merge: false };
  for (let j = 2; j < c.argc; j++) {
    if (c.argIs(j, "MERGE")) opts.merge = true;
    else if (c.argIs(j, "NOFLUSH")) opts.flush = false;
    else if (c.argIs(j, "NOSAVE")) opts.save = false;
    else return c.reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
  }
  const rdb = c.server.rdb;
  if (rdb === null) return c.reply.error(NO_PERSISTENCE);
  const err = rdb.reload(opts);
  if (err !== null) c.reply.error(err);
  else c.reply.ok();
}
