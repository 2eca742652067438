// What sorted-set reads hand back to the host: a table of (member, score)
// items that the reply writer walks once. Members are addresses into the
// zset itself (skiplist dict entries, listpack strings) or into a text arena
// where listpack integers are printed and popped members are copied.
//
//   item table (ITEM_SIZE bytes each)
//   ┌─────────────┬────────────┬──────────────┐
//   │ member ptr  │ member len │ score (f64)  │
//   └─────────────┴────────────┴──────────────┘
//     +0            +4           +8
//
//   text arena: a chain of chunks that never move once written, so items
//   can point into them while more text is added.
//   ┌──────┬─────┬──────┬───────────────────┐
//   │ next │ cap │ used │ bytes ...         │
//   └──────┴─────┴──────┴───────────────────┘
//
// Both are valid until the next call that resets them (zitemsReset).

import { zfree, zmalloc } from "./mem";
import { lpGet, lpLen, lpInt } from "./listpack";
import { ll2string } from "./util";
import { formatG17 } from "./d2string";

// @ts-ignore: decorator
@inline export const ITEM_SIZE: usize = 16;
// @ts-ignore: decorator
@inline const CHUNK_NEXT: usize = 0;
// @ts-ignore: decorator
@inline const CHUNK_CAP: usize = 4;
// @ts-ignore: decorator
@inline const CHUNK_USED: usize = 8;
// @ts-ignore: decorator
@inline const CHUNK_DATA: usize = 12;
/** The first chunk's size, kept between calls; bigger needs get chunks of their own. */
// @ts-ignore: decorator
@inline const CHUNK_BYTES: u32 = 64 * 1024;
/** Room an int64 needs in decimal. */
// @ts-ignore: decorator
@inline const INT_TEXT: u32 = 20;
/** An item table grown past this for one big reply is given back at the next reset. */
// @ts-ignore: decorator
@inline const KEEP_ITEMS: u32 = 64 * 1024;

let items: usize = 0;
let itemsCap: u32 = 0;
export let zitemCount: u32 = 0;
let firstChunk: usize = 0;
let chunk: usize = 0;

export function zitemsPtr(): usize {
  return items;
}

/** Empties the table and the text arena (keeping the first chunk). */
export function zitemsReset(): void {
  zitemCount = 0;
  if (itemsCap > KEEP_ITEMS) {
    zfree(items);
    items = 0;
    itemsCap = 0;
  }
  if (firstChunk == 0) {
    firstChunk = newChunk(CHUNK_BYTES);
  } else {
    let c = <usize>load<u32>(firstChunk, CHUNK_NEXT);
    while (c != 0) {
      const next = <usize>load<u32>(c, CHUNK_NEXT);
      zfree(c);
      c = next;
    }
    store<u32>(firstChunk, 0, CHUNK_NEXT);
    store<u32>(firstChunk, 0, CHUNK_USED);
  }
  chunk = firstChunk;
}

function newChunk(cap: u32): usize {
  const c = zmalloc(CHUNK_DATA + <usize>cap);
  store<u32>(c, 0, CHUNK_NEXT);
  store<u32>(c, cap, CHUNK_CAP);
  store<u32>(c, 0, CHUNK_USED);
  return c;
}

/** Room for n bytes of text that stay put; returns their address (commit with textCommit). */
function textRoom(n: u32): usize {
  const used = load<u32>(chunk, CHUNK_USED);
  if (used + n > load<u32>(chunk, CHUNK_CAP)) {
    const c = newChunk(max(n, CHUNK_BYTES));
    store<u32>(chunk, <u32>c, CHUNK_NEXT);
    chunk = c;
    return c + CHUNK_DATA;
  }
  return chunk + CHUNK_DATA + used;
}

// @ts-ignore: decorator
@inline function textCommit(n: u32): void {
  store<u32>(chunk, load<u32>(chunk, CHUNK_USED) + n, CHUNK_USED);
}

export function zitemPush(p: usize, len: u32, score: f64): void {
  if (zitemCount == itemsCap) {
    const cap = itemsCap == 0 ? <u32>64 : itemsCap * 2;
    const n = zmalloc(<usize>cap * ITEM_SIZE);
    if (items != 0) {
      memory.copy(n, items, <usize>zitemCount * ITEM_SIZE);
      zfree(items);
    }
    items = n;
    itemsCap = cap;
  }
  const at = items + <usize>zitemCount * ITEM_SIZE;
  store<u32>(at, <u32>p);
  store<u32>(at, len, 4);
  store<f64>(at, score, 8);
  zitemCount++;
}

/** Drops item i, moving the last item into its place (order is not kept). */
export function zitemSwapRemove(i: u32): void {
  zitemCount--;
  if (i != zitemCount) {
    memory.copy(items + <usize>i * ITEM_SIZE, items + <usize>zitemCount * ITEM_SIZE, ITEM_SIZE);
  }
}

/** An item whose member bytes are copied into the arena (they are about to be freed). */
export function zitemPushCopy(p: usize, len: u32, score: f64): void {
  const dst = textRoom(len);
  memory.copy(dst, p, len);
  textCommit(len);
  zitemPush(dst, len, score);
}

/**
 * An item for a listpack member entry: strings by address (or copied, when
 * the entry is about to be deleted), integers printed into the arena.
 */
export function zitemPushLpEntry(eptr: usize, score: f64, copy: bool): void {
  const s = lpGet(eptr);
  if (s != 0) {
    if (copy) zitemPushCopy(s, lpLen, score);
    else zitemPush(s, lpLen, score);
    return;
  }
  const dst = textRoom(INT_TEXT);
  const len = ll2string(dst, lpInt);
  textCommit(len);
  zitemPush(dst, len, score);
}

/**
 * An item holding a score as text, the way ZSCAN prints a skiplist score
 * (createStringObjectFromLongDouble: "%.17Lg", which for a double is
 * "%.17g", with "inf" and "-inf").
 */
export function zitemPushScoreText(v: f64): void {
  const dst = textRoom(32);
  let len: u32;
  if (isFinite(v)) {
    len = formatG17(dst, v);
  } else {
    len = v > 0 ? 3 : 4;
    if (v < 0) store<u8>(dst, 0x2d);
    store<u8>(dst + len - 3, 0x69);
    store<u8>(dst + len - 2, 0x6e);
    store<u8>(dst + len - 1, 0x66);
  }
  textCommit(len);
  zitemPush(dst, len, v);
}
