// Memory per key/element. Each dataset goes into a freshly started server so
// earlier cases cannot leave fragmentation or freed-but-kept pages behind.
// used_memory is what the server says it allocated; RSS (from /proc) is what
// the machine actually pays, including allocator and runtime overhead.
import { readFileSync } from "node:fs";
import { COLLECTIONS, pipeCommands, probeDataset, STRINGS } from "./load.mjs";
import { RespClient } from "./resp.mjs";
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
      usedMemory: perItem(before.usedMemory, after.usedMemory, dataset.count, "INFO memory has no used_memory"),
      rss: perItem(before.rss, after.rss, dataset.count, "RSS not readable"),
    });
  } finally {
    await server.stop();
  }
}

// Generous: even a server loading only 2,000 commands per second finishes.
export function loadTimeoutMs(count) {
  return Math.max(60_000, count / 2);
}

function perItem(before, after, count, missing) {
  if (before === null || after === null) return na(missing);
  return ok((after - before) / count);
}

async function snapshot(server) {
  return { usedMemory: await usedMemory(server.port), rss: rssBytes(server.pid) };
}

export async function usedMemory(port) {
  const client = await RespClient.connect(port);
  try {
    const info = await client.info("memory").catch(() => null);
    const value = Number(info?.used_memory);
    return info?.used_memory !== undefined && Number.isFinite(value) ? value : null;
  } finally {
    client.close();
  }
}

export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
    return kib ? Number(kib[1]) * 1024 : null;
  } catch {
    return null;
  }
}
