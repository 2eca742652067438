// Unmanaged memory for everything in the engine.
//
// All data structures live in blocks from the runtime's TLSF allocator
// (`heap.alloc`/`heap.free`), never in managed (GC-traced) objects, so the
// collector has nothing to trace however large the dataset grows. Every block
// is counted here so `used_memory` reports what the dataset really costs,
// allocator rounding included, like Redis's zmalloc_used_memory().
//
//   TLSF block:  ┌──────────┬─────────────────────────────┐
//                │ mmInfo 4 │ payload (size rounded to 16) │
//                └──────────┴─────────────────────────────┘
//                           ▲ pointer handed out

// @ts-ignore: decorator
@inline const BLOCK_OVERHEAD: usize = 4;
// @ts-ignore: decorator
@inline const TAGS_MASK: u32 = 3;

let used: u64 = 0;

/** Usable size of an allocated block, as TLSF rounded it. */
// @ts-ignore: decorator
@inline export function blockSize(ptr: usize): usize {
  return <usize>(load<u32>(ptr - BLOCK_OVERHEAD) & ~TAGS_MASK);
}

export function zmalloc(size: usize): usize {
  const p = heap.alloc(size);
  used += <u64>(blockSize(p) + BLOCK_OVERHEAD);
  return p;
}

export function zfree(ptr: usize): void {
  if (ptr == 0) return;
  used -= <u64>(blockSize(ptr) + BLOCK_OVERHEAD);
  heap.free(ptr);
}

export function zrealloc(ptr: usize, size: usize): usize {
  if (ptr == 0) return zmalloc(size);
  used -= <u64>(blockSize(ptr) + BLOCK_OVERHEAD);
  const p = heap.realloc(ptr, size);
  used += <u64>(blockSize(p) + BLOCK_OVERHEAD);
  return p;
}

export function zcalloc(size: usize): usize {
  const p = zmalloc(size);
  memory.fill(p, 0, size);
  return p;
}

export function usedMemory(): u64 {
  return used;
}
