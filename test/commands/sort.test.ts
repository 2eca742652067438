// SORT behaviour a byte-for-byte diff cannot show: cluster-mode refusals
// (a reference cluster needs its slots served first), propagation of
// SORT ... STORE, WATCH invalidation of the destination, and large sorts.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Arg, encodeCommand, RawClient } from "../helpers/resp";
import { startRedish } from "../helpers/servers";

type Redish = Awaited<ReturnType<typeof startRedish>>;

describe("SORT in cluster mode", () => {
  let srv: Redish;
  let c: RawClient;
  beforeAll(async () => {
    srv = await startRedish([["cluster-enabled", "yes"]]);
    c = await RawClient.connect(srv.port);
  });
  afterAll(async () => {
    c?.close();
    await srv?.stop();
  });

  // Replies checked against redis-server 7.0.15 with all slots assigned.
  it("refuses a BY pattern with '*' and every GET, as Redis 7.0 does", async () => {
    await c.call("RPUSH", "l", "2", "1");
    expect(await c.call("SORT", "l", "BY", "w_*")).toBe("-ERR BY option of SORT denied in Cluster mode.\r\n");
    expect(await c.call("SORT", "l", "BY", "{l}w_*")).toBe("-ERR BY option of SORT denied in Cluster mode.\r\n");
    expect(await c.call("SORT", "l", "GET", "#")).toBe("-ERR GET option of SORT denied in Cluster mode.\r\n");
    expect(await c.call("SORT_RO", "l", "GET", "x_*")).toBe("-ERR GET option of SORT denied in Cluster mode.\r\n");
    expect(await c.call("SORT", "l", "BY", "nosort")).toBe("*2\r\n$1\r\n2\r\n$1\r\n1\r\n");
    expect(await c.call("SORT", "l")).toBe("*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    // Options are read left to right: an earlier syntax error wins.
    expect(await c.call("SORT", "l", "BOGUS", "GET", "#")).toBe("-ERR syntax error\r\n");
  });
});

describe("SORT ... STORE", () => {
  let srv: Redish;
  let c: RawClient;
  let other: RawClient;
  const propagated: string[][] = [];
  const dec = new TextDecoder("latin1");
  beforeAll(async () => {
    srv = await startRedish();
    c = await RawClient.connect(srv.port);
    other = await RawClient.connect(srv.port);
    srv.running.server.onPropagate((_db, args) => propagated.push(args.map((a) => dec.decode(a))));
  });
  afterAll(async () => {
    c?.close();
    other?.close();
    await srv?.stop();
  });

  it("propagates the command as sent when it stored or deleted, nothing otherwise", async () => {
    await c.call("RPUSH", "l", "3", "1", "2");
    propagated.length = 0;
    await c.call("SORT", "l", "STORE", "d");
    await c.call("SORT", "l");
    await c.call("SORT", "nokey", "STORE", "d");
    await c.call("SORT", "nokey", "STORE", "d");
    expect(propagated).toEqual([
      ["SORT", "l", "STORE", "d"],
      ["SORT", "nokey", "STORE", "d"],
    ]);
  });

  it("a stored result invalidates WATCH on the destination", async () => {
    await c.call("RPUSH", "src", "b", "a");
    await c.call("WATCH", "dest");
    await other.call("SORT", "src", "ALPHA", "STORE", "dest");
    await c.call("MULTI");
    await c.call("PING");
    expect(await c.call("EXEC")).toBe("*-1\r\n");
  });

  it("sorts and stores 200k elements with GET patterns", async () => {
    const n = 200_000;
    const cmds: Arg[][] = [];
    for (let from = 0; from < n; from += 10_000) {
      const args: Arg[] = ["RPUSH", "big"];
      for (let i = from; i < from + 10_000; i++) args.push(String((i * 7919) % n));
      cmds.push(args);
    }
    c.writeRaw(Buffer.concat(cmds.map((cmd) => encodeCommand(cmd))));
    for (let i = 0; i < cmds.length; i++) await c.readReply();
    expect(await c.call("SORT", "big", "STORE", "sorted")).toBe(`:${n}\r\n`);
    expect(await c.call("LRANGE", "sorted", "0", "2")).toBe("*3\r\n$1\r\n0\r\n$1\r\n1\r\n$1\r\n2\r\n");
    expect(await c.call("LINDEX", "sorted", "-1")).toBe(`$6\r\n${n - 1}\r\n`);
    expect(await c.call("SORT", "big", "DESC", "LIMIT", "0", "2", "GET", "#", "GET", "nokey_*")).toBe(
      "*4\r\n$6\r\n199999\r\n$-1\r\n$6\r\n199998\r\n$-1\r\n",
    );
    expect(await c.call("SORT", "big", "ALPHA", "LIMIT", "0", "3")).toBe("*3\r\n$1\r\n0\r\n$1\r\n1\r\n$2\r\n10\r\n");
  });
});
