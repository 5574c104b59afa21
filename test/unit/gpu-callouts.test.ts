import { describe, expect, it } from 'vitest';
import { buildCallouts, type CalloutInput } from '../../electron/core/metrics/gpu-callouts.js';
import { gpuIdentity } from '../../shared/model/gpu-labels.js';
import { CALLOUT_PART_LABEL, calloutQueries, coverageStep, gpuStatQueries } from '../../shared/model/gpu-queries.js';
import { splitParts } from '../../electron/core/metrics/gpu-callouts-fetch.js';

const gpu = (node: string, index: string, extra: Record<string, string> = {}) => ({ Hostname: node, gpu: index, UUID: `GPU-${node}-${index}`, modelName: 'NVIDIA H100 80GB HBM3', ...extra });
const DAY = 86_400;
const STEP = coverageStep(DAY);
/** Subquery points for a series that existed `hours` of the range. */
const pointsFor = (hours: number) => String(Math.round((hours * 3600) / STEP));
const base: CalloutInput = {
  rangeSeconds: DAY,
  gpuHourPriceUsd: 3,
  meanUtil: [],
  utilPoints: [],
  coverageStepSeconds: STEP,
  maxTemp: [],
  slowdownTemp: [],
  shutdownTemp: [],
  xidLast: [],
  xidNow: [],
  xidAtStart: [],
  xidChanges: [],
  xidCount: [],
  seenNodes: new Set<string>(),
  currentNodes: new Set<string>(),
  gpuNodes: new Map<string, number>(),
};

describe('idle GPU-hours', () => {
  it('charges each (GPU, pod) series the time it existed: one GPU held in turn by three idle pods over 24 h is 24 GPU-h ($72), not 72', () => {
    const pods = ['notebook-a', 'notebook-b', 'notebook-c'].map((pod) => gpu('n1', '0', { pod, namespace: 'research' }));
    const out = buildCallouts({
      ...base,
      meanUtil: pods.map((labels) => ({ labels, value: '0' })),
      utilPoints: pods.map((labels) => ({ labels, value: pointsFor(8) })),
      currentNodes: new Set(['n1']),
    });
    const idle = out.filter((c) => c.kind === 'idle');
    expect(idle).toHaveLength(1);
    expect(idle[0]).toMatchObject({ node: 'n1', gpu: '0', gpuHoursWasted: 24, costUsd: 72, coverageHours: 24, value: 0 });
    expect(idle[0].pods).toHaveLength(3);
    expect(idle[0].message).toMatch(/for 24 h of the 24 h range/);
  });

  it('charges a pod that held the GPU 6 h of 24 only those 6 h, and never more than the range per GPU', () => {
    const short = gpu('n1', '0', { pod: 'job-1', namespace: 'ml' });
    const overlapping = ['a', 'b'].map((pod) => gpu('n1', '1', { pod, namespace: 'ml' }));
    const out = buildCallouts({
      ...base,
      meanUtil: [{ labels: short, value: '0' }, ...overlapping.map((labels) => ({ labels, value: '0' }))],
      // Two series each claiming the whole day (lookback overlap at a pod change): still 24 GPU-h.
      utilPoints: [{ labels: short, value: pointsFor(6) }, ...overlapping.map((labels) => ({ labels, value: pointsFor(24) }))],
      currentNodes: new Set(['n1']),
    });
    const byGpu = Object.fromEntries(out.filter((c) => c.kind === 'idle').map((c) => [c.gpu, c]));
    expect(byGpu['0']).toMatchObject({ coverageHours: 6, gpuHoursWasted: 6, costUsd: 18 });
    expect(byGpu['1']).toMatchObject({ coverageHours: 24, gpuHoursWasted: 24, costUsd: 72 });
    const fleetHours = out.filter((c) => c.kind === 'idle').reduce((s, c) => s + (c.gpuHoursWasted ?? 0), 0);
    expect(fleetHours).toBeLessThanOrEqual(2 * 24);
  });

  it('names a pod with several series on one GPU once (an exporter restart, backfilled history)', () => {
    const a = gpu('n1', '0', { pod: 'train-2', namespace: 'ml', instance: 'exporter-1' });
    const b = { ...a, instance: 'exporter-2' };
    const out = buildCallouts({ ...base, meanUtil: [a, b].map((labels) => ({ labels, value: '3' })), utilPoints: [a, b].map((labels) => ({ labels, value: pointsFor(12) })) });
    expect(out).toEqual([expect.objectContaining({ kind: 'idle', pods: ['ml/train-2'], coverageHours: 24 })]);
    expect(out[0].message).toMatch(/allocated to ml\/train-2 but/);
  });
});

describe('free GPUs scraped with honorLabels: false', () => {
  // What the Helm chart's ServiceMonitor stores: allocated GPUs keep the workload as exported_pod,
  // free GPUs carry only the target's pod (the exporter itself).
  const job = { job: 'gpu-operator/nvidia-dcgm-exporter', namespace: 'gpu-operator', pod: 'nvidia-dcgm-exporter-7x2kq', container: 'nvidia-dcgm-exporter' };
  const allocated = gpu('n1', '0', { ...job, exported_pod: 'notebook-1', exported_namespace: 'research', exported_container: 'jupyter' });
  const free = gpu('n1', '1', job);

  it('does not call a free GPU allocated to the exporter pod', () => {
    const out = buildCallouts({
      ...base,
      meanUtil: [
        { labels: allocated, value: '2' },
        { labels: free, value: '0' },
      ],
      utilPoints: [allocated, free].map((labels) => ({ labels, value: pointsFor(24) })),
      currentNodes: new Set(['n1']),
    });
    expect(out.map((c) => `${c.kind}:${c.gpu}:${c.pod}`)).toEqual(['idle:0:notebook-1']);
  });

  it("reads a series whose pod is the one the exporter's other series carry next to exported_pod as free, whatever the exporter pod is called", () => {
    const renamed = { ...job, pod: 'gpu-metrics-abc12', container: 'exporter' };
    const held = gpu('n1', '0', { ...renamed, exported_pod: 'train-0', exported_namespace: 'ml' });
    const out = buildCallouts({
      ...base,
      meanUtil: [
        { labels: held, value: '1' },
        { labels: gpu('n1', '1', renamed), value: '0' },
      ],
      utilPoints: [held, gpu('n1', '1', renamed)].map((labels) => ({ labels, value: pointsFor(24) })),
      currentNodes: new Set(['n1']),
    });
    expect(out.map((c) => `${c.kind}:${c.gpu}:${c.pod}`)).toEqual(['idle:0:train-0']);
    // Without that evidence a pod not named like the exporter stays a workload pod.
    expect(gpuIdentity(gpu('n1', '1', renamed))?.pod).toBe('gpu-metrics-abc12');
    expect(gpuIdentity(free)?.pod).toBeUndefined();
  });

  it('calls out a node whose GPUs are all unallocated, with the idle capacity in dollars', () => {
    const spare = Array.from({ length: 8 }, (_, i) => gpu('n2', String(i), job));
    const out = buildCallouts({
      ...base,
      meanUtil: [{ labels: allocated, value: '95' }, ...spare.map((labels) => ({ labels, value: '0' }))],
      utilPoints: [allocated, ...spare].map((labels) => ({ labels, value: pointsFor(24) })),
      currentNodes: new Set(['n1', 'n2']),
    });
    expect(out).toEqual([expect.objectContaining({ kind: 'unallocated-node', node: 'n2', severity: 'info', value: 8, coverageHours: 192, costUsd: 576 })]);
  });
});

describe('XID errors', () => {
  it('does not raise a sticky XID from before the range', () => {
    const labels = gpu('n3', '5');
    const out = buildCallouts({ ...base, xidLast: [{ labels, value: '79' }], xidNow: [{ labels, value: '79' }], xidAtStart: [{ labels, value: '79' }] });
    expect(out).toEqual([]);
  });

  it('raises an XID that appeared in the range, graded by class: 79 (hardware) critical, 13 (application) a warning', () => {
    const hw = gpu('n3', '5');
    const app = gpu('n3', '6', { pod: 'train-0', namespace: 'ml' });
    const out = buildCallouts({
      ...base,
      xidLast: [{ labels: hw, value: '79' }, { labels: app, value: '13' }],
      xidNow: [{ labels: hw, value: '79' }, { labels: app, value: '13' }],
      xidAtStart: [{ labels: hw, value: '0' }, { labels: app, value: '0' }],
    });
    expect(out.map((c) => `${c.severity}:${c.gpu}:${c.value}`)).toEqual(['critical:5:79', 'warning:6:13']);
    expect(out[0].message).toMatch(/XID 79 \(GPU has fallen off the bus\).*consider draining/);
    expect(out[1].message).toMatch(/application: check ml\/train-0's logs/);
    expect(out[1].message).not.toMatch(/draining/);
  });

  it('reports the last code, not the maximum, and uses the exporter err_msg label and XID counts', () => {
    const labels = gpu('n3', '1', { err_code: '13', err_msg: 'Graphics Engine Exception' });
    const out = buildCallouts({
      ...base,
      xidLast: [{ labels, value: '13' }],
      xidNow: [{ labels, value: '13' }],
      xidAtStart: [{ labels: gpu('n3', '1', { err_code: '79', err_msg: 'GPU has fallen off the bus' }), value: '79' }],
      xidCount: [
        { labels: gpu('n3', '1', { xid: '79' }), value: '1' },
        { labels: gpu('n3', '1', { xid: '13' }), value: '2' },
      ],
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'xid', value: 13, severity: 'critical' });
    expect(out[0].message).toMatch(/XID 13 \(Graphics Engine Exception\) x2, XID 79/);
  });

  it('flags a code that changed within the range even when it ends where it started', () => {
    const labels = gpu('n3', '2');
    const out = buildCallouts({ ...base, xidLast: [{ labels, value: '48' }], xidNow: [{ labels, value: '48' }], xidAtStart: [{ labels, value: '48' }], xidChanges: [{ labels, value: '2' }] });
    expect(out.map((c) => `${c.kind}:${c.value}:${c.severity}`)).toEqual(['xid:48:critical']);
  });
});

describe('temperature per model', () => {
  it('is critical at an A100 slowdown temperature (89 °C), a warning below it; the GPU own DCGM limits win', () => {
    const a100 = { modelName: 'NVIDIA A100-SXM4-80GB' };
    const out = buildCallouts({
      ...base,
      maxTemp: [
        { labels: gpu('n1', '0', a100), value: '89' },
        { labels: gpu('n1', '1', a100), value: '86' },
        { labels: gpu('n1', '2', a100), value: '80' },
        { labels: gpu('n1', '3', { modelName: 'Tesla T4' }), value: '91' },
        { labels: gpu('n1', '4'), value: '91' },
      ],
      slowdownTemp: [{ labels: gpu('n1', '4'), value: '95' }],
      shutdownTemp: [{ labels: gpu('n1', '4'), value: '98' }],
    });
    expect(out.map((c) => `${c.severity}:${c.gpu}`)).toEqual(['critical:0', 'warning:1', 'warning:3', 'warning:4']);
    expect(out[0].message).toMatch(/reached 89 °C, at or past the NVIDIA A100-SXM4-80GB's slowdown temperature \(89 °C\)/);
    expect(out[3].message).toMatch(/4 °C below its slowdown temperature \(95 °C\)/);
  });
});

describe('one callout per GPU and kind', () => {
  it('keeps GPUs without a UUID apart, and lists a hot GPU with several series once', () => {
    const noUuid = (i: string) => ({ Hostname: 'n1', gpu: i, UUID: '', modelName: 'NVIDIA A100-SXM4-80GB' });
    const out = buildCallouts({
      ...base,
      maxTemp: [
        { labels: noUuid('0'), value: '92' },
        { labels: noUuid('1'), value: '91' },
        { labels: gpu('n2', '3', { modelName: 'NVIDIA A100-SXM4-80GB', pod: 'a', namespace: 'ml' }), value: '90' },
        { labels: gpu('n2', '3', { modelName: 'NVIDIA A100-SXM4-80GB', pod: 'b', namespace: 'ml' }), value: '93' },
      ],
    });
    expect(out.map((c) => `${c.node}/${c.gpu}:${c.value}`)).toEqual(['n1/0:92', 'n1/1:91', 'n2/3:93']);
  });
});

describe('nodes', () => {
  it('calls a node removed from the cluster during the range informational, not a stopped exporter', () => {
    const input = { ...base, seenNodes: new Set(['n2', 'n3']), currentNodes: new Set(['n2']) };
    expect(buildCallouts({ ...input, clusterNodes: new Set(['n2']) })).toEqual([expect.objectContaining({ kind: 'node-removed', node: 'n3', severity: 'info' })]);
    expect(buildCallouts({ ...input, clusterNodes: new Set(['n2', 'n3']) })).toEqual([expect.objectContaining({ kind: 'exporter-missing', node: 'n3', severity: 'critical' })]);
    // The node list could not be read: nothing says the node left on purpose.
    expect(buildCallouts(input)).toEqual([expect.objectContaining({ kind: 'exporter-missing', node: 'n3', severity: 'critical' })]);
  });

  it('notices GPU nodes without any exporter series', () => {
    const out = buildCallouts({ ...base, gpuNodes: new Map([['n4', 8]]), clusterNodes: new Set(['n4']) });
    expect(out).toEqual([expect.objectContaining({ kind: 'exporter-missing', node: 'n4', severity: 'warning', value: 8 })]);
    expect(out[0].message).toMatch(/n4 has 8 GPUs \(nvidia.com\/gpu\) but no DCGM exporter series/);
  });
});

describe('batched callout queries', () => {
  it('sends the parts in three queries and splits the answer back by part, without the part label', () => {
    const q = calloutQueries(DAY);
    expect(q.batches).toHaveLength(3);
    for (const part of Object.keys(q.parts)) expect(q.batches.some((b) => b.includes(`"${CALLOUT_PART_LABEL}", "${part}"`))).toBe(true);
    const part = splitParts([
      { labels: { ...gpu('n1', '0'), [CALLOUT_PART_LABEL]: 'meanUtil' }, value: '3' },
      { labels: { ...gpu('n1', '0'), [CALLOUT_PART_LABEL]: 'utilPoints' }, value: '288' },
    ]);
    expect(part('meanUtil')).toEqual([{ labels: gpu('n1', '0'), value: '3' }]);
    expect(part('utilPoints')).toEqual([{ labels: gpu('n1', '0'), value: '288' }]);
    expect(part('xidLast')).toEqual([]);
  });
});

describe("callout queries share the heatmap's reads", () => {
  it('the mean-utilization callout query is the utilization heatmap row-average query, so a request reads those samples once', () => {
    for (const range of [60, 3600, 86_400]) expect(calloutQueries(range).meanUtil).toBe(gpuStatQueries('util', range).avg);
  });
});
