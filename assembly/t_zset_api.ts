// The sorted-set part of the engine's exports (index.ts re-exports this
// file whole, so the zset modules keep their list of entry points here).

export {
  setZsetLimits, zsetCreateListpack, zsetCreateSkiplist, zsetLength, zsetAdd, zsetDel, zsetConvert, zsetValidate,
  zaddGeneric, zaddUpdated, zaddProcessed, zsetLastScore, zsetScoreFound, zsetScoreOf, zsetRank, zremArgv,
} from "./t_zset";
export { zitemsPtr } from "./t_zset_items";
export {
  zrangeSetScore, zrangeSetLex, zrangeDst, zrangeByRank, zrangeByScoreOrLex, zcountRange, zremRangeByRank,
  zremRangeByScoreOrLex,
} from "./t_zset_range";
export { zpop, zsetCollect, zsetRandom, zscanStep, zscanCursor } from "./t_zset_pop";
export { zsetOpTable, zsetOpRun, zsetOpResult, zsetOpFinishStore } from "./t_zset_algebra";
export { d2string, zzlStrtod } from "./d2string";
