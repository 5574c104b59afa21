// The server end of one SPDY/3.1 connection over an upgraded socket: reads frames, keeps stream
// state, answers PING, honours the peer's flow-control windows and keeps ours open, and writes
// frames in the order they were asked for (a SYN_REPLY waits for its compressed header block, and
// data queued after it must not overtake it). Anything malformed ends this connection only.
import type { Duplex } from 'node:stream';
import type { Frame } from './frames.js';
import { FLAG_FIN, FrameReader, GoAwayStatus, INITIAL_WINDOW, RstStatus, SETTINGS_INITIAL_WINDOW_SIZE, encodeFrame } from './frames.js';
import type { HeaderMap } from './headers.js';
import { HeaderCompressor, HeaderDecompressor } from './headers.js';

export interface SpdyHandlers {
  /** The peer opened a stream (SYN_STREAM); `fin` means it will send no data on it. */
  stream(id: number, headers: HeaderMap, fin: boolean): void;
  data(id: number, data: Buffer): void;
  /** The peer half-closed a stream (FIN) or reset it. */
  end(id: number, reset: boolean): void;
  /** The connection is gone; `error` says why when it was not a clean close. */
  close(error?: Error): void;
}

interface StreamState {
  remoteDone: boolean;
  localDone: boolean;
  sendWindow: number;
  /** Data (and a final FIN) waiting for the peer to open its window. */
  queued: { data: Buffer; fin: boolean }[];
  unacked: number;
}

/** Exec opens at most five streams; a few more leave room without letting a peer hoard memory. */
const MAX_STREAMS = 16;
const MAX_DATA_FRAME = 32 * 1024;

export class SpdyConnection {
  private readonly reader = new FrameReader();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  private readonly streams = new Map<number, StreamState>();
  private inbound: Promise<void> = Promise.resolve();
  private outbound: Promise<void> = Promise.resolve();
  private lastPeerStream = 0;
  private initialWindow = INITIAL_WINDOW;
  /** spdystream (kubectl) never sends WINDOW_UPDATE; we enforce windows only once a peer does. */
  private peerFlowControl = false;
  private sessionWindow = INITIAL_WINDOW;
  private sessionUnacked = 0;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly handlers: SpdyHandlers,
    head?: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (e: Error) => this.destroy(e));
    socket.on('close', () => this.destroy());
    socket.on('end', () => this.destroy());
    if (head?.length) this.receive(head);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Accepts a peer stream. Replies go out in call order, before any data written afterwards. */
  reply(id: number, headers: HeaderMap = new Map()): void {
    const block = this.deflater.compress(headers);
    this.send(block.then((headerBlock) => encodeFrame({ kind: 'synReply', flags: 0, streamId: id, headerBlock })));
  }

  write(id: number, data: Buffer): void {
    this.enqueue(id, data, false);
  }

  /** Half-closes our side of a stream (an empty data frame with FIN). */
  end(id: number): void {
    this.enqueue(id, Buffer.alloc(0), true);
  }

  reset(id: number, status: number = RstStatus.Cancel): void {
    const s = this.streams.get(id);
    if (s) {
      s.localDone = s.remoteDone = true;
      s.queued = [];
      this.streams.delete(id);
    }
    this.send(encodeFrame({ kind: 'rstStream', streamId: id, status }));
  }

  /** Says goodbye and closes the socket once every queued frame is written. */
  goAway(status: number = GoAwayStatus.Ok): void {
    this.send(encodeFrame({ kind: 'goAway', lastGoodStreamId: this.lastPeerStream, status }));
    this.outbound = this.outbound.then(() => {
      if (!this.closed) this.socket.end();
    });
  }

  destroy(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.inflater.close();
    this.deflater.close();
    this.socket.destroy();
    this.handlers.close(error);
  }

  private send(frame: Buffer | Promise<Buffer>): void {
    this.outbound = this.outbound
      .then(() => frame)
      .then((b) => {
        if (!this.closed) this.socket.write(b);
      })
      .catch((e: unknown) => this.destroy(e instanceof Error ? e : new Error(String(e))));
  }

  private enqueue(id: number, data: Buffer, fin: boolean): void {
    const s = this.streams.get(id);
    if (!s || s.localDone) return;
    for (let at = 0; at < data.length; at += MAX_DATA_FRAME) s.queued.push({ data: data.subarray(at, at + MAX_DATA_FRAME), fin: false });
    if (fin) s.queued.push({ data: Buffer.alloc(0), fin: true });
    if (fin) s.localDone = true;
    this.flush(id, s);
    this.forget(id, s);
  }

  private flush(id: number, s: StreamState): void {
    while (s.queued.length) {
      const next = s.queued[0];
      const size = next.data.length;
      if (this.peerFlowControl && size > 0 && (size > s.sendWindow || size > this.sessionWindow)) return;
      s.queued.shift();
      s.sendWindow -= size;
      this.sessionWindow -= size;
      this.send(encodeFrame({ kind: 'data', streamId: id, flags: next.fin ? FLAG_FIN : 0, data: next.data }));
    }
  }

  private forget(id: number, s: StreamState): void {
    if (s.localDone && s.remoteDone && !s.queued.length) this.streams.delete(id);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      this.protocolError(e);
      return;
    }
    for (const f of frames) {
      this.inbound = this.inbound.then(() => (this.closed ? undefined : this.handle(f))).catch((e: unknown) => this.protocolError(e));
    }
  }

  private protocolError(e: unknown): void {
    if (this.closed) return;
    const error = e instanceof Error ? e : new Error(String(e));
    // Best effort: tell the peer why, then drop the socket without waiting for anything else.
    try {
      this.socket.write(encodeFrame({ kind: 'goAway', lastGoodStreamId: this.lastPeerStream, status: GoAwayStatus.ProtocolError }));
    } catch {
      // the socket may already be gone
    }
    this.destroy(error);
  }

  private async handle(f: Frame): Promise<void> {
    switch (f.kind) {
      case 'synStream': {
        // Decompress even a stream we refuse: the zlib context must see every block.
        const headers = await this.inflater.decompress(f.headerBlock);
        if (f.streamId % 2 === 0 || f.streamId <= this.lastPeerStream) {
          this.send(encodeFrame({ kind: 'rstStream', streamId: f.streamId, status: RstStatus.ProtocolError }));
          return;
        }
        this.lastPeerStream = f.streamId;
        if (this.streams.size >= MAX_STREAMS) {
          this.send(encodeFrame({ kind: 'rstStream', streamId: f.streamId, status: RstStatus.RefusedStream }));
          return;
        }
        const fin = (f.flags & FLAG_FIN) !== 0;
        this.streams.set(f.streamId, { remoteDone: fin, localDone: false, sendWindow: this.initialWindow, queued: [], unacked: 0 });
        this.handlers.stream(f.streamId, headers, fin);
        return;
      }
      case 'headers':
      case 'synReply':
        // Extra headers mean nothing to exec, but their blocks advance the zlib context.
        await this.inflater.decompress(f.headerBlock);
        return;
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s || s.remoteDone) {
          this.send(encodeFrame({ kind: 'rstStream', streamId: f.streamId, status: RstStatus.InvalidStream }));
          return;
        }
        if (f.data.length) {
          this.handlers.data(f.streamId, f.data);
          this.acknowledge(f.streamId, s, f.data.length);
        }
        if (f.flags & FLAG_FIN) {
          s.remoteDone = true;
          this.handlers.end(f.streamId, false);
          this.forget(f.streamId, s);
        }
        return;
      }
      case 'rstStream': {
        if (!this.streams.has(f.streamId)) return;
        this.streams.delete(f.streamId);
        this.handlers.end(f.streamId, true);
        return;
      }
      case 'ping':
        // Odd ids are the client's: echo them. Even ids would answer our own pings; we send none.
        if (f.id % 2 === 1) this.send(encodeFrame({ kind: 'ping', id: f.id }));
        return;
      case 'settings':
        for (const e of f.entries) {
          if (e.id !== SETTINGS_INITIAL_WINDOW_SIZE) continue;
          const delta = e.value - this.initialWindow;
          this.initialWindow = e.value;
          this.peerFlowControl = true;
          for (const s of this.streams.values()) s.sendWindow += delta;
        }
        this.flushAll();
        return;
      case 'windowUpdate': {
        this.peerFlowControl = true;
        if (f.streamId === 0) this.sessionWindow += f.delta;
        else {
          const s = this.streams.get(f.streamId);
          if (s) s.sendWindow += f.delta;
        }
        this.flushAll();
        return;
      }
      case 'goAway':
        // The peer opens nothing new; it closes the socket when its streams are done.
        return;
      case 'unknown':
        return;
    }
  }

  private flushAll(): void {
    for (const [id, s] of this.streams) {
      this.flush(id, s);
      this.forget(id, s);
    }
  }

  /** Re-opens the peer's windows once half is used, so a long stdin never stalls. */
  private acknowledge(id: number, s: StreamState, n: number): void {
    s.unacked += n;
    this.sessionUnacked += n;
    if (s.unacked >= INITIAL_WINDOW / 2) {
      this.send(encodeFrame({ kind: 'windowUpdate', streamId: id, delta: s.unacked }));
      s.unacked = 0;
    }
    if (this.sessionUnacked >= INITIAL_WINDOW / 2) {
      this.send(encodeFrame({ kind: 'windowUpdate', streamId: 0, delta: this.sessionUnacked }));
      this.sessionUnacked = 0;
    }
  }
}
