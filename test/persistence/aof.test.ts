import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runRedishExpectingExit, startRedishChild } from "../helpers/child";
import { RawClient } from "../helpers/resp";
import { hasRedis, skipNotice } from "../helpers/servers";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "redish-aof-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const AOF_ARGS = ["--appendonly", "yes", "--appendfsync", "always", "--save", ""];

/** A server that logged `SET kept 1` and was killed: its directory and incremental file. */
async function logOneWrite(): Promise<{ dir: string; incr: string }> {
  const dir = tempDir();
  const s = await startRedishChild(dir, AOF_ARGS);
  const c = await RawClient.connect(s.port);
  await c.call("SET", "kept", "1");
  c.close();
  await s.kill();
  return { dir, incr: join(dir, "appendonlydir", "appendonly.aof.1.incr.aof") };
}

describe("AOF", () => {
  it("creates the Redis 7 directory layout: manifest and an incremental file", async () => {
    const dir = tempDir();
    const s = await startRedishChild(dir, AOF_ARGS);
    const c = await RawClient.connect(s.port);
    expect(await c.call("SET", "k", "v")).toBe("+OK\r\n");
    c.close();
    await s.kill();
    expect(readdirSync(join(dir, "appendonlydir")).sort()).toEqual([
      "appendonly.aof.1.incr.aof",
      "appendonly.aof.manifest",
    ]);
    expect(readFileSync(join(dir, "appendonlydir", "appendonly.aof.manifest"), "utf8")).toBe(
      "file appendonly.aof.1.incr.aof seq 1 type i\n",
    );
    const log = readFileSync(join(dir, "appendonlydir", "appendonly.aof.1.incr.aof"), "latin1");
    expect(log).toBe("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
  });

  it("replays acknowledged writes after a SIGKILL, relative TTLs as absolute ones", async () => {
    const dir = tempDir();
    let s = await startRedishChild(dir, AOF_ARGS);
    let c = await RawClient.connect(s.port);
    await c.call("SET", "a", "1");
    await c.call("INCR", "a");
    await c.call("SET", "ttl", "x", "EX", "1000");
    await c.call("SELECT", "3");
    await c.call("SET", "in3", "yes");
    await c.call("DEL", "nothing");
    await c.call("APPEND", "in3", "!");
    c.close();
    await s.kill("SIGKILL");
    const log = readFileSync(join(dir, "appendonlydir", "appendonly.aof.1.incr.aof"), "latin1");
    expect(log).toContain("PXAT");
    s = await startRedishChild(dir, AOF_ARGS);
    c = await RawClient.connect(s.port);
    expect(await c.call("GET", "a")).toBe("$1\r\n2\r\n");
    const ttl = await c.call("TTL", "ttl");
    expect(Number(ttl.slice(1))).toBeGreaterThan(990);
    await c.call("SELECT", "3");
    expect(await c.call("GET", "in3")).toBe("$4\r\nyes!\r\n");
    c.close();
    await s.kill();
  });

  it("cuts a torn last command and loads the rest when aof-load-truncated is yes", async () => {
    const { dir, incr } = await logOneWrite();
    const good = statSync(incr).size;
    appendFileSync(incr, "*3\r\n$3\r\nSET\r\n$4\r\nlost\r\n$5\r\nabc");
    const s = await startRedishChild(dir, AOF_ARGS);
    expect(s.output()).toContain("Truncating the AOF");
    const c = await RawClient.connect(s.port);
    expect(await c.call("GET", "kept")).toBe("$1\r\n1\r\n");
    expect(await c.call("GET", "lost")).toBe("$-1\r\n");
    c.close();
    await s.kill();
    expect(statSync(incr).size).toBe(good);
  });

  it("refuses to start on a torn AOF when aof-load-truncated is no, leaving the file untouched", async () => {
    const { dir, incr } = await logOneWrite();
    appendFileSync(incr, "*3\r\n$3\r\nSET\r\n$4\r\nlost");
    const before = readFileSync(incr);
    const r = await runRedishExpectingExit(dir, [...AOF_ARGS, "--aof-load-truncated", "no"]);
    expect(r.code).toBe(1);
    expect(r.output).toContain("Unexpected end of file reading the append only file");
    expect(readFileSync(incr)).toEqual(before);
  });

  it("refuses to start on a corrupt AOF with Redis's message", async () => {
    const { dir, incr } = await logOneWrite();
    appendFileSync(incr, "garbage\r\n*1\r\n$4\r\nPING\r\n");
    const r = await runRedishExpectingExit(dir, AOF_ARGS);
    expect(r.code).toBe(1);
    expect(r.output).toContain("Bad file format reading the append only file");
  });

  it("drops a MULTI left open at the end of the log", async () => {
    const { dir, incr } = await logOneWrite();
    appendFileSync(incr, "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$1\r\n1\r\n");
    const s = await startRedishChild(dir, AOF_ARGS);
    const c = await RawClient.connect(s.port);
    expect(await c.call("GET", "half")).toBe("$-1\r\n");
    expect(await c.call("GET", "kept")).toBe("$1\r\n1\r\n");
    c.close();
    await s.kill();
  });

  it("does not create AOF files when appendonly is no", async () => {
    const dir = tempDir();
    const s = await startRedishChild(dir, ["--save", ""]);
    const c = await RawClient.connect(s.port);
    await c.call("SET", "k", "v");
    c.close();
    await s.kill();
    expect(existsSync(join(dir, "appendonlydir"))).toBe(false);
  });
});

skipNotice("AOF interop");
describe.skipIf(!hasRedis)("AOF interop with Redis's tools", () => {
  it("redis-check-aof accepts Redish's AOF directory", async () => {
    const dir = tempDir();
    const s = await startRedishChild(dir, AOF_ARGS);
    const c = await RawClient.connect(s.port);
    for (let i = 0; i < 100; i++) await c.call("SET", `key:${i}`, `value:${i}`);
    await c.call("SELECT", "2");
    await c.call("INCRBY", "counter", "5");
    c.close();
    await s.kill();
    const out = execFileSync("redis-check-aof", [join(dir, "appendonlydir", "appendonly.aof.manifest")], {
      encoding: "utf8",
    });
    expect(out).toContain("is valid");
  });

  it("a real redis-server loads Redish's AOF directory", async () => {
    const dir = tempDir();
    const s = await startRedishChild(dir, AOF_ARGS);
    const c = await RawClient.connect(s.port);
    await c.call("SET", "from", "redish");
    await c.call("SET", "ttl", "x", "PX", "100000");
    c.close();
    await s.kill();
    writeFileSync(join(dir, "redis.conf"), 'appendonly yes\nsave ""\n');
    const { startRedis } = await import("../helpers/servers");
    const r = await startRedis(["--appendonly", "yes", "--dir", dir]);
    const rc = await RawClient.connect(r.port);
    expect(await rc.call("GET", "from")).toBe("$6\r\nredish\r\n");
    expect(Number((await rc.call("PTTL", "ttl")).slice(1))).toBeGreaterThan(90000);
    rc.close();
    await r.stop();
  });
});

describe("AOF rewrite", () => {
  it("BGREWRITEAOF makes an RDB base and a fresh incremental file; a restart loads both", async () => {
    const dir = tempDir();
    let s = await startRedishChild(dir, AOF_ARGS);
    let c = await RawClient.connect(s.port);
    for (let i = 0; i < 50; i++) await c.call("SET", `before:${i}`, `${i}`);
    expect(await c.call("BGREWRITEAOF")).toBe("+Background append only file rewriting started\r\n");
    await c.call("SET", "after", "rewrite");
    for (let i = 0; i < 100; i++) {
      const info = await c.call("INFO", "persistence");
      if (
        info.includes("aof_rewrite_in_progress:0") &&
        readdirSync(join(dir, "appendonlydir")).some((f) => f.endsWith(".base.rdb"))
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const files = readdirSync(join(dir, "appendonlydir")).sort();
    expect(files).toContain("appendonly.aof.1.base.rdb");
    expect(files).toContain("appendonly.aof.2.incr.aof");
    expect(files).not.toContain("appendonly.aof.1.incr.aof");
    c.close();
    await s.kill();
    if (hasRedis) {
      const manifest = join(dir, "appendonlydir", "appendonly.aof.manifest");
      expect(execFileSync("redis-check-aof", [manifest], { encoding: "utf8" })).toContain("is valid");
    }
    s = await startRedishChild(dir, AOF_ARGS);
    c = await RawClient.connect(s.port);
    expect(await c.call("GET", "before:49")).toBe("$2\r\n49\r\n");
    expect(await c.call("GET", "after")).toBe("$7\r\nrewrite\r\n");
    expect(await c.call("DBSIZE")).toBe(":51\r\n");
    c.close();
    await s.kill();
  });

  it("CONFIG SET appendonly yes at runtime starts the log from a snapshot of the dataset", async () => {
    const dir = tempDir();
    let s = await startRedishChild(dir, ["--save", ""]);
    let c = await RawClient.connect(s.port);
    await c.call("SET", "existing", "1");
    expect(await c.call("CONFIG", "SET", "appendonly", "yes")).toBe("+OK\r\n");
    await c.call("SET", "later", "2");
    for (let i = 0; i < 100; i++) {
      if ((await c.call("INFO", "persistence")).includes("aof_rewrite_in_progress:0")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    c.close();
    await s.kill("SIGTERM");
    s = await startRedishChild(dir, AOF_ARGS);
    c = await RawClient.connect(s.port);
    expect(await c.call("GET", "existing")).toBe("$1\r\n1\r\n");
    expect(await c.call("GET", "later")).toBe("$1\r\n2\r\n");
    c.close();
    await s.kill();
  });
});
