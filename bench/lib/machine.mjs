// What the numbers were measured on. Only names and versions are recorded,
// never paths, so committed results say nothing about the machine's layout.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { basename, join, sep } from "node:path";

// A busy machine makes every ratio noisy; recording the load next to the
// results lets a reader judge that, and the run warns up front.
export function loadAverage() {
  return Math.round(os.loadavg()[0] * 100) / 100;
}

export function isBusy(load) {
  return load > os.availableParallelism() / 2;
}

export function machineInfo(ctx) {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    loadAverage: { start: ctx.loadAtStart, end: loadAverage() },
    tempFilesystem: tempFilesystem(),
    node: process.version,
    redisServer: redisVersion(ctx.tools.server),
    redish: redishDescription(ctx),
  };
}

function cpuModel() {
  try {
    const match = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m);
    if (match) return match[1].trim();
  } catch {
    // Not Linux; fall through.
  }
  return os.cpus()[0]?.model ?? "unknown";
}

function redisVersion(binary) {
  try {
    const text = execFileSync(binary, ["--version"], { encoding: "utf8" });
    return text.match(/v=(\S+)/)?.[1] ?? text.trim();
  } catch {
    return "unknown";
  }
}

function redishDescription({ sides, repoRoot }) {
  const { argv, isReal } = sides.redish;
  if (!isReal) return { command: [basename(argv[0]), ...argv.slice(1)].join(" "), real: false };
  return {
    command: "node bin/redish-server.js",
    real: true,
    version: packageVersion(repoRoot),
    commit: gitCommit(repoRoot),
  };
}

function packageVersion(repoRoot) {
  try {
    return JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

function gitCommit(repoRoot) {
  try {
    const options = { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] };
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], options).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "assembly", "bin"], options).trim();
    return dirty ? `${commit}+uncommitted` : commit;
  } catch {
    return "unknown";
  }
}

// Servers keep their data in os.tmpdir(). On tmpfs, fsync costs nothing and
// the persistence numbers would not describe a disk, so it is worth knowing.
export function tempFilesystem() {
  try {
    const dir = os.tmpdir();
    let best = { mount: "", type: "unknown" };
    for (const line of readFileSync("/proc/mounts", "utf8").split("\n")) {
      const [, mount, type] = line.split(" ");
      const covers = mount && (dir === mount || dir.startsWith(mount === sep ? mount : mount + sep));
      if (covers && mount.length > best.mount.length) best = { mount, type };
    }
    return best.type;
  } catch {
    return "unknown";
  }
}
