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
// One iterator at a time lives in module state (it*, ent*): the engine runs
// one command at a time and no list operation nests another.

import { zfree, zmalloc, zrealloc, zcalloc } from "./mem";
import {
  lpNew, lpBytes, lpLength, lpNext, lpPrev, lpSeek, lpGet, lpInsertString, lpAppend, lpPrepend,
  lpReplace, lpDelete, lpDeleteRange, lpMerge, lpLen, lpInt, LP_BEFORE, LP_AFTER,
} from "./listpack";
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
@inline function setCount(ql: usize, v: u32): void {
  store<u32>(ql, v, QL_COUNT);
}

// @ts-ignore: decorator
@inline function fillOf(ql: usize): i32 {
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
@inline function setEntry(n: usize, e: usize): void {
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
@inline function setNodeCount(n: usize, v: u32): void {
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
@inline function updateSz(n: usize): void {
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

function createNode(): usize {
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

function compressNode(n: usize): void {
  if (n != 0 && !nodeIsCompressed(n)) compressRaw(n);
}

function decompressNode(n: usize): void {
  if (n != 0 && nodeIsCompressed(n)) decompressRaw(n);
}

/** Decompresses a node for a moment; recompressOnly puts it back. */
function decompressForUse(n: usize): void {
  if (n != 0 && nodeIsCompressed(n)) {
    decompressRaw(n);
    setFlag(n, F_RECOMPRESS, true);
  }
}

function recompressOnly(n: usize): void {
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
function compress(ql: usize, n: usize): void {
  if ((flags(n) & F_RECOMPRESS) != 0) compressNode(n);
  else compressAround(ql, n);
}

// ── Node list ────────────────────────────────────────────────────────────────

/** Links `nw` after (or before) `old` (0 for an empty list) and updates compression. */
function insertNode(ql: usize, old: usize, nw: usize, after: bool): void {
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

function delNode(ql: usize, n: usize): void {
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
function allowInsert(n: usize, fill: i32, sz: u32): bool {
  if (n == 0) return false;
  const newSz = <u64>nodeSz(n) + <u64>sz + SIZE_ESTIMATE_OVERHEAD;
  if (meetsOptimization(newSz, fill)) return true;
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return <i32>nodeCount(n) < fill;
}

/** Whether nodes a and b may become one (_quicklistNodeAllowMerge). */
function allowMerge(a: usize, b: usize, fill: i32): bool {
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

/** Deletes the entry at p in node n; true when the node went with it. lpPos = next entry. */
function delIndex(ql: usize, n: usize, p: usize): bool {
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

// ── Pop and copy ─────────────────────────────────────────────────────────────

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
