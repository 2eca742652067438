// The embedded API: the same engine and command table as the server, called
// in-process with no socket. Platform-neutral (Node, Deno, Bun, browsers):
// the host supplies the engine's WASM bytes or module.
//
//   const db = await openRedish({ wasm });
//   db.call("SET", "k", "v");        // "OK"
//   db.call("INCR", "n");            // 1
//
// A call runs to completion synchronously and returns the reply decoded
// from the same RESP bytes a socket client would get, so the two can never
// disagree. Blocking commands behave as they do inside MULTI (they reply
// at once) since a synchronous call cannot wait.

import { Engine } from "./engine/engine";
import { decodeReply, type Reply, ReplyError } from "./resp/decode";
import type { Client } from "./server/client";
import { Config } from "./server/config";
import { applyDirectives } from "./server/directives";
import { Server } from "./server/server";

export type Arg = string | number | Uint8Array;
export { type Reply, ReplyError };

export interface RedishOptions {
  /** The engine: bytes of build/redish.wasm or a compiled module. */
  wasm: BufferSource | WebAssembly.Module;
  /** Configuration, as redis.conf directives: { maxmemory: "100mb" }. */
  config?: Record<string, string>;
  /** Run active expiry and rehashing on a timer (default true). */
  cron?: boolean;
}

const encoder = new TextEncoder();

function toBytes(a: Arg): Uint8Array {
  if (a instanceof Uint8Array) return a;
  return encoder.encode(typeof a === "number" ? String(a) : a);
}

export class Redish {
  readonly server: Server;
  private readonly client: Client;

  constructor(server: Server) {
    this.server = server;
    this.client = server.createClient(null);
    this.client.embedded = true;
  }

  /** Runs one command and returns its reply (bulk strings decoded as UTF-8). Errors throw ReplyError. */
  call(...args: Arg[]): Reply {
    return decodeReply(this.callRaw(...args), { buffers: false });
  }

  /** Like call(), with bulk strings as Uint8Array (binary-safe). */
  callBuffer(...args: Arg[]): Reply {
    return decodeReply(this.callRaw(...args), { buffers: true });
  }

  /** The raw RESP bytes of the reply. */
  callRaw(...args: Arg[]): Uint8Array {
    if (args.length === 0) throw new Error("call() needs a command name");
    const srv = this.server;
    const c = this.client;
    c.lastInteraction = srv.tick();
    srv.engine.loadArgv(args.map(toBytes));
    c.argc = args.length;
    c.argvBase = srv.engine.x.argvPtr() >> 2;
    c.reply.resp = c.resp;
    srv.execute(c);
    return c.reply.take();
  }

  close(): void {
    this.server.stopCron();
    this.server.removeClient(this.client);
  }
}

export async function openRedish(opts: RedishOptions): Promise<Redish> {
  const config = new Config();
  applyDirectives(
    config,
    Object.entries(opts.config ?? {}).map(([k, v]) => [k, ...(k === "save" ? v.split(/\s+/) : [v])]),
  );
  const module = opts.wasm instanceof WebAssembly.Module ? opts.wasm : await WebAssembly.compile(opts.wasm);
  const engine = Engine.fromModule(module, config.int("databases"));
  const server = new Server(engine, config);
  if (opts.cron !== false) server.startCron();
  return new Redish(server);
}
