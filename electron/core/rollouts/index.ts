// Rollouts domain (issue 7): the workload list and history, template diffs, and the action handlers
// it registers on the action road (which answers actions.available from them). The only door in.
import type { Domain } from '../domain.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { MethodHandlers, StreamHandlers } from '../contract-server.js';
import type { ActionHandler } from '../actions/index.js';
import type { ResourceCaches } from '../../../shared/model/kube.js';
import { createWorkloadReader, type WorkloadReader } from './workload-reader.js';
import { createRolloutActionHandlers } from './rollout-actions.js';
import { listWorkloads, revisionDiff, workloadHistory, type WorkloadList } from './rollouts-reads.js';
import { sharedFlight } from './shared-flight.js';
import { createErrorRates, type InstantQuery } from './error-rate.js';
import { rolloutEvents } from './rollout-events.js';
import { createCanaryVerdicts, isLiveCanary, type CanaryVerdictListener } from './canary-verdicts.js';

export { createRolloutActionHandlers } from './rollout-actions.js';
export { createWorkloadReader, type WorkloadReader } from './workload-reader.js';

export interface RolloutsDeps {
  configFor(context: string): KubeConfig;
  caches?: (context: string) => ResourceCaches;
  /** Prometheus for a context when the metrics domain has one; absent = "no metrics source". */
  prometheus?: (context: string) => Promise<InstantQuery | undefined>;
  now?: () => Date;
  /** Told when a canary starts or stops failing by its error rate (Topology colours it). */
  onCanaryVerdict?: CanaryVerdictListener;
}

const CANARY_RECHECK_MS = 5_000;
const WATCHED = ['deployments', 'statefulsets', 'rollouts', 'replicasets'] as const;

type Handled = 'rollouts.list' | 'rollouts.history' | 'rollouts.diff' | 'rollouts.errorRate' | 'rollouts.events';

export interface RolloutsService {
  handlers: Pick<MethodHandlers, Handled>;
  streams: Pick<StreamHandlers, 'rollouts.watch'>;
  actionHandlers: ActionHandler<never>[];
  reader: WorkloadReader;
}

export function createRolloutsService(deps: RolloutsDeps): RolloutsService {
  const reader = createWorkloadReader({ configFor: deps.configFor, caches: deps.caches });
  const errorRates = createErrorRates(reader, deps.prometheus);
  const verdicts = createCanaryVerdicts(errorRates, { onChange: deps.onCanaryVerdict });
  const flight = sharedFlight<WorkloadList>();
  // Callers while one list is on its way get that one (read from the same caches a moment earlier).
  const judgedList = (context: string, namespace?: string) =>
    flight(JSON.stringify([context, namespace ?? null]), async () => verdicts.apply(context, await listWorkloads(reader, context, namespace), namespace));
  return {
    reader,
    actionHandlers: createRolloutActionHandlers({ reader, configFor: deps.configFor, now: deps.now }),
    handlers: {
      'rollouts.list': (req) => judgedList(req.context, req.namespace),
      'rollouts.history': async (req) => ({ revisions: await workloadHistory(reader, req.context, req.target) }),
      'rollouts.diff': (req) => revisionDiff(reader, req.context, req.target, req.from, req.to),
      'rollouts.errorRate': (req) => errorRates.forTarget(req.context, req.target),
      'rollouts.events': async (req) => {
        const problems: string[] = [];
        // A kind that cannot be read is named in problems; the other kinds' marks still show.
        const read = async (kind: 'deployments' | 'statefulsets' | 'rollouts' | 'replicasets' | 'controllerrevisions') => {
          try {
            return (await reader.list(req.context, kind, req.namespace)) ?? [];
          } catch (error) {
            problems.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
            return [];
          }
        };
        const [Deployment, StatefulSet, Rollout, replicaSets, controllerRevisions] = await Promise.all([
          read('deployments'),
          read('statefulsets'),
          read('rollouts'),
          read('replicasets'),
          read('controllerrevisions'),
        ]);
        const events = rolloutEvents({ Deployment, StatefulSet, Rollout, replicaSets, controllerRevisions }, { services: req.services, start: req.start, end: req.end });
        return { events, problems };
      },
    },
    streams: {
      'rollouts.watch': (params, emit) => {
        let last = '';
        let stopped = false;
        let timer: NodeJS.Timeout | undefined;
        // With watch caches, recompute only after a change; without, poll.
        let dirty = true;
        let caches: ResourceCaches | undefined;
        try {
          caches = deps.caches?.(params.context);
        } catch {
          // An unknown context has no caches: poll, and let listWorkloads report the problem.
        }
        const unsubscribe = caches ? WATCHED.map((kind) => caches.onChange(kind, () => (dirty = true))) : [];
        // A live canary's error rate changes without any object changing: look again now and then.
        let liveCanary = false;
        let lastLook = 0;
        const tick = async () => {
          if (liveCanary && Date.now() - lastLook >= CANARY_RECHECK_MS) dirty = true;
          if (caches && !dirty) {
            timer = setTimeout(() => void tick(), params.intervalMs);
            return;
          }
          dirty = false;
          try {
            lastLook = Date.now();
            const list = await judgedList(params.context);
            liveCanary = list.workloads.some(isLiveCanary) || list.workloads.some((w) => w.failure?.source === 'errorRate');
            const key = JSON.stringify([list.workloads, list.problems]);
            if (key !== last && !stopped) {
              last = key;
              emit(list);
            }
          } catch {
            // listWorkloads reports per-kind problems itself; a throw here means the context is gone.
          }
          if (!stopped) timer = setTimeout(() => void tick(), params.intervalMs);
        };
        void tick();
        return () => {
          stopped = true;
          clearTimeout(timer);
          for (const off of unsubscribe) off();
        };
      },
    },
  };
}

export const domain: Domain = {
  name: 'rollouts',
  create: ({ clusters, metrics }) =>
    createRolloutsService({
      configFor: (context) => clusters.configFor(context),
      caches: (context) => clusters.caches(context),
      prometheus: (context) => metrics.sources.client(context),
      // A canary failing by its error rate is red in Topology too: the Rollout, its canary ReplicaSet and pods.
      onCanaryVerdict: (context, canary, reason) => {
        try {
          const feed = clusters.topology.feed(context);
          const verdict = reason ? { h: 'failing' as const, r: reason } : undefined;
          feed.setExternalVerdict(`ro/${canary.namespace}/${canary.name}`, verdict);
          if (canary.canaryRS) feed.setExternalVerdict(`rs/${canary.namespace}/${canary.canaryRS}`, verdict);
        } catch {
          // The context left the kubeconfig: nothing to colour.
        }
      },
    }),
};
