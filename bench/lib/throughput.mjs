// Throughput with redis-benchmark. The two servers run side by side and take
// turns case by case, swapping who goes first every round, so slow drift on
// the machine (thermal, page cache, noisy neighbours) hits both equally.
// Keys follow redis-benchmark's defaults (one key per test), so these rows
// measure per-command cost; large keyspaces are covered by the memory phase.
import { setTimeout as sleep } from "node:timers/promises";
import { runProcess } from "./process.mjs";
import { callOnce, ReplyError } from "./resp.mjs";
import { addComparison, makeSection, na, ok } from "./results.mjs";
import { ManagedServer } from "./servers.mjs";
import { median } from "./stats.mjs";

const PIPELINES = [1, 16];
// redis-benchmark's own percentiles (a C client, so precise) for these cases.
const SATURATED_LATENCY = { pipeline: 1, cases: ["SET", "GET"], percentiles: ["p50", "p99"] };
const P = "bench:probe:";

// Order matters: pushes and adds come before the pops that drain them.
// `scale` shrinks request counts for the cases that move far more data.
const CASES = [
  { name: "PING", test: "ping_mbulk", probes: [["PING"]] },
  { name: "SET", test: "set", probes: [["SET", `${P}str`, "xxx"]] },
  { name: "GET", test: "get", probes: [["GET", `${P}str`]] },
  { name: "INCR", test: "incr", probes: [["INCR", `${P}counter`]] },
  { name: "MSET (10 keys)", test: "mset", probes: [["MSET", `${P}m1`, "x", `${P}m2`, "x"]] },
  { name: "LPUSH", test: "lpush", probes: [["LPUSH", `${P}list`, "x"]] },
  { name: "RPUSH", test: "rpush", probes: [["RPUSH", `${P}list`, "x"]] },
  { name: "LPOP", test: "lpop", probes: [["LPOP", `${P}list`]] },
  { name: "RPOP", test: "rpop", probes: [["RPOP", `${P}list`]] },
  { name: "SADD", test: "sadd", probes: [["SADD", `${P}set`, "x"]] },
  { name: "SPOP", test: "spop", probes: [["SPOP", `${P}set`]] },
  { name: "HSET", test: "hset", probes: [["HSET", `${P}hash`, "f", "x"]] },
  { name: "ZADD", test: "zadd", probes: [["ZADD", `${P}zset`, "1", "x"]] },
  { name: "ZPOPMIN", test: "zpopmin", probes: [["ZPOPMIN", `${P}zset`]] },
  { name: "LRANGE_100", test: "lrange_100", scale: 0.25, probes: lrangeProbes(99) },
  { name: "LRANGE_600", test: "lrange_600", scale: 0.05, probes: lrangeProbes(599) },
  { name: "SET 1 KiB", test: "set", dataSize: 1024, probes: [["SET", `${P}str`, "x".repeat(1024)]] },
  { name: "GET 1 KiB", test: "get", dataSize: 1024, probes: [["GET", `${P}str`]] },
];

// redis-benchmark fills the list with LPUSH before it runs LRANGE.
function lrangeProbes(last) {
  return [
    ["LPUSH", `${P}list`, "x"],
    ["LRANGE", `${P}list`, "0", String(last)],
  ];
}

export function throughputPhase(ctx) {
  const { mode, sides } = ctx;
  const sections = PIPELINES.map((pipeline) =>
    makeSection({
      id: `throughput-p${pipeline}`,
      title: `Throughput, ${mode.clients} clients, ${pipeline === 1 ? "no pipelining" : `pipeline ${pipeline}`}`,
      unit: "ops/s",
      better: "higher",
    }),
  );
  const saturated = makeSection({
    id: "latency-saturated",
    title: `Latency at saturation (redis-benchmark, ${mode.clients} clients, no pipelining)`,
    unit: "ms",
    better: "lower",
  });
  const servers = { redis: new ManagedServer(sides.redis, ctx), redish: new ManagedServer(sides.redish, ctx) };
  const runs = new Map(); // `${pipeline}|${case}` -> { redis: outcome[], redish: outcome[] }
  const support = new Map(); // `${side}|${case}` -> null or n/a reason

  const tasks = [];
  for (let round = 0; round < mode.rounds; round++) {
    // Alternate which server goes first, round by round.
    const order = round % 2 === 0 ? [sides.redis, sides.redish] : [sides.redish, sides.redis];
    for (const benchCase of CASES) {
      for (const pipeline of PIPELINES) {
        tasks.push({
          label: `throughput ${benchCase.name} -P ${pipeline} (round ${round + 1}/${mode.rounds})`,
          run: () => runCase(benchCase, pipeline, order),
        });
      }
    }
  }
  tasks.push({ label: "throughput: summarise", run: summarise });

  async function runCase(benchCase, pipeline, order) {
    const key = `${pipeline}|${benchCase.name}`;
    if (!runs.has(key)) runs.set(key, { redis: [], redish: [] });
    for (const side of order) {
      runs.get(key)[side.id].push(await measureOne(side, benchCase, pipeline));
    }
  }

  async function measureOne(side, benchCase, pipeline) {
    const slot = servers[side.id];
    const server = await slot.ensure();
    if (!server) return na(slot.error);
    const unsupported = await checkSupport(side, server, benchCase);
    if (unsupported) return na(unsupported);
    const outcome = await runBenchmark(ctx, server.port, benchCase, pipeline);
    return server.exited ? na("server exited during the benchmark") : outcome;
  }

  async function checkSupport(side, server, benchCase) {
    const key = `${side.id}|${benchCase.name}`;
    if (!support.has(key)) {
      const reason = await probe(server.port, benchCase.probes);
      support.set(key, reason && (await diedMeanwhile(server)) ? `${reason.split(":")[0]}: server exited` : reason);
    }
    return support.get(key);
  }

  async function summarise() {
    for (const slot of Object.values(servers)) await slot.stop();
    for (const [index, pipeline] of PIPELINES.entries()) {
      for (const benchCase of CASES) {
        const samples = runs.get(`${pipeline}|${benchCase.name}`) ?? { redis: [], redish: [] };
        addComparison(sections[index], benchCase.name, {
          redis: medianOutcome(samples.redis),
          redish: medianOutcome(samples.redish),
        });
      }
    }
    addSaturatedLatency();
  }

  function addSaturatedLatency() {
    for (const name of SATURATED_LATENCY.cases) {
      const samples = runs.get(`${SATURATED_LATENCY.pipeline}|${name}`) ?? { redis: [], redish: [] };
      for (const percentileName of SATURATED_LATENCY.percentiles) {
        const pick = (outcomes) => medianOutcome(outcomes.map((o) => (o.error ? o : ok(o.latency[percentileName]))));
        addComparison(saturated, `${name} ${percentileName}`, {
          redis: pick(samples.redis),
          redish: pick(samples.redish),
        });
      }
    }
  }

  return { name: "throughput", sections: [...sections, saturated], tasks };
}

// Sends each probe once. Any error reply (typically "ERR unknown command")
// or silence marks the case unsupported, so it is reported, not skipped.
async function probe(port, commands) {
  for (const args of commands) {
    try {
      const reply = await callOnce(port, args);
      if (reply instanceof ReplyError) return `${args[0]}: ${reply.message}`;
    } catch (error) {
      return `${args[0]}: ${error.message}`;
    }
  }
  return null;
}

// A closed connection may mean the command crashed the server; the exit
// event can trail the closed socket by a moment.
async function diedMeanwhile(server) {
  await sleep(100);
  return server.exited;
}

function medianOutcome(outcomes) {
  const values = outcomes.filter((o) => o.error === undefined).map((o) => o.value);
  if (values.length > 0) return ok(median(values));
  return na(outcomes[0]?.error ?? "not measured");
}

export async function runBenchmark(ctx, port, benchCase, pipeline, requests = null) {
  const { mode, tools } = ctx;
  const count = requests ?? Math.max(1_000, Math.round(mode.requests[pipeline] * (benchCase.scale ?? 1)));
  const argv = [tools.benchmark, "-h", "127.0.0.1", "-p", String(port)];
  argv.push("-c", String(mode.clients), "-n", String(count), "-P", String(pipeline));
  argv.push("-t", benchCase.test, "--csv");
  if (benchCase.dataSize) argv.push("-d", String(benchCase.dataSize));
  const result = await runProcess(argv, { timeoutMs: mode.benchmarkTimeoutMs });
  return parseBenchmark(result, benchCase.test, mode.benchmarkTimeoutMs);
}

function csvFields(line) {
  return line.split(",").map((field) => field.replace(/^"|"$/g, ""));
}

// Resolves to { value: requests per second, latency: { p50, p99 } } or n/a.
function parseBenchmark(result, test, timeoutMs) {
  if (result.timedOut) return na(`redis-benchmark timed out after ${timeoutMs / 1000} s`);
  const output = `${result.stdout}\n${result.stderr}`;
  const serverError = output.match(/Error from server: (.*)/);
  if (serverError) return na(serverError[1].trim());
  const wanted = test.toUpperCase();
  const [header, ...rows] = result.stdout.trim().split("\n").map(csvFields);
  for (const fields of rows) {
    if (fields[0].split(" ")[0] !== wanted) continue;
    const column = (name) => Number(fields[header.indexOf(name)]);
    const latency = { p50: column("p50_latency_ms"), p99: column("p99_latency_ms") };
    return { value: column("rps"), latency };
  }
  const lastLine = output.trim().split("\n").pop() || `exit code ${result.code}`;
  return na(`redis-benchmark: ${lastLine}`);
}
