// Recent answers per context, so a caller that holds one gets only the groups that changed: with
// 5,000 alerts a refresh then carries (and validates, and parses) a few groups, not megabytes.
import { randomBytes } from 'node:crypto';
import type { AlertGroup } from '../../../shared/model/alert.js';

interface Snapshot {
  revision: string;
  groups: AlertGroup[];
  /** Each group's serialized form, made when a delta first needs it: callers that never ask for deltas (the problem badge) never pay. */
  signatures?: Map<string, string>;
}

/** Serializing 5,000 alerts takes tens of ms: a full answer (the view's first paint) never waits on it. */
const signaturesOf = (snapshot: Snapshot): Map<string, string> => (snapshot.signatures ??= new Map(snapshot.groups.map((g) => [g.key, JSON.stringify(g)])));

export interface RevisionedAnswer {
  revision: string;
  delta: boolean;
  groups: AlertGroup[];
  removed: string[];
  order: string[];
}

/** Snapshots kept per context: a few callers (windows, war-room screens) each find theirs. */
const KEPT = 4;

export function createAlertRevisions() {
  const byContext = new Map<string, Snapshot[]>();
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;

  return {
    answer(context: string, groups: AlertGroup[], since: string | undefined): RevisionedAnswer {
      const snapshots = byContext.get(context) ?? [];
      const previous = since ? snapshots.find((s) => s.revision === since) : undefined;
      const revision = `${prefix}-${++counter}`;
      // Kept by reference: the groups are this call's own, and callers only read them (the contract's check copies them).
      const current: Snapshot = { revision, groups };
      byContext.set(context, [...snapshots, current].slice(-KEPT));
      if (!previous) return { revision, delta: false, groups, removed: [], order: [] };
      const before = signaturesOf(previous);
      const signatures = signaturesOf(current);
      const changed = groups.filter((g) => before.get(g.key) !== signatures.get(g.key));
      const removed = [...before.keys()].filter((key) => !signatures.has(key));
      return { revision, delta: true, groups: changed, removed, order: groups.map((g) => g.key) };
    },
  };
}
