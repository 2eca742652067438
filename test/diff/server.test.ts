import { expect, it } from "vitest";
import { describeDiff } from "../helpers/diff";

describeDiff(
  "server commands against redis-server",
  (pair) => {
    it("COMMAND INFO, COUNT-independent replies and GETKEYS errors match", async () => {
      const p = pair();
      await p.run([
        ["COMMAND", "INFO", "get", "set", "nosuch", "", "config|", "get|x", "GET", "config|get", "CONFIG|SET"],
        ["COMMAND", "DOCS", "get", "nosuch", "mset"],
        ["COMMAND", "HELP"],
        ["COMMAND", "FOO"],
        ["COMMAND", "COUNT", "x"],
        ["COMMAND", "GETKEYS"],
        ["COMMAND", "GETKEYS", "get", "a"],
        ["COMMAND", "GETKEYS", "nosuch", "a"],
        ["COMMAND", "GETKEYS", "ping", "a"],
        ["COMMAND", "GETKEYS", "get", "a", "b"],
        ["COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"],
        ["COMMAND", "GETKEYS", "mset", "a", "1", "b"],
        ["COMMAND", "GETKEYS", "del", "a", "b", "c"],
        ["COMMAND", "GETKEYS", "config", "get", "x"],
        ["COMMAND", "GETKEYS", "config", "nosuch", "x"],
        ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "GET"],
        ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "EX", "10"],
        ["COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"],
        ["COMMAND", "GETKEYSANDFLAGS", "getdel", "k"],
        ["COMMAND", "LIST", "FILTERBY"],
        ["COMMAND", "LIST", "FILTERBY", "nosuch", "x"],
        ["COMMAND", "LIST", "FILTERBY", "MODULE", "x"],
        ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcat"],
        ["COMMAND", "LIST", "FILTERBY", "PATTERN", "getse?"],
        ["COMMAND", "LIST", "FILTERBY", "PATTERN", "GETDE*"],
        ["COMMAND", "LIST", "extra"],
      ]);
    });

    it("COMMAND INFO and DOCS in RESP3", async () => {
      const p = pair();
      // HELLO replies carry each server's client id, so only what follows is compared.
      await Promise.all([p.redish.call("HELLO", "3"), p.redis.call("HELLO", "3")]);
      await p.run([
        ["COMMAND", "INFO", "get", "nosuch", "set", "config|set"],
        ["COMMAND", "DOCS", "get", "incr"],
        ["COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "GET"],
        ["CONFIG", "GET", "maxmemory"],
        ["INFO", "nosuch"],
      ]);
      await Promise.all([p.redish.call("HELLO", "2"), p.redis.call("HELLO", "2")]);
    });

    it("CONFIG SET errors, atomicity and formats", async () => {
      const p = pair();
      await p.run([
        ["CONFIG"],
        ["CONFIG", "FOO"],
        ["CONFIG", "HELP"],
        ["CONFIG", "SET", "hz"],
        ["CONFIG", "SET", "hz", "10", "maxmemory"],
        ["CONFIG", "SET", "nosuch", "1"],
        ["CONFIG", "SET", "hz", "10", "nosuch", "1", "databases", "3"],
        ["CONFIG", "SET", "databases", "3", "nosuch", "1"],
        ["CONFIG", "SET", "databases", "3"],
        ["CONFIG", "SET", "dir", "/tmp"],
        ["CONFIG", "SET", "dbfilename", "x.rdb"],
        ["CONFIG", "SET", "hz", "11", "hz", "12"],
        ["CONFIG", "SET", "hz", "abc"],
        ["CONFIG", "SET", "hz", "-1"],
        ["CONFIG", "SET", "hz", "01"],
        ["CONFIG", "SET", "hz", "+1"],
        ["CONFIG", "SET", "timeout", "99999999999"],
        ["CONFIG", "SET", "maxmemory", "1.5gb"],
        ["CONFIG", "SET", "maxmemory", "-1"],
        ["CONFIG", "SET", "maxmemory", "0x10"],
        ["CONFIG", "SET", "hz", "15", "maxmemory", "bad"],
        ["CONFIG", "GET", "hz"],
        ["CONFIG", "SET", "maxmemory", "2GB", "hz", "15"],
        ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "GET", "hz"],
        ["CONFIG", "SET", "maxmemory", "1kb"],
        ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "0"],
        ["CONFIG", "SET", "appendfsync", "sometimes"],
        ["CONFIG", "SET", "appendfsync", "EVERYSEC"],
        ["CONFIG", "GET", "appendfsync"],
        ["CONFIG", "SET", "activerehashing", "maybe"],
        ["CONFIG", "SET", "activerehashing", "YES"],
        ["CONFIG", "GET", "activerehashing"],
        ["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"],
        ["CONFIG", "GET", "maxmemory-policy"],
        ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
        ["CONFIG", "SET", "loglevel", "loud"],
        ["CONFIG", "SET", "save", "1"],
        ["CONFIG", "SET", "save", "0 1"],
        ["CONFIG", "SET", "save", "3600 1 300 100"],
        ["CONFIG", "GET", "save"],
        ["CONFIG", "SET", "save", ""],
        ["CONFIG", "GET", "save"],
        ["CONFIG", "SET", "notify-keyspace-events", "X"],
        ["CONFIG", "SET", "notify-keyspace-events", "KEA"],
        ["CONFIG", "GET", "notify-keyspace-events"],
        ["CONFIG", "SET", "notify-keyspace-events", "Ex$"],
        ["CONFIG", "GET", "notify-keyspace-events"],
        ["CONFIG", "SET", "notify-keyspace-events", ""],
        ["CONFIG", "SET", "maxmemory-clients", "10%"],
        ["CONFIG", "GET", "maxmemory-clients"],
        ["CONFIG", "SET", "maxmemory-clients", "200%"],
        ["CONFIG", "SET", "maxmemory-clients", "-1"],
        ["CONFIG", "SET", "maxmemory-clients", "0"],
        ["CONFIG", "SET", "proto-max-bulk-len", "10"],
        ["CONFIG", "SET", "slowlog-log-slower-than", "-2"],
        ["CONFIG", "SET", "maxclients", "0"],
        ["CONFIG", "SET", "list-max-listpack-size", "x"],
        ["CONFIG", "SET", "slave-priority", "x"],
        ["CONFIG", "SET", "replica-priority", "x"],
        ["CONFIG", "SET", "slave-priority", "50"],
        ["CONFIG", "GET", "slave-priority"],
        ["CONFIG", "GET", "replica-priority"],
        ["CONFIG", "SET", "replica-priority", "100"],
        ["CONFIG", "SET", "client-output-buffer-limit", "foo"],
        ["CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"],
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 2 3"],
        ["CONFIG", "GET", "client-output-buffer-limit"],
        ["CONFIG", "SET", "oom-score-adj-values", "1"],
        ["CONFIG", "SET", "proc-title-template", "{title} {x}"],
        ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 101"],
        ["CONFIG", "SET", "latency-tracking-info-percentiles", "50 x"],
        ["CONFIG", "GET", "nosuch"],
        ["CONFIG", "GET", "MAXMEMORY"],
        ["CONFIG", "GET", "maxmemory", "MAXMEMORY"],
        ["CONFIG", "GET", "hash-max-ziplist-entries"],
        ["CONFIG", "GET", "set-max-intset-entries"],
        ["CONFIG", "GET", "databases"],
        ["CONFIG", "RESETSTAT", "x"],
        ["CONFIG", "RESETSTAT"],
        ["CONFIG", "REWRITE"],
      ]);
    });

    it("CONFIG GET * lists the same parameters and defaults", async () => {
      const p = pair();
      const parse = (s: string) => {
        const lines = s.split("\r\n").slice(1, -1);
        const out = new Map<string, string>();
        for (let i = 0; i < lines.length; i += 4) out.set(lines[i + 1], lines[i + 3]);
        return out;
      };
      const a = parse(await p.redish.call("CONFIG", "GET", "*"));
      const b = parse(await p.redis.call("CONFIG", "GET", "*"));
      for (const k of ["dir", "port", "enable-debug-command"]) {
        a.delete(k);
        b.delete(k);
      }
      expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
      const pa = parse(await p.redish.call("CONFIG", "GET", "*max-*-entries*", "maxmemory"));
      const pb = parse(await p.redis.call("CONFIG", "GET", "*max-*-entries*", "maxmemory"));
      expect([...pa.entries()].sort()).toEqual([...pb.entries()].sort());
    });

    it("DBSIZE, LASTSAVE type, SLOWLOG and DEBUG replies", async () => {
      const p = pair();
      await p.run([
        ["FLUSHALL"],
        ["DBSIZE"],
        ["SET", "a", "1"],
        ["SET", "b", "hello"],
        ["DBSIZE"],
        ["DBSIZE", "x"],
        ["SLOWLOG", "HELP"],
        ["SLOWLOG", "GET", "abc"],
        ["SLOWLOG", "GET", "-2"],
        ["SLOWLOG", "GET", "1", "2"],
        ["SLOWLOG", "FOO"],
        ["SLOWLOG", "RESET"],
        ["SLOWLOG", "LEN"],
        ["SLOWLOG", "GET"],
        ["DEBUG", "HELP"],
        ["DEBUG", "FOO"],
        ["DEBUG", "OBJECT"],
        ["DEBUG", "OBJECT", "nosuch"],
        ["DEBUG", "SLEEP", "0"],
        ["DEBUG", "SLEEP", "x"],
        ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
        ["SHUTDOWN", "FOO"],
        ["SHUTDOWN", "SAVE", "NOSAVE"],
        ["SHUTDOWN", "ABORT", "NOW"],
        ["SHUTDOWN", "ABORT"],
        ["TIME", "x"],
        ["LASTSAVE", "x"],
        ["MONITOR", "x"],
      ]);
    });

    it("DEBUG OBJECT prints Redis's fields for strings", async () => {
      const p = pair();
      const values = ["1", "123456", "hello", "a".repeat(60), "ab".repeat(40), "12345678901234567890", "-5"];
      for (const v of values) {
        await p.same("SET", "k", v);
        const strip = (s: string) =>
          s.replace(/Value at:0x[0-9a-f]+ /, "").replace(/ lru:\d+ lru_seconds_idle:\d+/, "");
        const [x, y] = await Promise.all([p.redish.call("DEBUG", "OBJECT", "k"), p.redis.call("DEBUG", "OBJECT", "k")]);
        expect(strip(x), v).toBe(strip(y));
      }
    });

    it("INFO sections: headers, order and unknown sections", async () => {
      const p = pair();
      const headers = (s: string) => s.split("\r\n").filter((l) => l.startsWith("#"));
      for (const args of [
        [],
        ["default"],
        ["all"],
        ["everything"],
        ["server", "clients"],
        ["SERVER"],
        ["cpu", "cpu"],
      ]) {
        const [a, b] = await Promise.all([p.redish.call("INFO", ...args), p.redis.call("INFO", ...args)]);
        expect(headers(a), args.join(" ")).toEqual(headers(b).filter((h) => h !== "# Latencystats"));
      }
      await p.same("INFO", "nosuch");
      await p.run([["FLUSHALL"], ["SET", "x", "1"], ["SET", "y", "2", "EX", "100"], ["INFO", "keyspace"]]);
    });

    it("INFO field names match redis-server section by section", async () => {
      const p = pair();
      const fields = (s: string) =>
        s
          .split("\r\n")
          .filter((l) => l.includes(":") && !l.startsWith("$"))
          .map((l) => l.slice(0, l.indexOf(":")));
      for (const section of ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "cluster"]) {
        const [a, b] = await Promise.all([p.redish.call("INFO", section), p.redis.call("INFO", section)]);
        expect(fields(a), section).toEqual(fields(b));
      }
    });

    it("errorstats and commandstats count by error code and command", async () => {
      const p = pair();
      await p.run([
        ["CONFIG", "RESETSTAT"],
        ["SET", "s", "x"],
        ["INCR", "s"],
        ["NOSUCHCMD"],
        ["GET"],
        ["CONFIG", "SET", "hz", "x"],
      ]);
      await p.run([["INFO", "errorstats"]]);
      const strip = (s: string) => s.replace(/usec=\d+,usec_per_call=[\d.]+/g, "");
      const [a, b] = await Promise.all([p.redish.call("INFO", "commandstats"), p.redis.call("INFO", "commandstats")]);
      const lines = (s: string) => strip(s).split("\r\n").slice(1, -1).sort();
      expect(lines(a)).toEqual(lines(b));
    });
  },
  { redishArgs: [["enable-debug-command", "yes"]], redisArgs: ["--enable-debug-command", "yes"] },
);
