// RDB files built by hand: the encodings Redis stopped writing (ziplist,
// zipmap, linked list, ziplist quicklist) that old dumps still carry, so the
// loader can be checked against redis-server on them.

/** CRC-64/Jones (Redis's crc64). */
export function crc64(bytes: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const b of bytes) {
    crc ^= BigInt(b);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

/** An RDB length (6/14/32-bit forms). */
export function rdbLen(n: number): number[] {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 0xff];
  return [0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** A plain RDB string. */
export function rdbString(s: string | Uint8Array): number[] {
  const b = typeof s === "string" ? Buffer.from(s, "latin1") : Buffer.from(s);
  return [...rdbLen(b.length), ...b];
}

type Element = string | number;

/** One ziplist entry after an entry of `prev` bytes. */
function zlEntry(prev: number, e: Element): number[] {
  const prevlen = prev < 254 ? [prev] : [0xfe, prev & 0xff, (prev >> 8) & 0xff, (prev >> 16) & 0xff, prev >>> 24];
  if (typeof e === "number") {
    if (e >= 0 && e <= 12) return [...prevlen, 0xf1 + e];
    if (e >= -128 && e <= 127) return [...prevlen, 0xfe, e & 0xff];
    return [...prevlen, 0xc0, e & 0xff, (e >> 8) & 0xff];
  }
  const b = Buffer.from(e, "latin1");
  const enc = b.length < 64 ? [b.length] : [0x40 | (b.length >> 8), b.length & 0xff];
  return [...prevlen, ...enc, ...b];
}

/** Redis's ziplist of the elements (numbers up to int16 as integers). */
export function ziplist(elements: Element[]): number[] {
  const entries: number[][] = [];
  let prev = 0;
  for (const e of elements) {
    const entry = zlEntry(prev, e);
    entries.push(entry);
    prev = entry.length;
  }
  const body = entries.flat();
  const tail = 10 + body.length - (entries.length > 0 ? entries[entries.length - 1].length : 0);
  const total = 10 + body.length + 1;
  const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
  return [...u32(total), ...u32(tail), elements.length & 0xff, elements.length >> 8, ...body, 0xff];
}

/** A listpack of short strings and small integers (0..127), as Redis 7 writes them. */
export function listpack(elements: (string | number)[]): number[] {
  const entries = elements.map((e) => {
    if (typeof e === "number") return [e, 1];
    const b = Buffer.from(e, "latin1");
    return [0x80 | b.length, ...b, 1 + b.length];
  });
  const body = entries.flat();
  const total = 6 + body.length + 1;
  return [
    total & 0xff,
    (total >> 8) & 0xff,
    total >> 16,
    0,
    elements.length & 0xff,
    elements.length >> 8,
    ...body,
    0xff,
  ];
}

/** Redis 2.4's zipmap of field, value pairs. */
export function zipmap(pairs: [string, string][]): number[] {
  const out = [pairs.length];
  for (const [f, v] of pairs) out.push(f.length, ...Buffer.from(f, "latin1"), v.length, 0, ...Buffer.from(v, "latin1"));
  out.push(0xff);
  return out;
}

/** A whole RDB file of the given version: SELECTDB 0, the records, EOF and (from version 5) the CRC64. */
export function rdbFile(version: number, records: number[][]): Buffer {
  const head = Buffer.from(`REDIS${String(version).padStart(4, "0")}`, "latin1");
  const body = Buffer.from([0xfe, 0, ...records.flat(), 0xff]);
  const all = Buffer.concat([head, body]);
  if (version < 5) return all;
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(all));
  return Buffer.concat([all, crc]);
}

/** A key record: type byte, key, then the value bytes. */
export function record(type: number, key: string, value: number[]): number[] {
  return [type, ...rdbString(key), ...value];
}

/** Every legacy encoding the loader converts, as Redis 6.2 (version 9) and older would write them. */
export function legacyRecords(): number[][] {
  const long = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? i : `item-${i}`));
  const pairs = (n: number) => Array.from({ length: n }, (_, i) => [`field${i}`, i % 2 ? i : `value${i}`]).flat();
  return [
    record(10, "list-ziplist", rdbString(Buffer.from(ziplist(["a", 1, 300, -5, "b".repeat(70)])))),
    record(14, "list-quicklist", [
      ...rdbLen(2),
      ...rdbString(Buffer.from(ziplist(long.slice(0, 150)))),
      ...rdbString(Buffer.from(ziplist(long.slice(150)))),
    ]),
    record(1, "list-linked", [...rdbLen(3), ...rdbString("x"), ...rdbString("12"), ...rdbString("y")]),
    record(13, "hash-ziplist", rdbString(Buffer.from(ziplist(pairs(4))))),
    record(13, "hash-ziplist-big", rdbString(Buffer.from(ziplist(pairs(200))))),
    record(
      9,
      "hash-zipmap",
      rdbString(
        Buffer.from(
          zipmap([
            ["name", "redis"],
            ["ver", "2.4"],
          ]),
        ),
      ),
    ),
    record(9, "hash-zipmap-long", rdbString(Buffer.from(zipmap([["f", "v".repeat(100)]])))),
    record(11, "set-intset", rdbString(Buffer.from([2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0]))),
    record(2, "set-plain", [...rdbLen(2), ...rdbString("a"), ...rdbString("b")]),
    record(12, "zset-ziplist", rdbString(Buffer.from(ziplist(["a", 1, "b", "2.5", 10, 3])))),
    record(3, "zset-text", [
      ...rdbLen(3),
      ...rdbString("x"),
      3,
      ...Buffer.from("1.5"),
      ...rdbString("y"),
      254,
      ...rdbString("z"),
      255,
    ]),
    record(0, "string", rdbString("plain")),
  ];
}
