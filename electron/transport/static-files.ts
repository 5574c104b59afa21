// The built renderer's files, served without a token (they hold no data), never a file outside it.
import type { ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { ContractError } from '../../shared/contract-kit.js';
import { sendError } from './http-io.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export function serveStatic(root: string | undefined, pathname: string, res: ServerResponse): void {
  if (!root || !existsSync(root)) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The renderer is not built: run `npm run build`. The API is at /api/v1/.');
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendError(res, new ContractError('invalid_request', `The path ${pathname.slice(0, 200)} is not valid percent-encoding.`));
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  let file = join(root, relative);
  if ((!file.startsWith(root + sep) && file !== root) || decoded.includes('\0')) {
    res.writeHead(403).end();
    return;
  }
  // Client-side routes fall back to index.html.
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  const type = MIME[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  const stream = createReadStream(file);
  // A file that disappears or cannot be read ends this answer, not the process.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
