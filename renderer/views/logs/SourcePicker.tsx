// What to follow: a namespace, then a workload (its pods, stern-like), one pod or a label selector;
// one container or all; the previous instance; since / tail. The namespaces, pods and workloads
// come from the topology tables (resources.list), the containers from logs.sources for the target.
import { useEffect, useMemo, useState } from 'react';
import type { LogSourceInfo, LogTarget, LogWorkloadKind, LogsFollowParams } from '../../../shared/contract/logs';
import { getApi } from '../../api/client';
import type { LogsLink } from '../../stores/logs-link';

const WORKLOAD_OF_ID: Record<string, LogWorkloadKind> = { deploy: 'Deployment', sts: 'StatefulSet', ds: 'DaemonSet', job: 'Job', ro: 'Rollout', rs: 'ReplicaSet' };
const SINCE: Array<[string, number | undefined]> = [
  ['all kept', undefined],
  ['5 min', 300],
  ['15 min', 900],
  ['1 hour', 3600],
  ['6 hours', 21_600],
  ['1 day', 86_400],
];

interface Inventory {
  pods: Array<{ namespace: string; name: string }>;
  workloads: Array<{ namespace: string; name: string; kind: LogWorkloadKind }>;
}

/** Asked again every few seconds while empty (a context's caches still syncing), then every 30 s. */
function useInventory(context: string): { inventory?: Inventory; error?: string } {
  const [state, setState] = useState<{ inventory?: Inventory; error?: string }>({});
  useEffect(() => {
    let stale = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const api = getApi();
    const load = () =>
      Promise.all([api.call('resources.list', { context, table: 'pods' }), api.call('resources.list', { context, table: 'workloads' })])
      .then(([pods, workloads]) => {
        if (stale) return;
        // Either list may still be empty while the context's caches sync (just after launch): ask again soon.
        timer = setTimeout(load, pods.rows.length === 0 || workloads.rows.length === 0 ? 3_000 : 30_000);
        const split = (id: unknown) => String(id).split('/');
        setState({
          inventory: {
            pods: pods.rows.map((r) => split(r[r.length - 1])).map(([, namespace, name]) => ({ namespace, name })),
            workloads: workloads.rows
              .map((r) => split(r[r.length - 1]))
              .filter(([kind]) => WORKLOAD_OF_ID[kind])
              .map(([kind, namespace, name]) => ({ namespace, name, kind: WORKLOAD_OF_ID[kind] })),
          },
        });
      })
      .catch((error: unknown) => {
        if (stale) return;
        timer = setTimeout(load, 5_000);
        setState({ error: error instanceof Error ? error.message : String(error) });
      });
    void load();
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [context]);
  return state;
}

type TargetKind = LogTarget['kind'];

export function SourcePicker({ context, initial, onFollow }: { context: string; initial?: LogsLink; onFollow: (params: LogsFollowParams) => void }) {
  const { inventory, error } = useInventory(context);
  const [namespace, setNamespace] = useState(initial?.namespace ?? '');
  const [kind, setKind] = useState<TargetKind>(initial?.target.kind ?? 'workload');
  const [workload, setWorkload] = useState(initial?.target.kind === 'workload' ? `${initial.target.workloadKind}/${initial.target.name}` : '');
  const [pod, setPod] = useState(initial?.target.kind === 'pod' ? initial.target.pod : '');
  const [selector, setSelector] = useState(initial?.target.kind === 'selector' ? initial.target.selector : '');
  const [container, setContainer] = useState(initial?.container ?? '');
  const [previous, setPrevious] = useState(false);
  const [since, setSince] = useState<number | undefined>(undefined);
  const [tail, setTail] = useState('500');
  const [sources, setSources] = useState<{ list: LogSourceInfo[]; selector?: string; error?: string }>({ list: [] });

  const namespaces = useMemo(() => [...new Set((inventory?.pods ?? []).map((p) => p.namespace))].sort(), [inventory]);
  const ns = namespace || namespaces[0] || '';
  const pods = useMemo(() => (inventory?.pods ?? []).filter((p) => p.namespace === ns).map((p) => p.name).sort(), [inventory, ns]);
  const workloads = useMemo(() => (inventory?.workloads ?? []).filter((w) => w.namespace === ns).sort((a, b) => a.name.localeCompare(b.name)), [inventory, ns]);

  const target: LogTarget | undefined = useMemo(() => {
    if (kind === 'pod') return pod ? { kind: 'pod', pod } : undefined;
    if (kind === 'selector') return selector.trim() ? { kind: 'selector', selector: selector.trim() } : undefined;
    const [wk, name] = (workload || (workloads[0] ? `${workloads[0].kind}/${workloads[0].name}` : '')).split('/');
    return wk && name ? { kind: 'workload', workloadKind: wk as LogWorkloadKind, name } : undefined;
  }, [kind, pod, selector, workload, workloads]);

  // The containers (and pods) the target resolves to now.
  useEffect(() => {
    if (!target || !ns) return setSources({ list: [] });
    let stale = false;
    const timer = setTimeout(() => {
      getApi()
        .call('logs.sources', { context, namespace: ns, target })
        .then((answer) => !stale && setSources({ list: answer.sources, selector: answer.selector }))
        .catch((e: unknown) => !stale && setSources({ list: [], error: e instanceof Error ? e.message : String(e) }));
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [context, ns, target]);

  const containers = [...new Set(sources.list.map((s) => s.container))].sort();
  const podCount = new Set(sources.list.map((s) => s.pod)).size;
  const follow = () => {
    if (!target || !ns) return;
    const tailLines = tail.trim() === '' ? undefined : Math.max(0, Math.floor(Number(tail)));
    onFollow({ context, namespace: ns, target, container: container || undefined, previous, sinceSeconds: since, tailLines: Number.isFinite(tailLines) ? tailLines : undefined, follow: !previous });
  };

  return (
    <form
      className="logs-picker"
      aria-label="Log source"
      data-testid="logs-picker"
      onSubmit={(e) => {
        e.preventDefault();
        follow();
      }}
    >
      <label>
        Namespace
        <select value={ns} onChange={(e) => setNamespace(e.target.value)} aria-label="Namespace">
          {namespace && !namespaces.includes(namespace) && <option value={namespace}>{namespace}</option>}
          {namespaces.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <label>
        Follow
        <select value={kind} onChange={(e) => setKind(e.target.value as TargetKind)} aria-label="Target kind">
          <option value="workload">a workload’s pods</option>
          <option value="pod">one pod</option>
          <option value="selector">a label selector</option>
        </select>
      </label>
      {kind === 'workload' && (
        <select value={workload} onChange={(e) => setWorkload(e.target.value)} aria-label="Workload">
          {workload && !workloads.some((w) => `${w.kind}/${w.name}` === workload) && <option value={workload}>{workload}</option>}
          {workloads.map((w) => (
            <option key={`${w.kind}/${w.name}`} value={`${w.kind}/${w.name}`}>
              {w.kind} {w.name}
            </option>
          ))}
        </select>
      )}
      {kind === 'pod' && (
        <select value={pod} onChange={(e) => setPod(e.target.value)} aria-label="Pod">
          <option value="">choose a pod…</option>
          {pod && !pods.includes(pod) && <option value={pod}>{pod}</option>}
          {pods.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      )}
      {kind === 'selector' && <input value={selector} onChange={(e) => setSelector(e.target.value)} placeholder="app=web,tier!=cache" aria-label="Label selector" />}
      <label>
        Container
        <select value={container} onChange={(e) => setContainer(e.target.value)} aria-label="Container">
          <option value="">all containers</option>
          {container && !containers.includes(container) && <option value={container}>{container}</option>}
          {containers.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label title="The previous (terminated) instance of each container, e.g. before a crash">
        <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} /> previous
      </label>
      <label>
        Since
        <select value={since ?? ''} onChange={(e) => setSince(e.target.value ? Number(e.target.value) : undefined)} aria-label="Since">
          {SINCE.map(([label, s]) => (
            <option key={label} value={s ?? ''}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tail
        <input className="logs-tail" value={tail} onChange={(e) => setTail(e.target.value)} inputMode="numeric" aria-label="Tail lines" title="Lines per container at attach (empty: all kept)" />
      </label>
      <button type="submit" className="primary" disabled={!target || !ns} data-testid="logs-follow">
        {previous ? 'Show' : 'Follow'}
      </button>
      <span className="muted logs-resolved" data-testid="logs-resolved">
        {error ?? sources.error ?? (target && sources.list.length > 0 ? `${podCount} pod${podCount === 1 ? '' : 's'}, ${sources.list.length} container${sources.list.length === 1 ? '' : 's'}${sources.selector ? ` · ${sources.selector}` : ''}` : target ? '' : 'Choose what to follow')}
      </span>
    </form>
  );
}
