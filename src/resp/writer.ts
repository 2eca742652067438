// The one reply writer. Every reply byte goes through here, and the RESP2 /
// RESP3 differences live only here (Redis's addReply* family).
//
// Replies accumulate in one growing buffer; the server takes the bytes once
// per read batch, so a pipeline of N commands costs one socket write.

const encoder = new TextEncoder();

function ascii(s: string): Uint8Array {
  return encoder.encode(s);
}

const OK = ascii("+OK\r\n");
const NIL2 = ascii("$-1\r\n");
const NIL_ARRAY2 = ascii("*-1\r\n");
const NULL3 = ascii("_\r\n");
const EMPTY_ARRAY = ascii("*0\r\n");
const ZERO = ascii(":0\r\n");
const ONE = ascii(":1\r\n");

export type Resp = 2 | 3;

export class ReplyWriter {
  buf: Uint8Array;
  pos = 0;
  resp: Resp = 2;
  /** Error replies written so far (INFO's failed_calls / errorstats). */
  errorCount = 0;
  /** Told of every error reply, for INFO errorstats (Redis's afterErrorReply). */
  onError: ((msg: string) => void) | null = null;

  constructor(initial = 16 * 1024) {
    this.buf = new Uint8Array(initial);
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /**
   * Bytes written so far, copied out, and the writer emptied. The host may
   * pass its own allocator (Node: a pooled Buffer, which sockets take as is).
   */
  take(alloc?: (n: number) => Uint8Array): Uint8Array {
    const out = alloc ? alloc(this.pos) : new Uint8Array(this.pos);
    out.set(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  /** Drops a buffer that grew for one huge reply, so memory goes back. */
  shrink(limit = 1024 * 1024): void {
    if (this.buf.length > limit && this.pos === 0) this.buf = new Uint8Array(16 * 1024);
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Writes an ASCII string (protocol text, numbers, names). */
  private text(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.pos++] = 13;
    this.buf[this.pos++] = 10;
  }

  /** Writes a non-negative or negative integer in decimal without making a string. */
  private digits(n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.text(String(n));
      return;
    }
    this.ensure(21);
    const b = this.buf;
    if (n < 0) {
      b[this.pos++] = 45;
      n = -n;
    }
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return;
    }
    let len = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    while (n > 0) {
      const q = Math.floor(n / 10);
      b[--p] = 48 + (n - q * 10);
      n = q;
    }
  }

  private header(prefix: number, n: number): void {
    this.ensure(1);
    this.buf[this.pos++] = prefix;
    this.digits(n);
    this.crlf();
  }

  ok(): void {
    this.raw(OK);
  }

  simple(s: string): void {
    this.ensure(1);
    this.buf[this.pos++] = 43; // '+'
    this.text(s);
    this.crlf();
  }

  /**
   * An error reply. `msg` is the whole message with its code ("ERR ...",
   * "WRONGTYPE ..."), one char per byte (user bytes arrive latin1-decoded);
   * line breaks become spaces, as Redis sanitizes them, so an error can
   * never break the protocol.
   */
  error(msg: string): void {
    this.errorCount++;
    this.onError?.(msg);
    const n = msg.length;
    this.ensure(n + 3);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 45; // '-'
    for (let i = 0; i < n; i++) {
      const c = msg.charCodeAt(i) & 0xff;
      b[p++] = c === 13 || c === 10 ? 32 : c;
    }
    b[p++] = 13;
    b[p++] = 10;
    this.pos = p;
  }

  int(n: number | bigint): void {
    if (n === 0) return this.raw(ZERO);
    if (n === 1) return this.raw(ONE);
    this.ensure(1);
    this.buf[this.pos++] = 58; // ':'
    if (typeof n === "bigint") this.text(n.toString());
    else this.digits(n);
    this.crlf();
  }

  bulk(bytes: Uint8Array): void {
    this.header(36, bytes.length);
    this.raw(bytes);
    this.crlf();
  }

  /** A bulk string from a UTF-8 JS string (names, INFO text, formatted numbers). */
  bulkStr(s: string): void {
    this.bulk(encoder.encode(s));
  }

  /** A bulk string holding a decimal integer (Redis's addReplyBulkLongLong). */
  bulkInt(n: number | bigint): void {
    this.bulkStr(String(n));
  }

  /** The null reply: `$-1` in RESP2, `_` in RESP3. */
  nil(): void {
    this.raw(this.resp === 3 ? NULL3 : NIL2);
  }

  /** The null array reply: `*-1` in RESP2, `_` in RESP3. */
  nilArray(): void {
    this.raw(this.resp === 3 ? NULL3 : NIL_ARRAY2);
  }

  array(n: number): void {
    if (n === 0) return this.raw(EMPTY_ARRAY);
    this.header(42, n);
  }

  /** A map of n pairs: `%n` in RESP3, a flat array of 2n in RESP2. */
  map(n: number): void {
    if (this.resp === 3) this.header(37, n);
    else this.array(n * 2);
  }

  /** A set: `~n` in RESP3, an array in RESP2. */
  set(n: number): void {
    if (this.resp === 3) this.header(126, n);
    else this.array(n);
  }

  /** A push message: `>n` in RESP3, an array in RESP2 (pub/sub). */
  push(n: number): void {
    if (this.resp === 3) this.header(62, n);
    else this.array(n);
  }

  /** A double, already formatted the Redis way: `,` in RESP3, a bulk string in RESP2. */
  double(formatted: string): void {
    if (this.resp === 3) {
      this.ensure(1);
      this.buf[this.pos++] = 44; // ','
      this.text(formatted);
      this.crlf();
    } else {
      // Formatted doubles are ASCII: written in place, no encoder round trip.
      this.header(36, formatted.length);
      this.text(formatted);
      this.crlf();
    }
  }

  bool(b: boolean): void {
    if (this.resp === 3) this.text(b ? "#t\r\n" : "#f\r\n");
    else this.raw(b ? ONE : ZERO);
  }

  /** Verbatim text (`=` with a format in RESP3, a bulk string in RESP2), e.g. INFO, CLIENT LIST. */
  verbatim(s: string, format = "txt"): void {
    if (this.resp !== 3) return this.bulkStr(s);
    const body = encoder.encode(s);
    this.header(61, body.length + 4);
    this.text(format);
    this.text(":");
    this.raw(body);
    this.crlf();
  }

  /** An array of bulk strings from JS strings. */
  bulkStrings(items: readonly string[]): void {
    this.array(items.length);
    for (const s of items) this.bulkStr(s);
  }

  /** Writes a bulk string copied straight from engine memory. */
  bulkFrom(mem: Uint8Array, ptr: number, len: number): void {
    this.header(36, len);
    this.ensure(len + 2);
    if (len <= 32) {
      // Short values: a loop beats allocating a subarray view.
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < len; i++) b[p++] = mem[ptr + i];
    } else {
      this.buf.set(mem.subarray(ptr, ptr + len), this.pos);
    }
    this.pos += len;
    this.buf[this.pos++] = 13;
    this.buf[this.pos++] = 10;
  }
}
