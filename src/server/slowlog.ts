// SLOWLOG: the last N commands slower than slowlog-log-slower-than µs
// (Redis's slowlog.c), with arguments trimmed the same way.

import type { Client } from "./client";
import { type Config, findParam } from "./config";

/** Redis keeps at most 32 arguments and 128 bytes of each. */
const MAX_ARGC = 32;
const MAX_ARG_LEN = 128;

export interface SlowlogEntry {
  id: number;
  time: number;
  usec: number;
  args: Uint8Array[];
  peer: string;
  name: string;
}

const encoder = new TextEncoder();

export class Slowlog {
  entries: SlowlogEntry[] = [];
  private nextId = 0;
  threshold: number;
  private maxLen: number;

  constructor(config: Config) {
    this.threshold = config.int("slowlog-log-slower-than");
    this.maxLen = config.int("slowlog-max-len");
    config.onChange("slowlog-log-slower-than", (v) => {
      this.threshold = Number(v);
    });
    config.onChange("slowlog-max-len", (v) => {
      this.maxLen = Number(v);
      this.trim();
    });
  }

  push(c: Client, usec: number): void {
    if (this.threshold < 0 || usec < this.threshold) return;
    const argv = redactArgs(c.argvCopy());
    const argc = Math.min(argv.length, MAX_ARGC);
    const args: Uint8Array[] = [];
    for (let i = 0; i < argc; i++) {
      if (argc !== argv.length && i === argc - 1) {
        args.push(encoder.encode(`... (${argv.length - argc + 1} more arguments)`));
        break;
      }
      const a = argv[i];
      if (a.length > MAX_ARG_LEN) {
        const more = encoder.encode(`... (${a.length - MAX_ARG_LEN} more bytes)`);
        const t = new Uint8Array(MAX_ARG_LEN + more.length);
        t.set(a.subarray(0, MAX_ARG_LEN));
        t.set(more, MAX_ARG_LEN);
        args.push(t);
      } else {
        args.push(a.slice());
      }
    }
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      usec,
      args,
      peer: c.conn ? c.conn.remote : "",
      name: c.name,
    });
    this.trim();
  }

  reset(): void {
    this.entries = [];
  }

  private trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }
}

const REDACTED = encoder.encode("(redacted)");

function word(a: Uint8Array): string {
  return String.fromCharCode(...a.subarray(0, 64)).toLowerCase();
}

/**
 * The arguments SLOWLOG and MONITOR may show: passwords given to AUTH,
 * HELLO ... AUTH, MIGRATE ... AUTH/AUTH2 and sensitive CONFIG SET values
 * become "(redacted)", as Redis's redactClientCommandArgument does.
 */
export function redactArgs(args: Uint8Array[]): Uint8Array[] {
  const out = args.slice();
  const hide = (i: number) => {
    if (i < out.length) out[i] = REDACTED;
  };
  const name = out.length > 0 ? word(out[0]) : "";
  if (name === "auth") for (let i = 1; i < out.length; i++) hide(i);
  for (let i = 2; name === "hello" && i < out.length; i++) {
    const w = word(out[i]);
    if (w === "auth" && i + 2 < out.length) {
      hide(i + 1);
      hide(i + 2);
      i += 2;
    } else if (w === "setname") {
      i += 1;
    }
  }
  for (let i = 6; name === "migrate" && i < out.length; i++) {
    const w = word(out[i]);
    if (w === "auth") hide(++i);
    else if (w === "auth2") {
      hide(++i);
      hide(++i);
    } else if (w === "keys") break;
  }
  if (name === "config" && out.length > 1 && word(out[1]) === "set") {
    for (let i = 2; i + 1 < out.length; i += 2) if (findParam(word(out[i]))?.sensitive) hide(i + 1);
  }
  return out;
}
