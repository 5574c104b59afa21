// XID errors that happened in the range. DCGM_FI_DEV_XID_ERRORS keeps the last code until the
// exporter or the driver restarts, so a non-zero value is not news: a GPU is flagged when its code at
// the end differs from its code at the start, when the code changed within the range, or when the
// exporter's DCGM_EXP_XID_ERRORS_COUNT counted XIDs in it. The code reported is the last one (not
// the maximum of several), and severity follows where that kind of XID usually comes from.
import type { GpuCallout } from '../../../shared/contract/gpu.js';
import type { InstantValue } from '../../../shared/model/gpu-layout.js';
import { exporterPodsOf } from '../../../shared/model/gpu-labels.js';
import { xidClass, xidText } from '../../../shared/model/gpu-xid.js';
import { byGpu, type GpuSeries } from './gpu-callout-series.js';

export interface XidInput {
  /** last_over_time per series, non-zero only. */
  xidLast: readonly InstantValue[];
  /** The plain gauge at the range's end, non-zero only: which code is current when several series have one. */
  xidNow: readonly InstantValue[];
  /** The gauge at the range's start (`offset`). */
  xidAtStart: readonly InstantValue[];
  /** changes() > 0 per series. */
  xidChanges: readonly InstantValue[];
  /** max_over_time of DCGM_EXP_XID_ERRORS_COUNT per code (label `xid`), > 0 only. */
  xidCount: readonly InstantValue[];
}

export function xidCallouts(input: XidInput): GpuCallout[] {
  const exporterPods = exporterPodsOf([...input.xidLast, ...input.xidNow]);
  const now = byGpu(input.xidNow, exporterPods);
  const atStart = byGpu(input.xidAtStart, exporterPods);
  const changed = byGpu(input.xidChanges, exporterPods);
  const counted = byGpu(input.xidCount, exporterPods);
  const out: GpuCallout[] = [];
  for (const [key, lastSeries] of byGpu(input.xidLast, exporterPods)) {
    // The current series' code, else (node gone, series ended) the last code of any series.
    const last: GpuSeries = now.get(key)?.[0] ?? lastSeries[0];
    const code = last.value;
    const startCodes = new Set((atStart.get(key) ?? []).map((s) => s.value));
    const counts = new Map<number, number>();
    for (const s of counted.get(key) ?? []) {
      const c = Number(s.labels.xid);
      if (Number.isInteger(c) && c > 0) counts.set(c, Math.max(counts.get(c) ?? 0, s.value));
    }
    const appeared = counts.size > 0 || changed.has(key) || !startCodes.has(code);
    if (!appeared) continue;
    const codes = counts.size ? [...counts.keys()].sort((a, b) => a - b) : [code];
    if (!codes.includes(code)) codes.push(code);
    const hardware = codes.some((c) => xidClass(c) === 'hardware');
    const application = !hardware && codes.every((c) => xidClass(c) === 'application');
    const { id } = last;
    const describe = (c: number) => {
      const text = c === code ? last.labels.err_msg || xidText(c) : xidText(c);
      const times = counts.get(c);
      return `XID ${c}${text ? ` (${text})` : ''}${times && times > 1 ? ` x${times}` : ''}`;
    };
    const advice = hardware
      ? "usually hardware or the driver: check the node's kernel log and consider draining it."
      : application
        ? `usually raised by the application: check ${id.pod ? `${id.namespace ?? '?'}/${id.pod}'s` : "the workload's"} logs before suspecting the GPU.`
        : "look the code up in NVIDIA's XID catalogue.";
    out.push({
      kind: 'xid',
      severity: hardware ? 'critical' : 'warning',
      node: id.node,
      gpu: id.gpu,
      uuid: id.uuid,
      pod: id.pod,
      namespace: id.namespace,
      value: code,
      message: `GPU ${id.gpu} on ${id.node} reported ${codes.map(describe).join(', ')} in this range; ${advice}`,
    });
  }
  return out;
}
