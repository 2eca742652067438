// The command table: each family module declares its handlers; the Redis
// metadata (arity, flags, key positions, ACL categories, docs) comes from the
// data generated off the reference server (meta/), so COMMAND replies and the
// dispatcher's checks agree with Redis by construction.

import type { Engine } from "../engine/engine";
import type { Client } from "../server/client";
import type { Config } from "../server/config";
import { type CommandSpec, commandSpec } from "./meta/meta";

export type Handler = (c: Client) => void;

/**
 * A configuration value the engine keeps its own copy of (encoding limits):
 * applied when the server starts and whenever one of the names changes.
 */
export interface EngineParam {
  names: string[];
  apply(e: Engine, config: Config): void;
}

export interface CommandDef {
  /** Lower-case name; "parent|sub" for a subcommand. */
  name: string;
  handler: Handler;
}

export const CMD_WRITE = 1 << 0;
export const CMD_READONLY = 1 << 1;
export const CMD_DENYOOM = 1 << 2;
export const CMD_ADMIN = 1 << 3;
export const CMD_PUBSUB = 1 << 4;
export const CMD_NOSCRIPT = 1 << 5;
export const CMD_BLOCKING = 1 << 6;
export const CMD_LOADING = 1 << 7;
export const CMD_STALE = 1 << 8;
export const CMD_SKIP_MONITOR = 1 << 9;
export const CMD_SKIP_SLOWLOG = 1 << 10;
export const CMD_FAST = 1 << 11;
export const CMD_NO_AUTH = 1 << 12;
export const CMD_MAY_REPLICATE = 1 << 13;
export const CMD_NO_MULTI = 1 << 14;
export const CMD_ALLOW_BUSY = 1 << 15;

const FLAG_BITS: Record<string, number> = {
  write: CMD_WRITE,
  readonly: CMD_READONLY,
  denyoom: CMD_DENYOOM,
  admin: CMD_ADMIN,
  pubsub: CMD_PUBSUB,
  noscript: CMD_NOSCRIPT,
  blocking: CMD_BLOCKING,
  loading: CMD_LOADING,
  stale: CMD_STALE,
  skip_monitor: CMD_SKIP_MONITOR,
  skip_slowlog: CMD_SKIP_SLOWLOG,
  fast: CMD_FAST,
  no_auth: CMD_NO_AUTH,
  may_replicate: CMD_MAY_REPLICATE,
  no_multi: CMD_NO_MULTI,
  allow_busy: CMD_ALLOW_BUSY,
};

export interface Command {
  /** Short name ("list" for CLIENT LIST). */
  name: string;
  /** Redis's fullname ("client|list"), used in errors and COMMAND. */
  fullname: string;
  arity: number;
  flags: number;
  firstKey: number;
  lastKey: number;
  step: number;
  spec: CommandSpec;
  handler: Handler | null;
  subcommands: Map<string, Command> | null;
  /** INFO commandstats counters. */
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

function fromSpec(spec: CommandSpec, handler: Handler | null): Command {
  let flags = 0;
  for (const f of spec.flags) flags |= FLAG_BITS[f] ?? 0;
  return {
    name: spec.name.includes("|") ? spec.name.slice(spec.name.indexOf("|") + 1) : spec.name,
    fullname: spec.name,
    arity: spec.arity,
    flags,
    firstKey: spec.firstKey,
    lastKey: spec.lastKey,
    step: spec.step,
    spec,
    handler,
    subcommands: null,
    calls: 0,
    usec: 0,
    rejectedCalls: 0,
    failedCalls: 0,
  };
}

/** Commands by lower-case name; containers hold their implemented subcommands. */
export class CommandTable {
  readonly commands = new Map<string, Command>();
  /** Top-level commands by the id the engine resolves names to (see registerIn). */
  readonly byId: Command[] = [];

  constructor(defs: readonly CommandDef[]) {
    for (const d of defs) this.add(d);
    for (const cmd of this.commands.values()) this.byId.push(cmd);
  }

  /** Registers every top-level name with the engine, which then resolves names while framing. */
  registerIn(e: Engine): void {
    const enc = new TextEncoder();
    this.byId.forEach((cmd, id) => {
      const name = enc.encode(cmd.name);
      const p = e.copyIn(name);
      e.x.registerCommand(p, name.length, id);
    });
  }

  private add(d: CommandDef): void {
    const spec = commandSpec(d.name);
    if (spec === undefined) throw new Error(`no Redis metadata for command '${d.name}'`);
    const bar = d.name.indexOf("|");
    if (bar < 0) {
      this.commands.set(d.name, fromSpec(spec, d.handler));
      return;
    }
    const parentName = d.name.slice(0, bar);
    let parent = this.commands.get(parentName);
    if (parent === undefined) {
      const parentSpec = commandSpec(parentName);
      if (parentSpec === undefined) throw new Error(`no Redis metadata for '${parentName}'`);
      parent = fromSpec(parentSpec, null);
      this.commands.set(parentName, parent);
    }
    parent.subcommands ??= new Map();
    parent.subcommands.set(d.name.slice(bar + 1), fromSpec(spec, d.handler));
  }

  /** The command named by bytes at engine address p (any case). */
  lookup(e: Engine, p: number, n: number): Command | undefined {
    const id = e.x.commandId(p, n);
    return id < 0 ? undefined : this.byId[id];
  }

  /** A subcommand of a container by name bytes. */
  lookupSub(parent: Command, sub: string): Command | undefined {
    return parent.subcommands?.get(sub.toLowerCase());
  }

  get(name: string): Command | undefined {
    const bar = name.indexOf("|");
    if (bar < 0) return this.commands.get(name.toLowerCase());
    return this.commands.get(name.slice(0, bar).toLowerCase())?.subcommands?.get(name.slice(bar + 1).toLowerCase());
  }

  /** Every implemented command, containers first then their subcommands. */
  *all(): IterableIterator<Command> {
    for (const c of this.commands.values()) {
      yield c;
      if (c.subcommands) yield* c.subcommands.values();
    }
  }
}
