// Progress on stderr, so stdout carries only the report. On a terminal this
// is a cli-progress bar; in CI logs it is one line per step instead.
// Warnings are de-duplicated (a missing server would otherwise warn in
// every phase) and, on a terminal, held back until the bar is gone.
import cliProgress from "cli-progress";

export function createProgress(total) {
  const warnings = [];
  const seen = new Set();
  const bar = process.stderr.isTTY ? startBar(total) : null;

  return {
    warnings,
    begin(index, label) {
      if (bar) bar.update(index, { step: label });
      else process.stderr.write(`[${index + 1}/${total}] ${label}\n`);
    },
    warn(message) {
      if (seen.has(message)) return;
      seen.add(message);
      warnings.push(message);
      if (!bar) process.stderr.write(`warning: ${message}\n`);
    },
    finish() {
      if (!bar) return;
      bar.update(total, { step: "done" });
      bar.stop();
      for (const message of warnings) process.stderr.write(`warning: ${message}\n`);
    },
    // Restores the cursor when the run is interrupted.
    abort() {
      bar?.stop();
    },
  };
}

function startBar(total) {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: " {bar} {value}/{total} | {duration_formatted}, ETA {eta_formatted} | {step}",
      hideCursor: true,
      etaBuffer: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { step: "starting" });
  return bar;
}
