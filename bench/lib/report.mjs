// The report: a markdown summary for people and a JSON file for tools and
// for comparing runs over time. Ratios are always subject / baseline, i.e.
// Redish / redis-server except in the embedded sections.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderChart } from "./chart.mjs";
import { betterText, formatRatio, formatValue } from "./format.mjs";

export function buildReport({ mode, machine, startedAt, sections, warnings }) {
  const finishedAt = new Date();
  return {
    format: 1,
    mode: mode.name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Math.round((finishedAt - startedAt) / 1000),
    machine,
    settings: mode,
    sections,
    warnings,
  };
}

export function writeReport(report, outDir) {
  mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = report.startedAt.replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
  writeFileSync(join(outDir, `${stamp}-${report.mode}.json`), json);
  writeFileSync(join(outDir, "latest.json"), json);
  writeFileSync(join(outDir, "latest.md"), markdown);
  writeFileSync(join(outDir, "latest.svg"), renderChart(report));
  return markdown;
}

export function renderMarkdown(report) {
  const lines = [
    "# Redish vs redis-server",
    "",
    describeRun(report),
    "",
    "Ratio is Redish / redis-server measured in the same run on the same machine.",
    "Whether above 1.0x is good depends on the section: see its heading.",
    "**n/a** means the server answered an error, lacks the feature, or failed; the reason follows the table.",
    "",
    "![ratios](latest.svg)",
    "",
  ];
  for (const section of report.sections) lines.push(...renderSection(section), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

function describeRun({ mode, startedAt, durationSeconds, machine }) {
  const redish = machine.redish.real
    ? `Redish ${machine.redish.version} (${machine.redish.commit})`
    : `"Redish" side: \`${machine.redish.command}\` (harness check, not Redish)`;
  return [
    `${mode} mode, ${startedAt}, took ${formatDuration(durationSeconds)}.`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}.`,
    `Node ${machine.node}, redis-server ${machine.redisServer}, ${redish}.`,
    `Load average ${machine.loadAverage.start} at the start, ${machine.loadAverage.end} at the end.`,
  ].join(" ");
}

function formatDuration(seconds) {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

function renderSection(section) {
  const { baseline, subject } = section.columns;
  const lines = [`## ${section.title} (${section.unit}, ${betterText(section.better)})`, ""];
  if (baseline !== "redis-server" || subject !== "Redish") {
    lines.push(`Ratio is ${subject} / ${baseline}.`, "");
  }
  const rows = section.rows.map((row) => [
    row.name,
    formatValue(row.baseline, section.unit),
    formatValue(row.subject, section.unit),
    formatRatio(row.ratio),
  ]);
  lines.push(...renderTable(["case", baseline, subject, "ratio"], rows));
  const notes = renderNotes(section);
  if (notes.length > 0) lines.push("", ...notes);
  return lines;
}

// Columns are padded so the table reads well as plain text too; the first
// column is left-aligned, the numbers right-aligned.
function renderTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map(escapeCell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const pad = (text, i) => (i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]));
  const rule = widths.map((width, i) => (i === 0 ? `:${"-".repeat(width - 1)}` : `${"-".repeat(width - 1)}:`));
  const line = (row) => `| ${row.join(" | ")} |`;
  return [line(cells[0].map(pad)), line(rule), ...cells.slice(1).map((row) => line(row.map(pad)))];
}

// One line per distinct reason, so a missing server gives one line per
// table instead of one per row.
function renderNotes(section) {
  const byReason = new Map();
  for (const row of section.rows) {
    for (const [column, reason] of Object.entries(row.notes)) {
      const key = `${section.columns[column]}: ${conciseReason(reason)}`;
      if (!byReason.has(key)) byReason.set(key, []);
      byReason.get(key).push(row.name);
    }
  }
  return [...byReason].map(([reason, names]) => {
    const where = names.length === section.rows.length ? "all rows" : names.join(", ");
    return `- n/a (${where}) — ${escapeCell(reason)}`;
  });
}

// Redis appends the offending arguments to "unknown command" errors; the
// command name is all a reader needs.
function conciseReason(reason) {
  return reason.replace(/, with args beginning with:.*$/, "");
}

function escapeCell(text) {
  return String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
}
