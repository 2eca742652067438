// The RDB format's numbers, as Redis's rdb.h: the version written, the
// opcodes that introduce records, the value types, and the length and
// string encodings. Shared by the writer (rdb.ts, rdb_save...) and the
// loader (rdb_read.ts, rdb_object.ts, rdb_load.ts).
//
//   length byte: 00xxxxxx 6-bit │ 01xxxxxx + byte: 14-bit │ 0x80 + u32 BE │ 0x81 + u64 BE
//                11xxxxxx: a string encoding follows (RDB_ENC_*), not a length

export const RDB_VERSION: u32 = 10;

export const RDB_OPCODE_SLOT_INFO: u32 = 244;
export const RDB_OPCODE_FUNCTION2: u32 = 245;
export const RDB_OPCODE_FUNCTION: u32 = 246;
export const RDB_OPCODE_MODULE_AUX: u32 = 247;
export const RDB_OPCODE_IDLE: u32 = 248;
export const RDB_OPCODE_FREQ: u32 = 249;
export const RDB_OPCODE_AUX: u32 = 250;
export const RDB_OPCODE_RESIZEDB: u32 = 251;
export const RDB_OPCODE_EXPIRETIME_MS: u32 = 252;
export const RDB_OPCODE_EXPIRETIME: u32 = 253;
export const RDB_OPCODE_SELECTDB: u32 = 254;
export const RDB_OPCODE_EOF: u32 = 255;

export const RDB_TYPE_STRING: u32 = 0;
export const RDB_TYPE_LIST: u32 = 1;
export const RDB_TYPE_SET: u32 = 2;
export const RDB_TYPE_ZSET: u32 = 3;
export const RDB_TYPE_HASH: u32 = 4;
export const RDB_TYPE_ZSET_2: u32 = 5;
export const RDB_TYPE_MODULE_PRE_GA: u32 = 6;
export const RDB_TYPE_MODULE_2: u32 = 7;
export const RDB_TYPE_HASH_ZIPMAP: u32 = 9;
export const RDB_TYPE_LIST_ZIPLIST: u32 = 10;
export const RDB_TYPE_SET_INTSET: u32 = 11;
export const RDB_TYPE_ZSET_ZIPLIST: u32 = 12;
export const RDB_TYPE_HASH_ZIPLIST: u32 = 13;
export const RDB_TYPE_LIST_QUICKLIST: u32 = 14;
export const RDB_TYPE_STREAM_LISTPACKS: u32 = 15;
export const RDB_TYPE_HASH_LISTPACK: u32 = 16;
export const RDB_TYPE_ZSET_LISTPACK: u32 = 17;
export const RDB_TYPE_LIST_QUICKLIST_2: u32 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2: u32 = 19;
export const RDB_TYPE_SET_LISTPACK: u32 = 20;
export const RDB_TYPE_STREAM_LISTPACKS_3: u32 = 21;

export const RDB_6BITLEN: u32 = 0;
export const RDB_14BITLEN: u32 = 1;
export const RDB_32BITLEN: u32 = 0x80;
export const RDB_64BITLEN: u32 = 0x81;
export const RDB_ENCVAL: u32 = 3;
export const RDB_ENC_INT8: u32 = 0;
export const RDB_ENC_INT16: u32 = 1;
export const RDB_ENC_INT32: u32 = 2;
export const RDB_ENC_LZF: u32 = 3;

/** Redis's LRU_CLOCK_MAX: the 24-bit LRU clock wraps here (IDLE hints). */
export const LRU_CLOCK_MAX: u32 = (1 << 24) - 1;
