// The markdown report: sections in order, timeline sorted by time (ties in recorded order), table
// cells that cannot break the table, duration and SLO budget burned between declare and resolve.
import { describe, expect, it } from 'vitest';
import { budgetBurned, formatDuration, incidentReport } from '../../shared/model/incident-report.js';
import type { Incident, TimelineEntry } from '../../shared/model/incident.js';

const incident: Incident = {
  id: 'inc-1',
  context: 'prod',
  title: 'Gateway 5xx',
  severity: 'P1',
  commander: 'alice',
  status: 'resolved',
  declaredAt: '2026-12-02T07:00:00.000Z',
  declaredBy: 'bob',
  resolvedAt: '2026-12-02T08:30:00.000Z',
  namespaces: [],
  retro: { summary: 'Errors for 90 minutes.', rootCause: 'Bad build.', contributingFactors: '', lessonsLearned: 'Canary first.', actionItems: ['Add a canary'] },
};
const entry = (at: string, kind: TimelineEntry['kind'], text: string): TimelineEntry => ({ key: `${kind}:${at}:${text}`, at, kind, text });

describe('incident report', () => {
  it('puts the timeline in time order and every section in place', () => {
    const entries = [
      entry('2026-12-02T07:10:00.000Z', 'action', 'undo Deployment a/b: succeeded'),
      entry('2026-12-02T06:58:00.000Z', 'alert-firing', 'P1 Errors | high\nfiring'),
      entry('2026-12-02T07:00:00.000Z', 'declared', 'declared'),
      entry('2026-12-02T07:00:00.000Z', 'note', 'same second, recorded after'),
    ];
    const md = incidentReport({ incident, entries, slo: {}, now: '2026-12-02T09:00:00.000Z' });
    const rows = md.split('\n').filter((l) => l.startsWith('| 2026'));
    expect(rows).toEqual([
      '| 2026-12-02T06:58:00.000Z | alert-firing | P1 Errors \\| high firing |  |',
      '| 2026-12-02T07:00:00.000Z | declared | declared |  |',
      '| 2026-12-02T07:00:00.000Z | note | same second, recorded after |  |',
      '| 2026-12-02T07:10:00.000Z | action | undo Deployment a/b: succeeded |  |',
    ]);
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## Summary', '## Impact', '## Timeline', '## Root cause', '## Contributing factors', '## Lessons learned', '## Action items']);
    expect(md).toContain('**Duration:** 1 h 30 min');
    expect(md).toContain('- [ ] Add a canary');
    expect(md).toContain('## Contributing factors\n\n_Not written yet._');
  });

  it('budget burned is consumed at resolve minus at declare, per SLO; unknown when either end lacks a figure', () => {
    const burned = budgetBurned({
      declared: [{ service: 'gw', slo: 'availability', title: 'gw availability', consumed: 0.1 }, { service: 'gw', slo: 'latency', title: 'gw latency', consumed: null }],
      resolved: [{ service: 'gw', slo: 'availability', title: 'gw availability', consumed: 0.35 }, { service: 'gw', slo: 'latency', title: 'gw latency', consumed: 0.2 }],
    });
    expect(burned[0].title).toBe('gw: gw availability');
    expect(burned[0].burned).toBeCloseTo(0.25, 10);
    expect(burned[1]).toMatchObject({ title: 'gw: gw latency', burned: null });
    const md = incidentReport({ incident, entries: [], slo: { declared: [{ service: 'gw', slo: 'availability', title: 'gw availability', consumed: 0.1 }], resolved: [{ service: 'gw', slo: 'availability', title: 'gw availability', consumed: 0.35 }] }, now: incident.resolvedAt! });
    expect(md).toContain('  - gw: gw availability: 25.00%');
    expect(formatDuration(59_000)).toBe('59 s');
    expect(formatDuration(61_000)).toBe('1 min');
  });
});
