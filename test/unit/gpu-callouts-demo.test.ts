// The demo exporter exports what the callouts need, as current dcgm-exporter releases do: XID
// err_code/err_msg labels, DCGM_EXP_XID_ERRORS_COUNT over a 5 min window, per-GPU thermal limits.
import { describe, expect, it } from 'vitest';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { DcgmExporter } from '../../electron/demo/metrics/dcgm-exporter.js';
import { FaultRegistry } from '../../electron/demo/metrics/faults.js';
import { exporterPodLabels } from '../../electron/demo/metrics/prometheus.js';

const T0 = Date.parse('2026-11-24T12:00:00Z');

function gpuNode(name: string, product: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'nvidia.com/gpu.product': product } },
    status: { allocatable: { 'nvidia.com/gpu': '2' }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function lines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`));
}

describe('demo DCGM exporter for the callouts', () => {
  const setup = () => {
    const store = new ObjectStore();
    store.create('nodes', gpuNode('gpu-a100-0', 'NVIDIA-A100-SXM4-80GB'));
    store.create('nodes', gpuNode('gpu-t4-0', 'Tesla-T4'));
    const faults = new FaultRegistry();
    return { dcgm: new DcgmExporter(store, 7, faults, () => 0.5), faults, store };
  };

  it('labels the XID gauge with err_code/err_msg and counts XIDs in a 5 min window while the gauge stays sticky', () => {
    const { dcgm, faults } = setup();
    dcgm.fleetMetrics(T0);
    faults.setXid('gpu-a100-0', 1, 79);
    const now = dcgm.fleetMetrics(T0 + 5_000).toString();
    expect(lines(now, 'DCGM_FI_DEV_XID_ERRORS').find((l) => l.includes('Hostname="gpu-a100-0"') && l.includes('gpu="1"'))).toMatch(/,err_code="79",err_msg="GPU has fallen off the bus"\} 79$/);
    expect(lines(now, 'DCGM_FI_DEV_XID_ERRORS').find((l) => l.includes('gpu-t4-0'))).toMatch(/err_code="0",err_msg="No Error"\} 0$/);
    const counts = lines(now, 'DCGM_EXP_XID_ERRORS_COUNT');
    expect(counts).toHaveLength(4);
    expect(counts.filter((l) => l.includes('xid="79"'))).toEqual([expect.stringMatching(/gpu="1".*Hostname="gpu-a100-0".*xid="79"\} 1$/)]);
    expect(counts.filter((l) => !l.includes('xid=')).every((l) => l.endsWith('} 0'))).toBe(true);
    // Six simulated minutes later the window has passed; the gauge still says 79 (sticky).
    const later = dcgm.fleetMetrics(T0 + 6 * 60_000).toString();
    expect(lines(later, 'DCGM_EXP_XID_ERRORS_COUNT').some((l) => l.includes('xid='))).toBe(false);
    expect(lines(later, 'DCGM_FI_DEV_XID_ERRORS').find((l) => l.includes('Hostname="gpu-a100-0"') && l.includes('gpu="1"'))).toMatch(/ 79$/);
  });

  it('reports each GPU model its own slowdown and shutdown temperatures', () => {
    const { dcgm, faults, store } = setup();
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'train-0', namespace: 'ml', labels: { 'flightdeck.dev/workload': 'training' } },
      spec: { nodeName: 'gpu-a100-0', containers: [{ name: 'main', image: 'train:1', resources: { limits: { 'nvidia.com/gpu': '2' } } }] },
      status: { phase: 'Running' },
    });
    faults.setHot('gpu-a100-0', 0, true);
    const text = dcgm.fleetMetrics(T0).toString();
    const value = (name: string, host: string) => Number(lines(text, name).find((l) => l.includes(`Hostname="${host}"`))?.split(' ').pop());
    expect(value('DCGM_FI_DEV_SLOWDOWN_TEMP', 'gpu-a100-0')).toBe(89);
    expect(value('DCGM_FI_DEV_SHUTDOWN_TEMP', 'gpu-a100-0')).toBe(92);
    expect(value('DCGM_FI_DEV_SLOWDOWN_TEMP', 'gpu-t4-0')).toBe(93);
    // The fleet's hot GPU throttles short of shutting down.
    const temps = lines(text, 'DCGM_FI_DEV_GPU_TEMP').map((l) => ({ host: /Hostname="([^"]+)"/.exec(l)?.[1], c: Number(l.split(' ').pop()) }));
    expect(temps.every((t) => t.c < (t.host === 'gpu-t4-0' ? 96 : 92))).toBe(true);
    expect(Math.max(...temps.filter((t) => t.host === 'gpu-a100-0').map((t) => t.c))).toBe(91);
  });

  it('scrapes each exporter with its own pod as target labels, as the Helm ServiceMonitor does', () => {
    expect(exporterPodLabels('gpu-a100-0')).toEqual(exporterPodLabels('gpu-a100-0'));
    expect(exporterPodLabels('gpu-a100-0').pod).toMatch(/^dcgm-exporter-[0-9a-z]{5}$/);
    expect(exporterPodLabels('gpu-a100-0').pod).not.toBe(exporterPodLabels('gpu-a100-1').pod);
    expect(exporterPodLabels('gpu-a100-0')).toMatchObject({ namespace: 'monitoring', container: 'dcgm-exporter' });
  });
});
