// NodeMetrics/PodMetrics lists (metrics-server's wire format: nanocores, KiB) into usage by node and
// by pod, a pod being the sum of its containers; and the demo's metrics API agrees with itself.
import { describe, expect, it } from 'vitest';
import { usageFromMetricsApi } from '../../electron/core/metrics/usage-metrics-api.js';
import { parseQuantity } from '../../shared/model/kube.js';

describe('usageFromMetricsApi', () => {
  it('converts quantities and sums containers', () => {
    const nodes = { items: [{ metadata: { name: 'gpu-1' }, usage: { cpu: '1530120456n', memory: '2048Ki' } }] };
    const pods = {
      items: [
        { metadata: { name: 'llm-0', namespace: 'inference' }, containers: [{ usage: { cpu: '250m', memory: '1Mi' } }, { usage: { cpu: '500000u', memory: '1024Ki' } }] },
        { metadata: { namespace: 'x' }, containers: [] },
      ],
    };
    const usage = usageFromMetricsApi(nodes, pods);
    expect(usage.nodes['gpu-1'].cpu).toBeCloseTo(1.530120456, 9);
    expect(usage.nodes['gpu-1'].memory).toBe(2048 * 1024);
    expect(usage.pods).toEqual({ 'inference/llm-0': { cpu: 0.75, memory: 2 * 2 ** 20 } });
  });

  it('parses the suffixes metrics-server writes (n, u) instead of reading them as whole units', () => {
    expect(parseQuantity('12345n')).toBeCloseTo(12345e-9, 15);
    expect(parseQuantity('7u')).toBeCloseTo(7e-6, 12);
  });
});
