// Persistence: how long snapshots take, how much a background snapshot
// stalls clients, how big the dump is, how long a restart takes to load it,
// and what append-only logging costs in write throughput.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadDataset, STRINGS } from "./load.mjs";
import { loadTimeoutMs } from "./memory.mjs";
import { callOnce, ReplyError, RespClient } from "./resp.mjs";
import { addComparison, makeSection, na, ok, pickOutcome } from "./results.mjs";
import { startForMeasurement } from "./servers.mjs";
import { runBenchmark } from "./throughput.mjs";
import { inTurns, medianOf, newTally, record } from "./turns.mjs";

const SAVE_TIMEOUT_MS = 300_000;
const POLL_MS = 5;

const SNAPSHOT_METRICS = ["startEmpty", "save", "bgsave", "pause", "load", "rdbSize"];

export function persistencePhase(ctx) {
  const { keys, aofRequests } = ctx.mode.persistence;
  const count = keys.toLocaleString("en-US");
  const times = makeSection({ id: "persistence-time", title: "Persistence timings", unit: "ms", better: "lower" });
  const sizes = makeSection({ id: "persistence-size", title: "Snapshot size", unit: "bytes", better: "lower" });
  const aof = makeSection({
    id: "persistence-aof",
    title: `SET throughput with the append-only file, ${ctx.mode.clients} clients`,
    unit: "ops/s",
    better: "higher",
  });
  const snapshotRows = [
    [times, "startEmpty", "startup, empty"],
    [times, "save", `SAVE, ${count} keys`],
    [times, "bgsave", `BGSAVE, ${count} keys`],
    [times, "pause", "longest PING during BGSAVE"],
    [times, "load", `startup, loading ${count} keys`],
    [sizes, "rdbSize", `RDB file, ${count} keys`],
  ];

  const tasks = [
    {
      label: `persistence: SAVE/BGSAVE/restart with ${count} keys`,
      run: async () => {
        const outcomes = await snapshotComparison(ctx, keys);
        for (const [section, key, name] of snapshotRows) addComparison(section, name, pickOutcome(outcomes, key));
      },
    },
    ...["everysec", "always"].map((fsync) => ({
      label: `persistence: SET with appendfsync ${fsync}`,
      run: async () => addComparison(aof, `SET, appendfsync ${fsync}`, await aofComparison(ctx, fsync, aofRequests)),
    })),
  ];
  return { name: "persistence", sections: [times, sizes, aof], tasks };
}

// Both servers get the same dataset and stay up side by side, so that every
// step can be repeated in turns: SAVE, BGSAVE, then restarts on the dump.
// A step a server cannot do becomes n/a on its own; later steps still run.
async function snapshotComparison(ctx, keys) {
  const tallies = [ctx.sides.redis, ctx.sides.redish].map(newTally);
  const { rounds } = ctx.mode;
  try {
    await inTurns(tallies, rounds, (t) => record(t, "startEmpty", () => timeEmptyStartup(ctx, t.side)));
    for (const tally of tallies) await loadKeys(ctx, tally, keys);
    await inTurns(tallies, rounds, (t) => record(t, "save", () => timeSave(t.server.port)));
    await inTurns(tallies, rounds, bgsaveStep);
    for (const tally of tallies) await record(tally, "rdbSize", () => rdbSize(tally.server.dir));
    for (const tally of tallies) await tally.server?.stop({ keepDir: true });
    await inTurns(tallies, rounds, (t) => record(t, "load", () => timeLoad(ctx, t.side, t.server.dir, t.keyCount)));
  } finally {
    for (const tally of tallies) await tally.server?.stop();
  }
  const summary = (tally) => ok(Object.fromEntries(SNAPSHOT_METRICS.map((m) => [m, medianOf(tally, m)])));
  return Object.fromEntries(tallies.map((tally) => [tally.side.id, summary(tally)]));
}

async function timeEmptyStartup(ctx, side) {
  const server = await startForMeasurement(side, ctx);
  await server.stop();
  return ok(server.readyMs);
}

async function loadKeys(ctx, tally, keys) {
  try {
    tally.server = await startForMeasurement(tally.side, ctx);
    const failure = await loadDataset(ctx.tools, tally.server.port, STRINGS, keys, loadTimeoutMs(keys));
    if (failure) tally.fatal = `loading keys failed: ${failure}`;
    else tally.keyCount = await callOnce(tally.server.port, ["DBSIZE"]);
  } catch (error) {
    tally.fatal = error.message.split("\n")[0];
  }
}

async function bgsaveStep(tally) {
  const outcome = await record(tally, "bgsave", () => timeBgsave(tally.server.port));
  if (outcome) await record(tally, "pause", () => outcome.pause ?? outcome);
}

async function aofComparison(ctx, fsync, aofRequests) {
  const tallies = [ctx.sides.redis, ctx.sides.redish].map(newTally);
  await inTurns(tallies, ctx.mode.rounds, (tally) =>
    record(tally, "rps", () => aofThroughput(ctx, tally.side, fsync, aofRequests[fsync])),
  );
  return Object.fromEntries(tallies.map((tally) => [tally.side.id, medianOf(tally, "rps")]));
}

async function timeSave(port) {
  const client = await RespClient.connect(port);
  try {
    const started = performance.now();
    const reply = await client.command(["SAVE"], SAVE_TIMEOUT_MS);
    if (reply instanceof ReplyError) return na(`SAVE: ${reply.message}`);
    return ok(performance.now() - started);
  } finally {
    client.close();
  }
}

function rdbSize(dir) {
  const path = join(dir, "dump.rdb");
  return existsSync(path) ? ok(statSync(path).size) : na("no dump.rdb in --dir after SAVE and BGSAVE");
}

// The pause is the worst PING round trip seen by a second client while the
// snapshot runs: a forking server barely blinks, a blocking one stalls.
async function timeBgsave(port) {
  const pinger = startPinger(port);
  const client = await RespClient.connect(port, { timeoutMs: 10_000 });
  try {
    const started = performance.now();
    const reply = await client.call("BGSAVE");
    if (reply instanceof ReplyError) return na(`BGSAVE: ${reply.message}`);
    const failure = await waitForBgsave(client, started + SAVE_TIMEOUT_MS);
    const elapsed = performance.now() - started;
    const pause = await pinger.stop().then(ok, (error) => na(`PING during BGSAVE: ${error.message}`));
    if (failure) return na(failure);
    return { value: elapsed, pause };
  } finally {
    client.close();
    await pinger.stop().catch(() => {});
  }
}

async function waitForBgsave(client, deadline) {
  while (performance.now() < deadline) {
    const info = await client.info("persistence");
    const inProgress = info?.rdb_bgsave_in_progress;
    if (inProgress === undefined) return "INFO persistence has no rdb_bgsave_in_progress";
    if (inProgress === "0") {
      const status = info.rdb_last_bgsave_status;
      return status === undefined || status === "ok" ? null : `BGSAVE status ${status}`;
    }
    await sleep(POLL_MS);
  }
  return "BGSAVE did not finish in time";
}

function startPinger(port) {
  let running = true;
  let max = 0;
  const done = (async () => {
    const client = await RespClient.connect(port, { timeoutMs: SAVE_TIMEOUT_MS });
    try {
      while (running) {
        const sent = performance.now();
        await client.call("PING");
        max = Math.max(max, performance.now() - sent);
      }
    } finally {
      client.close();
    }
  })();
  done.catch(() => {}); // Surfaced through stop().
  return {
    async stop() {
      running = false;
      await done;
      return max;
    },
  };
}

// A restart only counts if every key came back, which DBSIZE confirms.
async function timeLoad(ctx, side, dir, keyCount) {
  if (keyCount instanceof ReplyError) return na(`cannot check the reload: DBSIZE: ${keyCount.message}`);
  if (!existsSync(join(dir, "dump.rdb"))) return na("no dump.rdb to load");
  const server = await startForMeasurement(side, ctx, { dir, readyTimeoutMs: SAVE_TIMEOUT_MS });
  try {
    const size = await callOnce(server.port, ["DBSIZE"]);
    if (size !== keyCount) return na(`dump not fully loaded (DBSIZE ${size?.message ?? size}, expected ${keyCount})`);
    return ok(server.readyMs);
  } finally {
    await server.stop();
  }
}

async function aofThroughput(ctx, side, fsync, requests) {
  const options = { appendonly: "yes", appendfsync: fsync };
  const server = await startForMeasurement(side, ctx, { options });
  try {
    const info = await callOnce(server.port, ["INFO", "persistence"]);
    if (info instanceof ReplyError) return na(`INFO persistence: ${info.message}`);
    if (typeof info !== "string" || !/^aof_enabled:1\r?$/m.test(info)) {
      return na("append-only file not enabled (INFO persistence aof_enabled)");
    }
    return await runBenchmark(ctx, server.port, { test: "set" }, 1, requests);
  } finally {
    await server.stop();
  }
}
