// Walking and editing a quicklist in the middle (quicklist.c's iterator,
// _quicklistInsert, quicklistReplaceEntry, quicklistDelRange): the parts of
// Redis 7.0's quicklist that split full nodes, merge neighbours and delete
// across nodes. Structure and compression are in quicklist.ts.
//
//   iterator (module state)        element loaded by qlNext / qlAt / qlPeek
//   ┌────────────────────────┐     ┌──────────────────────────────────────┐
//   │ itQl itCurrent itZi    │     │ entNode entZi entOffset              │
//   │ itOffset itDir         │     │ entValue+entSz (bytes) or entLong    │
//   └────────────────────────┘     └──────────────────────────────────────┘
//
// One iterator at a time: the engine runs one command at a time and no list
// operation nests another. Offsets are per node, negative from its end when
// walking from the tail, as in Redis.

import { zmalloc } from "./mem";
import {
  lpNext, lpPrev, lpSeek, lpGet, lpInsertString, lpAppend, lpPrepend, lpReplace, lpDeleteRange, lpMerge,
  lpLength, lpNew, lpLen, lpInt, LP_BEFORE, LP_AFTER,
} from "./listpack";
import {
  qlHead, qlTail, qlCount, nodePrev, nodeNext, nodeEntry, nodeSz, nodeCount, setEntry, setNodeCount, setCount,
  fillOf, updateSz, createNode, compress, decompressNode, decompressForUse, recompressOnly, insertNode, delNode,
  allowInsert, allowMerge, delIndex, AL_START_HEAD, AL_START_TAIL, QL_HEAD_SIDE,
} from "./quicklist";

// ── Iteration ────────────────────────────────────────────────────────────────

let itQl: usize = 0;
let itCurrent: usize = 0;
let itZi: usize = 0;
let itOffset: i32 = 0;
let itDir: i32 = AL_START_HEAD;

/** The element the last qlNext stopped at. */
export let entNode: usize = 0;
export let entZi: usize = 0;
export let entOffset: i32 = 0;
/** Its bytes (entSz long), or 0 when it is the integer entLong. */
export let entValue: usize = 0;
export let entSz: u32 = 0;
export let entLong: i64 = 0;

/** Starts an iterator at one end (quicklistGetIterator). */
export function qlIterStart(ql: usize, dir: i32): void {
  itQl = ql;
  itDir = dir;
  itZi = 0;
  itCurrent = dir == AL_START_HEAD ? qlHead(ql) : qlTail(ql);
  itOffset = dir == AL_START_HEAD ? 0 : -1;
}

/**
 * Starts an iterator at element idx (negative from the tail) moving in
 * `dir`; false when idx is out of range (quicklistGetIteratorAtIdx).
 */
export function qlIterAt(ql: usize, dir: i32, idx: i64): bool {
  const count = <u64>qlCount(ql);
  const forward = idx >= 0;
  const index: u64 = forward ? <u64>idx : <u64>(-(idx + 1));
  if (index >= count) return false;
  // Walk from the nearer end.
  let seekForward = forward;
  let seekIndex = index;
  if (index > (count - 1) / 2) {
    seekForward = !forward;
    seekIndex = count - 1 - index;
  }
  let n = seekForward ? qlHead(ql) : qlTail(ql);
  let accum: u64 = 0;
  while (n != 0 && accum + <u64>nodeCount(n) <= seekIndex) {
    accum += <u64>nodeCount(n);
    n = seekForward ? nodeNext(n) : nodePrev(n);
  }
  if (n == 0) return false;
  if (seekForward != forward) accum = count - <u64>nodeCount(n) - accum;
  itQl = ql;
  itDir = dir;
  itZi = 0;
  itCurrent = n;
  itOffset = forward ? <i32>(index - accum) : <i32>(-<i64>index - 1 + <i64>accum);
  return true;
}

/** Ends the iteration, recompressing the node it was in (quicklistReleaseIterator). */
export function qlIterRelease(): void {
  if (itCurrent != 0) compress(itQl, itCurrent);
  itCurrent = 0;
  itZi = 0;
}

/** Moves to the next element and loads it into ent*; false at the end (quicklistNext). */
export function qlNext(): bool {
  while (itCurrent != 0) {
    if (itZi == 0) {
      decompressForUse(itCurrent);
      itZi = lpSeek(nodeEntry(itCurrent), itOffset);
    } else if (itDir == AL_START_HEAD) {
      itZi = lpNext(nodeEntry(itCurrent), itZi);
      itOffset++;
    } else {
      itZi = lpPrev(nodeEntry(itCurrent), itZi);
      itOffset--;
    }
    entNode = itCurrent;
    entZi = itZi;
    entOffset = itOffset;
    if (itZi != 0) {
      entValue = lpGet(itZi);
      if (entValue != 0) entSz = lpLen;
      else entLong = lpInt;
      return true;
    }
    // This node is done: put it back and move to the next one.
    compress(itQl, itCurrent);
    if (itDir == AL_START_HEAD) {
      itCurrent = nodeNext(itCurrent);
      itOffset = 0;
    } else {
      itCurrent = nodePrev(itCurrent);
      itOffset = -1;
    }
    itZi = 0;
  }
  entNode = 0;
  return false;
}

/** Deletes the current element; the next qlNext continues after it (quicklistDelEntry). */
export function qlDelEntry(): void {
  const prev = nodePrev(entNode);
  const next = nodeNext(entNode);
  const gone = delIndex(itQl, entNode, entZi);
  itZi = 0;
  if (gone) {
    if (itDir == AL_START_HEAD) {
      itCurrent = next;
      itOffset = 0;
    } else {
      itCurrent = prev;
      itOffset = -1;
    }
  }
}

/** Replaces the current element; the iterator may not be used after (quicklistReplaceEntry). */
export function qlReplaceEntry(s: usize, slen: u32): void {
  setEntry(entNode, lpReplace(nodeEntry(entNode), entZi, s, slen));
  updateSz(entNode);
  compress(itQl, entNode);
  itCurrent = 0;
  itZi = 0;
}

/** LSET's write; false when idx is out of range. */
export function qlReplaceAtIndex(ql: usize, idx: i64, s: usize, slen: u32): bool {
  if (!qlAt(ql, idx)) return false;
  qlReplaceEntry(s, slen);
  qlIterRelease();
  return true;
}

/** Loads element idx into ent*, leaving the iterator on it; false when out of range. */
export function qlAt(ql: usize, idx: i64): bool {
  if (!qlIterAt(ql, AL_START_TAIL, idx)) return false;
  return qlNext();
}

// ── Split, merge, insert ─────────────────────────────────────────────────────

/** Merges node b into a (a left of b); returns the node kept (_quicklistListpackMerge). */
function listpackMerge(ql: usize, a: usize, b: usize): usize {
  decompressNode(a);
  decompressNode(b);
  // lpMerge keeps the block of the listpack with more entries.
  const keepA = lpLength(nodeEntry(a)) >= lpLength(nodeEntry(b));
  const merged = lpMerge(nodeEntry(a), nodeEntry(b));
  const keep = keepA ? a : b;
  const drop = keepA ? b : a;
  setEntry(keep, merged);
  setEntry(drop, 0);
  setNodeCount(keep, lpLength(merged));
  updateSz(keep);
  setNodeCount(drop, 0);
  delNode(ql, drop);
  compress(ql, keep);
  return keep;
}

/** Tries merging the nodes around `center` pairwise, as _quicklistMergeNodes does. */
function mergeNodes(ql: usize, center: usize): void {
  const fill = fillOf(ql);
  let prev = nodePrev(center);
  let prevPrev = prev != 0 ? nodePrev(prev) : 0;
  let next = nodeNext(center);
  let nextNext = next != 0 ? nodeNext(next) : 0;
  if (allowMerge(prev, prevPrev, fill)) {
    listpackMerge(ql, prevPrev, prev);
  }
  if (allowMerge(next, nextNext, fill)) {
    listpackMerge(ql, next, nextNext);
  }
  let target = center;
  if (allowMerge(center, nodePrev(center), fill)) target = listpackMerge(ql, nodePrev(center), center);
  if (allowMerge(target, nodeNext(target), fill)) listpackMerge(ql, target, nodeNext(target));
}

/**
 * Splits a raw node at `offset` (_quicklistSplitNode). With `after`, the new
 * node takes the elements after offset; otherwise the ones before it.
 */
function splitNode(n: usize, offset: i32, after: bool): usize {
  const sz = nodeSz(n);
  const nw = createNode();
  const copy = zmalloc(<usize>sz);
  memory.copy(copy, nodeEntry(n), sz);
  setEntry(nw, copy);
  if (offset < 0) offset = <i32>nodeCount(n) + offset;
  // An extent of -1 deletes to the end.
  const origStart = after ? offset + 1 : 0;
  const origExtent = after ? -1 : offset;
  const newStart = after ? 0 : offset;
  const newExtent = after ? offset + 1 : -1;
  setEntry(n, lpDeleteRange(nodeEntry(n), origStart, <u32>origExtent));
  setNodeCount(n, lpLength(nodeEntry(n)));
  updateSz(n);
  setEntry(nw, lpDeleteRange(nodeEntry(nw), newStart, <u32>newExtent));
  setNodeCount(nw, lpLength(nodeEntry(nw)));
  updateSz(nw);
  return nw;
}

/** A new node holding just one element. */
function singleNode(s: usize, slen: u32): usize {
  const n = createNode();
  setEntry(n, lpPrepend(lpNew(0), s, slen));
  setNodeCount(n, 1);
  updateSz(n);
  return n;
}

/** Inserts before or after the current element (_quicklistInsert); the iterator is spent. */
function insertAtEntry(s: usize, slen: u32, after: bool): void {
  const ql = itQl;
  const fill = fillOf(ql);
  const n = entNode;
  if (n == 0) {
    insertNode(ql, 0, singleNode(s, slen), after);
    setCount(ql, qlCount(ql) + 1);
    return;
  }
  const full = !allowInsert(n, fill, slen);
  const count = <i32>nodeCount(n);
  const atTail = after && (entOffset == count - 1 || entOffset == -1);
  const atHead = !after && (entOffset == 0 || entOffset == -count);
  const availNext = atTail && allowInsert(nodeNext(n), fill, slen);
  const availPrev = atHead && allowInsert(nodePrev(n), fill, slen);
  if (!full) {
    decompressForUse(n);
    setEntry(n, lpInsertString(nodeEntry(n), s, slen, entZi, after ? LP_AFTER : LP_BEFORE));
    setNodeCount(n, nodeCount(n) + 1);
    updateSz(n);
    recompressOnly(n);
  } else if (availNext) {
    // At the tail of a full node: the next node takes it at its head.
    const nx = nodeNext(n);
    decompressForUse(nx);
    setEntry(nx, lpPrepend(nodeEntry(nx), s, slen));
    setNodeCount(nx, nodeCount(nx) + 1);
    updateSz(nx);
    recompressOnly(nx);
    recompressOnly(n);
  } else if (availPrev) {
    const pv = nodePrev(n);
    decompressForUse(pv);
    setEntry(pv, lpAppend(nodeEntry(pv), s, slen));
    setNodeCount(pv, nodeCount(pv) + 1);
    updateSz(pv);
    recompressOnly(pv);
    recompressOnly(n);
  } else if (atTail || atHead) {
    insertNode(ql, n, singleNode(s, slen), after);
  } else {
    // In the middle of a full node: split it and put the element at the cut.
    decompressForUse(n);
    const nw = splitNode(n, entOffset, after);
    setEntry(nw, after ? lpPrepend(nodeEntry(nw), s, slen) : lpAppend(nodeEntry(nw), s, slen));
    setNodeCount(nw, nodeCount(nw) + 1);
    updateSz(nw);
    insertNode(ql, n, nw, after);
    mergeNodes(ql, n);
  }
  setCount(ql, qlCount(ql) + 1);
  itCurrent = 0;
  itZi = 0;
}

export function qlInsertBefore(s: usize, slen: u32): void {
  insertAtEntry(s, slen, false);
}

export function qlInsertAfter(s: usize, slen: u32): void {
  insertAtEntry(s, slen, true);
}

// ── Ranges ───────────────────────────────────────────────────────────────────

/** Deletes `count` elements from `start` (negative from the tail) on; false when nothing was deleted. */
export function qlDelRange(ql: usize, start: i64, count: i64): bool {
  if (count <= 0) return false;
  let extent: u64 = <u64>count;
  if (start >= 0 && extent > <u64>qlCount(ql) - <u64>start) {
    extent = <u64>qlCount(ql) - <u64>start;
  } else if (start < 0 && extent > <u64>(-start)) {
    extent = <u64>(-start);
  }
  if (!qlIterAt(ql, AL_START_TAIL, start)) return false;
  let n = itCurrent;
  let offset = <i64>itOffset;
  qlIterRelease();
  while (extent != 0) {
    const next = nodeNext(n);
    const cnt = <u64>nodeCount(n);
    let del: u64;
    let whole = false;
    if (offset == 0 && extent >= cnt) {
      whole = true;
      del = cnt;
    } else if (offset >= 0 && extent + <u64>offset >= cnt) {
      del = cnt - <u64>offset;
    } else if (offset < 0) {
      // Only on the first node: a negative offset counts the elements to its end.
      del = <u64>(-offset);
      if (del > extent) del = extent;
    } else {
      del = extent;
    }
    if (whole) {
      delNode(ql, n);
    } else {
      decompressForUse(n);
      setEntry(n, lpDeleteRange(nodeEntry(n), <i32>offset, <u32>del));
      updateSz(n);
      setNodeCount(n, nodeCount(n) - <u32>del);
      setCount(ql, qlCount(ql) - <u32>del);
      if (nodeCount(n) == 0) delNode(ql, n);
      else recompressOnly(n);
    }
    extent -= del;
    n = next;
    offset = 0;
  }
  return true;
}

// ── Pop ──────────────────────────────────────────────────────────────────────

/** Loads the head or tail element into ent* without an iterator (the list is not empty). */
export function qlPeek(ql: usize, where: i32): void {
  entNode = where == QL_HEAD_SIDE ? qlHead(ql) : qlTail(ql);
  entZi = lpSeek(nodeEntry(entNode), where == QL_HEAD_SIDE ? 0 : -1);
  entValue = lpGet(entZi);
  if (entValue != 0) entSz = lpLen;
  else entLong = lpInt;
}

/** Deletes the element qlPeek loaded (quicklistPopCustom's delete). */
export function qlDelPeeked(ql: usize): void {
  delIndex(ql, entNode, entZi);
}
