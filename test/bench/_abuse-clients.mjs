// Worker for test/bench/abuse.ts and test/integration/browser-mode-flood.test.ts: the abusive
// clients on their own thread, so the well-behaved client's latencies are not skewed by them.
//   {type:'flood', url, connections, subscriptions, stream, params} -> {type:'flooded', ...counts}
//   {type:'hostile', url, seconds, parallel}                        -> {type:'hostiled', ...counts}
import { parentPort } from 'node:worker_threads';
import WebSocket from 'ws';

const open = (url) =>
  new Promise((resolve) => {
    const ws = new WebSocket(url);
    const socket = { ws, frames: 0, events: 0, errors: {}, closed: false, refusedUpgrade: false };
    socket.done = new Promise((done) => ws.on('close', () => ((socket.closed = true), done())));
    // A close frame from the server counts: a socket dropped for a limit is not read any more.
    Object.defineProperty(socket, 'closing', { get: () => socket.closed || ws.readyState !== WebSocket.OPEN });
    ws.on('message', (m) => {
      socket.frames++;
      const frame = JSON.parse(m.toString());
      if (frame.op === 'event') socket.events++;
      else socket.errors[frame.error?.code] = (socket.errors[frame.error?.code] ?? 0) + 1;
    });
    ws.on('error', () => undefined);
    ws.on('unexpected-response', () => ((socket.refusedUpgrade = true), (socket.closed = true), resolve(socket)));
    ws.on('open', () => resolve(socket));
  });

const tick = () => new Promise((r) => setImmediate(r));

async function flood({ url, connections, subscriptions, stream, params }) {
  const sockets = await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const socket = await open(url);
      // All of them, like a client that ignores answers; ws drops what is sent after the server's close.
      let sentWhileOpen = 0;
      for (let i = 0; i < subscriptions && !socket.closed; i++) {
        if (!socket.closing) sentWhileOpen++;
        socket.ws.send(JSON.stringify({ op: 'subscribe', id: `f${c}-${i}`, stream, params }));
        if (i % 500 === 0) await tick();
      }
      await Promise.race([socket.done, new Promise((r) => setTimeout(r, 5_000))]);
      socket.ws.terminate();
      return { sent: sentWhileOpen, events: socket.events, errors: socket.errors, closedByServer: socket.closing };
    }),
  );
  return { type: 'flooded', sockets };
}

/** Hostile frames, deterministic: JSON that is no message, binary, invalid UTF-8, huge frames. */
function* hostileFrames(seed) {
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const makers = [
    () => 'null',
    () => String(Math.floor(random() * 1e9)),
    () => '[]',
    () => '"' + 'x'.repeat(200_000) + '"',
    () => '{',
    () => JSON.stringify({ op: 'subscribe', id: {}, stream: 'clusters.status' }),
    () => JSON.stringify({ op: 'subscribe', id: 'p', stream: 'clusters.status', params: null }),
    () => JSON.stringify({ op: 'explode', id: 's' }),
    () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))),
    () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
    () => ' '.repeat((1 << 20) - 10) + 'null',
    () => 'y'.repeat((1 << 20) + 1),
  ];
  for (;;) {
    const kind = Math.floor(random() * makers.length);
    yield { data: makers[kind](), binary: kind === 8 };
  }
}

async function hostile({ url, seconds, parallel }) {
  const counts = { frames: 0, answered: 0, closes: 0, refusedUpgrades: 0 };
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: parallel }, async (_, p) => {
      const frames = hostileFrames(1000 + p);
      let socket;
      while (Date.now() < until) {
        if (!socket || socket.closing) {
          if (socket) {
            counts.closes++;
            socket.ws.terminate();
          }
          socket = await open(url);
          if (socket.refusedUpgrade) {
            counts.refusedUpgrades++;
            await new Promise((r) => setTimeout(r, 10));
            continue;
          }
        }
        const before = socket.frames;
        const frame = frames.next().value;
        socket.ws.send(frame.data, { binary: frame.binary });
        counts.frames++;
        const started = Date.now();
        while (socket.frames === before && !socket.closing && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 1));
        if (socket.frames > before) counts.answered++;
      }
      socket?.ws.terminate();
    }),
  );
  return { type: 'hostiled', ...counts };
}

parentPort.on('message', async (message) => {
  if (message.type === 'flood') parentPort.postMessage(await flood(message));
  if (message.type === 'hostile') parentPort.postMessage(await hostile(message));
});
