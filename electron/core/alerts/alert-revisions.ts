// Recent answers per context, so a caller that holds one gets only the groups that changed: with
// 5,000 alerts a refresh then carries (and validates, and parses) a few groups, not megabytes.
import { randomBytes } from 'node:crypto';
import type { AlertGroup } from '../../../shared/model/alert.js';

interface Snapshot {
  revision: string;
  signatures: Map<string, string>;
}

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
      const signatures = new Map(groups.map((g) => [g.key, JSON.stringify(g)]));
      const snapshots = byContext.get(context) ?? [];
      const previous = since ? snapshots.find((s) => s.revision === since) : undefined;
      const revision = `${prefix}-${++counter}`;
      byContext.set(context, [...snapshots, { revision, signatures }].slice(-KEPT));
      if (!previous) return { revision, delta: false, groups, removed: [], order: [] };
      const changed = groups.filter((g) => previous.signatures.get(g.key) !== signatures.get(g.key));
      const removed = [...previous.signatures.keys()].filter((key) => !signatures.has(key));
      return { revision, delta: true, groups: changed, removed, order: groups.map((g) => g.key) };
    },
  };
}
