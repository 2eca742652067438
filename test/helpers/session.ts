// Scripts over several named connections to one server, recording every
// reply read: the same script run on Redish and on redis-server gives two
// transcripts to compare (blocking commands, who is served and when).

import { type Arg, encodeCommand, RawClient } from "./resp";

/** A script over named connections; the transcript is every reply read, in order. */
export interface Session {
  /** Sends a command without waiting for its reply. */
  send(who: string, ...args: Arg[]): void;
  /** Waits for the next reply on a connection and records it. */
  read(who: string): Promise<string>;
  /** send + read. */
  call(who: string, ...args: Arg[]): Promise<string>;
  /** A call whose reply is not recorded (it differs between servers, or is only waited on). */
  ask(who: string, ...args: Arg[]): Promise<string>;
  /** Records that no reply is waiting after a round trip on another connection. */
  quiet(who: string, via: string): Promise<void>;
  close(who: string): void;
  transcript: string[];
}

export async function session(port: number, names: string[], body: (s: Session) => Promise<void>): Promise<string[]> {
  const clients = new Map<string, RawClient>();
  for (const n of names) clients.set(n, await RawClient.connect(port));
  const get = (who: string): RawClient => clients.get(who) as RawClient;
  const transcript: string[] = [];
  const s: Session = {
    transcript,
    send(who, ...args) {
      get(who).writeRaw(encodeCommand(args));
    },
    async read(who) {
      const r = (await get(who).readReply()).toString("latin1");
      transcript.push(`${who}: ${r}`);
      return r;
    },
    async call(who, ...args) {
      s.send(who, ...args);
      return s.read(who);
    },
    async ask(who, ...args) {
      s.send(who, ...args);
      return (await get(who).readReply()).toString("latin1");
    },
    async quiet(who, via) {
      await s.call(via, "PING");
      // A reply caused by what came before would be on its way by now.
      const late = await get(who)
        .readReply(100)
        .then((r) => r.toString("latin1"))
        .catch(() => null);
      transcript.push(`${who}: ${late === null ? "(nothing)" : late}`);
    },
    close(who) {
      get(who).close();
      clients.delete(who);
    },
  };
  try {
    await body(s);
  } finally {
    for (const c of clients.values()) c.close();
  }
  return transcript;
}
