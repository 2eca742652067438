// SLOWLOG: the last N commands slower than slowlog-log-slower-than µs
// (Redis's slowlog.c), with arguments trimmed the same way.

import type { Client } from "./client";
import type { Config } from "./config";

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
    const argc = Math.min(c.argc, MAX_ARGC);
    const args: Uint8Array[] = [];
    for (let i = 0; i < argc; i++) {
      if (argc !== c.argc && i === argc - 1) {
        args.push(encoder.encode(`... (${c.argc - argc + 1} more arguments)`));
        break;
      }
      const a = c.arg(i);
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
