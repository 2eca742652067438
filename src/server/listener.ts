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
  return `${h}:${port ?? 0}`;
}

export interface ListenOptions {
  port: number;
  host: string;
}

export class Listener {
  private readonly servers: net.Server[] = [];
  port = 0;

  constructor(private readonly srv: Server) {}

  async listen(opts: ListenOptions): Promise<void> {
    const s = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
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
    socket.on("data", (chunk: Buffer) => this.onData(c, socket, chunk));
    socket.on("drain", () => socket.resume());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => srv.removeClient(c));
  }

  private onData(c: Client, socket: net.Socket, chunk: Buffer): void {
    const out = this.srv.handleInput(c, chunk);
    if ((c.flags & CLIENT_CLOSE_ASAP) !== 0) {
      socket.destroy();
      return;
    }
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
