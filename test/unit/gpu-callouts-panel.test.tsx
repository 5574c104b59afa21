// The callouts panel never gives an all-clear without data, and prices idle capacity apart from idle allocations.
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { CalloutsPanel } from '../../renderer/views/gpu/CalloutsPanel';
import type { GpuCallout } from '../../shared/contract/gpu';

const render = (callouts: GpuCallout[], gpuRows?: number, more: { updating?: boolean; error?: string } = {}) =>
  renderToStaticMarkup(<CalloutsPanel callouts={callouts} gpuRows={gpuRows} {...more} onSelect={() => undefined} />);

describe('callouts panel', () => {
  it('says "no data" when the range has no GPU series, and "nothing stands out" only when it has', () => {
    expect(render([], 0)).toMatch(/No data: no GPU series in this range/);
    expect(render([], 0)).not.toMatch(/Nothing stands out/);
    expect(render([])).toMatch(/No data yet/);
    expect(render([], 16)).toMatch(/Nothing stands out in this range/);
  });

  it('while the callouts of a new range are on their way (they follow the heatmap), says so and gives no all-clear', () => {
    const previous: GpuCallout[] = [{ kind: 'hot', severity: 'warning', node: 'n1', gpu: '0', message: 'GPU 0 on n1 reached 84 °C' }];
    expect(render([], 16, { updating: true })).toMatch(/Updating for this range/);
    expect(render([], 16, { updating: true })).not.toMatch(/Nothing stands out/);
    expect(render(previous, 16, { updating: true })).toMatch(/Updating for this range.*reached 84 °C/);
    expect(render(previous, 16)).not.toMatch(/Updating/);
    expect(render([], 16, { error: 'Prometheus timed out' })).toMatch(/Could not check this range: Prometheus timed out/);
    expect(render([], 16, { error: 'Prometheus timed out' })).not.toMatch(/Nothing stands out/);
  });

  it('totals idle allocated GPU-hours and unallocated capacity separately', () => {
    const html = render(
      [
        { kind: 'idle', severity: 'warning', node: 'n1', gpu: '0', message: 'idle', gpuHoursWasted: 24, costUsd: 72, coverageHours: 24 },
        { kind: 'unallocated-node', severity: 'info', node: 'n2', value: 8, message: 'spare', coverageHours: 192, costUsd: 576 },
      ],
      16,
    );
    expect(html).toMatch(/<b>24\.0 GPU-hours<\/b> idle on allocated GPUs in this range \(≈ \$72\.00\)/);
    expect(html).toMatch(/<b>192\.0 GPU-hours<\/b> of unallocated capacity on 1 node \(≈ \$576\.00\)/);
    expect(html).toMatch(/Unallocated node/);
  });
});
