// A refresh converts only the Alertmanager alerts that changed: an unchanged one (by every field the
// console shows) is the same object as before, a changed one is converted anew, a gone one is
// forgotten, and each source (context, Alertmanager, severity overrides) keeps its own.
import { describe, expect, it } from 'vitest';
import { createAlertConversions } from '../../electron/core/alerts/alert-conversions.js';
import { fromAlertmanager, parseAmAlert, type AmAlert } from '../../electron/core/alerts/alertmanager-wire.js';
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

/** A converted answer (these tests give valid alerts only). */
const ok = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('the answer was refused');
  return value;
};

describe('alert conversions', () => {
  it('keeps unchanged alerts, converts changed ones, forgets gone ones', () => {
    const conversions = createAlertConversions();
    const [a1, b1] = ok(conversions.convert('ctx|am|{}', [raw('a'), raw('b')], {})).alerts;
    expect(a1).toEqual(fromAlertmanager(raw('a'), {}));
    // A fresh parse of the same answer (new objects, same content) reuses both.
    const [a2, b2] = ok(conversions.convert('ctx|am|{}', [raw('a'), raw('b')], {})).alerts;
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
      const before = ok(conversions.convert('ctx|am|{}', [raw('a')], {})).alerts[0];
      const after = ok(conversions.convert('ctx|am|{}', [raw('a', change)], {})).alerts[0];
      expect(after, JSON.stringify(change)).not.toBe(before);
      expect(after).toEqual(fromAlertmanager(raw('a', change), {}));
    }
    // b was not in the last answers: when it comes back it is converted anew.
    expect(ok(conversions.convert('ctx|am|{}', [raw('b')], {})).alerts[0]).not.toBe(b1);
    expect(ok(conversions.convert('ctx|am|{}', [raw('b'), raw('c', { labels: { alertname: 'Other' } })], {})).groupKeys).toEqual([groupKeyOf(raw('b').labels), groupKeyOf({ alertname: 'Other' })]);
  });

  it('keeps sources apart: overrides change the P-level', () => {
    const conversions = createAlertConversions();
    const plain = ok(conversions.convert('ctx|am|{}', [raw('a')], {})).alerts[0];
    const overridden = ok(conversions.convert('ctx|am|{"critical":"P2"}', [raw('a')], { critical: 'P2' })).alerts[0];
    expect(plain.priority).toBe('P1');
    expect(overridden.priority).toBe('P2');
    expect(ok(conversions.convert('ctx|am|{}', [raw('a')], {})).alerts[0]).toBe(plain);
  });

  it('redacts a converted alert once and freezes it', () => {
    const conversions = createAlertConversions();
    const [alert] = ok(conversions.convert('ctx|am|{}', [raw('a', { annotations: { dashboard: 'https://admin:hunter2@grafana.example/d/x' } })], {})).alerts;
    expect(alert.annotations.dashboard).not.toContain('hunter2');
    expect(alert.annotations.dashboard).toMatch(/^https:\/\/admin:<redacted: 7 chars #[0-9a-f]+>@grafana\.example/);
    expect(Object.isFrozen(alert) && Object.isFrozen(alert.annotations)).toBe(true);
  });

  it('accepts and refuses wire alerts as parseAmAlert does, whether an equal alert is kept or not', () => {
    const wire = (): Record<string, unknown> => ({ ...raw('w'), endsAt: '2026-12-02T11:00:00Z', receivers: [{ name: 'null' }] });
    const variants: Array<(a: Record<string, unknown>) => void> = [
      () => undefined,
      (a) => delete a.annotations,
      (a) => delete a.generatorURL,
      (a) => (a.status = { state: 'active' }),
      (a) => (a.status = { state: 'suppressed', silencedBy: ['s1'] }),
      (a) => (a.extra = 1),
      (a) => (a.annotations = null),
      (a) => (a.annotations = { summary: 5 }),
      (a) => (a.labels = ['x']),
      (a) => (a.labels = { alertname: null }),
      (a) => (a.generatorURL = null),
      (a) => (a.startsAt = 7),
      (a) => (a.fingerprint = 7),
      (a) => (a.status = { state: 'firing' }),
      (a) => (a.status = { state: 'active', silencedBy: 'x' }),
      (a) => (a.status = { state: 'active', inhibitedBy: [null] }),
      (a) => delete a.status,
    ];
    variants.forEach((change, n) => {
      const item = wire();
      change(item);
      const parsed = parseAmAlert(structuredClone(item));
      const expected = parsed ? [fromAlertmanager(parsed, {})] : undefined;
      const cold = createAlertConversions().convert('s', [structuredClone(item)], {});
      expect(cold?.alerts, `variant ${n} cold`).toEqual(expected);
      // Kept beforehand: the same alert, and one that holds exactly the defaults (no annotations, empty lists).
      for (const before of [wire(), { ...wire(), annotations: {}, status: { state: 'active', silencedBy: [], inhibitedBy: [] } }]) {
        const warm = createAlertConversions();
        warm.convert('s', [before], {});
        expect(warm.convert('s', [structuredClone(item)], {})?.alerts, `variant ${n} after ${JSON.stringify(before.annotations)}`).toEqual(expected);
      }
    });
    expect(createAlertConversions().convert('s', [raw('a'), null], {})).toBeUndefined();
  });
});
