import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commandDocs,
  commandInfo,
  commandNames,
  commandSpec,
  commandSpecs,
  REDIS_VERSION,
  type Tagged,
  type TaggedWriter,
  writeTagged,
} from "../../src/commands/meta/meta";

/** A reply writer for tests: encodes RESP2 or RESP3 into a byte array. */
function respWriter(resp: 2 | 3): TaggedWriter & { bytes(): Uint8Array } {
  let out = "";
  const utf8 = new TextEncoder();
  const bulk = (s: string) => {
    out += `$${utf8.encode(s).length}\r\n${s}\r\n`;
  };
  return {
    arrayHeader: (n) => {
      out += `*${n}\r\n`;
    },
    mapHeader: (n) => {
      out += resp === 3 ? `%${n}\r\n` : `*${2 * n}\r\n`;
    },
    setHeader: (n) => {
      out += resp === 3 ? `~${n}\r\n` : `*${n}\r\n`;
    },
    bulkString: bulk,
    simple: (s) => {
      out += `+${s}\r\n`;
    },
    integer: (n) => {
      out += `:${n}\r\n`;
    },
    nil: () => {
      out += resp === 3 ? "_\r\n" : "$-1\r\n";
    },
    double: (s) => {
      if (resp === 3) out += `,${s}\r\n`;
      else bulk(s);
    },
    boolean: (b) => {
      out += resp === 3 ? `#${b ? "t" : "f"}\r\n` : `:${b ? 1 : 0}\r\n`;
    },
    bytes: () => utf8.encode(out),
  };
}

function encode(value: Tagged, resp: 2 | 3): string {
  const w = respWriter(resp);
  writeTagged(value, w);
  return Buffer.from(w.bytes()).toString("latin1");
}

describe("command metadata", () => {
  it("records the reference version", () => {
    expect(REDIS_VERSION).toMatch(/^7\.0\.\d+$/);
  });

  it("parses GET", () => {
    const get = commandSpec("get");
    expect(get).toBeDefined();
    expect(get?.name).toBe("get");
    expect(get?.arity).toBe(2);
    expect([...(get?.flags ?? [])].sort()).toEqual(["fast", "readonly"]);
    expect([get?.firstKey, get?.lastKey, get?.step]).toEqual([1, 1, 1]);
    expect(get?.aclCategories).toEqual(["read", "string", "fast"]);
    expect(get?.subcommands.size).toBe(0);
  });

  it("parses SET and is case-insensitive", () => {
    expect(commandSpec("SET")?.arity).toBe(-3);
    expect(commandSpec("set")?.flags.has("write")).toBe(true);
    expect(commandSpec("nosuchcommand")).toBeUndefined();
    expect(commandInfo("nosuchcommand")).toBeUndefined();
  });

  it("has CLIENT LIST as a subcommand", () => {
    const client = commandSpec("client");
    const list = client?.subcommands.get("list");
    expect(list?.name).toBe("client|list");
    expect(commandSpec("CLIENT|LIST")).toBe(list);
    expect(commandSpec("client|nosuch")).toBeUndefined();
    expect(commandSpecs().get("client")).toBe(client);
    expect(commandNames()).not.toContain("client|list");
    expect(commandNames({ subcommands: true })).toContain("client|list");

    const info = commandInfo("client|list");
    expect(Array.isArray(info) && info[0]).toBe("client|list");
    expect(commandDocs("client|list")).toMatchObject({
      "%": expect.arrayContaining([["group", "connection"]]),
    });
  });

  it("has docs for SET with a summary and arguments", () => {
    const docs = commandDocs("set");
    expect(docs).toMatchObject({ "%": expect.any(Array) });
    const fields = new Map((docs as { "%": [Tagged, Tagged][] })["%"]);
    expect(typeof fields.get("summary")).toBe("string");
    expect(Array.isArray(fields.get("arguments"))).toBe(true);
    expect(fields.get("group")).toBe("string");
  });

  it("maps every tagged type through the writer", () => {
    const value: Tagged = [
      "héllo",
      -7,
      null,
      { "+": "OK" },
      { "%": [["k", { "~": [1, 2] }]] },
      { ",": "1.5" },
      { "#": true },
    ];
    expect(encode(value, 3)).toBe(
      Buffer.from(
        "*7\r\n$6\r\nhéllo\r\n:-7\r\n_\r\n+OK\r\n%1\r\n$1\r\nk\r\n~2\r\n:1\r\n:2\r\n,1.5\r\n#t\r\n",
      ).toString("latin1"),
    );
    expect(encode(value, 2)).toBe(
      Buffer.from(
        "*7\r\n$6\r\nhéllo\r\n:-7\r\n$-1\r\n+OK\r\n*2\r\n$1\r\nk\r\n*2\r\n:1\r\n:2\r\n$3\r\n1.5\r\n:1\r\n",
      ).toString("latin1"),
    );
  });
});

// ---------------------------------------------------------------------------
// Differential tests against the reference server

const hasRedis = !spawnSync("redis-server", ["--version"]).error;
const missing = hasRedis
  ? ""
  : " (skipped: redis-server not found; install it with `apt-get install -y redis-server redis-tools`)";
if (!hasRedis) console.warn(`meta.test.ts:${missing}`);

/** Length of the RESP value at `pos`, or -1 if `buf` does not hold all of it yet. */
function replyEnd(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const eol = buf.indexOf("\r\n", pos);
  if (eol < 0) return -1;
  const type = String.fromCharCode(buf[pos]);
  const n = Number(buf.toString("latin1", pos + 1, eol));
  let next = eol + 2;
  const skip = (count: number) => {
    for (let i = 0; i < count && next >= 0; i++) next = replyEnd(buf, next);
    return next;
  };
  switch (type) {
    case "$":
    case "=":
    case "!":
      if (n < 0) return next;
      return next + n + 2 <= buf.length ? next + n + 2 : -1;
    case "*":
    case "~":
    case ">":
      return n < 0 ? next : skip(n);
    case "%":
    case "|":
      return skip(2 * n);
    default:
      return next;
  }
}

class RawClient {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | undefined;

  constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      this.waiting?.();
    });
  }

  /** Sends a command and returns the raw bytes of its reply. */
  async call(...args: string[]): Promise<Buffer> {
    let req = `*${args.length}\r\n`;
    for (const arg of args) req += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    this.socket.write(req);
    for (;;) {
      const end = replyEnd(this.buf, 0);
      if (end >= 0) {
        const reply = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(end);
        return reply;
      }
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function connectWithRetry(port: number): Promise<Socket> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1");
        socket.once("connect", () => resolve(socket));
        socket.once("error", reject);
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe.skipIf(!hasRedis)(`metadata replayed against redis-server${missing}`, () => {
  let server: ChildProcess | undefined;
  let dir = "";
  const sockets: Socket[] = [];
  let resp2: RawClient;
  let resp3: RawClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "redish-meta-test-"));
    const port = await freePort();
    const config = { port: String(port), bind: "127.0.0.1", save: "", appendonly: "no", dir };
    const args = Object.entries(config).flatMap(([name, value]) => [`--${name}`, value]);
    server = spawn("redis-server", args, { stdio: "ignore" });
    sockets.push(await connectWithRetry(port), await connectWithRetry(port));
    resp2 = new RawClient(sockets[0]);
    resp3 = new RawClient(sockets[1]);
    await resp3.call("HELLO", "3");
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    const child = server;
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(child.pid, "SIGTERM");
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has the same command count as COMMAND COUNT", async () => {
    const reply = await resp2.call("COMMAND", "COUNT");
    expect(reply.toString()).toBe(`:${commandNames().length}\r\n`);
  });

  it("has the same names as COMMAND LIST", async () => {
    const reply = (await resp2.call("COMMAND", "LIST")).toString();
    // "*N", then "$len" and "name" lines in turn (and a trailing "").
    const listed = reply.split("\r\n").filter((_line, i) => i > 0 && i % 2 === 0);
    expect(listed.length).toBe(Number(reply.slice(1, reply.indexOf("\r\n"))));
    expect(commandNames({ subcommands: true })).toEqual(listed.sort());
  });

  // Commands whose entries contain no subcommands, so the server's order is fixed.
  const names = ["get", "set", "zadd", "xadd", "georadius", "client|list", "config|set"];

  for (const resp of [2, 3] as const) {
    const client = () => (resp === 2 ? resp2 : resp3);

    it.each(names)(`COMMAND INFO %s is byte-identical in RESP${resp}`, async (name) => {
      const info = commandInfo(name);
      expect(info).toBeDefined();
      const expected = await client().call("COMMAND", "INFO", name);
      expect(encode([info as Tagged], resp)).toBe(expected.toString("latin1"));
    });

    it(`every entry without subcommands is byte-identical in RESP${resp}`, async () => {
      // Commands with subcommands are left out: the server lists those in
      // hash-table order, which changes with each start. Their subcommands
      // are compared one by one instead.
      const all = [...commandSpecs().values()].flatMap((spec) => {
        if (spec.subcommands.size === 0) return [spec.name];
        return [...spec.subcommands.values()].map((sub) => sub.name);
      });
      expect(all.length).toBeGreaterThan(300);
      for (const name of all) {
        const info = await client().call("COMMAND", "INFO", name);
        expect(encode([commandInfo(name) as Tagged], resp), name).toBe(info.toString("latin1"));
        const docs = await client().call("COMMAND", "DOCS", name);
        expect(encode({ "%": [[name, commandDocs(name) as Tagged]] }, resp), name).toBe(
          docs.toString("latin1"),
        );
      }
    });

    it.each(names)(`COMMAND DOCS %s is byte-identical in RESP${resp}`, async (name) => {
      const docs = commandDocs(name);
      expect(docs).toBeDefined();
      const expected = await client().call("COMMAND", "DOCS", name);
      expect(encode({ "%": [[name, docs as Tagged]] }, resp)).toBe(expected.toString("latin1"));
    });
  }
});
