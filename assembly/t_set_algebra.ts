// Set algebra: SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE,
// SDIFF, SDIFFSTORE over set objects (Redis's sinterGenericCommand and
// sunionDiffGenericCommand). The host looks the keys up, checks their types
// and fills the operand table; the result goes to a sink: the member list
// (a reply), a count, or a new set object to store.
//
//   operand table: ┌──────┬──────┬─────┐
//                  │ set0 │ set1 │ ... │   u32 object pointers, 0 for a missing key
//                  └──────┴──────┴─────┘

import { zrealloc } from "./mem";
import { freeObject } from "./object";
import {
  createIntsetObject, setTypeSize, setTypeAdd, setTypeRemove, setTypeIsMember, setTypeAddInt, setTypeRemoveInt,
  isMemberInt, forEachMember, listReset, listPush, listPushInt, listAllMembers,
} from "./t_set";

/** Where set algebra sends its result. */
export const SINK_LIST: u32 = 0;
export const SINK_COUNT: u32 = 1;
export const SINK_STORE: u32 = 2;

export const OP_UNION: u32 = 0;
export const OP_DIFF: u32 = 1;

let opTable: usize = 0;
let opCap: u32 = 0;
let opN: u32 = 0;
let opSink: u32 = SINK_LIST;
let opLimit: u32 = 0;
let opCount: u32 = 0;
let opDst: usize = 0;

/** Room for n operand pointers; the host fills it before sinter / sunionDiff. */
export function setOpTable(n: u32): usize {
  if (n > opCap) {
    opCap = max(n, opCap << 1);
    opTable = zrealloc(opTable, <usize>opCap << 2);
  }
  return opTable;
}

/** The set a SINK_STORE operation built (0 when the result is empty). */
export function setOpDst(): usize {
  return opDst;
}

// @ts-ignore: decorator
@inline function operand(i: u32): usize {
  return <usize>load<u32>(opTable + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function operandSize(i: u32): u32 {
  const o = operand(i);
  return o == 0 ? 0 : setTypeSize(o);
}

/**
 * Stable sort of operands [from, n) by size, ascending or descending, like
 * the glibc qsort (a merge sort) Redis gets: equal sizes keep key order.
 * Binary insertion: few compares, shifts are one memory.copy.
 */
function sortOperands(from: u32, n: u32, descending: bool): void {
  for (let i = from + 1; i < n; i++) {
    const o = operand(i);
    const size = operandSize(i);
    let lo = from;
    let hi = i;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = operandSize(mid);
      if (descending ? s >= size : s <= size) lo = mid + 1;
      else hi = mid;
    }
    if (lo == i) continue;
    const at = opTable + (<usize>lo << 2);
    memory.copy(at + 4, at, <usize>(i - lo) << 2);
    store<u32>(at, <u32>o);
  }
}

function emitInt(v: i64): bool {
  opCount++;
  if (opSink == SINK_LIST) listPushInt(v);
  else if (opSink == SINK_STORE) setTypeAddInt(opDst, v);
  return opSink != SINK_COUNT || opLimit == 0 || opCount < opLimit;
}

function emitBytes(p: usize, l: u32): bool {
  opCount++;
  if (opSink == SINK_LIST) listPush(p, l);
  else if (opSink == SINK_STORE) setTypeAdd(opDst, p, l);
  return opSink != SINK_COUNT || opLimit == 0 || opCount < opLimit;
}

function interInt(v: i64): bool {
  const first = operand(0);
  for (let j: u32 = 1; j < opN; j++) {
    const s = operand(j);
    if (s != first && !isMemberInt(s, v)) return true;
  }
  return emitInt(v);
}

function interBytes(p: usize, l: u32): bool {
  const first = operand(0);
  for (let j: u32 = 1; j < opN; j++) {
    const s = operand(j);
    if (s != first && !setTypeIsMember(s, p, l)) return true;
  }
  return emitBytes(p, l);
}

/**
 * SINTER / SINTERCARD / SINTERSTORE over n existing sets in the operand
 * table: walks the smallest set and keeps the members every other set has
 * (Redis's sinterGenericCommand). SINK_COUNT stops at `limit` (0: none).
 * Returns the cardinality.
 */
export function sinter(n: u32, sink: u32, limit: u32): u32 {
  listReset();
  sortOperands(0, n, false);
  opN = n;
  opSink = sink;
  opLimit = limit;
  opCount = 0;
  opDst = sink == SINK_STORE ? createIntsetObject() : 0;
  forEachMember(operand(0), interInt, interBytes);
  if (opDst != 0 && opCount == 0) {
    freeObject(opDst);
    opDst = 0;
  }
  return opCount;
}

function dstAddInt(v: i64): bool {
  setTypeAddInt(opDst, v);
  return true;
}

function dstAddBytes(p: usize, l: u32): bool {
  setTypeAdd(opDst, p, l);
  return true;
}

function dstRemoveInt(v: i64): bool {
  setTypeRemoveInt(opDst, v);
  return true;
}

function dstRemoveBytes(p: usize, l: u32): bool {
  setTypeRemove(opDst, p, l);
  return true;
}

function diffInt(v: i64): bool {
  for (let j: u32 = 1; j < opN; j++) {
    const s = operand(j);
    if (s != 0 && isMemberInt(s, v)) return true;
  }
  return dstAddInt(v);
}

function diffBytes(p: usize, l: u32): bool {
  for (let j: u32 = 1; j < opN; j++) {
    const s = operand(j);
    if (s != 0 && setTypeIsMember(s, p, l)) return true;
  }
  return dstAddBytes(p, l);
}

/**
 * Redis's choice between walking the first set probing the others
 * (algorithm 1, O(N·M)) and copying it then removing the others' members
 * (algorithm 2, O(total)). It matters beyond speed: algorithm 2 can turn
 * the result into a dict on its way, so the stored encoding differs.
 */
function diffUsesProbing(n: u32): bool {
  const firstSize = <u64>setTypeSize(operand(0));
  let probing: u64 = 0;
  let copying: u64 = 0;
  for (let j: u32 = 0; j < n; j++) {
    if (operand(j) == 0) continue;
    probing += firstSize;
    copying += <u64>setTypeSize(operand(j));
  }
  // Probing has better constant factors and stops early on common members.
  return probing / 2 <= copying;
}

function diffInto(n: u32): void {
  const first = operand(0);
  for (let j: u32 = 1; j < n; j++) if (operand(j) == first) return; // A - ... - A is empty.
  if (diffUsesProbing(n)) {
    // Subtract the largest sets first: a member is likelier to be found early.
    if (n > 1) sortOperands(1, n, true);
    forEachMember(first, diffInt, diffBytes);
    return;
  }
  forEachMember(first, dstAddInt, dstAddBytes);
  for (let j: u32 = 1; j < n && setTypeSize(opDst) != 0; j++) {
    if (operand(j) != 0) forEachMember(operand(j), dstRemoveInt, dstRemoveBytes);
  }
}

/**
 * SUNION / SDIFF (SINK_LIST) and their STORE forms (SINK_STORE) over the
 * operand table, where 0 stands for a missing key (an empty set). The
 * result is built as a new set, starting as an intset, as in Redis's
 * sunionDiffGenericCommand; returns its cardinality.
 */
export function sunionDiff(n: u32, op: u32, sink: u32): u32 {
  listReset();
  opN = n;
  opDst = createIntsetObject();
  if (op == OP_UNION) {
    for (let j: u32 = 0; j < n; j++) if (operand(j) != 0) forEachMember(operand(j), dstAddInt, dstAddBytes);
  } else if (operand(0) != 0) {
    diffInto(n);
  }
  const card = setTypeSize(opDst);
  if (sink == SINK_LIST) listAllMembers(opDst);
  if (sink == SINK_LIST || card == 0) {
    freeObject(opDst);
    opDst = 0;
  }
  return card;
}
