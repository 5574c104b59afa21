// Kubernetes resource quantities ("500m", "2", "80Gi", "1G") as plain numbers for capacity math.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity's value in base units (cores, bytes, devices); NaN when it is not a quantity. */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = m[2];
  if (unit in BINARY) return n * BINARY[unit];
  if (unit in DECIMAL) return n * DECIMAL[unit];
  return Number.NaN;
}

export function milliCpu(value: string | number | undefined): number {
  const q = parseQuantity(value);
  return Number.isFinite(q) ? Math.round(q * 1000) : 0;
}

export function bytes(value: string | number | undefined): number {
  const q = parseQuantity(value);
  return Number.isFinite(q) ? q : 0;
}
