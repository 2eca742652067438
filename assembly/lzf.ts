// LZF compression in the format of Redis's bundled liblzf 3.6 (lzf_c.c,
// lzf_d.c, built with HLOG 16 and VERY_FAST): compressed quicklist nodes and
// compressed RDB strings. Output is byte-identical to Redis's compressor run
// with a fresh hash table (a match may end at the last input byte, as 3.6
// allows).
//
//   compressed stream: a sequence of
//   ┌──────────┬─────────────────┐
//   │ 000LLLLL │ L+1 literal bytes│                      literal run (1..32 bytes)
//   ├──────────┼──────────┐──────┘
//   │ LLLooooo │ oooooooo │                              back reference, length L+2 (L 1..6)
//   ├──────────┼──────────┼──────────┐
//   │ 111ooooo │ LLLLLLLL │ oooooooo │                   back reference, length L+9
//   └──────────┴──────────┴──────────┘
//   offset o (13 bits) counts back from the output position minus one.
//
//   hash table: HSIZE slots of u64 = epoch:32 | input offset:32
//   A slot written in an earlier call has an older epoch and reads as empty,
//   so the table never needs clearing between calls.

// @ts-ignore: decorator
@inline const HLOG: u32 = 16;
// @ts-ignore: decorator
@inline const HSIZE: u32 = 1 << HLOG;
/** Longest literal run. */
// @ts-ignore: decorator
@inline const MAX_LIT: u32 = 1 << 5;
/** Farthest back reference. */
// @ts-ignore: decorator
@inline const MAX_OFF: u32 = 1 << 13;
/** Longest back reference, minus the two implied bytes. */
// @ts-ignore: decorator
@inline const MAX_REF: u32 = (1 << 8) + (1 << 3);
/** The compressor compares this many bytes before bounding a match (liblzf's unrolled loop). */
// @ts-ignore: decorator
@inline const UNROLLED: u32 = 16;

let htab: usize = 0;
let epoch: u32 = 0;

/** liblzf's hash of the 3 bytes ending at p[2] (and, through overflow, the byte before). */
// @ts-ignore: decorator
@inline function idx(h: u32): u32 {
  return ((h >> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
}

/** Starts a call: a new epoch makes every slot read as empty. */
function beginCall(): void {
  if (htab == 0) {
    // Not dataset memory, so outside zmalloc's accounting (Redis keeps it on the stack).
    htab = heap.alloc(<usize>HSIZE << 3);
    memory.fill(htab, 0, <usize>HSIZE << 3);
  }
  epoch++;
  if (epoch == 0) {
    memory.fill(htab, 0, <usize>HSIZE << 3);
    epoch = 1;
  }
}

/** Input offset stored in a slot by this call, or 0 (which no match may use) when empty. */
// @ts-ignore: decorator
@inline function slotSwap(h: u32, off: u32): u32 {
  const slot = htab + (<usize>idx(h) << 3);
  const v = load<u64>(slot);
  store<u64>(slot, (<u64>epoch << 32) | <u64>off);
  return <u32>(v >> 32) == epoch ? <u32>v : 0;
}

// @ts-ignore: decorator
@inline function slotSet(h: u32, off: u32): void {
  store<u64>(htab + (<usize>idx(h) << 3), (<u64>epoch << 32) | <u64>off);
}

/** Length of the match at ref/ip that is known to be at least 3 bytes, as liblzf measures it. */
function matchLength(ref: usize, ip: usize, maxlen: u32): u32 {
  let len: u32 = 2;
  if (maxlen > UNROLLED) {
    // liblzf checks 16 more bytes before looking at maxlen, so a match may
    // run up to 19 bytes when maxlen is 17 or 18; the input always has them.
    for (let k: u32 = 0; k < UNROLLED; k++) {
      len++;
      if (load<u8>(ref + len) != load<u8>(ip + len)) return len;
    }
  }
  len++;
  while (len < maxlen && load<u8>(ref + len) == load<u8>(ip + len)) len++;
  return len;
}

/**
 * Compresses in[0..inLen) into out (room for outLen bytes). Returns the
 * compressed length, or 0 when it does not fit (or the input is empty).
 */
export function lzfCompress(input: usize, inLen: u32, out: usize, outLen: u32): u32 {
  if (inLen == 0 || outLen == 0) return 0;
  beginCall();
  const inEnd = input + inLen;
  const outEnd = out + outLen;
  let ip = input;
  let op = out + 1; // room for the first run's header
  let lit: u32 = 0;
  let hval: u32 = (<u32>load<u8>(ip) << 8) | (inLen > 1 ? <u32>load<u8>(ip, 1) : 0);
  while (ip + 2 < inEnd) {
    hval = (hval << 8) | <u32>load<u8>(ip, 2);
    const refOff = slotSwap(hval, <u32>(ip - input));
    const ref = input + refOff;
    if (
      refOff > 0 && ip - ref - 1 < MAX_OFF && load<u8>(ref, 2) == load<u8>(ip, 2) && load<u16>(ref) == load<u16>(ip)
    ) {
      const off = <u32>(ip - ref - 1);
      const maxlen = min(<u32>(inEnd - ip) - 2, MAX_REF);
      store<u8>(op - lit - 1, <u8>(lit - 1)); // close the literal run
      if (lit == 0) op--; // an empty run leaves no header
      if (op + 4 >= outEnd) return 0;
      const len = matchLength(ref, ip, maxlen) - 2;
      ip++;
      if (len < 7) {
        store<u8>(op++, <u8>((off >> 8) + (len << 5)));
      } else {
        store<u8>(op++, <u8>((off >> 8) + (7 << 5)));
        store<u8>(op++, <u8>(len - 7));
      }
      store<u8>(op++, <u8>off);
      lit = 0;
      op++;
      ip += len + 1;
      if (ip + 2 >= inEnd) break;
      // Hash the last two positions of the match (VERY_FAST mode).
      ip -= 2;
      hval = (<u32>load<u8>(ip) << 8) | <u32>load<u8>(ip, 1);
      hval = (hval << 8) | <u32>load<u8>(ip, 2);
      slotSet(hval, <u32>(ip - input));
      ip++;
      hval = (hval << 8) | <u32>load<u8>(ip, 2);
      slotSet(hval, <u32>(ip - input));
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      store<u8>(op++, load<u8>(ip++));
      if (lit == MAX_LIT) {
        store<u8>(op - lit - 1, <u8>(lit - 1));
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < inEnd) {
    lit++;
    store<u8>(op++, load<u8>(ip++));
    if (lit == MAX_LIT) {
      store<u8>(op - lit - 1, <u8>(lit - 1));
      lit = 0;
      op++;
    }
  }
  store<u8>(op - lit - 1, <u8>(lit - 1));
  if (lit == 0) op--;
  return <u32>(op - out);
}

/**
 * Decompresses in[0..inLen) into out (room for outLen bytes). Returns the
 * decompressed length, or 0 when the output does not fit or the input is
 * corrupt (liblzf with CHECK_INPUT: never reads or writes out of bounds).
 */
export function lzfDecompress(input: usize, inLen: u32, out: usize, outLen: u32): u32 {
  if (inLen == 0) return 0;
  const inEnd = input + inLen;
  const outEnd = out + outLen;
  let ip = input;
  let op = out;
  do {
    const ctrl = <u32>load<u8>(ip++);
    if (ctrl < MAX_LIT) {
      const n = ctrl + 1;
      if (op + n > outEnd || ip + n > inEnd) return 0;
      memory.copy(op, ip, n);
      op += n;
      ip += n;
    } else {
      let len = ctrl >> 5;
      let back = ((ctrl & 0x1f) << 8) + 1;
      if (ip >= inEnd) return 0;
      if (len == 7) {
        len += <u32>load<u8>(ip++);
        if (ip >= inEnd) return 0;
      }
      back += <u32>load<u8>(ip++);
      len += 2;
      if (op + len > outEnd || <usize>back > op - out) return 0;
      // Byte by byte: a reference may overlap the bytes it produces.
      let ref = op - back;
      for (let k: u32 = 0; k < len; k++) store<u8>(op++, load<u8>(ref++));
    }
  } while (ip < inEnd);
  return <u32>(op - out);
}
