// P-levels, grouping and the links an alert carries: the pure part of the alerts view.
import { describe, expect, it } from 'vitest';
import { exprFromGeneratorUrl, groupAlerts, groupMatchers, newUrgentAlerts, priorityOf, type ConsoleAlert } from '../../shared/model/alert.js';
import { fromAlertmanager, fromPrometheus } from '../../electron/core/alerts/alertmanager-wire.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';
import { createActionRoad } from '../../electron/core/actions/index.js';
import type { AlertmanagerSources } from '../../electron/core/alerts/alertmanager-sources.js';
import { matcherLine, parseMatchers } from '../../shared/model/alert-matchers.js';
import { ALERTMANAGER_AUTHORITY, SILENCE_KIND, silenceActionHandlers } from '../../electron/core/alerts/silence-actions.js';

const alert = (over: Partial<ConsoleAlert> & { labels: Record<string, string> }): ConsoleAlert => ({
  fingerprint: JSON.stringify(over.labels),
  name: over.labels.alertname,
  state: 'active',
  priority: priorityOf(over.labels.severity),
  annotations: {},
  startsAt: '2026-01-01T00:00:00Z',
  silencedBy: [],
  inhibitedBy: [],
  ...over,
});

describe('severity → P-level', () => {
  it('maps critical to P1, warning to P3, info to P4 and anything unknown to P4; overrides win', () => {
    expect(priorityOf('critical')).toBe('P1');
    expect(priorityOf('Error')).toBe('P2');
    expect(priorityOf('warning')).toBe('P3');
    expect(priorityOf('info')).toBe('P4');
    expect(priorityOf('sev-weird')).toBe('P4');
    expect(priorityOf(undefined)).toBe('P4');
    expect(priorityOf('warning', { warning: 'P2' })).toBe('P2');
  });
});

describe('groupAlerts', () => {
  it('groups by alertname, namespace and service; counts silenced and inhibited apart; most urgent active group first', () => {
    const groups = groupAlerts([
      alert({ labels: { alertname: 'Hot', severity: 'warning', Hostname: 'a' } }),
      alert({ labels: { alertname: 'Hot', severity: 'warning', Hostname: 'b' }, state: 'suppressed', silencedBy: ['s1'] }),
      alert({ labels: { alertname: 'Down', severity: 'critical', namespace: 'ml', service: 'x' }, state: 'suppressed', inhibitedBy: ['f'] }),
      alert({ labels: { alertname: 'Errors', severity: 'critical', namespace: 'inference', service: 'gw' }, startsAt: '2026-01-01T00:05:00Z' }),
      alert({ labels: { alertname: 'Errors', severity: 'warning', namespace: 'inference', service: 'gw', pod: 'p' } }),
      alert({ labels: { alertname: 'Errors', severity: 'critical', namespace: 'inference', service: 'other' } }),
    ]);
    expect(groups.map((g) => `${g.alertname}/${g.service ?? ''}:${g.priority}`)).toEqual(['Errors/gw:P1', 'Errors/other:P1', 'Hot/:P3', 'Down/x:P1']);
    const gw = groups[0];
    expect(gw.active).toBe(2);
    expect(gw.since).toBe('2026-01-01T00:00:00Z');
    expect(gw.alerts[0].priority).toBe('P1');
    expect(groups[2]).toMatchObject({ active: 1, silenced: 1, inhibited: 0 });
    expect(groups[3]).toMatchObject({ active: 0, silenced: 0, inhibited: 1 });
  });

  it('silences a group by its alertname, namespace and service (equality matchers)', () => {
    expect(groupMatchers({ alertname: 'Errors', namespace: 'inference', service: 'gw' })).toEqual([
      { name: 'alertname', value: 'Errors', isRegex: false, isEqual: true },
      { name: 'namespace', value: 'inference', isRegex: false, isEqual: true },
      { name: 'service', value: 'gw', isRegex: false, isEqual: true },
    ]);
    expect(groupMatchers({ alertname: 'Hot' })).toHaveLength(1);
  });

  it('notifies only new active P1/P2 alerts', () => {
    const groups = groupAlerts([
      alert({ labels: { alertname: 'A', severity: 'critical' } }),
      alert({ labels: { alertname: 'B', severity: 'warning' } }),
      alert({ labels: { alertname: 'C', severity: 'critical' }, state: 'suppressed', silencedBy: ['s'] }),
    ]);
    const first = newUrgentAlerts(new Set(), groups);
    expect(first.map((a) => a.name)).toEqual(['A']);
    expect(newUrgentAlerts(new Set(first.map((a) => a.fingerprint)), groups)).toEqual([]);
  });
});

describe('wire formats', () => {
  it('reads Alertmanager v2: suppressed stays apart, unprocessed notifies, the rule expression and runbook links come along', () => {
    const a = fromAlertmanager(
      {
        fingerprint: 'f1',
        labels: { alertname: 'KubePodCrashLooping', severity: 'warning', namespace: 'ml' },
        annotations: { runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping' },
        startsAt: '2026-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=max_over_time%28kube_pod_container_status_waiting_reason%5B5m%5D%29+%3E%3D+1&g0.tab=1',
        status: { state: 'unprocessed', silencedBy: [], inhibitedBy: [] },
      },
      {},
    );
    expect(a).toMatchObject({ state: 'active', priority: 'P3', expr: 'max_over_time(kube_pod_container_status_waiting_reason[5m]) >= 1', runbookUrl: expect.stringContaining('kubepodcrashlooping') });
    const s = fromAlertmanager({ fingerprint: 'f2', labels: { alertname: 'X' }, annotations: { runbook: 'error-rate-spike' }, startsAt: 't', status: { state: 'suppressed', silencedBy: ['id'], inhibitedBy: [] } }, {});
    expect(s).toMatchObject({ state: 'suppressed', priority: 'P4', runbookId: 'error-rate-spike', silencedBy: ['id'] });
    expect(s.runbookUrl).toBeUndefined();
    expect(exprFromGeneratorUrl('not a url')).toBeUndefined();
  });

  it('reads Prometheus: firing is active, pending apart, inactive dropped, expression from the rules', () => {
    const alerts = fromPrometheus(
      [
        { labels: { alertname: 'Hot', severity: 'critical' }, annotations: {}, state: 'firing', activeAt: '2026-01-01T00:00:00Z' },
        { labels: { alertname: 'Hot', severity: 'critical', gpu: '1' }, annotations: {}, state: 'pending' },
        { labels: { alertname: 'Gone' }, annotations: {}, state: 'inactive' },
      ],
      [{ rules: [{ type: 'alerting', name: 'Hot', query: 'temp > 85' }, { type: 'recording', name: 'r', query: 'x' }] }],
      {},
    );
    expect(alerts.map((a) => [a.state, a.priority, a.expr])).toEqual([
      ['active', 'P1', 'temp > 85'],
      ['pending', 'P1', 'temp > 85'],
    ]);
    expect(alerts[0].fingerprint).not.toBe(alerts[1].fingerprint);
  });
});

describe('silences on the action road', () => {
  it('are confirmed and audited without asking Kubernetes, and say whose authentication applies; an undeclared empty access list is still refused', async () => {
    const asked: unknown[] = [];
    const audit = openAuditLog(join(mkdtempSync(join(tmpdir(), 'silence-road-')), 'audit.log'));
    const road = createActionRoad({
      audit,
      reviewer: { userOf: () => 'viewer', review: async (_c, checks) => checks.map((c) => (asked.push(c), { allowed: false, reason: 'no' })) },
      productionPattern: () => '',
    });
    const sources = { find: async () => ({ endpoint: undefined, problem: 'No Alertmanager.' }) } as unknown as AlertmanagerSources;
    for (const h of silenceActionHandlers(sources)) road.register(h);
    const console_ = { kind: 'console', readOnly: false } as const;
    const { actions } = await road.available({ context: 'dev', target: { kind: SILENCE_KIND, name: 'new' } }, console_);
    expect(actions).toEqual([
      { action: 'silence.create', allowed: true },
      { action: 'silence.expire', allowed: true },
    ]);
    expect(asked).toEqual([]);
    // The same handler without the declaration is refused: forgetting to declare access cannot skip RBAC.
    const [create] = silenceActionHandlers(sources);
    const undeclared = createActionRoad({ audit, reviewer: { userOf: () => 'x', review: async () => [] }, productionPattern: () => '' });
    undeclared.register({ ...create, action: 'silence.undeclared', outsideKubernetes: undefined });
    const refused = await undeclared.available({ context: 'dev', target: { kind: SILENCE_KIND, name: 'new' } }, console_);
    expect(refused.actions[0]).toMatchObject({ allowed: false });
    expect(ALERTMANAGER_AUTHORITY).toMatch(/Alertmanager/);
  });
});

describe('silence matchers typed by a person', () => {
  it('reads =, =~, != and !~ lines (quotes optional), writes them back the same, and names the bad line', () => {
    const { matchers, error } = parseMatchers('alertname=InferenceErrorRateHigh\n\nservice=~"llm-.*"\nnamespace != default\npod!~canary-.*');
    expect(error).toBeUndefined();
    expect(matchers).toEqual([
      { name: 'alertname', value: 'InferenceErrorRateHigh', isRegex: false, isEqual: true },
      { name: 'service', value: 'llm-.*', isRegex: true, isEqual: true },
      { name: 'namespace', value: 'default', isRegex: false, isEqual: false },
      { name: 'pod', value: 'canary-.*', isRegex: true, isEqual: false },
    ]);
    expect(matchers.map(matcherLine)).toEqual(['alertname=InferenceErrorRateHigh', 'service=~llm-.*', 'namespace!=default', 'pod!~canary-.*']);
    expect(parseMatchers('alertname=A\njust words').error).toBe('Line 2 ("just words") is not name=value (or =~, !=, !~).');
    expect(parseMatchers('service=~llm-(').error).toMatch(/^Line 1: "llm-\(" is not a valid regular expression/);
  });
});
