// Deployment controller (pkg/controller/deployment: sync.go, rolling.go, recreate.go, progress.go):
// one ReplicaSet per pod template, revisions, rolling updates within maxSurge / maxUnavailable,
// rollback by template, pause, history trimming, status counts and the Available / Progressing
// conditions, including ProgressDeadlineExceeded.
import type { KubeObject, StoreEvent } from '../store.js';
import { controllerRef } from './cache.js';
import {
  CHANGE_CAUSE,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  REVISION,
  REVISION_HISTORY,
  copiedAnnotations,
  deploymentSpec,
  replicaSetFor,
  surgeAndUnavailable,
} from './builders.js';
import { type Controller, type ControllerContext, mutateIfChanged, nsName, splitKey } from './context.js';
import { computeTemplateHash, templateKey, templateOf } from './template.js';

const RS = 'replicasets.apps';
const DEPLOY = 'deployments.apps';
const SOURCE = { component: 'deployment-controller' };

interface DeployCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

interface DeployStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeployCondition[];
  collisionCount?: number;
}

const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
const specReplicas = (rs: KubeObject) => ((rs.spec as { replicas?: number }).replicas ?? 0);
const rsStatus = (rs: KubeObject) => (rs.status ?? {}) as { replicas?: number; readyReplicas?: number; availableReplicas?: number };
const sum = (list: KubeObject[], f: (rs: KubeObject) => number) => list.reduce((n, rs) => n + f(rs), 0);

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly deadlines = new Map<string, () => void>();

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const d of this.ctx.cache.all(DEPLOY)) this.ctx.queue.add(this.name, nsName(d));
  }

  stop(): void {
    for (const cancel of this.deadlines.values()) cancel();
    this.deadlines.clear();
  }

  onEvent(event: StoreEvent): void {
    if (event.resource === DEPLOY) this.ctx.queue.add(this.name, nsName(event.object));
    else if (event.resource === RS) {
      const owner = controllerRef(event.object) ?? (event.old && controllerRef(event.old));
      if (owner?.kind === 'Deployment') this.ctx.queue.add(this.name, `${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const d = this.ctx.cache.get(DEPLOY, namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = deploymentSpec(d);
    const all = this.ctx.cache.ownedBy(d.metadata.uid, RS).filter((rs) => !rs.metadata.deletionTimestamp);
    const wantedKey = templateKey(spec.template);
    const matching = all
      .filter((rs) => templateKey(templateOf(rs)) === wantedKey)
      .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    let newRS: KubeObject | undefined = matching[0];
    const olds = all.filter((rs) => rs !== newRS);
    const maxOldRevision = olds.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    let created = false;

    if (spec.paused) {
      // A paused deployment only scales; template changes wait for resume.
      if (newRS && olds.every((rs) => specReplicas(rs) === 0)) this.scale(d, newRS, spec.replicas ?? 1);
      this.writeStatus(d, newRS, olds, false);
      return;
    }

    if (!newRS) {
      newRS = this.createNewRS(d, maxOldRevision + 1, olds);
      if (!newRS) return;
      created = true;
    } else {
      newRS = this.syncRevision(d, newRS, maxOldRevision) ?? newRS;
    }
    this.setDeploymentRevision(d, newRS);

    if (spec.strategy?.type === 'Recreate') this.recreate(d, newRS, olds);
    else this.rolling(d, newRS, olds);

    const fresh = this.ctx.cache.get(RS, namespace, newRS.metadata.name) ?? newRS;
    const freshOlds = olds.map((rs) => this.ctx.cache.get(RS, namespace, rs.metadata.name)).filter((x): x is KubeObject => !!x);
    if (this.isComplete(d, fresh, freshOlds)) this.trimHistory(d, freshOlds);
    this.writeStatus(d, fresh, freshOlds, created);
  }

  private createNewRS(d: KubeObject, revision: number, olds: KubeObject[]): KubeObject | undefined {
    const spec = deploymentSpec(d);
    const status = (d.status ?? {}) as DeployStatus;
    const hash = computeTemplateHash(spec.template, status.collisionCount);
    const rsName = `${d.metadata.name}-${hash}`;
    const clash = this.ctx.cache.get(RS, d.metadata.namespace, rsName);
    if (clash) {
      // Same name, different template or owner: bump collisionCount and try again (sync.go).
      mutateIfChanged(this.ctx.store, DEPLOY, d.metadata.namespace, d.metadata.name, (obj) => {
        const st = (obj.status ??= {}) as DeployStatus;
        st.collisionCount = (st.collisionCount ?? 0) + 1;
      }, { subresource: 'status' });
      return undefined;
    }
    const replicas = spec.replicas ?? 1;
    const { maxSurge } = surgeAndUnavailable(d);
    let initial = 0;
    if (spec.strategy?.type !== 'Recreate') {
      const current = sum(olds, specReplicas);
      initial = Math.max(0, Math.min(replicas + maxSurge - current, replicas));
    }
    const fresh = replicaSetFor(d, hash, revision, initial);
    fresh.metadata.creationTimestamp = this.ctx.clock.iso();
    const rs = this.ctx.store.create(RS, fresh);
    if (initial > 0) this.scaledEvent(d, rs, 0, initial);
    return rs;
  }

  /** Gives a reused ReplicaSet (rollback, or a template set back) the next revision and history. */
  private syncRevision(d: KubeObject, rs: KubeObject, maxOldRevision: number): KubeObject | undefined {
    const spec = deploymentSpec(d);
    const { maxSurge } = surgeAndUnavailable(d);
    return mutateIfChanged(this.ctx.store, RS, rs.metadata.namespace, rs.metadata.name, (obj) => {
      const ann = (obj.metadata.annotations ??= {});
      const current = Number(ann[REVISION] ?? 0) || 0;
      const next = maxOldRevision + 1;
      if (current < next) {
        if (ann[REVISION]) ann[REVISION_HISTORY] = ann[REVISION_HISTORY] ? `${ann[REVISION_HISTORY]},${ann[REVISION]}` : ann[REVISION];
        ann[REVISION] = String(next);
      }
      for (const [k, v] of Object.entries(copiedAnnotations(d))) ann[k] = v;
      if (!d.metadata.annotations?.[CHANGE_CAUSE]) delete ann[CHANGE_CAUSE];
      ann[DESIRED_REPLICAS] = String(spec.replicas ?? 1);
      ann[MAX_REPLICAS] = String((spec.replicas ?? 1) + maxSurge);
    });
  }

  private setDeploymentRevision(d: KubeObject, newRS: KubeObject): void {
    const revision = newRS.metadata.annotations?.[REVISION];
    if (!revision || d.metadata.annotations?.[REVISION] === revision) return;
    mutateIfChanged(this.ctx.store, DEPLOY, d.metadata.namespace, d.metadata.name, (obj) => {
      (obj.metadata.annotations ??= {})[REVISION] = revision;
    });
  }

  private rolling(d: KubeObject, newRS: KubeObject, olds: KubeObject[]): void {
    const replicas = deploymentSpec(d).replicas ?? 1;
    const { maxSurge, maxUnavailable } = surgeAndUnavailable(d);
    // reconcileNewReplicaSet
    const newReplicas = specReplicas(newRS);
    if (newReplicas > replicas) {
      newRS = this.scale(d, newRS, replicas);
    } else if (newReplicas < replicas) {
      const current = newReplicas + sum(olds, specReplicas);
      const up = Math.min(replicas + maxSurge - current, replicas - newReplicas);
      if (up > 0) newRS = this.scale(d, newRS, newReplicas + up);
    }
    // reconcileOldReplicaSets
    const oldTotal = sum(olds, specReplicas);
    if (oldTotal === 0) return;
    const allTotal = specReplicas(newRS) + oldTotal;
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = specReplicas(newRS) - (rsStatus(newRS).availableReplicas ?? 0);
    let budget = allTotal - minAvailable - newUnavailable;
    if (budget <= 0) return;
    // First drop old pods that are not available anyway (cleanupUnhealthyReplicas).
    const byAge = [...olds].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    const remaining = new Map(byAge.map((rs) => [rs.metadata.name, specReplicas(rs)]));
    for (const rs of byAge) {
      if (budget <= 0) break;
      const have = remaining.get(rs.metadata.name) ?? 0;
      const unhealthy = have - (rsStatus(rs).availableReplicas ?? 0);
      if (have === 0 || unhealthy <= 0) continue;
      const cut = Math.min(budget, unhealthy);
      remaining.set(rs.metadata.name, have - cut);
      budget -= cut;
    }
    // Then scale down available old pods while availability stays above the minimum.
    const availableAll = (rsStatus(newRS).availableReplicas ?? 0) + sum(olds, (rs) => Math.min(rsStatus(rs).availableReplicas ?? 0, remaining.get(rs.metadata.name) ?? 0));
    let scaleDown = availableAll - minAvailable;
    for (const rs of byAge) {
      if (scaleDown <= 0) break;
      const have = remaining.get(rs.metadata.name) ?? 0;
      if (have === 0) continue;
      const cut = Math.min(have, scaleDown);
      remaining.set(rs.metadata.name, have - cut);
      scaleDown -= cut;
    }
    for (const rs of byAge) {
      const target = remaining.get(rs.metadata.name) ?? 0;
      if (target !== specReplicas(rs)) this.scale(d, rs, target);
    }
  }

  private recreate(d: KubeObject, newRS: KubeObject, olds: KubeObject[]): void {
    for (const rs of olds) if (specReplicas(rs) > 0) this.scale(d, rs, 0);
    const oldPods = olds.some((rs) => this.ctx.cache.ownedBy(rs.metadata.uid, 'pods').length > 0);
    if (!oldPods) this.scale(d, newRS, deploymentSpec(d).replicas ?? 1);
  }

  private scale(d: KubeObject, rs: KubeObject, to: number): KubeObject {
    const from = specReplicas(rs);
    const spec = deploymentSpec(d);
    const { maxSurge } = surgeAndUnavailable(d);
    const updated = mutateIfChanged(this.ctx.store, RS, rs.metadata.namespace, rs.metadata.name, (obj) => {
      (obj.spec as { replicas: number }).replicas = to;
      const ann = (obj.metadata.annotations ??= {});
      ann[DESIRED_REPLICAS] = String(spec.replicas ?? 1);
      ann[MAX_REPLICAS] = String((spec.replicas ?? 1) + maxSurge);
    });
    if (from !== to) this.scaledEvent(d, rs, from, to);
    return updated ?? rs;
  }

  private scaledEvent(d: KubeObject, rs: KubeObject, from: number, to: number): void {
    const dir = to > from ? 'up' : 'down';
    this.ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} to ${to} from ${from}`, SOURCE);
  }

  private isComplete(d: KubeObject, newRS: KubeObject, olds: KubeObject[]): boolean {
    const replicas = deploymentSpec(d).replicas ?? 1;
    const st = rsStatus(newRS);
    return (
      specReplicas(newRS) === replicas &&
      (st.replicas ?? 0) === replicas &&
      (st.availableReplicas ?? 0) >= replicas &&
      olds.every((rs) => specReplicas(rs) === 0 && (rsStatus(rs).replicas ?? 0) === 0)
    );
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit (cleanupDeployment). */
  private trimHistory(d: KubeObject, olds: KubeObject[]): void {
    const limit = deploymentSpec(d).revisionHistoryLimit ?? 10;
    const idle = olds.filter((rs) => specReplicas(rs) === 0 && (rsStatus(rs).replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      if (this.ctx.store.get(RS, rs.metadata.namespace, rs.metadata.name)) this.ctx.store.delete(RS, rs.metadata.namespace, rs.metadata.name);
    }
  }

  private writeStatus(d: KubeObject, newRS: KubeObject | undefined, olds: KubeObject[], created: boolean): void {
    const spec = deploymentSpec(d);
    const replicas = spec.replicas ?? 1;
    const all = newRS ? [newRS, ...olds] : olds;
    const { maxUnavailable } = surgeAndUnavailable(d);
    const available = sum(all, (rs) => rsStatus(rs).availableReplicas ?? 0);
    const total = sum(all, specReplicas);
    const prev = (d.status ?? {}) as DeployStatus;
    const next: DeployStatus = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: sum(all, (rs) => rsStatus(rs).replicas ?? 0),
      updatedReplicas: newRS ? (rsStatus(newRS).replicas ?? 0) : 0,
      readyReplicas: sum(all, (rs) => rsStatus(rs).readyReplicas ?? 0),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
    };
    // The API omits zero counts (omitempty), and so do we, or every sync would look like a change.
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) if (!next[k]) delete next[k];
    if (prev.collisionCount !== undefined) next.collisionCount = prev.collisionCount;
    const now = this.ctx.clock.iso();
    const conditions = (prev.conditions ?? []).map((c) => ({ ...c }));
    const set = (type: string, status: DeployCondition['status'], reason: string, message: string, touch = true) => {
      const existing = conditions.find((c) => c.type === type);
      if (existing && existing.status === status && existing.reason === reason && existing.message === message && !touch) return;
      const cond: DeployCondition = {
        type,
        status,
        lastUpdateTime: now,
        lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : now,
        reason,
        message,
      };
      if (existing) Object.assign(existing, cond);
      else conditions.push(cond);
    };
    if (available >= replicas - maxUnavailable) set('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', false);
    else set('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', false);

    const progressing = conditions.find((c) => c.type === 'Progressing');
    const rsName = newRS?.metadata.name ?? '';
    const deadline = spec.progressDeadlineSeconds;
    const key = nsName(d);
    this.deadlines.get(key)?.();
    this.deadlines.delete(key);
    if (spec.paused) {
      if (progressing?.reason !== 'DeploymentPaused') set('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused');
    } else if (progressing?.reason === 'DeploymentPaused') {
      set('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed');
    } else if (newRS && this.isComplete(d, newRS, olds) && next.observedGeneration === d.metadata.generation) {
      set('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, false);
    } else if (created) {
      set('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`);
    } else if (!progressing) {
      set('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${rsName}"`);
    } else if (
      (next.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) ||
      (next.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) ||
      available > (prev.availableReplicas ?? 0) ||
      (prev.replicas ?? 0) - (prev.updatedReplicas ?? 0) > (next.replicas ?? 0) - (next.updatedReplicas ?? 0) ||
      (progressing.reason === 'NewReplicaSetAvailable' && progressing.message !== `ReplicaSet "${rsName}" has successfully progressed.`)
    ) {
      set('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`);
    } else if (deadline !== undefined && progressing.reason !== 'NewReplicaSetAvailable' && progressing.reason !== 'ProgressDeadlineExceeded') {
      const due = Date.parse(progressing.lastUpdateTime) + deadline * 1000;
      const left = due - this.ctx.clock.now();
      if (left <= 0) {
        set('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`);
      } else {
        this.deadlines.set(key, this.ctx.clock.after(left + 1, () => {
          this.deadlines.delete(key);
          this.ctx.queue.add(this.name, key);
        }));
      }
    }
    // A fresh "progressing" stamp also needs a deadline timer.
    const after = conditions.find((c) => c.type === 'Progressing');
    if (deadline !== undefined && after && !this.deadlines.has(key) && (after.reason === 'ReplicaSetUpdated' || after.reason === 'NewReplicaSetCreated' || after.reason === 'FoundNewReplicaSet' || after.reason === 'DeploymentResumed')) {
      const left = Date.parse(after.lastUpdateTime) + deadline * 1000 - this.ctx.clock.now();
      this.deadlines.set(key, this.ctx.clock.after(Math.max(0, left) + 1, () => {
        this.deadlines.delete(key);
        this.ctx.queue.add(this.name, key);
      }));
    }
    next.conditions = conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
    mutateIfChanged(this.ctx.store, DEPLOY, d.metadata.namespace, d.metadata.name, (obj) => {
      obj.status = next;
    }, { subresource: 'status' });
  }
}
