// Bulk loading through `redis-cli --pipe`, fed by a RESP stream generated on
// the fly so that a million keys never sit in memory at once.
import { Readable } from "node:stream";
import { runProcess } from "./process.mjs";
import { callOnce, encodeCommand } from "./resp.mjs";

const COMMANDS_PER_CHUNK = 1_000;
const ELEMENTS_PER_COMMAND = 100;
const VALUE_POOL = randomStrings(1021, 100);

export const pad = (n, width) => String(n).padStart(width, "0");

// Values must not compress well, or RDB sizes and save times would flatter
// every server that compresses strings. Each value is random on its own;
// cycling through a pool keeps generation cheap.
function randomStrings(count, length) {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let seed = 42;
  // mulberry32: tiny, seeded, and random enough to defeat LZF.
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  return Array.from({ length: count }, () => Array.from({ length }, () => alphabet[next() % alphabet.length]).join(""));
}

export function* stringCommands(count) {
  for (let i = 0; i < count; i++) yield ["SET", `key:${pad(i, 10)}`, VALUE_POOL[i % VALUE_POOL.length]];
}

// Big collections are built a hundred small elements per command, the way
// a real loader would, instead of one round trip per element.
function* batched(count, prefix, toArgs) {
  for (let start = 0; start < count; start += ELEMENTS_PER_COMMAND) {
    const args = [...prefix];
    const end = Math.min(count, start + ELEMENTS_PER_COMMAND);
    for (let i = start; i < end; i++) args.push(...toArgs(`m:${pad(i, 7)}`, i));
    yield args;
  }
}

export const STRINGS = {
  probe: ["SET", "bench:probe:string", "x"],
  commands: stringCommands,
};

export const COLLECTIONS = {
  list: {
    probe: ["RPUSH", "bench:probe:list", "x"],
    commands: (n) => batched(n, ["RPUSH", "bench:list"], (m) => [m]),
  },
  hash: {
    probe: ["HSET", "bench:probe:hash", "f", "x"],
    commands: (n) => batched(n, ["HSET", "bench:hash"], (m) => [m, "x"]),
  },
  set: {
    probe: ["SADD", "bench:probe:set", "x"],
    commands: (n) => batched(n, ["SADD", "bench:set"], (m) => [m]),
  },
  zset: {
    probe: ["ZADD", "bench:probe:zset", "1", "x"],
    commands: (n) => batched(n, ["ZADD", "bench:zset"], (m, i) => [i, m]),
  },
};

function* respChunks(commands, counter) {
  let chunk = "";
  let inChunk = 0;
  for (const args of commands) {
    chunk += encodeCommand(args);
    counter.sent++;
    if (++inChunk === COMMANDS_PER_CHUNK) {
      yield chunk;
      chunk = "";
      inChunk = 0;
    }
  }
  if (chunk) yield chunk;
}

// `probe` is one command of the dataset's kind on a throwaway key: sending it
// first turns "ERR unknown command" into an immediate answer instead of a
// million error replies. redis-cli --pipe itself ends with an ECHO.
// Resolves to null when both work, else a one-line reason.
export async function probeDataset(port, probe) {
  for (const args of [["ECHO", "bench"], probe]) {
    const reply = await callOnce(port, args).catch((error) => error);
    if (reply instanceof Error) return `${args[0]}: ${reply.message}`;
  }
  return null;
}

export async function loadDataset(tools, port, dataset, count, timeoutMs) {
  const unsupported = await probeDataset(port, dataset.probe);
  return unsupported ?? pipeCommands(tools, port, dataset.commands(count), timeoutMs);
}

// Success means no error replies and one reply per command sent; a server
// that dies halfway shows up as missing replies.
export async function pipeCommands(tools, port, commands, timeoutMs) {
  const counter = { sent: 0 };
  const argv = [tools.cli, "-h", "127.0.0.1", "-p", String(port), "--pipe", "--pipe-timeout", "10"];
  const result = await runProcess(argv, { input: Readable.from(respChunks(commands, counter)), timeoutMs });
  if (result.timedOut) return `redis-cli --pipe timed out after ${timeoutMs / 1000} s`;
  const output = `${result.stdout}\n${result.stderr}`;
  const counts = output.match(/errors: (\d+), replies: (\d+)/);
  if (result.code === 0 && counts?.[1] === "0" && Number(counts[2]) === counter.sent) return null;
  const firstError = output.split("\n").find((line) => /^(ERR|WRONGTYPE|-|Error)/.test(line.trim()));
  const reason = firstError ?? output.trim().split("\n").pop() ?? "failed";
  return `redis-cli --pipe: ${reason.trim()}`;
}
