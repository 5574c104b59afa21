// A log target -> the pod query the API server answers (a field selector for one pod, the label
// selector for a selector or a workload's spec.selector), and a pod -> its containers' states.
import type { KubeConfig } from '@kubernetes/client-node';
import { ContractError } from '../../../shared/contract-kit.js';
import type { LogSourceInfo, LogTarget } from '../../../shared/contract/logs.js';
import type { KubeObject } from '../../../shared/model/kube.js';
import { formatLabelSelector, type LabelSelectorObject } from '../../../shared/model/label-selector.js';
import { getJson, KINDS, KubeError, objectPath } from '../kube/index.js';
import type { ContainerNow } from './container-stream.js';

export interface ResolvedTarget {
  /** `labelSelector=…` or `fieldSelector=…`, encoded for a pods list or watch. */
  query: string;
  /** The label selector, for a selector or workload target. */
  selector?: string;
}

export async function resolveTarget(kc: KubeConfig, namespace: string, target: LogTarget): Promise<ResolvedTarget> {
  if (target.kind === 'pod') return { query: `fieldSelector=${encodeURIComponent(`metadata.name=${target.pod}`)}` };
  if (target.kind === 'selector') return { query: `labelSelector=${encodeURIComponent(target.selector)}`, selector: target.selector };
  const info = KINDS[target.workloadKind];
  let workload: KubeObject;
  try {
    workload = await getJson<KubeObject>(kc, objectPath(info, namespace, target.name));
  } catch (error) {
    if (error instanceof KubeError && error.status === 404) {
      throw new ContractError('not_found', `${target.workloadKind} ${namespace}/${target.name} was not found${info.optional ? ' (or Argo Rollouts is not installed)' : ''}.`);
    }
    throw kubeContractError(error);
  }
  const selector = formatLabelSelector((workload.spec as { selector?: LabelSelectorObject } | undefined)?.selector);
  if (!selector) throw new ContractError('invalid_request', `${target.workloadKind} ${namespace}/${target.name} has no pod selector.`);
  return { query: `labelSelector=${encodeURIComponent(selector)}`, selector };
}

/** A Kubernetes failure as the contract's error, with the API's own message. */
export function kubeContractError(error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  if (!(error instanceof KubeError)) return new ContractError('internal', error instanceof Error ? error.message : String(error));
  const code = error.status === 0 ? 'upstream_unavailable' : error.status === 400 || error.status === 422 ? 'invalid_request' : error.status === 403 ? 'forbidden' : error.status === 404 ? 'not_found' : 'upstream_error';
  return new ContractError(code, error.detail);
}

interface ContainerSpec {
  name: string;
}
interface ContainerStatus {
  name: string;
  restartCount?: number;
  containerID?: string;
  state?: { running?: unknown; waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: unknown };
}
interface PodShape {
  spec?: { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; nodeName?: string; restartPolicy?: string };
  status?: { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

/** The containers a follow reads from a pod: the named one (init containers too), else every app container. */
export function containersOf(pod: KubeObject, container: string | undefined): { name: string; init: boolean }[] {
  const shape = pod as unknown as PodShape;
  const app = (shape.spec?.containers ?? []).map((c) => ({ name: c.name, init: false }));
  if (container === undefined) return app;
  const init = (shape.spec?.initContainers ?? []).map((c) => ({ name: c.name, init: true }));
  return [...app, ...init].filter((c) => c.name === container);
}

const statusOf = (pod: KubeObject, container: string): ContainerStatus | undefined => {
  const status = (pod as unknown as PodShape).status;
  return [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])].find((s) => s.name === container);
};

/** What a container is doing now, as the log stream needs it (instance = which run of it). */
export function containerNow(pod: KubeObject | undefined, container: string): ContainerNow {
  if (!pod) return { kind: 'gone' };
  const cs = statusOf(pod, container);
  const instance = cs?.containerID ?? `restart-${cs?.restartCount ?? 0}`;
  if (cs?.state?.running) return { kind: 'running', instance };
  if (cs?.state?.terminated) {
    const shape = pod as unknown as PodShape;
    const policy = shape.spec?.restartPolicy ?? 'Always';
    const finished = shape.status?.phase === 'Succeeded' || shape.status?.phase === 'Failed';
    const restarts = !finished && (policy === 'Always' || (policy === 'OnFailure' && cs.state.terminated.exitCode !== 0));
    return { kind: 'terminated', instance, restarts };
  }
  return { kind: 'waiting', reason: cs?.state?.waiting?.reason ?? 'ContainerCreating', instance };
}

export function sourceInfo(pod: KubeObject, container: { name: string; init: boolean }): LogSourceInfo {
  const shape = pod as unknown as PodShape;
  const cs = statusOf(pod, container.name);
  const state = cs?.state?.running ? 'running' : cs?.state?.terminated ? 'terminated' : 'waiting';
  const reason = cs?.state?.waiting?.reason ?? cs?.state?.terminated?.reason ?? (cs ? undefined : 'ContainerCreating');
  return {
    pod: pod.metadata.name,
    container: container.name,
    init: container.init,
    phase: shape.status?.phase ?? 'Pending',
    state,
    reason,
    restarts: cs?.restartCount ?? 0,
    node: shape.spec?.nodeName,
    hasPrevious: !!cs?.lastState?.terminated,
  };
}
