// Connection commands: PING, ECHO, SELECT, AUTH, HELLO, QUIT, RESET.

import type { Client } from "../server/client";
import { CLIENT_CLOSE_AFTER_REPLY, REPLY_ON } from "../server/client";
import { cString, DB_INDEX_OUT_OF_RANGE, NOPASS, NOT_INTEGER, WRONGPASS } from "./errors";
import { REDIS_VERSION } from "./meta/meta";
import type { CommandDef } from "./table";

// PING [message]
function ping(c: Client): void {
  if (c.argc === 1) c.reply.simple("PONG");
  else c.reply.bulk(c.arg(1));
}

// ECHO message
function echo(c: Client): void {
  c.reply.bulk(c.arg(1));
}

// SELECT index
function select(c: Client): void {
  const id = c.argInt(1);
  if (id === null) return c.reply.error(NOT_INTEGER);
  if (id < 0 || id >= c.server.config.int("databases")) return c.reply.error(DB_INDEX_OUT_OF_RANGE);
  c.db = id;
  c.reply.ok();
}

/** Checks a username/password pair against requirepass (the default user is the only user). */
function checkPassword(c: Client, user: Uint8Array | null, pass: Uint8Array): boolean {
  const required = c.server.config.get("requirepass");
  if (user !== null && !(user.length === 7 && cString(user, 7) === "default")) return false;
  if (required === "") return true;
  return bytesEqualString(pass, required);
}

function bytesEqualString(b: Uint8Array, s: string): boolean {
  const enc = new TextEncoder().encode(s);
  if (enc.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < b.length; i++) diff |= enc[i] ^ b[i];
  return diff === 0;
}

// AUTH [username] password
function auth(c: Client): void {
  if (c.argc > 3) return c.reply.error("ERR syntax error");
  if (c.argc === 2 && c.server.config.get("requirepass") === "") return c.reply.error(NOPASS);
  const user = c.argc === 3 ? c.arg(1) : null;
  // A failed AUTH leaves an authenticated connection authenticated, as in Redis.
  if (!checkPassword(c, user, c.arg(c.argc - 1))) return c.reply.error(WRONGPASS);
  c.authenticated = true;
  c.reply.ok();
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
function hello(c: Client): void {
  let ver = 0;
  if (c.argc >= 2) {
    const v = c.argInt(1);
    if (v === null) return c.reply.error("ERR Protocol version is not an integer or out of range");
    if (v < 2 || v > 3) return c.reply.error("NOPROTO unsupported protocol version");
    ver = v;
  }
  let authUser: Uint8Array | null = null;
  let authPass: Uint8Array | null = null;
  let setName: Uint8Array | null = null;
  for (let j = 2; j < c.argc; j++) {
    const more = c.argc - j - 1;
    if (c.argIs(j, "AUTH") && more >= 2) {
      authUser = c.arg(j + 1);
      authPass = c.arg(j + 2);
      j += 2;
    } else if (c.argIs(j, "SETNAME") && more >= 1) {
      setName = c.arg(j + 1);
      j += 1;
    } else {
      return c.reply.error(`ERR Syntax error in HELLO option '${cString(c.arg(j), 1 << 30)}'`);
    }
  }
  if (authUser !== null && authPass !== null) {
    if (!checkPassword(c, authUser, authPass)) return c.reply.error(WRONGPASS);
    c.authenticated = true;
  }
  if (!c.authenticated) {
    return c.reply.error(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
    );
  }
  if (setName !== null) {
    const err = validateClientName(setName);
    if (err !== null) return c.reply.error(err);
    c.name = cString(setName, setName.length);
  }
  if (ver !== 0) {
    c.resp = ver as 2 | 3;
    c.reply.resp = c.resp;
  }
  const w = c.reply;
  w.map(7);
  w.bulkStr("server");
  w.bulkStr("redis");
  w.bulkStr("version");
  w.bulkStr(REDIS_VERSION);
  w.bulkStr("proto");
  w.int(c.resp);
  w.bulkStr("id");
  w.int(c.id);
  w.bulkStr("mode");
  w.bulkStr(c.server.config.bool("cluster-enabled") ? "cluster" : "standalone");
  w.bulkStr("role");
  w.bulkStr(c.server.masterHost !== null ? "replica" : "master");
  w.bulkStr("modules");
  w.array(0);
}

/** Client names cannot contain spaces, newlines or special characters (Redis's clientSetName). */
export function validateClientName(name: Uint8Array): string | null {
  for (const b of name) {
    if (b < 33 || b > 126) return "ERR Client names cannot contain spaces, newlines or special characters.";
  }
  return null;
}

// QUIT
function quit(c: Client): void {
  c.reply.ok();
  c.flags |= CLIENT_CLOSE_AFTER_REPLY;
}

// RESET
function reset(c: Client): void {
  c.server.resetClient(c);
  c.db = 0;
  c.resp = 2;
  c.reply.resp = 2;
  c.name = "";
  c.replyMode = REPLY_ON;
  c.authenticated = !c.server.authRequired();
  c.reply.simple("RESET");
}

export const connectionCommands: CommandDef[] = [
  { name: "ping", handler: ping },
  { name: "echo", handler: echo },
  { name: "select", handler: select },
  { name: "auth", handler: auth },
  { name: "hello", handler: hello },
  { name: "quit", handler: quit },
  { name: "reset", handler: reset },
];
