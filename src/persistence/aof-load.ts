// Loading the multi-part AOF at start-up (Redis's loadAppendOnlyFiles):
// the base (an RDB, or commands), then each incremental file's commands,
// replayed through the normal dispatcher by a client that is not connected.
//
// A truncated tail of the last file (a crash mid-write) is cut off and the
// load goes on when aof-load-truncated is yes, as in Redis; a half-written
// MULTI at the end is dropped with it. Anything else malformed stops the
// start-up with Redis's message and leaves the files untouched.

import * as fs from "node:fs";
import * as path from "node:path";
import type { Client } from "../server/client";
import { logger } from "../server/log";
import type { Server } from "../server/server";
import type { Manifest } from "./aof-manifest";

export class AofLoadError extends Error {}

/** Loads an RDB file into the server (provided by the RDB layer). */
export type RdbFileLoader = (server: Server, file: string) => void;

export interface AofLoadStats {
  commands: number;
  files: number;
}

const MULTI = "multi";
const EXEC = "exec";

export function loadAof(server: Server, dir: string, m: Manifest, loadRdb: RdbFileLoader | null): AofLoadStats {
  const stats: AofLoadStats = { commands: 0, files: 0 };
  const client = loaderClient(server);
  server.loading = true;
  try {
    const files = [...(m.base ? [m.base] : []), ...m.incrs];
    files.forEach((f, i) => {
      const file = path.join(dir, f.name);
      const isLast = i === files.length - 1;
      const start = Date.now();
      if (f.type === "b" && f.name.endsWith(".rdb")) {
        if (loadRdb === null) throw new AofLoadError(`Can't load the RDB base file ${f.name}: no RDB loader`);
        loadRdb(server, file);
      } else {
        stats.commands += replayFile(server, client, file, isLast);
      }
      stats.files++;
      const kind = f.type === "b" ? "base" : "incr";
      logger.notice(`DB loaded from ${kind} file ${f.name}: ${((Date.now() - start) / 1000).toFixed(3)} seconds`);
    });
  } finally {
    server.loading = false;
    server.removeClient(client);
  }
  return stats;
}

function loaderClient(server: Server): Client {
  const c = server.createClient(null);
  c.authenticated = true;
  // Like Redis's fake AOF client: bypasses read-only replica and OOM checks.
  c.isMaster = true;
  return c;
}

function truncatedHelp(file: string): string {
  return (
    `Unexpected end of file reading the append only file ${file}. You can: ` +
    "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. " +
    "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."
  );
}

/** Replays one file of commands; returns how many ran. */
function replayFile(server: Server, c: Client, file: string, isLast: boolean): number {
  const bytes = fs.readFileSync(file);
  const reader = new CommandReader(bytes);
  let commands = 0;
  let multiStart = -1;
  for (;;) {
    const before = reader.pos;
    const args = reader.next();
    if (args === null) break;
    if (args === TRUNCATED) {
      handleTruncation(server, file, isLast, multiStart >= 0 ? multiStart : before);
      return commands;
    }
    if (args === BAD_FORMAT) {
      throw new AofLoadError(
        `Bad file format reading the append only file ${file}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
      );
    }
    const name = latin1Lower(args[0]);
    if (server.table.get(name) === undefined) {
      throw new AofLoadError(`Unknown command '${latin1(args[0])}' reading the append only file ${file}`);
    }
    if (name === MULTI) multiStart = before;
    else if (name === EXEC) multiStart = -1;
    server.engine.loadArgv(args);
    c.argc = args.length;
    c.argvBase = server.engine.x.argvPtr() >> 2;
    server.execute(c);
    c.reply.pos = 0;
    commands++;
  }
  if (multiStart >= 0) handleTruncation(server, file, isLast, multiStart);
  return commands;
}

function handleTruncation(server: Server, file: string, isLast: boolean, validUpTo: number): void {
  if (!isLast || !server.config.bool("aof-load-truncated")) throw new AofLoadError(truncatedHelp(file));
  logger.warning(`!!! Warning: short read while loading the AOF file ${file}!!!`);
  logger.warning(`!!! Truncating the AOF ${file} at offset ${validUpTo} !!!`);
  fs.truncateSync(file, validUpTo);
  logger.warning(`AOF ${file} loaded anyway because aof-load-truncated is enabled`);
}

const TRUNCATED = Symbol("truncated");
const BAD_FORMAT = Symbol("bad format");

/** Reads RESP multibulk commands from a file's bytes, strictly. */
class CommandReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  private line(): number | typeof TRUNCATED | typeof BAD_FORMAT {
    const start = this.pos;
    const cr = this.buf.indexOf(13, start);
    if (cr < 0 || cr + 1 >= this.buf.length) return TRUNCATED;
    if (this.buf[cr + 1] !== 10) return BAD_FORMAT;
    let n = 0;
    for (let i = start; i < cr; i++) {
      const d = this.buf[i] - 48;
      if (d < 0 || d > 9) return BAD_FORMAT;
      n = n * 10 + d;
    }
    if (cr === start) return BAD_FORMAT;
    this.pos = cr + 2;
    return n;
  }

  next(): Uint8Array[] | null | typeof TRUNCATED | typeof BAD_FORMAT {
    const b = this.buf;
    if (this.pos >= b.length) return null;
    if (b[this.pos] !== 42) return BAD_FORMAT; // '*'
    this.pos++;
    const argc = this.line();
    if (typeof argc !== "number") return argc;
    if (argc < 1) return BAD_FORMAT;
    const args: Uint8Array[] = [];
    for (let i = 0; i < argc; i++) {
      if (this.pos >= b.length) return TRUNCATED;
      if (b[this.pos] !== 36) return BAD_FORMAT; // '$'
      this.pos++;
      const len = this.line();
      if (typeof len !== "number") return len;
      if (this.pos + len + 2 > b.length) return TRUNCATED;
      args.push(b.subarray(this.pos, this.pos + len));
      this.pos += len + 2;
    }
    return args;
  }
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const x of bytes.subarray(0, 128)) s += String.fromCharCode(x);
  return s;
}

function latin1Lower(bytes: Uint8Array): string {
  return latin1(bytes).toLowerCase();
}
