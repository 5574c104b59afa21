// Everything about the selected object: status, conditions, owner chain, recent events,
// containers and images, GPU allocation, labels and YAML (secrets redacted by the main process).
import { useEffect, useState } from 'react';
import type { Details } from '../../../shared/contract/topology';
import { getApi } from '../../api/client';
import { useTopologyStore } from '../../stores/topology-store';
import { parseElementId as parseId } from '../../../shared/model/topology';
import { groupKeyOf, summary } from '../../../shared/model/topology-graph';
import { SecretValues } from './SecretValues';
import { absoluteTime, ageText } from '../../../shared/model/age';
import { nodeResources, podsOf } from './details-extra';
import { DetailsActions } from './DetailsActions';
import { logsHrefFor } from '../../stores/logs-link';
import './details.css';

/** Node pressure and *Unavailable conditions are good when False; the others (Ready, Available…) when True. */
export function conditionIsGood(c: { type: string; status: string }): boolean {
  return /(Pressure|Unavailable)$/.test(c.type) ? c.status === 'False' : c.status === 'True';
}

const WORKLOAD_KINDS = new Set(['deploy', 'sts', 'ds', 'job', 'ro', 'rs']);

export function DetailsPanel({ context, id, onClose }: { context: string; id: string; onClose(): void }) {
  const [details, setDetails] = useState<Details>();
  const [error, setError] = useState<string>();
  const [showYaml, setShowYaml] = useState(false);
  const version = useTopologyStore((s) => s.version);
  const element = useTopologyStore((s) => s.elements.get(id));
  const expanded = useTopologyStore((s) => s.expanded);
  const toggleGroup = useTopologyStore((s) => s.toggleGroup);
  const isGroup = id.startsWith('group/');
  // Refresh when the element itself changes (live), not on every unrelated delta.
  const stamp = element ? `${element.h}|${element.r ?? ''}|${element.ph ?? ''}|${element.rdy ?? ''}|${element.rs ?? ''}` : '';

  useEffect(() => {
    if (isGroup) return;
    const ref = parseId(id);
    let cancelled = false;
    getApi()
      .call('topology.details', { context, kind: ref.k, namespace: ref.namespace, name: ref.name })
      .then((d) => !cancelled && (setDetails(d), setError(undefined)))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [context, id, stamp, isGroup]);

  if (isGroup) {
    return (
      <aside className="details" aria-label="Details" data-testid="details-panel">
        <header>
          <h2>Pod group</h2>
          <button type="button" className="ghost" onClick={onClose} aria-label="Close details">✕</button>
        </header>
        <GroupInfo id={id} version={version} />
        <button type="button" onClick={() => toggleGroup(id)}>{expanded.has(id) ? 'Collapse group' : 'Expand group'}</button>
      </aside>
    );
  }

  return (
    <aside className="details" aria-label="Details" data-testid="details-panel">
      <header>
        <h2 title={id}>
          <span className="muted">{details?.kind ?? parseId(id).k}</span> {details?.name ?? parseId(id).name}
        </h2>
        <button type="button" className="ghost" onClick={onClose} aria-label="Close details">✕</button>
      </header>
      {error ? <p className="health-failing" role="alert">{error}</p> : null}
      {!details && !error ? <p className="muted">Loading…</p> : null}
      {details ? (
        <div className="details-body">
          <p>
            <span className={`pill health-${details.health}`}>{details.health}</span> {details.reason ?? ''}
            {details.namespace ? <span className="muted"> · namespace {details.namespace}</span> : null}
            {logsHrefFor(details.kind, details.namespace, details.name) ? (
              <a className="details-logs" href={logsHrefFor(details.kind, details.namespace, details.name)} data-testid="details-logs">
                {' '}· Logs
              </a>
            ) : null}
          </p>
          <DetailsActions key={id} context={context} details={details} />
          {details.ownerChain.length ? (
            <section>
              <h3>Owned by</h3>
              <p className="mono">{details.ownerChain.map((o) => `${o.kind}/${o.name}`).join(' → ')}</p>
            </section>
          ) : null}
          <section>
            <h3>Status</h3>
            <dl className="kv">
              {details.status.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  {/* Times as ages, the exact time on hover. */}
                  {k === 'created' ? <dd title={absoluteTime(v)}>{ageText(v)} ago</dd> : <dd>{v}</dd>}
                </div>
              ))}
            </dl>
          </section>
          {details.conditions.length ? (
            <section>
              <h3>Conditions</h3>
              <ul className="plain">
                {details.conditions.map((c) => (
                  <li key={c.type}>
                    <span className={conditionIsGood(c) ? 'health-ok' : 'health-warning'}>{c.type}={c.status}</span> {c.reason ?? ''} <span className="muted">{c.message ?? ''}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {details.kind === 'Node' ? <NodeResourcesSection yaml={details.yaml} /> : null}
          {details.kind === 'Node' || WORKLOAD_KINDS.has(parseId(id).k) ? <PodsSection id={id} version={version} /> : null}
          {details.containers.length ? (
            <section>
              <h3>Containers</h3>
              <ul className="plain">
                {details.containers.map((c) => (
                  <li key={c.name}>
                    <b>{c.name}</b> <span className="mono">{c.image}</span>
                    {c.state ? <span className="muted"> · {c.state}</span> : null}
                    {c.restarts ? <span className="health-warning"> · {c.restarts} restarts</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {details.gpus.length ? (
            <section>
              <h3>GPUs</h3>
              <ul className="plain">
                {details.gpus.map((g) => (
                  <li key={`${g.node}/${g.index}`} className="mono">
                    {g.node} gpu{g.index} {g.pod ? `→ held by ${parseId(g.pod).namespace}/${parseId(g.pod).name}` : '(free)'}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section>
            <h3>Recent events</h3>
            {details.events.length ? (
              <ul className="plain">
                {details.events.map((e, i) => (
                  <li key={i}>
                    {e.last ? (
                      <span className="muted age" title={absoluteTime(e.last)}>
                        {ageText(e.last)}{' '}
                      </span>
                    ) : null}
                    <span className={e.type === 'Warning' ? 'health-warning' : 'muted'}>{e.reason}</span> {e.message} {e.count > 1 ? <span className="muted">×{e.count}</span> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No events.</p>
            )}
          </section>
          {Object.keys(details.labels).length ? (
            <section>
              <h3>Labels</h3>
              <p className="mono small">{Object.entries(details.labels).map(([k, v]) => `${k}=${v}`).join('  ')}</p>
            </section>
          ) : null}
          <section>
            <button type="button" onClick={() => setShowYaml(!showYaml)} aria-expanded={showYaml}>
              {showYaml ? 'Hide YAML' : 'Show YAML'}
            </button>
            {showYaml ? <pre className="yaml">{details.yaml}</pre> : null}
            {showYaml ? <SecretValues target={{ context, kind: details.kind, namespace: details.namespace, name: details.name }} /> : null}
          </section>
        </div>
      ) : null}
    </aside>
  );
}

function GroupInfo({ id }: { id: string; version: number }) {
  const elements = useTopologyStore((s) => s.elements);
  const groupBy = useTopologyStore((s) => s.groupBy);
  const members = [...elements.values()].filter((e) => e.k === 'pod' && groupKeyOf(e, groupBy) === id);
  const counts = { count: members.length, ok: 0, warning: 0, failing: 0, unknown: 0 };
  for (const m of members) counts[m.h]++;
  return (
    <div className="details-body">
      <p>{members.length} pods · {summary(counts)}</p>
      <ul className="plain small">
        {members.slice(0, 30).map((m) => (
          <li key={m.id}>
            <span className={`health-${m.h}`}>●</span> {m.n} <span className="muted">{m.r ?? m.ph ?? ''}</span>
          </li>
        ))}
        {members.length > 30 ? <li className="muted">…and {members.length - 30} more (expand, or use the Pods table)</li> : null}
      </ul>
    </div>
  );
}

function NodeResourcesSection({ yaml }: { yaml: string }) {
  const { resources, taints } = nodeResources(yaml);
  return (
    <section data-testid="node-resources">
      <h3>Capacity</h3>
      <table className="data small">
        <thead>
          <tr>
            <th>Resource</th>
            <th>Capacity</th>
            <th>Allocatable</th>
          </tr>
        </thead>
        <tbody>
          {resources.map(([name, capacity, allocatable]) => (
            <tr key={name}>
              <td className="mono">{name}</td>
              <td>{capacity}</td>
              <td>{allocatable}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Taints</h3>
      {taints.length ? (
        <ul className="plain mono small" data-testid="node-taints">
          {taints.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">No taints.</p>
      )}
    </section>
  );
}

function PodsSection({ id }: { id: string; version: number }) {
  const elements = useTopologyStore((s) => s.elements);
  const select = useTopologyStore((s) => s.select);
  const pods = podsOf(elements.values(), id);
  return (
    <section data-testid="details-pods">
      <h3>Pods ({pods.length})</h3>
      {pods.length ? (
        <ul className="plain small">
          {pods.slice(0, 100).map((p) => (
            <li key={p.id}>
              <span className={`health-${p.h}`}>●</span>{' '}
              <button type="button" className="pod-link" onClick={() => select(p.id)} title={`${p.ns ?? ''}/${p.n}`}>
                {p.n}
              </button>{' '}
              <span className="muted">
                {p.ph ?? ''}
                {p.rdy ? ` · ready ${p.rdy}` : ''}
                {p.on && !id.startsWith('node/') ? ` · on ${p.on.slice('node//'.length)}` : ''}
                {p.gi?.length ? ` · GPU ${p.gi.join(', ')}` : ''}
              </span>
            </li>
          ))}
          {pods.length > 100 ? <li className="muted">…and {pods.length - 100} more (the Pods table lists them all)</li> : null}
        </ul>
      ) : (
        <p className="muted">No pods.</p>
      )}
    </section>
  );
}
