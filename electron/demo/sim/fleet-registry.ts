// Per-store facts the simulation needs where its callers pass only the store (exec sessions, log
// streams, scenario hooks): the fleet's seed and clock, and the running kubelet simulation.
import type { DemoClock } from '../clock.js';
import type { ObjectStore } from '../store.js';

export interface KubeletHooks {
  killContainer(namespace: string, pod: string, container: string | undefined, exitCode: number, reason: string): boolean;
  setContainerReady(namespace: string, pod: string, container: string | undefined, ready: boolean): boolean;
}

/** Where scenario faults live (the metrics' FaultRegistry fits): logs show the same 5xx spikes. */
export interface ErrorFaults {
  errorFault(namespace: string, service: string, images: readonly string[]): { errorRatio: number; latencyFactor?: number } | undefined;
  /** The XID a GPU of a node reports now (0 = none): device plugin and exporter logs say so. */
  xidOf?(node: string, gpu: number): number;
}

interface FleetFacts {
  seed?: number;
  clock?: DemoClock;
  kubelet?: KubeletHooks;
  faults?: ErrorFaults;
}

const facts = new WeakMap<ObjectStore, FleetFacts>();

export function registerFleet(store: ObjectStore, update: FleetFacts): void {
  const current = facts.get(store) ?? {};
  facts.set(store, { ...current, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) });
}

export function unregisterKubelet(store: ObjectStore, kubelet: KubeletHooks): void {
  const current = facts.get(store);
  if (current?.kubelet === kubelet) facts.set(store, { ...current, kubelet: undefined });
}

/** The seed a store's fleet was built with (log lines and GPU identities derive from it). */
export function fleetSeed(store: ObjectStore): number {
  return facts.get(store)?.seed ?? 1;
}

/** The simulated clock a store's fleet runs on. */
export function fleetClock(store: ObjectStore): DemoClock | undefined {
  return facts.get(store)?.clock;
}

/** Lets pod logs follow the scenario's error faults (call with the fleet's FaultRegistry). */
export function setLogFaults(store: ObjectStore, faults: ErrorFaults | undefined): void {
  const current = facts.get(store) ?? {};
  facts.set(store, { ...current, faults });
}

export function fleetFaults(store: ObjectStore): ErrorFaults | undefined {
  return facts.get(store)?.faults;
}

export function fleetKubelet(store: ObjectStore): KubeletHooks | undefined {
  return facts.get(store)?.kubelet;
}
