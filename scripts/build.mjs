// Bundles the TypeScript sources with esbuild: the server CLI and the
// embedded API for Node (engine read from build/), and a browser build of the
// embedded API with the engine's bytes inlined.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Code splitting names chunks by content: start clean so stale chunks do not pile up.
rmSync("dist", { recursive: true, force: true });

const common = { bundle: true, sourcemap: true, target: "es2022", logLevel: "warning" };

await build({
  ...common,
  // The snapshot worker is its own entry: BGSAVE starts it from a file next to the bundle.
  entryPoints: { cli: "src/server/cli.ts", index: "src/index.ts", "snapshot-worker": "src/persistence/snapshot-worker.ts" },
  outdir: "dist",
  platform: "node",
  format: "esm",
  splitting: true,
});

await build({
  ...common,
  entryPoints: { browser: "src/browser.ts" },
  outdir: "dist",
  platform: "browser",
  format: "esm",
  loader: { ".wasm": "binary" },
});
