// Decoding RESP2/RESP3 reply bytes into JS values, for the embedded API.

export type Reply = string | number | bigint | null | boolean | Uint8Array | Reply[] | Map<Reply, Reply> | Set<Reply>;

export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplyError";
  }
}

const decoder = new TextDecoder();

interface Cursor {
  buf: Uint8Array;
  pos: number;
  buffers: boolean;
}

function line(c: Cursor): string {
  const start = c.pos;
  while (c.buf[c.pos] !== 13) c.pos++;
  const s = decoder.decode(c.buf.subarray(start, c.pos));
  c.pos += 2;
  return s;
}

function integer(s: string): number | bigint {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

function value(c: Cursor): Reply {
  const type = c.buf[c.pos++];
  const head = line(c);
  switch (type) {
    case 43: // + simple
      return head;
    case 45: // - error
      return new ReplyError(head) as unknown as Reply;
    case 58: // : integer
      return integer(head);
    case 36: // $ bulk
    case 61: {
      // = verbatim
      const n = Number(head);
      if (n < 0) return null;
      let bytes = c.buf.subarray(c.pos, c.pos + n);
      c.pos += n + 2;
      if (type === 61) bytes = bytes.subarray(4);
      return c.buffers ? bytes.slice() : decoder.decode(bytes);
    }
    case 42: // * array
    case 62: // > push
    case 126: {
      // ~ set
      const n = Number(head);
      if (n < 0) return null;
      const items: Reply[] = [];
      for (let i = 0; i < n; i++) items.push(value(c));
      return type === 126 ? new Set(items) : items;
    }
    case 37: {
      // % map
      const n = Number(head);
      const m = new Map<Reply, Reply>();
      for (let i = 0; i < n; i++) {
        const k = value(c);
        m.set(k, value(c));
      }
      return m;
    }
    case 95: // _ null
      return null;
    case 44: // , double
      return head === "inf" ? Infinity : head === "-inf" ? -Infinity : Number(head);
    case 35: // # boolean
      return head === "t";
    case 40: // ( big number
      return BigInt(head);
    default:
      throw new Error(`unexpected reply type ${String.fromCharCode(type)}`);
  }
}

/** Decodes one reply; an error reply at the top level throws ReplyError, nested ones stay values. */
export function decodeReply(buf: Uint8Array, opts: { buffers: boolean }): Reply {
  if (buf.length === 0) return null;
  const v = value({ buf, pos: 0, buffers: opts.buffers });
  if (v instanceof ReplyError) throw v;
  return v;
}
