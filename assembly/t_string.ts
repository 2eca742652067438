// String operations that are hot or touch the object layout: Redis's
// t_string.c, the parts that belong next to the memory they change. Option
// parsing, error replies and propagation stay in the command layer.

import { lookupKey, dbSetValue, setExpire, dbReplaceObject, LOOKUP_WRITE } from "./db";
import {
  createStringObject, createIntObject, objType, OBJ_STRING, objectToI64, intOk,
  isIntEncoded, intValue, strLen, stringMakeRoom, createZeroedString, OBJ_HEADER,
  strBytes,
} from "./object";
import { digits10, setRet, setRetI64, scratch } from "./util";

export const STR_OK: i32 = 0;
export const STR_WRONGTYPE: i32 = -1;
export const STR_NOT_INT: i32 = -2;
export const STR_OVERFLOW: i32 = -3;
export const STR_TOO_BIG: i32 = -4;

/** SET's write: a fresh object under the key; expireAt >= 0 sets a TTL, else keepTtl decides. */
export function setString(db: u32, kp: usize, kl: u32, vp: usize, vl: u32, keepTtl: bool, expireAt: i64): void {
  const o = createStringObject(vp, vl);
  dbSetValue(db, kp, kl, o, keepTtl || expireAt >= 0);
  if (expireAt >= 0) setExpire(db, kp, kl, expireAt);
}

/**
 * Bytes of a string object: returns their address and puts the length in
 * ret slot 0. Int-encoded values are printed into the scratch area, which the
 * next call may overwrite.
 */
export function stringView(o: usize): usize {
  setRet(0, <i32>strLen(o));
  return strBytes(o, scratch());
}

/** INCRBY/DECRBY: returns STR_OK with the new value in the ret i64, or an error code. */
export function incrBy(db: u32, kp: usize, kl: u32, lo: u32, hi: i32): i32 {
  const delta = (<i64>hi << 32) | <i64>lo;
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  let value: i64 = 0;
  if (o != 0) {
    if (objType(o) != OBJ_STRING) return STR_WRONGTYPE;
    value = objectToI64(o);
    if (!intOk) return STR_NOT_INT;
  }
  if ((delta < 0 && value < 0 && delta < i64.MIN_VALUE - value) ||
      (delta > 0 && value > 0 && delta > i64.MAX_VALUE - value)) return STR_OVERFLOW;
  value += delta;
  if (o != 0 && isIntEncoded(o)) {
    // Update in place, as Redis does for unshared int objects: no allocation.
    store<i64>(o, value, OBJ_HEADER);
    store<u32>(o, digits10(value), 4);
  } else {
    dbSetValue(db, kp, kl, createIntObject(value), true);
  }
  setRetI64(value);
  return STR_OK;
}

/**
 * Makes the key's string writable with at least `minLen` bytes (new bytes
 * zeroed, a missing key created) and returns the object; its bytes start at
 * +OBJ_HEADER. Returns 0 for a key of another type. The caller has checked
 * minLen against proto-max-bulk-len.
 */
export function stringWritable(db: u32, kp: usize, kl: u32, minLen: u32): usize {
  let o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o == 0) {
    o = createZeroedString(minLen);
    dbSetValue(db, kp, kl, o, false);
    return o;
  }
  if (objType(o) != OBJ_STRING) return 0;
  const len = strLen(o);
  const n = stringMakeRoom(o, max(len, minLen), scratch());
  if (n != o) dbReplaceObject(db, kp, kl, n);
  if (minLen > len) {
    memory.fill(n + OBJ_HEADER + <usize>len, 0, minLen - len);
    store<u32>(n, minLen, 4);
  }
  return n;
}

/** APPEND: returns the new length, or STR_WRONGTYPE / STR_TOO_BIG. */
export function appendString(db: u32, kp: usize, kl: u32, vp: usize, vl: u32, maxLen: f64): i32 {
  const o = lookupKey(db, kp, kl, LOOKUP_WRITE);
  if (o == 0) {
    dbSetValue(db, kp, kl, createStringObject(vp, vl), false);
    return <i32>vl;
  }
  if (objType(o) != OBJ_STRING) return STR_WRONGTYPE;
  const len = strLen(o);
  if (<f64>len + <f64>vl > maxLen) return STR_TOO_BIG;
  const n = stringWritable(db, kp, kl, len + vl);
  memory.copy(n + OBJ_HEADER + <usize>len, vp, vl);
  return <i32>(len + vl);
}

export function isStringIntEncoded(o: usize): bool {
  return isIntEncoded(o);
}

export function stringIntValue(o: usize): i64 {
  return intValue(o);
}
