// Per-command cost of the server's input path without the network: a
// 16-command pipeline chunk fed straight to Server.handleInput.
// Run after `npm run build`: node bench/micro/dispatch.mjs
import { createRedish } from "../../dist/index.js";

const db = await createRedish({ cron: false });
const server = db.server;
const client = server.createClient({ write: () => true, close() {}, remote: "bench:0", local: "bench:0", fd: -1 });

function pipeline(cmd, n) {
  const parts = [];
  for (let i = 0; i < n; i++) {
    const prefix = cmd === "INCR" ? "counter" : "key";
    const key = `${prefix}:${String(i % 1000).padStart(10, "0")}`;
    const args = cmd === "SET" ? ["SET", key, "x".repeat(100)] : [cmd, key];
    parts.push(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`);
  }
  return Buffer.from(parts.join(""));
}

for (const cmd of ["SET", "GET", "INCR"]) {
  const chunk = pipeline(cmd, 16);
  for (let i = 0; i < 20000; i++) server.handleInput(client, chunk, Buffer.allocUnsafe);
  const rounds = 200000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) server.handleInput(client, chunk, Buffer.allocUnsafe);
  const ns = Number(process.hrtime.bigint() - t0) / (rounds * 16);
  console.log(`${cmd}: ${ns.toFixed(0)} ns/command`);
}
db.close();
