// One alert: labels, annotations, and where to go next — its runbooks (runbook_url, a bundled
// runbook named by the `runbook` annotation, or one whose front matter lists the alert), the
// affected pod / service / node in Topology, and its rule's expression in the Metrics explorer.
import type { ConsoleAlert } from '../../../shared/model/alert';
import { groupMatchers } from '../../../shared/model/alert';
import { ageText, absoluteTime } from '../../../shared/model/age';
import { useAppStore } from '../../stores/app-store';
import { useAlertsStore } from '../../stores/alerts-store';
import { useMetricsStore } from '../../stores/metrics-store';
import { useTopologyStore } from '../../stores/topology-store';
import { useIncidentsStore } from '../../stores/incidents-store';
import { logsHrefFor } from '../../stores/logs-link';

/** Opens Incidents with the declare form filled from the alert (title, its P-level, its labels). */
function declareIncidentFrom(alert: ConsoleAlert): void {
  const where = alert.labels.service ?? alert.labels.namespace;
  useIncidentsStore.getState().startDraft({
    title: `${alert.name}${where ? ` on ${where}` : ''}`,
    severity: alert.priority,
    commander: '',
    fromAlert: { fingerprint: alert.fingerprint, name: alert.name, labels: alert.labels },
  });
  window.location.hash = '#/incidents';
}

export interface RunbookRef {
  id: string;
  title: string;
}

/** Topology elements an alert's labels name, most specific first. */
function affected(alert: ConsoleAlert): Array<{ id: string; label: string; tab: 'pods' | 'nodes' | 'workloads' }> {
  const l = alert.labels;
  const ns = l.exported_namespace ?? l.namespace;
  const out: Array<{ id: string; label: string; tab: 'pods' | 'nodes' | 'workloads' }> = [];
  const pod = l.exported_pod ?? l.pod;
  if (pod && ns) out.push({ id: `pod/${ns}/${pod}`, label: `pod ${ns}/${pod}`, tab: 'pods' });
  if (l.service && ns) out.push({ id: `svc/${ns}/${l.service}`, label: `service ${ns}/${l.service}`, tab: 'workloads' });
  for (const key of ['deployment', 'statefulset', 'rollout'] as const) {
    const kind = key === 'deployment' ? 'deploy' : key === 'statefulset' ? 'sts' : 'ro';
    if (l[key] && ns) out.push({ id: `${kind}/${ns}/${l[key]}`, label: `${key} ${ns}/${l[key]}`, tab: 'workloads' });
  }
  const node = l.node ?? l.Hostname;
  if (node) out.push({ id: `node//${node}`, label: `node ${node}`, tab: 'nodes' });
  return out;
}

/** Logs of the pod or workloads an alert's labels name. */
function logLinks(alert: ConsoleAlert): Array<{ href: string; label: string }> {
  const l = alert.labels;
  const ns = l.exported_namespace ?? l.namespace;
  const named: Array<[string, string | undefined]> = [['Pod', l.exported_pod ?? l.pod], ['Deployment', l.deployment], ['StatefulSet', l.statefulset], ['Rollout', l.rollout]];
  return named.flatMap(([kind, name]) => {
    const href = name ? logsHrefFor(kind, ns, name) : undefined;
    return href ? [{ href, label: `${kind.toLowerCase()} ${ns}/${name}` }] : [];
  });
}

export function AlertDetail({ alert, context, runbooks, canSilence, silenceWhy }: { alert: ConsoleAlert; context: string; runbooks: RunbookRef[]; canSilence: boolean; silenceWhy?: string }) {
  const openSilenceForm = useAlertsStore((s) => s.openSilenceForm);
  const select = useAlertsStore((s) => s.select);
  const go = (view: string) => {
    window.location.hash = `#/${view}`;
  };
  const openInTopology = (id: string, tab: 'pods' | 'nodes' | 'workloads') => {
    const topology = useTopologyStore.getState();
    topology.connect(context);
    topology.setTab(tab);
    topology.select(id, true);
    go('topology');
  };
  const openGraph = (expr: string) => {
    void useMetricsStore.getState().runQuery(context, expr);
    go('metrics');
  };
  const links = affected(alert);
  const labels = Object.entries(alert.labels).sort(([a], [b]) => a.localeCompare(b));
  const readOnly = useAppStore((s) => s.info?.readOnly);

  return (
    <aside className="alert-detail" aria-label="Alert details" data-testid="alert-detail">
      <header>
        <h2>
          <span className={`prio prio-${alert.priority}`}>{alert.priority}</span> {alert.name}
        </h2>
        <button type="button" onClick={() => select(undefined)} aria-label="Close details">
          ✕
        </button>
      </header>
      <p className="muted">
        {alert.state === 'active' ? 'Firing' : alert.state === 'pending' ? 'Pending (its for: duration has not passed)' : alert.silencedBy.length ? `Silenced by ${alert.silencedBy.join(', ')}` : `Inhibited by ${alert.inhibitedBy.join(', ')}`} · since{' '}
        <time title={absoluteTime(alert.startsAt)}>{ageText(alert.startsAt)}</time> · severity {alert.severity ?? '—'}
      </p>
      {alert.annotations.summary && <p className="alert-summary">{alert.annotations.summary}</p>}
      {alert.annotations.description && <p className="alert-description">{alert.annotations.description}</p>}
      <h3>Go to</h3>
      <ul className="alert-links" data-testid="alert-links">
        {alert.runbookUrl && (
          <li>
            <a href={alert.runbookUrl} target="_blank" rel="noreferrer noopener">
              Runbook ↗ <span className="muted">{alert.runbookUrl}</span>
            </a>
          </li>
        )}
        {runbooks.map((r) => (
          <li key={r.id}>
            <a href={`#/runbooks?open=${encodeURIComponent(r.id)}`}>Runbook: {r.title}</a>
          </li>
        ))}
        {links.map((l) => (
          <li key={l.id}>
            <button type="button" className="link" onClick={() => openInTopology(l.id, l.tab)}>
              Topology: {l.label}
            </button>
          </li>
        ))}
        {logLinks(alert).map((l) => (
          <li key={l.href}>
            <a href={l.href}>Logs: {l.label}</a>
          </li>
        ))}
        {alert.expr && (
          <li>
            <button type="button" className="link" onClick={() => openGraph(alert.expr!)} data-testid="alert-graph">
              Graph the rule in Metrics
            </button>
            <code className="alert-expr">{alert.expr}</code>
          </li>
        )}
        {!alert.runbookUrl && runbooks.length === 0 && links.length === 0 && !alert.expr && <li className="muted">Nothing links this alert to a runbook, a workload or a rule.</li>}
      </ul>
      <button
        type="button"
        disabled={!canSilence || readOnly}
        title={readOnly ? 'Read-only session' : silenceWhy}
        onClick={() => openSilenceForm(groupMatchers({ alertname: alert.name, namespace: alert.labels.namespace, service: alert.labels.service }))}
      >
        Silence this alert…
      </button>
      <button type="button" disabled={readOnly} title={readOnly ? 'Read-only session' : 'Declare an incident from this alert (its namespace scopes the timeline)'} onClick={() => declareIncidentFrom(alert)}>
        Declare incident…
      </button>
      <h3>Labels</h3>
      <dl className="facts">
        {labels.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {Object.keys(alert.annotations).length > 0 && (
        <>
          <h3>Annotations</h3>
          <dl className="facts">
            {Object.entries(alert.annotations).map(([k, v]) => (
              <div key={k} className="fact">
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </aside>
  );
}
