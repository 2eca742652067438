// Running the same raw bytes or commands against Redish and the reference
// redis-server over several connections, for tests that need more than the
// one connection describeDiff gives, or need to see a connection close.

import { expect } from "vitest";
import { type Arg, encodeCommand, RawClient } from "../helpers/resp";
import { startRedis, startRedish, type TestServer } from "../helpers/servers";

export interface Twin {
  redish: TestServer;
  redis: TestServer;
  stop(): Promise<void>;
}

/** Redish and redis-server side by side; redisArgs are redis-server flags ("--requirepass", "pw"). */
export async function startTwin(redishArgs: string[][] = [], redisArgs: string[] = []): Promise<Twin> {
  const [redish, redis] = await Promise.all([startRedish(redishArgs), startRedis(redisArgs)]);
  return {
    redish,
    redis,
    async stop() {
      await Promise.all([redish.stop(), redis.stop()]);
    },
  };
}

/** One connection to each server, used in lockstep. */
export class TwinConn {
  private constructor(
    readonly redish: RawClient,
    readonly redis: RawClient,
  ) {}

  static async open(t: Twin): Promise<TwinConn> {
    const [a, b] = await Promise.all([RawClient.connect(t.redish.port), RawClient.connect(t.redis.port)]);
    return new TwinConn(a, b);
  }

  /** Sends a command to both, expects identical reply bytes, returns them. */
  async same(...args: Arg[]): Promise<string> {
    const [x, y] = await Promise.all([this.redish.call(...args), this.redis.call(...args)]);
    expect(x, `reply to ${args.map(String).join(" ")}`).toBe(y);
    return x;
  }

  /** Sends a command to both without reading (the reply may be held back). */
  send(...args: Arg[]): void {
    const bytes = encodeCommand(args);
    this.redish.writeRaw(bytes);
    this.redis.writeRaw(bytes);
  }

  /** Reads one reply from each and expects identical bytes. */
  async sameReply(): Promise<string> {
    const [x, y] = await Promise.all([this.redish.readReply(), this.redis.readReply()]);
    const a = x.toString("latin1");
    expect(a).toBe(y.toString("latin1"));
    return a;
  }

  /** Writes raw bytes to both, reads `replies` replies from each, expects identical bytes. */
  async rawSame(bytes: string | Uint8Array, replies: number): Promise<string> {
    this.redish.writeRaw(bytes);
    this.redis.writeRaw(bytes);
    let out = "";
    for (let i = 0; i < replies; i++) out += await this.sameReply();
    return out;
  }

  /** Writes raw bytes to both and returns everything each sent until it closed the connection. */
  async rawUntilClose(bytes: string | Uint8Array): Promise<{ redish: string; redis: string }> {
    this.redish.writeRaw(bytes);
    this.redis.writeRaw(bytes);
    const [redish, redis] = await Promise.all([this.redish.readUntilClose(), this.redis.readUntilClose()]);
    return { redish, redis };
  }

  close(): void {
    this.redish.close();
    this.redis.close();
  }
}
