// CLIENT commands whose replies carry ids, ports and ages: the line format
// is compared with redis-server's field by field; KILL and PAUSE are checked
// through their effects on other connections.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../helpers/resp";
import { hasRedis, startRedis, startRedish, type TestServer } from "../helpers/servers";

/** The value of a bulk or verbatim reply (verbatim loses its "txt:" prefix). */
function bulkText(reply: string): string {
  const body = reply.slice(reply.indexOf("\r\n") + 2, -2);
  return reply.startsWith("=") ? body.slice(4) : body;
}

function fields(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of line.trim().split(" ")) {
    const eq = kv.indexOf("=");
    m.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return m;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("CLIENT LIST and INFO", () => {
  let srv: TestServer;
  let c: RawClient;
  beforeAll(async () => {
    srv = await startRedish();
    c = await RawClient.connect(srv.port);
  });
  afterAll(async () => {
    c?.close();
    await srv?.stop();
  });

  it.skipIf(!hasRedis)("a line has Redis 7.0's fields in Redis's order", async () => {
    const ref = await startRedis();
    const rc = await RawClient.connect(ref.port);
    try {
      const ours = [...fields(bulkText(await c.call("CLIENT", "INFO"))).keys()];
      const theirs = [...fields(bulkText(await rc.call("CLIENT", "INFO"))).keys()];
      expect(ours).toEqual(theirs);
    } finally {
      rc.close();
      await ref.stop();
    }
  });

  it("INFO describes the caller; its values are those of Redis for a fresh connection", async () => {
    const id = Number((await c.call("CLIENT", "ID")).slice(1, -2));
    const info = await c.call("CLIENT", "INFO");
    expect(info.endsWith("\n\r\n")).toBe(true);
    const f = fields(bulkText(info));
    expect(f.get("id")).toBe(String(id));
    expect(f.get("addr")).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(f.get("laddr")).toBe(`127.0.0.1:${srv.port}`);
    expect(f.get("fd")).toMatch(/^\d+$/);
    expect(f.get("name")).toBe("");
    expect(f.get("flags")).toBe("N");
    expect(f.get("db")).toBe("0");
    expect(f.get("multi")).toBe("-1");
    // "CLIENT INFO" as RESP is 26 bytes; its argument bytes are 10.
    expect(f.get("qbuf")).toBe("26");
    expect(f.get("argv-mem")).toBe("10");
    expect(f.get("cmd")).toBe("client|info");
    expect(f.get("user")).toBe("default");
    expect(f.get("redir")).toBe("-1");
    expect(f.get("resp")).toBe("2");
    expect(Number(f.get("tot-mem"))).toBeGreaterThan(0);
  });

  it("LIST shows every connection with its name, db, flags, queued commands and last command", async () => {
    const other = await RawClient.connect(srv.port);
    try {
      await other.call("CLIENT", "SETNAME", "worker");
      await other.call("SELECT", "3");
      await other.call("MULTI");
      await other.call("SET", "k", "v");
      await other.call("GET", "k");
      const lines = bulkText(await c.call("CLIENT", "LIST")).split("\n");
      expect(lines.at(-1)).toBe("");
      const w = fields(lines.find((l) => l.includes("name=worker")) ?? "");
      expect(w.get("db")).toBe("3");
      expect(w.get("flags")).toBe("x");
      expect(w.get("multi")).toBe("2");
      expect(Number(w.get("multi-mem"))).toBeGreaterThan(0);
      expect(w.get("cmd")).toBe("get");
      expect(w.get("qbuf")).toBe("0");
      await other.call("EXEC");
      const after = fields(bulkText(await c.call("CLIENT", "LIST", "TYPE", "normal")).split("\n")[1] ?? "");
      expect(after.get("name")).toBe("worker");
      expect(after.get("cmd")).toBe("exec");
      expect(after.get("multi")).toBe("-1");
    } finally {
      other.close();
    }
  });

  it("LIST ID picks clients by id, in the order given, skipping unknown ones", async () => {
    const other = await RawClient.connect(srv.port);
    try {
      const a = (await c.call("CLIENT", "ID")).slice(1, -2);
      const b = (await other.call("CLIENT", "ID")).slice(1, -2);
      const out = bulkText(await c.call("CLIENT", "LIST", "ID", b, "999999", a));
      expect(out.split("\n").map((l) => fields(l).get("id"))).toEqual([b, a, undefined]);
    } finally {
      other.close();
    }
  });

  it("NO-EVICT shows as flag e; RESP3 clients show resp=3 and get a verbatim reply", async () => {
    await c.call("CLIENT", "NO-EVICT", "on");
    await c.call("HELLO", "3");
    const info = await c.call("CLIENT", "INFO");
    expect(info.startsWith("=")).toBe(true);
    expect(info.slice(info.indexOf("\r\n") + 2, info.indexOf("\r\n") + 6)).toBe("txt:");
    const f = fields(bulkText(info));
    expect(f.get("flags")).toBe("e");
    expect(f.get("resp")).toBe("3");
    await c.call("HELLO", "2");
    await c.call("CLIENT", "NO-EVICT", "off");
  });

  it("ID grows with each connection and matches HELLO's id", async () => {
    const a = await RawClient.connect(srv.port);
    const b = await RawClient.connect(srv.port);
    try {
      const ida = Number((await a.call("CLIENT", "ID")).slice(1, -2));
      const idb = Number((await b.call("CLIENT", "ID")).slice(1, -2));
      expect(idb).toBeGreaterThan(ida);
      expect(await a.call("HELLO")).toContain(`$2\r\nid\r\n:${ida}\r\n`);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe("CLIENT over IPv6", () => {
  it("addresses are bracketed like Redis's, and KILL ADDR takes them", async () => {
    const srv = await startRedish([["bind", "::1"]]);
    const a = await RawClient.connect(srv.port, "::1");
    const b = await RawClient.connect(srv.port, "::1");
    try {
      const f = fields(bulkText(await b.call("CLIENT", "INFO")));
      expect(f.get("addr")).toMatch(/^\[::1\]:\d+$/);
      expect(f.get("laddr")).toBe(`[::1]:${srv.port}`);
      expect(await a.call("CLIENT", "KILL", "ADDR", f.get("addr") ?? "")).toBe(":1\r\n");
      await b.readUntilClose(2000);
      expect(b.closed).toBe(true);
    } finally {
      a.close();
      b.close();
      await srv.stop();
    }
  });
});

describe("CLIENT KILL", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startRedish();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  async function addrOf(c: RawClient): Promise<string> {
    return fields(bulkText(await c.call("CLIENT", "INFO"))).get("addr") ?? "";
  }

  it("the old form kills by address and replies OK, or No such client", async () => {
    const killer = await RawClient.connect(srv.port);
    const victim = await RawClient.connect(srv.port);
    try {
      const addr = await addrOf(victim);
      expect(await killer.call("CLIENT", "KILL", addr)).toBe("+OK\r\n");
      await victim.readUntilClose(2000);
      expect(victim.closed).toBe(true);
      expect(await killer.call("CLIENT", "KILL", addr)).toBe("-ERR No such client\r\n");
      expect(bulkText(await killer.call("CLIENT", "LIST"))).not.toContain(`addr=${addr} `);
    } finally {
      killer.close();
      victim.close();
    }
  });

  it("the new form counts the kills; filters combine; SKIPME spares the caller by default", async () => {
    const killer = await RawClient.connect(srv.port);
    const v1 = await RawClient.connect(srv.port);
    const v2 = await RawClient.connect(srv.port);
    try {
      const id1 = (await v1.call("CLIENT", "ID")).slice(1, -2);
      expect(await killer.call("CLIENT", "KILL", "ID", id1, "TYPE", "master")).toBe(":0\r\n");
      expect(await killer.call("CLIENT", "KILL", "ID", id1, "TYPE", "normal")).toBe(":1\r\n");
      await v1.readUntilClose(2000);
      expect(v1.closed).toBe(true);
      const addr2 = await addrOf(v2);
      expect(await killer.call("CLIENT", "KILL", "ADDR", addr2, "LADDR", `127.0.0.1:${srv.port}`)).toBe(":1\r\n");
      await v2.readUntilClose(2000);
      expect(v2.closed).toBe(true);
      expect(await killer.call("CLIENT", "KILL", "TYPE", "normal")).toBe(":0\r\n");
      expect(await killer.call("PING")).toBe("+PONG\r\n");
    } finally {
      killer.close();
      v1.close();
      v2.close();
    }
  });

  it("SKIPME no kills the caller too, after sending it the reply", async () => {
    const self = await RawClient.connect(srv.port);
    const id = (await self.call("CLIENT", "ID")).slice(1, -2);
    self.writeRaw(`CLIENT KILL ID ${id} SKIPME no\r\nPING\r\n`);
    expect(await self.readUntilClose(2000)).toBe(":1\r\n");
    expect(self.closed).toBe(true);
  });

  it("the old form may kill the caller itself", async () => {
    const self = await RawClient.connect(srv.port);
    const addr = await addrOf(self);
    self.writeRaw(`CLIENT KILL ${addr}\r\n`);
    expect(await self.readUntilClose(2000)).toBe("+OK\r\n");
    expect(self.closed).toBe(true);
  });
});

describe("CLIENT PAUSE", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startRedish();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("WRITE holds back writes until UNPAUSE; reads go on; the held client keeps its order", async () => {
    const admin = await RawClient.connect(srv.port);
    const writer = await RawClient.connect(srv.port);
    try {
      expect(await admin.call("CLIENT", "PAUSE", "60000", "WRITE")).toBe("+OK\r\n");
      expect(await admin.call("GET", "p")).toBe("$-1\r\n");
      writer.writeRaw("SET p 1\r\nGET p\r\n");
      await sleep(50);
      expect(await admin.call("GET", "p")).toBe("$-1\r\n");
      const held = fields(
        bulkText(await admin.call("CLIENT", "LIST"))
          .split("\n")
          .find((l) => l.includes("cmd=set")) ?? "",
      );
      expect(held.get("flags")).toBe("b");
      expect(await admin.call("CLIENT", "UNPAUSE")).toBe("+OK\r\n");
      expect((await writer.readReply()).toString()).toBe("+OK\r\n");
      expect((await writer.readReply()).toString()).toBe("$1\r\n1\r\n");
      expect(await admin.call("GET", "p")).toBe("$1\r\n1\r\n");
    } finally {
      admin.close();
      writer.close();
    }
  });

  it("ALL holds back every command, even UNPAUSE, until the timeout", async () => {
    const admin = await RawClient.connect(srv.port);
    const other = await RawClient.connect(srv.port);
    try {
      expect(await admin.call("CLIENT", "PAUSE", "300")).toBe("+OK\r\n");
      other.writeRaw("CLIENT UNPAUSE\r\nPING\r\n");
      admin.writeRaw("PING\r\n");
      await sleep(100);
      expect(other.closed).toBe(false);
      expect((await other.readReply()).toString()).toBe("+OK\r\n");
      expect((await other.readReply()).toString()).toBe("+PONG\r\n");
      expect((await admin.readReply()).toString()).toBe("+PONG\r\n");
    } finally {
      admin.close();
      other.close();
    }
  });

  it("a second pause keeps the stricter type and the later end", async () => {
    const admin = await RawClient.connect(srv.port);
    const other = await RawClient.connect(srv.port);
    try {
      await admin.call("CLIENT", "PAUSE", "60000", "WRITE");
      await admin.call("CLIENT", "PAUSE", "10", "WRITE");
      other.writeRaw("SET q 1\r\n");
      await sleep(100);
      expect(await admin.call("EXISTS", "q")).toBe(":0\r\n");
      await admin.call("CLIENT", "UNPAUSE");
      expect((await other.readReply()).toString()).toBe("+OK\r\n");
    } finally {
      admin.close();
      other.close();
    }
  });

  it("a client that disconnects while held is forgotten", async () => {
    const admin = await RawClient.connect(srv.port);
    const other = await RawClient.connect(srv.port);
    try {
      await admin.call("CLIENT", "PAUSE", "60000", "WRITE");
      other.writeRaw("SET gone 1\r\n");
      await sleep(50);
      other.close();
      await sleep(50);
      await admin.call("CLIENT", "UNPAUSE");
      await sleep(50);
      expect(await admin.call("EXISTS", "gone")).toBe(":0\r\n");
    } finally {
      admin.close();
    }
  });
});
