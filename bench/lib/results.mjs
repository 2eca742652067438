// Every measurement ends up as an outcome: { value } when it worked, or
// { error } with the reason it is "n/a". Rows compare a baseline (normally
// redis-server) with a subject (normally Redish) inside a section, which
// fixes the unit and whether higher or lower is better.
export const ok = (value) => ({ value });
export const na = (error) => ({ error });

export function makeSection({ id, title, unit, better, baseline = "redis-server", subject = "Redish" }) {
  return { id, title, unit, better, columns: { baseline, subject }, rows: [] };
}

export function addRow(section, name, baseline, subject) {
  const notes = {};
  if (baseline.error) notes.baseline = baseline.error;
  if (subject.error) notes.subject = subject.error;
  section.rows.push({
    name,
    baseline: baseline.value ?? null,
    subject: subject.value ?? null,
    ratio: ratioOf(baseline.value, subject.value),
    notes,
  });
}

// Most rows compare the two servers, keyed by side id.
export function addComparison(section, name, outcomes) {
  addRow(section, name, outcomes.redis ?? na("not measured"), outcomes.redish ?? na("not measured"));
}

function ratioOf(baseline, subject) {
  const usable = (x) => typeof x === "number" && Number.isFinite(x) && x > 0;
  return usable(baseline) && usable(subject) ? subject / baseline : null;
}

// Runs `measure` for each side in the given order and collects outcomes;
// a thrown error becomes that side's n/a reason instead of ending the run.
export async function measureSides(order, measure) {
  const outcomes = {};
  for (const side of order) {
    try {
      outcomes[side.id] = await measure(side);
    } catch (error) {
      outcomes[side.id] = na(String(error?.message ?? error).split("\n")[0]);
    }
  }
  return outcomes;
}

// Phases that get several numbers out of one server run return them as an
// object of outcomes; this picks one of them for every side.
export function pickOutcome(outcomes, key) {
  const picked = {};
  for (const [id, outcome] of Object.entries(outcomes)) {
    picked[id] = outcome.error !== undefined ? outcome : outcome.value[key];
  }
  return picked;
}
