// Repeating a measurement on both servers in turns and keeping the median.
// Who goes first swaps every round, so drift on the machine during the run
// (other load, caches warming, thermal throttling) falls on both sides.

import { na, ok } from "./results.mjs";
import { median } from "./stats.mjs";

// Per-side bookkeeping: samples per metric, the first error per metric, and
// a fatal reason once nothing more can be measured on that side.
export function newTally(side) {
  return { side, server: null, fatal: null, samples: {}, errors: {} };
}

export async function inTurns(tallies, rounds, step) {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? tallies : [...tallies].reverse();
    for (const tally of order) if (!tally.fatal) await step(tally);
  }
}

// Runs one measurement unless the metric already failed on this side (an
// unsupported command does not become supported in round two). Resolves to
// the outcome, or undefined when skipped.
export async function record(tally, metric, measure) {
  if (tally.fatal || tally.errors[metric]) return undefined;
  const outcome = await attempt(measure);
  if (outcome.error !== undefined) {
    tally.errors[metric] = outcome.error;
  } else {
    tally.samples[metric] ??= [];
    tally.samples[metric].push(outcome.value);
  }
  return outcome;
}

export function medianOf(tally, metric) {
  const values = tally.samples[metric] ?? [];
  if (values.length > 0) return ok(median(values));
  return na(tally.errors[metric] ?? tally.fatal ?? "not measured");
}

// A thrown error (say the server crashed mid-step) is n/a for that step only.
export async function attempt(measure) {
  try {
    return await measure();
  } catch (error) {
    return na(String(error?.message ?? error).split("\n")[0]);
  }
}
