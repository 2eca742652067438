// Every command family's declarations; the table is built from this list.

import { bitopsCommands } from "./bitops";
import { commandCommands } from "./command";
import { connectionCommands } from "./connection";
import { infoCommands } from "./info";
import { keyspaceCommands } from "./keyspace";
import { setCommands } from "./sets";
import { serverCommands } from "./server";
import { stringCommands } from "./strings";
import { stringRangeCommands } from "./strings-range";
import type { CommandDef } from "./table";

export const allCommands: readonly CommandDef[] = [
  ...connectionCommands,
  ...keyspaceCommands,
  ...stringCommands,
  ...stringRangeCommands,
  ...bitopsCommands,
  ...commandCommands,
  ...serverCommands,
  ...infoCommands,
  ...setCommands,
];
