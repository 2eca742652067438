// The embedded API against the same commands sent through ioredis over
// loopback to Redish's own server: what an application saves by linking
// Redish in-process instead of talking to it over a socket.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Redis from "ioredis";
import { addRow, makeSection, na, ok } from "./results.mjs";
import { startForMeasurement } from "./servers.mjs";

const KEYSPACE = 100_000;
const IN_FLIGHT = 64;
// Awaiting each call is round-trip bound and slow, so it gets fewer calls;
// the rate settles long before that.
const SEQUENTIAL_SHARE = 0.1;

const OPERATIONS = [
  { name: "SET", args: (i) => ["SET", `key:${i % KEYSPACE}`, "value"] },
  { name: "GET", args: (i) => ["GET", `key:${i % KEYSPACE}`] },
  { name: "INCR", args: () => ["INCR", "counter"] },
  { name: "LPUSH", args: () => ["LPUSH", "list", "x"] },
  { name: "HSET", args: (i) => ["HSET", "hash", `f:${i % KEYSPACE}`, "x"] },
];

export function embeddedPhase(ctx) {
  const ops = ctx.mode.embedded.ops;
  const columns = { baseline: "ioredis → Redish server", subject: "Redish in-process" };
  const sequential = makeSection({
    id: "embedded-sequential",
    title: "Embedded API vs ioredis, awaiting each call",
    unit: "ops/s",
    better: "higher",
    ...columns,
  });
  const concurrent = makeSection({
    id: "embedded-concurrent",
    title: `Embedded API vs ioredis, ${IN_FLIGHT} calls in flight`,
    unit: "ops/s",
    better: "higher",
    ...columns,
  });
  const state = { db: null, dbError: null, server: null, serverError: null };

  const tasks = [
    { label: "embedded: load dist/index.js and start Redish", run: () => setUp(ctx, state) },
    ...OPERATIONS.map((operation) => ({
      label: `embedded ${operation.name}`,
      run: async () => {
        const inProcess = await attempt(() => runInProcess(state, operation, ops));
        const oneByOne = await attempt(() => runIoredis(state, operation, Math.round(ops * SEQUENTIAL_SHARE), 1));
        const many = await attempt(() => runIoredis(state, operation, ops, IN_FLIGHT));
        addRow(sequential, operation.name, oneByOne, inProcess);
        addRow(concurrent, operation.name, many, inProcess);
      },
    })),
    { label: "embedded: clean up", run: () => tearDown(state) },
  ];
  return { name: "embedded", sections: [sequential, concurrent], tasks };
}

async function setUp(ctx, state) {
  state.db = await openEmbedded(ctx.repoRoot).catch((error) => {
    state.dbError = String(error?.message ?? error).split("\n")[0];
    return null;
  });
  state.server = await startForMeasurement(ctx.sides.redish, ctx).catch((error) => {
    state.serverError = error.message;
    return null;
  });
}

async function tearDown(state) {
  await state.db?.close?.();
  await state.server?.stop();
}

async function openEmbedded(repoRoot) {
  const entry = join(repoRoot, "dist", "index.js");
  if (!existsSync(entry)) throw new Error("dist/index.js not found (npm run build)");
  const module = await import(pathToFileURL(entry).href);
  if (typeof module.createRedish !== "function") throw new Error("dist/index.js has no createRedish export");
  return await module.createRedish();
}

async function attempt(measure) {
  try {
    return await measure();
  } catch (error) {
    return na(String(error?.message ?? error).split("\n")[0]);
  }
}

// The API is meant to answer synchronously; should it hand back promises,
// they are awaited so the number still means "completed calls per second".
async function runInProcess(state, operation, count) {
  if (!state.db) return na(state.dbError);
  const first = state.db.call(...operation.args(0));
  const isAsync = typeof first?.then === "function";
  const reply = isAsync ? await first : first;
  if (reply instanceof Error) return na(`${operation.name}: ${reply.message}`);
  const started = performance.now();
  for (let i = 1; i <= count; i++) {
    const result = state.db.call(...operation.args(i));
    if (isAsync) await result;
  }
  return ok(count / ((performance.now() - started) / 1000));
}

async function runIoredis(state, operation, count, inFlight) {
  if (!state.server) return na(state.serverError);
  const client = new Redis({
    host: "127.0.0.1",
    port: state.server.port,
    lazyConnect: true,
    // The ready check sends INFO; readiness was already established at startup.
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {}); // Failures surface through the awaited calls.
  try {
    await client.connect();
    await client.call(...operation.args(0)); // Rejects on an error reply.
    const started = performance.now();
    for (let i = 1; i <= count; i += inFlight) {
      const batch = [];
      for (let j = i; j < Math.min(count + 1, i + inFlight); j++) batch.push(client.call(...operation.args(j)));
      await Promise.all(batch);
    }
    return ok(count / ((performance.now() - started) / 1000));
  } finally {
    client.disconnect();
  }
}
