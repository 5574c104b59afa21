// Hot GPUs, judged against each GPU's own slowdown temperature (DCGM_FI_DEV_SLOWDOWN_TEMP when the
// exporter collects it, else the model's): critical once it reaches it (clocks are throttling),
// a warning within HOT_MARGIN_C below. One callout per GPU, at its hottest series.
import type { GpuCallout } from '../../../shared/contract/gpu.js';
import type { InstantValue } from '../../../shared/model/gpu-layout.js';
import { HOT_MARGIN_C, thermalLimits } from '../../../shared/model/gpu-thermal.js';
import { byGpu, round1 } from './gpu-callout-series.js';

export interface HotInput {
  maxTemp: readonly InstantValue[];
  slowdownTemp: readonly InstantValue[];
  shutdownTemp: readonly InstantValue[];
}

export function hotCallouts(input: HotInput): GpuCallout[] {
  const highest = (samples: readonly InstantValue[]) => {
    const out = new Map<string, number>();
    for (const [key, series] of byGpu(samples)) out.set(key, Math.max(...series.map((s) => s.value)));
    return out;
  };
  const slowdown = highest(input.slowdownTemp);
  const shutdown = highest(input.shutdownTemp);
  const out: GpuCallout[] = [];
  for (const [key, series] of byGpu(input.maxTemp)) {
    const hottest = series.reduce((a, b) => (b.value > a.value ? b : a));
    const { id, value } = hottest;
    const limits = thermalLimits(id.model, { slowdownC: slowdown.get(key), shutdownC: shutdown.get(key) });
    if (value < limits.slowdownC - HOT_MARGIN_C) continue;
    const critical = value >= limits.slowdownC;
    const whose = limits.source === 'dcgm' ? 'its' : limits.source === 'model' ? `the ${id.model}'s` : 'the usual';
    out.push({
      kind: 'hot',
      severity: critical ? 'critical' : 'warning',
      node: id.node,
      gpu: id.gpu,
      uuid: id.uuid,
      pod: id.pod,
      namespace: id.namespace,
      value: round1(value),
      message: critical
        ? `GPU ${id.gpu} on ${id.node} reached ${round1(value)} °C, at or past ${whose} slowdown temperature (${limits.slowdownC} °C): its clocks are throttling; it shuts down at ${limits.shutdownC} °C.`
        : `GPU ${id.gpu} on ${id.node} reached ${round1(value)} °C, ${round1(limits.slowdownC - value)} °C below ${whose} slowdown temperature (${limits.slowdownC} °C).`,
    });
  }
  return out;
}
