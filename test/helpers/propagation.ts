// A Redish server with one client and a record of everything it propagates
// (what the AOF and replicas would get), emptied before each test.

import { afterAll, beforeAll, beforeEach } from "vitest";
import { RawClient } from "./resp";
import { startRedish } from "./servers";

export type Redish = Awaited<ReturnType<typeof startRedish>>;

export interface PropagationRig {
  srv: Redish;
  cli: RawClient;
  /** Each propagated command, arguments decoded one char per byte. */
  propagated: string[][];
}

const dec = new TextDecoder("latin1");

/** Registers the hooks of the enclosing describe; fields are set once beforeAll ran. */
export function propagationRig(): PropagationRig {
  const rig = { propagated: [] as string[][] } as PropagationRig;
  let stop: () => void = () => {};
  beforeAll(async () => {
    rig.srv = await startRedish();
    rig.cli = await RawClient.connect(rig.srv.port);
    stop = rig.srv.running.server.onPropagate((_db, args) => rig.propagated.push(args.map((a) => dec.decode(a))));
  });
  afterAll(async () => {
    stop();
    rig.cli.close();
    await rig.srv.stop();
  });
  beforeEach(async () => {
    await rig.cli.call("FLUSHALL");
    rig.propagated.length = 0;
  });
  return rig;
}
