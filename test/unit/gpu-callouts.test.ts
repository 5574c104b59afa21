import { describe, expect, it } from 'vitest';
import { buildCallouts } from '../../electron/core/metrics/gpu-callouts.js';

const gpu = (node: string, index: string, extra: Record<string, string> = {}) => ({ Hostname: node, gpu: index, UUID: `GPU-${node}-${index}`, modelName: 'H100', ...extra });
const base = { rangeSeconds: 3600, gpuHourPriceUsd: 2, meanUtil: [], maxTemp: [], xid: [], seenNodes: new Set<string>(), currentNodes: new Set<string>(), gpuNodes: new Map<string, number>() };

describe('GPU callouts', () => {
  it('flags allocated-but-idle GPUs with GPU-hours and money wasted, not unallocated ones', () => {
    const out = buildCallouts({
      ...base,
      meanUtil: [
        { labels: gpu('n1', '0', { exported_pod: 'notebook-1', exported_namespace: 'research' }), value: '4' },
        { labels: gpu('n1', '1'), value: '0' },
        { labels: gpu('n1', '2', { pod: 'train-0', namespace: 'ml' }), value: '93' },
        { labels: gpu('n1', '3', { pod: 'blank', namespace: 'ml' }), value: '9223372036854775794' },
      ],
    });
    expect(out).toEqual([
      expect.objectContaining({ kind: 'idle', node: 'n1', gpu: '0', pod: 'notebook-1', namespace: 'research', value: 4, gpuHoursWasted: 0.96, costUsd: 1.92 }),
    ]);
  });

  it('flags hot GPUs, XID errors and silent exporters', () => {
    const out = buildCallouts({
      ...base,
      maxTemp: [
        { labels: gpu('n2', '0'), value: '91' },
        { labels: gpu('n2', '1'), value: '70' },
      ],
      xid: [
        { labels: gpu('n3', '5'), value: '79' },
        { labels: { ...gpu('n3', '5'), instance: 'exporter-2' }, value: '79' },
      ],
      seenNodes: new Set(['n2', 'n3']),
      currentNodes: new Set(['n2']),
      gpuNodes: new Map([
        ['n2', 8],
        ['n4', 8],
      ]),
    });
    const kinds = out.map((c) => `${c.kind}:${c.node}`);
    expect(kinds).toEqual(['hot:n2', 'xid:n3', 'exporter-missing:n3', 'exporter-missing:n4']);
    expect(out[1].message).toMatch(/XID 79 \(GPU has fallen off the bus\)/);
    expect(out[3].message).toMatch(/n4 has 8 GPUs \(nvidia.com\/gpu\) but no DCGM exporter series/);
  });
});
