// Drives the engine's lazy freeing (assembly/lazyfree.ts). Where Redis has
// a background thread free what UNLINK and FLUSHALL ASYNC let go of, the
// engine frees a bounded amount of work per event-loop turn once a command
// queued something (setImmediate lets every socket be served in between),
// and the cron takes a step too.

import type { Engine } from "../engine/engine";

/** Work units (blocks freed, buckets visited) per turn: well under a millisecond. */
const STEP_WORK = 16384;

export class LazyFree {
  private scheduled = false;

  constructor(private readonly owner: { readonly engine: Engine }) {}

  /** Starts freeing in the coming turns if the engine has jobs waiting. */
  kick(): void {
    if (this.scheduled || this.owner.engine.x.lazyfreePending() === 0) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  /** The cron's share of the work. */
  cron(): void {
    this.owner.engine.x.lazyfreeStep(STEP_WORK);
    this.kick();
  }

  /** Frees everything queued, now. */
  drain(): void {
    while (this.owner.engine.x.lazyfreeStep(STEP_WORK) !== 0) {}
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    if (this.owner.engine.x.lazyfreeStep(STEP_WORK) !== 0) this.kick();
  };
}
