// Scenario hooks that act on running pods through the kubelet simulation of a store's fleet.
// (Node failures: setNodeReady in nodes.ts; bad images: setImageBehaviour in sim/behaviour.ts.)
import type { ObjectStore } from '../store.js';
import { fleetKubelet } from '../sim/fleet-registry.js';

/**
 * Kills a running container (default: the pod's first), e.g. `killContainer(store, 'inference',
 * pod, undefined, 137, 'OOMKilled')`; it restarts per its restartPolicy, so RESTARTS grows and
 * `logs --previous` shows the dead instance. False when no controllers run or nothing was running.
 */
export function killContainer(store: ObjectStore, namespace: string, pod: string, container?: string, exitCode = 137, reason = 'OOMKilled'): boolean {
  return fleetKubelet(store)?.killContainer(namespace, pod, container, exitCode, reason) ?? false;
}

/** Makes a running container's readiness probe pass or fail (endpoints and availability follow). */
export function setContainerReady(store: ObjectStore, namespace: string, pod: string, ready: boolean, container?: string): boolean {
  return fleetKubelet(store)?.setContainerReady(namespace, pod, container, ready) ?? false;
}
