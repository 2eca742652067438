// Partial quicksort: Redis's pqsort (NetBSD's qsort, after Bentley and
// McIlroy's "Engineering a Sort Function", with partitions that lie wholly
// outside the wanted range left unsorted). SORT ... BY ... LIMIT uses it.
// It is not stable, and SORT replies expose where it puts equal elements,
// so this follows the same pivot choices and partitioning step for step
// rather than using any other partial sort.

/** Compares the items at two positions of the array being sorted. */
type Compare = (x: number, y: number) => number;

/** Below this many elements a partition is insertion-sorted. */
const SMALL = 7;
/** Above this many elements the pivot is a median of three medians (the ninther). */
const NINTHER = 40;

let v: number[] = [];
let cmp: Compare = () => 0;
let lrange = 0;
let rrange = 0;

function swap(i: number, j: number): void {
  const t = v[i];
  v[i] = v[j];
  v[j] = t;
}

function vecswap(i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(i + k, j + k);
}

function at(i: number, j: number): number {
  return cmp(v[i], v[j]);
}

function med3(a: number, b: number, c: number): number {
  if (at(a, b) < 0) return at(b, c) < 0 ? b : at(a, c) < 0 ? c : a;
  return at(b, c) > 0 ? b : at(a, c) < 0 ? a : c;
}

function insertionSort(lo: number, n: number): void {
  for (let m = lo + 1; m < lo + n; m++) {
    for (let l = m; l > lo && at(l - 1, l) > 0; l--) swap(l, l - 1);
  }
}

/** Whether positions lo..lo+n-1 hold nothing of the wanted range. */
function outsideRange(lo: number, n: number): boolean {
  const hi = lo + n - 1;
  return (lrange < lo && rrange < lo) || (lrange > hi && rrange > hi);
}

/** The pivot, moved to position lo. */
function choosePivot(lo: number, n: number): void {
  let m = lo + Math.floor(n / 2);
  if (n > SMALL) {
    let l = lo;
    let h = lo + n - 1;
    if (n > NINTHER) {
      const d = Math.floor(n / 8);
      l = med3(l, l + d, l + 2 * d);
      m = med3(m - d, m, m + d);
      h = med3(h - 2 * d, h - d, h);
    }
    m = med3(l, m, h);
  }
  swap(lo, m);
}

function sortPart(lo: number, n: number): void {
  for (;;) {
    if (n < SMALL) return insertionSort(lo, n);
    choosePivot(lo, n);
    // Equal keys gather at both ends ([lo, pa) and (pd, end]), then move to the middle.
    let pa = lo + 1;
    let pb = pa;
    let pc = lo + n - 1;
    let pd = pc;
    let swapped = false;
    for (;;) {
      while (pb <= pc) {
        const r = at(pb, lo);
        if (r > 0) break;
        if (r === 0) {
          swapped = true;
          swap(pa++, pb);
        }
        pb++;
      }
      while (pb <= pc) {
        const r = at(pc, lo);
        if (r < 0) break;
        if (r === 0) {
          swapped = true;
          swap(pc, pd--);
        }
        pc--;
      }
      if (pb > pc) break;
      swap(pb++, pc--);
      swapped = true;
    }
    // Nothing moved: the partition looks sorted, finish it by insertion.
    if (!swapped) return insertionSort(lo, n);
    const end = lo + n;
    let r = Math.min(pa - lo, pb - pa);
    vecswap(lo, pb - r, r);
    r = Math.min(pd - pc, end - pd - 1);
    vecswap(pb, end - r, r);
    r = pb - pa;
    if (r > 1 && !outsideRange(lo, r)) sortPart(lo, r);
    r = pd - pc;
    if (r <= 1) return;
    lo = end - r;
    n = r;
    if (outsideRange(lo, n)) return;
  }
}

/**
 * Sorts `items` (in place) enough that positions from..to hold what a full
 * sort would put there; elsewhere the order is pqsort's partial one.
 */
export function pqsort(items: number[], compare: Compare, from: number, to: number): void {
  v = items;
  cmp = compare;
  lrange = from;
  rrange = to;
  try {
    sortPart(0, items.length);
  } finally {
    v = [];
    cmp = () => 0;
  }
}
