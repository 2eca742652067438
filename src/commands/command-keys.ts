// Which arguments of a command line are keys, with their access flags
// (COMMAND GETKEYS / GETKEYSANDFLAGS): Redis's getKeysFromCommandWithSpecs.
// The key specs come from the reference metadata; commands whose specs are
// incomplete, or whose flags depend on the arguments, have a getkeys
// function like Redis's (sortGetKeys, setGetKeys, ...), used as a fallback.

import { commandInfo, type Tagged } from "./meta/meta";
import type { Command } from "./table";

/** Key flags in the order Redis's addReplyFlagsForKeyArgs lists them. */
const KEY_FLAGS = [
  "RO",
  "RW",
  "OW",
  "RM",
  "access",
  "update",
  "insert",
  "delete",
  "not_key",
  "incomplete",
  "variable_flags",
] as const;
const KEY_RO = 1 << 0;
const KEY_RW = 1 << 1;
const KEY_OW = 1 << 2;
const KEY_ACCESS = 1 << 4;
const KEY_UPDATE = 1 << 5;
const KEY_DELETE = 1 << 7;
const KEY_NOT_KEY = 1 << 8;
const KEY_INCOMPLETE = 1 << 9;
const KEY_VARIABLE_FLAGS = 1 << 10;

export interface KeyRef {
  /** Position in the command line (0 = the command name). */
  pos: number;
  flags: number;
}

interface KeySpec {
  flags: number;
  begin:
    | { type: "index"; index: number }
    | { type: "keyword"; keyword: string; startfrom: number }
    | { type: "unknown" };
  find:
    | { type: "range"; lastkey: number; keystep: number; limit: number }
    | { type: "keynum"; keynumidx: number; firstkey: number; keystep: number }
    | { type: "unknown" };
}

export function keyFlagNames(flags: number): string[] {
  return KEY_FLAGS.filter((_, i) => (flags & (1 << i)) !== 0);
}

function pairs(v: Tagged | undefined): Map<string, Tagged> {
  const m = new Map<string, Tagged>();
  if (v !== null && typeof v === "object" && "%" in v) for (const [k, x] of v["%"]) m.set(String(k), x);
  return m;
}

function items(v: Tagged | undefined): Tagged[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === "object" && "~" in v) return v["~"];
  return [];
}

function parseFlags(v: Tagged | undefined): number {
  let flags = 0;
  for (const f of items(v)) {
    const name = typeof f === "object" && f !== null && "+" in f ? f["+"] : String(f);
    const i = (KEY_FLAGS as readonly string[]).indexOf(name);
    if (i >= 0) flags |= 1 << i;
  }
  return flags;
}

function parseSpec(v: Tagged): KeySpec {
  const m = pairs(v);
  const bs = pairs(m.get("begin_search"));
  const fk = pairs(m.get("find_keys"));
  const bsSpec = pairs(bs.get("spec"));
  const fkSpec = pairs(fk.get("spec"));
  const num = (x: Map<string, Tagged>, k: string) => Number(x.get(k) ?? 0);
  let begin: KeySpec["begin"] = { type: "unknown" };
  if (bs.get("type") === "index") begin = { type: "index", index: num(bsSpec, "index") };
  if (bs.get("type") === "keyword") {
    begin = { type: "keyword", keyword: String(bsSpec.get("keyword")), startfrom: num(bsSpec, "startfrom") };
  }
  let find: KeySpec["find"] = { type: "unknown" };
  if (fk.get("type") === "range") {
    find = {
      type: "range",
      lastkey: num(fkSpec, "lastkey"),
      keystep: num(fkSpec, "keystep"),
      limit: num(fkSpec, "limit"),
    };
  }
  if (fk.get("type") === "keynum") {
    find = {
      type: "keynum",
      keynumidx: num(fkSpec, "keynumidx"),
      firstkey: num(fkSpec, "firstkey"),
      keystep: num(fkSpec, "keystep"),
    };
  }
  return { flags: parseFlags(m.get("flags")), begin, find };
}

const specCache = new Map<string, KeySpec[]>();

function keySpecs(cmd: Command): KeySpec[] {
  let specs = specCache.get(cmd.fullname);
  if (specs === undefined) {
    const info = commandInfo(cmd.fullname) as Tagged[];
    specs = items(info[8]).map(parseSpec);
    specCache.set(cmd.fullname, specs);
  }
  return specs;
}

/** Redis's string2ll for the numkeys argument. */
function strictInt(s: string): number | null {
  return /^(0|-?[1-9][0-9]*)$/.test(s) && s.length <= 20 ? Number(s) : null;
}

/** C's atoi: leading spaces, a sign, then digits; 0 when there are none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number.parseInt(m[1], 10) | 0;
}

/** Where one spec's keys begin, 0 when its keyword is absent, -1 when the spec cannot be used. */
function specFirst(spec: KeySpec, argv: readonly string[]): number {
  const argc = argv.length;
  if (spec.begin.type === "index") return spec.begin.index;
  if (spec.begin.type !== "keyword") return -1;
  const { keyword, startfrom } = spec.begin;
  const start = startfrom > 0 ? startfrom : argc + startfrom;
  const end = startfrom > 0 ? argc - 1 : 1;
  for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (argv[i].toLowerCase() === keyword.toLowerCase()) return i + 1;
  }
  return 0;
}

/** Keys by the key specs (getKeysUsingKeySpecs), or null when a spec is invalid or incomplete. */
function keysFromSpecs(cmd: Command, argv: readonly string[]): KeyRef[] | null {
  const argc = argv.length;
  const keys: KeyRef[] = [];
  for (const spec of keySpecs(cmd)) {
    if ((spec.flags & KEY_NOT_KEY) !== 0) continue;
    let first = specFirst(spec, argv);
    if (first < 0) return null;
    if (first === 0) continue;
    let last: number;
    let step: number;
    const fk = spec.find;
    if (fk.type === "range") {
      step = fk.keystep;
      if (fk.lastkey >= 0) last = first + fk.lastkey;
      else if (fk.limit === 0) last = argc + fk.lastkey;
      else last = first + (Math.trunc((argc - first) / fk.limit) + fk.lastkey);
    } else if (fk.type === "keynum") {
      step = fk.keystep;
      if (fk.keynumidx >= argc || first + fk.keynumidx >= argc) return null;
      const numkeys = strictInt(argv[first + fk.keynumidx]);
      if (numkeys === null || numkeys < 0) return null;
      first += fk.firstkey;
      last = first + numkeys - 1;
    } else {
      return null;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) keys.push({ pos: i, flags: spec.flags });
    if ((spec.flags & KEY_INCOMPLETE) !== 0) return null;
  }
  return keys;
}

type GetKeysProc = (argv: readonly string[]) => KeyRef[];

/** COMMAND [destkey] numkeys key [key ...]: Redis's genericGetKeys (the store key goes last). */
function generic(storeOfs: number, countOfs: number, firstOfs: number): GetKeysProc {
  return (argv) => {
    if (countOfs >= argv.length) return [];
    const num = atoi(argv[countOfs]);
    if (num < 1 || num > argv.length - firstOfs) return [];
    const keys: KeyRef[] = [];
    for (let i = 0; i < num; i++) keys.push({ pos: firstOfs + i, flags: 0 });
    if (storeOfs) keys.push({ pos: storeOfs, flags: 0 });
    return keys;
  };
}

/** SORT key [BY p] [LIMIT o c] [GET p ...] [STORE dst]: the last STORE wins. */
function sortKeys(argv: readonly string[]): KeyRef[] {
  const keys: KeyRef[] = [{ pos: 1, flags: KEY_RO | KEY_ACCESS }];
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  let store = 0;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (skip[a] !== undefined) i += skip[a];
    else if (a === "store" && i + 1 < argv.length) store = i + 1;
  }
  if (store) keys.push({ pos: store, flags: KEY_OW | KEY_UPDATE });
  return keys;
}

/** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 u pw] [KEYS k ...]. */
function migrateKeys(argv: readonly string[]): KeyRef[] {
  let first = 3;
  let num = 1;
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  for (let i = 6; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === "keys") {
      if (argv[3].length > 0) {
        num = 0;
      } else {
        first = i + 1;
        num = argv.length - first;
      }
      break;
    }
    if (skip[a] !== undefined) i += skip[a];
  }
  const keys: KeyRef[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags: KEY_RW | KEY_ACCESS | KEY_DELETE });
  return keys;
}

/** GEORADIUS[BYMEMBER] key ... [STORE k | STOREDIST k]: the last one wins. */
function georadiusKeys(argv: readonly string[]): KeyRef[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if ((a === "store" || a === "storedist") && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  const keys: KeyRef[] = [{ pos: 1, flags: 0 }];
  if (stored >= 0) keys.push({ pos: stored, flags: 0 });
  return keys;
}

/** XREAD/XREADGROUP ... STREAMS key [key ...] id [id ...]. */
function xreadKeys(argv: readonly string[]): KeyRef[] {
  let streams = -1;
  const skip: Record<string, number> = { block: 1, count: 1, group: 2, noack: 0 };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === "streams") {
      streams = i;
      break;
    }
    if (skip[a] === undefined) break;
    i += skip[a];
  }
  const n = streams < 0 ? 0 : argv.length - streams - 1;
  if (streams < 0 || n === 0 || n % 2 !== 0) return [];
  const keys: KeyRef[] = [];
  for (let i = streams + 1; i < argv.length - n / 2; i++) keys.push({ pos: i, flags: 0 });
  return keys;
}

/** SET: the key is read too when GET is given. */
function setKeys(argv: readonly string[]): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    if (argv[i].toLowerCase() === "get") return [{ pos: 1, flags: KEY_RW | KEY_ACCESS | KEY_UPDATE }];
  }
  return [{ pos: 1, flags: KEY_OW | KEY_UPDATE }];
}

/** BITFIELD: read-only when only GET (and OVERFLOW) operations are given. */
function bitfieldKeys(argv: readonly string[]): KeyRef[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const rem = argv.length - i - 1;
    const a = argv[i].toLowerCase();
    if (a === "get" && rem >= 2) {
      i += 2;
    } else if ((a === "set" || a === "incrby") && rem >= 3) {
      readonly = false;
      break;
    } else if (a === "overflow" && rem >= 1) {
      i += 1;
    } else {
      readonly = false;
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? KEY_RO | KEY_ACCESS : KEY_RW | KEY_ACCESS | KEY_UPDATE }];
}

const GETKEYS_PROCS: Record<string, GetKeysProc> = {
  zunionstore: generic(1, 2, 3),
  zinterstore: generic(1, 2, 3),
  zdiffstore: generic(1, 2, 3),
  zunion: generic(0, 1, 2),
  zinter: generic(0, 1, 2),
  zdiff: generic(0, 1, 2),
  zintercard: generic(0, 1, 2),
  sintercard: generic(0, 1, 2),
  eval: generic(0, 2, 3),
  evalsha: generic(0, 2, 3),
  eval_ro: generic(0, 2, 3),
  evalsha_ro: generic(0, 2, 3),
  fcall: generic(0, 2, 3),
  fcall_ro: generic(0, 2, 3),
  lmpop: generic(0, 1, 2),
  blmpop: generic(0, 2, 3),
  zmpop: generic(0, 1, 2),
  bzmpop: generic(0, 2, 3),
  sort: sortKeys,
  sort_ro: () => [{ pos: 1, flags: KEY_RO | KEY_ACCESS }],
  migrate: migrateKeys,
  georadius: georadiusKeys,
  georadiusbymember: georadiusKeys,
  xread: xreadKeys,
  xreadgroup: xreadKeys,
  set: setKeys,
  bitfield: bitfieldKeys,
};

/** Redis's doesCommandHaveKeys: a getkeys function or a spec that is not NOT_KEY. */
export function hasKeys(cmd: Command): boolean {
  return GETKEYS_PROCS[cmd.fullname] !== undefined || keySpecs(cmd).some((s) => (s.flags & KEY_NOT_KEY) === 0);
}

/**
 * The keys of a command line (argv[0] is the command name), or null when
 * none can be found (Redis then replies "Invalid arguments").
 */
export function getKeys(cmd: Command, argv: readonly string[]): KeyRef[] | null {
  const specs = keySpecs(cmd);
  const hasSpec = specs.some((s) => (s.flags & KEY_NOT_KEY) === 0);
  const varFlags = specs.some((s) => (s.flags & KEY_VARIABLE_FLAGS) !== 0);
  if (hasSpec && !varFlags) {
    const keys = keysFromSpecs(cmd, argv);
    if (keys !== null) return keys.length > 0 ? keys : null;
  }
  const proc = GETKEYS_PROCS[cmd.fullname];
  const keys = proc ? proc(argv) : [];
  return keys.length > 0 ? keys : null;
}
