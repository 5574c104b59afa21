// Worker for test/bench/demo-fleet.ts: the client side (50 raw watchers, a client-node list) on
// its own thread, so the server thread's figures are not skewed by client parsing.
import http from 'node:http';
import https from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

const { apiUrl, token, ca, watchers, marker } = workerData;
const plain = apiUrl.startsWith('http:');
const agent = plain ? new http.Agent({ keepAlive: true, maxSockets: 200 }) : new https.Agent({ ca, keepAlive: true, maxSockets: 200 });
let seqNeedle;
let totalSeqs = 0;

const SEAM = 48;

/** Records the first arrival of each change marker that starts before `startsBefore` in `buf`. */
function seqsIn(state, buf, at, startsBefore) {
  for (let i = buf.indexOf(seqNeedle); i >= 0 && i < startsBefore; i = buf.indexOf(seqNeedle, i + 1)) {
    let seq = 0;
    let j = i + seqNeedle.length;
    for (; j < buf.length && buf[j] >= 48 && buf[j] <= 57; j++) seq = seq * 10 + buf[j] - 48;
    if (j < buf.length && buf[j] === 34 && seq >= state.nextSeq && seq < totalSeqs) {
      state.arrivals[seq] = at;
      state.nextSeq = seq + 1;
    }
  }
}

function openWatch(rv) {
  return new Promise((resolve, reject) => {
    // arrivals[seq]: when (epoch ms) this watcher first saw change `seq` (changes arrive in order).
    const state = { count: 0, last: 0, req: undefined, arrivals: new Float64Array(totalSeqs).fill(NaN), nextSeq: 0, carry: undefined };
    const req = (plain ? http : https).get(`${apiUrl}/api/v1/pods?watch=1&resourceVersion=${rv}`, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch answered ${res.statusCode}`));
      // Count events by their newline terminators on raw bytes (cheap), and note when the last
      // change produced arrives, so one thread can keep up with 50 streams.
      res.on('data', (chunk) => {
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) state.count++;
        state.last = performance.now();
        const at = performance.timeOrigin + state.last;
        // A marker cut by the chunk boundary: search the seam (previous tail + this head) first.
        if (state.carry) seqsIn(state, Buffer.concat([state.carry, chunk.subarray(0, SEAM)]), at, state.carry.length);
        seqsIn(state, chunk, at, chunk.length);
        state.carry = chunk.subarray(Math.max(0, chunk.length - SEAM));
      });
      resolve(state);
    });
    state.req = req;
    req.on('error', () => undefined);
  });
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'watch') {
    seqNeedle = Buffer.from(`"${marker}":"`);
    totalSeqs = msg.finalSeq + 1;
    const states = await Promise.all(Array.from({ length: watchers }, () => openWatch(msg.rv)));
    parentPort.postMessage({ type: 'watching' });
    parentPort.once('message', async (m) => {
      const deadline = performance.now() + m.waitMs;
      while (performance.now() < deadline && states.some((s) => s.nextSeq < totalSeqs)) await new Promise((r) => setTimeout(r, 20));
      for (const s of states) s.req.destroy();
      parentPort.postMessage({ type: 'counts', counts: states.map((s) => s.count), complete: states.filter((s) => s.nextSeq >= totalSeqs).length, lastAt: Math.max(...states.map((s) => s.last)) + performance.timeOrigin, arrivals: states.map((s) => s.arrivals) });
    });
  } else if (msg.type === 'client-node-list') {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromString(msg.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const t0 = performance.now();
    const list = await core.listPodForAllNamespaces();
    parentPort.postMessage({ type: 'listed', ms: performance.now() - t0, items: list.items.length });
  } else if (msg.type === 'stop') {
    agent.destroy();
    process.exit(0);
  }
});
