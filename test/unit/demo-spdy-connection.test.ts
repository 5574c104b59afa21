// The server end of a SPDY/3.1 connection over a real loopback socket: PING, reply ordering,
// flow control (enforced only once the peer speaks it, as kubectl's spdystream never does), our
// WINDOW_UPDATEs, and the stream-level refusals that leave the connection up.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../electron/demo/api/spdy/frames.js';
import { FLAG_FIN, FrameReader, RstStatus, SETTINGS_INITIAL_WINDOW_SIZE, encodeFrame } from '../../electron/demo/api/spdy/frames.js';
import { HeaderCompressor } from '../../electron/demo/api/spdy/headers.js';
import { SpdyConnection } from '../../electron/demo/api/spdy/connection.js';

interface Pair {
  server: SpdyConnection;
  client: net.Socket;
  frames: Frame[];
  events: string[];
  received: Map<number, string>;
  deflater: HeaderCompressor;
  until(what: string, ok: () => boolean): Promise<void>;
  open(id: number, type: string): Promise<void>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function pair(): Promise<Pair> {
  const events: string[] = [];
  const received = new Map<number, string>();
  const listener = net.createServer();
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  const accepted = new Promise<net.Socket>((r) => listener.once('connection', r));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const socket = await accepted;
  const server = new SpdyConnection(socket, {
    stream: (id, headers, fin) => events.push(`stream ${id} ${headers.get('streamtype')?.[0]}${fin ? ' fin' : ''}`),
    data: (id, data) => received.set(id, (received.get(id) ?? '') + data.toString()),
    end: (id, reset) => events.push(`${reset ? 'reset' : 'end'} ${id}`),
    close: (error) => events.push(`close${error ? `: ${error.message}` : ''}`),
  });
  const frames: Frame[] = [];
  const reader = new FrameReader();
  client.on('data', (c: Buffer) => frames.push(...reader.push(c)));
  client.on('error', () => undefined);
  const deflater = new HeaderCompressor();
  cleanups.push(() => {
    client.destroy();
    server.destroy();
    deflater.close();
    listener.close();
  });
  const until = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(frames.map((f) => f.kind))}, events: ${events.join('; ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const open = async (id: number, type: string) => {
    const headerBlock = await deflater.compress(new Map([['streamtype', [type]]]));
    client.write(encodeFrame({ kind: 'synStream', flags: 0, streamId: id, associatedTo: 0, priority: 0, headerBlock }));
    await until(`stream ${id}`, () => events.some((e) => e.startsWith(`stream ${id} `)));
  };
  return { server, client, frames, events, received, deflater, until, open };
}

const dataOn = (frames: Frame[], id: number) =>
  frames
    .filter((f): f is Extract<Frame, { kind: 'data' }> => f.kind === 'data' && f.streamId === id)
    .map((f) => f.data.toString())
    .join('');

describe('SpdyConnection', () => {
  it('echoes client PINGs (odd ids) and ignores even ones', async () => {
    const p = await pair();
    p.client.write(encodeFrame({ kind: 'ping', id: 2 }));
    p.client.write(encodeFrame({ kind: 'ping', id: 7 }));
    await p.until('the ping echo', () => p.frames.some((f) => f.kind === 'ping'));
    await new Promise((r) => setTimeout(r, 50));
    expect(p.frames.filter((f) => f.kind === 'ping')).toEqual([{ kind: 'ping', id: 7 }]);
  });

  it('sends a reply before data written right after it, and FIN last', async () => {
    const p = await pair();
    await p.open(1, 'stdout');
    p.server.reply(1);
    p.server.write(1, Buffer.from('first '));
    p.server.write(1, Buffer.from('second'));
    p.server.end(1);
    await p.until('the FIN', () => p.frames.some((f) => f.kind === 'data' && (f.flags & FLAG_FIN) !== 0));
    expect(p.frames.map((f) => f.kind)).toEqual(['synReply', 'data', 'data', 'data']);
    expect(dataOn(p.frames, 1)).toBe('first second');
    p.server.write(1, Buffer.from('after FIN'));
    await new Promise((r) => setTimeout(r, 30));
    expect(dataOn(p.frames, 1)).toBe('first second');
  });

  it('delivers peer data and FIN, and opens the window again once half of it is used', async () => {
    const p = await pair();
    await p.open(1, 'stdin');
    p.server.reply(1);
    const chunk = 'x'.repeat(20_000);
    p.client.write(encodeFrame({ kind: 'data', streamId: 1, flags: 0, data: Buffer.from(chunk) }));
    p.client.write(encodeFrame({ kind: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from(chunk) }));
    await p.until('the end of stdin', () => p.events.includes('end 1'));
    expect(p.received.get(1)).toBe(chunk + chunk);
    await p.until('window updates', () => p.frames.filter((f) => f.kind === 'windowUpdate').length === 2);
    expect(p.frames.filter((f) => f.kind === 'windowUpdate')).toEqual(
      expect.arrayContaining([
        { kind: 'windowUpdate', streamId: 1, delta: 40_000 },
        { kind: 'windowUpdate', streamId: 0, delta: 40_000 },
      ]),
    );
  });

  it('ignores send windows for a peer that never speaks flow control, honours them once it does', async () => {
    const p = await pair();
    await p.open(1, 'stdout');
    p.server.reply(1);
    const big = 'y'.repeat(100_000);
    p.server.write(1, Buffer.from(big));
    await p.until('100 kB past the 64 KiB window', () => dataOn(p.frames, 1).length === big.length);

    await p.open(3, 'stderr');
    p.server.reply(3);
    // A peer that speaks flow control acknowledges what it read (the session window) and may
    // shrink the per-stream window.
    p.client.write(encodeFrame({ kind: 'windowUpdate', streamId: 0, delta: big.length }));
    p.client.write(encodeFrame({ kind: 'settings', flags: 0, entries: [{ flags: 0, id: SETTINGS_INITIAL_WINDOW_SIZE, value: 10 }] }));
    p.client.write(encodeFrame({ kind: 'ping', id: 1 }));
    await p.until('settings applied', () => p.frames.some((f) => f.kind === 'ping'));
    p.server.write(3, Buffer.from('0123456789abcdefghij'));
    await new Promise((r) => setTimeout(r, 50));
    expect(dataOn(p.frames, 3)).toBe('');
    p.client.write(encodeFrame({ kind: 'windowUpdate', streamId: 3, delta: 10 }));
    await p.until('data once the window fits', () => dataOn(p.frames, 3) === '0123456789abcdefghij');
  });

  it('resets bad streams but keeps the connection: data on an unknown stream, even ids, too many streams', async () => {
    const p = await pair();
    p.client.write(encodeFrame({ kind: 'data', streamId: 9, flags: 0, data: Buffer.from('?') }));
    await p.until('a reset for stream 9', () => p.frames.some((f) => f.kind === 'rstStream' && f.streamId === 9));
    expect(p.frames.find((f) => f.kind === 'rstStream' && f.streamId === 9)).toMatchObject({ status: RstStatus.InvalidStream });

    const headerBlock = await p.deflater.compress(new Map([['streamtype', ['error']]]));
    p.client.write(encodeFrame({ kind: 'synStream', flags: 0, streamId: 4, associatedTo: 0, priority: 0, headerBlock }));
    await p.until('a reset for stream 4', () => p.frames.some((f) => f.kind === 'rstStream' && f.streamId === 4));
    expect(p.frames.find((f) => f.kind === 'rstStream' && f.streamId === 4)).toMatchObject({ status: RstStatus.ProtocolError });

    for (let i = 0; i < 16; i++) await p.open(11 + 2 * i, 'stdout');
    const refused = await p.deflater.compress(new Map([['streamtype', ['stdout']]]));
    p.client.write(encodeFrame({ kind: 'synStream', flags: 0, streamId: 101, associatedTo: 0, priority: 0, headerBlock: refused }));
    await p.until('a refusal for stream 101', () => p.frames.some((f) => f.kind === 'rstStream' && f.streamId === 101));
    expect(p.frames.find((f) => f.kind === 'rstStream' && f.streamId === 101)).toMatchObject({ status: RstStatus.RefusedStream });
    expect(p.server.isClosed).toBe(false);
    expect(p.events.filter((e) => e.startsWith('close'))).toEqual([]);
  });

  it('drops the connection with GOAWAY(protocol error) on an impossible frame, and reports why', async () => {
    const p = await pair();
    p.client.write(Buffer.from([0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]));
    await p.until('the close', () => p.server.isClosed);
    expect(p.events).toEqual([expect.stringMatching(/^close: SPDY version 2/)]);
    await p.until('the GOAWAY', () => p.frames.some((f) => f.kind === 'goAway'));
    expect(p.frames.find((f) => f.kind === 'goAway')).toMatchObject({ status: 1 });
  });

  it('reports a peer that vanishes, and ignores writes afterwards', async () => {
    const p = await pair();
    await p.open(1, 'stdout');
    p.client.destroy();
    await p.until('the close', () => p.server.isClosed);
    expect(() => p.server.write(1, Buffer.from('late'))).not.toThrow();
    expect(() => p.server.reply(3)).not.toThrow();
    expect(p.events.filter((e) => e.startsWith('close'))).toHaveLength(1);
  });
});
