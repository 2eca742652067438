// SAVE, BGSAVE, LASTSAVE, save points, DEBUG RELOAD, SHUTDOWN and FLUSHALL
// saves, INFO persistence, and what happens to the dump when saving fails.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { logger } from "../../src/server/log";
import { type RunningServer, startServer } from "../../src/server/main";
import { hasRedis } from "../helpers/servers";
import { Conn, diffWalks, pseudoRandomBytes, walk } from "./dataset";
import { checkRdb, infoField, removeDir, startRedisIn, tempDir, waitBgsave } from "./rdb-helpers";

let logLines: string[] = [];

beforeEach(() => {
  logLines = [];
});

/** Redish in dir, its log captured into logLines. */
async function startLogged(dir: string, directives: string[][] = []): Promise<RunningServer> {
  logger.sink = (line) => {
    logLines.push(line);
  };
  return startServer({
    directives: [
      ["port", "0"],
      ["bind", "127.0.0.1"],
      ["save", ""],
      ["dir", dir],
      ["enable-debug-command", "yes"],
      ...directives,
    ],
  });
}

async function redishIn(dir: string, directives: string[][] = []) {
  const running = await startLogged(dir, directives);
  const c = await Conn.open(running.port);
  return { s: { port: running.port, stop: () => running.close() }, c };
}

function logged(text: string): boolean {
  return logLines.some((l) => l.includes(text));
}

async function until(cond: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("condition not reached in time");
}

describe("SAVE and BGSAVE", () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  it("SAVE writes the dump, resets the change count and moves LASTSAVE", async () => {
    dir = tempDir("rdb-save");
    const { s, c } = await redishIn(dir);
    await c.cmd("SET", "a", "1");
    await c.cmd("SET", "b", "2");
    let info = (await c.cmd("INFO", "persistence")) as string;
    expect(infoField(info, "rdb_changes_since_last_save")).toBe("2");
    const before = (await c.cmd("LASTSAVE")) as number;
    expect(await c.cmd("SAVE")).toBe("OK");
    info = (await c.cmd("INFO", "persistence")) as string;
    expect(infoField(info, "rdb_changes_since_last_save")).toBe("0");
    expect(infoField(info, "rdb_saves")).toBe("1");
    expect(infoField(info, "rdb_last_bgsave_status")).toBe("ok");
    expect((await c.cmd("LASTSAVE")) as number).toBeGreaterThanOrEqual(before);
    expect(logged("DB saved on disk")).toBe(true);
    expect(readdirSync(dir)).toEqual(["dump.rdb"]);
    c.close();
    await s.stop();
  });

  it("BGSAVE answers at once; a second BGSAVE or a SAVE meanwhile is refused like Redis", async () => {
    dir = tempDir("rdb-bgsave");
    const { s, c } = await redishIn(dir);
    await c.cmd("SET", "k", "v");
    // One batch: the worker's completion can only be seen after it.
    c.raw.writeRaw("BGSAVE\r\nBGSAVE\r\nSAVE\r\nBGSAVE SCHEDULE\r\nBGSAVE NOW\r\n");
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push((await c.raw.readReply()).toString("latin1"));
    expect(replies).toEqual([
      "+Background saving started\r\n",
      "-ERR Background save already in progress\r\n",
      "-ERR Background save already in progress\r\n",
      "-ERR Background save already in progress\r\n",
      "-ERR syntax error\r\n",
    ]);
    const info = await waitBgsave(c);
    expect(infoField(info, "rdb_last_bgsave_status")).toBe("ok");
    expect(infoField(info, "rdb_saves")).toBe("1");
    expect(Number(infoField(info, "rdb_last_bgsave_time_sec"))).toBeGreaterThanOrEqual(0);
    expect(logged("Background saving started")).toBe(true);
    expect(logged("Background saving terminated with success")).toBe(true);
    expect(checkRdb(join(dir, "dump.rdb")).output).toContain("1 keys read");
    expect(readdirSync(dir)).toEqual(["dump.rdb"]);
    c.close();
    await s.stop();
  });

  it.skipIf(!hasRedis)("BGSAVE during an AOF rewrite is refused, or scheduled with SCHEDULE, as in Redis", async () => {
    dir = tempDir("rdb-bgsave-aof");
    const refDir = tempDir("rdb-bgsave-aof-ref");
    const { s, c } = await redishIn(dir);
    const ref = await startRedisIn(refDir);
    const rc = await Conn.open(ref.port);
    try {
      const replies: string[][] = [];
      for (const conn of [c, rc]) {
        await conn.cmd("SET", "k", "v");
        conn.raw.writeRaw("BGREWRITEAOF\r\nBGSAVE\r\nBGSAVE SCHEDULE\r\n");
        const out = [];
        for (let i = 0; i < 3; i++) out.push((await conn.raw.readReply()).toString("latin1"));
        replies.push(out);
        await until(async () => infoField((await conn.cmd("INFO", "persistence")) as string, "rdb_saves") === "1");
        await waitBgsave(conn);
      }
      expect(replies[0]).toEqual(replies[1]);
      expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
    } finally {
      rc.close();
      c.close();
      await ref.stop();
      await s.stop();
      removeDir(refDir);
    }
  });

  it("writes made while a BGSAVE runs stay in memory, stay counted as changes, and are not in the file", async () => {
    dir = tempDir("rdb-bgsave-writes");
    const { s, c } = await redishIn(dir);
    await c.pipeline(Array.from({ length: 2000 }, (_, i) => ["SET", `before:${i}`, "x".repeat(50)]));
    c.raw.writeRaw("BGSAVE\r\nSET during v\r\nDEL before:0\r\n");
    for (let i = 0; i < 3; i++) await c.raw.readReply();
    const info = await waitBgsave(c);
    expect(infoField(info, "rdb_changes_since_last_save")).toBe("2");
    expect(await c.cmd("GET", "during")).toBe("v");
    c.close();
    await s.stop();
    const check = checkRdb(join(dir, "dump.rdb"));
    expect(check.output).toContain("2000 keys read");
    const again = await redishIn(dir);
    expect(await again.c.cmd("EXISTS", "during", "before:0", "before:1999")).toBe(2);
    expect(await again.c.cmd("GET", "during")).toBe(null);
    again.c.close();
    await again.s.stop();
  });

  it("clients are served while a BGSAVE of a large dataset runs", async () => {
    dir = tempDir("rdb-bgsave-serve");
    const { s, c } = await redishIn(dir);
    const cmds = [];
    for (let i = 0; i < 200_000; i++) cmds.push(["SET", `key:${String(i).padStart(10, "0")}`, "v".repeat(100)]);
    for (let i = 0; i < cmds.length; i += 20_000) await c.pipeline(cmds.slice(i, i + 20_000));
    const other = await Conn.open(s.port);
    expect(await c.cmd("BGSAVE")).toBe("Background saving started");
    let servedDuringSave = 0;
    for (let i = 0; i < 10_000; i++) {
      expect(await other.cmd("PING")).toBe("PONG");
      const info = (await other.cmd("INFO", "persistence")) as string;
      if (infoField(info, "rdb_bgsave_in_progress") === "0") break;
      servedDuringSave++;
      expect(await other.cmd("SET", `live:${i}`, "1")).toBe("OK");
    }
    expect(servedDuringSave).toBeGreaterThan(0);
    await waitBgsave(c);
    expect(checkRdb(join(dir, "dump.rdb")).output).toContain("200000 keys read");
    other.close();
    c.close();
    await s.stop();
  });

  it("save points start a BGSAVE from the cron once enough changes are old enough", async () => {
    dir = tempDir("rdb-savepoints");
    const { s, c } = await redishIn(dir, [["save", "1 2"]]);
    await c.cmd("SET", "a", "1");
    await c.cmd("SET", "b", "2");
    await until(async () => infoField((await c.cmd("INFO", "persistence")) as string, "rdb_saves") === "1");
    await waitBgsave(c);
    expect(logged("2 changes in 1 seconds. Saving...")).toBe(true);
    expect(existsSync(join(dir, "dump.rdb"))).toBe(true);
    c.close();
    await s.stop();
  });
});

describe("loading at start-up", () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  it("a restarted server has the dataset, TTLs and all, and logs like Redis", async () => {
    dir = tempDir("rdb-restart");
    const first = await redishIn(dir);
    await first.c.cmd("SET", "k", "v");
    await first.c.cmd("SET", "ttl", "v", "EX", "1000");
    await first.c.cmd("SADD", "s", "1", "2");
    await first.c.cmd("SELECT", "5");
    await first.c.cmd("HSET", "h", "f", "v");
    const mine = await walk(first.c);
    expect(await first.c.cmd("SAVE")).toBe("OK");
    first.c.close();
    await first.s.stop();
    logLines = [];
    const second = await redishIn(dir);
    expect(diffWalks(mine, await walk(second.c))).toEqual([]);
    const info = (await second.c.cmd("INFO", "persistence")) as string;
    expect(infoField(info, "rdb_last_load_keys_loaded")).toBe("4");
    second.c.close();
    await second.s.stop();
  });

  it("keys that expired while the file sat on disk are dropped and counted", async () => {
    dir = tempDir("rdb-expired");
    const first = await redishIn(dir);
    await first.c.cmd("SET", "gone", "v", "PX", "100");
    await first.c.cmd("SET", "kept", "v");
    expect(await first.c.cmd("SAVE")).toBe("OK");
    first.c.close();
    await first.s.stop();
    await new Promise((r) => setTimeout(r, 150));
    const second = await redishIn(dir);
    const info = (await second.c.cmd("INFO", "persistence")) as string;
    expect(infoField(info, "rdb_last_load_keys_expired")).toBe("1");
    expect(infoField(info, "rdb_last_load_keys_loaded")).toBe("1");
    expect(await second.c.cmd("DBSIZE")).toBe(1);
    second.c.close();
    await second.s.stop();
  });
});

describe("DEBUG RELOAD, SHUTDOWN and FLUSHALL", () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  it("DEBUG RELOAD saves, empties and loads the dataset back", async () => {
    dir = tempDir("rdb-reload");
    const { s, c } = await redishIn(dir);
    await c.cmd("SET", "k", "v", "EX", "1000");
    await c.cmd("SADD", "s", "a", "b");
    const mine = await walk(c);
    expect(await c.cmd("DEBUG", "RELOAD")).toBe("OK");
    expect(diffWalks(mine, await walk(c))).toEqual([]);
    expect(logged("DB reloaded by DEBUG RELOAD")).toBe(true);
    expect(await c.cmd("DEBUG", "RELOAD", "BOGUS")).toBe(
      "ERROR ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
    );
    c.close();
    await s.stop();
  });

  it("DEBUG RELOAD NOSAVE without a dump empties the dataset and fails as Redis does", async () => {
    dir = tempDir("rdb-reload-missing");
    const { s, c } = await redishIn(dir);
    await c.cmd("SET", "k", "v");
    expect(await c.cmd("DEBUG", "RELOAD", "NOSAVE")).toBe("ERROR ERR Error trying to load the RDB dump");
    expect(await c.cmd("DBSIZE")).toBe(0);
    c.close();
    await s.stop();
  });

  it("DEBUG RELOAD NOSAVE NOFLUSH MERGE adds the dump's keys to the dataset", async () => {
    dir = tempDir("rdb-reload-merge");
    const { s, c } = await redishIn(dir);
    await c.cmd("SET", "k", "old");
    expect(await c.cmd("SAVE")).toBe("OK");
    await c.cmd("SET", "k", "new");
    await c.cmd("SET", "other", "x");
    expect(await c.cmd("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH")).toBe("ERROR ERR Error trying to load the RDB dump");
    expect(await c.cmd("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).toBe("OK");
    expect(await c.cmd("MGET", "k", "other")).toEqual(["old", "x"]);
    c.close();
    await s.stop();
  });

  it("SHUTDOWN saves when save points exist, NOSAVE does not, SAVE always does", async () => {
    dir = tempDir("rdb-shutdown");
    for (const [save, args, saved] of [
      ["3600 1", [], true],
      ["3600 1", ["NOSAVE"], false],
      ["", [], false],
      ["", ["SAVE"], true],
    ] as [string, string[], boolean][]) {
      removeDir(dir);
      mkdirSync(dir);
      const { s, c } = await redishIn(dir, [["save", save]]);
      await c.cmd("SET", "k", "v");
      c.raw.writeRaw(`SHUTDOWN ${args.join(" ")}\r\n`);
      await c.raw.readUntilClose();
      await s.stop();
      expect(existsSync(join(dir, "dump.rdb")), `save "${save}" SHUTDOWN ${args.join(" ")}`).toBe(saved);
    }
  });

  for (const save of ["3600 1", ""]) {
    it.skipIf(!hasRedis)(`FLUSHALL with save "${save}": the change count and saves match Redis`, async () => {
      dir = tempDir("rdb-flushall");
      const { s, c } = await redishIn(dir, [["save", save]]);
      const refDir = tempDir("rdb-flushall-ref");
      const ref = await startRedisIn(refDir, ["--save", save]);
      const rc = await Conn.open(ref.port);
      const counts: string[][] = [];
      try {
        for (const conn of [c, rc]) {
          await conn.cmd("SET", "a", "1");
          await conn.cmd("SET", "b", "1");
          expect(await conn.cmd("SAVE")).toBe("OK");
          await conn.cmd("SET", "c", "1");
          expect(await conn.cmd("FLUSHALL")).toBe("OK");
          expect(await conn.cmd("FLUSHALL")).toBe("OK");
          const info = (await conn.cmd("INFO", "persistence")) as string;
          counts.push([infoField(info, "rdb_changes_since_last_save"), infoField(info, "rdb_saves")]);
        }
        expect(counts[0]).toEqual(counts[1]);
        const keys = save === "" ? "2 keys read" : "0 keys read";
        expect(checkRdb(join(dir, "dump.rdb")).output).toContain(keys);
      } finally {
        rc.close();
        c.close();
        await ref.stop();
        await s.stop();
        removeDir(refDir);
      }
    });
  }
});

/** Mounts a small tmpfs on dir (needs root); false when it cannot. */
function mountTmpfs(dir: string, size: string): boolean {
  return spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]).status === 0;
}

function umount(dir: string): void {
  // An in-process server chdirs into its dir, which keeps the mount busy.
  process.chdir(tmpdir());
  spawnSync("umount", [dir]);
}

describe("failed saves never replace the previous dump", () => {
  let dir: string;
  afterEach(() => {
    umount(dir);
    removeDir(dir);
  });

  it("disk full: SAVE and BGSAVE fail, the temp file is removed, the old dump stays, INFO reports it", async (ctx) => {
    dir = tempDir("rdb-full");
    if (!mountTmpfs(dir, "256k")) return ctx.skip();
    const { s, c } = await redishIn(dir);
    try {
      await c.cmd("SET", "small", "v");
      expect(await c.cmd("SAVE")).toBe("OK");
      const old = readFileSync(join(dir, "dump.rdb"));
      await c.cmd("SET", "big", pseudoRandomBytes(600_000, 3));
      expect(await c.cmd("SAVE")).toBe("ERROR ERR");
      expect(logged("Write error saving DB on disk(rdbSaveRio): No space left on device")).toBe(true);
      expect(await c.cmd("BGSAVE")).toBe("Background saving started");
      const info = await waitBgsave(c);
      expect(infoField(info, "rdb_last_bgsave_status")).toBe("err");
      expect(logged("Background saving error")).toBe(true);
      expect(readFileSync(join(dir, "dump.rdb"))).toEqual(old);
      expect(readdirSync(dir)).toEqual(["dump.rdb"]);
    } finally {
      c.close();
      await s.stop();
    }
  });

  it("read-only directory: SAVE fails with Redis's message, SHUTDOWN refuses, SHUTDOWN FORCE goes", async (ctx) => {
    dir = tempDir("rdb-readonly");
    if (!mountTmpfs(dir, "1m")) return ctx.skip();
    const { s, c } = await redishIn(dir, [["save", "3600 1"]]);
    try {
      await c.cmd("SET", "k", "v");
      expect(await c.cmd("SAVE")).toBe("OK");
      const old = readFileSync(join(dir, "dump.rdb"));
      spawnSync("mount", ["-o", "remount,ro", dir]);
      await c.cmd("SET", "k2", "v");
      expect(await c.cmd("SAVE")).toBe("ERROR ERR");
      expect(logged("Failed opening the temp RDB file")).toBe(true);
      expect(logged("Read-only file system")).toBe(true);
      expect(await c.cmd("SHUTDOWN")).toBe("ERROR ERR Errors trying to SHUTDOWN. Check logs.");
      expect(logged("Error trying to save the DB, can't exit.")).toBe(true);
      expect(await c.cmd("PING")).toBe("PONG");
      c.raw.writeRaw("SHUTDOWN FORCE\r\n");
      await c.raw.readUntilClose();
      expect(logged("Error trying to save the DB. Exit anyway.")).toBe(true);
      expect(readFileSync(join(dir, "dump.rdb"))).toEqual(old);
    } finally {
      c.close();
      await s.stop();
    }
  });
});

describe.skipIf(!hasRedis)("writes refused after a failed BGSAVE (stop-writes-on-bgsave-error)", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) {
      umount(d);
      removeDir(d);
    }
  });

  it("MISCONF for writes and PING, not reads, until a save succeeds, byte for byte as Redis", async (ctx) => {
    const mine = tempDir("rdb-misconf");
    const theirs = tempDir("rdb-misconf-ref");
    dirs.push(mine, theirs);
    if (!mountTmpfs(mine, "1m") || !mountTmpfs(theirs, "1m")) return ctx.skip();
    const { s, c } = await redishIn(mine, [["save", "3600 1"]]);
    const ref = await startRedisIn(theirs, ["--save", "3600 1"]);
    const rc = await Conn.open(ref.port);
    try {
      for (const d of [mine, theirs]) spawnSync("mount", ["-o", "remount,ro", d]);
      const replies: string[][] = [];
      for (const conn of [c, rc]) {
        await conn.cmd("SET", "k", "v");
        await conn.cmd("BGSAVE");
        await waitBgsave(conn);
        const out = [];
        for (const cmd of [["SET", "k", "2"], ["PING"], ["GET", "k"], ["DEL", "k"]])
          out.push(await conn.raw.call(...cmd));
        await conn.cmd("CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
        out.push(await conn.raw.call("SET", "k", "3"));
        await conn.cmd("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
        out.push(await conn.raw.call("SET", "k", "4"));
        replies.push(out);
      }
      expect(replies[0]).toEqual(replies[1]);
      expect(replies[0][0]).toMatch(/^-MISCONF /);
      for (const d of [mine, theirs]) spawnSync("mount", ["-o", "remount,rw", d]);
      for (const conn of [c, rc]) {
        await conn.cmd("BGSAVE");
        await waitBgsave(conn);
        expect(await conn.cmd("SET", "k", "5")).toBe("OK");
      }
    } finally {
      rc.close();
      c.close();
      await ref.stop();
      await s.stop();
    }
  });
});

describe("bad dumps stop the start-up and are left untouched", () => {
  let dir: string;
  afterEach(() => removeDir(dir));

  async function goodDump(): Promise<Buffer> {
    const { s, c } = await redishIn(dir);
    await c.cmd("SET", "k", "v".repeat(100));
    await c.cmd("SADD", "s", "1", "2", "3");
    expect(await c.cmd("SAVE")).toBe("OK");
    c.close();
    await s.stop();
    return readFileSync(join(dir, "dump.rdb"));
  }

  const cases: [string, (b: Buffer) => Buffer, string][] = [
    ["empty file", () => Buffer.alloc(0), "Short read or OOM loading DB. Unrecoverable error, aborting now."],
    [
      "truncated file",
      (b) => b.subarray(0, b.length - 20),
      "Short read or OOM loading DB. Unrecoverable error, aborting now.",
    ],
    [
      "truncated checksum",
      (b) => b.subarray(0, b.length - 3),
      "Short read or OOM loading DB. Unrecoverable error, aborting now.",
    ],
    [
      "flipped byte",
      (b) => {
        // Inside the redis-ver aux value: still well-formed, so only the checksum can tell.
        const c = Buffer.from(b);
        c[22] ^= 0x01;
        return c;
      },
      "Wrong RDB checksum expected",
    ],
    [
      "wrong signature",
      (b) => Buffer.concat([Buffer.from("RODIS"), b.subarray(5)]),
      "Wrong signature trying to load DB from file",
    ],
    [
      "newer version",
      (b) => Buffer.concat([Buffer.from("REDIS0099"), b.subarray(9)]),
      "Can't handle RDB format version 99",
    ],
  ];

  for (const [name, corrupt, message] of cases) {
    it(name, async () => {
      dir = tempDir("rdb-bad");
      const bad = corrupt(await goodDump());
      writeFileSync(join(dir, "dump.rdb"), bad);
      logLines = [];
      await expect(startLogged(dir)).rejects.toThrow(/Fatal error loading the DB|Terminating server/);
      expect(logged(message)).toBe(true);
      expect(readFileSync(join(dir, "dump.rdb"))).toEqual(bad);
      if (hasRedis) {
        const r = spawnSync("redis-check-rdb", [join(dir, "dump.rdb")], { encoding: "utf8" });
        expect(r.status, "redis-check-rdb agrees the file is bad").not.toBe(0);
      }
    });
  }

  it("a dump saved with rdbchecksum no loads, with Redis's warning", async () => {
    dir = tempDir("rdb-nochecksum");
    const { s, c } = await redishIn(dir, [["rdbchecksum", "no"]]);
    await c.cmd("SET", "k", "v");
    expect(await c.cmd("SAVE")).toBe("OK");
    c.close();
    await s.stop();
    const again = await redishIn(dir);
    expect(await again.c.cmd("GET", "k")).toBe("v");
    again.c.close();
    await again.s.stop();
  });
});
