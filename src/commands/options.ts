// One option parser for every command, driven by a grammar (Redis's
// hand-written loops in t_string.c/expire.c, made data).
//
// A grammar maps tokens to groups. Tokens of one group exclude each other
// (`NX|XX`, `EX|PX|EXAT|PXAT|KEEPTTL`); repeating the same token is allowed
// and the last one wins, as in Redis. A token that takes an argument records
// the argument's index: numbers are parsed by the handler afterwards, so a
// syntax error anywhere wins over a bad number, as in Redis.

import type { Client } from "../server/client";
import { SYNTAX } from "./errors";

export interface OptionSpec {
  /** Upper-case token, e.g. "EX". */
  token: string;
  /** Mutually exclusive group; defaults to the token itself. */
  group?: string;
  /** Whether the token is followed by one argument. */
  arg?: boolean;
}

export interface Chosen {
  token: string;
  /** argv index of the token's argument, or -1. */
  argIndex: number;
}

export type Options = Map<string, Chosen>;

export interface Grammar {
  byLength: Map<number, OptionSpec[]>;
}

export function grammar(specs: readonly OptionSpec[]): Grammar {
  const byLength = new Map<number, OptionSpec[]>();
  for (const s of specs) {
    const list = byLength.get(s.token.length) ?? [];
    list.push(s);
    byLength.set(s.token.length, list);
  }
  return { byLength };
}

/**
 * Parses argv[start..] against the grammar. On a syntax error replies
 * "ERR syntax error" and returns null.
 */
export function parseOptions(c: Client, start: number, g: Grammar): Options | null {
  const out: Options = new Map();
  for (let i = start; i < c.argc; i++) {
    const spec = matchToken(c, i, g);
    if (spec === undefined) return syntaxError(c);
    const group = spec.group ?? spec.token;
    const prev = out.get(group);
    if (prev !== undefined && prev.token !== spec.token) return syntaxError(c);
    if (spec.arg) {
      if (i + 1 >= c.argc) return syntaxError(c);
      out.set(group, { token: spec.token, argIndex: ++i });
    } else {
      out.set(group, { token: spec.token, argIndex: -1 });
    }
  }
  return out;
}

function matchToken(c: Client, i: number, g: Grammar): OptionSpec | undefined {
  const candidates = g.byLength.get(c.argLen(i));
  if (candidates === undefined) return undefined;
  for (const s of candidates) if (c.argIs(i, s.token)) return s;
  return undefined;
}

function syntaxError(c: Client): null {
  c.reply.error(SYNTAX);
  return null;
}
