import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedish, type Redish, ReplyError } from "../../src/index";

describe("embedded API", () => {
  let db: Redish;
  beforeAll(async () => {
    db = await createRedish({ cron: false });
  });
  afterAll(() => db.close());

  it("runs commands in-process and decodes replies", () => {
    expect(db.call("SET", "k", "v")).toBe("OK");
    expect(db.call("GET", "k")).toBe("v");
    expect(db.call("GET", "missing")).toBeNull();
    expect(db.call("INCR", "n")).toBe(1);
    expect(db.call("INCRBY", "n", 41)).toBe(42);
    expect(db.call("MGET", "k", "n", "missing")).toEqual(["v", "42", null]);
  });

  it("keeps binary values intact with callBuffer", () => {
    const bytes = new Uint8Array([0, 255, 13, 10, 128]);
    db.call("SET", "bin", bytes);
    expect(db.callBuffer("GET", "bin")).toEqual(bytes);
  });

  it("throws Redis errors as ReplyError with Redis's message", () => {
    db.call("SET", "s", "abc");
    expect(() => db.call("INCR", "s")).toThrow(ReplyError);
    expect(() => db.call("INCR", "s")).toThrow("ERR value is not an integer or out of range");
    expect(() => db.call("NOSUCHCMD")).toThrow("ERR unknown command 'NOSUCHCMD', with args beginning with: ");
  });

  it("commands that hand the engine bytes of their own keep their arguments intact", () => {
    expect(db.call("HINCRBYFLOAT", "hf", "field", "1.5")).toBe("1.5");
    expect(db.call("HGETALL", "hf")).toEqual(["field", "1.5"]);
  });

  it("returns the same RESP bytes a socket client gets", () => {
    expect(new TextDecoder().decode(db.callRaw("GET", "k"))).toBe("$1\r\nv\r\n");
    expect(new TextDecoder().decode(db.callRaw("PING"))).toBe("+PONG\r\n");
  });

  it("speaks RESP3 after HELLO 3", async () => {
    const other = await createRedish({ cron: false });
    const hello = other.call("HELLO", "3") as Map<string, unknown>;
    expect(hello.get("proto")).toBe(3);
    expect(other.call("GET", "nothing")).toBeNull();
    other.close();
  });
});
