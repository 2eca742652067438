// Memory per key/element. Each dataset goes into a freshly started server so
// earlier cases cannot leave fragmentation or freed-but-kept pages behind.
// used_memory is what the server says it allocated; RSS (from /proc) is what
// the machine actually pays, including allocator and runtime overhead.
import { readFileSync } from "node:fs";
import { COLLECTIONS, pipeCommands, probeDataset, STRINGS } from "./load.mjs";
import { callOnce, parseInfo, ReplyError } from "./resp.mjs";
import { addComparison, makeSection, measureSides, na, ok, pickOutcome } from "./results.mjs";
import { startForMeasurement } from "./servers.mjs";

export function memoryPhase(ctx) {
  const { keys, elements } = ctx.mode.memory;
  const section = makeSection({ id: "memory", title: "Memory", unit: "bytes", better: "lower" });
  const strings = {
    label: `${keys.toLocaleString("en-US")} strings`,
    count: keys,
    kind: STRINGS,
    rows: [
      { key: "usedMemory", name: "string key (100 B value), used_memory per key" },
      { key: "rss", name: "string key (100 B value), RSS per key" },
    ],
  };
  const collections = Object.entries(COLLECTIONS).map(([type, kind]) => ({
    label: `${elements.toLocaleString("en-US")}-element ${type}`,
    count: elements,
    kind,
    rows: [{ key: "usedMemory", name: `${type} element, used_memory per element` }],
  }));

  const tasks = [strings, ...collections].map((dataset, index) => ({
    label: `memory: ${dataset.label}`,
    run: async () => {
      const order = index % 2 === 0 ? [ctx.sides.redis, ctx.sides.redish] : [ctx.sides.redish, ctx.sides.redis];
      const outcomes = await measureSides(order, (side) => measureDataset(ctx, side, dataset));
      for (const row of dataset.rows) addComparison(section, row.name, pickOutcome(outcomes, row.key));
    },
  }));
  return { name: "memory", sections: [section], tasks };
}

async function measureDataset(ctx, side, dataset) {
  const server = await startForMeasurement(side, ctx);
  try {
    const unsupported = await probeDataset(server.port, dataset.kind.probe);
    if (unsupported) return na(unsupported);
    const before = await snapshot(server);
    const commands = dataset.kind.commands(dataset.count);
    const failure = await pipeCommands(ctx.tools, server.port, commands, loadTimeoutMs(dataset.count));
    if (failure) return na(failure);
    const after = await snapshot(server);
    return ok({
      usedMemory: perItem(before.usedMemory, after.usedMemory, dataset.count),
      rss: perItem(before.rss, after.rss, dataset.count),
    });
  } finally {
    await server.stop();
  }
}

// Generous: even a server loading only 2,000 commands per second finishes.
export function loadTimeoutMs(count) {
  return Math.max(60_000, count / 2);
}

function perItem(before, after, count) {
  if (before.error) return before;
  if (after.error) return after;
  return ok((after.value - before.value) / count);
}

async function snapshot(server) {
  return { usedMemory: await usedMemory(server.port), rss: rssBytes(server.pid) };
}

export async function usedMemory(port) {
  const reply = await callOnce(port, ["INFO", "memory"]);
  if (reply instanceof ReplyError) return na(`INFO memory: ${reply.message}`);
  const value = typeof reply === "string" ? parseInfo(reply).used_memory : undefined;
  return value === undefined ? na("INFO memory has no used_memory") : ok(Number(value));
}

export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
    return kib ? ok(Number(kib[1]) * 1024) : na("no VmRSS in /proc status");
  } catch {
    return na("RSS not readable from /proc");
  }
}
