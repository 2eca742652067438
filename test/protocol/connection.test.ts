// Connection-level flows against redis-server: QUIT, RESET, AUTH with
// requirepass, HELLO, SELECT bounds, HTTP requests, binary safety, and
// RESP3 reply types after HELLO 3.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRedis, skipNotice } from "../helpers/servers";
import { startTwin, type Twin, TwinConn } from "./harness";

/** HELLO's reply with the connection id blanked, since ids differ between servers. */
function helloShape(reply: string): string {
  return reply.replace(/(\$2\r\nid\r\n:)\d+/, "$1ID");
}

async function helloSame(conn: TwinConn, ...args: string[]): Promise<string> {
  const [x, y] = await Promise.all([conn.redish.call("HELLO", ...args), conn.redis.call("HELLO", ...args)]);
  expect(helloShape(x)).toBe(helloShape(y));
  return x;
}

skipNotice("connection flows");
describe.skipIf(!hasRedis)("connection flows against redis-server", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTwin();
  });
  afterAll(async () => {
    await twin?.stop();
  });

  async function withConn(fn: (conn: TwinConn) => Promise<void>): Promise<void> {
    const conn = await TwinConn.open(twin);
    try {
      await fn(conn);
    } finally {
      conn.close();
    }
  }

  it("QUIT replies OK and closes; commands after it in the same write do not run", async () => {
    await withConn(async (conn) => {
      await conn.same("DEL", "afterquit");
      const out = await conn.rawUntilClose("PING\r\nQUIT\r\nSET afterquit 1\r\n");
      expect(out.redish).toBe(out.redis);
      expect(out.redish).toBe("+PONG\r\n+OK\r\n");
      expect(conn.redish.closed && conn.redis.closed).toBe(true);
    });
    await withConn(async (conn) => {
      await conn.same("EXISTS", "afterquit");
      await conn.same("QUIT", "extra", "args");
    });
  });

  it("RESET leaves MULTI, WATCH, the database, the name, RESP3 and CLIENT REPLY OFF", async () => {
    await withConn(async (conn) => {
      await conn.same("SELECT", "4");
      await conn.same("CLIENT", "SETNAME", "before");
      await conn.same("WATCH", "rk");
      await conn.same("MULTI");
      await conn.same("SET", "rk", "1");
      await conn.same("RESET");
      await conn.same("EXEC");
      await conn.same("CLIENT", "GETNAME");
      await conn.same("EXISTS", "rk");
      await helloSame(conn, "3");
      conn.send("CLIENT", "REPLY", "OFF");
      await conn.same("RESET");
      await conn.same("GET", "nosuch");
      await conn.same("RESET", "extra");
    });
  });

  it("SELECT accepts 0..15 only, as an integer", async () => {
    await withConn(async (conn) => {
      for (const db of ["0", "15", "16", "-1", "abc", "1.5", " 1", "01", "99999999999999999999", "", "3"]) {
        await conn.same("SELECT", db);
      }
      await conn.same("SELECT");
      await conn.same("SELECT", "1", "2");
    });
  });

  it("an HTTP request (POST, Host:) closes the connection without replying, even to earlier commands", async () => {
    for (const bytes of ["PING\r\nPOST / HTTP/1.1\r\nPING\r\n", "PING\r\nHost: example\r\n", "*1\r\n$4\r\npost\r\n"]) {
      await withConn(async (conn) => {
        const out = await conn.rawUntilClose(bytes);
        expect(out.redish).toBe(out.redis);
        expect(conn.redish.closed && conn.redis.closed).toBe(true);
      });
    }
    await withConn(async (conn) => {
      await conn.same("POSTX");
      await conn.same("HOST");
    });
  });

  it("every byte value is safe in keys and values", async () => {
    await withConn(async (conn) => {
      const all = new Uint8Array(256).map((_, i) => i);
      const reversed = all.slice().reverse();
      await conn.same("SET", all, reversed);
      await conn.same("GET", all);
      await conn.same("STRLEN", all);
      await conn.same("APPEND", all, all);
      await conn.same("GETRANGE", all, "250", "260");
      await conn.same("EXISTS", all, reversed);
      for (let b = 0; b < 256; b += 1) await conn.same("SET", new Uint8Array([b]), new Uint8Array([b, b]));
      const keys = Array.from({ length: 256 }, (_, b) => new Uint8Array([b]));
      await conn.same("MGET", ...keys);
      await conn.same("DEL", ...keys);
      await conn.same("ECHO", all);
      await conn.same("NOSUCH", all);
    });
  });

  it("HELLO: protocol versions, SETNAME, errors", async () => {
    await withConn(async (conn) => {
      await helloSame(conn);
      await helloSame(conn, "2");
      await helloSame(conn, "1");
      await helloSame(conn, "4");
      await helloSame(conn, "abc");
      await helloSame(conn, "3", "SETNAME", "h3");
      await conn.same("CLIENT", "GETNAME");
      await helloSame(conn, "3", "SETNAME", "bad name");
      await helloSame(conn, "3", "AUTH", "default");
      await helloSame(conn, "3", "NOSUCH");
      await helloSame(conn, "2");
    });
  });

  it("HELLO 3: replies use RESP3 types (null, map, set, verbatim, boolean-free integers)", async () => {
    await withConn(async (conn) => {
      await conn.same("DEL", "h", "s", "str");
      await conn.same("HSET", "h", "f1", "v1", "f2", "v2");
      await conn.same("SADD", "s", "a");
      await conn.same("SET", "str", "v");
      await helloSame(conn, "3");
      await conn.same("GET", "nosuch");
      await conn.same("MGET", "str", "nosuch");
      await conn.same("HGETALL", "h");
      await conn.same("HGETALL", "nosuch");
      await conn.same("HGET", "h", "nosuch");
      await conn.same("SMEMBERS", "s");
      await conn.same("SISMEMBER", "s", "a");
      await conn.same("CONFIG", "GET", "maxmemory");
      await conn.same("COMMAND", "INFO", "get");
      await conn.same("TTL", "str");
      await conn.same("EXISTS", "str");
      await conn.same("HRANDFIELD", "nosuch");
      await conn.same("SPOP", "nosuch");
      await conn.same("SRANDMEMBER", "nosuch");
      await conn.same("INCRBYFLOAT", "fl", "1.5");
      await conn.same("HINCRBYFLOAT", "h", "fl", "2.5");
      await conn.same("MULTI");
      await conn.same("GET", "nosuch");
      await conn.same("HGETALL", "h");
      await conn.same("EXEC");
    });
  });
});

skipNotice("AUTH with requirepass");
describe.skipIf(!hasRedis)("AUTH and requirepass against redis-server", () => {
  let twin: Twin;
  beforeAll(async () => {
    twin = await startTwin([["requirepass", "pw"]], ["--requirepass", "pw"]);
  });
  afterAll(async () => {
    await twin?.stop();
  });

  it("commands need AUTH; wrong passwords and users are refused; a later failure keeps the login", async () => {
    const conn = await TwinConn.open(twin);
    try {
      await conn.same("GET", "x");
      await conn.same("PING");
      await conn.same("AUTH", "wrong");
      await conn.same("AUTH", "nosuchuser", "pw");
      await conn.same("AUTH", "a", "b", "c");
      await conn.same("AUTH");
      await conn.same("GET", "x");
      await conn.same("AUTH", "pw");
      await conn.same("GET", "x");
      await conn.same("AUTH", "wrong");
      await conn.same("GET", "x");
      await conn.same("AUTH", "default", "pw");
      await conn.same("RESET");
      await conn.same("GET", "x");
    } finally {
      conn.close();
    }
  });

  it("HELLO needs AUTH first or its AUTH option; QUIT and RESET need none", async () => {
    const conn = await TwinConn.open(twin);
    try {
      await helloSame(conn, "3");
      await helloSame(conn, "3", "AUTH", "default", "wrong");
      await helloSame(conn, "3", "AUTH", "default", "pw", "SETNAME", "authed");
      await conn.same("CLIENT", "GETNAME");
      await conn.same("GET", "x");
      await helloSame(conn, "2");
      await conn.same("RESET");
      await conn.same("GET", "x");
      const out = await conn.rawUntilClose("QUIT\r\n");
      expect(out.redish).toBe(out.redis);
    } finally {
      conn.close();
    }
  });

  it("MULTI before AUTH is refused; an unauthenticated EXEC aborts nothing it did not start", async () => {
    const conn = await TwinConn.open(twin);
    try {
      await conn.same("MULTI");
      await conn.same("EXEC");
      await conn.same("AUTH", "pw");
      await conn.same("MULTI");
      await conn.same("AUTH", "wrong");
      await conn.same("PING");
      await conn.same("EXEC");
    } finally {
      conn.close();
    }
  });
});
