// The SPDY/3.1 framing and header compression under the demo fleet's exec-over-SPDY: frames
// round-trip, header blocks use ONE zlib context per direction primed with the SPDY/3 dictionary
// (what Go's spdystream in kubectl expects), and frames split anyhow across TCP reads come out whole.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../electron/demo/api/spdy/frames.js';
import { FLAG_FIN, FrameReader, MAX_FRAME_PAYLOAD, SpdyProtocolError, encodeFrame } from '../../electron/demo/api/spdy/frames.js';
import { HeaderCompressor, HeaderDecompressor, SPDY3_DICTIONARY, decodeHeaderBlock, encodeHeaderBlock } from '../../electron/demo/api/spdy/headers.js';

type Known = Exclude<Frame, { kind: 'unknown' }>;

const samples: Known[] = [
  { kind: 'data', streamId: 5, flags: FLAG_FIN, data: Buffer.from('hello\n') },
  { kind: 'data', streamId: 0x7fffffff, flags: 0, data: Buffer.alloc(0) },
  { kind: 'synStream', flags: 0, streamId: 1, associatedTo: 0, priority: 3, headerBlock: Buffer.from([1, 2, 3]) },
  { kind: 'synReply', flags: FLAG_FIN, streamId: 3, headerBlock: Buffer.from([9, 8]) },
  { kind: 'headers', flags: 0, streamId: 7, headerBlock: Buffer.from([4]) },
  { kind: 'rstStream', streamId: 9, status: 5 },
  { kind: 'settings', flags: 0, entries: [{ flags: 1, id: 7, value: 131072 }, { flags: 0, id: 4, value: 100 }] },
  { kind: 'ping', id: 0xfffffff1 },
  { kind: 'goAway', lastGoodStreamId: 11, status: 0 },
  { kind: 'windowUpdate', streamId: 0, delta: 32768 },
];

describe('SPDY/3.1 frames', () => {
  it('round-trips every frame type', () => {
    for (const f of samples) {
      const [back, ...rest] = new FrameReader().push(encodeFrame(f));
      expect(rest).toEqual([]);
      expect(back).toEqual(f);
    }
  });

  it('writes the wire layout of the spec: control bit, version 3, type, flags, 24-bit length', () => {
    const ping = encodeFrame({ kind: 'ping', id: 1 });
    expect([...ping]).toEqual([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]);
    const data = encodeFrame({ kind: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('ab') });
    expect([...data]).toEqual([0, 0, 0, 3, 0x01, 0, 0, 2, 0x61, 0x62]);
  });

  it('reassembles frames split across TCP reads, byte by byte and two at a time', () => {
    const wire = Buffer.concat(samples.map((f) => encodeFrame(f)));
    const bytewise = new FrameReader();
    const out: Frame[] = [];
    for (const b of wire) out.push(...bytewise.push(Buffer.from([b])));
    expect(out).toEqual(samples);
    const halves = new FrameReader();
    const cut = 13;
    expect([...halves.push(wire.subarray(0, cut)), ...halves.push(wire.subarray(cut))]).toEqual(samples);
  });

  it('refuses frames that cannot be valid', () => {
    const huge = Buffer.from([0, 0, 0, 1, 0, 0xff, 0xff, 0xff]);
    expect(() => new FrameReader().push(huge)).toThrow(SpdyProtocolError);
    expect(0xffffff).toBeGreaterThan(MAX_FRAME_PAYLOAD);
    const spdy2 = encodeFrame({ kind: 'ping', id: 1 });
    spdy2[1] = 2;
    expect(() => new FrameReader().push(spdy2)).toThrow(/version 2/);
    expect(() => new FrameReader().push(encodeFrame({ kind: 'data', streamId: 0, flags: 0, data: Buffer.from('x') }))).toThrow(/stream 0/);
    const shortRst = Buffer.from([0x80, 3, 0, 3, 0, 0, 0, 4, 0, 0, 0, 1]);
    expect(() => new FrameReader().push(shortRst)).toThrow(/RST_STREAM frame too short/);
    const badSettings = Buffer.from([0x80, 3, 0, 4, 0, 0, 0, 4, 0, 0, 0, 9]);
    expect(() => new FrameReader().push(badSettings)).toThrow(/SETTINGS/);
  });

  it('passes unknown control frame types through for the caller to ignore', () => {
    const odd = Buffer.from([0x80, 3, 0, 0x0a, 0, 0, 0, 2, 1, 2]);
    expect(new FrameReader().push(odd)).toEqual([{ kind: 'unknown', type: 10, version: 3 }]);
  });
});

describe('SPDY/3 header blocks', () => {
  it('has the 1,423-byte dictionary whose Adler-32 is the well-known 0xe3c6a7c2', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from('\x00\x00\x00\x07options', 'latin1'));
    expect(SPDY3_DICTIONARY.subarray(-6).toString()).toBe('enq=0.');
  });

  it('encodes name/value pairs with 32-bit lengths, several values joined by NUL', () => {
    const block = encodeHeaderBlock(new Map([['StreamType', ['stdout']], ['x', ['a', 'b']]]));
    expect(block.readUInt32BE(0)).toBe(2);
    expect(block.toString('latin1')).toContain('streamtype');
    expect(decodeHeaderBlock(block)).toEqual(new Map([['streamtype', ['stdout']], ['x', ['a', 'b']]]));
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 1))).toThrow(/truncated/);
    expect(() => decodeHeaderBlock(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(/claims/);
  });

  it('compresses with the dictionary in one zlib context shared by every block of a direction', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    try {
      const first = await c.compress(new Map([['streamtype', ['error']]]));
      // zlib header: FDICT set and DICTID = Adler-32 of the SPDY/3 dictionary.
      expect(first[1] & 0x20).toBe(0x20);
      expect(first.readUInt32BE(2)).toBe(0xe3c6a7c2);
      // Each block ends with a sync flush (00 00 ff ff), so the peer can decode it at once.
      expect(first.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
      const second = await c.compress(new Map([['streamtype', ['stdout']]]));
      expect(second[0]).not.toBe(0x78);
      // An independent inflater with the dictionary reads both blocks as one stream.
      const plain = zlib.inflateSync(Buffer.concat([first, second]), { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      const firstPlain = encodeHeaderBlock(new Map([['streamtype', ['error']]]));
      expect(decodeHeaderBlock(plain.subarray(0, firstPlain.length))).toEqual(new Map([['streamtype', ['error']]]));
      expect(decodeHeaderBlock(plain.subarray(firstPlain.length))).toEqual(new Map([['streamtype', ['stdout']]]));
      // Our decompressor keeps its context too: the second block alone is not a zlib stream.
      expect(await d.decompress(first)).toEqual(new Map([['streamtype', ['error']]]));
      expect(await d.decompress(second)).toEqual(new Map([['streamtype', ['stdout']]]));
      const fresh = new HeaderDecompressor();
      await expect(fresh.decompress(second)).rejects.toThrow();
      fresh.close();
    } finally {
      c.close();
      d.close();
    }
  });

  it('reads blocks compressed by another zlib (as Go does) and rejects garbage', async () => {
    const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const chunks: Buffer[] = [];
    deflate.on('data', (b: Buffer) => chunks.push(b));
    const block = async (h: Map<string, string[]>) => {
      deflate.write(encodeHeaderBlock(h));
      await new Promise<void>((r) => deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
      await new Promise((r) => setImmediate(r));
      return Buffer.concat(chunks.splice(0));
    };
    const d = new HeaderDecompressor();
    try {
      expect(await d.decompress(await block(new Map([['streamtype', ['stdin']]])))).toEqual(new Map([['streamtype', ['stdin']]]));
      expect(await d.decompress(await block(new Map([['streamtype', ['resize']]])))).toEqual(new Map([['streamtype', ['resize']]]));
      const bad = new HeaderDecompressor();
      await expect(bad.decompress(Buffer.from('definitely not zlib'))).rejects.toThrow();
      bad.close();
    } finally {
      deflate.destroy();
      d.close();
    }
  });
});

describe('SPDY/3 header blocks from a hostile peer', () => {
  it('refuses a zlib bomb and an oversized compressed block instead of inflating them', async () => {
    const bomb = zlib.deflateSync(Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.alloc(8 * 1024 * 1024)]), { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    expect(bomb.length).toBeLessThan(16 * 1024);
    const d = new HeaderDecompressor();
    await expect(d.decompress(bomb)).rejects.toThrow(/inflates past/);
    d.close();
    const big = new HeaderDecompressor();
    await expect(big.decompress(Buffer.alloc(20_000))).rejects.toThrow(/exceeds/);
    big.close();
  });
});
