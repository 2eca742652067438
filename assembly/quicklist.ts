// Quicklist: Redis 7.0's list encoding (quicklist.c), a doubly linked list
// of listpack nodes. Node sizes follow `list-max-listpack-size` (negative:
// a byte limit of 4/8/16/32/64 KB; positive: an entry count, with an 8 KB
// safety limit), and nodes deeper than `list-compress-depth` from either end
// are LZF-compressed. Splits and merges happen exactly where Redis makes
// them, so the nodes (and the RDB dump of a list) match.
//
//   Quicklist (QL_SIZE bytes)
//   ┌──────┬──────┬───────┬─────┬──────┬──────────┐
//   │ head │ tail │ count │ len │ fill │ compress │
//   └──────┴──────┴───────┴─────┴──────┴──────────┘
//     +0     +4     +8      +12   +16    +20
//   count = elements, len = nodes, fill = list-max-listpack-size (i32)
//
//   Node (NODE_SIZE bytes)
//   ┌──────┬──────┬───────┬────┬───────┬───────┐
//   │ prev │ next │ entry │ sz │ count │ flags │
//   └──────┴──────┴───────┴────┴───────┴───────┘
//     +0     +4     +8      +12  +16     +20
//   entry = the listpack (RAW) or an LZF block (LZF); sz = listpack bytes
//   flags = encoding:2 (RAW 1, LZF 2) | recompress:1 | dont_compress:1
//
//   LZF block: ┌──────────────────┬──────────────────┐
//              │ compressed bytes │ compressed data  │
//              │ u32              │                  │
//              └──────────────────┴──────────────────┘
//
// Elements of 1 GB or more (Redis's PLAIN nodes) cannot exist in a 4 GB
// linear memory alongside their copy, so every node is a listpack.
//
// This file holds the structure, compression, pushes and copies; iterating,
// inserting in the middle, replacing and deleting ranges are in
// quicklist_iter.ts, which uses the helpers exported here for that purpose.

import { zfree, zmalloc, zrealloc, zcalloc } from "./mem";
import { lpNew, lpBytes, lpLength, lpAppend, lpPrepend, lpDelete } from "./listpack";
import { lzfCompress, lzfDecompress } from "./lzf";

// @ts-ignore: decorator
@inline const QL_HEAD: usize = 0;
// @ts-ignore: decorator
@inline const QL_TAIL: usize = 4;
// @ts-ignore: decorator
@inline const QL_COUNT: usize = 8;
// @ts-ignore: decorator
@inline const QL_LEN: usize = 12;
// @ts-ignore: decorator
@inline const QL_FILL: usize = 16;
// @ts-ignore: decorator
@inline const QL_COMPRESS: usize = 20;
// @ts-ignore: decorator
@inline const QL_SIZE: usize = 24;

// @ts-ignore: decorator
@inline const N_PREV: usize = 0;
// @ts-ignore: decorator
@inline const N_NEXT: usize = 4;
// @ts-ignore: decorator
@inline const N_ENTRY: usize = 8;
// @ts-ignore: decorator
@inline const N_SZ: usize = 12;
// @ts-ignore: decorator
@inline const N_COUNT: usize = 16;
// @ts-ignore: decorator
@inline const N_FLAGS: usize = 20;
// @ts-ignore: decorator
@inline const NODE_SIZE: usize = 24;

// @ts-ignore: decorator
@inline const ENC_RAW: u32 = 1;
// @ts-ignore: decorator
@inline const ENC_LZF: u32 = 2;
// @ts-ignore: decorator
@inline const ENC_MASK: u32 = 3;
// @ts-ignore: decorator
@inline const F_RECOMPRESS: u32 = 4;
// @ts-ignore: decorator
@inline const F_DONT_COMPRESS: u32 = 8;

// @ts-ignore: decorator
@inline const LZF_SZ: usize = 0;
// @ts-ignore: decorator
@inline const LZF_DATA: usize = 4;

/** Byte limits of fill -1..-5 (Redis's optimization_level). */
const OPTIMIZATION_LEVEL: StaticArray<u32> = [4096, 8192, 16384, 32768, 65536];
/** Largest multi-element node when the limit is an entry count. */
// @ts-ignore: decorator
@inline const SIZE_SAFETY_LIMIT: u64 = 8192;
/** Overestimate of an entry's header and backlen when judging whether it fits. */
// @ts-ignore: decorator
@inline const SIZE_ESTIMATE_OVERHEAD: u64 = 8;
/** Nodes smaller than this are not worth compressing. */
// @ts-ignore: decorator
@inline const MIN_COMPRESS_BYTES: u32 = 48;
/** A compressed node must save at least this many bytes. */
// @ts-ignore: decorator
@inline const MIN_COMPRESS_IMPROVE: u32 = 8;
/** Redis's FILL_MAX and COMPRESS_MAX (bit-field widths of the quicklist struct). */
// @ts-ignore: decorator
@inline const FILL_MAX: i32 = (1 << 15) - 1;
// @ts-ignore: decorator
@inline const COMPRESS_MAX: i32 = (1 << 16) - 1;

export const QL_HEAD_SIDE: i32 = 0;
export const QL_TAIL_SIDE: i32 = -1;
/** Iteration directions (Redis's AL_START_HEAD / AL_START_TAIL). */
export const AL_START_HEAD: i32 = 0;
export const AL_START_TAIL: i32 = 1;

// ── Field access ─────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function qlHead(ql: usize): usize {
  return <usize>load<u32>(ql, QL_HEAD);
}

// @ts-ignore: decorator
@inline export function qlTail(ql: usize): usize {
  return <usize>load<u32>(ql, QL_TAIL);
}

// @ts-ignore: decorator
@inline export function qlCount(ql: usize): u32 {
  return load<u32>(ql, QL_COUNT);
}

// @ts-ignore: decorator
@inline export function qlLen(ql: usize): u32 {
  return load<u32>(ql, QL_LEN);
}

// @ts-ignore: decorator
@inline export function setCount(ql: usize, v: u32): void {
  store<u32>(ql, v, QL_COUNT);
}

// @ts-ignore: decorator
@inline export function fillOf(ql: usize): i32 {
  return load<i32>(ql, QL_FILL);
}

// @ts-ignore: decorator
@inline function compressOf(ql: usize): u32 {
  return load<u32>(ql, QL_COMPRESS);
}

// @ts-ignore: decorator
@inline export function nodePrev(n: usize): usize {
  return <usize>load<u32>(n, N_PREV);
}

// @ts-ignore: decorator
@inline export function nodeNext(n: usize): usize {
  return <usize>load<u32>(n, N_NEXT);
}

// @ts-ignore: decorator
@inline export function nodeEntry(n: usize): usize {
  return <usize>load<u32>(n, N_ENTRY);
}

// @ts-ignore: decorator
@inline export function setEntry(n: usize, e: usize): void {
  store<u32>(n, <u32>e, N_ENTRY);
}

// @ts-ignore: decorator
@inline export function nodeSz(n: usize): u32 {
  return load<u32>(n, N_SZ);
}

// @ts-ignore: decorator
@inline export function nodeCount(n: usize): u32 {
  return load<u32>(n, N_COUNT);
}

// @ts-ignore: decorator
@inline export function setNodeCount(n: usize, v: u32): void {
  store<u32>(n, v, N_COUNT);
}

// @ts-ignore: decorator
@inline function flags(n: usize): u32 {
  return load<u32>(n, N_FLAGS);
}

// @ts-ignore: decorator
@inline function setFlag(n: usize, f: u32, on: bool): void {
  store<u32>(n, on ? flags(n) | f : flags(n) & ~f, N_FLAGS);
}

// @ts-ignore: decorator
@inline export function nodeIsCompressed(n: usize): bool {
  return (flags(n) & ENC_MASK) == ENC_LZF;
}

// @ts-ignore: decorator
@inline function setEncoding(n: usize, enc: u32): void {
  store<u32>(n, (flags(n) & ~ENC_MASK) | enc, N_FLAGS);
}

/** Compressed size and data of an LZF node (for RDB dumps). */
export function nodeLzfSize(n: usize): u32 {
  return load<u32>(nodeEntry(n), LZF_SZ);
}

export function nodeLzfData(n: usize): usize {
  return nodeEntry(n) + LZF_DATA;
}

// @ts-ignore: decorator
@inline export function updateSz(n: usize): void {
  store<u32>(n, lpBytes(nodeEntry(n)), N_SZ);
}

// ── Creation ─────────────────────────────────────────────────────────────────

/** A new empty quicklist with clamped options (quicklistNew). */
export function qlCreate(fill: i32, compress: i32): usize {
  const ql = zcalloc(QL_SIZE);
  store<i32>(ql, fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill, QL_FILL);
  store<u32>(ql, <u32>(compress > COMPRESS_MAX ? COMPRESS_MAX : compress < 0 ? 0 : compress), QL_COMPRESS);
  return ql;
}

export function createNode(): usize {
  const n = zcalloc(NODE_SIZE);
  store<u32>(n, ENC_RAW, N_FLAGS);
  return n;
}

export function qlRelease(ql: usize): void {
  let n = qlHead(ql);
  while (n != 0) {
    const next = nodeNext(n);
    zfree(nodeEntry(n));
    zfree(n);
    n = next;
  }
  zfree(ql);
}

// ── Compression ──────────────────────────────────────────────────────────────

/** Compresses a raw inner node when that saves enough (__quicklistCompressNode). */
function compressRaw(n: usize): bool {
  if ((flags(n) & F_DONT_COMPRESS) != 0) return false;
  setFlag(n, F_RECOMPRESS, false);
  const sz = nodeSz(n);
  if (sz < MIN_COMPRESS_BYTES) return false;
  let lzf = zmalloc(LZF_DATA + <usize>sz);
  const csz = lzfCompress(nodeEntry(n), sz, lzf + LZF_DATA, sz);
  if (csz == 0 || csz + MIN_COMPRESS_IMPROVE >= sz) {
    zfree(lzf);
    return false;
  }
  lzf = zrealloc(lzf, LZF_DATA + <usize>csz);
  store<u32>(lzf, csz, LZF_SZ);
  zfree(nodeEntry(n));
  setEntry(n, lzf);
  setEncoding(n, ENC_LZF);
  return true;
}

function decompressRaw(n: usize): bool {
  setFlag(n, F_RECOMPRESS, false);
  const sz = nodeSz(n);
  const lzf = nodeEntry(n);
  const lp = zmalloc(<usize>sz);
  if (lzfDecompress(lzf + LZF_DATA, load<u32>(lzf, LZF_SZ), lp, sz) == 0) {
    zfree(lp);
    return false;
  }
  zfree(lzf);
  setEntry(n, lp);
  setEncoding(n, ENC_RAW);
  return true;
}

export function compressNode(n: usize): void {
  if (n != 0 && !nodeIsCompressed(n)) compressRaw(n);
}

export function decompressNode(n: usize): void {
  if (n != 0 && nodeIsCompressed(n)) decompressRaw(n);
}

/** Decompresses a node for a moment; recompressOnly puts it back. */
export function decompressForUse(n: usize): void {
  if (n != 0 && nodeIsCompressed(n)) {
    decompressRaw(n);
    setFlag(n, F_RECOMPRESS, true);
  }
}

export function recompressOnly(n: usize): void {
  if ((flags(n) & F_RECOMPRESS) != 0) compressNode(n);
}

/**
 * Keeps `compress` nodes raw at each end and compresses `node` and the first
 * node past the depth on each side (__quicklistCompress). `node` may be 0.
 */
function compressAround(ql: usize, node: usize): void {
  const len = qlLen(ql);
  const depth = compressOf(ql);
  if (len == 0 || depth == 0 || len < depth * 2) return;
  let forward = qlHead(ql);
  let reverse = qlTail(ql);
  let inDepth = false;
  for (let d: u32 = 0; d < depth; d++) {
    decompressNode(forward);
    decompressNode(reverse);
    if (forward == node || reverse == node) inDepth = true;
    if (forward == reverse || nodeNext(forward) == reverse) return;
    forward = nodeNext(forward);
    reverse = nodePrev(reverse);
  }
  if (!inDepth) compressNode(node);
  compressNode(forward);
  compressNode(reverse);
}

/** Redis's quicklistCompress macro: a node decompressed for use just goes back. */
export function compress(ql: usize, n: usize): void {
  if ((flags(n) & F_RECOMPRESS) != 0) compressNode(n);
  else compressAround(ql, n);
}

// ── Node list ────────────────────────────────────────────────────────────────

/** Links `nw` after (or before) `old` (0 for an empty list) and updates compression. */
export function insertNode(ql: usize, old: usize, nw: usize, after: bool): void {
  if (after) {
    store<u32>(nw, <u32>old, N_PREV);
    if (old != 0) {
      store<u32>(nw, <u32>nodeNext(old), N_NEXT);
      if (nodeNext(old) != 0) store<u32>(nodeNext(old), <u32>nw, N_PREV);
      store<u32>(old, <u32>nw, N_NEXT);
    }
    if (qlTail(ql) == old) store<u32>(ql, <u32>nw, QL_TAIL);
  } else {
    store<u32>(nw, <u32>old, N_NEXT);
    if (old != 0) {
      store<u32>(nw, <u32>nodePrev(old), N_PREV);
      if (nodePrev(old) != 0) store<u32>(nodePrev(old), <u32>nw, N_NEXT);
      store<u32>(old, <u32>nw, N_PREV);
    }
    if (qlHead(ql) == old) store<u32>(ql, <u32>nw, QL_HEAD);
  }
  if (qlLen(ql) == 0) {
    store<u32>(ql, <u32>nw, QL_HEAD);
    store<u32>(ql, <u32>nw, QL_TAIL);
  }
  store<u32>(ql, qlLen(ql) + 1, QL_LEN);
  if (old != 0) compress(ql, old);
  compress(ql, nw);
}

export function delNode(ql: usize, n: usize): void {
  const prev = nodePrev(n);
  const next = nodeNext(n);
  if (next != 0) store<u32>(next, <u32>prev, N_PREV);
  if (prev != 0) store<u32>(prev, <u32>next, N_NEXT);
  if (n == qlTail(ql)) store<u32>(ql, <u32>prev, QL_TAIL);
  if (n == qlHead(ql)) store<u32>(ql, <u32>next, QL_HEAD);
  store<u32>(ql, qlLen(ql) - 1, QL_LEN);
  setCount(ql, qlCount(ql) - nodeCount(n));
  // Deleting a node inside the depth pulls a compressed one into it.
  compressAround(ql, 0);
  zfree(nodeEntry(n));
  zfree(n);
}

// ── Size limits ──────────────────────────────────────────────────────────────

/** Whether a node of `sz` bytes is within a negative fill's byte limit. */
function meetsOptimization(sz: u64, fill: i32): bool {
  if (fill >= 0) return false;
  const level = -fill - 1;
  return level < OPTIMIZATION_LEVEL.length && sz <= <u64>OPTIMIZATION_LEVEL[level];
}

/** Whether one more element of `sz` bytes fits in node n (_quicklistNodeAllowInsert). */
export function allowInsert(n: usize, fill: i32, sz: u32): bool {
  if (n == 0) return false;
  const newSz = <u64>nodeSz(n) + <u64>sz + SIZE_ESTIMATE_OVERHEAD;
  if (meetsOptimization(newSz, fill)) return true;
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return <i32>nodeCount(n) < fill;
}

/** Whether nodes a and b may become one (_quicklistNodeAllowMerge). */
export function allowMerge(a: usize, b: usize, fill: i32): bool {
  if (a == 0 || b == 0) return false;
  // Redis still subtracts the ziplist header size (11) here; the estimate is kept.
  const mergeSz = <u64>(<u32>(nodeSz(a) + nodeSz(b) - 11));
  if (meetsOptimization(mergeSz, fill)) return true;
  if (mergeSz > SIZE_SAFETY_LIMIT) return false;
  return <i32>(nodeCount(a) + nodeCount(b)) <= fill;
}

// ── Push and append ──────────────────────────────────────────────────────────

/** Adds an element at the head; true when a new head node was made. */
export function qlPushHead(ql: usize, s: usize, slen: u32): bool {
  const head = qlHead(ql);
  if (allowInsert(head, fillOf(ql), slen)) {
    setEntry(head, lpPrepend(nodeEntry(head), s, slen));
    updateSz(head);
  } else {
    const n = createNode();
    setEntry(n, lpPrepend(lpNew(0), s, slen));
    updateSz(n);
    insertNode(ql, head, n, false);
  }
  setCount(ql, qlCount(ql) + 1);
  setNodeCount(qlHead(ql), nodeCount(qlHead(ql)) + 1);
  return head != qlHead(ql);
}

/** Adds an element at the tail; true when a new tail node was made. */
export function qlPushTail(ql: usize, s: usize, slen: u32): bool {
  const tail = qlTail(ql);
  if (allowInsert(tail, fillOf(ql), slen)) {
    setEntry(tail, lpAppend(nodeEntry(tail), s, slen));
    updateSz(tail);
  } else {
    const n = createNode();
    setEntry(n, lpAppend(lpNew(0), s, slen));
    updateSz(n);
    insertNode(ql, tail, n, true);
  }
  setCount(ql, qlCount(ql) + 1);
  setNodeCount(qlTail(ql), nodeCount(qlTail(ql)) + 1);
  return tail != qlTail(ql);
}

export function qlPush(ql: usize, s: usize, slen: u32, where: i32): void {
  if (where == QL_HEAD_SIDE) qlPushHead(ql, s, slen);
  else qlPushTail(ql, s, slen);
}

/** Adds a whole listpack as the new tail node (RDB loading); the quicklist owns it. */
export function qlAppendListpack(ql: usize, lp: usize): void {
  const n = createNode();
  setEntry(n, lp);
  setNodeCount(n, lpLength(lp));
  store<u32>(n, lpBytes(lp), N_SZ);
  insertNode(ql, qlTail(ql), n, true);
  setCount(ql, qlCount(ql) + nodeCount(n));
}

// ── Deleting one entry ───────────────────────────────────────────────────────

/** Deletes the entry at p in node n; true when the node went with it. lpPos = next entry. */
export function delIndex(ql: usize, n: usize, p: usize): bool {
  setEntry(n, lpDelete(nodeEntry(n), p));
  setNodeCount(n, nodeCount(n) - 1);
  let gone = false;
  if (nodeCount(n) == 0) {
    gone = true;
    delNode(ql, n);
  } else {
    updateSz(n);
  }
  setCount(ql, qlCount(ql) - 1);
  return gone;
}

// ── Copy ─────────────────────────────────────────────────────────────────────

/** A copy with the same nodes, compressed or not (quicklistDup). */
export function qlDup(orig: usize): usize {
  const copy = qlCreate(fillOf(orig), <i32>compressOf(orig));
  for (let cur = qlHead(orig); cur != 0; cur = nodeNext(cur)) {
    const n = createNode();
    const size = nodeIsCompressed(cur) ? LZF_DATA + <usize>nodeLzfSize(cur) : <usize>nodeSz(cur);
    const e = zmalloc(size);
    memory.copy(e, nodeEntry(cur), size);
    setEntry(n, e);
    setNodeCount(n, nodeCount(cur));
    setCount(copy, qlCount(copy) + nodeCount(cur));
    store<u32>(n, nodeSz(cur), N_SZ);
    setEncoding(n, flags(cur) & ENC_MASK);
    insertNode(copy, qlTail(copy), n, true);
  }
  return copy;
}

// The iterator API, re-exported so one import serves the list's users.
export {
  qlIterStart, qlIterAt, qlIterRelease, qlNext, qlDelEntry, qlInsertBefore, qlInsertAfter, qlReplaceAtIndex, qlAt,
  qlDelRange, qlPeek, qlDelPeeked, entNode, entZi, entOffset, entValue, entSz, entLong,
} from "./quicklist_iter";
