// GET …/pods/P/log: checks the container the way the kubelet path does, then streams the
// simulation's lines as chunked text/plain (held open while following).
import type { ServerResponse } from 'node:http';
import type { DemoClock } from '../clock.js';
import type { KubeObject, ObjectStore } from '../store.js';
import type { ResourceDef } from './registry.js';
import { ApiError, badRequest, notFound, statusBody } from './status.js';
import { boolParam, intParam } from './http-util.js';
import type { LogLineStream, SimHooks } from './sim-hooks.js';

/** Characters of log text per write while following. */
const WRITE_CHARS = 256 * 1024;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pods are loosely-typed JSON
type Loose = any;

/** The container a request means: `container` if given and valid, else the only one. */
export function pickContainer(pod: KubeObject, requested: string | null, allowInit = true): string {
  const p = pod as Loose;
  const names: string[] = (p.spec?.containers ?? []).map((c: Loose) => c.name);
  const inits: string[] = allowInit ? (p.spec?.initContainers ?? []).map((c: Loose) => c.name) : [];
  const name = pod.metadata.name;
  if (requested) {
    if (!names.includes(requested) && !inits.includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  if (names.length === 1) return names[0];
  const fallback = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (fallback && names.includes(fallback)) return fallback;
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`);
}

export async function handleLogs(store: ObjectStore, clock: DemoClock, sim: SimHooks, res: ServerResponse, r: ResourceDef, namespace: string, name: string, q: URLSearchParams): Promise<void> {
  const pod = store.get('pods', namespace, name);
  if (!pod) throw notFound(r, name);
  const container = pickContainer(pod, q.get('container'));
  const previous = boolParam(q.get('previous'));
  const statuses: Loose[] = [...((pod as Loose).status?.containerStatuses ?? []), ...((pod as Loose).status?.initContainerStatuses ?? [])];
  const st = statuses.find((s) => s.name === container);
  if (previous && !st?.lastState?.terminated) {
    throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  }
  if (!previous && (!st || (st.state?.waiting && !st.lastState?.terminated))) {
    const reason = st?.state?.waiting?.reason ?? 'ContainerCreating';
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
  }
  if (!sim.podLogStream) {
    throw new ApiError(statusBody(503, 'ServiceUnavailable', 'pod logs are not available: the demo fleet was started without its workload simulation'));
  }
  const tailLines = intParam(q, 'tailLines');
  const sinceSeconds = intParam(q, 'sinceSeconds');
  if (sinceSeconds !== undefined && sinceSeconds < 1) throw badRequest('PodLogOptions "" is invalid: sinceSeconds: Invalid value: must be greater than 0');
  if (tailLines !== undefined && tailLines < 0) throw badRequest('PodLogOptions "" is invalid: tailLines: Invalid value: must be greater than or equal to 0');
  const sinceTimeText = q.get('sinceTime');
  const sinceTime = sinceTimeText ? Date.parse(sinceTimeText) : undefined;
  if (sinceTimeText && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTimeText) || Number.isNaN(sinceTime))) {
    throw badRequest(`parsing time "${sinceTimeText}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTimeText}" as "2006"`);
  }
  if (sinceTime !== undefined && sinceSeconds !== undefined) throw badRequest('PodLogOptions "" is invalid: sinceSeconds: Forbidden: at most one of sinceTime or sinceSeconds may be specified');
  let stream: LogLineStream;
  try {
    stream = sim.podLogStream(store, clock, pod, {
      container,
      follow: boolParam(q.get('follow')),
      tailLines,
      sinceSeconds,
      // The API takes whole seconds (metav1.Time): a follower re-attaching gets that second again.
      sinceTime: sinceTime === undefined ? undefined : Math.floor(sinceTime / 1000) * 1000,
      timestamps: boolParam(q.get('timestamps')),
      previous,
    });
  } catch (e) {
    // The simulation throws the kubelet's own message when there is nothing to show: a 400, as
    // the apiserver relays kubelet errors.
    throw badRequest((e as Error).message);
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let closed = false;
  res.on('close', () => {
    closed = true;
    void stream.return();
  });
  try {
    while (!closed) {
      // Whatever has queued since the last write goes out as one chunk (a fast writer's backlog).
      const next = await stream.nextChunk(WRITE_CHARS);
      if (next.done || closed) break;
      if (!res.write(next.value)) {
        await new Promise<void>((resolve) => {
          // Both listeners go once either fires: a fast follower waits for drain thousands of times.
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
      }
    }
  } finally {
    if (!res.writableEnded) res.end();
  }
}
