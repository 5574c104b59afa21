// What to look at first: idle-but-allocated GPUs and idle nodes (with the money), hot GPUs, XIDs
// raised in the range, silent exporters and removed nodes. "Nothing stands out" is said only when the
// range had GPU data; without any it says so instead of giving a false all-clear.
import { memo } from 'react';
import type { GpuCallout } from '../../../shared/contract/gpu';

const KIND_TITLE: Record<GpuCallout['kind'], string> = {
  idle: 'Allocated but idle',
  hot: 'Hot',
  xid: 'XID error',
  'exporter-missing': 'Exporter missing',
  'unallocated-node': 'Unallocated node',
  'node-removed': 'Node removed',
};

/** Two decimals below 10 GPU-hours (a 15 min range wastes fractions), one above. */
const gpuHours = (h: number) => h.toFixed(h < 10 ? 2 : 1);

interface Props {
  callouts: GpuCallout[];
  /** GPU rows in the range, or undefined while nothing has loaded. */
  gpuRows?: number;
  /** The callouts are another range's, this one's being fetched (they follow the heatmap). */
  updating?: boolean;
  /** Why this range's callouts could not be fetched. */
  error?: string;
  onSelect(node: string): void;
}

export const CalloutsPanel = memo(function CalloutsPanel({ callouts, gpuRows, updating = false, error, onSelect }: Props) {
  const idle = callouts.filter((c) => c.kind === 'idle');
  const wasted = idle.reduce((s, c) => s + (c.gpuHoursWasted ?? 0), 0);
  const cost = idle.reduce((s, c) => s + (c.costUsd ?? 0), 0);
  const spare = callouts.filter((c) => c.kind === 'unallocated-node');
  const spareHours = spare.reduce((s, c) => s + (c.coverageHours ?? 0), 0);
  const spareCost = spare.reduce((s, c) => s + (c.costUsd ?? 0), 0);
  const noData = gpuRows === undefined || gpuRows === 0;
  return (
    <aside className="panel callouts" aria-label="Callouts" data-testid="gpu-callouts">
      <h2>Callouts</h2>
      {updating ? <p className="muted">Updating for this range…</p> : null}
      {error && !updating ? <p className="muted">Could not check this range: {error}</p> : null}
      {wasted > 0 ? (
        <p className="wasted">
          <b>{gpuHours(wasted)} GPU-hours</b> idle on allocated GPUs in this range (≈ ${cost.toFixed(2)}), each pod charged for the time it held its GPU
        </p>
      ) : null}
      {spareHours > 0 ? (
        <p className="wasted">
          <b>{gpuHours(spareHours)} GPU-hours</b> of unallocated capacity on {spare.length} node{spare.length === 1 ? '' : 's'} (≈ ${spareCost.toFixed(2)})
        </p>
      ) : null}
      {callouts.length === 0 && !updating && !error ? <p className="muted">{noData ? (gpuRows === undefined ? 'No data yet.' : 'No data: no GPU series in this range, so nothing can be judged.') : 'Nothing stands out in this range.'}</p> : null}
      <ul className="callout-list">
        {callouts.slice(0, 200).map((c, i) => (
          <li key={i} className={`callout sev-${c.severity}`}>
            <button type="button" className="linkish" onClick={() => onSelect(c.node)} title="Show this node's GPUs">
              <span className={`kind kind-${c.kind}`}>{KIND_TITLE[c.kind]}</span> {c.message}
            </button>
          </li>
        ))}
      </ul>
      {callouts.length > 200 ? <p className="muted">…and {callouts.length - 200} more.</p> : null}
    </aside>
  );
});
