// Malformed requests: every protocol error Redis sends, byte for byte, and
// the connection closed right after it; commands framed before the error in
// the same write still run.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedis, skipNotice } from "../helpers/servers";
import { startTwin, type Twin, TwinConn } from "./harness";

/** Sends bytes on a fresh connection to both servers; expects the same output and both connections closed. */
async function closesLikeRedis(twin: Twin, bytes: string | Uint8Array): Promise<string> {
  const conn = await TwinConn.open(twin);
  try {
    const out = await conn.rawUntilClose(bytes);
    expect(out.redish).toBe(out.redis);
    expect(conn.redis.closed, "redis-server closed the connection").toBe(true);
    expect(conn.redish.closed, "Redish closed the connection").toBe(true);
    return out.redish;
  } finally {
    conn.close();
  }
}

skipNotice("protocol errors");
describe.skipIf(!hasRedis)("protocol errors are Redis's, and close the connection", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTwin();
  });
  afterAll(async () => {
    await twin?.stop();
  });

  it("invalid multibulk length: not a number, too large, trailing garbage", async () => {
    const err = "-ERR Protocol error: invalid multibulk length\r\n";
    expect(await closesLikeRedis(twin, "*abc\r\n")).toBe(err);
    expect(await closesLikeRedis(twin, "*3000000000\r\n")).toBe(err);
    expect(await closesLikeRedis(twin, "*2x\r\n")).toBe(err);
    expect(await closesLikeRedis(twin, "*01\r\n")).toBe(err);
    expect(await closesLikeRedis(twin, "*\r\n")).toBe(err);
  });

  it("invalid bulk length: not a number, negative, beyond proto-max-bulk-len", async () => {
    const err = "-ERR Protocol error: invalid bulk length\r\n";
    expect(await closesLikeRedis(twin, "*1\r\n$abc\r\n")).toBe(err);
    expect(await closesLikeRedis(twin, "*1\r\n$-1\r\n")).toBe(err);
    expect(await closesLikeRedis(twin, "*1\r\n$536870913\r\n")).toBe(err);
    expect(await closesLikeRedis(twin, "*2\r\n$3\r\nGET\r\n$99999999999999999999\r\n")).toBe(err);
  });

  it("expected '$': the offending byte is quoted, a CR shows as a space", async () => {
    expect(await closesLikeRedis(twin, "*1\r\nfoo\r\n")).toBe("-ERR Protocol error: expected '$', got 'f'\r\n");
    expect(await closesLikeRedis(twin, "*2\r\n$4\r\nECHO\r\n:1\r\n")).toBe(
      "-ERR Protocol error: expected '$', got ':'\r\n",
    );
    await closesLikeRedis(twin, "*1\r\n\r\n\r\n");
    await closesLikeRedis(twin, Buffer.from("*1\r\n\xff\r\n", "latin1"));
  });

  it("too big mbulk count string and too big bulk count string (no CR within 64 KB)", async () => {
    expect(await closesLikeRedis(twin, `*${"1".repeat(70 * 1024)}`)).toBe(
      "-ERR Protocol error: too big mbulk count string\r\n",
    );
    expect(await closesLikeRedis(twin, `*1\r\n$${"1".repeat(70 * 1024)}`)).toBe(
      "-ERR Protocol error: too big bulk count string\r\n",
    );
  });

  it("a NUL byte hides the line end, as Redis's strchr does, until the 64 KB limit", async () => {
    const filler = "x".repeat(70 * 1024);
    expect(await closesLikeRedis(twin, `PING\0\r\n${filler}`)).toBe("-ERR Protocol error: too big inline request\r\n");
    expect(await closesLikeRedis(twin, `*1\0\r\n${filler}`)).toBe(
      "-ERR Protocol error: too big mbulk count string\r\n",
    );
    expect(await closesLikeRedis(twin, `*1\r\n$4\0\r\n${filler}`)).toBe(
      "-ERR Protocol error: too big bulk count string\r\n",
    );
    expect(await closesLikeRedis(twin, `*1\r\n\0\r\n${filler}`)).toBe(
      "-ERR Protocol error: too big bulk count string\r\n",
    );
  });

  it("too big inline request and unbalanced quotes", async () => {
    expect(await closesLikeRedis(twin, "x".repeat(70 * 1024))).toBe("-ERR Protocol error: too big inline request\r\n");
    const unbalanced = "-ERR Protocol error: unbalanced quotes in request\r\n";
    expect(await closesLikeRedis(twin, 'SET "a b\r\n')).toBe(unbalanced);
    expect(await closesLikeRedis(twin, "SET 'a\r\n")).toBe(unbalanced);
    expect(await closesLikeRedis(twin, 'SET "a"b c\r\n')).toBe(unbalanced);
    expect(await closesLikeRedis(twin, "ECHO 'a'b\r\n")).toBe(unbalanced);
  });

  it("commands before the error in the same write run; those after it do not", async () => {
    const out = await closesLikeRedis(
      twin,
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$x\r\nPING\r\n",
    );
    expect(out).toBe("+OK\r\n+PONG\r\n$1\r\nv\r\n-ERR Protocol error: invalid bulk length\r\n");
  });

  it("the error is detected before the rest of the command arrives", async () => {
    // The count line is bad; the bulk that would follow never comes.
    await closesLikeRedis(twin, "*2\r\n$3\r\nGET\r\n$1x\r\n");
  });

  it("a protocol error on one connection leaves another connection untouched", async () => {
    const good = await TwinConn.open(twin);
    try {
      await good.same("SET", "survivor", "yes");
      await closesLikeRedis(twin, "*1\r\n$-5\r\n");
      await good.same("GET", "survivor");
      await good.same("PING");
    } finally {
      good.close();
    }
  });

  it("empty and negative multibulk counts are skipped, not errors", async () => {
    const conn = await TwinConn.open(twin);
    try {
      conn.redish.writeRaw("*0\r\n*-1\r\n*-100\r\n");
      conn.redis.writeRaw("*0\r\n*-1\r\n*-100\r\n");
      await conn.same("PING");
    } finally {
      conn.close();
    }
  });
});

skipNotice("protocol errors with requirepass");
describe.skipIf(!hasRedis)("protocol limits for unauthenticated clients (requirepass)", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTwin([["requirepass", "pw"]], ["--requirepass", "pw"]);
  });
  afterAll(async () => {
    await twin?.stop();
  });

  it("more than 10 arguments before AUTH: unauthenticated multibulk length", async () => {
    expect(await closesLikeRedis(twin, "*11\r\n")).toBe("-ERR Protocol error: unauthenticated multibulk length\r\n");
  });

  it("a bulk over 16384 bytes before AUTH: unauthenticated bulk length", async () => {
    expect(await closesLikeRedis(twin, "*1\r\n$16385\r\n")).toBe(
      "-ERR Protocol error: unauthenticated bulk length\r\n",
    );
  });

  it("the limits are inclusive, and lifted once AUTH succeeds in the same write", async () => {
    const conn = await TwinConn.open(twin);
    try {
      const ten = `*10\r\n$3\r\nDEL\r\n${"$1\r\nx\r\n".repeat(9)}`;
      conn.redish.writeRaw(ten);
      conn.redis.writeRaw(ten);
      expect(await conn.sameReply()).toBe("-NOAUTH Authentication required.\r\n");
      const big = "y".repeat(20000);
      const bytes = `*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*2\r\n$4\r\nECHO\r\n$${big.length}\r\n${big}\r\n`;
      conn.redish.writeRaw(bytes);
      conn.redis.writeRaw(bytes);
      expect(await conn.sameReply()).toBe("+OK\r\n");
      expect(await conn.sameReply()).toBe(`$20000\r\n${big}\r\n`);
    } finally {
      conn.close();
    }
  });
});
