// Inline (telnet-style) commands: split like Redis's sdssplitargs, quotes,
// escapes, empty lines, CRLF or bare LF, mixed with multibulk requests.

import { afterAll, beforeAll, describe, it } from "vitest";
import { hasRedis, skipNotice } from "../helpers/servers";
import { startTwin, type Twin, TwinConn } from "./harness";

skipNotice("inline commands");
describe.skipIf(!hasRedis)("inline commands are split like Redis's sdssplitargs", () => {
  let twin: Twin;
  let conn: TwinConn;
  beforeAll(async () => {
    twin = await startTwin();
    conn = await TwinConn.open(twin);
  });
  afterAll(async () => {
    conn?.close();
    await twin?.stop();
  });

  it("plain words, CRLF or LF, runs of blanks, tabs", async () => {
    await conn.rawSame("PING\r\n", 1);
    await conn.rawSame("PING\n", 1);
    await conn.rawSame("  SET   k \t v  \r\n", 1);
    await conn.rawSame("GET k\r\n", 1);
    await conn.rawSame("ECHO a\rb\r\n", 1);
  });

  it("empty lines and lines of blanks are skipped", async () => {
    await conn.rawSame("\r\n\n   \r\n\t\nPING\r\n", 1);
  });

  it("vertical tab and form feed stay inside an argument but separate before one", async () => {
    await conn.rawSame("ECHO a\vb\fc\r\n", 1);
    await conn.rawSame("\v\fECHO x\r\n", 1);
  });

  it("double quotes: escapes, hex bytes, embedded spaces, empty strings", async () => {
    await conn.rawSame('ECHO "hello world"\r\n', 1);
    await conn.rawSame('ECHO "a\\nb\\rc\\td\\be\\af\\\\g\\"h"\r\n', 1);
    await conn.rawSame('ECHO "\\x41\\x7a\\xff\\x00\\xZZ\\x4"\r\n', 1);
    await conn.rawSame('ECHO ""\r\n', 1);
    await conn.rawSame('SET "" empty\r\nGET ""\r\n', 2);
    await conn.rawSame('ECHO "\\q"\r\n', 1);
  });

  it("single quotes: only \\' is an escape", async () => {
    await conn.rawSame("ECHO 'it\\'s \\n raw'\r\n", 1);
    await conn.rawSame("ECHO ''\r\n", 1);
  });

  it("quotes inside a word open a quoted part", async () => {
    await conn.rawSame('ECHO ab"c d"\r\n', 1);
    await conn.rawSame("ECHO ab'c d'\r\n", 1);
  });

  it("inline and multibulk requests mixed in one write, answered in order", async () => {
    await conn.rawSame("SET m 1\r\n*2\r\n$4\r\nINCR\r\n$1\r\nm\r\nINCR m\n*2\r\n$3\r\nGET\r\n$1\r\nm\r\n", 4);
  });

  it("an inline command split across writes waits for its newline", async () => {
    conn.redish.writeRaw("ECH");
    conn.redis.writeRaw("ECH");
    await new Promise((r) => setTimeout(r, 20));
    await conn.rawSame("O split\r\n", 1);
  });

  it("unknown inline commands quote their arguments in the error", async () => {
    await conn.rawSame("NOSUCH a 'b c'\r\n", 1);
  });
});
