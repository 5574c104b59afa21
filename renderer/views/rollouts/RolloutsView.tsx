// Rollouts: every Deployment, StatefulSet and Argo Rollout of the active context with live progress
// (the `kubectl rollout status` notion of done), and for the selected one its details, actions,
// history with template diffs, and the audit log. Rows are virtualized: 2,000 workloads stay smooth.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useAppStore } from '../../stores/app-store';
import { targetKey, useRolloutsStore } from '../../stores/rollouts-store';
import { useActionsStore } from '../../stores/actions-store';
import type { WorkloadSummary } from '../../../shared/contract/rollouts';
import { modelVersionLabel } from '../../../shared/model/rollout';
import { WorkloadDetail } from './WorkloadDetail';
import { ProgressBar, statusTone } from './ProgressBar';
import './rollouts.css';

const ROW_HEIGHT = 46;

function matches(w: WorkloadSummary, filter: string): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return [w.name, w.namespace, w.kind, w.strategy, w.model.name ?? '', w.model.version ?? '', ...w.images].some((v) => v.toLowerCase().includes(f));
}

function FailurePill({ w }: { w: WorkloadSummary }) {
  if (!w.failure || w.failure.source === 'abort') return null;
  return (
    <span className="pill pill-failing" title={w.failure.reason} data-testid="failure-pill">
      failing: {w.failure.reason}
    </span>
  );
}

function CanaryCell({ w }: { w: WorkloadSummary }) {
  if (w.canary) {
    const c = w.canary;
    return (
      <span>
        <FailurePill w={w} />
        step {c.stepIndex ?? 0}/{c.stepCount} · weight {c.weight}%{c.setWeight !== undefined && c.setWeight !== c.weight ? ` (set ${c.setWeight}%)` : ''}
        {c.pauseReasons.length > 0 && <span className="pill pill-warning">{c.pauseReasons.join(', ')}</span>}
        {c.aborted && <span className="pill pill-failing">aborted</span>}
      </span>
    );
  }
  if (w.blueGreen) {
    const b = w.blueGreen;
    return (
      <span>
        active {b.activeRS ?? '—'}
        {b.previewRS ? ` · preview ${b.previewRS}` : ''}
        {b.pauseReasons.length > 0 && <span className="pill pill-warning">{b.pauseReasons.join(', ')}</span>}
      </span>
    );
  }
  return (
    <span className="muted">
      {w.paused ? 'paused' : ''}
      <FailurePill w={w} />
    </span>
  );
}

export default function RolloutsView() {
  const context = useAppStore((s) => s.activeContext);
  const { workloads, problems, at, error, filter, selected, watch, setFilter, select } = useRolloutsStore();
  const lastResult = useActionsStore((s) => s.lastResult);
  const scrollRef = useRef<HTMLDivElement>(null);
  /** The row the filter box's arrows point at (Enter opens it). */
  const [cursor, setCursor] = useState<string>();
  const renderStart = useRef(performance.now());

  useEffect(() => {
    if (!context) return;
    renderStart.current = performance.now();
    return watch(context);
  }, [context, watch]);

  // Links from the problems list and the palette: #/rollouts?select=Kind/namespace/name opens that workload.
  useEffect(() => {
    const fromHash = () => {
      const filterParam = /[?&]filter=([^&]+)/.exec(window.location.hash);
      if (filterParam) setFilter(decodeURIComponent(filterParam[1]));
      const match = /[?&]select=([^&]+)/.exec(window.location.hash);
      if (!match) return;
      const key = decodeURIComponent(match[1]);
      setFilter(key.split('/').pop() ?? '');
      select(key);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [select, setFilter]);

  const rows = useMemo(() => workloads.filter((w) => matches(w, filter)), [workloads, filter]);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const current = selected ? workloads.find((w) => targetKey(w) === selected) : undefined;

  useEffect(() => {
    // For the bench and for people: when did the first full list paint.
    if (workloads.length > 0 && scrollRef.current) scrollRef.current.dataset.renderedMs = String(Math.round(performance.now() - renderStart.current));
  }, [workloads.length]);

  const rolling = workloads.filter((w) => !w.progress.done).length;

  return (
    <div className="view rollouts" data-testid="view-rollouts">
      <header className="rollouts-head">
        <h1>Rollouts</h1>
        <input
          className="rollouts-filter"
          placeholder="Filter by name, namespace, image, model…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            // Arrows move through the filtered rows and Enter opens one, without leaving the box.
            if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Enter') return;
            e.preventDefault();
            if (rows.length === 0) return;
            const at = rows.findIndex((w) => targetKey(w) === (cursor ?? selected));
            if (e.key === 'Enter') {
              if (at >= 0) select(targetKey(rows[at]));
              return;
            }
            const next = at < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
            setCursor(targetKey(rows[next]));
            virtualizer.scrollToIndex(next);
          }}
          aria-label="Filter workloads"
        />
        <span className="muted" data-testid="rollouts-count">
          {rows.length === workloads.length ? `${workloads.length} workloads` : `${rows.length} of ${workloads.length} workloads`} · {rolling} not done
        </span>
        {at && <span className="muted">updated {new Date(at).toLocaleTimeString()}</span>}
      </header>
      {!context && <p className="notice">Choose a context to see its rollouts.</p>}
      {error && <p className="banner health-failing">Could not read workloads: {error}</p>}
      {problems.map((p) => (
        <p key={p} className="muted rollouts-problem">
          {p}
        </p>
      ))}
      {lastResult && lastResult.context === context && (
        <p className={`rollouts-result ${lastResult.ok ? 'health-ok' : 'health-failing'}`} role="status" data-testid="action-result">
          {lastResult.ok ? '✓ ' : '✕ '}
          {lastResult.message}
        </p>
      )}
      <div className={`rollouts-body ${current ? 'with-detail' : ''}`}>
        <div className="rollouts-table" role="table" aria-label="Workloads" aria-rowcount={rows.length}>
          <div className="rollouts-row rollouts-header" role="row">
            <span role="columnheader">Workload</span>
            <span role="columnheader">Rev</span>
            <span role="columnheader">Images · model</span>
            <span role="columnheader" title="desired / updated / ready / available">
              Replicas <span className="muted replicas-legend">des/upd/rdy/avl</span>
            </span>
            <span role="columnheader">Progress</span>
            <span role="columnheader">Canary · blue-green</span>
          </div>
          <div className="rollouts-scroll" ref={scrollRef} data-testid="rollouts-scroll">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const w = rows[item.index];
                const key = targetKey(w);
                return (
                  <div
                    key={key}
                    role="row"
                    aria-selected={key === selected}
                    className={`rollouts-row ${key === selected ? 'selected' : ''} ${key === cursor ? 'cursor' : ''} ${w.failure ? 'row-failing' : ''}`}
                    data-cursor={key === cursor ? 'true' : undefined}
                    data-failing={w.failure ? w.failure.reason : undefined}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                    onClick={() => select(key === selected ? undefined : key)}
                    data-testid={`workload-${w.kind}-${w.namespace}-${w.name}`}
                  >
                    <span role="cell" className="cell-name">
                      <span className={`kind kind-${w.kind}`}>{w.kind === 'StatefulSet' ? 'sts' : w.kind === 'Deployment' ? 'deploy' : 'rollout'}</span>
                      <strong>{w.name}</strong>
                      <span className="muted"> {w.namespace}</span>
                    </span>
                    <span role="cell" title={w.revision}>
                      {/* StatefulSet revisions are ControllerRevision names: the hash suffix is what differs. */}
                      {(w.kind === 'StatefulSet' ? w.revision?.split('-').pop() : w.revision) ?? '—'}
                    </span>
                    <span role="cell" className="cell-images" title={w.images.join('\n')}>
                      {w.images.join(', ')}
                      {(w.model.name || w.model.version) && (
                        <span className="model">
                          {' '}
                          · {w.model.name ?? '?'} {w.model.version ? modelVersionLabel(w.model.version) : ''}
                        </span>
                      )}
                    </span>
                    <span
                      role="cell"
                      data-testid="replicas-cell"
                      title={`${w.replicas.desired} desired · ${w.replicas.updated} updated · ${w.replicas.ready} ready · ${w.replicas.available} available`}
                      aria-label={`${w.replicas.desired} desired, ${w.replicas.updated} updated, ${w.replicas.ready} ready, ${w.replicas.available} available`}
                    >
                      {w.replicas.desired}/{w.replicas.updated}/{w.replicas.ready}/{w.replicas.available}
                    </span>
                    <span role="cell" className={statusTone(w)}>
                      <ProgressBar workload={w} />
                    </span>
                    <span role="cell" className="cell-canary">
                      <CanaryCell w={w} />
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
        {current && context && <WorkloadDetail context={context} workload={current} onClose={() => select(undefined)} />}
      </div>
    </div>
  );
}
