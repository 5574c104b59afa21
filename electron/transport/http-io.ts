// Bytes in and out of one HTTP exchange: the bearer token, the JSON body (bounded), JSON answers
// and the `{"error":{code,message}}` shape with its status.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ContractError, ERROR_STATUS, type ContractErrorShape } from '../../shared/contract-kit.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';

/** How long the rest of a refused (too large) body is read and thrown away before the socket is cut. */
const DISCARD_BODY_MS = 10_000;

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1].trim();
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

const tooLarge = (limit: number) => new ContractError('too_large', `Request body over ${limit} bytes: send less (the limit is ${limit} bytes).`);

/** Reads a JSON body of at most `limit` bytes; an empty body is `{}`. Rejects with `too_large` early. */
export function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(tooLarge(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (over) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ContractError('invalid_request', 'The request body is not valid JSON.'));
      }
    });
  });
}

/**
 * After answering early (413), reads and drops what the client still sends so it receives the
 * answer instead of a connection reset; a client that never stops is cut off.
 */
export function discardBody(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  if (req.complete) return;
  const cut = setTimeout(() => req.socket.destroy(), DISCARD_BODY_MS);
  cut.unref();
  req.once('end', () => clearTimeout(cut));
  req.once('close', () => clearTimeout(cut));
  req.resume();
}

export function toErrorShape(error: unknown): ContractErrorShape {
  if (error instanceof ContractError) return error.toJSON();
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown, status?: number): void {
  const shape = toErrorShape(error);
  sendJson(res, status ?? ERROR_STATUS[shape.code], { error: shape });
}

/** An HTTP error answer written on a raw socket (refused WebSocket upgrades). */
export function errorResponseBytes(error: ContractError, extraHeaders: Record<string, string> = {}): string {
  const status = ERROR_STATUS[error.code];
  const body = JSON.stringify({ error: error.toJSON() });
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...extraHeaders,
  };
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;
}
