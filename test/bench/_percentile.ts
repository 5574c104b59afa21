// One percentile for the benchmarks' latency and frame figures: the sample at index floor(p% · n)
// of the sorted values (NaN when there are none), so every bench reports p95 the same way.
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
