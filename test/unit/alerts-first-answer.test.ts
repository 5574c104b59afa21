// The work on the path of the Alerts view's first answer (5,000 alerts): neither a full answer nor
// a later delta serializes the groups (a delta compares them by content), each generator URL is parsed once, and sorting a group's
// alerts needs no locale collation. Each test counts the work the slow version did.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAlertRevisions } from '../../electron/core/alerts/alert-revisions.js';
import { fromAlertmanager, type AmAlert, type ExprCache } from '../../electron/core/alerts/alertmanager-wire.js';
import { groupAlerts, type AlertGroup, type ConsoleAlert } from '../../shared/model/alert.js';

const alert = (n: number, startsAt: string, service = 'api'): ConsoleAlert => ({
  fingerprint: n.toString(16).padStart(16, '0'),
  name: 'Down',
  state: 'active',
  priority: 'P3',
  severity: 'warning',
  labels: { alertname: 'Down', service, severity: 'warning', pod: `p${n}` },
  annotations: {},
  startsAt,
  silencedBy: [],
  inhibitedBy: [],
});

/** The group with a counter of how often it is serialized. */
function counted(group: AlertGroup): { group: AlertGroup; serialized: () => number } {
  let times = 0;
  const copy = { ...group };
  Object.defineProperty(copy, 'toJSON', { enumerable: false, value: () => (times++, group) });
  return { group: copy, serialized: () => times };
}

afterEach(() => vi.restoreAllMocks());

describe('alerts.list first answer', () => {
  it('neither a full answer nor the next delta serializes the groups; the delta still finds exactly the changed group', () => {
    const revisions = createAlertRevisions();
    const [a, b] = groupAlerts([alert(1, '2026-01-01T00:00:00Z', 'a'), alert(2, '2026-01-01T00:00:00Z', 'b')]);
    const first = { a: counted(a), b: counted(b) };
    const full = revisions.answer('ctx', [first.a.group, first.b.group], undefined);
    expect(full.delta).toBe(false);
    expect(first.a.serialized() + first.b.serialized()).toBe(0);

    const [a2, b2] = groupAlerts([alert(1, '2026-01-01T00:00:00Z', 'a'), { ...alert(2, '2026-01-01T00:00:00Z', 'b'), state: 'suppressed', silencedBy: ['s'] }]);
    const delta = revisions.answer('ctx', [a2, b2], full.revision);
    expect(delta).toMatchObject({ delta: true, removed: [] });
    expect(delta.groups.map((g) => g.key)).toEqual([b2.key]);
    expect(first.a.serialized() + first.b.serialized()).toBe(0);
  });

  it('parses one generator URL once for all the alerts that carry it', () => {
    const reads = vi.spyOn(URLSearchParams.prototype, 'get');
    const wire = (n: number): AmAlert => ({
      fingerprint: String(n),
      labels: { alertname: 'Down', severity: 'critical' },
      annotations: {},
      startsAt: '2026-01-01T00:00:00Z',
      generatorURL: `http://prometheus:9090/graph?g0.expr=${encodeURIComponent('up == 0')}&g0.tab=1`,
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    const exprs: ExprCache = new Map();
    const converted = [1, 2, 3, 4].map((n) => fromAlertmanager(wire(n), {}, exprs));
    expect(converted.map((c) => c.expr)).toEqual(['up == 0', 'up == 0', 'up == 0', 'up == 0']);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('sorts a group of alerts by start and fingerprint without locale collation, in the same order', () => {
    const collate = vi.spyOn(String.prototype, 'localeCompare');
    const starts = ['2026-01-01T00:00:03Z', '2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:01Z'];
    const [group] = groupAlerts(starts.map((s, n) => alert(n + 10, s)));
    expect(collate).not.toHaveBeenCalled();
    collate.mockRestore();
    const expected = [...group.alerts].sort((x, y) => x.startsAt.localeCompare(y.startsAt) || x.fingerprint.localeCompare(y.fingerprint));
    expect(group.alerts.map((a) => a.fingerprint)).toEqual(expected.map((a) => a.fingerprint));
    expect(group.alerts.map((a) => a.startsAt)).toEqual(['2026-01-01T00:00:01Z', '2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:03Z']);
  });
});
