// Loads the bundled Prometheus rule files and rescales their time windows for a fleet running
// faster than real time: at --speed 60 a 5 m window or `for: 2m` becomes 5 s / 2 s of wall time,
// so alerts fire and resolve at the same *simulated* moments. Range windows never shrink below a
// few scrape intervals (rate() needs samples to work with).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { resourcePath } from '../../core/resources.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

export function defaultRulesDir(): string {
  return resourcePath('prometheus', 'rules');
}

/** Prometheus duration ("1h30m", "5m", "250ms") to milliseconds. */
export function parseDuration(text: string): number {
  let total = 0;
  let seen = '';
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    seen += m[0];
  }
  if (seen !== text) throw new Error(`not a Prometheus duration: "${text}"`);
  return total;
}

export function formatDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}

export interface ScaleOptions {
  /** Wall time per simulated time (1 / speed). */
  factor: number;
  /** Lower bound for range selectors, e.g. 4 × scrape interval. */
  minRangeMs: number;
}

/** Rescales `[5m]`-style ranges (and subquery ranges) in a PromQL expression. */
export function scaleExpr(expr: string, opts: ScaleOptions): string {
  if (opts.factor === 1) return expr;
  return expr.replace(/\[((?:\d+(?:ms|s|m|h|d|w|y))+)(:((?:\d+(?:ms|s|m|h|d|w|y))+))?\]/g, (_all, range: string, _sub, step?: string) => {
    const scaled = formatDuration(Math.max(opts.minRangeMs, parseDuration(range) * opts.factor));
    return step ? `[${scaled}:${formatDuration(Math.max(1000, parseDuration(step) * opts.factor))}]` : `[${scaled}]`;
  });
}

interface RuleFile {
  groups: { name: string; interval?: string; rules: { record?: string; alert?: string; expr: string; for?: string }[] }[];
}

/** Every `*.yml` rule file in `dir`, rescaled, as { name, text } ready to write for Prometheus. */
export function loadScaledRules(dir: string, opts: ScaleOptions): { name: string; text: string }[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  return files.map((name) => {
    const doc = parse(readFileSync(join(dir, name), 'utf8')) as RuleFile;
    for (const group of doc.groups ?? []) {
      if (group.interval) group.interval = formatDuration(Math.max(1000, parseDuration(group.interval) * opts.factor));
      for (const rule of group.rules ?? []) {
        rule.expr = scaleExpr(String(rule.expr), opts);
        if (rule.for) rule.for = formatDuration(parseDuration(rule.for) * opts.factor);
      }
    }
    return { name, text: stringify(doc, { lineWidth: 0 }) };
  });
}
