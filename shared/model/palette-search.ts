// What the command palette finds (issue 17), pure so it can be tested: k9s-style jumps (`:deploy`,
// `:pods`, `:nodes`), views and settings, resources of every kind across namespaces, and workload
// actions ("scale ranker 3", "restart llm-gateway", "undo recommender"), ranked by fuzzy match.
import fuzzysort from 'fuzzysort';

export type PaletteGroup = 'jump' | 'view' | 'setting' | 'context' | 'action' | 'resource';

export interface PaletteEntry {
  id: string;
  group: PaletteGroup;
  label: string;
  hint?: string;
  /** What the fuzzy match reads. */
  text: string;
  /** Exact words that put this entry first (`deploy` for `:deploy`). */
  aliases?: string[];
}

export interface Jump {
  aliases: string[];
  label: string;
  view: string;
  /** Topology's table tab to show. */
  tab?: 'pods' | 'nodes' | 'workloads' | 'events';
  /** The Rollouts view's filter. */
  filter?: string;
}

/** k9s resource aliases, mapped to the place that lists those resources. */
export const JUMPS: Jump[] = [
  { aliases: ['deploy', 'deployments', 'deployment', 'dp'], label: 'Deployments', view: 'rollouts', filter: 'Deployment' },
  { aliases: ['sts', 'statefulsets', 'statefulset'], label: 'StatefulSets', view: 'rollouts', filter: 'StatefulSet' },
  { aliases: ['ro', 'rollouts', 'rollout'], label: 'Argo Rollouts', view: 'rollouts', filter: 'Rollout' },
  { aliases: ['po', 'pod', 'pods'], label: 'Pods', view: 'topology', tab: 'pods' },
  { aliases: ['no', 'node', 'nodes'], label: 'Nodes', view: 'topology', tab: 'nodes' },
  { aliases: ['wl', 'workloads', 'ds', 'daemonsets', 'jobs', 'job'], label: 'Workloads', view: 'topology', tab: 'workloads' },
  { aliases: ['ev', 'events', 'event'], label: 'Events', view: 'topology', tab: 'events' },
  { aliases: ['gpu', 'gpus'], label: 'GPUs', view: 'gpus' },
];

export const jumpEntries = (): PaletteEntry[] =>
  JUMPS.map((j) => ({ id: `jump:${j.aliases[0]}`, group: 'jump', label: `:${j.aliases[0]} — ${j.label}`, hint: j.aliases.slice(1, 3).map((a) => `:${a}`).join(' '), text: `${j.aliases.join(' ')} ${j.label}`, aliases: j.aliases }));

/** A resource as the resource tables list it (topology element kinds). */
export interface ResourceRef {
  /** Element kind: pod, node, deploy, sts, ds, job, ro, svc. */
  k: string;
  namespace?: string;
  name: string;
  /** Topology element id. */
  id: string;
  /** Desired replicas of a workload (the "a/b" ready column's b). */
  desired?: number;
}

export const KIND_WORDS: Record<string, string> = { pod: 'Pod', node: 'Node', deploy: 'Deployment', sts: 'StatefulSet', ds: 'DaemonSet', job: 'Job', ro: 'Rollout', svc: 'Service' };
/** Workload kinds the action road acts on, and what it can do to each. */
export const ACTIONS: Record<string, string[]> = {
  deploy: ['scale', 'restart', 'undo'],
  sts: ['scale', 'restart', 'undo'],
  ro: ['scale', 'restart', 'undo', 'promote', 'abort'],
};

export const resourceEntries = (resources: ResourceRef[]): PaletteEntry[] =>
  resources.map((r) => ({
    id: `res:${r.id}`,
    group: 'resource',
    label: r.name,
    hint: `${KIND_WORDS[r.k] ?? r.k}${r.namespace ? ` · ${r.namespace}` : ''}`,
    text: `${r.name} ${KIND_WORDS[r.k] ?? r.k} ${r.namespace ?? ''}`,
  }));

/** An object of any kind found by the resource browser's name index (`browser.search`). */
export interface NamedObjectRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Kinds the resource tables already list (resourceEntries): not repeated from the name index. */
const TABLE_KINDS = new Set(['pods', 'nodes', 'services', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch', 'rollouts.argoproj.io']);

/** Palette entries for objects of every other kind; the id names the kind key and namespace/name. */
export const objectEntries = (objects: NamedObjectRef[]): PaletteEntry[] =>
  objects
    .filter((o) => !TABLE_KINDS.has(o.group ? `${o.plural}.${o.group}` : o.plural))
    .map((o) => {
      const kindKey = `${o.plural}.${o.version}${o.group ? `.${o.group}` : ''}`;
      const key = o.namespace ? `${o.namespace}/${o.name}` : o.name;
      return { id: `obj:${kindKey}|${key}`, group: 'resource', label: o.name, hint: `${o.kind}${o.namespace ? ` · ${o.namespace}` : ''}`, text: `${o.name} ${o.kind} ${o.namespace ?? ''}` };
    });

/** Where an object entry opens: the Resources view on its kind, with the object selected. */
export function objectHash(entryId: string): string | undefined {
  const m = /^obj:([^|]+)\|(.+)$/.exec(entryId);
  return m ? `#/resources?kind=${encodeURIComponent(m[1])}&object=${encodeURIComponent(m[2])}` : undefined;
}

export interface PaletteAction {
  action: string;
  target: { kind: 'Deployment' | 'StatefulSet' | 'Rollout'; namespace: string; name: string };
  params: Record<string, unknown>;
  /** Scale without a count: open the workload with its replica box rather than plan a no-op. */
  needsInput?: boolean;
}

const TARGET_KIND = { deploy: 'Deployment', sts: 'StatefulSet', ro: 'Rollout' } as const;

/** "scale ranker 3": the trailing count, when the query has one. */
export function scaleCount(query: string): number | undefined {
  const m = /^\s*:?\s*scale\s+\S.*?\s(\d{1,5})\s*$/i.exec(query);
  return m ? Number(m[1]) : undefined;
}

export function actionFor(entryId: string): PaletteAction | undefined {
  const m = /^act:(\w+):(deploy|sts|ro)\/([^/]*)\/(.+?)(?::(\d+))?$/.exec(entryId);
  if (!m) return undefined;
  const [, action, k, namespace, name, count] = m;
  const target = { kind: TARGET_KIND[k as keyof typeof TARGET_KIND], namespace, name };
  if (action === 'scale') return count === undefined ? { action, target, params: {}, needsInput: true } : { action, target, params: { replicas: Number(count) } };
  if (action === 'undo') return { action, target, params: { toRevision: 0 } };
  if (action === 'promote') return { action, target, params: { full: false } };
  return { action, target, params: {} };
}

export function actionEntries(workloads: ResourceRef[], query: string): PaletteEntry[] {
  const count = scaleCount(query);
  return workloads.flatMap((w) =>
    (ACTIONS[w.k] ?? []).map((action): PaletteEntry => {
      const where = `${KIND_WORDS[w.k]} ${w.namespace}/${w.name}`;
      const scaled = action === 'scale' && count !== undefined;
      const label =
        action === 'scale' ? (scaled ? `Scale ${w.name} to ${count}` : `Scale ${w.name}…`)
        : action === 'undo' ? `Undo ${w.name} (to the previous revision)`
        : `${action[0].toUpperCase()}${action.slice(1)} ${w.name}`;
      return {
        id: `act:${action}:${w.k}/${w.namespace ?? ''}/${w.name}${scaled ? `:${count}` : ''}`,
        group: 'action',
        label,
        hint: scaled && w.desired !== undefined ? `${where} · now ${w.desired}` : where,
        text: `${action} ${w.name} ${scaled ? count : ''} ${KIND_WORDS[w.k]} ${w.namespace ?? ''}`,
      };
    }),
  );
}

/**
 * Ranks entries for a query: an exact alias first (`:pods`), then the best fuzzy matches. An empty
 * query lists views, jumps, settings and contexts (not thousands of resources).
 */
export function searchPalette(query: string, entries: PaletteEntry[], limit = 50): PaletteEntry[] {
  const q = query.trim().replace(/^:\s*/, '').toLowerCase();
  if (!q) return entries.filter((e) => e.group !== 'resource' && e.group !== 'action').slice(0, limit);
  const exact = entries.filter((e) => e.aliases?.includes(q));
  const fuzzy = fuzzysort
    .go(q, entries, { key: 'text', limit: limit * 2, threshold: 0.3 })
    .map((r) => r.obj)
    .filter((e) => !exact.includes(e));
  return [...exact, ...fuzzy].slice(0, limit);
}
