// Command names → ids, so frame() can resolve a command's name where its
// bytes already are: the host registers each name once at start-up and the
// dispatcher indexes its table by the id instead of hashing bytes in JS.

import { dictAddOrFind, dictCreate, dictFind, entryVal, setEntryVal } from "./dict";

/** Command names are short; anything longer cannot be a command. */
// @ts-ignore: decorator
@inline const MAX_NAME: u32 = 32;

const registry = dictCreate();
const lowered = heap.alloc(MAX_NAME);

/** Registers a lower-case name under an id (ids start at 0). */
export function registerCommand(p: usize, len: u32, id: i32): void {
  setEntryVal(dictAddOrFind(registry, p, len), <u64>id);
}

/** The id of the command named by the bytes at p (any case), or -1. */
export function commandId(p: usize, len: u32): i32 {
  if (len == 0 || len > MAX_NAME) return -1;
  for (let i: usize = 0; i < <usize>len; i++) {
    const ch = load<u8>(p + i);
    store<u8>(lowered + i, ch >= 65 && ch <= 90 ? ch + 32 : ch);
  }
  const e = dictFind(registry, lowered, len);
  return e == 0 ? -1 : <i32>entryVal(e);
}
