// Every command family's declarations; the table is built from this list.

import { connectionCommands } from "./connection";
import { keyspaceCommands } from "./keyspace";
import { stringCommands } from "./strings";
import type { CommandDef } from "./table";

export const allCommands: readonly CommandDef[] = [...connectionCommands, ...keyspaceCommands, ...stringCommands];
