// Worker for test/bench/demo-fleet.ts: the watchers, as real clients run them: `watchers`
// @kubernetes/client-node informers (list, then watch; their own parsing, caches and relists), each
// with its own KubeConfig, all on pods labelled `selector`. Records when each informer first saw
// change `seq` (the marker annotation's value), in epoch ms.
import { parentPort, workerData } from 'node:worker_threads';
import * as k8s from '@kubernetes/client-node';

const { kubeconfig, watchers, marker, selector } = workerData;
const epochNow = () => performance.timeOrigin + performance.now();

/** @type {{ informer: k8s.Informer<k8s.V1Pod>, arrivals: Float64Array, events: number, errors: number }[]} */
let states = [];
let totalSeqs = 0;

async function startInformers() {
  states = await Promise.all(
    Array.from({ length: watchers }, async () => {
      const kc = new k8s.KubeConfig();
      kc.loadFromString(kubeconfig);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const informer = k8s.makeInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces({ labelSelector: selector }), selector);
      const state = { informer, arrivals: new Float64Array(0), events: 0, errors: 0 };
      const seen = (pod) => {
        state.events++;
        const seq = Number(pod.metadata?.annotations?.[marker]);
        if (Number.isInteger(seq) && seq >= 0 && seq < totalSeqs && Number.isNaN(state.arrivals[seq])) state.arrivals[seq] = epochNow();
      };
      informer.on('update', seen);
      informer.on('add', seen);
      // An informer restarts its watch by itself (relisting on 410): count the errors, keep going.
      informer.on('error', () => {
        state.errors++;
        setTimeout(() => void informer.start().catch(() => undefined), 200);
      });
      await informer.start();
      return state;
    }),
  );
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'start') {
    const t0 = performance.now();
    await startInformers();
    parentPort.postMessage({ type: 'started', ms: performance.now() - t0 });
  } else if (msg.type === 'expect') {
    // The sequence numbers about to be written (arrivals reset).
    totalSeqs = msg.seqs;
    for (const s of states) s.arrivals = new Float64Array(totalSeqs).fill(NaN);
    parentPort.postMessage({ type: 'expecting' });
  } else if (msg.type === 'collect') {
    // Wait until every informer saw every change, or the deadline.
    const deadline = performance.now() + msg.waitMs;
    const complete = (s) => s.arrivals.every((a) => !Number.isNaN(a));
    while (performance.now() < deadline && !states.every(complete)) await new Promise((r) => setTimeout(r, 50));
    parentPort.postMessage({
      type: 'collected',
      arrivals: states.map((s) => s.arrivals),
      events: states.map((s) => s.events),
      errors: states.reduce((sum, s) => sum + s.errors, 0),
    });
  } else if (msg.type === 'client-node-list') {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const t0 = performance.now();
    const list = await core.listPodForAllNamespaces();
    parentPort.postMessage({ type: 'listed', ms: performance.now() - t0, items: list.items.length });
  } else if (msg.type === 'stop') {
    for (const s of states) await s.informer.stop();
    process.exit(0);
  }
});
