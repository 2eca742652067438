import { expect, it } from "vitest";
import { describeDiff } from "../helpers/diff";

describeDiff("CLIENT subcommands against redis-server", (pair) => {
  it("HELP lists Redis's lines; unknown subcommands and arities are refused alike", async () => {
    await pair().run([
      ["CLIENT", "HELP"],
      ["CLIENT", "help"],
      ["CLIENT", "HELP", "x"],
      ["CLIENT"],
      ["CLIENT", "NOSUCH"],
      ["CLIENT", "ID", "x"],
      ["CLIENT", "INFO", "x"],
      ["CLIENT", "GETNAME", "x"],
      ["CLIENT", "SETNAME"],
      ["CLIENT", "KILL"],
      ["CLIENT", "PAUSE"],
      ["CLIENT", "PAUSE", "10", "WRITE", "x"],
      ["CLIENT", "UNBLOCK", "1", "TIMEOUT", "x"],
      ["CLIENT", "REPLY"],
      ["CLIENT", "NO-EVICT"],
    ]);
  });

  it("SETNAME and GETNAME: empty name clears it, spaces and control bytes are refused", async () => {
    await pair().run([
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "conn-1"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "a b"],
      ["CLIENT", "SETNAME", "a\nb"],
      ["CLIENT", "SETNAME", new Uint8Array([0x61, 0x7f])],
      ["CLIENT", "SETNAME", new Uint8Array([0x61, 0xc3, 0xa9])],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", ""],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", "~!@#$%^&*()_+{}|:<>?"],
      ["CLIENT", "GETNAME"],
      ["CLIENT", "SETNAME", ""],
    ]);
  });

  it("LIST and KILL argument errors", async () => {
    await pair().run([
      ["CLIENT", "LIST", "TYPE"],
      ["CLIENT", "LIST", "TYPE", "nosuch"],
      ["CLIENT", "LIST", "TYPE", "normal", "x"],
      ["CLIENT", "LIST", "ID"],
      ["CLIENT", "LIST", "ID", "abc"],
      ["CLIENT", "LIST", "ID", "99999", "abc"],
      ["CLIENT", "LIST", "ID", "99999", "-1", "0"],
      ["CLIENT", "LIST", "TYPE", "master"],
      ["CLIENT", "LIST", "TYPE", "replica"],
      ["CLIENT", "LIST", "TYPE", "slave"],
      ["CLIENT", "LIST", "TYPE", "pubsub"],
      ["CLIENT", "LIST", "nosuch"],
      ["CLIENT", "KILL", "1.2.3.4:5"],
      ["CLIENT", "KILL", "ADDR"],
      ["CLIENT", "KILL", "ID", "0"],
      ["CLIENT", "KILL", "ID", "-3"],
      ["CLIENT", "KILL", "ID", "abc"],
      ["CLIENT", "KILL", "ID", "9223372036854775808"],
      ["CLIENT", "KILL", "ID", "9223372036854775807"],
      ["CLIENT", "KILL", "ID", "99999"],
      ["CLIENT", "KILL", "TYPE", "nosuch"],
      ["CLIENT", "KILL", "TYPE", "master"],
      ["CLIENT", "KILL", "TYPE", "NORMAL", "SKIPME", "maybe"],
      ["CLIENT", "KILL", "USER", "nosuch"],
      ["CLIENT", "KILL", "USER", "DEFAULT"],
      ["CLIENT", "KILL", "USER", "default"],
      ["CLIENT", "KILL", "ADDR", "1.2.3.4:5", "LADDR", "1.2.3.4:6"],
      ["CLIENT", "KILL", "ADDR", "1.2.3.4:5", "FOO"],
      ["CLIENT", "KILL", "FOO", "bar"],
      ["CLIENT", "KILL", "TYPE", "nosuch", "ID"],
      ["CLIENT", "KILL", "ID", "5", "TYPE"],
    ]);
  });

  it("REPLY and NO-EVICT options", async () => {
    await pair().run([
      ["CLIENT", "REPLY", "maybe"],
      ["CLIENT", "REPLY", "ON"],
      ["CLIENT", "NO-EVICT", "maybe"],
      ["CLIENT", "NO-EVICT", "on"],
      ["CLIENT", "NO-EVICT", "OFF"],
    ]);
  });

  it("REPLY OFF and SKIP silence replies; ON brings them back", async () => {
    const p = pair();
    for (const c of [p.redish, p.redis]) {
      c.writeRaw(
        "CLIENT REPLY SKIP\r\nSET a 1\r\nGET a\r\nCLIENT REPLY OFF\r\nSET b 2\r\nPING\r\nCLIENT REPLY SKIP\r\n",
      );
      c.writeRaw("GET b\r\nCLIENT REPLY ON\r\nGET b\r\n");
    }
    for (let i = 0; i < 3; i++) {
      const [x, y] = await Promise.all([p.redish.readReply(), p.redis.readReply()]);
      expect(x.toString("latin1")).toBe(y.toString("latin1"));
    }
    await p.run([["PING"]]);
  });

  it("PAUSE and UNPAUSE argument errors", async () => {
    await pair().run([
      ["CLIENT", "PAUSE", "abc"],
      ["CLIENT", "PAUSE", "1.5"],
      ["CLIENT", "PAUSE", "-1"],
      ["CLIENT", "PAUSE", "99999999999999999999"],
      ["CLIENT", "PAUSE", "10", "sometimes"],
      ["CLIENT", "PAUSE", "abc", "sometimes"],
      ["CLIENT", "PAUSE", "0"],
      ["CLIENT", "PAUSE", "0", "write"],
      ["CLIENT", "UNPAUSE"],
      ["PING"],
    ]);
  });

  it("UNBLOCK of a client that is not blocked; tracking is off", async () => {
    await pair().run([
      ["CLIENT", "UNBLOCK", "abc"],
      ["CLIENT", "UNBLOCK", "99999"],
      ["CLIENT", "UNBLOCK", "99999", "error"],
      ["CLIENT", "UNBLOCK", "99999", "later"],
      ["CLIENT", "GETREDIR"],
      ["CLIENT", "TRACKINGINFO"],
      ["CLIENT", "CACHING", "yes"],
      ["CLIENT", "CACHING", "no"],
    ]);
  });

  it("RESP3: GETNAME null, TRACKINGINFO map and set", async () => {
    const p = pair();
    await Promise.all([p.redish.call("HELLO", "3"), p.redis.call("HELLO", "3")]);
    await p.run([
      ["CLIENT", "GETNAME"],
      ["CLIENT", "TRACKINGINFO"],
      ["CLIENT", "HELP"],
    ]);
    await Promise.all([p.redish.call("HELLO", "2"), p.redis.call("HELLO", "2")]);
  });
});
