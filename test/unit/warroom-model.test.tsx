// The war room's rules: rotation and pinning, when the wall says STALE and since when, firing
// counts per P-level, which rollouts are "in progress", the timers a URL may shorten, the route.
import { describe, expect, it } from 'vitest';
import type { WorkloadSummary } from '../../shared/contract/rollouts';
import { firingByPriority, hhmm, isWarRoomPath, msParam, nextPanel, PANELS, rolloutsInProgress, staleSince, type PanelId } from '../../renderer/views/warroom/warroom-model';

const open = { state: 'open' as const, since: 0 };

describe('war-room rotation', () => {
  it('advances through every panel and wraps', () => {
    let panel: PanelId = PANELS[0];
    const seen: PanelId[] = [panel];
    for (let i = 1; i < PANELS.length; i++) seen.push((panel = nextPanel(panel, undefined)));
    expect(new Set(seen).size).toBe(PANELS.length);
    expect(nextPanel(PANELS[PANELS.length - 1], undefined)).toBe(PANELS[0]);
  });
  it('stays on a pinned panel', () => {
    expect(nextPanel('alerts', 'gpu')).toBe('gpu');
    expect(nextPanel('gpu', 'gpu')).toBe('gpu');
  });
});

describe('war-room staleness', () => {
  const base = { now: 100_000, lastGoodAt: 95_000, link: open, staleAfterMs: 15_000 };
  it('is fresh while rounds succeed and the link is open', () => {
    expect(staleSince(base)).toBeUndefined();
  });
  it('is stale from the last good data when the link closes', () => {
    expect(staleSince({ ...base, link: { state: 'closed', since: 98_000 } })).toBe(95_000);
  });
  it('is stale when a round brought nothing', () => {
    expect(staleSince({ ...base, failingSince: 99_000 })).toBe(95_000);
    expect(staleSince({ ...base, lastGoodAt: undefined, failingSince: 99_000 })).toBe(99_000);
  });
  it('is stale when nothing came for longer than staleAfterMs (a hung server), and not before', () => {
    expect(staleSince({ ...base, now: 95_000 + 15_000 })).toBeUndefined();
    expect(staleSince({ ...base, now: 95_000 + 15_001 })).toBe(95_000);
  });
  it('takes the cluster’s own staleSince when it is earlier', () => {
    expect(staleSince({ ...base, clusterStaleSince: new Date(60_000).toISOString() })).toBe(60_000);
  });
  it('prints hh:mm in local time', () => {
    const d = new Date(2026, 11, 2, 7, 5, 59);
    expect(hhmm(d.getTime())).toBe('07:05');
  });
});

describe('war-room panels’ data', () => {
  it('counts only firing alerts per P-level', () => {
    expect(firingByPriority([{ priority: 'P1', active: 2 }, { priority: 'P3', active: 1 }, { priority: 'P1', active: 0 }])).toEqual({ P1: 2, P2: 0, P3: 1, P4: 0 });
  });
  it('lists rollouts not done or failing, failing first', () => {
    const w = (name: string, done: boolean, failed = false) => ({ name, progress: { done, failed, message: '', fraction: done ? 1 : 0.5 } }) as WorkloadSummary;
    expect(rolloutsInProgress([w('settled', true), w('b-moving', false), w('a-failing', true, true)]).map((x) => x.name)).toEqual(['a-failing', 'b-moving']);
  });
  it('reads test-shortened timers from the query, refusing nonsense', () => {
    expect(msParam('?rotate=1500&token=x', 'rotate', 15_000)).toBe(1_500);
    expect(msParam('?rotate=abc', 'rotate', 15_000)).toBe(15_000);
    expect(msParam('?rotate=5', 'rotate', 15_000)).toBe(15_000);
    expect(msParam('', 'rotate', 15_000)).toBe(15_000);
  });
  it('recognises the full-screen route', () => {
    expect(isWarRoomPath('/warroom')).toBe(true);
    expect(isWarRoomPath('/warroom/')).toBe(true);
    expect(isWarRoomPath('/')).toBe(false);
    expect(isWarRoomPath('/warroomx')).toBe(false);
  });
});
