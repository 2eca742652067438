// A raw RESP client for tests: sends commands or raw bytes and returns the
// exact reply bytes, so replies can be compared byte for byte.

import * as net from "node:net";

const enc = new TextEncoder();

export type Arg = string | Uint8Array | number;

/** Encodes one command as a RESP multibulk. */
export function encodeCommand(args: readonly Arg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b =
      typeof a === "string"
        ? Buffer.from(enc.encode(a))
        : typeof a === "number"
          ? Buffer.from(String(a))
          : Buffer.from(a);
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Length of the first complete RESP2/RESP3 reply in buf from pos, or -1 if incomplete. */
export function replyLength(buf: Buffer, pos = 0): number {
  const end = scan(buf, pos);
  return end < 0 ? -1 : end - pos;
}

function lineEnd(buf: Buffer, pos: number): number {
  const i = buf.indexOf("\r\n", pos);
  return i;
}

function scan(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const t = String.fromCharCode(buf[pos]);
  const le = lineEnd(buf, pos);
  if (le < 0) return -1;
  const head = buf.toString("latin1", pos + 1, le);
  let next = le + 2;
  switch (t) {
    case "+":
    case "-":
    case ":":
    case "_":
    case ",":
    case "#":
    case "(":
      return next;
    case "$":
    case "=":
    case "!": {
      const n = Number(head);
      if (n < 0) return next;
      if (buf.length < next + n + 2) return -1;
      return next + n + 2;
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      let n = Number(head);
      if (n < 0) return next;
      if (t === "%" || t === "|") n *= 2;
      for (let i = 0; i < n; i++) {
        next = scan(buf, next);
        if (next < 0) return -1;
      }
      return next;
    }
    default:
      throw new Error(`bad reply type byte ${buf[pos]} at ${pos}: ${buf.toString("latin1", pos, pos + 40)}`);
  }
}

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host }, () => resolve(new RawClient(s)));
      s.once("error", reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitData(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  writeRaw(bytes: string | Uint8Array): void {
    this.socket.write(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
  }

  /** Reads exactly one complete reply's bytes. */
  async readReply(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.buf.length > 0 ? replyLength(this.buf) : -1;
      if (n >= 0) {
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return Buffer.from(out);
      }
      if (this.closed) throw new Error(`connection closed; pending bytes: ${this.buf.toString("latin1")}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for reply; pending bytes: ${this.buf.toString("latin1")}`);
      await this.waitData(left);
    }
  }

  /** Sends one command and returns its reply bytes as a latin1 string. */
  async call(...args: Arg[]): Promise<string> {
    this.writeRaw(encodeCommand(args));
    return (await this.readReply()).toString("latin1");
  }

  /** Waits for the server to close the connection; returns what it sent before. */
  async readUntilClose(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await this.waitData(deadline - Date.now());
    const s = this.buf.toString("latin1");
    this.buf = Buffer.alloc(0);
    return s;
  }

  close(): void {
    this.socket.destroy();
  }
}
