// SPDY/3 header blocks: the name/value layout (a 32-bit count, then length-prefixed names and
// values, several values of one name joined by NUL) and its compression. Each direction of a
// connection is ONE zlib stream primed with the SPDY/3 dictionary; every block ends with a sync
// flush so the peer can decode it without waiting for more. Go's spdystream (kubectl's client)
// keeps that context for the whole connection, so we must too: a fresh zlib stream per block
// would not decode on the other side.
import zlib from 'node:zlib';

/** Header names every HTTP exchange used in 2012, each prefixed by its 32-bit length. */
const DICTIONARY_WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
  'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
  'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
  'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive',
  'origin',
];

/** Common values, concatenated without prefixes. */
const DICTIONARY_TAIL = [
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505',
  '203 Non-Authoritative Information', '204 No Content', '301 Moved Permanently', '400 Bad Request', '401 Unauthorized',
  '403 Forbidden', '404 Not Found', '500 Internal Server Error', '501 Not Implemented', '503 Service Unavailable',
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT',
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,',
  'publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.',
].join('');

/** The SPDY/3 zlib dictionary (1,423 bytes; Go's spdystream uses it without a trailing NUL). */
export const SPDY3_DICTIONARY: Buffer = Buffer.concat([
  ...DICTIONARY_WORDS.map((w) => {
    const b = Buffer.alloc(4 + w.length);
    b.writeUInt32BE(w.length, 0);
    b.write(w, 4, 'latin1');
    return b;
  }),
  Buffer.from(DICTIONARY_TAIL, 'latin1'),
]);

/** Header names are lower case on the wire; a name may carry several values. */
export type HeaderMap = Map<string, string[]>;

/** Limits that keep a hostile peer from making us allocate: exec needs a handful of short headers. */
const MAX_HEADERS = 100;
const MAX_BLOCK = 64 * 1024;
const MAX_COMPRESSED_BLOCK = 16 * 1024;

export function encodeHeaderBlock(headers: HeaderMap): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n, 0);
    return b;
  };
  parts.push(u32(headers.size));
  for (const [name, values] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Parses an uncompressed header block; throws on truncation or absurd sizes (a protocol error). */
export function decodeHeaderBlock(block: Buffer): HeaderMap {
  if (block.length > MAX_BLOCK) throw new Error(`header block of ${block.length} bytes exceeds ${MAX_BLOCK}`);
  let at = 0;
  const u32 = () => {
    if (at + 4 > block.length) throw new Error('truncated header block');
    const n = block.readUInt32BE(at);
    at += 4;
    return n;
  };
  const bytes = (n: number) => {
    if (at + n > block.length) throw new Error('truncated header block');
    const s = block.toString('utf8', at, at + n);
    at += n;
    return s;
  };
  const count = u32();
  if (count > MAX_HEADERS) throw new Error(`header block claims ${count} headers`);
  const out: HeaderMap = new Map();
  for (let i = 0; i < count; i++) {
    const name = bytes(u32()).toLowerCase();
    const values = bytes(u32()).split('\0');
    out.set(name, [...(out.get(name) ?? []), ...values]);
  }
  if (at !== block.length) throw new Error(`${block.length - at} stray bytes after the header block`);
  return out;
}

/**
 * One direction's zlib context. `run` feeds a piece and resolves with everything zlib produced up
 * to a sync flush; calls are serialised so blocks come out in the order they went in.
 */
class ZlibContext {
  private queue: Promise<unknown> = Promise.resolve();
  private chunks: Buffer[] = [];
  private total = 0;
  private failure: Error | undefined;

  constructor(private readonly z: zlib.Deflate | zlib.Inflate) {
    z.on('data', (c: Buffer) => {
      // Past the limit keep counting but stop keeping: a zlib bomb must not become our memory.
      this.total += c.length;
      if (this.total <= MAX_BLOCK) this.chunks.push(c);
    });
    z.on('error', (e: Error) => {
      this.failure = e;
    });
  }

  run(input: Buffer): Promise<Buffer> {
    const next = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          const settle = () => {
            if (this.failure) return reject(this.failure);
            if (this.total > MAX_BLOCK) return reject(new Error(`header block inflates past ${MAX_BLOCK} bytes`));
            const out = Buffer.concat(this.chunks);
            this.chunks = [];
            this.total = 0;
            resolve(out);
          };
          const onError = () => setImmediate(settle);
          this.z.once('error', onError);
          this.z.write(input);
          this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            this.z.off('error', onError);
            // Output of the flush is pushed before its callback, but let queued 'data' land first.
            setImmediate(settle);
          });
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.z.removeAllListeners('data');
    this.z.on('error', () => undefined);
    this.z.destroy();
  }
}

/** Compresses header blocks we send (SYN_REPLY, HEADERS) on one connection. */
export class HeaderCompressor {
  private readonly ctx = new ZlibContext(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));

  compress(headers: HeaderMap): Promise<Buffer> {
    return this.ctx.run(encodeHeaderBlock(headers));
  }

  close(): void {
    this.ctx.close();
  }
}

/** Decompresses the peer's header blocks (SYN_STREAM, HEADERS) on one connection. */
export class HeaderDecompressor {
  private readonly ctx = new ZlibContext(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));

  async decompress(block: Buffer): Promise<HeaderMap> {
    // Real header blocks are tens of bytes; refusing big ones bounds the work a peer can ask for.
    if (block.length > MAX_COMPRESSED_BLOCK) throw new Error(`compressed header block of ${block.length} bytes exceeds ${MAX_COMPRESSED_BLOCK}`);
    return decodeHeaderBlock(await this.ctx.run(block));
  }

  close(): void {
    this.ctx.close();
  }
}
