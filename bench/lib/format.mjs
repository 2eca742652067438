// Number formatting shared by the markdown table and the chart.
const MiB = 1024 * 1024;
const KiB = 1024;

export function formatValue(value, unit) {
  if (value === null || value === undefined) return "n/a";
  if (unit === "ops/s") return Math.round(value).toLocaleString("en-US");
  if (unit === "bytes") return formatBytes(value);
  if (unit === "ms") return formatMs(value);
  return String(value);
}

function formatBytes(value) {
  if (value >= MiB) return `${(value / MiB).toFixed(1)} MiB`;
  if (value >= 10 * KiB) return `${(value / KiB).toFixed(1)} KiB`;
  return value.toFixed(1);
}

function formatMs(value) {
  if (value < 10) return value.toFixed(3);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString("en-US");
}

export function formatRatio(ratio) {
  if (ratio === null || ratio === undefined) return "n/a";
  return ratio >= 10 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`;
}

// Whether the subject (Redish) comes out ahead on this row.
export function subjectAhead(ratio, better) {
  return better === "higher" ? ratio > 1 : ratio < 1;
}

export function betterText(better) {
  return better === "higher" ? "higher is better" : "lower is better";
}
