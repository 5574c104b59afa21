// 15m / 1h / 6h / 24h (live) or a custom window; shared by the GPU and Metrics views.
import { useState } from 'react';
import type { RangeChoice, RangePreset } from '../stores/time-range';

const PRESETS: RangePreset[] = ['15m', '1h', '6h', '24h', 'custom'];
const toLocal = (unix: number) => {
  const d = new Date(unix * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function RangePicker({ value, onChange }: { value: RangeChoice; onChange(v: RangeChoice): void }) {
  const now = Math.floor(Date.now() / 1000);
  const [start, setStart] = useState(toLocal(value.start ?? now - 3600));
  const [end, setEnd] = useState(toLocal(value.end ?? now));
  return (
    <div className="range-picker">
      <div className="segmented" role="radiogroup" aria-label="Time range">
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            role="radio"
            aria-checked={value.preset === p}
            className={value.preset === p ? 'on' : ''}
            onClick={() => onChange(p === 'custom' ? { preset: 'custom', start: Date.parse(start) / 1000, end: Date.parse(end) / 1000 } : { preset: p })}
          >
            {p}
          </button>
        ))}
      </div>
      {value.preset === 'custom' ? (
        <span className="custom-range">
          <input type="datetime-local" aria-label="Range start" value={start} onChange={(e) => setStart(e.target.value)} />
          <input type="datetime-local" aria-label="Range end" value={end} onChange={(e) => setEnd(e.target.value)} />
          <button type="button" onClick={() => onChange({ preset: 'custom', start: Date.parse(start) / 1000, end: Date.parse(end) / 1000 })}>
            Apply
          </button>
        </span>
      ) : (
        <span className="live muted" title="Refreshes every 15 s">
          ● live
        </span>
      )}
    </div>
  );
}
