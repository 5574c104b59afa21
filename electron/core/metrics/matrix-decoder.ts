// A range-query answer decoded straight into typed arrays. A heatmap answer for 8,000 GPUs is ~36 MB
// of JSON holding 1.9M `[t,"v"]` pairs; JSON.parse turns each into an array and a string and the
// garbage collector pays for it. This scanner reads Prometheus' own encoding (status, data.resultType,
// data.result, then optional warnings/infos) and returns null for anything else, so the caller can
// fall back to JSON.parse and the validated path.
import type { CompactSeries } from '../../../shared/model/gpu-grid.js';

const PREFIX = '{"status":"success","data":{"resultType":"matrix","result":[';

// One series' samples are collected here, then copied out at their exact length (no per-sample arrays).
let scratchTimes = new Float64Array(4096);
let scratchValues = new Float64Array(4096);
function grow(): void {
  const times = new Float64Array(scratchTimes.length * 2);
  const values = new Float64Array(scratchValues.length * 2);
  times.set(scratchTimes);
  values.set(scratchValues);
  scratchTimes = times;
  scratchValues = values;
}

export function decodeMatrixFast(body: string): { series: CompactSeries[]; warnings: string[] } | null {
  if (!body.startsWith(PREFIX)) return null;
  let i = PREFIX.length;
  const series: CompactSeries[] = [];
  if (body.charCodeAt(i) === 93 /* ] */) {
    i++;
  } else {
    for (;;) {
      if (!body.startsWith('{"metric":', i)) return null;
      i += 10;
      const metricEnd = objectEnd(body, i);
      if (metricEnd < 0) return null;
      let labels: Record<string, string>;
      try {
        labels = JSON.parse(body.slice(i, metricEnd + 1)) as Record<string, string>;
      } catch {
        return null;
      }
      i = metricEnd + 1;
      if (!body.startsWith(',"values":[', i)) return null;
      i += 11;
      let n = 0;
      while (body.charCodeAt(i) === 91 /* [ */) {
        // Timestamps and DCGM values are almost always plain integers: read their digits in place
        // (exact up to 15 digits) and leave fractions, exponents, NaN/Inf and the rest to Number().
        let p = i + 1;
        let t = 0;
        let digits = 0;
        let c = body.charCodeAt(p);
        while (c >= 48 && c <= 57) {
          t = t * 10 + (c - 48);
          digits++;
          c = body.charCodeAt(++p);
        }
        if (c !== 44 /* , */ || digits === 0 || digits > 15) {
          p = body.indexOf(',', i);
          if (p < 0) return null;
          t = Number(body.slice(i + 1, p));
        }
        if (body.charCodeAt(p + 1) !== 34 /* " */) return null;
        let q = p + 2;
        let v = 0;
        digits = 0;
        c = body.charCodeAt(q);
        const negative = c === 45; /* - */
        if (negative) c = body.charCodeAt(++q);
        while (c >= 48 && c <= 57) {
          v = v * 10 + (c - 48);
          digits++;
          c = body.charCodeAt(++q);
        }
        let close = q;
        if (c === 34 && digits > 0 && digits <= 15) {
          if (negative) v = -v;
        } else {
          close = body.indexOf('"', p + 2);
          if (close < 0) return null;
          v = Number(body.slice(p + 2, close));
        }
        if (body.charCodeAt(close + 1) !== 93 || Number.isNaN(t)) return null;
        if (n === scratchTimes.length) grow();
        scratchTimes[n] = t;
        scratchValues[n] = v;
        n++;
        i = close + 2;
        if (body.charCodeAt(i) === 44 /* , */) i++;
      }
      if (body.charCodeAt(i) !== 93 || body.charCodeAt(i + 1) !== 125 /* } */) return null;
      i += 2;
      series.push({ labels, times: scratchTimes.slice(0, n), samples: scratchValues.slice(0, n) });
      const c = body.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 93) {
        i++;
        break;
      }
      return null;
    }
  }
  // What follows the result: `}` closing data, then optional warnings/infos, then `}`.
  const tail = body.slice(i).trim();
  if (tail === '}}') return { series, warnings: [] };
  if (!tail.startsWith('},')) return null;
  try {
    const rest = JSON.parse(`{${tail.slice(2)}`) as { warnings?: unknown; infos?: unknown };
    const list = [...(Array.isArray(rest.warnings) ? rest.warnings : []), ...(Array.isArray(rest.infos) ? rest.infos : [])];
    return { series, warnings: list.filter((w): w is string => typeof w === 'string') };
  } catch {
    return null;
  }
}

/** Index of the `}` closing the object that starts at `start`, aware of strings and escapes. */
function objectEnd(s: string, start: number): number {
  if (s.charCodeAt(start) !== 123) return -1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}
