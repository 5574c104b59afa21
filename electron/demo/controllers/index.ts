// The demo fleet's control plane: every simulated controller, fed incrementally by store events.
// `startControllers` is the only door; hooks for scenarios are re-exported here too.
import type { DemoClock } from '../clock.js';
import type { ObjectStore } from '../store.js';
import { createRandom } from '../random.js';
import { StoreCache } from './cache.js';
import type { Controller, ControllerContext } from './context.js';
import { DaemonSetController } from './daemonset.js';
import { DeploymentController } from './deployment.js';
import { EndpointsController } from './endpoints.js';
import { EventRecorder } from './events.js';
import { GarbageCollector } from './gc.js';
import { JobController } from './job.js';
import { Kubelet } from './kubelet.js';
import { WorkQueue } from './queue.js';
import { ReplicaSetController } from './replicaset.js';
import { Scheduler } from './scheduler.js';
import { StatefulSetController } from './statefulset.js';
import { registerFleet, unregisterKubelet } from '../sim/fleet-registry.js';
export { setLogFaults, type ErrorFaults } from '../sim/fleet-registry.js';

export { setNodeReady } from './nodes.js';
export { killContainer, setContainerReady } from './hooks.js';
export { setImageBehaviour, resetImageBehaviours, imageBehaviour, type ImageBehaviour } from '../sim/behaviour.js';
export { GPU_DEVICES_ANNOTATION } from './placement.js';
export { SIM_DURATION_ANNOTATION } from './kubelet.js';

export interface RunningControllers {
  stop(): void;
  /** Runs pending syncs now (tests). */
  flush(): void;
  /** Errors syncs threw (most recent 100), for tests and debugging. */
  readonly errors: { controller: string; key: string; error: unknown }[];
}

export function startControllers(store: ObjectStore, clock: DemoClock, opts: { seed?: number } = {}): RunningControllers {
  const queue = new WorkQueue();
  const cache = new StoreCache(store);
  const ctx: ControllerContext = {
    store,
    clock,
    cache,
    queue,
    events: new EventRecorder(store, clock),
    rng: createRandom((opts.seed ?? 1) ^ 0x5eed),
  };
  const kubelet = new Kubelet(ctx);
  registerFleet(store, { clock, kubelet });
  const controllers: Controller[] = [
    new Scheduler(ctx),
    kubelet,
    new ReplicaSetController(ctx),
    new DeploymentController(ctx),
    new StatefulSetController(ctx),
    new DaemonSetController(ctx),
    new JobController(ctx),
    new EndpointsController(ctx),
    new GarbageCollector(ctx),
  ];
  for (const c of controllers) queue.register(c.name, (key) => c.sync(key));
  const unsubscribe = store.subscribe((event) => {
    cache.apply(event);
    for (const c of controllers) c.onEvent(event);
  });
  for (const c of controllers) c.start();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      unregisterKubelet(store, kubelet);
      queue.stop();
      for (const c of controllers) c.stop();
    },
    flush: () => queue.flush(1000, Infinity),
    errors: queue.errors,
  };
}
