// Benchmarks Redish against a real redis-server on this machine, in the same
// run, and reports Redish / redis-server ratios. See bench/README.md.
//
//   npm run bench                 full run (about 20 minutes)
//   npm run bench -- --quick      smoke run (about 2 minutes)
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cleanupNow, installCleanupHandlers, makeTempDir } from "./lib/cleanup.mjs";
import { embeddedPhase } from "./lib/embedded.mjs";
import { latencyPhase } from "./lib/latency.mjs";
import { isBusy, loadAverage, machineInfo, tempFilesystem } from "./lib/machine.mjs";
import { memoryPhase } from "./lib/memory.mjs";
import { MODES } from "./lib/modes.mjs";
import { persistencePhase } from "./lib/persistence.mjs";
import { createProgress } from "./lib/progress.mjs";
import { buildReport, writeReport } from "./lib/report.mjs";
import { describeSides, findRedisTools, INSTALL_HINT } from "./lib/servers.mjs";
import { throughputPhase } from "./lib/throughput.mjs";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PHASES = {
  throughput: throughputPhase,
  latency: latencyPhase,
  memory: memoryPhase,
  persistence: persistencePhase,
  embedded: embeddedPhase,
};

const USAGE = `Usage: npm run bench -- [options]

  --quick            small sizes and 2 rounds (about 2 minutes)
  --only LIST        comma-separated phases: ${Object.keys(PHASES).join(",")}
  --out DIR          where to write latest.{md,json,svg} (default bench/results,
                     or bench/results/tmp when the Redish side is overridden)
  --redish-cmd CMD   command for the "Redish" side instead of
                     "node bin/redish-server.js" (also env REDISH_CMD), e.g.
                     "redis-server" to check the harness itself
  -h, --help         show this help

Environment: REDIS_SERVER_BIN, REDIS_CLI_BIN, REDIS_BENCHMARK_BIN, REDISH_CMD.
`;

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      "redish-cmd": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  return values;
}

// Phases always run in their canonical order, whatever order --only lists.
function selectPhases(only) {
  if (!only) return { names: Object.keys(PHASES) };
  const names = only.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !PHASES[name]);
  if (unknown.length > 0) return { error: `unknown phase(s): ${unknown.join(", ")}` };
  return { names: Object.keys(PHASES).filter((name) => names.includes(name)) };
}

// Results from a stand-in "Redish" must never land where real results are
// committed, hence the different default output directory.
function outputDir(args, sides) {
  if (args.out) return resolve(args.out);
  return resolve(REPO_ROOT, sides.redish.isReal ? "bench/results" : "bench/results/tmp");
}

async function runTasks(tasks, progress) {
  for (const [index, task] of tasks.entries()) {
    progress.begin(index, task.label);
    try {
      await task.run();
    } catch (error) {
      progress.warn(`${task.label}: ${error?.stack ?? error}`);
    }
  }
  progress.finish();
}

function requireRedisTools() {
  const { tools, missing } = findRedisTools();
  if (missing.length === 0) return tools;
  process.stderr.write(
    `Cannot find ${missing.map((name) => `redis-${name}`).join(", ")}; the benchmark needs a real Redis to compare with.\n` +
      `Install it with:  ${INSTALL_HINT}\n` +
      "or point REDIS_SERVER_BIN (and REDIS_CLI_BIN, REDIS_BENCHMARK_BIN) at existing binaries.\n",
  );
  return null;
}

function warnAboutMachine(ctx, phaseNames) {
  if (isBusy(ctx.loadAtStart)) {
    process.stderr.write(`note: load average is ${ctx.loadAtStart}; other work on this machine makes ratios noisy\n`);
  }
  if (tempFilesystem() === "tmpfs" && phaseNames.includes("persistence")) {
    process.stderr.write("note: the temp dir is on tmpfs; set TMPDIR to a disk for meaningful persistence numbers\n");
  }
}

async function main() {
  const args = parseCommandLine();
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { names: phaseNames, error } = selectPhases(args.only);
  if (error) {
    process.stderr.write(`${error}\n\n${USAGE}`);
    return 2;
  }
  const tools = requireRedisTools();
  if (!tools) return 1;

  const mode = MODES[args.quick ? "quick" : "full"];
  const sides = describeSides(tools, REPO_ROOT, args["redish-cmd"] ?? process.env.REDISH_CMD);
  const startedAt = new Date();
  const ctx = { mode, tools, sides, repoRoot: REPO_ROOT, loadAtStart: loadAverage(), logDir: null, warn: null };
  warnAboutMachine(ctx, phaseNames);

  const phases = phaseNames.map((name) => PHASES[name](ctx));
  const tasks = phases.flatMap((phase) => phase.tasks);
  const progress = createProgress(tasks.length);
  installCleanupHandlers(progress.abort);
  ctx.warn = progress.warn;
  ctx.logDir = makeTempDir("logs");
  await runTasks(tasks, progress);

  const report = buildReport({
    mode,
    machine: machineInfo(ctx),
    startedAt,
    sections: phases.flatMap((phase) => phase.sections),
    warnings: progress.warnings.map((message) => message.split("\n")[0]),
  });
  const outDir = outputDir(args, sides);
  process.stdout.write(writeReport(report, outDir));
  process.stderr.write(`\nWrote latest.md, latest.json and latest.svg to ${outDir}\n`);
  return 0;
}

main().then(
  (code) => {
    cleanupNow();
    process.exitCode = code;
  },
  (error) => {
    const usageError =
      error?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || error?.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE";
    process.stderr.write(usageError ? `${error.message}\n\n${USAGE}` : `${error?.stack ?? error}\n`);
    cleanupNow();
    process.exitCode = 1;
  },
);
