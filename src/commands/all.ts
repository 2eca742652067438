// Every command family's declarations; the table is built from this list.

import { aofCommands } from "./aof";
import { bitopsCommands } from "./bitops";
import { clientCommands } from "./client";
import { commandCommands } from "./command";
import { connectionCommands } from "./connection";
import { dumpCommands } from "./dump";
import { hashCommands, hashEngineParams } from "./hashes";
import { infoCommands } from "./info";
import { keyspaceCommands } from "./keyspace";
import { listCommands, listEngineParams } from "./lists";
import { multiCommands } from "./multi";
import { saveCommands } from "./save";
import { serverCommands } from "./server";
import { setCommands, setEngineParams } from "./sets";
import { sortCommands } from "./sort";
import { stringCommands } from "./strings";
import { stringRangeCommands } from "./strings-range";
import type { CommandDef, EngineParam } from "./table";
import { zsetCommands, zsetEngineParams } from "./zsets";

/** Config values the engine mirrors, applied by the server at start and on change. */
export const allEngineParams: readonly EngineParam[] = [
  ...hashEngineParams,
  ...setEngineParams,
  ...listEngineParams,
  ...zsetEngineParams,
];

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
  ...setCommands,
  ...sortCommands,
  ...commandCommands,
  ...serverCommands,
  ...infoCommands,
  ...saveCommands,
  ...dumpCommands,
  ...aofCommands,
  ...zsetCommands,
];
