// CRC-64/Jones, the checksum at the end of every RDB file and DUMP payload
// (Redis's crc64.c): reflected, polynomial 0xad93d23594c935a9, initial value
// 0, no final xor; crc64("123456789") == 0xe9c6d914c4b8d9ca.
//
//   tables: 8 × 256 u64 (slice-by-8, as Redis's crcspeed), built on first use
//   ┌──────────┬──────────┬─────┬──────────┐
//   │ T0[256]  │ T1[256]  │ ... │ T7[256]  │   Tk[b] = CRC of byte b followed by k zero bytes
//   └──────────┴──────────┴─────┴──────────┘
//
// Eight input bytes are folded per step, which is what keeps checksumming
// off the profile of a multi-gigabyte save.

/** The reflected form of 0xad93d23594c935a9. */
// @ts-ignore: decorator
@inline const POLY_REFLECTED: u64 = 0x95ac9329ac4bc9b5;
// @ts-ignore: decorator
@inline const TABLE_BYTES: usize = 256 * 8;

const tables: usize = memory.data(<i32>(TABLE_BYTES * 8), 16);
let tablesReady = false;

function buildTables(): void {
  for (let b: u32 = 0; b < 256; b++) {
    let crc = <u64>b;
    for (let k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ POLY_REFLECTED : crc >> 1;
    store<u64>(tables + (<usize>b << 3), crc);
  }
  for (let t: usize = 1; t < 8; t++) {
    for (let b: usize = 0; b < 256; b++) {
      const prev = load<u64>(tables + (t - 1) * TABLE_BYTES + (b << 3));
      const next = (prev >> 8) ^ load<u64>(tables + (<usize>(prev & 0xff) << 3));
      store<u64>(tables + t * TABLE_BYTES + (b << 3), next);
    }
  }
  tablesReady = true;
}

// @ts-ignore: decorator
@inline function entry(t: usize, b: u64): u64 {
  return load<u64>(tables + t * TABLE_BYTES + (<usize>(b & 0xff) << 3));
}

/** Continues `crc` over len bytes at p (start a new checksum with crc = 0). */
export function crc64(crc: u64, p: usize, len: usize): u64 {
  if (!tablesReady) buildTables();
  const end = p + len;
  while (p + 8 <= end) {
    const x = crc ^ load<u64>(p);
    crc = entry(7, x) ^ entry(6, x >> 8) ^ entry(5, x >> 16) ^ entry(4, x >> 24) ^
      entry(3, x >> 32) ^ entry(2, x >> 40) ^ entry(1, x >> 48) ^ entry(0, x >> 56);
    p += 8;
  }
  while (p < end) {
    crc = entry(0, crc ^ <u64>load<u8>(p)) ^ (crc >> 8);
    p++;
  }
  return crc;
}
