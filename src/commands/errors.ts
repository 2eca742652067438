// Error replies, byte-exact with Redis 7.0 (server.c's shared objects and the
// addReplyError* call sites). Messages include their code; the writer adds '-'.

export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
export const SYNTAX = "ERR syntax error";
export const NOT_INTEGER = "ERR value is not an integer or out of range";
export const NOT_FLOAT = "ERR value is not a valid float";
export const OVERFLOW = "ERR increment or decrement would overflow";
export const NO_SUCH_KEY = "ERR no such key";
export const INDEX_OUT_OF_RANGE = "ERR index out of range";
export const DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
export const SAME_OBJECT = "ERR source and destination objects are the same";
export const STRING_TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
export const BIT_OFFSET = "ERR bit offset is not an integer or out of range";
export const BIT_VALUE = "ERR bit is not an integer or out of range";
export const NOAUTH = "NOAUTH Authentication required.";
export const WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
export const NOPASS =
  "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";
export const OOM = "OOM command not allowed when used memory > 'maxmemory'.";
export const INVALID_CURSOR = "ERR invalid cursor";
export const MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
export const NOT_FLOAT_OR_RANGE = "ERR timeout is not a float or out of range";
export const READONLY_REPLICA = "READONLY You can't write against a read only replica.";
export const NAN_OR_INF = "ERR increment would produce NaN or Infinity";
export const EXEC_WITHOUT_MULTI = "ERR EXEC without MULTI";
export const DISCARD_WITHOUT_MULTI = "ERR DISCARD without MULTI";
export const MULTI_NESTED = "ERR MULTI calls can not be nested";
export const EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
export const NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";
export const NUMKEYS_OVER_ARGS = "ERR Number of keys can't be greater than number of args";
export const LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
/** valueOutOfRange(-LONG_MAX, LONG_MAX), which a JS number cannot spell exactly. */
export const OUT_OF_LONG_RANGE =
  "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
export const OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
export const BIT_ARG = "ERR The bit argument must be 1 or 0.";
export const BITOP_NOT_ONE_KEY = "ERR BITOP NOT must be called with a single source key.";
export const BITFIELD_TYPE =
  "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
export const BITFIELD_OVERFLOW_TYPE = "ERR Invalid OVERFLOW type specified";
export const BITFIELD_RO_GET_ONLY = "ERR BITFIELD_RO only supports the GET subcommand";
export const LCS_NOT_STRINGS = "ERR The specified keys must contain string values";
export const LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
export const LCS_TOO_LONG = "ERR String too long for LCS";
export const LCS_OVER_MAX_BULK = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
export const LCS_NO_MEMORY = "ERR Insufficient memory, failed allocating transient memory for LCS";
export const BUSYKEY = "BUSYKEY Target key name already exists.";
export const DUMP_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
export const BAD_DATA_FORMAT = "ERR Bad data format";
export const INVALID_TTL = "ERR Invalid TTL value, must be >= 0";
export const INVALID_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
export const INVALID_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";
export const ZADD_XX_AND_NX = "ERR XX and NX options at the same time are not compatible";
export const ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
export const ZADD_INCR_PAIR = "ERR INCR option supports a single increment-element pair";
export const ZSET_SCORE_NAN = "ERR resulting score is not a number (NaN)";
export const MIN_MAX_NOT_FLOAT = "ERR min or max is not a float";
export const MIN_MAX_NOT_LEX = "ERR min or max not valid string range item";
export const LIMIT_NEEDS_BYSCORE_OR_BYLEX =
  "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
export const WITHSCORES_WITH_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
export const WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
export const COUNT_NOT_POSITIVE = "ERR count should be greater than 0";
export const VALUE_OUT_OF_RANGE = "ERR value is out of range";

export function wrongArity(fullname: string): string {
  return `ERR wrong number of arguments for '${fullname}' command`;
}

export function invalidExpire(cmd: string): string {
  return `ERR invalid expire time in '${cmd}' command`;
}

/** getRangeLongFromObjectOrReply's message for a number outside [min, max] (Redis's typo included). */
export function valueOutOfRange(min: number, max: number): string {
  return `ERR value is out of range, value must between ${min} and ${max}`;
}

/** C's `%.Ns` on a binary argument: stops at a NUL byte, at most n bytes. */
export function cString(bytes: Uint8Array, n: number): string {
  let end = Math.min(bytes.length, n);
  const nul = bytes.indexOf(0);
  if (nul >= 0 && nul < end) end = nul;
  return latin1(bytes.subarray(0, end));
}

/** Bytes as a string with one char per byte, so no byte is lost or merged. */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return s;
}

/** Redis's unknown-command error: the name and up to 128 bytes of arguments. */
export function unknownCommand(name: Uint8Array, args: readonly Uint8Array[]): string {
  let rest = "";
  for (let i = 0; i < args.length && rest.length < 128; i++) {
    rest += `'${cString(args[i], 128 - rest.length)}' `;
  }
  return `ERR unknown command '${cString(name, 128)}', with args beginning with: ${rest}`;
}

export function unknownSubcommand(sub: Uint8Array, container: string): string {
  return `ERR unknown subcommand '${cString(sub, 128)}'. Try ${container.toUpperCase()} HELP.`;
}

/** The sorted-set algebra commands' numkeys < 1 error. */
export function atLeastOneInputKey(fullname: string): string {
  return `ERR at least 1 input key is needed for '${fullname}' command`;
}
