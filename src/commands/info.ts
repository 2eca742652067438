// INFO [section ...]: Redis 7.0's genRedisInfoString, field for field, so
// clients that parse it (ioredis reads `loading`, redis-cli and
// redis-benchmark read several) find what they expect. Fields for features
// Redish does not have yet report what Redis reports with them idle.

import type { Client } from "../server/client";
import type { Server } from "../server/server";
import { REDIS_VERSION } from "./meta/meta";
import type { CommandDef } from "./table";

type Section = (srv: Server) => string[];

/** Redis's bytesToHuman: B, then K/M/G/T/P with two decimals. */
export function bytesToHuman(n: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === "P") return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

/** Per-server figures INFO derives across calls: memory peak, the ops/sec sample, replication id. */
interface InfoState {
  peak: number;
  sampleAt: number;
  sampleCommands: number;
  sampleIn: number;
  sampleOut: number;
  ops: number;
  inKbps: number;
  outKbps: number;
  replid: string;
}

const states = new WeakMap<Server, InfoState>();

function state(srv: Server): InfoState {
  let s = states.get(srv);
  if (s === undefined) {
    s = {
      peak: 0,
      sampleAt: srv.startTime,
      sampleCommands: 0,
      sampleIn: 0,
      sampleOut: 0,
      ops: 0,
      inKbps: 0,
      outKbps: 0,
      replid: hex(40),
    };
    states.set(srv, s);
  }
  return s;
}

function hex(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

/** Rates since the previous sample (Redis samples every 100 ms in its cron; we sample when asked). */
function sampleRates(srv: Server): InfoState {
  const s = state(srv);
  const now = Date.now();
  const secs = (now - s.sampleAt) / 1000;
  if (secs >= 0.1) {
    s.ops = Math.round((srv.stats.commands - s.sampleCommands) / secs);
    s.inKbps = (srv.stats.netInput - s.sampleIn) / 1024 / secs;
    s.outKbps = (srv.stats.netOutput - s.sampleOut) / 1024 / secs;
    s.sampleAt = now;
    s.sampleCommands = srv.stats.commands;
    s.sampleIn = srv.stats.netInput;
    s.sampleOut = srv.stats.netOutput;
  }
  return s;
}

function serverSection(srv: Server): string[] {
  const now = Date.now();
  const uptime = Math.floor((now - srv.startTime) / 1000);
  const hz = srv.config.int("hz");
  const usec = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  return [
    `redis_version:${REDIS_VERSION}`,
    "redis_git_sha1:00000000",
    "redis_git_dirty:0",
    "redis_build_id:0",
    `redis_mode:${srv.config.bool("cluster-enabled") ? "cluster" : "standalone"}`,
    `os:${srv.host.os()}`,
    "arch_bits:64",
    "monotonic_clock:POSIX clock_gettime",
    `multiplexing_api:${srv.host.platform() === "linux" ? "epoll" : "kqueue"}`,
    "atomicvar_api:c11-builtin",
    "gcc_version:0.0.0",
    `process_id:${srv.host.pid()}`,
    `process_supervised:${srv.config.get("supervised")}`,
    `run_id:${srv.runId}`,
    `tcp_port:${srv.config.int("port")}`,
    `server_time_usec:${usec}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${Math.max(1, Math.min(500, hz))}`,
    `configured_hz:${hz}`,
    `lru_clock:${Math.floor(now / 1000) & 0xffffff}`,
    `executable:${srv.host.executable()}`,
    `config_file:${srv.config.file ?? ""}`,
    "io_threads_active:0",
  ];
}

function clientsSection(srv: Server): string[] {
  let maxInput = 0;
  for (const c of srv.clients.values()) maxInput = Math.max(maxInput, c.queryBufPeak);
  return [
    `connected_clients:${srv.clients.size}`,
    "cluster_connections:0",
    `maxclients:${srv.config.int("maxclients")}`,
    `client_recent_max_input_buffer:${maxInput}`,
    "client_recent_max_output_buffer:0",
    `blocked_clients:${[...srv.clients.values()].filter((c) => (c.flags & (1 << 6)) !== 0).length}`,
    "tracking_clients:0",
    "clients_in_timeout_table:0",
  ];
}

function ratio(a: number, b: number): string {
  return (b === 0 ? 0 : a / b).toFixed(2);
}

function memorySection(srv: Server): string[] {
  const used = srv.engine.usedMemory();
  const rss = srv.host.rssBytes();
  const s = state(srv);
  s.peak = Math.max(s.peak, used);
  const startup = srv.startupMemory;
  const overhead = Math.min(used, startup);
  const dataset = used - overhead;
  const maxmemory = srv.config.int("maxmemory");
  const total = srv.host.totalMemory();
  return [
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${rss}`,
    `used_memory_rss_human:${bytesToHuman(rss)}`,
    `used_memory_peak:${s.peak}`,
    `used_memory_peak_human:${bytesToHuman(s.peak)}`,
    `used_memory_peak_perc:${((used / s.peak) * 100).toFixed(2)}%`,
    `used_memory_overhead:${overhead}`,
    `used_memory_startup:${startup}`,
    `used_memory_dataset:${dataset}`,
    `used_memory_dataset_perc:${((dataset / Math.max(1, used - startup)) * 100).toFixed(2)}%`,
    `allocator_allocated:${used}`,
    `allocator_active:${used}`,
    `allocator_resident:${rss}`,
    `total_system_memory:${total}`,
    `total_system_memory_human:${bytesToHuman(total)}`,
    "used_memory_lua:0",
    "used_memory_vm_eval:0",
    "used_memory_lua_human:0B",
    "used_memory_scripts_eval:0",
    "number_of_cached_scripts:0",
    "number_of_functions:0",
    "number_of_libraries:0",
    "used_memory_vm_functions:0",
    "used_memory_vm_total:0",
    "used_memory_vm_total_human:0B",
    "used_memory_functions:0",
    "used_memory_scripts:0",
    "used_memory_scripts_human:0B",
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${bytesToHuman(maxmemory)}`,
    `maxmemory_policy:${srv.config.get("maxmemory-policy")}`,
    "allocator_frag_ratio:1.00",
    "allocator_frag_bytes:0",
    `allocator_rss_ratio:${ratio(rss, used)}`,
    `allocator_rss_bytes:${rss - used}`,
    "rss_overhead_ratio:1.00",
    "rss_overhead_bytes:0",
    `mem_fragmentation_ratio:${ratio(rss, used)}`,
    `mem_fragmentation_bytes:${rss - used}`,
    "mem_not_counted_for_evict:0",
    "mem_replication_backlog:0",
    "mem_total_replication_buffers:0",
    "mem_clients_slaves:0",
    "mem_clients_normal:0",
    "mem_cluster_links:0",
    "mem_aof_buffer:0",
    "mem_allocator:tlsf",
    "active_defrag_running:0",
    `lazyfree_pending_objects:${srv.engine.x.lazyfreePendingObjects()}`,
    `lazyfreed_objects:${srv.engine.x.lazyfreedObjects()}`,
  ];
}

function persistenceSection(srv: Server): string[] {
  return [
    ...(srv.rdb?.infoFields() ?? noRdbFields(srv)),
    ...aofFields(srv),
    "module_fork_in_progress:0",
    "module_fork_last_cow_size:0",
  ];
}

/** The RDB fields of a host without RDB persistence (the embedded API). */
function noRdbFields(srv: Server): string[] {
  return [
    `loading:${srv.loading ? 1 : 0}`,
    "async_loading:0",
    "current_cow_peak:0",
    "current_cow_size:0",
    "current_cow_size_age:0",
    "current_fork_perc:0.00",
    "current_save_keys_processed:0",
    "current_save_keys_total:0",
    `rdb_changes_since_last_save:${srv.dirty}`,
    "rdb_bgsave_in_progress:0",
    `rdb_last_save_time:${srv.lastSave}`,
    "rdb_last_bgsave_status:ok",
    "rdb_last_bgsave_time_sec:-1",
    "rdb_current_bgsave_time_sec:-1",
    "rdb_saves:0",
    "rdb_last_cow_size:0",
    "rdb_last_load_keys_expired:0",
    "rdb_last_load_keys_loaded:0",
  ];
}

function aofFields(srv: Server): string[] {
  const aof = srv.aof;
  const st = aof?.stats;
  const fields = [
    `aof_enabled:${aof?.isOn() ? 1 : 0}`,
    `aof_rewrite_in_progress:${aof?.isRewriting() ? 1 : 0}`,
    "aof_rewrite_scheduled:0",
    `aof_last_rewrite_time_sec:${st?.lastRewriteSec ?? -1}`,
    `aof_current_rewrite_time_sec:${st && aof?.isRewriting() ? Math.floor((Date.now() - st.rewriteStartedAt) / 1000) : -1}`,
    `aof_last_bgrewrite_status:${st?.lastRewriteStatus ?? "ok"}`,
    `aof_rewrites:${st?.rewrites ?? 0}`,
    "aof_rewrites_consecutive_failures:0",
    `aof_last_write_status:${st?.lastWriteStatus ?? "ok"}`,
    "aof_last_cow_size:0",
  ];
  if (aof?.isOn() && st) {
    fields.push(
      `aof_current_size:${st.currentSize}`,
      `aof_base_size:${st.baseSize}`,
      "aof_pending_rewrite:0",
      "aof_buffer_length:0",
      "aof_pending_bio_fsync:0",
      `aof_delayed_fsync:${st.delayedFsync}`,
    );
  }
  return fields;
}

function statsSection(srv: Server): string[] {
  const st = srv.stats;
  const x = srv.engine.x;
  const r = sampleRates(srv);
  return [
    `total_connections_received:${st.connections}`,
    `total_commands_processed:${st.commands}`,
    `instantaneous_ops_per_sec:${r.ops}`,
    `total_net_input_bytes:${st.netInput}`,
    `total_net_output_bytes:${st.netOutput}`,
    "total_net_repl_input_bytes:0",
    "total_net_repl_output_bytes:0",
    `instantaneous_input_kbps:${r.inKbps.toFixed(2)}`,
    `instantaneous_output_kbps:${r.outKbps.toFixed(2)}`,
    "instantaneous_input_repl_kbps:0.00",
    "instantaneous_output_repl_kbps:0.00",
    `rejected_connections:${st.rejectedConnections}`,
    "sync_full:0",
    "sync_partial_ok:0",
    "sync_partial_err:0",
    `expired_keys:${x.statExpired.value}`,
    "expired_stale_perc:0.00",
    "expired_time_cap_reached_count:0",
    "expire_cycle_cpu_milliseconds:0",
    `evicted_keys:${srv.engine.x.evictedKeys()}`,
    "evicted_clients:0",
    "total_eviction_exceeded_time:0",
    "current_eviction_exceeded_time:0",
    `keyspace_hits:${x.statHits.value}`,
    `keyspace_misses:${x.statMisses.value}`,
    "pubsub_channels:0",
    "pubsub_patterns:0",
    "pubsubshard_channels:0",
    "latest_fork_usec:0",
    "total_forks:0",
    "migrate_cached_sockets:0",
    "slave_expires_tracked_keys:0",
    "active_defrag_hits:0",
    "active_defrag_misses:0",
    "active_defrag_key_hits:0",
    "active_defrag_key_misses:0",
    "total_active_defrag_time:0",
    "current_active_defrag_time:0",
    "tracking_total_keys:0",
    "tracking_total_items:0",
    "tracking_total_prefixes:0",
    "unexpected_error_replies:0",
    `total_error_replies:${st.errorReplies}`,
    "dump_payload_sanitizations:0",
    `total_reads_processed:${st.commands}`,
    `total_writes_processed:${st.commands}`,
    "io_threaded_reads_processed:0",
    "io_threaded_writes_processed:0",
    "reply_buffer_shrinks:0",
    "reply_buffer_expands:0",
  ];
}

function replicationSection(srv: Server): string[] {
  return [
    `role:${srv.masterHost !== null ? "slave" : "master"}`,
    "connected_slaves:0",
    "master_failover_state:no-failover",
    `master_replid:${state(srv).replid}`,
    "master_replid2:0000000000000000000000000000000000000000",
    "master_repl_offset:0",
    "second_repl_offset:-1",
    "repl_backlog_active:0",
    `repl_backlog_size:${srv.config.int("repl-backlog-size")}`,
    "repl_backlog_first_byte_offset:0",
    "repl_backlog_histlen:0",
  ];
}

/** Seconds with microseconds, as Redis prints rusage times. */
function cpuSeconds(usec: number): string {
  return `${Math.floor(usec / 1e6)}.${String(usec % 1e6).padStart(6, "0")}`;
}

function cpuSection(srv: Server): string[] {
  const u = srv.host.cpuUsage();
  return [
    `used_cpu_sys:${cpuSeconds(u.system)}`,
    `used_cpu_user:${cpuSeconds(u.user)}`,
    "used_cpu_sys_children:0.000000",
    "used_cpu_user_children:0.000000",
    `used_cpu_sys_main_thread:${cpuSeconds(u.system)}`,
    `used_cpu_user_main_thread:${cpuSeconds(u.user)}`,
  ];
}

function commandstatsSection(srv: Server): string[] {
  const out: string[] = [];
  for (const cmd of srv.table.all()) {
    if (cmd.calls === 0 && cmd.failedCalls === 0 && cmd.rejectedCalls === 0) continue;
    const perCall = cmd.calls === 0 ? 0 : cmd.usec / cmd.calls;
    out.push(
      `cmdstat_${cmd.fullname}:calls=${cmd.calls},usec=${cmd.usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${cmd.rejectedCalls},failed_calls=${cmd.failedCalls}`,
    );
  }
  return out;
}

function errorstatsSection(srv: Server): string[] {
  // Redis keeps them in a radix tree, so they come out in byte order.
  const codes = [...srv.stats.errors.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return codes.map((code) => `errorstat_${code}:count=${srv.stats.errors.get(code)}`);
}

function keyspaceSection(srv: Server): string[] {
  const out: string[] = [];
  const x = srv.engine.x;
  const dbs = srv.config.int("databases");
  for (let db = 0; db < dbs; db++) {
    const keys = x.dbSize(db);
    if (keys === 0) continue;
    out.push(`db${db}:keys=${keys},expires=${x.dbExpiresSize(db)},avg_ttl=${Math.trunc(x.dbAvgTtl(db))}`);
  }
  return out;
}

/** Sections in Redis's order: name, header, whether INFO with no argument shows it. */
const SECTIONS: [string, string, boolean, Section][] = [
  ["server", "Server", true, serverSection],
  ["clients", "Clients", true, clientsSection],
  ["memory", "Memory", true, memorySection],
  ["persistence", "Persistence", true, persistenceSection],
  ["stats", "Stats", true, statsSection],
  ["replication", "Replication", true, replicationSection],
  ["cpu", "CPU", true, cpuSection],
  ["modules", "Modules", true, () => []],
  ["commandstats", "Commandstats", false, commandstatsSection],
  ["errorstats", "Errorstats", true, errorstatsSection],
  ["cluster", "Cluster", true, (srv) => [`cluster_enabled:${srv.config.bool("cluster-enabled") ? 1 : 0}`]],
  ["keyspace", "Keyspace", true, keyspaceSection],
];

/** The INFO text for the requested section names (lower-case; none means "default"). */
export function infoString(srv: Server, requested: readonly string[]): string {
  const names = new Set(requested.length === 0 ? ["default"] : requested);
  const all = names.has("all") || names.has("everything");
  const parts: string[] = [];
  for (const [name, header, byDefault, gen] of SECTIONS) {
    if (!all && !names.has(name) && !(byDefault && names.has("default"))) continue;
    const lines = gen(srv);
    parts.push(`# ${header}\r\n${lines.map((l) => `${l}\r\n`).join("")}`);
  }
  return parts.join("\r\n");
}

// INFO [section [section ...]]
function info(c: Client): void {
  const names: string[] = [];
  for (let i = 1; i < c.argc; i++) names.push(c.argStr(i).toLowerCase());
  c.reply.verbatim(infoString(c.server, names));
}

export const infoCommands: CommandDef[] = [{ name: "info", handler: info }];
