// Differential testing: the same commands to Redish and to a real
// redis-server, replies compared byte for byte.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Arg, RawClient } from "./resp";
import { hasRedis, skipNotice, startRedis, startRedish, type TestServer } from "./servers";

export type Script = Arg[][];

export interface DiffPair {
  redish: RawClient;
  redis: RawClient;
  /** Sends one command to both and expects identical reply bytes; returns the reply. */
  same(...args: Arg[]): Promise<string>;
  /** Runs a script of commands, comparing each reply. */
  run(script: Script): Promise<void>;
}

/**
 * Declares a describe block whose tests get a DiffPair connected to a fresh
 * Redish and a fresh redis-server (skipped, with a message, without redis-server).
 * Both servers are FLUSHALLed before each script by the caller if needed.
 */
export function describeDiff(
  name: string,
  body: (pair: () => DiffPair) => void,
  opts: { redishArgs?: string[][]; redisArgs?: string[] } = {},
): void {
  skipNotice(name);
  describe.skipIf(!hasRedis)(name, () => {
    let a: TestServer;
    let b: TestServer;
    let pair: DiffPair;
    beforeAll(async () => {
      a = await startRedish(opts.redishArgs ?? []);
      b = await startRedis(opts.redisArgs ?? []);
      const redish = await RawClient.connect(a.port);
      const redis = await RawClient.connect(b.port);
      pair = {
        redish,
        redis,
        async same(...args: Arg[]) {
          const [x, y] = await Promise.all([redish.call(...args), redis.call(...args)]);
          expect(x, `reply to ${args.map(String).join(" ")}`).toBe(y);
          return x;
        },
        async run(script: Script) {
          for (const cmd of script) await pair.same(...cmd);
        },
      };
    });
    afterAll(async () => {
      pair?.redish.close();
      pair?.redis.close();
      await a?.stop();
      await b?.stop();
    });
    body(() => pair);
  });
}

export { it };
