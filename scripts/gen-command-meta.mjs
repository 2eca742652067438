#!/usr/bin/env node
// Generates src/commands/meta/redis-7.0.json from a reference redis-server.
//
// The script starts redis-server on a free loopback port (no persistence, in a
// temporary directory), switches the connection to RESP3 with HELLO 3, asks
// for COMMAND (every command's COMMAND INFO entry) and COMMAND DOCS, and stores
// both replies in a tagged JSON form that keeps the RESP3 types:
//
//   "text"              bulk string
//   42                  integer
//   null                null
//   [ ... ]             array
//   {"+": "text"}       simple string
//   {"%": [[k, v], …]}  map (pairs keep the server's order)
//   {"~": [ … ]}        set
//   {",": "1.5"}        double (kept as the server's text)
//   {"#": true}         boolean
//
// Output shape:
//   {
//     "redisVersion": "7.0.15",
//     "commands": {
//       "<lowercase name>": { "docs": <COMMAND DOCS entry>, "info": <COMMAND INFO entry> },
//       …
//     }
//   }
// Subcommands ("client|list") stay nested where the server puts them: in the
// tenth element of the parent's COMMAND INFO entry and in the "subcommands"
// map of the parent's COMMAND DOCS entry.
//
// The server lists subcommands in hash-table order, which changes from one
// server start to the next, so the generator sorts them by name. Everything
// else is kept exactly as received.
//
// Usage: node scripts/gen-command-meta.mjs [--server redis-server] [--out file]

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv) {
  const options = {
    server: "redis-server",
    out: join(root, "src/commands/meta/redis-7.0.json"),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--server") options.server = argv[++i];
    else if (arg === "--out") options.out = resolve(argv[++i]);
    else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

// ---------------------------------------------------------------------------
// Reference server

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function startServer(binary, port, dir) {
  const config = {
    port: String(port),
    bind: "127.0.0.1",
    save: "",
    appendonly: "no",
    dir,
    daemonize: "no",
  };
  const args = Object.entries(config).flatMap(([name, value]) => [`--${name}`, value]);
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "inherit"] });
  child.on("error", (err) => {
    console.error(`cannot start ${binary}: ${err.message}`);
    process.exitCode = 1;
  });
  return child;
}

async function stopServer(child) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(child.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  await exited;
}

async function connectWithRetry(port, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise((ok, fail) => {
        const socket = connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.off("error", fail);
          ok(socket);
        });
        socket.once("error", fail);
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// ---------------------------------------------------------------------------
// RESP

function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

class Incomplete extends Error {}

const decoder = new TextDecoder("utf-8", { fatal: true });

function decodeText(bytes) {
  // Bulk strings are stored as JSON strings, so they must be valid UTF-8 for
  // the bytes to survive the round trip.
  return decoder.decode(bytes);
}

/** Parses one RESP2/RESP3 value at `pos`; returns [taggedValue, nextPos]. */
function parseValue(buf, pos) {
  if (pos >= buf.length) throw new Incomplete();
  const type = String.fromCharCode(buf[pos]);
  const eol = buf.indexOf("\r\n", pos);
  if (eol < 0) throw new Incomplete();
  const line = buf.toString("latin1", pos + 1, eol);
  let next = eol + 2;

  const readItems = (count) => {
    const items = [];
    for (let i = 0; i < count; i++) {
      const [item, after] = parseValue(buf, next);
      items.push(item);
      next = after;
    }
    return items;
  };

  switch (type) {
    case "+":
      return [{ "+": decodeText(buf.subarray(pos + 1, eol)) }, next];
    case "-":
      throw new Error(`server error: ${buf.toString("utf8", pos + 1, eol)}`);
    case ":":
      return [parseInteger(line), next];
    case "$": {
      const len = Number(line);
      if (len < 0) return [null, next];
      if (next + len + 2 > buf.length) throw new Incomplete();
      const text = decodeText(buf.subarray(next, next + len));
      return [text, next + len + 2];
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return [null, next];
      return [readItems(count), next];
    }
    case "~":
      return [{ "~": readItems(Number(line)) }, next];
    case "%": {
      const flat = readItems(Number(line) * 2);
      const pairs = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
      return [{ "%": pairs }, next];
    }
    case "_":
      return [null, next];
    case ",":
      return [{ ",": line }, next];
    case "#":
      return [{ "#": line === "t" }, next];
    default:
      throw new Error(`unsupported RESP type byte ${JSON.stringify(type)}`);
  }
}

function parseInteger(text) {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`integer out of range: ${text}`);
  return n;
}

/** Sends commands one after another and resolves with their parsed replies. */
function request(socket, commands) {
  return new Promise((ok, fail) => {
    let buf = Buffer.alloc(0);
    const replies = [];
    const onData = (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        while (replies.length < commands.length) {
          const [value, next] = parseValue(buf, 0);
          replies.push(value);
          buf = buf.subarray(next);
        }
      } catch (err) {
        if (err instanceof Incomplete) return;
        cleanup();
        fail(err);
        return;
      }
      cleanup();
      ok(replies);
    };
    const onEnd = () => {
      cleanup();
      fail(new Error("connection closed before all replies arrived"));
    };
    const cleanup = () => {
      socket.off("data", onData);
      socket.off("error", fail);
      socket.off("end", onEnd);
    };
    socket.on("data", onData);
    socket.on("error", fail);
    socket.on("end", onEnd);
    socket.write(commands.map(encodeCommand).join(""));
  });
}

// ---------------------------------------------------------------------------
// Shaping the data

function mapGet(map, key) {
  const pair = map["%"].find(([k]) => k === key);
  return pair?.[1];
}

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts the subcommands (10th element) of a COMMAND INFO entry, recursively.
 * RESP3 sends them as a set; a RESP2 reply would have a plain array.
 */
function sortInfoSubcommands(info) {
  const subs = Array.isArray(info[9]) ? info[9] : info[9]?.["~"];
  if (subs) {
    for (const sub of subs) sortInfoSubcommands(sub);
    subs.sort((a, b) => byName(a[0], b[0]));
  }
  return info;
}

/** Sorts the "subcommands" map of a COMMAND DOCS entry, recursively. */
function sortDocsSubcommands(docs) {
  const subs = mapGet(docs, "subcommands");
  if (subs) {
    for (const [, sub] of subs["%"]) sortDocsSubcommands(sub);
    subs["%"].sort((a, b) => byName(a[0], b[0]));
  }
  return docs;
}

/** Writes one command per line so regenerating gives readable diffs. */
function serialize(data) {
  const names = Object.keys(data.commands).sort(byName);
  const lines = names.map((name) => {
    const { docs, info } = data.commands[name];
    return `    ${JSON.stringify(name)}: {\n      "docs": ${JSON.stringify(docs)},\n      "info": ${JSON.stringify(info)}\n    }`;
  });
  return `{\n  "commands": {\n${lines.join(",\n")}\n  },\n  "redisVersion": ${JSON.stringify(data.redisVersion)}\n}\n`;
}

// ---------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), "redish-meta-"));
  const port = await freePort();
  const server = startServer(options.server, port, dir);
  let socket;
  try {
    socket = await connectWithRetry(port);
    const [hello, info, docs] = await request(socket, [["HELLO", "3"], ["COMMAND"], ["COMMAND", "DOCS"]]);
    const redisVersion = mapGet(hello, "version");

    const commands = {};
    for (const entry of info) {
      const name = entry[0].toLowerCase();
      commands[name] = { docs: null, info: sortInfoSubcommands(entry) };
    }
    for (const [rawName, entry] of docs["%"]) {
      const name = rawName.toLowerCase();
      if (!commands[name]) throw new Error(`COMMAND DOCS lists ${name} but COMMAND does not`);
      commands[name].docs = sortDocsSubcommands(entry);
    }
    for (const [name, entry] of Object.entries(commands)) {
      if (entry.docs === null) throw new Error(`COMMAND DOCS is missing ${name}`);
    }

    const text = serialize({ redisVersion, commands });
    writeFileSync(options.out, text);
    console.log(
      `redis ${redisVersion}: ${Object.keys(commands).length} commands, ` +
        `${Buffer.byteLength(text)} bytes written to ${relative(process.cwd(), options.out)}`,
    );
  } finally {
    socket?.destroy();
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
