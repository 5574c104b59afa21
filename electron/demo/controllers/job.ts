// Job controller (pkg/controller/job), the parts a training fleet shows: pods up to parallelism,
// succeeded / failed counting, backoffLimit, Complete and Failed conditions, completion time.
import type { KubeObject, StoreEvent } from '../store.js';
import { controllerRef } from './cache.js';
import { podFromTemplate } from './builders.js';
import { type Controller, type ControllerContext, mutateIfChanged, nsName, splitKey, terminatePod, podChangeMatters } from './context.js';
import { isPodReady, statusOf } from './pod-status.js';
import type { PodTemplate } from './template.js';

const JOB = 'jobs.batch';
const SOURCE = { component: 'job-controller' };

interface JobSpec {
  completionMode?: string;
  podReplacementPolicy?: string;
  parallelism?: number;
  completions?: number | null;
  backoffLimit?: number;
  suspend?: boolean;
  manualSelector?: boolean;
  selector?: { matchLabels?: Record<string, string> };
  template: PodTemplate;
}

interface JobCondition {
  type: string;
  status: string;
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** The labels the apiserver adds to a Job's selector and template (batch/v1 job strategy). */
export function jobLabels(job: KubeObject): Record<string, string> {
  const uid = job.metadata.uid ?? '';
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'controller-uid': uid,
    'job-name': job.metadata.name,
  };
}

/** Fills in selector and template labels when the API layer did not (returns true if it changed). */
export function completeJobSpec(job: KubeObject): boolean {
  const spec = job.spec as JobSpec;
  if (spec.manualSelector) return false;
  const labels = jobLabels(job);
  const uidLabel = 'batch.kubernetes.io/controller-uid';
  if (spec.selector?.matchLabels?.[uidLabel] === labels[uidLabel] && spec.template.metadata?.labels?.[uidLabel] === labels[uidLabel]) return false;
  spec.selector = { matchLabels: { [uidLabel]: labels[uidLabel] } };
  spec.template.metadata = { ...(spec.template.metadata ?? {}), labels: { ...(spec.template.metadata?.labels ?? {}), ...labels } };
  spec.parallelism ??= 1;
  if (spec.completions === undefined) spec.completions = 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  return true;
}

export function podForJob(job: KubeObject, name: string): KubeObject {
  const spec = job.spec as JobSpec;
  return podFromTemplate(job, spec.template, {
    name,
    generateName: `${job.metadata.name}-`,
    extraLabels: jobLabels(job),
    restartPolicy: 'Never',
  });
}

export class JobController implements Controller {
  readonly name = 'job';

  constructor(private readonly ctx: ControllerContext) {}

  start(): void {
    for (const job of this.ctx.cache.all(JOB)) this.ctx.queue.add(this.name, nsName(job));
  }

  stop(): void {}

  onEvent(event: StoreEvent): void {
    if (event.resource === JOB) this.ctx.queue.add(this.name, nsName(event.object));
    else if (event.resource === 'pods' && podChangeMatters(event)) {
      const owner = controllerRef(event.object);
      if (owner?.kind === 'Job') this.ctx.queue.add(this.name, `${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const { cache, store, clock, events, rng } = this.ctx;
    const job = cache.get(JOB, namespace, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const draft = JSON.parse(JSON.stringify(job)) as KubeObject;
    if (completeJobSpec(draft)) {
      mutateIfChanged(store, JOB, namespace, name, (obj) => {
        obj.spec = draft.spec;
      });
      return;
    }
    const spec = job.spec as JobSpec;
    const prev = (job.status ?? {}) as Record<string, unknown>;
    const conditions = ((prev.conditions as JobCondition[]) ?? []).map((c) => ({ ...c }));
    const finished = conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const pods = cache.ownedBy(job.metadata.uid, 'pods');
    const active = pods.filter((p) => !p.metadata.deletionTimestamp && statusOf(p).phase !== 'Succeeded' && statusOf(p).phase !== 'Failed');
    const succeeded = Math.max(Number(prev.succeeded ?? 0), pods.filter((p) => statusOf(p).phase === 'Succeeded').length);
    const failed = Math.max(Number(prev.failed ?? 0), pods.filter((p) => statusOf(p).phase === 'Failed').length);
    const completions = spec.completions === null ? 1 : (spec.completions ?? 1);
    const parallelism = spec.parallelism ?? 1;
    const backoffLimit = spec.backoffLimit ?? 6;
    const now = clock.iso();
    const addCondition = (type: string, reason?: string, message?: string) => {
      if (conditions.some((c) => c.type === type)) return;
      conditions.push({ type, status: 'True', lastProbeTime: now, lastTransitionTime: now, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });
    };
    let completionTime = prev.completionTime as string | undefined;

    if (!finished) {
      if (succeeded >= completions) {
        addCondition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods');
        addCondition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods');
        completionTime = now;
        events.record(job, 'Normal', 'Completed', 'Job completed', SOURCE);
      } else if (failed > backoffLimit) {
        for (const p of active) terminatePod(this.ctx, p);
        addCondition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
        addCondition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
        events.record(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', SOURCE);
      } else if (!spec.suspend) {
        const want = Math.min(parallelism, completions - succeeded) - active.length;
        for (let i = 0; i < want; i++) {
          let podName = '';
          do podName = `${name}-${rng.suffix()}`;
          while (cache.get('pods', namespace, podName));
          const pod = podForJob(job, podName);
          pod.metadata.creationTimestamp = now;
          store.create('pods', pod);
          events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${podName}`, SOURCE);
        }
      }
    }
    const stillActive = conditions.some((c) => c.type === 'Failed') ? 0 : active.length;
    mutateIfChanged(store, JOB, namespace, name, (obj) => {
      const status: Record<string, unknown> = {};
      if (conditions.length) status.conditions = conditions;
      status.startTime = prev.startTime ?? now;
      if (completionTime) status.completionTime = completionTime;
      if (stillActive) status.active = stillActive;
      if (succeeded) status.succeeded = succeeded;
      if (failed) status.failed = failed;
      status.terminating = pods.filter((p) => p.metadata.deletionTimestamp).length;
      status.uncountedTerminatedPods = {};
      status.ready = active.filter(isPodReady).length;
      obj.status = status;
    }, { subresource: 'status' });
  }
}
