// Delta answers of alerts.list: a caller holding a recent revision gets only the changed groups,
// and applying them gives exactly the full list; an unknown revision gets everything.
import { describe, expect, it } from 'vitest';
import { createAlertRevisions } from '../../electron/core/alerts/alert-revisions.js';
import { applyAlertAnswer } from '../../shared/model/alert-delta.js';
import { groupAlerts, type ConsoleAlert } from '../../shared/model/alert.js';

const alert = (name: string, service: string, severity: string, state: ConsoleAlert['state'] = 'active'): ConsoleAlert => ({
  fingerprint: `${name}/${service}/${severity}`,
  name,
  state,
  priority: severity === 'critical' ? 'P1' : 'P3',
  severity,
  labels: { alertname: name, service, severity },
  annotations: {},
  startsAt: '2026-01-01T00:00:00Z',
  silencedBy: state === 'suppressed' ? ['s'] : [],
  inhibitedBy: [],
});
const source = { kind: 'alertmanager' as const, detail: 'test' };

describe('alerts.list revisions', () => {
  it('sends only changed and removed groups, and the applied delta equals the full list', () => {
    const revisions = createAlertRevisions();
    const before = groupAlerts([alert('A', 'x', 'warning'), alert('B', 'y', 'warning'), alert('C', 'z', 'warning')]);
    const first = revisions.answer('ctx', before, undefined);
    expect(first.delta).toBe(false);
    const held = { source, fetchedAt: 'now', ...first };

    // B is silenced, C resolves, D starts and is critical (so it sorts first).
    const after = groupAlerts([alert('A', 'x', 'warning'), alert('B', 'y', 'warning', 'suppressed'), alert('D', 'w', 'critical')]);
    const second = revisions.answer('ctx', after, first.revision);
    expect(second.delta).toBe(true);
    expect(second.groups.map((g) => g.alertname).sort()).toEqual(['B', 'D']);
    expect(second.removed).toHaveLength(1);
    const applied = applyAlertAnswer(held, { source, fetchedAt: 'now', ...second });
    expect(applied.groups).toEqual(after);
    expect(applied.groups.map((g) => g.alertname)).toEqual(['D', 'A', 'B']);

    // Nothing changed: an empty delta.
    const third = revisions.answer('ctx', after, second.revision);
    expect(third).toMatchObject({ delta: true, groups: [], removed: [] });
  });

  it('answers in full to an unknown or too old revision, and keeps contexts apart', () => {
    const revisions = createAlertRevisions();
    const groups = groupAlerts([alert('A', 'x', 'warning')]);
    const first = revisions.answer('one', groups, undefined);
    expect(revisions.answer('two', groups, first.revision).delta).toBe(false);
    expect(revisions.answer('one', groups, 'made-up').delta).toBe(false);
    for (let i = 0; i < 8; i++) revisions.answer('one', groups, undefined);
    expect(revisions.answer('one', groups, first.revision).delta).toBe(false);
  });
});
