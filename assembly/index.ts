// The engine's exports: everything the TypeScript binding may call.
// Layout constants the binding reads memory with are exported as functions
// so the two sides cannot drift apart.

import { setHashSeed, setRandomSeed } from "./hash";
import { dbInit } from "./db";
import { retArea } from "./util";
import { E_KEY, E_KLEN, E_VAL } from "./dict";
import { OBJ_HEADER } from "./object";

export { usedMemory, zmalloc, zfree } from "./mem";
export { registerCommand, commandId } from "./commands";
export { frame, argvPtr, argvReserve, setArgc, argc, inputArena, shrinkInputArena } from "./resp";
export {
  setClock, setReplicaMode, resetStats, statHits, statMisses, statExpired,
  dbSize, dbExpiresSize, dbAvgTtl, lookupKey, expireIfNeeded, getExpire, setExpire, removeExpire,
  dbDelete, dbSetValue, flushDb, swapDb, randomKeyEntry, dbScan, scanResultCount, scanResultPtr,
  activeExpireCycle, databasesCron, setExpireLog, expireLogPtr, expireLogClear, logLen,
  setLfu, lfuDecrAndReturn, touchObject,
} from "./db";
export { setLruClock, freeObject, createStringObject, createRawObject } from "./object";
export {
  setString, stringView, incrBy, stringWritable, appendString, isStringIntEncoded, stringIntValue,
} from "./t_string";
export {
  setRange, setBit, bitCount, bitPos, bitop, bitfieldWritable, bitfieldGet, bitfieldWrite,
} from "./bits";
export {
  setMaxIntsetEntries, setListPtr, createIntsetObject, createSetObject, setTypeCreate, setTypeSize, setTypeAdd,
  setTypeRemove, setTypeIsMember, setTypeDup, setRandomMembers, setListMembers, srandmemberDistinct, spopOne,
  spopCount, saddArgv, sremArgv, sscan,
} from "./t_set";
export { setOpTable, setOpDst, sinter, sunionDiff } from "./t_set_algebra";
export {
  lpNew, lpFree, lpBytes, lpLength, lpFirst, lpLast, lpNext, lpPrev, lpSeek, lpGet, lpGetString,
  lpEntryIsInt, lpInsertString, lpInsertInteger, lpAppend, lpPrepend, lpAppendInteger, lpPrependInteger,
  lpReplace, lpReplaceInteger, lpDelete, lpDeleteRange, lpDeleteRangeWithEntry, lpMerge, lpCompare,
  lpFind, lpValidate, lpPos, lpLen, lpInt,
} from "./listpack";
export { lzfCompress, lzfDecompress } from "./lzf";
export {
  setListOptions, listCreate, listLength, listPush, listPushArgv, listPopReply, listPopCopy, listRangeReply,
  listDelRange, listPopRangeReply, listIndexReply, listSet, listInsert, listPos, listRem, listTrim,
} from "./t_list";
export { rbPtr, rbSize, rbShrink } from "./replybuf";
export {
  qlCreate, qlRelease, qlCount, qlLen, qlHead, qlTail, nodeNext, nodePrev, nodeCount, nodeSz, nodeEntry,
  nodeIsCompressed, nodeLzfSize, nodeLzfData, qlAppendListpack, qlPushHead, qlPushTail, qlIterStart, qlIterAt,
  qlIterRelease, qlNext, qlDelEntry, qlInsertBefore, qlInsertAfter, qlReplaceAtIndex, qlAt, qlDelRange, qlPeek,
  qlDelPeeked, qlDup, entValue, entSz, entLong, entOffset,
} from "./quicklist";
export { crc64 } from "./crc64";
export {
  rdbOutPtr, rdbOutRelease, rdbSaveBegin, rdbSaveAux, rdbSaveStep, rdbSaveFinished, rdbSaveError, rdbKeysSaved,
  rdbDumpObject,
} from "./rdb";
export {
  rdbLoadInfoPtr, rdbLoadBegin, rdbLoadEnd, rdbLoadRoom, rdbLoadFill, rdbLoadStep, objectSetLRUOrLFU,
  verifyDumpPayload, restoreObject,
} from "./rdb_load";
export { rdbLoadSetLimits } from "./rdb_object";
export { snapshotStateSize, snapshotStateSave, snapshotStateRestore } from "./snapshot";
export {
  keysCollect, scanCollect, scanFilter, scanDeleteExpired, keyspaceResultPtr, keyspaceResultCount,
  keyspaceResultsRelease, renameKey, moveKey, copyKey,
} from "./keyspace";
export {
  sortLoadAll, sortLoadListRange, sortLoadZsetRange, sortElementsPtr, sortElementsRelease, sortLookup,
} from "./sort";
export {
  dbAsyncDelete, emptyDbAsync, lazyfreeStep, lazyfreePending, lazyfreePendingObjects, lazyfreedObjects,
  lazyfreeResetStats,
} from "./lazyfree";

export {
  setHashLimits, hashNew, hashLength, hashGet, hashExists, hashSetField, hashDelete, hsetArgv, hdelArgv,
  hashIncrBy, hashCollect, hashScan, hashRandom, hashItems,
} from "./t_hash";
export * from "./t_zset_api";

export { fastRegister, fastCallsPtr, fastInfoPtr, fastOutPtr, runFast } from "./fastpath";

export { evictOne, evictedKeys } from "./evict";

export function init(databases: u32, hashSeed: u32, randomSeed: u64): void {
  setHashSeed(hashSeed);
  setRandomSeed(randomSeed);
  dbInit(databases);
}

export function layoutRetArea(): usize {
  return retArea;
}

export function layoutEntryKey(): usize {
  return E_KEY;
}

export function layoutEntryKeyLen(): usize {
  return E_KLEN;
}

export function layoutEntryVal(): usize {
  return E_VAL;
}

export function layoutObjHeader(): usize {
  return OBJ_HEADER;
}
