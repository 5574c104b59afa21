// Picks where a pod shell runs: context, namespace, pod (from `resources.list` pods, the rows the
// Topology tables show) and container (`terminal.containers`, kubectl's default container first).
import { useEffect, useMemo, useState } from 'react';
import type { TerminalTarget } from '../../stores/terminal-store';
import { getApi } from '../../api/client';
import { useAppStore } from '../../stores/app-store';

interface PodRow {
  namespace: string;
  name: string;
  phase: string;
  gpus: number;
}

type Containers = { containers: Array<{ name: string; ready: boolean; state: string }>; defaultContainer?: string };

/** Rows of `resources.list {table:'pods'}` by column name (the columns are named once per answer). */
function podRows(answer: { columns: string[]; rows: Array<Array<string | number>> }): PodRow[] {
  const col = (name: string) => answer.columns.indexOf(name);
  const [ns, name, phase, gpus] = [col('namespace'), col('name'), col('phase'), col('gpus')];
  return answer.rows.map((r) => ({ namespace: String(r[ns] ?? ''), name: String(r[name] ?? ''), phase: String(r[phase] ?? ''), gpus: Number(r[gpus] ?? 0) }));
}

export function PodPicker({ onOpen, onCancel }: { onOpen(target: TerminalTarget): void; onCancel(): void }) {
  const contexts = useAppStore((s) => s.contexts);
  const activeContext = useAppStore((s) => s.activeContext);
  const [context, setContext] = useState(activeContext ?? '');
  const [pods, setPods] = useState<PodRow[]>();
  const [error, setError] = useState<string>();
  const [namespace, setNamespace] = useState('');
  const [filter, setFilter] = useState('');
  const [pod, setPod] = useState('');
  const [containers, setContainers] = useState<Containers>();
  const [container, setContainer] = useState('');

  useEffect(() => {
    if (!context && activeContext) setContext(activeContext);
  }, [context, activeContext]);

  useEffect(() => {
    if (!context) return;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setPods(undefined);
    setError(undefined);
    const load = (attempt: number) =>
      getApi()
        .call('resources.list', { context, table: 'pods' })
        .then((answer) => {
          if (cancelled) return;
          const rows = podRows(answer).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
          // A context's caches fill on first use: an empty first answer is asked again for a while.
          if (!rows.length && attempt < 15) retry = setTimeout(() => void load(attempt + 1), 1_000);
          setPods(rows);
          setNamespace((ns) => (rows.some((r) => r.namespace === ns) ? ns : (rows.find((r) => r.namespace === 'default') ?? rows[0])?.namespace ?? ''));
        })
        .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    void load(0);
    return () => {
      cancelled = true;
      clearTimeout(retry);
    };
  }, [context]);

  const namespaces = useMemo(() => [...new Set((pods ?? []).map((p) => p.namespace))], [pods]);
  const shown = useMemo(() => (pods ?? []).filter((p) => p.namespace === namespace && p.name.includes(filter.trim())), [pods, namespace, filter]);

  useEffect(() => {
    if (!shown.some((p) => p.name === pod)) setPod(shown.find((p) => p.phase === 'Running')?.name ?? shown[0]?.name ?? '');
  }, [shown, pod]);

  useEffect(() => {
    setContainers(undefined);
    setContainer('');
    if (!context || !namespace || !pod) return;
    let cancelled = false;
    getApi()
      .call('terminal.containers', { context, namespace, pod })
      .then((answer) => {
        if (cancelled) return;
        setContainers(answer);
        setContainer(answer.defaultContainer ?? answer.containers[0]?.name ?? '');
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [context, namespace, pod]);

  const chosen = shown.find((p) => p.name === pod);
  return (
    <form
      className="term-picker"
      aria-label="Open a pod shell"
      data-testid="pod-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (context && namespace && pod) onOpen({ kind: 'exec', context, namespace, pod, ...(container ? { container } : {}) });
      }}
    >
      <label>
        Context
        <select aria-label="Context" value={context} onChange={(e) => setContext(e.target.value)}>
          {contexts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Namespace
        <select aria-label="Namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)} disabled={!pods}>
          {namespaces.map((ns) => (
            <option key={ns} value={ns}>
              {ns}
            </option>
          ))}
        </select>
      </label>
      <label>
        Filter pods
        <input type="search" aria-label="Filter pods" placeholder="name contains" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <label>
        Pod
        <select aria-label="Pod" value={pod} onChange={(e) => setPod(e.target.value)} disabled={!shown.length}>
          {shown.slice(0, 2_000).map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} · {p.phase}
              {p.gpus ? ` · ${p.gpus} GPU` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        Container
        <select aria-label="Container" value={container} onChange={(e) => setContainer(e.target.value)} disabled={!containers}>
          {(containers?.containers ?? []).map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} · {c.ready ? 'ready' : c.state}
              {c.name === containers?.defaultContainer ? ' · default' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={!pod || !containers}>
        Open shell
      </button>
      <button type="button" className="ghost" onClick={onCancel}>
        Cancel
      </button>
      {!pods && !error && context ? <span className="muted">Loading pods…</span> : null}
      {chosen && chosen.phase !== 'Running' ? <span className="muted">This pod is {chosen.phase || 'not running'}: exec needs a running container.</span> : null}
      {error ? (
        <span className="health-failing" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
