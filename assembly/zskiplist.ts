// The skiplist of a skiplist-encoded sorted set (Redis's zskiplist in
// t_zset.c): nodes ordered by (score, member bytes), each with 1..32 levels
// of forward pointers whose spans count the nodes they jump, so ranks come
// from the spans crossed on the way down; level 0 is doubly linked for
// reverse walks. A node does not hold its member: it points at the zset
// dict's entry, whose key is the member (Redis shares one sds the same way).
//
//   zskiplist (ZSL_SIZE)
//   ┌────────┬──────┬────────┬───────┐
//   │ header │ tail │ length │ level │   u32 each
//   └────────┴──────┴────────┴───────┘
//
//   node (NODE_LEVELS + 8 bytes per level)
//   ┌──────────────┬──────────┬─────────────┬──────────────────┬──────────────────┬─────┐
//   │ score (f64)  │ backward │ dict entry  │ level 0          │ level 1          │ ... │
//   │              │          │ (member)    │ forward │ span   │ forward │ span   │     │
//   └──────────────┴──────────┴─────────────┴─────────┴────────┴─────────┴────────┴─────┘
//     +0             +8         +12          +16
//
// The header is a node with ZSKIPLIST_MAXLEVEL levels and no member.
// Ranks in this file are 1-based, as in Redis.

import { zfree, zmalloc } from "./mem";
import { entryKey, entryKeyLen } from "./dict";
import { randomU32 } from "./hash";

/** Redis's ZSKIPLIST_MAXLEVEL: enough for 2^64 elements at P = 1/4. */
export const ZSKIPLIST_MAXLEVEL: i32 = 32;
/** ZSKIPLIST_P = 0.25 as Redis tests it: (random() & 0xFFFF) < 0.25 * 0xFFFF. */
// @ts-ignore: decorator
@inline const ZSKIPLIST_P_THRESHOLD: u32 = 16383;

// @ts-ignore: decorator
@inline const ZSL_HEADER: usize = 0;
// @ts-ignore: decorator
@inline const ZSL_TAIL: usize = 4;
// @ts-ignore: decorator
@inline const ZSL_LENGTH: usize = 8;
// @ts-ignore: decorator
@inline const ZSL_LEVEL: usize = 12;
// @ts-ignore: decorator
@inline export const ZSL_SIZE: usize = 16;

// @ts-ignore: decorator
@inline const NODE_SCORE: usize = 0;
// @ts-ignore: decorator
@inline const NODE_BACKWARD: usize = 8;
// @ts-ignore: decorator
@inline const NODE_ELE: usize = 12;
// @ts-ignore: decorator
@inline const NODE_LEVELS: usize = 16;

/** Nodes to update per level, filled by the searches that precede an insert or delete. */
const update: usize = memory.data(ZSKIPLIST_MAXLEVEL * 4);
const rank: usize = memory.data(ZSKIPLIST_MAXLEVEL * 4);

// ── Field access ─────────────────────────────────────────────────────────────

// @ts-ignore: decorator
@inline export function zslHeader(zsl: usize): usize {
  return <usize>load<u32>(zsl, ZSL_HEADER);
}

// @ts-ignore: decorator
@inline export function zslTail(zsl: usize): usize {
  return <usize>load<u32>(zsl, ZSL_TAIL);
}

// @ts-ignore: decorator
@inline export function zslLength(zsl: usize): u32 {
  return load<u32>(zsl, ZSL_LENGTH);
}

// @ts-ignore: decorator
@inline function zslLevel(zsl: usize): i32 {
  return load<i32>(zsl, ZSL_LEVEL);
}

// @ts-ignore: decorator
@inline export function nodeScore(x: usize): f64 {
  return load<f64>(x, NODE_SCORE);
}

// @ts-ignore: decorator
@inline export function nodeBackward(x: usize): usize {
  return <usize>load<u32>(x, NODE_BACKWARD);
}

/** The zset dict entry holding the node's member (and score). */
// @ts-ignore: decorator
@inline export function nodeEntry(x: usize): usize {
  return <usize>load<u32>(x, NODE_ELE);
}

// @ts-ignore: decorator
@inline export function nodeEle(x: usize): usize {
  return entryKey(nodeEntry(x));
}

// @ts-ignore: decorator
@inline export function nodeEleLen(x: usize): u32 {
  return entryKeyLen(nodeEntry(x));
}

// @ts-ignore: decorator
@inline export function nodeForward(x: usize, i: i32): usize {
  return <usize>load<u32>(x + NODE_LEVELS + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function nodeSpan(x: usize, i: i32): u32 {
  return load<u32>(x + NODE_LEVELS + (<usize>i << 3), 4);
}

// @ts-ignore: decorator
@inline function setForward(x: usize, i: i32, v: usize): void {
  store<u32>(x + NODE_LEVELS + (<usize>i << 3), <u32>v);
}

// @ts-ignore: decorator
@inline function setSpan(x: usize, i: i32, v: u32): void {
  store<u32>(x + NODE_LEVELS + (<usize>i << 3), v, 4);
}

// @ts-ignore: decorator
@inline function getUpdate(i: i32): usize {
  return <usize>load<u32>(update + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function setUpdate(i: i32, x: usize): void {
  store<u32>(update + (<usize>i << 2), <u32>x);
}

// @ts-ignore: decorator
@inline function getRank(i: i32): u32 {
  return load<u32>(rank + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function setRank(i: i32, v: u32): void {
  store<u32>(rank + (<usize>i << 2), v);
}

/** The first node (lowest score), or 0. */
// @ts-ignore: decorator
@inline export function zslFirst(zsl: usize): usize {
  return nodeForward(zslHeader(zsl), 0);
}

// ── Member order ─────────────────────────────────────────────────────────────

/**
 * sdscmp: bytes compared unsigned, then the shorter first. Eight bytes at a
 * time (unaligned loads are fine in WASM); a differing word is compared
 * big-endian, which orders it as its bytes would.
 */
export function memberCmp(a: usize, al: u32, b: usize, bl: u32): i32 {
  let n = min(al, bl);
  while (n >= 8) {
    const x = load<u64>(a);
    const y = load<u64>(b);
    if (x != y) return bswap<u64>(x) < bswap<u64>(y) ? -1 : 1;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    const x = <i32>load<u8>(a);
    const y = <i32>load<u8>(b);
    if (x != y) return x - y;
    a++;
    b++;
    n--;
  }
  return al < bl ? -1 : al > bl ? 1 : 0;
}

/** Whether node x sorts before (score, member) (strictly, or also when equal with orEqual). */
// @ts-ignore: decorator
@inline function nodeBefore(x: usize, score: f64, p: usize, l: u32, orEqual: bool): bool {
  const s = nodeScore(x);
  if (s < score) return true;
  if (s != score) return false;
  const c = memberCmp(nodeEle(x), nodeEleLen(x), p, l);
  return orEqual ? c <= 0 : c < 0;
}

// ── Create / free ────────────────────────────────────────────────────────────

function zslCreateNode(level: i32, score: f64, ele: usize): usize {
  const x = zmalloc(NODE_LEVELS + (<usize>level << 3));
  store<f64>(x, score, NODE_SCORE);
  store<u32>(x, 0, NODE_BACKWARD);
  store<u32>(x, <u32>ele, NODE_ELE);
  return x;
}

export function zslCreate(): usize {
  const zsl = zmalloc(ZSL_SIZE);
  const header = zslCreateNode(ZSKIPLIST_MAXLEVEL, 0, 0);
  for (let i = 0; i < ZSKIPLIST_MAXLEVEL; i++) {
    setForward(header, i, 0);
    setSpan(header, i, 0);
  }
  store<u32>(zsl, <u32>header, ZSL_HEADER);
  store<u32>(zsl, 0, ZSL_TAIL);
  store<u32>(zsl, 0, ZSL_LENGTH);
  store<i32>(zsl, 1, ZSL_LEVEL);
  return zsl;
}

/** Frees the nodes and the list; the dict entries they point at belong to the dict. */
export function zslFree(zsl: usize): void {
  let x = zslFirst(zsl);
  zfree(zslHeader(zsl));
  while (x != 0) {
    const next = nodeForward(x, 0);
    zfree(x);
    x = next;
  }
  zfree(zsl);
}

/** 1..32 with P(level > k) = 4^-k, as zslRandomLevel. */
function zslRandomLevel(): i32 {
  let level = 1;
  while ((randomU32() & 0xffff) <= ZSKIPLIST_P_THRESHOLD) level++;
  return level < ZSKIPLIST_MAXLEVEL ? level : ZSKIPLIST_MAXLEVEL;
}

// ── Insert / delete ──────────────────────────────────────────────────────────

/**
 * Inserts a node for `ele` (a dict entry whose key is the member, not yet
 * in the list) with the given score, and returns it (zslInsert).
 */
export function zslInsert(zsl: usize, score: f64, ele: usize): usize {
  const p = entryKey(ele);
  const l = entryKeyLen(ele);
  let x = zslHeader(zsl);
  const top = zslLevel(zsl);
  for (let i = top - 1; i >= 0; i--) {
    // Rank crossed to reach the insert position at this level.
    setRank(i, i == top - 1 ? 0 : getRank(i + 1));
    let next = nodeForward(x, i);
    while (next != 0 && nodeBefore(next, score, p, l, false)) {
      setRank(i, getRank(i) + nodeSpan(x, i));
      x = next;
      next = nodeForward(x, i);
    }
    setUpdate(i, x);
  }
  const level = zslRandomLevel();
  if (level > top) {
    const header = zslHeader(zsl);
    for (let i = top; i < level; i++) {
      setRank(i, 0);
      setUpdate(i, header);
      setSpan(header, i, zslLength(zsl));
    }
    store<i32>(zsl, level, ZSL_LEVEL);
  }
  x = zslCreateNode(level, score, ele);
  const rank0 = getRank(0);
  for (let i = 0; i < level; i++) {
    const u = getUpdate(i);
    setForward(x, i, nodeForward(u, i));
    setForward(u, i, x);
    setSpan(x, i, nodeSpan(u, i) - (rank0 - getRank(i)));
    setSpan(u, i, rank0 - getRank(i) + 1);
  }
  // Levels above the new node jump over one more node now.
  for (let i = level; i < zslLevel(zsl); i++) {
    const u = getUpdate(i);
    setSpan(u, i, nodeSpan(u, i) + 1);
  }
  const u0 = getUpdate(0);
  store<u32>(x, u0 == zslHeader(zsl) ? 0 : <u32>u0, NODE_BACKWARD);
  const next = nodeForward(x, 0);
  if (next != 0) store<u32>(next, <u32>x, NODE_BACKWARD);
  else store<u32>(zsl, <u32>x, ZSL_TAIL);
  store<u32>(zsl, zslLength(zsl) + 1, ZSL_LENGTH);
  return x;
}

/** Unlinks x, given the update[] path to it (zslDeleteNode); does not free it. */
function zslDeleteNode(zsl: usize, x: usize): void {
  const top = zslLevel(zsl);
  for (let i = 0; i < top; i++) {
    const u = getUpdate(i);
    if (nodeForward(u, i) == x) {
      setSpan(u, i, nodeSpan(u, i) + nodeSpan(x, i) - 1);
      setForward(u, i, nodeForward(x, i));
    } else {
      setSpan(u, i, nodeSpan(u, i) - 1);
    }
  }
  const next = nodeForward(x, 0);
  if (next != 0) store<u32>(next, load<u32>(x, NODE_BACKWARD), NODE_BACKWARD);
  else store<u32>(zsl, load<u32>(x, NODE_BACKWARD), ZSL_TAIL);
  const header = zslHeader(zsl);
  let level = top;
  while (level > 1 && nodeForward(header, level - 1) == 0) level--;
  store<i32>(zsl, level, ZSL_LEVEL);
  store<u32>(zsl, zslLength(zsl) - 1, ZSL_LENGTH);
}

/** Fills update[] with the last node before (score, member) on every level; returns the level-0 one. */
function findUpdatePath(zsl: usize, score: f64, p: usize, l: u32): usize {
  let x = zslHeader(zsl);
  for (let i = zslLevel(zsl) - 1; i >= 0; i--) {
    let next = nodeForward(x, i);
    while (next != 0 && nodeBefore(next, score, p, l, false)) {
      x = next;
      next = nodeForward(x, i);
    }
    setUpdate(i, x);
  }
  return x;
}

/**
 * Unlinks and frees the node of (score, member); returns its dict entry (for
 * the caller to remove from the dict), or 0 when there is no such node.
 */
export function zslDelete(zsl: usize, score: f64, p: usize, l: u32): usize {
  const x = nodeForward(findUpdatePath(zsl, score, p, l), 0);
  if (x == 0 || nodeScore(x) != score || memberCmp(nodeEle(x), nodeEleLen(x), p, l) != 0) return 0;
  const ele = nodeEntry(x);
  zslDeleteNode(zsl, x);
  zfree(x);
  return ele;
}

/**
 * Moves the node of (curscore, member) to newscore (zslUpdateScore): in
 * place when its neighbours keep it in order, else unlinked and inserted
 * again. Returns the node.
 */
export function zslUpdateScore(zsl: usize, curscore: f64, p: usize, l: u32, newscore: f64): usize {
  const x = nodeForward(findUpdatePath(zsl, curscore, p, l), 0);
  const back = nodeBackward(x);
  const next = nodeForward(x, 0);
  if ((back == 0 || nodeScore(back) < newscore) && (next == 0 || nodeScore(next) > newscore)) {
    store<f64>(x, newscore, NODE_SCORE);
    return x;
  }
  const ele = nodeEntry(x);
  zslDeleteNode(zsl, x);
  zfree(x);
  return zslInsert(zsl, newscore, ele);
}

// ── Ranks ────────────────────────────────────────────────────────────────────

/** 1-based rank of (score, member), or 0 when absent (zslGetRank). */
export function zslGetRank(zsl: usize, score: f64, p: usize, l: u32): u32 {
  let x = zslHeader(zsl);
  let r: u32 = 0;
  for (let i = zslLevel(zsl) - 1; i >= 0; i--) {
    let next = nodeForward(x, i);
    while (next != 0 && nodeBefore(next, score, p, l, true)) {
      r += nodeSpan(x, i);
      x = next;
      next = nodeForward(x, i);
    }
    if (x != zslHeader(zsl) && memberCmp(nodeEle(x), nodeEleLen(x), p, l) == 0) return r;
  }
  return 0;
}

/** 1-based rank of a node found by a range search (its rank from the spans crossed). */
export function zslNodeRank(zsl: usize, node: usize): u32 {
  return zslGetRank(zsl, nodeScore(node), nodeEle(node), nodeEleLen(node));
}

/** The node at a 1-based rank, or 0 (zslGetElementByRank). */
export function zslGetElementByRank(zsl: usize, r: u32): usize {
  let x = zslHeader(zsl);
  let traversed: u32 = 0;
  for (let i = zslLevel(zsl) - 1; i >= 0; i--) {
    let next = nodeForward(x, i);
    while (next != 0 && traversed + nodeSpan(x, i) <= r) {
      traversed += nodeSpan(x, i);
      x = next;
      next = nodeForward(x, i);
    }
    if (traversed == r) return x;
  }
  return 0;
}

// ── Range searches ───────────────────────────────────────────────────────────
// A range is described by a predicate pair the callers supply through the
// two hooks below, so score and lex ranges share one descent: gteMin(node)
// holds from the first node in range on, lteMax(node) up to the last one.

/**
 * The first node with gteMin true, descending from the top level, or 0
 * (the descent half of zslFirstInRange / zslFirstInLexRange).
 */
export function zslFirstWith(zsl: usize, gteMin: (x: usize) => bool): usize {
  let x = zslHeader(zsl);
  for (let i = zslLevel(zsl) - 1; i >= 0; i--) {
    let next = nodeForward(x, i);
    while (next != 0 && !gteMin(next)) {
      x = next;
      next = nodeForward(x, i);
    }
  }
  return nodeForward(x, 0);
}

/** The last node with lteMax true, or 0 (the descent half of zslLastInRange). */
export function zslLastWith(zsl: usize, lteMax: (x: usize) => bool): usize {
  let x = zslHeader(zsl);
  for (let i = zslLevel(zsl) - 1; i >= 0; i--) {
    let next = nodeForward(x, i);
    while (next != 0 && lteMax(next)) {
      x = next;
      next = nodeForward(x, i);
    }
  }
  return x == zslHeader(zsl) ? 0 : x;
}

/**
 * Deletes the nodes from the first with gteMin true while lteMax holds,
 * calling onDelete with each node's dict entry before the node is freed
 * (zslDeleteRangeByScore / ByLex). Returns how many were deleted.
 */
export function zslDeleteRangeWith(
  zsl: usize, gteMin: (x: usize) => bool, lteMax: (x: usize) => bool, onDelete: (ele: usize) => void,
): u32 {
  let x = zslHeader(zsl);
  for (let i = zslLevel(zsl) - 1; i >= 0; i--) {
    let next = nodeForward(x, i);
    while (next != 0 && !gteMin(next)) {
      x = next;
      next = nodeForward(x, i);
    }
    setUpdate(i, x);
  }
  x = nodeForward(x, 0);
  let removed: u32 = 0;
  while (x != 0 && lteMax(x)) {
    const next = nodeForward(x, 0);
    zslDeleteNode(zsl, x);
    onDelete(nodeEntry(x));
    zfree(x);
    removed++;
    x = next;
  }
  return removed;
}

/** Deletes the nodes of 1-based ranks start..end (zslDeleteRangeByRank); see zslDeleteRangeWith. */
export function zslDeleteRangeByRank(zsl: usize, start: u32, end: u32, onDelete: (ele: usize) => void): u32 {
  let x = zslHeader(zsl);
  let traversed: u32 = 0;
  for (let i = zslLevel(zsl) - 1; i >= 0; i--) {
    let next = nodeForward(x, i);
    while (next != 0 && traversed + nodeSpan(x, i) < start) {
      traversed += nodeSpan(x, i);
      x = next;
      next = nodeForward(x, i);
    }
    setUpdate(i, x);
  }
  traversed++;
  x = nodeForward(x, 0);
  let removed: u32 = 0;
  while (x != 0 && traversed <= end) {
    const next = nodeForward(x, 0);
    zslDeleteNode(zsl, x);
    onDelete(nodeEntry(x));
    zfree(x);
    removed++;
    traversed++;
    x = next;
  }
  return removed;
}

/** Unlinks and frees a node reached by a walk (ZPOPMIN/ZPOPMAX); returns its dict entry. */
export function zslDeleteNodeAt(zsl: usize, x: usize): usize {
  const ele = nodeEntry(x);
  findUpdatePath(zsl, nodeScore(x), nodeEle(x), nodeEleLen(x));
  zslDeleteNode(zsl, x);
  zfree(x);
  return ele;
}

// ── Self-check ───────────────────────────────────────────────────────────────

/**
 * Checks the invariants every operation must keep, for tests: 0 when sound,
 * else the number of the first rule broken — 1 order by (score, member),
 * 2 backward links, 3 tail, 4 length, 5 spans equal the level-0 steps they
 * jump, 6 the level is the highest level in use.
 */
export function zslValidate(zsl: usize): i32 {
  const header = zslHeader(zsl);
  let count: u32 = 0;
  let prev: usize = 0;
  for (let x = nodeForward(header, 0); x != 0; x = nodeForward(x, 0)) {
    if (prev != 0 && !nodeBefore(prev, nodeScore(x), nodeEle(x), nodeEleLen(x), false)) return 1;
    if (nodeBackward(x) != prev) return 2;
    prev = x;
    count++;
  }
  if (zslTail(zsl) != prev) return 3;
  if (count != zslLength(zsl)) return 4;
  const top = zslLevel(zsl);
  for (let i = 1; i < top; i++) {
    if (!spansMatch(header, i)) return 5;
  }
  if (top > 1 && nodeForward(header, top - 1) == 0) return 6;
  for (let i = top; i < ZSKIPLIST_MAXLEVEL; i++) if (nodeForward(header, i) != 0) return 6;
  return 0;
}

/** Whether every level-i link's span is the number of level-0 steps to its target. */
function spansMatch(header: usize, i: i32): bool {
  let x = header;
  let next = nodeForward(x, i);
  while (next != 0) {
    let steps: u32 = 0;
    let y = x;
    while (y != next && y != 0) {
      y = nodeForward(y, 0);
      steps++;
    }
    if (y != next || steps != nodeSpan(x, i)) return false;
    x = next;
    next = nodeForward(x, i);
  }
  return true;
}
