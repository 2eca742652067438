// MULTI / EXEC / DISCARD / WATCH / UNWATCH against redis-server, with a
// second connection where a test needs someone else to touch a key.

import { afterAll, beforeAll, beforeEach, describe, it } from "vitest";
import { hasRedis, skipNotice } from "../helpers/servers";
import { startTwin, type Twin, TwinConn } from "../protocol/harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

skipNotice("transactions");
describe.skipIf(!hasRedis)("transactions against redis-server", () => {
  let twin: Twin;
  let a: TwinConn;
  let b: TwinConn;
  beforeAll(async () => {
    twin = await startTwin();
    a = await TwinConn.open(twin);
    b = await TwinConn.open(twin);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await twin?.stop();
  });
  beforeEach(async () => {
    await a.same("FLUSHALL");
  });

  async function script(conn: TwinConn, cmds: (string | Uint8Array)[][]): Promise<void> {
    for (const cmd of cmds) await conn.same(...cmd);
  }

  it("queued commands run in order; each error is reported in its place", async () => {
    await script(a, [
      ["MULTI"],
      ["SET", "a", "1"],
      ["INCR", "a"],
      ["SADD", "a", "x"],
      ["GET", "a"],
      ["INCRBY", "a", "notanumber"],
      ["GET", "nosuch"],
      ["EXEC"],
      ["GET", "a"],
    ]);
  });

  it("an empty transaction, DISCARD, and the errors outside MULTI", async () => {
    await script(a, [
      ["EXEC"],
      ["EXEC", "extra"],
      ["DISCARD"],
      ["MULTI"],
      ["EXEC"],
      ["MULTI"],
      ["SET", "d", "1"],
      ["DISCARD"],
      ["EXISTS", "d"],
      ["EXEC"],
    ]);
  });

  it("nested MULTI and WATCH inside MULTI are errors that do not abort the transaction", async () => {
    await script(a, [["MULTI"], ["MULTI"], ["WATCH", "x"], ["SET", "n", "1"], ["EXEC"], ["GET", "n"]]);
  });

  it("queue-time errors abort EXEC with EXECABORT; later commands still say QUEUED", async () => {
    await script(a, [
      ["MULTI"],
      ["SET", "e", "1"],
      ["NOSUCHCOMMAND", "x"],
      ["SET", "e"],
      ["SET", "e", "2"],
      ["EXEC"],
      ["EXISTS", "e"],
      ["MULTI"],
      ["CONFIG", "NOSUCH"],
      ["EXEC"],
    ]);
  });

  it("EXEC refused by the dispatcher ends the transaction with the reason", async () => {
    await script(a, [["MULTI"], ["SET", "r", "1"], ["EXEC", "extra"], ["EXEC"], ["EXISTS", "r"]]);
  });

  it("commands flagged no-multi are refused inside MULTI", async () => {
    await script(a, [["MULTI"], ["SHUTDOWN"], ["PING"], ["EXEC"]]);
  });

  it("QUIT-less RESET inside MULTI leaves the transaction", async () => {
    await script(a, [["MULTI"], ["SET", "x", "1"], ["RESET"], ["EXEC"], ["EXISTS", "x"]]);
  });

  it("SELECT inside a transaction changes the database for what follows", async () => {
    await script(a, [
      ["MULTI"],
      ["SET", "s", "db0"],
      ["SELECT", "5"],
      ["SET", "s", "db5"],
      ["SELECT", "99"],
      ["EXEC"],
      ["GET", "s"],
      ["SELECT", "0"],
      ["GET", "s"],
    ]);
  });

  it("WATCH: a key touched by another client fails EXEC with a null reply", async () => {
    await a.same("SET", "w", "1");
    await script(a, [["WATCH", "w"]]);
    await b.same("INCR", "w");
    await script(a, [["MULTI"], ["SET", "w", "mine"], ["EXEC"], ["GET", "w"]]);
  });

  it("WATCH: the client's own write before MULTI also counts; UNWATCH forgets", async () => {
    await script(a, [
      ["WATCH", "w"],
      ["SET", "w", "self"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
      ["WATCH", "w"],
      ["SET", "w", "again"],
      ["UNWATCH"],
      ["MULTI"],
      ["PING"],
      ["EXEC"],
    ]);
  });

  it("WATCH: untouched keys, keys in other databases, no-op writes leave EXEC alone", async () => {
    await a.same("MSET", "k1", "1", "k2", "2");
    await script(a, [["WATCH", "k1", "k2", "missing"]]);
    await b.same("SELECT", "1");
    await b.same("SET", "k1", "other-db");
    await b.same("SELECT", "0");
    await b.same("DEL", "missing");
    await b.same("GET", "k1");
    await script(a, [["MULTI"], ["GET", "k1"], ["EXEC"]]);
  });

  it("WATCH: one of several keys touched, and a key created after WATCH", async () => {
    await script(a, [["WATCH", "x1", "x2", "x3"]]);
    await b.same("SET", "x2", "new");
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
  });

  it("WATCH ends with EXEC or DISCARD: the next transaction is not affected", async () => {
    await script(a, [["WATCH", "z"], ["MULTI"], ["EXEC"]]);
    await b.same("SET", "z", "1");
    await script(a, [["MULTI"], ["PING"], ["EXEC"], ["WATCH", "z"], ["MULTI"], ["DISCARD"]]);
    await b.same("SET", "z", "2");
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
  });

  it("WATCH after a touch is pointless until UNWATCH: EXEC still fails", async () => {
    await script(a, [["WATCH", "t"]]);
    await b.same("SET", "t", "1");
    await script(a, [["WATCH", "u"], ["MULTI"], ["PING"], ["EXEC"]]);
  });

  it("FLUSHALL and FLUSHDB fail the EXEC of clients watching a key that existed", async () => {
    await a.same("SET", "f", "1");
    await script(a, [["WATCH", "f"]]);
    await b.same("FLUSHDB");
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
    await a.same("SET", "f", "1");
    await script(a, [["WATCH", "f"]]);
    await b.same("FLUSHALL");
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
  });

  it("FLUSHALL and SWAPDB leave alone watchers of keys that exist in neither database", async () => {
    await script(a, [["WATCH", "absent"]]);
    await b.same("FLUSHALL");
    await script(a, [["MULTI"], ["PING"], ["EXEC"], ["WATCH", "absent"]]);
    await b.same("SWAPDB", "0", "1");
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
    // A key that exists only in the other database arrives with the swap: a change.
    await b.same("SELECT", "1");
    await b.same("SET", "incoming", "x");
    await b.same("SELECT", "0");
    await script(a, [["WATCH", "incoming"]]);
    await b.same("SWAPDB", "0", "1");
    await script(a, [["MULTI"], ["PING"], ["EXEC"], ["FLUSHALL"]]);
  });

  it("WATCH and expiry: a key that expires after WATCH fails EXEC", async () => {
    await script(a, [
      ["SET", "ttl", "v", "PX", "50"],
      ["WATCH", "ttl"],
    ]);
    await sleep(120);
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
  });

  it("WATCH and expiry: a key already expired when WATCHed is no change when it goes, a change when set again", async () => {
    await script(a, [["SET", "gone", "v", "PX", "1"]]);
    await sleep(20);
    await script(a, [["WATCH", "gone"]]);
    await b.same("GET", "gone");
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
    await script(a, [["SET", "gone2", "v", "PX", "1"]]);
    await sleep(20);
    await script(a, [["WATCH", "gone2"]]);
    await b.same("SET", "gone2", "back");
    await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
  });

  it("RESP3: null elements inside EXEC and the null reply of a failed WATCH", async () => {
    await Promise.all([a.redish.call("HELLO", "3"), a.redis.call("HELLO", "3")]);
    try {
      await script(a, [["MULTI"], ["GET", "nosuch"], ["SADD", "s", "m"], ["SMEMBERS", "s"], ["EXEC"], ["WATCH", "s"]]);
      await b.same("SADD", "s", "n");
      await script(a, [["MULTI"], ["PING"], ["EXEC"]]);
    } finally {
      await Promise.all([a.redish.call("HELLO", "2"), a.redis.call("HELLO", "2")]);
    }
  });

  it("CLIENT REPLY OFF inside a transaction silences the rest of EXEC's replies", async () => {
    await script(a, [["MULTI"], ["SET", "o", "1"], ["CLIENT", "REPLY", "OFF"], ["GET", "o"], ["PING"]]);
    // EXEC's header still counts four replies; only SET's was sent. The
    // replies that follow REPLY ON fill the remaining places, so reading
    // them as one array compares the whole byte stream.
    a.send("EXEC");
    a.send("CLIENT", "REPLY", "ON");
    a.send("PING");
    a.send("PING");
    await a.sameReply();
    await script(a, [["GET", "o"]]);
  });

  it("over maxmemory every queued command is refused, EXEC aborts; DISCARD and EXEC of nothing pass", async () => {
    await a.same("SET", "m", "1");
    await a.same("CONFIG", "SET", "maxmemory", "1");
    try {
      await script(a, [["MULTI"], ["GET", "m"], ["EXEC"], ["MULTI"], ["DISCARD"], ["MULTI"], ["EXEC"]]);
    } finally {
      await a.same("CONFIG", "SET", "maxmemory", "0");
    }
  });
});
