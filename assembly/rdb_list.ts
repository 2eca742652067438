// Lists of an RDB file or DUMP payload (rdbLoadObject's list cases): the
// quicklist of listpacks Redis 7.0 writes, and the encodings before it
// (quicklist of ziplists, one ziplist, a linked list), rebuilt as a quicklist
// with the configured node size and compression.
//
//   LIST_QUICKLIST_2: count · (container · listpack string) × count
//   LIST_QUICKLIST:   count · ziplist string × count
//   LIST_ZIPLIST:     one ziplist string
//   LIST:             count · element string × count

import {
  readFailed, corrupt, loadLen, loadString, strPtr, strLen, numBuf, setEmptyKey, SLOT_VAL, RDB_BAD_QUICKLIST,
  RDB_BAD_LISTPACK, RDB_BAD_ZIPLIST, RDB_BAD_LIST_ZIPLIST,
} from "./rdb_read";
import { freeObject, objPtr } from "./object";
import { listCreate } from "./t_list";
import { qlAppendListpack, qlPushTail, qlCount } from "./quicklist";
import { lpNew, lpFree, lpAppend, lpLength, lpValidate } from "./listpack";
import { zlValidate, zlFirst, zlNext, zlGet, zlLen, zlInt } from "./ziplist";
import { zmalloc } from "./mem";
import { ll2string } from "./util";

/** Redis's quicklist node containers (RDB_TYPE_LIST_QUICKLIST_2). */
// @ts-ignore: decorator
@inline const CONTAINER_PLAIN: u64 = 1;
// @ts-ignore: decorator
@inline const CONTAINER_PACKED: u64 = 2;

/**
 * RDB_TYPE_LIST_QUICKLIST_2 (listpack nodes, each tagged PACKED or PLAIN)
 * and RDB_TYPE_LIST_QUICKLIST (ziplist nodes, before 7.0). Empty nodes are
 * skipped, as Redis does; a list left with none is an empty key.
 */
export function loadQuicklistObject(v2: bool): usize {
  const len = loadLen();
  if (readFailed()) return 0;
  if (len == 0) {
    setEmptyKey();
    return 0;
  }
  const o = listCreate();
  for (let i: u64 = 0; i < len && loadQuicklistNode(objPtr(o), v2); i++) {}
  if (readFailed()) {
    freeObject(o);
    return 0;
  }
  if (qlCount(objPtr(o)) == 0) {
    freeObject(o);
    setEmptyKey();
    return 0;
  }
  return o;
}

function loadQuicklistNode(ql: usize, v2: bool): bool {
  let container = CONTAINER_PACKED;
  if (v2) {
    container = loadLen();
    if (readFailed()) return false;
    if (container != CONTAINER_PACKED && container != CONTAINER_PLAIN) {
      corrupt(RDB_BAD_QUICKLIST, container);
      return false;
    }
  }
  if (!loadString(SLOT_VAL)) return false;
  if (strLen == 0) {
    corrupt(RDB_BAD_QUICKLIST, 0);
    return false;
  }
  // A PLAIN node holds one large element; here every node is a listpack.
  if (container == CONTAINER_PLAIN) {
    qlPushTail(ql, strPtr, strLen);
    return true;
  }
  const lp = v2 ? listpackCopy(strPtr, strLen) : ziplistToListpack(strPtr, strLen);
  if (lp == 0) return false;
  if (lpLength(lp) == 0) lpFree(lp);
  else qlAppendListpack(ql, lp);
  return true;
}

/** A validated copy of a listpack read from the file, or 0. */
function listpackCopy(p: usize, size: u32): usize {
  if (!lpValidate(p, size, true)) {
    corrupt(RDB_BAD_LISTPACK, 0);
    return 0;
  }
  const lp = zmalloc(size);
  memory.copy(lp, p, size);
  return lp;
}

/** A ziplist's entries as a new listpack, or 0 when it is not a valid ziplist. */
function ziplistToListpack(zl: usize, size: u32): usize {
  if (!zlValidate(zl, size)) {
    corrupt(RDB_BAD_ZIPLIST, 0);
    return 0;
  }
  let lp = lpNew(size);
  for (let p = zlFirst(zl); p != 0; p = zlNext(zl, p)) {
    const s = zlGet(zl, p);
    lp = s != 0 ? lpAppend(lp, s, zlLen) : lpAppend(lp, numBuf, ll2string(numBuf, zlInt));
  }
  return lp;
}

/** RDB_TYPE_LIST_ZIPLIST (before 3.2): one ziplist, pushed element by element. */
export function loadListZiplistObject(): usize {
  if (!loadString(SLOT_VAL)) return 0;
  const zl = strPtr;
  if (!zlValidate(zl, strLen)) {
    corrupt(RDB_BAD_LIST_ZIPLIST, 0);
    return 0;
  }
  if (zlFirst(zl) == 0) {
    setEmptyKey();
    return 0;
  }
  const o = listCreate();
  for (let p = zlFirst(zl); p != 0; p = zlNext(zl, p)) {
    const s = zlGet(zl, p);
    if (s != 0) qlPushTail(objPtr(o), s, zlLen);
    else qlPushTail(objPtr(o), numBuf, ll2string(numBuf, zlInt));
  }
  return o;
}

/** RDB_TYPE_LIST (a linked list, before 3.2): a count and the elements. */
export function loadLinkedListObject(): usize {
  const len = loadLen();
  if (readFailed()) return 0;
  if (len == 0) {
    setEmptyKey();
    return 0;
  }
  const o = listCreate();
  for (let i: u64 = 0; i < len; i++) {
    if (!loadString(SLOT_VAL)) break;
    qlPushTail(objPtr(o), strPtr, strLen);
  }
  if (!readFailed()) return o;
  freeObject(o);
  return 0;
}
