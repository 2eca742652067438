// The multi-part AOF manifest of Redis 7 (aof.c): which files make up the
// append-only log, in order. One line per file:
//
//   file appendonly.aof.1.base.rdb seq 1 type b
//   file appendonly.aof.1.incr.aof seq 1 type i
//   file appendonly.aof.2.incr.aof seq 2 type i
//
// type b = base (an RDB, or an AOF when aof-use-rdb-preamble is no),
// i = incremental (commands in RESP), h = history (awaiting deletion).

import { splitArgs } from "../server/config";

export type AofFileType = "b" | "h" | "i";

export interface AofFile {
  name: string;
  seq: number;
  type: AofFileType;
}

export interface Manifest {
  base: AofFile | null;
  incrs: AofFile[];
  history: AofFile[];
  /** Highest sequence numbers used, to name the next files. */
  curBaseSeq: number;
  curIncrSeq: number;
}

export class ManifestError extends Error {}

export function emptyManifest(): Manifest {
  return { base: null, incrs: [], history: [], curBaseSeq: 0, curIncrSeq: 0 };
}

/** Parses manifest text with Redis's rules; throws ManifestError with Redis's wording. */
export function parseManifest(text: string): Manifest {
  const m = emptyManifest();
  const lines = text.split("\n");
  let sawLine = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    sawLine = true;
    const args = splitArgs(line);
    if (args === null || args.length < 6 || args.length % 2 !== 0) {
      throw new ManifestError("Invalid AOF manifest file format");
    }
    let name = "";
    let seq = -1;
    let type = "";
    for (let i = 0; i < args.length; i += 2) {
      if (args[i] === "file") name = args[i + 1];
      else if (args[i] === "seq") seq = Number(args[i + 1]);
      else if (args[i] === "type") type = args[i + 1];
    }
    if (name === "" || !Number.isInteger(seq) || seq < 0 || (type !== "b" && type !== "h" && type !== "i")) {
      throw new ManifestError("Invalid AOF manifest file format");
    }
    if (name.includes("/")) throw new ManifestError("Invalid AOF manifest file format");
    const f: AofFile = { name, seq, type };
    if (type === "b") {
      if (m.base !== null) throw new ManifestError("Found duplicate base file information");
      m.base = f;
      m.curBaseSeq = seq;
    } else if (type === "h") {
      m.history.push(f);
    } else {
      if (seq <= m.curIncrSeq) throw new ManifestError("Found a non-monotonic sequence number");
      m.incrs.push(f);
      m.curIncrSeq = seq;
    }
  }
  if (!sawLine) throw new ManifestError("Found an empty AOF manifest");
  return m;
}

/** Quotes a file name the way Redis's sdscatrepr would when it needs quoting. */
function quoteName(name: string): string {
  return /^[\x21-\x7e]+$/.test(name) && !/["'\\]/.test(name) ? name : JSON.stringify(name);
}

export function formatManifest(m: Manifest): string {
  const line = (f: AofFile) => `file ${quoteName(f.name)} seq ${f.seq} type ${f.type}\n`;
  let out = "";
  if (m.base) out += line(m.base);
  for (const f of m.history) out += line(f);
  for (const f of m.incrs) out += line(f);
  return out;
}

export function baseName(prefix: string, seq: number, rdb: boolean): string {
  return `${prefix}.${seq}.base.${rdb ? "rdb" : "aof"}`;
}

export function incrName(prefix: string, seq: number): string {
  return `${prefix}.${seq}.incr.aof`;
}

export function manifestName(prefix: string): string {
  return `${prefix}.manifest`;
}
