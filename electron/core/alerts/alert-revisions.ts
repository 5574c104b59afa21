// Recent answers per context, so a caller that holds one gets only the groups that changed: with
// 5,000 alerts a refresh then carries (and validates, and parses) a few groups, not megabytes.
import { randomBytes } from 'node:crypto';
import type { AlertGroup } from '../../../shared/model/alert.js';
import { jsonEqual } from '../../../shared/model/json-equal.js';

interface Snapshot {
  revision: string;
  groups: AlertGroup[];
  /** The groups by key, made when a delta first needs it: callers that never ask for deltas (the problem badge) never pay. */
  byKey?: Map<string, AlertGroup>;
}

const byKeyOf = (snapshot: Snapshot): Map<string, AlertGroup> => (snapshot.byKey ??= new Map(snapshot.groups.map((g) => [g.key, g])));

export interface RevisionedAnswer {
  revision: string;
  delta: boolean;
  groups: AlertGroup[];
  removed: string[];
  order: string[];
}

/**
 * Snapshots kept per context: a few callers (windows, war-room screens) each find theirs between
 * the problem badge's polls (every 5 s, each one a snapshot). They share their alert objects, so
 * one costs its group objects only.
 */
const KEPT = 8;

export function createAlertRevisions() {
  const byContext = new Map<string, Snapshot[]>();
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;

  return {
    answer(context: string, groups: AlertGroup[], since: string | undefined): RevisionedAnswer {
      const snapshots = byContext.get(context) ?? [];
      const previous = since ? snapshots.find((s) => s.revision === since) : undefined;
      const revision = `${prefix}-${++counter}`;
      // Kept by reference: the groups are this call's own and nobody writes to an answer (callers,
      // the redactor and the serializer only read; unchanged alerts are shared between answers).
      const current: Snapshot = { revision, groups };
      byContext.set(context, [...snapshots, current].slice(-KEPT));
      if (!previous) return { revision, delta: false, groups, removed: [], order: [] };
      // Compared by content, not by serializing both answers (5,000 alerts: megabytes of JSON per
      // delta before): an unchanged group is one walk of values that are equal, a changed one stops early.
      const before = byKeyOf(previous);
      const now = byKeyOf(current);
      const changed = groups.filter((g) => !jsonEqual(before.get(g.key), g));
      const removed = [...before.keys()].filter((key) => !now.has(key));
      return { revision, delta: true, groups: changed, removed, order: groups.map((g) => g.key) };
    },
  };
}
