// TCP listener: sockets in, replies out, one write per read batch.
//
// Backpressure bounds memory: when a client stops reading its replies and
// the socket's write buffer passes a limit, we stop reading from it until it
// drains, so a 100k-command pipeline costs at most a few MB, never all the
// replies at once.

import * as net from "node:net";
import type { Client, Connection } from "./client";
import { CLIENT_CLOSE_AFTER_REPLY, CLIENT_CLOSE_ASAP } from "./client";
import type { Server } from "./server";

/** Pause reading from a client whose unsent replies exceed this. */
const WRITE_HIGH_WATER = 4 * 1024 * 1024;

/**
 * Reads land in one reused buffer (Node's `onread` user-buffer mode) instead
 * of a fresh Buffer pushed through a Readable stream per read: input is
 * copied into the engine's arena right away, so nothing needs its own
 * Buffer. Node offers this mode only for sockets it creates itself, so for
 * accepted sockets we set the same two internal fields its constructor sets,
 * found by their symbol descriptions; if a Node version lacks them we fall
 * back to 'data' events.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** Serving a client again without new bytes (after CLIENT PAUSE) runs what it has pending. */
const NO_INPUT = Buffer.alloc(0);
const userBufferSymbols = findUserBufferSymbols();

function findUserBufferSymbols(): { buffer: symbol; callback: symbol } | null {
  const probe = new net.Socket({ onread: { buffer: Buffer.alloc(1), callback: () => true } });
  const syms = Object.getOwnPropertySymbols(probe);
  const buffer = syms.find((s) => s.description === "kBuffer");
  const callback = syms.find((s) => s.description === "kBufferCb");
  probe.destroy();
  return buffer && callback ? { buffer, callback } : null;
}

type ReadCallback = (nread: number, buf: Buffer) => boolean | undefined;

function readIntoSharedBuffer(socket: net.Socket, onRead: ReadCallback): boolean {
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (b: Uint8Array) => void } })._handle;
  if (userBufferSymbols === null || typeof handle?.useUserBuffer !== "function") return false;
  const fields = socket as unknown as Record<symbol, unknown>;
  fields[userBufferSymbols.buffer] = READ_BUFFER;
  fields[userBufferSymbols.callback] = onRead;
  handle.useUserBuffer(READ_BUFFER);
  return true;
}

class SocketConnection implements Connection {
  readonly remote: string;
  readonly local: string;
  readonly fd: number;

  constructor(readonly socket: net.Socket) {
    this.remote = formatAddr(socket.remoteAddress, socket.remotePort);
    this.local = formatAddr(socket.localAddress, socket.localPort);
    this.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  }

  write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed) return false;
    return this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

function formatAddr(host: string | undefined, port: number | undefined): string {
  if (host === undefined) return "?:0";
  const h = host.startsWith("::ffff:") ? host.slice(7) : host;
  // IPv6 addresses are bracketed so the port stays unambiguous (Redis's anetFormatAddr).
  return h.includes(":") ? `[${h}]:${port ?? 0}` : `${h}:${port ?? 0}`;
}

export interface ListenOptions {
  port: number;
  host: string;
}

export class Listener {
  private readonly servers: net.Server[] = [];
  /** Replies waiting for the end of the event-loop turn (see Server.batchReplies). */
  private held: { c: Client; socket: net.Socket; out: Uint8Array | null }[] = [];
  private flushScheduled = false;
  port = 0;

  constructor(private readonly srv: Server) {
    srv.resumeClient = (c) => {
      if (c.conn instanceof SocketConnection) this.onData(c, c.conn.socket, NO_INPUT);
    };
  }

  async listen(opts: ListenOptions): Promise<void> {
    const s = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(opts.port, opts.host, 511, () => {
        s.off("error", reject);
        resolve();
      });
    });
    const addr = s.address();
    if (addr && typeof addr === "object" && this.port === 0) this.port = addr.port;
    this.servers.push(s);
  }

  private accept(socket: net.Socket): void {
    const srv = this.srv;
    if (srv.clients.size >= srv.config.int("maxclients")) {
      srv.stats.rejectedConnections++;
      socket.end("-ERR max number of clients reached\r\n");
      return;
    }
    socket.setNoDelay(true);
    const conn = new SocketConnection(socket);
    const c = srv.createClient(conn);
    const shared = readIntoSharedBuffer(socket, (n, buf) => {
      this.onData(c, socket, buf.subarray(0, n));
      return undefined;
    });
    if (!shared) socket.on("data", (chunk: Buffer) => this.onData(c, socket, chunk));
    socket.on("drain", () => socket.resume());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => srv.removeClient(c));
    socket.resume();
  }

  private onData(c: Client, socket: net.Socket, chunk: Buffer): void {
    const batch = this.srv.batchReplies();
    const out = this.srv.handleInput(c, chunk, Buffer.allocUnsafe, !batch);
    if ((c.flags & CLIENT_CLOSE_ASAP) !== 0) {
      socket.destroy();
      return;
    }
    if (batch) {
      this.held.push({ c, socket, out });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushHeld());
      }
      return;
    }
    this.send(c, socket, out);
  }

  /** Replies held during this event-loop turn leave after one beforeReply (AOF write and fsync) for all. */
  private flushHeld(): void {
    this.flushScheduled = false;
    const held = this.held;
    this.held = [];
    this.srv.beforeReply();
    for (const h of held) this.send(h.c, h.socket, h.out);
  }

  private send(c: Client, socket: net.Socket, out: Uint8Array | null): void {
    if (out !== null && !socket.destroyed) socket.write(out);
    if ((c.flags & CLIENT_CLOSE_AFTER_REPLY) !== 0) {
      socket.end();
      return;
    }
    if (socket.writableLength > WRITE_HIGH_WATER) socket.pause();
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
          }),
      ),
    );
    for (const c of this.srv.clients.values()) c.conn?.close();
  }
}
