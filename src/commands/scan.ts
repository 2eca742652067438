// Options shared by the collection scans (HSCAN, SSCAN, ZSCAN), as Redis's
// scanGenericCommand parses them for a key's value: MATCH and COUNT only
// (TYPE belongs to SCAN), errors replied as soon as they are met.

import type { Client } from "../server/client";
import { NOT_INTEGER, SYNTAX } from "./errors";

export interface CollectionScanOptions {
  count: number;
  /** argv index of the MATCH pattern, or -1 (also for "*", which matches everything). */
  patternIndex: number;
}

const U32_MAX = 0xffffffff;

export function collectionScanOptionsOrReply(c: Client, start: number): CollectionScanOptions | null {
  let count = 10;
  let patternIndex = -1;
  for (let i = start; i < c.argc; i += 2) {
    const more = c.argc - i >= 2;
    if (more && c.argIs(i, "COUNT")) {
      const v = c.argI64(i + 1);
      if (v === null) {
        c.reply.error(NOT_INTEGER);
        return null;
      }
      if (v < 1) {
        c.reply.error(SYNTAX);
        return null;
      }
      count = v > U32_MAX ? U32_MAX : Number(v);
    } else if (more && c.argIs(i, "MATCH")) {
      const isStar = c.argLen(i + 1) === 1 && c.arg(i + 1)[0] === 0x2a;
      patternIndex = isStar ? -1 : i + 1;
    } else {
      c.reply.error(SYNTAX);
      return null;
    }
  }
  return { count, patternIndex };
}
