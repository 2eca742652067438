// Wiring the AOF into a server: load at start-up, the hooks that write and
// fsync, CONFIG SET appendonly at runtime, and a clean stop at shutdown.

import { logger } from "../server/log";
import type { Server } from "../server/server";
import { Aof, readManifest, type SnapshotWriter } from "./aof";
import { AofLoadError, loadAof, type RdbFileLoader } from "./aof-load";
import { ManifestError } from "./aof-manifest";

export interface AofDeps {
  snapshot: SnapshotWriter | null;
  loadRdb: RdbFileLoader | null;
}

export class PersistenceError extends Error {}

/**
 * Attaches the AOF to a server. When appendonly is yes the existing AOF is
 * loaded (throws PersistenceError with Redis's message on a bad file, leaving
 * it untouched) and returns true, meaning the RDB must not be loaded.
 */
export function attachAof(server: Server, deps: AofDeps): boolean {
  const aof = new Aof(server, deps.snapshot);
  server.aof = aof;
  server.beforeReplyHooks.push(() => aof.flush());
  server.cronHooks.push(() => aof.cron());
  server.shutdownHooks.push(() => aof.stop());
  server.config.onChange("appendonly", (v) => {
    if (v === "yes" && !aof.isOn()) {
      aof.start().catch((err: Error) => logger.warning(`Failed to start the AOF: ${err.message}`));
    } else if (v === "no" && aof.isOn()) {
      aof.stop();
    }
  });
  if (!server.config.bool("appendonly")) return false;
  let manifest = null;
  try {
    manifest = readManifest(aof.dir, aof.prefix);
    if (manifest !== null) {
      const start = Date.now();
      const stats = loadAof(server, aof.dir, manifest, deps.loadRdb);
      logger.notice(
        `DB loaded from append only file: ${((Date.now() - start) / 1000).toFixed(3)} seconds (${stats.commands} commands)`,
      );
    }
  } catch (err) {
    if (err instanceof AofLoadError || err instanceof ManifestError) throw new PersistenceError(err.message);
    throw err;
  }
  aof.openAtStartup(manifest);
  return true;
}
