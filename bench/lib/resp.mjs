// A deliberately tiny RESP2 client. The harness uses it for probes, INFO,
// SAVE/BGSAVE and latency sampling, where it needs exact control over when
// bytes hit the socket and no client-library overhead in the measurement.
import net from "node:net";

export class ReplyError extends Error {}

export function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  }
  return out;
}

// Returns [value, nextOffset], or null while the reply is still incomplete.
function parseReply(buf, pos) {
  const lineEnd = buf.indexOf("\r\n", pos);
  if (lineEnd < 0) return null;
  const type = buf[pos];
  const line = buf.toString("utf8", pos + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case 0x2b /* + */:
      return [line, next];
    case 0x2d /* - */:
      return [new ReplyError(line), next];
    case 0x3a /* : */:
      return [Number(line), next];
    case 0x24 /* $ */:
      return parseBulk(buf, Number(line), next);
    case 0x2a /* * */:
      return parseArray(buf, Number(line), next);
    default:
      throw new Error(`unexpected RESP type byte 0x${type.toString(16)}`);
  }
}

function parseBulk(buf, length, pos) {
  if (length < 0) return [null, pos];
  if (buf.length < pos + length + 2) return null;
  return [buf.toString("utf8", pos, pos + length), pos + length + 2];
}

function parseArray(buf, count, pos) {
  if (count < 0) return [null, pos];
  const items = [];
  let offset = pos;
  for (let i = 0; i < count; i++) {
    const parsed = parseReply(buf, offset);
    if (parsed === null) return null;
    items.push(parsed[0]);
    offset = parsed[1];
  }
  return [items, offset];
}

export class RespClient {
  static connect(port, { host = "127.0.0.1", timeoutMs = 2000 } = {}) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        resolve(new RespClient(socket, timeoutMs));
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  constructor(socket, timeoutMs) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    this.pending = [];
    this.buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", (error) => this.failAll(error));
    socket.on("close", () => this.failAll(new Error("connection closed")));
  }

  // Resolves with the reply; error replies resolve as ReplyError instances
  // so callers can tell "unsupported" apart from "connection broken".
  call(...args) {
    return this.command(args);
  }

  command(args, timeoutMs = this.timeoutMs) {
    return this.sendRaw(encodeCommand(args), timeoutMs);
  }

  // Writes pre-encoded command text that produces exactly one reply.
  sendRaw(text, timeoutMs = this.timeoutMs) {
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, timer: null };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          // The reply stream is out of step now, so the connection is useless.
          this.socket.destroy();
          reject(new Error(`no reply within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.push(entry);
      this.socket.write(text);
    });
  }

  async info(section) {
    const reply = await this.call("INFO", section);
    if (typeof reply !== "string") return null;
    return parseInfo(reply);
  }

  close() {
    this.socket.destroy();
  }

  onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    while (offset < this.buffer.length) {
      const parsed = parseReply(this.buffer, offset);
      if (parsed === null) break;
      offset = parsed[1];
      this.settle(parsed[0]);
    }
    this.buffer = this.buffer.subarray(offset);
  }

  settle(value) {
    const entry = this.pending.shift();
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.resolve(value);
  }

  failAll(error) {
    for (const entry of this.pending.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}

export function parseInfo(text) {
  const fields = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

// One short-lived connection for a single command, for probes and polls.
export async function callOnce(port, args, timeoutMs = 2000) {
  const client = await RespClient.connect(port, { timeoutMs });
  try {
    return await client.command(args, timeoutMs);
  } finally {
    client.close();
  }
}
