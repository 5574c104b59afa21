// The war room's pure rules: which panel comes next, when the screen is stale and since when,
// firing alerts by P-level, rollouts in progress, the clock. No React, no network: unit-tested.
import type { WorkloadSummary } from '../../../shared/contract/rollouts';

export const PANELS = ['incident', 'alerts', 'gpu', 'slo', 'rollouts'] as const;
export type PanelId = (typeof PANELS)[number];

export const PANEL_TITLES: Record<PanelId, string> = {
  incident: 'Incident',
  alerts: 'Firing alerts',
  gpu: 'GPU utilization, last 15 minutes',
  slo: 'SLO burn',
  rollouts: 'Rollouts in progress',
};

/** The panel after `current`, wrapping; a pinned panel stays. */
export function nextPanel(current: PanelId, pinned: PanelId | undefined): PanelId {
  if (pinned) return pinned;
  return PANELS[(PANELS.indexOf(current) + 1) % PANELS.length];
}

export interface StaleInput {
  now: number;
  /** When the last poll round brought any data (undefined before the first). */
  lastGoodAt?: number;
  /** When data stopped: set by a failed round, cleared by a good one. */
  failingSince?: number;
  link: { state: 'connecting' | 'open' | 'closed'; since: number };
  /** The context's own staleness (clusters.status staleSince, ISO). */
  clusterStaleSince?: string;
  /** Silence longer than this is stale even when nothing has failed (a hung server). */
  staleAfterMs: number;
}

/**
 * Since when the screen shows old data (ms since epoch), or undefined while fresh. The time given
 * is that of the last good data, which is what the room needs: "what I see is from hh:mm".
 */
export function staleSince(input: StaleInput): number | undefined {
  const { now, lastGoodAt, failingSince, link, clusterStaleSince, staleAfterMs } = input;
  const candidates: number[] = [];
  if (link.state === 'closed') candidates.push(lastGoodAt ?? link.since);
  if (failingSince !== undefined) candidates.push(lastGoodAt ?? failingSince);
  if (lastGoodAt !== undefined && now - lastGoodAt > staleAfterMs) candidates.push(lastGoodAt);
  if (clusterStaleSince) {
    const ms = Date.parse(clusterStaleSince);
    if (Number.isFinite(ms)) candidates.push(ms);
  }
  return candidates.length ? Math.min(...candidates) : undefined;
}

/** hh:mm in the screen's local time (24-hour). */
export function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function clockText(ms: number): string {
  return `${hhmm(ms)}:${String(new Date(ms).getSeconds()).padStart(2, '0')}`;
}

interface GroupLike {
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  active: number;
}

/** Firing (active, not silenced or inhibited) alerts per P-level, P1 first. */
export function firingByPriority(groups: readonly GroupLike[]): Record<GroupLike['priority'], number> {
  const counts = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const g of groups) counts[g.priority] += g.active;
  return counts;
}

/** Workloads mid-rollout (not done) or failing, failing first. */
export function rolloutsInProgress(workloads: readonly WorkloadSummary[]): WorkloadSummary[] {
  return workloads
    .filter((w) => !w.progress.done || w.progress.failed || w.failure !== undefined)
    .sort((a, b) => Number(Boolean(b.failure || b.progress.failed)) - Number(Boolean(a.failure || a.progress.failed)) || a.name.localeCompare(b.name));
}

/** Reads a positive number of milliseconds from the page's query (test-shortened timers), else the default. */
export function msParam(search: string, name: string, fallback: number, min = 200): number {
  const value = Number(new URLSearchParams(search).get(name));
  return Number.isFinite(value) && value >= min ? value : fallback;
}

/** Whether this page is the full-screen war room (`/warroom`, with or without a trailing slash). */
export function isWarRoomPath(pathname: string): boolean {
  return /^\/warroom\/?$/.test(pathname);
}
