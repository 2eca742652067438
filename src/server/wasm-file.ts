// Finds and compiles the engine's .wasm file next to the code (Node only).

import { readFileSync } from "node:fs";

const CANDIDATES = ["../build/redish.wasm", "../../build/redish.wasm"];

let cached: WebAssembly.Module | null = null;

export function engineModule(): WebAssembly.Module {
  if (cached) return cached;
  for (const rel of CANDIDATES) {
    try {
      const bytes = readFileSync(new URL(rel, import.meta.url));
      cached = new WebAssembly.Module(bytes);
      return cached;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  throw new Error("build/redish.wasm not found: run `npm install` (or `npm run build`) first");
}
