// Every command family's declarations; the table is built from this list.

import { aofCommands } from "./aof";
import { bitopsCommands } from "./bitops";
import { clientCommands } from "./client";
import { commandCommands } from "./command";
import { connectionCommands } from "./connection";
import { dumpCommands } from "./dump";
import { infoCommands } from "./info";
import { keyspaceCommands } from "./keyspace";
import { listCommands, listEngineParams } from "./lists";
import { multiCommands } from "./multi";
import { saveCommands } from "./save";
import { setCommands, setEngineParams } from "./sets";
import { serverCommands } from "./server";
import { stringCommands } from "./strings";
import { stringRangeCommands } from "./strings-range";
import { hashCommands, hashEngineParams } from "./hashes";
import type { CommandDef, EngineParam } from "./table";

/** Config values the engine mirrors, applied by the server at start and on change. */
export const allEngineParams: readonly EngineParam[] = [...hashEngineParams, ...setEngineParams, ...listEngineParams];

export const allCommands: readonly CommandDef[] = [
  ...hashCommands,
  ...listCommands,
  ...connectionCommands,
  ...clientCommands,
  ...multiCommands,
  ...keyspaceCommands,
  ...stringCommands,
  ...stringRangeCommands,
  ...bitopsCommands,
  ...commandCommands,
  ...serverCommands,
  ...infoCommands,
  ...setCommands,
  ...saveCommands,
  ...dumpCommands,
  ...aofCommands,
];
