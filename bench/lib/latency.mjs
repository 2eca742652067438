// Latency percentiles at a fixed, moderate request rate. redis-benchmark
// measures closed-loop latency at saturation; here each server gets one
// connection that sends on a schedule regardless of replies (open loop), so
// a server stall shows up as the long tail it would cause for an application.
//
// A Node client at a modest rate is itself noisy (timer wake-ups, GC, idle
// CPUs waking up, other work on the machine). Both servers are therefore
// sampled at the same time from the same loop: a hiccup on the client side
// lands on both, and the ratio keeps only what differs between servers.
import { setTimeout as sleep } from "node:timers/promises";
import { encodeCommand, ReplyError, RespClient } from "./resp.mjs";
import { addComparison, makeSection, na, ok, pickOutcome } from "./results.mjs";
import { startForMeasurement } from "./servers.mjs";
import { percentile } from "./stats.mjs";

const KEY = "bench:latency";
const VALUE = "v".repeat(100);
const OPERATIONS = [
  { name: "SET", args: ["SET", KEY, VALUE] },
  { name: "GET", args: ["GET", KEY] },
];
const PERCENTILES = [
  { label: "p50", fraction: 0.5 },
  { label: "p99", fraction: 0.99 },
  { label: "p99.9", fraction: 0.999 },
];
const WARM_UP_MS = 300;
const TICK_MS = 1;
const DRAIN_GRACE_MS = 10_000;

export function latencyPhase(ctx) {
  const { rate } = ctx.mode.latency;
  const section = makeSection({
    id: "latency",
    title: `Latency at ${rate.toLocaleString("en-US")} requests/s per server, one connection each`,
    unit: "ms",
    better: "lower",
  });
  const tasks = OPERATIONS.map((operation) => ({
    label: `latency ${operation.name}`,
    run: async () => {
      const outcomes = await measureTogether(ctx, operation);
      for (const { label } of PERCENTILES) {
        addComparison(section, `${operation.name} ${label}`, pickOutcome(outcomes, label));
      }
    },
  }));
  return { name: "latency", sections: [section], tasks };
}

async function measureTogether(ctx, operation) {
  const { rate, durationMs } = ctx.mode.latency;
  const outcomes = {};
  const targets = [];
  try {
    for (const side of [ctx.sides.redis, ctx.sides.redish]) {
      const target = await prepare(ctx, side);
      if (target.error) outcomes[side.id] = na(target.error);
      else targets.push(target);
    }
    // The warm-up pays for first-connection and first-write costs.
    await sampleAtRate(targets, operation.args, rate, WARM_UP_MS);
    const samples = await sampleAtRate(targets, operation.args, rate, durationMs);
    for (const target of targets) outcomes[target.id] = summarise(samples[target.id]);
  } finally {
    for (const target of targets) await target.server.stop();
  }
  return outcomes;
}

// Starts the server and stores the value GET will read.
async function prepare(ctx, side) {
  let server = null;
  try {
    server = await startForMeasurement(side, ctx);
    const client = await RespClient.connect(server.port);
    await client.call("SET", KEY, VALUE).finally(() => client.close());
    return { id: side.id, server };
  } catch (error) {
    await server?.stop();
    return { id: side.id, error: error.message.split("\n")[0] };
  }
}

function summarise(outcome) {
  if (outcome.error) return outcome;
  const sorted = Float64Array.from(outcome.value).sort();
  return ok(Object.fromEntries(PERCENTILES.map(({ label, fraction }) => [label, ok(percentile(sorted, fraction))])));
}

// Every millisecond, sends each server all requests due by now in one write,
// timestamped at the write; which server is written first alternates. Replies
// arrive in order per connection, so each request's promise resolves at its
// own reply. Resolves to { [id]: ok(latencies in ms) or n/a }.
export async function sampleAtRate(targets, args, rate, durationMs) {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const encoded = encodeCommand(args);
  const streams = [];
  try {
    for (const target of targets) streams.push(await openStream(target, total));
    const start = performance.now();
    for (let sent = 0, tick = 0; sent < total; tick++) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      const order = tick % 2 === 0 ? streams : [...streams].reverse();
      for (const stream of order) stream.sendUpTo(due, encoded);
      sent = due;
      await sleep(TICK_MS);
    }
    await Promise.all(streams.map((stream) => stream.drained(durationMs + DRAIN_GRACE_MS)));
  } finally {
    for (const stream of streams) stream.client.close();
  }
  return Object.fromEntries(streams.map((stream) => [stream.id, stream.outcome()]));
}

async function openStream(target, total) {
  const client = await RespClient.connect(target.server.port);
  const latencies = new Float64Array(total);
  const state = { sent: 0, received: 0, failure: null, errorReply: null };

  function sendUpTo(due, encoded) {
    if (state.failure) return;
    const sentAt = performance.now();
    for (; state.sent < due; state.sent++) {
      const index = state.sent;
      client.sendRaw(encoded, 0).then(
        (value) => {
          latencies[index] = performance.now() - sentAt;
          state.received++;
          if (value instanceof ReplyError) state.errorReply ??= value.message;
        },
        (error) => {
          state.failure ??= error.message;
        },
      );
    }
  }

  async function drained(timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    while (state.received < total && !state.failure) {
      if (performance.now() > deadline) {
        state.failure = `${total - state.received} replies still missing after ${timeoutMs} ms`;
        return;
      }
      await sleep(5);
    }
  }

  function outcome() {
    if (state.failure) return na(state.failure);
    if (state.errorReply) return na(state.errorReply);
    return ok(latencies);
  }

  return { id: target.id, client, sendUpTo, drained, outcome };
}
