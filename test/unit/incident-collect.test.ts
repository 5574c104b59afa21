// What joins an incident's timeline on its own, from each source's raw answer: actions from the
// audit log (executed in the window, this context, not the incident bookkeeping), alerts firing and
// then resolving, Warning events of the incident's namespaces inside its window.
import type { CoreV1Event } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { actionEntries, alertEntries, warningEntries, withTimeout } from '../../electron/core/incidents/timeline-collect.js';
import type { AuditRecord } from '../../shared/contract/actions.js';
import type { Incident } from '../../shared/model/incident.js';

const incident: Incident = {
  id: 'inc-1',
  context: 'prod',
  title: 't',
  severity: 'P2',
  commander: 'alice',
  status: 'investigating',
  declaredAt: '2026-12-02T07:00:00.000Z',
  declaredBy: 'alice',
  namespaces: ['inference'],
  retro: { summary: '', rootCause: '', contributingFactors: '', lessonsLearned: '', actionItems: [] },
};
const NOW = '2026-12-02T08:00:00.000Z';
const record = (id: string, patch: Partial<AuditRecord>): AuditRecord => ({ id, time: '2026-12-02T07:10:00.000Z', phase: 'execute', outcome: 'succeeded', session: 'console', context: 'prod', ...patch });

describe('incident timeline collection', () => {
  it('takes executed and refused changes of its context inside its window; not plans, other contexts or its own bookkeeping', () => {
    const entries = actionEntries(
      [
        record('1', { action: 'undo', target: { kind: 'Deployment', namespace: 'inference', name: 'gw' }, user: 'admin' }),
        record('2', { phase: 'prepare', outcome: 'planned', action: 'undo' }),
        record('3', { context: 'staging', action: 'scale' }),
        record('4', { time: '2026-12-02T06:59:59.000Z', action: 'scale' }),
        record('5', { method: 'incidents.note' }),
        record('6', { method: 'runbooks.executeAction', action: 'restart', target: { kind: 'Deployment', name: 'gw' }, outcome: 'failed', error: 'forbidden' }),
      ],
      incident,
      NOW,
    );
    expect(entries.map((e) => [e.key, e.kind, e.text, e.who])).toEqual([
      ['audit:1', 'action', 'undo Deployment inference/gw: succeeded', 'admin'],
      ['audit:6', 'runbook', 'restart Deployment gw: failed (forbidden)', undefined],
    ]);
  });

  it('an alert firing is entered once at its start; gone later, it is entered as resolved', () => {
    const firing = { 'fp1@07:01': { at: '2026-12-02T07:01:00.000Z', text: 'P1 Errors in inference' } };
    expect(alertEntries(firing, {}, NOW).map((e) => [e.key, e.at, e.text])).toEqual([['alert-firing:fp1@07:01', '2026-12-02T07:01:00.000Z', 'P1 Errors in inference firing']]);
    const later = alertEntries({}, { 'fp1@07:01': 'P1 Errors in inference' }, NOW);
    expect(later.map((e) => [e.kind, e.at, e.text])).toEqual([['alert-resolved', NOW, 'P1 Errors in inference resolved']]);
  });

  it('Warning events of its namespaces inside its window, keyed by uid and count', () => {
    const event = (uid: string, namespace: string, at: string, type = 'Warning'): CoreV1Event => ({
      metadata: { uid, name: `e-${uid}`, namespace },
      involvedObject: { kind: 'Pod', namespace, name: 'gw-1' },
      type,
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      lastTimestamp: new Date(at),
      count: 3,
    });
    const entries = warningEntries(
      [event('a', 'inference', '2026-12-02T07:05:00Z'), event('b', 'other', '2026-12-02T07:05:00Z'), event('c', 'inference', '2026-12-02T06:00:00Z'), event('d', 'inference', '2026-12-02T07:06:00Z', 'Normal')],
      incident,
      NOW,
    );
    expect(entries.map((e) => [e.key, e.text])).toEqual([['event:a:3', 'Pod inference/gw-1: BackOff Back-off restarting failed container']]);
  });

  it('declared from an alert naming a workload, only that workload’s objects’ Warning events count', () => {
    const fromAlert = { fingerprint: 'f', name: 'Errors', labels: { namespace: 'inference', deployment: 'gw' } };
    const event = (uid: string, name: string): CoreV1Event => ({
      metadata: { uid, name: `e-${uid}`, namespace: 'inference' },
      involvedObject: { kind: 'Pod', namespace: 'inference', name },
      type: 'Warning',
      reason: 'Unhealthy',
      lastTimestamp: new Date('2026-12-02T07:05:00Z'),
    });
    const entries = warningEntries([event('a', 'gw-7c9f-x2'), event('b', 'gw'), event('c', 'gwx-1'), event('d', 'other-1')], { ...incident, fromAlert }, NOW);
    expect(entries.map((e) => e.key)).toEqual(['event:a:1', 'event:b:1']);
  });
});

describe('a source that does not answer', () => {
  it('is given up on with a sentence naming it, so a hung cluster does not hold the timeline', async () => {
    await expect(withTimeout(new Promise(() => undefined), 'the Kubernetes API', 20)).rejects.toThrow('the Kubernetes API did not answer within 0.02 s');
    await expect(withTimeout(Promise.resolve(7), 'x', 20)).resolves.toBe(7);
  });
});
