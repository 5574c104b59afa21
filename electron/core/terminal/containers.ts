// A pod's containers for the exec picker, and the one kubectl would pick: the container named by
// the `kubectl.kubernetes.io/default-container` annotation when it exists, else the first.
import type { z } from 'zod';
import type { containerInfoSchema } from '../../../shared/contract/terminal.js';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: { running?: object; waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
}

export interface PodLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { containers?: { name: string }[] };
  status?: { containerStatuses?: ContainerStatus[] };
}

export type ContainerInfo = z.infer<typeof containerInfoSchema>;

export function podContainers(pod: PodLike): { containers: ContainerInfo[]; defaultContainer?: string } {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const containers = (pod.spec?.containers ?? []).map(({ name }) => {
    const status = statuses.get(name);
    return { name, ready: status?.ready === true, state: stateOf(status) };
  });
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const defaultContainer = containers.find((c) => c.name === annotated)?.name ?? containers[0]?.name;
  return defaultContainer === undefined ? { containers } : { containers, defaultContainer };
}

function stateOf(status: ContainerStatus | undefined): string {
  const state = status?.state;
  if (state?.running) return 'running';
  if (state?.waiting) return state.waiting.reason ? `waiting: ${state.waiting.reason}` : 'waiting';
  if (state?.terminated) return state.terminated.reason ? `terminated: ${state.terminated.reason}` : 'terminated';
  return 'unknown';
}
