// Callers asking for the same answer while it is being computed share that computation. At a cold
// start the Rollouts view's stream and the header badge's problems.list both ask for the context's
// workload list while its caches sync: each then summarized every workload (and asked Prometheus
// about every live canary) once more for the same objects.

export function sharedFlight<T>(): (key: string, compute: () => Promise<T>) => Promise<T> {
  const flying = new Map<string, Promise<T>>();
  return (key, compute) => {
    const running = flying.get(key);
    if (running) return running;
    const started = compute().finally(() => {
      if (flying.get(key) === started) flying.delete(key);
    });
    flying.set(key, started);
    return started;
  };
}
