// Dumps of older Redis versions: ziplist, zipmap, linked-list and ziplist
// quicklist values are converted on load exactly as redis-server 7.0 does.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasRedis, skipNotice, startRedish } from "../helpers/servers";
import { Conn, diffWalks, walk } from "./dataset";
import { legacyRecords, listpack, rdbFile, rdbString, record } from "./rdb-files";
import { removeDir, startRedisIn, tempDir } from "./rdb-helpers";

skipNotice("legacy RDB encodings");

describe.skipIf(!hasRedis)("legacy RDB encodings", () => {
  for (const version of [9, 7, 6]) {
    it(`a version ${version} dump loads with the same types, encodings and values as in redis-server`, async () => {
      const file = rdbFile(version, legacyRecords());
      const theirsDir = tempDir("rdb-legacy-ref");
      const mineDir = tempDir("rdb-legacy");
      writeFileSync(join(theirsDir, "dump.rdb"), file);
      writeFileSync(join(mineDir, "dump.rdb"), file);
      const ref = await startRedisIn(theirsDir);
      const s = await startRedish([["dir", mineDir]]);
      const rc = await Conn.open(ref.port);
      const c = await Conn.open(s.port);
      try {
        const theirs = await walk(rc);
        expect(theirs.size).toBe(legacyRecords().length);
        expect(diffWalks(theirs, await walk(c))).toEqual([]);
      } finally {
        rc.close();
        c.close();
        await ref.stop();
        await s.stop();
        removeDir(theirsDir);
        removeDir(mineDir);
      }
    });
  }
});

describe("a version 11 dump (Redis 7.2)", () => {
  it("loads its listpack-encoded sets as intset or dict sets", async () => {
    const dir = tempDir("rdb-v11");
    writeFileSync(
      join(dir, "dump.rdb"),
      rdbFile(11, [
        record(20, "set-lp-ints", rdbString(Buffer.from(listpack([3, 1, 2])))),
        record(20, "set-lp-strings", rdbString(Buffer.from(listpack(["b", "a", 7])))),
        record(0, "s", rdbString("v")),
      ]),
    );
    const s = await startRedish([["dir", dir]]);
    const c = await Conn.open(s.port);
    try {
      expect(((await c.cmd("SMEMBERS", "set-lp-ints")) as string[]).sort()).toEqual(["1", "2", "3"]);
      expect(await c.cmd("OBJECT", "ENCODING", "set-lp-ints")).toBe("intset");
      expect(((await c.cmd("SMEMBERS", "set-lp-strings")) as string[]).sort()).toEqual(["7", "a", "b"]);
      expect(await c.cmd("OBJECT", "ENCODING", "set-lp-strings")).toBe("hashtable");
      expect(await c.cmd("GET", "s")).toBe("v");
    } finally {
      c.close();
      await s.stop();
      removeDir(dir);
    }
  });
});
