// What a transaction propagates (to the AOF and replicas): Redis 7.0 wraps
// the effects of an EXEC in MULTI/EXEC when there is more than one, sends a
// single effect bare, and never propagates EXEC itself.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RawClient } from "../helpers/resp";
import { startRedish } from "../helpers/servers";

describe("transaction propagation", () => {
  let srv: Awaited<ReturnType<typeof startRedish>>;
  let c: RawClient;
  let log: string[];
  let stop: () => void;
  beforeAll(async () => {
    srv = await startRedish();
    c = await RawClient.connect(srv.port);
    const dec = new TextDecoder();
    stop = srv.running.server.onPropagate((db, args) => log.push(`${db}:${args.map((a) => dec.decode(a)).join(" ")}`));
  });
  afterAll(async () => {
    stop?.();
    c?.close();
    await srv?.stop();
  });
  beforeEach(() => {
    log = [];
  });

  async function run(...cmds: string[][]): Promise<void> {
    for (const cmd of cmds) await c.call(...cmd);
  }

  it("two writes are wrapped in MULTI/EXEC", async () => {
    await run(["MULTI"], ["SET", "a", "1"], ["GET", "a"], ["INCR", "a"], ["EXEC"]);
    expect(log).toEqual(["0:MULTI", "0:SET a 1", "0:INCR a", "0:EXEC"]);
  });

  it("a single write goes alone; reads and failed writes add nothing", async () => {
    await run(["SET", "s", "x"]);
    log = [];
    await run(["MULTI"], ["GET", "a"], ["INCR", "s"], ["SET", "b", "2"], ["EXEC"]);
    expect(log).toEqual(["0:SET b 2"]);
  });

  it("a transaction without writes, a discarded one and an aborted one propagate nothing", async () => {
    await run(["MULTI"], ["GET", "a"], ["EXEC"]);
    await run(["MULTI"], ["SET", "x", "1"], ["DISCARD"]);
    await run(["MULTI"], ["SET", "x", "1"], ["NOSUCH"], ["EXEC"]);
    await run(["WATCH", "w"], ["SET", "w", "1"]);
    log = [];
    await run(["MULTI"], ["SET", "x", "1"], ["EXEC"]);
    expect(log).toEqual([]);
  });

  it("each write keeps its database; EXEC goes with the last one's", async () => {
    await run(["MULTI"], ["SET", "d", "0"], ["SELECT", "2"], ["SET", "d", "2"], ["EXEC"], ["SELECT", "0"]);
    expect(log).toEqual(["0:MULTI", "0:SET d 0", "2:SET d 2", "2:EXEC"]);
  });

  it("outside a transaction nothing is wrapped", async () => {
    await run(["SET", "p", "1"], ["SET", "q", "2"]);
    expect(log).toEqual(["0:SET p 1", "0:SET q 2"]);
  });
});
