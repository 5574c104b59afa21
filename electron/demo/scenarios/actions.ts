// What each scenario step does to the fleet: through the store (the same merge patches
// `kubectl argo rollouts` sends, node conditions through the controllers' setNodeReady hook) and
// through the metrics fault registry (XIDs, 5xx, exporters going silent).
import { setNodeReady } from '../controllers/nodes.js';
import type { DemoClock } from '../clock.js';
import type { FaultRegistry } from '../metrics/faults.js';
import { mix, hashString } from '../metrics/noise.js';
import { parseDuration } from '../metrics/rules.js';
import type { KubeObject, ObjectStore } from '../store.js';
import type { ScenarioStep } from './schema.js';

const ROLLOUTS = 'rollouts.argoproj.io';

export interface ActionContext {
  store: ObjectStore;
  clock: DemoClock;
  faults: FaultRegistry;
  seed: number;
  vars: Map<string, string>;
}

function resolveNode(ctx: ActionContext, value: string): string {
  if (!value.startsWith('$')) return value;
  const found = ctx.vars.get(value.slice(1));
  if (!found) throw new Error(`scenario step refers to ${value}, but no earlier pickNode step set it`);
  return found;
}

function gpuNodes(store: ObjectStore, pool?: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const node of store.peek('nodes')) {
    const alloc = (node.status as { allocatable?: Record<string, string> } | undefined)?.allocatable ?? {};
    if (!(Number(alloc['nvidia.com/gpu'] ?? 0) > 0)) continue;
    if (pool) {
      const labels = node.metadata.labels ?? {};
      const hay = `${node.metadata.name} ${Object.values(labels).join(' ')}`.toLowerCase();
      if (!hay.includes(pool.toLowerCase())) continue;
    }
    out.push(node);
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

function setTemplateImage(obj: KubeObject, step: { tag?: string; image?: string }): void {
  const containers = ((obj.spec as { template?: { spec?: { containers?: { image?: string }[] } } })?.template?.spec?.containers ?? []);
  const c = containers[0];
  if (!c) throw new Error(`${obj.kind} ${obj.metadata.name} has no container to change the image of`);
  if (step.image) c.image = step.image;
  else if (step.tag) {
    const image = c.image ?? '';
    const slash = image.lastIndexOf('/');
    const colon = image.lastIndexOf(':');
    c.image = `${colon > slash ? image.slice(0, colon) : image}:${step.tag}`;
  }
}

/** Applies one step; returns a line for the scenario log. */
export function applyStep(ctx: ActionContext, step: ScenarioStep): string {
  const { store, faults } = ctx;
  switch (step.action) {
    case 'pickNode': {
      const nodes = gpuNodes(store, step.pool);
      if (nodes.length === 0) throw new Error(`pickNode: no GPU node${step.pool ? ` in pool ${step.pool}` : ''} in the fleet`);
      const node = nodes[mix(ctx.seed, hashString(`pick:${step.as}:${step.pool ?? ''}`)) % nodes.length].metadata.name;
      ctx.vars.set(step.as, node);
      return `picked node ${node} as $${step.as}`;
    }
    case 'setImage': {
      const resource = step.kind === 'Rollout' ? ROLLOUTS : 'deployments.apps';
      const updated = store.mutate(resource, step.namespace, step.name, (obj) => setTemplateImage(obj, step));
      if (!updated) throw new Error(`setImage: ${step.kind} ${step.namespace}/${step.name} not found`);
      return `set image of ${step.kind} ${step.namespace}/${step.name} to ${step.image ?? `:${step.tag}`}`;
    }
    case 'imageErrors':
      faults.setImageFault(step.match, {
        errorRatio: step.errorRatio,
        latencyFactor: step.latencyFactor,
        ...(step.ramp ? { rampMs: parseDuration(step.ramp), since: ctx.clock.now() } : {}),
      });
      return `pods running images matching "${step.match}" now fail ${step.ramp ? `up to ${Math.round(step.errorRatio * 100)}% (climbing over ${step.ramp})` : `${Math.round(step.errorRatio * 100)}%`} of requests`;
    case 'clearImageErrors':
      faults.setImageFault(step.match, undefined);
      return `images matching "${step.match}" healthy again`;
    case 'serviceErrors':
      faults.setServiceFault(step.namespace, step.service, { errorRatio: step.errorRatio, latencyFactor: step.latencyFactor });
      return `${step.namespace}/${step.service} now fails ${Math.round(step.errorRatio * 100)}% of requests`;
    case 'clearServiceErrors':
      faults.setServiceFault(step.namespace, step.service, undefined);
      return `${step.namespace}/${step.service} healthy again`;
    case 'abortRollout':
      patchRolloutStatus(store, step.namespace, step.name, { abort: true });
      return `aborted rollout ${step.namespace}/${step.name}`;
    case 'promoteRollout':
      if (step.full) patchRolloutStatus(store, step.namespace, step.name, { promoteFull: true });
      else patchRolloutStatus(store, step.namespace, step.name, { pauseConditions: null });
      return `promoted rollout ${step.namespace}/${step.name}${step.full ? ' (full)' : ''}`;
    case 'undoRollout':
      return undoRollout(store, step.namespace, step.name);
    case 'gpuXid': {
      const node = resolveNode(ctx, step.node);
      faults.setXid(node, step.gpu, step.xid);
      return `XID ${step.xid} on GPU ${step.gpu} of ${node}`;
    }
    case 'clearXid': {
      const node = resolveNode(ctx, step.node);
      faults.clearXid(node);
      return `XIDs cleared on ${node} (GPU reset)`;
    }
    case 'gpuHot': {
      const node = resolveNode(ctx, step.node);
      faults.setHot(node, step.gpu, step.hot);
      return `GPU ${step.gpu} of ${node} ${step.hot ? 'overheating' : 'cooled down'}`;
    }
    case 'nodeNotReady':
    case 'nodeReady': {
      const node = resolveNode(ctx, step.node);
      const ready = step.action === 'nodeReady';
      if (!setNodeReady(store, node, ready, 'NodeStatusUnknown', ctx.clock.iso())) throw new Error(`${step.action}: node ${node} not found`);
      return `node ${node} ${ready ? 'Ready again' : 'NotReady (kubelet stopped posting status)'}`;
    }
    case 'exporterDown':
    case 'exporterUp': {
      const node = resolveNode(ctx, step.node);
      faults.setExporterDown(node, step.action === 'exporterDown');
      return `dcgm-exporter on ${node} ${step.action === 'exporterDown' ? 'stopped' : 'answering again'}`;
    }
  }
}

/** RFC 7386 merge of `patch` into the rollout's status, as the plugin's status patches do. */
function patchRolloutStatus(store: ObjectStore, namespace: string, name: string, patch: Record<string, unknown>): void {
  const updated = store.mutate(ROLLOUTS, namespace, name, (obj) => {
    const status = (obj.status ??= {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete status[k];
      else status[k] = v;
    }
  }, { subresource: 'status' });
  if (!updated) throw new Error(`rollout ${namespace}/${name} not found`);
}

/** `kubectl argo rollouts undo`: the previous revision's template, hash label stripped. */
function undoRollout(store: ObjectStore, namespace: string, name: string): string {
  const rollout = store.get(ROLLOUTS, namespace, name);
  if (!rollout) throw new Error(`undoRollout: rollout ${namespace}/${name} not found`);
  const revision = (o: KubeObject) => Number(o.metadata.annotations?.['rollout.argoproj.io/revision'] ?? 0);
  const current = revision(rollout);
  const owned = [...store.peek('replicasets.apps')]
    .filter((rs) => rs.metadata.namespace === namespace && rs.metadata.ownerReferences?.some((o) => o.kind === 'Rollout' && o.name === name))
    .filter((rs) => revision(rs) < current)
    .sort((a, b) => revision(b) - revision(a));
  const previous = owned[0];
  if (!previous) throw new Error(`undoRollout: rollout ${namespace}/${name} has no previous revision`);
  const template = JSON.parse(JSON.stringify((previous.spec as { template: { metadata?: { labels?: Record<string, string> } } }).template));
  delete template.metadata?.labels?.['rollouts-pod-template-hash'];
  store.mutate(ROLLOUTS, namespace, name, (obj) => {
    (obj.spec as { template: unknown }).template = template;
  });
  return `rolled ${namespace}/${name} back to revision ${revision(previous)}`;
}
