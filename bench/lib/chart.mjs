// A dependency-free SVG bar chart of the ratios, one bar per row, growing
// from a line at 1.0x on a log2 scale so that "half as fast" and "twice as
// fast" look equally far from parity. Colour says who is ahead, because for
// latency, memory and time a ratio below 1.0x is the good direction.
import { betterText, formatRatio, formatValue, subjectAhead } from "./format.mjs";

const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const AHEAD = "#1c7ed6";
const BEHIND = "#e8590c";
const MUTED = "#868e96";
const GRID = "#e9ecef";

const LABEL_RIGHT = 332;
const PLOT_X = 340;
const PLOT_W = 420;
const VALUE_X = PLOT_X + PLOT_W + 10;
const WIDTH = VALUE_X + 70;
const HEADER_H = 78;
const SECTION_H = 40;
const ROW_H = 20;
const BAR_H = 12;
const MAX_EXPONENT = 6; // Bars beyond 64x either way are clipped and marked.
const MAX_LABEL = 46;

export function renderChart(report) {
  const scale = makeScale(report.sections);
  const parts = [];
  let y = HEADER_H;
  for (const section of report.sections) {
    parts.push(renderSection(section, scale, y));
    y += SECTION_H + section.rows.length * ROW_H;
  }
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" font-size="12">`,
    `<title>${escapeXml(chartTitle(report))}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    renderHeader(report),
    ...parts,
    text(16, height - 8, "Log scale. n/a: the server answered an error, lacks the feature, or failed.", {
      fill: MUTED,
      size: 11,
    }),
    "</svg>",
    "",
  ].join("\n");
}

// Symmetric log2 domain just wide enough for the most extreme ratio.
function makeScale(sections) {
  const ratios = sections.flatMap((s) => s.rows.map((r) => r.ratio)).filter((r) => r !== null);
  const extreme = Math.max(1, ...ratios.map((r) => Math.ceil(Math.abs(Math.log2(r)))));
  const exponent = Math.min(MAX_EXPONENT, extreme);
  const toX = (ratio) => {
    const clamped = Math.max(-exponent, Math.min(exponent, Math.log2(ratio)));
    return PLOT_X + PLOT_W / 2 + (clamped / exponent) * (PLOT_W / 2);
  };
  return { exponent, toX, clipped: (ratio) => Math.abs(Math.log2(ratio)) > exponent };
}

function chartTitle({ machine }) {
  const subjectName = machine.redish.real ? "Redish" : `"Redish" = ${machine.redish.command}`;
  return `${subjectName} / redis-server`;
}

function renderHeader(report) {
  const { machine } = report;
  const subtitle = `${report.mode} mode, ${report.startedAt.slice(0, 10)}, ${machine.cpu} (${machine.cores} cores), redis-server ${machine.redisServer}`;
  return [
    text(16, 24, chartTitle(report), { size: 16, weight: "bold" }),
    text(16, 42, subtitle, { fill: MUTED, size: 11 }),
    `<rect x="16" y="54" width="12" height="12" rx="2" fill="${AHEAD}"/>`,
    text(34, 64, "Redish ahead"),
    `<rect x="130" y="54" width="12" height="12" rx="2" fill="${BEHIND}"/>`,
    text(148, 64, "Redish behind"),
  ].join("\n");
}

function renderSection(section, scale, top) {
  const rowsTop = top + SECTION_H;
  const rowsBottom = rowsTop + section.rows.length * ROW_H;
  const heading = `${section.title} (${section.unit}, ${betterText(section.better)})`;
  const parts = [
    text(16, top + 18, heading, { weight: "bold" }),
    renderGrid(scale, rowsTop - 2, rowsBottom),
    ...section.rows.map((row, i) => renderRow(section, row, scale, rowsTop + i * ROW_H)),
  ];
  return `<g>\n${parts.join("\n")}\n</g>`;
}

// Grid lines and tick labels at every power of two, and the parity line.
function renderGrid(scale, top, bottom) {
  const parts = [];
  for (let e = -scale.exponent; e <= scale.exponent; e++) {
    const x = scale.toX(2 ** e).toFixed(1);
    const parity = e === 0;
    parts.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${parity ? "#343a40" : GRID}" stroke-width="${parity ? 1.5 : 1}"/>`,
      text(Number(x), top - 3, tickLabel(e), { fill: parity ? "#343a40" : MUTED, size: 10, anchor: "middle" }),
    );
  }
  return parts.join("\n");
}

function tickLabel(exponent) {
  if (exponent === 0) return "1.0x";
  return exponent > 0 ? `${2 ** exponent}x` : `1/${2 ** -exponent}`;
}

function renderRow(section, row, scale, top) {
  const baseline = top + ROW_H / 2 + 4;
  const label = row.name.length > MAX_LABEL ? `${row.name.slice(0, MAX_LABEL - 1)}…` : row.name;
  const parts = [
    `<title>${escapeXml(tooltip(section, row))}</title>`,
    text(LABEL_RIGHT, baseline, label, { anchor: "end", fill: row.ratio === null ? MUTED : "#212529" }),
  ];
  if (row.ratio === null) {
    parts.push(text(VALUE_X, baseline, "n/a", { fill: MUTED, style: "italic" }));
  } else {
    parts.push(renderBar(section, row.ratio, scale, top));
    parts.push(text(VALUE_X, baseline, formatRatio(row.ratio)));
  }
  return `<g>${parts.join("")}</g>`;
}

function renderBar(section, ratio, scale, top) {
  const from = scale.toX(1);
  const to = scale.toX(ratio);
  const x = Math.min(from, to);
  const width = Math.max(1, Math.abs(to - from));
  const y = top + (ROW_H - BAR_H) / 2;
  const fill = subjectAhead(ratio, section.better) ? AHEAD : BEHIND;
  const bar = `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR_H}" rx="2" fill="${fill}"/>`;
  if (!scale.clipped(ratio)) return bar;
  // An arrowhead past the end of a clipped bar says "even further".
  const tip = to > from ? to + 6 : to - 6;
  const arrow = `<path d="M${to.toFixed(1)} ${y} L${tip.toFixed(1)} ${y + BAR_H / 2} L${to.toFixed(1)} ${y + BAR_H} Z" fill="${fill}"/>`;
  return bar + arrow;
}

function tooltip(section, row) {
  const { baseline, subject } = section.columns;
  const values = `${baseline} ${formatValue(row.baseline, section.unit)}, ${subject} ${formatValue(row.subject, section.unit)}`;
  return `${row.name}: ${values} ${section.unit}`;
}

function text(x, y, content, { fill = "#212529", size = null, weight = null, anchor = null, style = null } = {}) {
  const attributes = [`x="${typeof x === "number" ? x.toFixed(1) : x}"`, `y="${y}"`, `fill="${fill}"`];
  if (size) attributes.push(`font-size="${size}"`);
  if (weight) attributes.push(`font-weight="${weight}"`);
  if (anchor) attributes.push(`text-anchor="${anchor}"`);
  if (style) attributes.push(`font-style="${style}"`);
  return `<text ${attributes.join(" ")}>${escapeXml(content)}</text>`;
}

function escapeXml(value) {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
