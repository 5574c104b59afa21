// A refresh converts only the Alertmanager alerts that changed: an unchanged one (by every field the
// console shows) is the same object as before, a changed one is converted anew, a gone one is
// forgotten, and each source (context, Alertmanager, severity overrides) keeps its own.
import { describe, expect, it } from 'vitest';
import { createAlertConversions } from '../../electron/core/alerts/alert-conversions.js';
import { fromAlertmanager, type AmAlert } from '../../electron/core/alerts/alertmanager-wire.js';
import { groupKeyOf } from '../../shared/model/alert.js';

const raw = (fingerprint: string, change: Partial<AmAlert> = {}): AmAlert => ({
  fingerprint,
  labels: { alertname: 'GPUXidErrors', severity: 'critical', namespace: 'inference' },
  annotations: { summary: 'xid 79' },
  startsAt: '2026-12-02T10:00:00Z',
  generatorURL: 'http://prom/graph?g0.expr=up&g0.tab=1',
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  ...change,
});

describe('alert conversions', () => {
  it('keeps unchanged alerts, converts changed ones, forgets gone ones', () => {
    const conversions = createAlertConversions();
    const [a1, b1] = conversions.convert('ctx|am|{}', [raw('a'), raw('b')], {}).alerts;
    expect(a1).toEqual(fromAlertmanager(raw('a'), {}));
    // A fresh parse of the same answer (new objects, same content) reuses both.
    const [a2, b2] = conversions.convert('ctx|am|{}', [raw('a'), raw('b')], {}).alerts;
    expect(a2).toBe(a1);
    expect(b2).toBe(b1);
    const changes: Array<Partial<AmAlert>> = [
      { labels: { alertname: 'GPUXidErrors', severity: 'warning', namespace: 'inference' } },
      { annotations: { summary: 'xid 48' } },
      { startsAt: '2026-12-02T10:05:00Z' },
      { generatorURL: 'http://prom/graph?g0.expr=down' },
      { status: { state: 'suppressed', silencedBy: ['s1'], inhibitedBy: [] } },
      { status: { state: 'active', silencedBy: [], inhibitedBy: ['i1'] } },
    ];
    for (const change of changes) {
      const before = conversions.convert('ctx|am|{}', [raw('a')], {}).alerts[0];
      const after = conversions.convert('ctx|am|{}', [raw('a', change)], {}).alerts[0];
      expect(after, JSON.stringify(change)).not.toBe(before);
      expect(after).toEqual(fromAlertmanager(raw('a', change), {}));
    }
    // b was not in the last answers: when it comes back it is converted anew.
    expect(conversions.convert('ctx|am|{}', [raw('b')], {}).alerts[0]).not.toBe(b1);
    expect(conversions.convert('ctx|am|{}', [raw('b'), raw('c', { labels: { alertname: 'Other' } })], {}).groupKeys).toEqual([groupKeyOf(raw('b').labels), groupKeyOf({ alertname: 'Other' })]);
  });

  it('keeps sources apart: overrides change the P-level', () => {
    const conversions = createAlertConversions();
    const plain = conversions.convert('ctx|am|{}', [raw('a')], {}).alerts[0];
    const overridden = conversions.convert('ctx|am|{"critical":"P2"}', [raw('a')], { critical: 'P2' }).alerts[0];
    expect(plain.priority).toBe('P1');
    expect(overridden.priority).toBe('P2');
    expect(conversions.convert('ctx|am|{}', [raw('a')], {}).alerts[0]).toBe(plain);
  });

  it('redacts a converted alert once and freezes it', () => {
    const conversions = createAlertConversions();
    const [alert] = conversions.convert('ctx|am|{}', [raw('a', { annotations: { dashboard: 'https://admin:hunter2@grafana.example/d/x' } })], {}).alerts;
    expect(alert.annotations.dashboard).not.toContain('hunter2');
    expect(alert.annotations.dashboard).toMatch(/^https:\/\/admin:<redacted: 7 chars #[0-9a-f]+>@grafana\.example/);
    expect(Object.isFrozen(alert) && Object.isFrozen(alert.annotations)).toBe(true);
  });
});
