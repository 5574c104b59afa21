// What to look at first: idle-but-allocated GPUs (with the money), hot GPUs, XID errors, silent exporters.
import { memo } from 'react';
import type { GpuCallout } from '../../../shared/contract/gpu';

const KIND_TITLE: Record<GpuCallout['kind'], string> = { idle: 'Allocated but idle', hot: 'Hot', xid: 'XID error', 'exporter-missing': 'Exporter missing' };

/** Memoized: scrolling merges pages of rows into the grid and re-renders the view, not these 200 items. */
export const CalloutsPanel = memo(function CalloutsPanel({ callouts, onSelect }: { callouts: GpuCallout[]; onSelect(node: string): void }) {
  const wasted = callouts.reduce((s, c) => s + (c.gpuHoursWasted ?? 0), 0);
  const cost = callouts.reduce((s, c) => s + (c.costUsd ?? 0), 0);
  return (
    <aside className="panel callouts" aria-label="Callouts" data-testid="gpu-callouts">
      <h2>Callouts</h2>
      {wasted > 0 ? (
        <p className="wasted">
          <b>{wasted.toFixed(1)} GPU-hours</b> idle on allocated GPUs in this range (≈ ${cost.toFixed(2)})
        </p>
      ) : null}
      {callouts.length === 0 ? <p className="muted">Nothing stands out in this range.</p> : null}
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
