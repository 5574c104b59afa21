// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 §2.2, the 3.1 flow-control revision): every
// frame is an 8-byte header then a payload. Control frames: bit 31 set, 15-bit version (3),
// 16-bit type, then 8-bit flags and a 24-bit length. Data frames: bit 31 clear, a 31-bit stream
// id, then flags and length. Pure encode/decode here; header-block compression is headers.ts.

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes used here. */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6, FlowControlError: 7 } as const;
/** GOAWAY status codes. */
export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;
/** SETTINGS id that changes every stream's initial send window. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;
/** Initial per-stream and per-session flow-control window (SPDY/3.1). */
export const INITIAL_WINDOW = 64 * 1024;

/**
 * Frames larger than this are refused (the wire allows 16 MiB): exec moves terminal-sized
 * pieces, and a bound keeps a bogus length from making us buffer megabytes.
 */
export const MAX_FRAME_PAYLOAD = 1024 * 1024;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'synStream'; flags: number; streamId: number; associatedTo: number; priority: number; headerBlock: Buffer }
  | { kind: 'synReply'; flags: number; streamId: number; headerBlock: Buffer }
  | { kind: 'headers'; flags: number; streamId: number; headerBlock: Buffer }
  | { kind: 'rstStream'; streamId: number; status: number }
  | { kind: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { kind: 'ping'; id: number }
  | { kind: 'goAway'; lastGoodStreamId: number; status: number }
  | { kind: 'windowUpdate'; streamId: number; delta: number }
  | { kind: 'unknown'; type: number; version: number };

export class SpdyProtocolError extends Error {}

const ID_MASK = 0x7fffffff;

function header(first: number, flags: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(first >>> 0, 0);
  b.writeUInt32BE(((flags & 0xff) << 24 | (length & 0xffffff)) >>> 0, 4);
  return b;
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header((0x8000 | SPDY_VERSION) << 16 | type, flags, payload.length), payload]);
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** Encodes one frame. Header blocks must already be compressed. */
export function encodeFrame(f: Exclude<Frame, { kind: 'unknown' }>): Buffer {
  switch (f.kind) {
    case 'data':
      if (f.data.length > 0xffffff) throw new RangeError('a data frame holds at most 16 MiB');
      return Buffer.concat([header(f.streamId & ID_MASK, f.flags, f.data.length), f.data]);
    case 'synStream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & ID_MASK, 0);
      fixed.writeUInt32BE(f.associatedTo & ID_MASK, 4);
      fixed[8] = (f.priority & 7) << 5;
      return control(FrameType.SynStream, f.flags, Buffer.concat([fixed, f.headerBlock]));
    }
    case 'synReply':
      return control(FrameType.SynReply, f.flags, Buffer.concat([words(f.streamId & ID_MASK), f.headerBlock]));
    case 'headers':
      return control(FrameType.Headers, f.flags, Buffer.concat([words(f.streamId & ID_MASK), f.headerBlock]));
    case 'rstStream':
      return control(FrameType.RstStream, 0, words(f.streamId & ID_MASK, f.status));
    case 'settings':
      return control(FrameType.Settings, f.flags, words(f.entries.length, ...f.entries.flatMap((e) => [((e.flags & 0xff) << 24) | (e.id & 0xffffff), e.value])));
    case 'ping':
      return control(FrameType.Ping, 0, words(f.id));
    case 'goAway':
      return control(FrameType.GoAway, 0, words(f.lastGoodStreamId & ID_MASK, f.status));
    case 'windowUpdate':
      return control(FrameType.WindowUpdate, 0, words(f.streamId & ID_MASK, f.delta & ID_MASK));
  }
}

function need(p: Buffer, n: number, what: string): void {
  if (p.length < n) throw new SpdyProtocolError(`${what} frame too short: ${p.length} bytes, needs ${n}`);
}

function decodeControl(type: number, version: number, flags: number, p: Buffer): Frame {
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`SPDY version ${version} is not spoken here (3 only)`);
  switch (type) {
    case FrameType.SynStream:
      need(p, 10, 'SYN_STREAM');
      return { kind: 'synStream', flags, streamId: p.readUInt32BE(0) & ID_MASK, associatedTo: p.readUInt32BE(4) & ID_MASK, priority: p[8] >> 5, headerBlock: p.subarray(10) };
    case FrameType.SynReply:
      need(p, 4, 'SYN_REPLY');
      return { kind: 'synReply', flags, streamId: p.readUInt32BE(0) & ID_MASK, headerBlock: p.subarray(4) };
    case FrameType.Headers:
      need(p, 4, 'HEADERS');
      return { kind: 'headers', flags, streamId: p.readUInt32BE(0) & ID_MASK, headerBlock: p.subarray(4) };
    case FrameType.RstStream:
      need(p, 8, 'RST_STREAM');
      return { kind: 'rstStream', streamId: p.readUInt32BE(0) & ID_MASK, status: p.readUInt32BE(4) };
    case FrameType.Settings: {
      need(p, 4, 'SETTINGS');
      const n = p.readUInt32BE(0);
      if (p.length !== 4 + n * 8) throw new SpdyProtocolError(`SETTINGS frame announces ${n} entries in ${p.length - 4} bytes`);
      const entries = [];
      for (let i = 0; i < n; i++) {
        const idWord = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: idWord >>> 24, id: idWord & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { kind: 'settings', flags, entries };
    }
    case FrameType.Ping:
      need(p, 4, 'PING');
      return { kind: 'ping', id: p.readUInt32BE(0) };
    case FrameType.GoAway:
      need(p, 8, 'GOAWAY');
      return { kind: 'goAway', lastGoodStreamId: p.readUInt32BE(0) & ID_MASK, status: p.readUInt32BE(4) };
    case FrameType.WindowUpdate:
      need(p, 8, 'WINDOW_UPDATE');
      return { kind: 'windowUpdate', streamId: p.readUInt32BE(0) & ID_MASK, delta: p.readUInt32BE(4) & ID_MASK };
    default:
      // The spec says to ignore control frames of unknown type.
      return { kind: 'unknown', type, version };
  }
}

/**
 * Turns a byte stream into frames. TCP delivers arbitrary pieces, so bytes wait here until a
 * whole frame is present. Throws SpdyProtocolError on a frame that cannot be valid; the caller
 * then drops the connection.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < 8) break;
      const head = this.peek(8);
      const length = head.readUInt32BE(4) & 0xffffff;
      if (length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError(`frame of ${length} bytes exceeds the ${MAX_FRAME_PAYLOAD}-byte limit`);
      if (this.buffered < 8 + length) break;
      const whole = this.take(8 + length);
      const first = whole.readUInt32BE(0);
      const flags = whole[4];
      const payload = whole.subarray(8);
      if (first & 0x80000000) frames.push(decodeControl(first & 0xffff, (first >>> 16) & 0x7fff, flags, payload));
      else {
        const streamId = first & ID_MASK;
        if (streamId === 0) throw new SpdyProtocolError('data frame on stream 0');
        frames.push({ kind: 'data', streamId, flags, data: payload });
      }
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.pending[0].length < n) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    const out = Buffer.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.buffered -= n;
    return out;
  }
}
