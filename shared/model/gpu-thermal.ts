// Temperatures at which a GPU model slows its clocks down and shuts down (what `nvidia-smi -q` prints
// as "GPU Slowdown Temp" / "GPU Shutdown Temp"). DCGM reports them per GPU as
// DCGM_FI_DEV_SLOWDOWN_TEMP / DCGM_FI_DEV_SHUTDOWN_TEMP when the exporter collects those fields; this
// table is the fallback when it does not. A single threshold for every model was wrong both ways: an
// A100 is already slowing down at 89 °C, a T4 only at 93 °C.

export interface ThermalLimits {
  slowdownC: number;
  shutdownC: number;
  /** Where the limits come from: the GPU's own DCGM fields, this table, or the generic default. */
  source: 'dcgm' | 'model' | 'default';
}

/** Typical values by model name (substring of DCGM's `modelName`), most specific first. */
const BY_MODEL: readonly { match: RegExp; slowdownC: number; shutdownC: number }[] = [
  { match: /H100|H200|H800|GH200/i, slowdownC: 89, shutdownC: 92 },
  { match: /A100|A800|A30\b/i, slowdownC: 89, shutdownC: 92 },
  { match: /\bL40S?\b/i, slowdownC: 90, shutdownC: 95 },
  { match: /\bL4\b/i, slowdownC: 92, shutdownC: 95 },
  { match: /\bA10G?\b/i, slowdownC: 92, shutdownC: 97 },
  { match: /\bT4\b/i, slowdownC: 93, shutdownC: 96 },
  { match: /V100/i, slowdownC: 87, shutdownC: 90 },
];

/** When neither the GPU nor the table knows: the old fleet-wide threshold. */
export const DEFAULT_LIMITS: ThermalLimits = { slowdownC: 90, shutdownC: 95, source: 'default' };

/** A warning this many degrees below the slowdown temperature: the GPU is about to throttle. */
export const HOT_MARGIN_C = 5;

export function thermalLimits(model: string, reported?: { slowdownC?: number; shutdownC?: number }): ThermalLimits {
  const known = BY_MODEL.find((m) => m.match.test(model));
  const table = known ? { slowdownC: known.slowdownC, shutdownC: known.shutdownC, source: 'model' as const } : DEFAULT_LIMITS;
  const ok = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
  if (!ok(reported?.slowdownC)) return table;
  return { slowdownC: reported.slowdownC, shutdownC: ok(reported.shutdownC) ? reported.shutdownC : table.shutdownC, source: 'dcgm' };
}
