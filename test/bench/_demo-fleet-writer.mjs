// Worker for test/bench/demo-fleet.ts: the writer, a client of the demo's HTTPS API on its own
// thread (so the server thread's figures are its own). Patches the marker annotation of the target
// pods, change `seq` on pod `seq % pods.length`, at `rate` changes/s for `seconds` (catching up
// when late, stopping at `seconds` whatever was sent), at most `inFlight` requests at once, over
// one keep-alive agent.
import https from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

const { apiUrl, token, ca, namespace, pods, marker, rate, seconds, inFlight: maxInFlight } = workerData;
const agent = new https.Agent({ ca, keepAlive: true, maxSockets: maxInFlight });

function patch(name, seq) {
  const body = Buffer.from(JSON.stringify({ metadata: { annotations: { [marker]: String(seq) } } }));
  return new Promise((resolve) => {
    const req = https.request(
      `${apiUrl}/api/v1/namespaces/${namespace}/pods/${name}`,
      { method: 'PATCH', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/merge-patch+json', 'Content-Length': String(body.length), Accept: 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
        res.on('error', () => resolve(false));
      },
    );
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

const total = Math.round(rate * seconds);
let sent = 0;
let ok = 0;
let failed = 0;
let inFlight = 0;
const started = performance.now();
await new Promise((resolve) => {
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    for (; sent < due && inFlight < maxInFlight; sent++) {
      inFlight++;
      void patch(pods[sent % pods.length], sent).then((accepted) => {
        inFlight--;
        if (accepted) ok++;
        else failed++;
      });
    }
    // The run lasts `seconds`: a server that cannot take `rate` shows it in produced/s.
    if (sent >= total || performance.now() - started > seconds * 1000) {
      clearInterval(tick);
      resolve();
    }
  }, 2);
});
while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
parentPort.postMessage({ type: 'written', sent, ok, failed, ms: performance.now() - started });
agent.destroy();
