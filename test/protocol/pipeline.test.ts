// Pipelining and flow control: a huge pipeline in one write is answered in
// order; a client that does not read its replies makes the server stop
// reading from it rather than buffer without bound; big values arriving in
// many pieces are reassembled intact.

import { randomBytes } from "node:crypto";
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/server/client";
import { encodeCommand, RawClient } from "../helpers/resp";
import { startRedish } from "../helpers/servers";

type Redish = Awaited<ReturnType<typeof startRedish>>;

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ port, host: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
}

/** Reads from the socket until `total` bytes arrived (or the deadline passed); returns them. */
function readBytes(s: net.Socket, total: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    const done = () => {
      clearTimeout(timer);
      s.off("data", onData);
      resolve(Buffer.concat(parts));
    };
    const onData = (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (got >= total) done();
    };
    const timer = setTimeout(done, timeoutMs);
    s.on("data", onData);
    s.resume();
  });
}

/** The server side of the most recently connected client. */
function newestClient(srv: Redish): Client {
  const clients = [...srv.running.server.clients.values()];
  return clients[clients.length - 1];
}

function serverSocket(c: Client): net.Socket {
  return (c.conn as unknown as { socket: net.Socket }).socket;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("pipelining and flow control", () => {
  let srv: Redish;
  beforeAll(async () => {
    srv = await startRedish();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("100k commands in one write are answered in order", async () => {
    const n = 100_000;
    const s = await connect(srv.port);
    try {
      s.write(Buffer.concat([encodeCommand(["DEL", "ctr"]), Buffer.from("INCR ctr\r\n".repeat(n))]));
      let expected = ":0\r\n";
      for (let i = 1; i <= n; i++) expected += i === 1 ? ":1\r\n" : `:${i}\r\n`;
      const got = await readBytes(s, expected.length, 20000);
      expect(got.length).toBe(expected.length);
      expect(got.toString("latin1") === expected).toBe(true);
    } finally {
      s.destroy();
    }
  });

  it("a client that does not read: the server stops reading it and its unsent replies stay bounded", async () => {
    const n = 3_000_000;
    const s = await connect(srv.port);
    try {
      s.pause();
      const ours = newestClient(srv);
      const sock = serverSocket(ours);
      s.write(Buffer.from("PING\r\n".repeat(n)));
      let peak = 0;
      let pausedSeen = false;
      for (let i = 0; i < 200 && !pausedSeen; i++) {
        await sleep(25);
        peak = Math.max(peak, sock.writableLength);
        pausedSeen = sock.isPaused() && sock.writableLength > 0;
      }
      expect(pausedSeen, "the server paused reading from the client").toBe(true);
      // The high-water mark plus the replies of one read batch.
      expect(peak).toBeLessThan(5 * 1024 * 1024);
      expect(s.writableLength, "the client's own writes back up").toBeGreaterThan(0);
      const got = await readBytes(s, 7 * n, 60000);
      expect(got.length).toBe(7 * n);
      expect(got.subarray(got.length - 7).toString()).toBe("+PONG\r\n");
    } finally {
      s.destroy();
    }
  });

  it("a 10 MB binary value sent in many small writes arrives intact", async () => {
    const value = randomBytes(10 * 1024 * 1024);
    const req = encodeCommand(["SET", "big", value]);
    const s = await connect(srv.port);
    try {
      for (let at = 0; at < req.length; at += 64 * 1024) {
        s.write(req.subarray(at, at + 64 * 1024));
        if (at % (1024 * 1024) === 0) await sleep(1);
      }
      expect((await readBytes(s, 5, 20000)).toString()).toBe("+OK\r\n");
    } finally {
      s.destroy();
    }
    const c = await RawClient.connect(srv.port);
    try {
      expect(await c.call("STRLEN", "big")).toBe(`:${value.length}\r\n`);
      const reply = Buffer.from(await c.call("GET", "big"), "latin1");
      const header = `$${value.length}\r\n`;
      expect(reply.subarray(0, header.length).toString()).toBe(header);
      expect(reply.subarray(header.length, header.length + value.length).equals(value)).toBe(true);
    } finally {
      c.close();
    }
  });

  it("a command split at every byte boundary is framed the same", async () => {
    const req = encodeCommand(["SET", "split", "a\r\nb"]);
    const s = await connect(srv.port);
    try {
      for (let i = 0; i < req.length; i++) {
        s.write(req.subarray(i, i + 1));
        await sleep(1);
      }
      expect((await readBytes(s, 5, 5000)).toString()).toBe("+OK\r\n");
    } finally {
      s.destroy();
    }
  });
});
