// Prometheus text exposition format 0.0.4 helpers: label escaping, number formatting and family
// headers. Kept tiny and allocation-light because the DCGM exporter renders ~200k lines per scrape
// at 1,000 nodes.

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface Family {
  name: string;
  type: MetricType;
  help: string;
}

/** Label values escape backslash, double quote and newline; nothing else. */
export function escapeLabel(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
}

/** `{a="1",b="2"}` from pairs in the given order (dcgm-exporter's order is part of its look). */
export function labelBlock(pairs: readonly (readonly [string, string])[]): string {
  let out = '{';
  for (let i = 0; i < pairs.length; i++) {
    if (i) out += ',';
    out += `${pairs[i][0]}="${escapeLabel(pairs[i][1])}"`;
  }
  return `${out}}`;
}

export function header(f: Family): string {
  return `# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${f.name} ${f.type}\n`;
}

/** Integers print as integers; other values with at most `digits` decimals, no trailing zeros. */
export function formatValue(v: number, digits = 3): string {
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  return String(Math.round(v * 10 ** digits) / 10 ** digits);
}
