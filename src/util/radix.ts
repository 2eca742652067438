// A stable order of indexes by double keys without a comparator call per
// pair: an LSD radix sort over the keys' IEEE bits, 16 bits a pass. Large
// SORTs use it to get a full order in linear time, then settle the runs of
// equal keys with their own comparison.

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
const SIGN = 0x80000000;

/** The 16-bit digit `pass` (0 = least significant) of a key split into lo/hi words. */
function digit(lo: number, hi: number, pass: number): number {
  const word = pass < 2 ? lo : hi;
  return (pass & 1) === 0 ? word & DIGIT_MASK : word >>> DIGIT_BITS;
}

/**
 * The keys' bits turned so that unsigned order is numeric order: a positive
 * double gets its sign bit set, a negative one all bits flipped. -0 counts
 * as 0, as C's comparisons have it. NaN must not occur.
 */
function orderedBits(keys: Float64Array): [Uint32Array, Uint32Array] {
  const n = keys.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = keys[i] === 0 ? 0 : keys[i];
  const words = new Uint32Array(f.buffer);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  // Little-endian: the low word of double i is words[2i].
  for (let i = 0; i < n; i++) {
    const l = words[2 * i];
    const h = words[2 * i + 1];
    const negative = (h & SIGN) !== 0;
    lo[i] = negative ? ~l >>> 0 : l;
    hi[i] = negative ? ~h >>> 0 : (h | SIGN) >>> 0;
  }
  return [lo, hi];
}

/** Indexes 0..n-1 ordered by ascending key; equal keys keep index order. */
export function stableOrderByKey(keys: Float64Array): Uint32Array {
  const n = keys.length;
  let [lo, hi] = orderedBits(keys);
  let idx: Uint32Array = Uint32Array.from({ length: n }, (_, i) => i);
  let lo2: Uint32Array = new Uint32Array(n);
  let hi2: Uint32Array = new Uint32Array(n);
  let idx2: Uint32Array = new Uint32Array(n);
  const count = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < 4; pass++) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[digit(lo[i], hi[i], pass)]++;
    // A digit every key shares moves nothing.
    if (n === 0 || count[digit(lo[0], hi[0], pass)] === n) continue;
    let sum = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = count[digit(lo[i], hi[i], pass)]++;
      lo2[at] = lo[i];
      hi2[at] = hi[i];
      idx2[at] = idx[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}
