// Engine state that lives in WASM globals rather than linear memory. A
// snapshot (BGSAVE without fork) is a copy of linear memory handed to a
// fresh instance of the same module in a worker; these few globals go with
// it so the copy's keyspace can be found and looked up there.
//
//   state record (SNAPSHOT_STATE_SIZE bytes, written/read at a host-chosen address)
//   ┌──────────────┬───────────────┬───────────┐
//   │ db table u32 │ db count u32  │ hash seed │
//   └──────────────┴───────────────┴───────────┘
//     +0             +4              +8
//
// The allocator's root is not here: the same module places it at the same
// address in every instance, and its state is in memory.

import { dbTable, dbTableCount, dbRestoreTable } from "./db";
import { hashSeed, setHashSeed } from "./hash";

// @ts-ignore: decorator
@inline const S_DB_TABLE: usize = 0;
// @ts-ignore: decorator
@inline const S_DB_COUNT: usize = 4;
// @ts-ignore: decorator
@inline const S_HASH_SEED: usize = 8;
export const SNAPSHOT_STATE_SIZE: usize = 12;

export function snapshotStateSize(): usize {
  return SNAPSHOT_STATE_SIZE;
}

export function snapshotStateSave(p: usize): void {
  store<u32>(p, <u32>dbTable(), S_DB_TABLE);
  store<u32>(p, dbTableCount(), S_DB_COUNT);
  store<u32>(p, hashSeed(), S_HASH_SEED);
}

export function snapshotStateRestore(p: usize): void {
  dbRestoreTable(<usize>load<u32>(p, S_DB_TABLE), load<u32>(p, S_DB_COUNT));
  setHashSeed(load<u32>(p, S_HASH_SEED));
}
