// A bare SPDY/3.1 exec client for the demo-fleet tests: it does what kubectl's spdystream does on
// the wire (upgrade, one stream per channel with a `streamtype` header, FIN to half-close), and
// also what kubectl never does (garbage, bogus stream types, vanishing), to pin server behaviour.
import tls from 'node:tls';
import type { Frame } from '../../electron/demo/api/spdy/frames.js';
import { FLAG_FIN, FrameReader, encodeFrame } from '../../electron/demo/api/spdy/frames.js';
import { HeaderCompressor, HeaderDecompressor } from '../../electron/demo/api/spdy/headers.js';

export interface UpgradeReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawSpdyClient {
  readonly frames: Frame[] = [];
  /** Data per stream id, and which streams the server half-closed. */
  readonly data = new Map<number, Buffer>();
  readonly finished = new Set<number>();
  readonly replied = new Set<number>();
  closed = false;
  private readonly reader = new FrameReader();
  private readonly deflater = new HeaderCompressor();
  private readonly inflater = new HeaderDecompressor();
  private nextId = 1;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: tls.TLSSocket, readonly reply: UpgradeReply) {}

  /** Connects, sends the exec upgrade request and reads the HTTP reply head (and body if not 101). */
  static async open(apiUrl: string, token: string, path: string, protocols: string[]): Promise<RawSpdyClient> {
    const u = new URL(apiUrl);
    const socket = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', () => resolve());
      socket.once('error', reject);
    });
    const lines = [`POST ${path} HTTP/1.1`, `Host: ${u.host}`, `Authorization: Bearer ${token}`, 'Connection: Upgrade', 'Upgrade: SPDY/3.1', 'Content-Length: 0'];
    for (const p of protocols) lines.push(`X-Stream-Protocol-Version: ${p}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    let buf = Buffer.alloc(0);
    const { head, rest } = await new Promise<{ head: string; rest: Buffer }>((resolve, reject) => {
      const onData = (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        resolve({ head: buf.subarray(0, end).toString('latin1'), rest: buf.subarray(end + 4) });
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error(`connection closed before the upgrade reply: ${buf.toString()}`)));
    });
    const [statusLine, ...headerLines] = head.split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of headerLines) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const status = Number(statusLine.split(' ')[1]);
    let body = '';
    if (status !== 101) {
      body = rest.toString();
      const want = Number(headers['content-length'] ?? 0);
      while (Buffer.byteLength(body) < want) {
        body += await new Promise<string>((resolve) => socket.once('data', (c: Buffer) => resolve(c.toString())));
      }
    }
    const client = new RawSpdyClient(socket, { status, headers, body });
    if (status === 101) {
      socket.on('data', (c: Buffer) => client.receive(c));
      if (rest.length) client.receive(rest);
    }
    socket.on('close', () => {
      client.closed = true;
      client.wake();
    });
    return client;
  }

  /** Opens a stream of the given type and returns its id (odd, as a client's must be). */
  async openStream(streamtype: string, fin = false): Promise<number> {
    const id = this.nextId;
    this.nextId += 2;
    const headerBlock = await this.deflater.compress(new Map([['streamtype', [streamtype]]]));
    this.socket.write(encodeFrame({ kind: 'synStream', flags: fin ? FLAG_FIN : 0, streamId: id, associatedTo: 0, priority: 0, headerBlock }));
    return id;
  }

  send(id: number, data: Buffer | string, fin = false): void {
    this.socket.write(encodeFrame({ kind: 'data', streamId: id, flags: fin ? FLAG_FIN : 0, data: Buffer.from(data) }));
  }

  ping(id: number): void {
    this.socket.write(encodeFrame({ kind: 'ping', id }));
  }

  raw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  text(id: number): string {
    return (this.data.get(id) ?? Buffer.alloc(0)).toString('utf8');
  }

  /** Resolves when `ok()` holds, or rejects after `ms` with what was seen so far. */
  async until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ok()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; frames seen: ${this.frames.map((f) => f.kind).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
    this.deflater.close();
    this.inflater.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private receive(chunk: Buffer): void {
    for (const f of this.reader.push(chunk)) {
      this.frames.push(f);
      if (f.kind === 'synReply') {
        // Keep the zlib context in step even though the reply headers are empty.
        void this.inflater.decompress(f.headerBlock).catch(() => undefined);
        this.replied.add(f.streamId);
      } else if (f.kind === 'data') {
        this.data.set(f.streamId, Buffer.concat([this.data.get(f.streamId) ?? Buffer.alloc(0), f.data]));
        if (f.flags & FLAG_FIN) this.finished.add(f.streamId);
      }
    }
    this.wake();
  }
}
